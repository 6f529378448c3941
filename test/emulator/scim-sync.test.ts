// The directory sync (reference §13.1, §13.2, §13.8): SCIM writes reach the organization only when the sync runs
// (on demand or on its timer); active users become members, deactivated or deleted ones are removed, SCIM groups
// become `scim` RBAC groups that follow renames, membership and deletion. Also the `scim` seed section.

import { describe, expect, it } from 'vitest';
import { call, control, DEFAULT_ADMIN_KEY, emulator, expectEnvelope } from './helpers.js';
import { patchBody, scim, SCIM_TOKEN, scimSeed, userBody } from './scim-helpers.js';

type Emu = Awaited<ReturnType<typeof emulator>>;

const sync = async (emu: Emu) => {
  const r = await control(emu, '/scim/sync', { method: 'POST' });
  expect(r.status).toBe(200);
  return r.body;
};
const members = async (emu: Emu) => (await call(emu, '/v1/organizations/users?limit=100')).body.data as any[];
const emails = async (emu: Emu) => (await members(emu)).map((u) => u.email).sort();
const rbacGroups = async (emu: Emu) => (await call(emu, '/v1/organizations/rbac_groups')).body.data as any[];
const groupEmails = async (emu: Emu, id: string) =>
  ((await call(emu, `/v1/organizations/rbac_groups/${id}/members`)).body.data as any[]).map((m) => m.email).sort();

function orgSeed(scimPart: Parameters<typeof scimSeed>[0] = {}, users: Array<{ email: string; role: string }> = []) {
  return scimSeed(scimPart, { admin_keys: [DEFAULT_ADMIN_KEY], users });
}

describe('members', () => {
  it('active SCIM users become members with role user and their SCIM name, only when the sync runs', async () => {
    const emu = await emulator({ seed: orgSeed() });
    await scim(emu, '/Users', { body: userBody('alice@acme.com', { name: { givenName: 'Alice', familyName: 'Archer' } }) });
    await scim(emu, '/Users', { body: userBody('bob', { emails: [{ value: 'Bob@Acme.com', type: 'work' }], displayName: 'Bobby' }) });
    await scim(emu, '/Users', { body: userBody('nomail', { emails: [{ value: 'not-an-address' }] }) });
    expect(await members(emu)).toEqual([]); // eventually consistent (§13.1)
    const report = await sync(emu);
    expect(report.members_created.map((m: any) => m.email).sort()).toEqual(['Bob@Acme.com', 'alice@acme.com']);
    expect(report.skipped).toEqual([{ scim_user_id: expect.any(String), reason: expect.stringContaining('email') }]);
    const list = await members(emu);
    expect(list.find((u) => u.email === 'alice@acme.com')).toMatchObject({ role: 'user', name: 'Alice Archer' });
    expect(list.find((u) => u.email === 'Bob@Acme.com')).toMatchObject({ role: 'user', name: 'Bobby' });
    // A second sync changes nothing.
    const again = await sync(emu);
    expect([again.members_created, again.members_linked, again.members_removed]).toEqual([[], [], []]);
  });

  it('an existing member with the same email (any case) is adopted, never duplicated; its role stays', async () => {
    const emu = await emulator({ seed: orgSeed({ users: [{ userName: 'carol@acme.com' }], synced: true }, [{ email: 'Carol@ACME.com', role: 'managed' }]) });
    const list = await members(emu);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ email: 'Carol@ACME.com', role: 'managed' });
    expect((await control(emu, '/state')).body.scim.last_sync.members_linked).toHaveLength(1);
  });

  it('deactivation removes the member (and its group memberships) once; reactivation brings a new member', async () => {
    const emu = await emulator({
      seed: orgSeed({
        users: [{ userName: 'alice@acme.com', id: 'u-alice' }, { userName: 'bob@acme.com', id: 'u-bob' }],
        groups: [{ displayName: 'Eng', members: ['alice@acme.com', 'bob@acme.com'] }],
        synced: true,
      }),
    });
    const [eng] = await rbacGroups(emu);
    expect(await groupEmails(emu, eng.id)).toEqual(['alice@acme.com', 'bob@acme.com']);
    const aliceId = (await members(emu)).find((u) => u.email === 'alice@acme.com').id;

    await scim(emu, '/Users/u-alice', { method: 'PATCH', body: patchBody({ op: 'replace', value: { active: false } }) });
    expect(await emails(emu)).toEqual(['alice@acme.com', 'bob@acme.com']); // not yet synced
    const report = await sync(emu);
    expect(report.members_removed).toEqual([{ scim_user_id: 'u-alice', user_id: aliceId, email: 'alice@acme.com', reason: 'deactivated' }]);
    expect(await emails(emu)).toEqual(['bob@acme.com']);
    expect(await groupEmails(emu, eng.id)).toEqual(['bob@acme.com']);

    // Someone re-invites alice through the Admin API: later syncs leave her alone while her SCIM user stays inactive.
    await emu.store.addUser({ email: 'alice@acme.com', role: 'user' });
    expect((await sync(emu)).members_removed).toEqual([]);
    expect(await emails(emu)).toEqual(['alice@acme.com', 'bob@acme.com']);

    await scim(emu, '/Users/u-alice', { method: 'PATCH', body: patchBody({ op: 'Replace', path: 'active', value: 'True' }) });
    const back = await sync(emu);
    expect(back.members_linked.map((m: any) => m.email)).toEqual(['alice@acme.com']);
    expect(await groupEmails(emu, eng.id)).toEqual(['alice@acme.com', 'bob@acme.com']);
  });

  it('DELETE removes the member at the next sync; members without a SCIM user are never touched', async () => {
    const emu = await emulator({
      seed: orgSeed({ users: [{ userName: 'alice@acme.com', id: 'u-alice' }], synced: true }, [
        { email: 'owner@acme.com', role: 'primary_owner' },
        { email: 'dave@acme.com', role: 'user' },
      ]),
    });
    expect(await emails(emu)).toEqual(['alice@acme.com', 'dave@acme.com', 'owner@acme.com']);
    expect((await scim(emu, '/Users/u-alice', { method: 'DELETE' })).status).toBe(204);
    expect((await control(emu, '/state')).body.scim.pending_deletions).toEqual(['u-alice']);
    const report = await sync(emu);
    expect(report.members_removed).toMatchObject([{ scim_user_id: 'u-alice', email: 'alice@acme.com', reason: 'deleted' }]);
    expect(await emails(emu)).toEqual(['dave@acme.com', 'owner@acme.com']);
  });

  it('the SCIM user of an invited member, once deactivated, removes that member; the primary owner never', async () => {
    const emu = await emulator({
      seed: orgSeed({ users: [{ userName: 'erin@acme.com', id: 'u-erin' }, { userName: 'owner@acme.com', id: 'u-owner' }] }, [
        { email: 'owner@acme.com', role: 'primary_owner' },
      ]),
    });
    await emu.store.addUser({ email: 'erin@acme.com', role: 'managed' }); // joined by invite before SCIM
    await sync(emu);
    for (const id of ['u-erin', 'u-owner']) {
      await scim(emu, `/Users/${id}`, { method: 'PATCH', body: patchBody({ op: 'replace', path: 'active', value: false }) });
    }
    const report = await sync(emu);
    expect(report.members_removed.map((m: any) => m.email)).toEqual(['erin@acme.com']);
    expect(report.skipped).toMatchObject([{ scim_user_id: 'u-owner', reason: expect.stringContaining('primary owner') }]);
    expect(await emails(emu)).toEqual(['owner@acme.com']);
  });
});

describe('groups', () => {
  it('SCIM groups become scim rbac_groups that follow membership, renames and deletion', async () => {
    const emu = await emulator({
      seed: orgSeed({
        users: [
          { userName: 'alice@acme.com', id: 'u-alice' },
          { userName: 'bob@acme.com', id: 'u-bob' },
          { userName: 'idle@acme.com', id: 'u-idle', active: false },
        ],
        groups: [{ displayName: 'Engineering', id: 'g-eng', members: ['alice@acme.com', 'idle@acme.com'] }],
      }),
    });
    expect(await rbacGroups(emu)).toEqual([]);
    const first = await sync(emu);
    expect(first.groups_created).toMatchObject([{ scim_group_id: 'g-eng', name: 'Engineering' }]);
    const [eng] = await rbacGroups(emu);
    expect(eng).toMatchObject({ name: 'Engineering', source_type: 'scim', roles: [] });
    expect(await groupEmails(emu, eng.id)).toEqual(['alice@acme.com']); // inactive users are not members

    await scim(emu, '/Groups/g-eng', {
      method: 'PATCH',
      body: patchBody(
        { op: 'replace', path: 'displayName', value: 'Platform' },
        { op: 'add', path: 'members', value: [{ value: 'u-bob' }] },
        { op: 'remove', path: 'members[value eq "u-alice"]' },
      ),
    });
    const second = await sync(emu);
    expect(second.groups_renamed).toMatchObject([{ group_id: eng.id, from: 'Engineering', to: 'Platform' }]);
    const [renamed] = await rbacGroups(emu);
    expect(renamed).toMatchObject({ id: eng.id, name: 'Platform', source_type: 'scim' });
    expect(await groupEmails(emu, eng.id)).toEqual(['bob@acme.com']);
    expect(await emails(emu)).toEqual(['alice@acme.com', 'bob@acme.com']); // leaving a group is not leaving the org

    const created = await scim(emu, '/Groups', { body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Sales' } });
    await scim(emu, '/Groups/g-eng', { method: 'DELETE' });
    const third = await sync(emu);
    expect(third.groups_deleted).toMatchObject([{ scim_group_id: 'g-eng', group_id: eng.id, name: 'Platform' }]);
    expect(third.groups_created).toMatchObject([{ scim_group_id: created.body.id, name: 'Sales' }]);
    expect((await rbacGroups(emu)).map((g) => g.name)).toEqual(['Sales']);
    expectEnvelope(await call(emu, `/v1/organizations/rbac_groups/${eng.id}`), 404, 'not_found_error');
  });
});

describe('when the sync runs', () => {
  it('on its timer (sync_interval_ms), real time', async () => {
    const emu = await emulator({ seed: orgSeed({ sync_interval_ms: 25 }) });
    await scim(emu, '/Users', { body: userBody('timer@acme.com') });
    let found = false;
    for (let i = 0; i < 200 && !found; i++) {
      found = (await emails(emu)).includes('timer@acme.com');
      if (!found) await new Promise((r) => setTimeout(r, 10));
    }
    expect(found).toBe(true);
  });

  it('never by itself when sync_interval_ms is absent; synced: true runs one at load', async () => {
    const emu = await emulator({ seed: orgSeed({ users: [{ userName: 'a@acme.com' }] }) });
    await new Promise((r) => setTimeout(r, 50));
    expect(await members(emu)).toEqual([]);
    const loaded = await control(emu, '/state', { method: 'PUT', body: orgSeed({ users: [{ userName: 'a@acme.com' }], synced: true }) });
    expect(loaded.status).toBe(200);
    expect(await emails(emu)).toEqual(['a@acme.com']);
  });

  it('POST /_emulator/scim/sync is a 404 when the org has no directory', async () => {
    const emu = await emulator();
    expectEnvelope(await control(emu, '/scim/sync', { method: 'POST' }), 404, 'not_found_error');
  });
});

describe('the scim seed section', () => {
  it('shows the directory in the state (users, groups, links) but never the token', async () => {
    const emu = await emulator({ seed: orgSeed({ users: [{ userName: 'a@acme.com', id: 'u-a' }], groups: [{ displayName: 'G', externalId: 'g1' }], synced: true }) });
    const state = await control(emu, '/state');
    expect(state.text).not.toContain(SCIM_TOKEN);
    expect(state.body.scim).toMatchObject({
      directory: 'dir_acme_test',
      settings: { soft_delete: true, default_count: 100, max_count: 1000, sync_interval_ms: 0, forbidden: false },
      users: [{ id: 'u-a', userName: 'a@acme.com', active: true, synced_user_id: expect.stringMatching(/^user_01/) }],
      groups: [{ displayName: 'G', externalId: 'g1', identity: 'g1', synced_group_id: expect.stringMatching(/^rbac_group_01/) }],
    });
  });

  it('reports every problem with its path', async () => {
    const res = await control(await emulator(), '/state', {
      method: 'PUT',
      body: {
        scim: {
          directory: 'bad key!',
          default_count: 50,
          max_count: 10,
          sync_interval_ms: -1,
          soft_delete: 'no',
          extra: 1,
          users: [
            { userName: 'a@acme.com' },
            { userName: 'A@ACME.com' },
            { userName: 'plain' },
            { userName: 'b@acme.com', emails: ['a@acme.com'] },
            { emails: ['c@acme.com'] },
          ],
          groups: [{ displayName: 'G', members: ['nobody'] }, { displayName: 'G' }, { externalId: 'x' }],
        },
      },
    });
    const message = expectEnvelope(res, 400, 'invalid_request_error');
    for (const fragment of [
      'scim.directory',
      'scim.token: is required',
      'scim.default_count: must not exceed max_count (10)',
      'scim.sync_interval_ms',
      'scim.soft_delete',
      'scim.extra: unknown field',
      "scim.users[1].userName: 'A@ACME.com' is already the userName of scim.users[0]",
      'scim.users[2]: needs an address',
      "scim.users[3]: the active user scim.users[",
      "already has the email 'a@acme.com'",
      'scim.users[4].userName: is required',
      "scim.groups[0].members[0]: 'nobody' is not the userName",
      "scim.groups[1]: another group (scim.groups[0]) already has the identity 'G'",
      'scim.groups[2].displayName: is required',
    ]) {
      expect(message).toContain(fragment);
    }
    expect(message).not.toContain(SCIM_TOKEN);
  });
});
