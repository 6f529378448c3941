// RBAC groups on the Admin API (§11.1, §11.2): Enterprise only, the opaque page cursor, create/rename/delete,
// members (oldest first, short pages when members left the org), scopes (§2.3), `scim` groups read-only, and the
// invite `rbac_group_ids` rule (§6.3).

import { describe, expect, it } from 'vitest';
import type { Seed } from '../../src/emulator/index.js';
import { call, control, emulator, expectEnvelope, USER_ID, type Answer } from './helpers.js';

const FULL = 'sk-ant-api01-groups-full-key-01';
const READER = 'sk-ant-api01-groups-reader-002';
const MEMBERS_ONLY = 'sk-ant-api01-members-only-003';
const AUDITOR = 'sk-ant-api01-groups-audit-0004';
const WRITER = 'sk-ant-api01-groups-writer-005';
const GROUP_ID = /^rbac_group_01[1-9A-HJ-NP-Za-km-z]{22}$/;
const G = '/v1/organizations/rbac_groups';

function enterpriseSeed(extra: Partial<Seed> = {}): Seed {
  return {
    organization: { kind: 'enterprise' },
    admin_keys: [
      { key: FULL, name: 'full', scopes: ['read:members', 'write:members', 'read:rbac_groups', 'write:rbac_groups'] },
      { key: READER, name: 'reader', scopes: ['read:rbac_groups'] },
      { key: MEMBERS_ONLY, name: 'members', scopes: ['read:members', 'write:members'] },
      { key: AUDITOR, name: 'auditor', scopes: ['read:org_audit'] },
      { key: WRITER, name: 'writer', scopes: ['write:rbac_groups'] },
    ],
    users: [
      { email: 'alice@acme.com', role: 'user' },
      { email: 'bob@acme.com', role: 'user' },
      { email: 'carol@acme.com', role: 'managed' },
      { email: 'dan@acme.com', role: 'user' },
      { email: 'erin@acme.com', role: 'user' },
    ],
    ...extra,
  };
}

async function userId(emu: Awaited<ReturnType<typeof emulator>>, email: string): Promise<string> {
  const r = await call(emu, `/v1/organizations/users?email=${encodeURIComponent(email)}`, { key: FULL });
  const id = r.body.data[0]?.id;
  if (!id) throw new Error(`no user ${email}`);
  return id;
}

/** Every item of a token-paged listing, with the size of each page. */
async function readAll(emu: Awaited<ReturnType<typeof emulator>>, path: string, limit: number, key = FULL) {
  const items: any[] = [];
  const pages: Array<{ size: number; hasMore: boolean }> = [];
  let page: string | null = null;
  for (let i = 0; i < 50; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const r: Answer = await call(emu, `${path}${sep}limit=${limit}${page ? `&page=${encodeURIComponent(page)}` : ''}`, { key });
    expect(r.status).toBe(200);
    expect(r.body.has_more).toBe(r.body.next_page !== null);
    items.push(...r.body.data);
    pages.push({ size: r.body.data.length, hasMore: r.body.has_more });
    page = r.body.next_page;
    if (!page) return { items, pages };
  }
  throw new Error('pagination did not end');
}

describe('availability', () => {
  it('a Console org has no group endpoints (404 not_found_error)', async () => {
    const emu = await emulator();
    expectEnvelope(await call(emu, G), 404, 'not_found_error');
    expectEnvelope(await call(emu, G, { body: { name: 'X' } }), 404, 'not_found_error');
  });

  it('an Enterprise org lists its seeded groups, oldest first, with their members', async () => {
    const emu = await emulator({
      seed: enterpriseSeed({
        rbac_groups: [
          { name: 'Platform', members: ['alice@acme.com', 'BOB@acme.com'], roles: ['rbac_role_01abc'] },
          { name: 'Empty' },
        ],
      }),
    });
    const r = await call(emu, G, { key: FULL });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ has_more: false, next_page: null });
    expect(r.body.data.map((g: any) => g.name)).toEqual(['Platform', 'Empty']);
    expect(r.body.data[0]).toMatchObject({ type: 'rbac_group', source_type: 'direct', roles: ['rbac_role_01abc'] });
    expect(r.body.data[0].id).toMatch(GROUP_ID);
    const members = await call(emu, `${G}/${r.body.data[0].id}/members`, { key: FULL });
    expect(members.body.data.map((m: any) => m.email)).toEqual(['alice@acme.com', 'bob@acme.com']);
    expect(members.body.data[0]).toEqual({
      type: 'rbac_group_member',
      group_id: r.body.data[0].id,
      user_id: expect.stringMatching(USER_ID),
      email: 'alice@acme.com',
      created_at: expect.any(String),
    });
  });
});

describe('create, get, rename, delete', () => {
  it('creates a direct group with no roles; names are not unique', async () => {
    const emu = await emulator({ seed: enterpriseSeed() });
    const a = await call(emu, G, { key: FULL, body: { name: 'Research' } });
    const b = await call(emu, G, { key: FULL, body: { name: 'Research' } });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body).toMatchObject({ type: 'rbac_group', name: 'Research', source_type: 'direct', roles: [] });
    expect(a.body.created_at).toBe(a.body.updated_at);
    expect(a.body.id).not.toBe(b.body.id);
    expect((await call(emu, `${G}/${a.body.id}`, { key: FULL })).body).toEqual(a.body);
    expect((await call(emu, `${G}/${a.body.id}/members`, { key: FULL })).body).toEqual({ data: [], has_more: false, next_page: null });
  });

  it('refuses a missing, empty, too long or non-string name and extra fields (400)', async () => {
    const emu = await emulator({ seed: enterpriseSeed() });
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(256) }, { name: 7 }, { name: 'ok', roles: [] }]) {
      expectEnvelope(await call(emu, G, { key: FULL, body }), 400, 'invalid_request_error');
    }
    expect((await call(emu, G, { key: FULL, body: { name: 'x'.repeat(255) } })).status).toBe(200);
  });

  it('renames (updated_at moves; null keeps the name) and deletes; members stay in the org', async () => {
    const emu = await emulator({ seed: enterpriseSeed({ rbac_groups: [{ name: 'Old', members: ['alice@acme.com'] }] }) });
    const group = (await call(emu, G, { key: FULL })).body.data[0];
    await control(emu, '/clock/advance', { body: { seconds: 60 } });
    const renamed = await call(emu, `${G}/${group.id}`, { key: FULL, body: { name: 'New' } });
    expect(renamed.body).toMatchObject({ id: group.id, name: 'New', created_at: group.created_at });
    expect(Date.parse(renamed.body.updated_at)).toBeGreaterThan(Date.parse(group.updated_at));
    const same = await call(emu, `${G}/${group.id}`, { key: FULL, body: { name: null } });
    expect(same.body).toEqual(renamed.body);
    expectEnvelope(await call(emu, `${G}/${group.id}`, { key: FULL, body: { name: '' } }), 400, 'invalid_request_error');
    const deleted = await call(emu, `${G}/${group.id}`, { key: FULL, method: 'DELETE' });
    expect(deleted.body).toEqual({ id: group.id, type: 'rbac_group_deleted' });
    expectEnvelope(await call(emu, `${G}/${group.id}`, { key: FULL }), 404, 'not_found_error');
    expectEnvelope(await call(emu, `${G}/${group.id}`, { key: FULL, method: 'DELETE' }), 404, 'not_found_error');
    expectEnvelope(await call(emu, `${G}/${group.id}/members`, { key: FULL }), 404, 'not_found_error');
    expect((await call(emu, '/v1/organizations/users?email=alice@acme.com', { key: FULL })).body.data).toHaveLength(1);
  });
});

describe('members', () => {
  it('adds (404 unknown user, 400 duplicate), lists oldest first, removes (404 when not in the group)', async () => {
    const emu = await emulator({ seed: enterpriseSeed() });
    const group = (await call(emu, G, { key: FULL, body: { name: 'Team' } })).body;
    const bob = await userId(emu, 'bob@acme.com');
    const alice = await userId(emu, 'alice@acme.com');
    const added = await call(emu, `${G}/${group.id}/members`, { key: FULL, body: { user_id: bob } });
    expect(added.body).toEqual({ type: 'rbac_group_member', group_id: group.id, user_id: bob, email: 'bob@acme.com', created_at: expect.any(String) });
    await control(emu, '/clock/advance', { body: { seconds: 5 } });
    await call(emu, `${G}/${group.id}/members`, { key: FULL, body: { user_id: alice } });
    const list = await call(emu, `${G}/${group.id}/members`, { key: FULL });
    expect(list.body.data.map((m: any) => m.email)).toEqual(['bob@acme.com', 'alice@acme.com']);

    expectEnvelope(await call(emu, `${G}/${group.id}/members`, { key: FULL, body: { user_id: bob } }), 400, 'invalid_request_error');
    expectEnvelope(
      await call(emu, `${G}/${group.id}/members`, { key: FULL, body: { user_id: 'user_01NoSuchUser000000000000' } }),
      404,
      'not_found_error',
    );
    expectEnvelope(await call(emu, `${G}/${group.id}/members`, { key: FULL, body: {} }), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `${G}/rbac_group_01Missing/members`, { key: FULL, body: { user_id: bob } }), 404, 'not_found_error');

    const removed = await call(emu, `${G}/${group.id}/members/${bob}`, { key: FULL, method: 'DELETE' });
    expect(removed.body).toEqual({ group_id: group.id, user_id: bob, type: 'rbac_group_member_deleted' });
    expectEnvelope(await call(emu, `${G}/${group.id}/members/${bob}`, { key: FULL, method: 'DELETE' }), 404, 'not_found_error');
    // The user stays an org member (§11.2).
    expect((await call(emu, `/v1/organizations/users/${bob}`, { key: FULL })).status).toBe(200);
    // Re-adding puts the member last (a new membership).
    await call(emu, `${G}/${group.id}/members`, { key: FULL, body: { user_id: bob } });
    expect((await call(emu, `${G}/${group.id}/members`, { key: FULL })).body.data.map((m: any) => m.email)).toEqual([
      'alice@acme.com',
      'bob@acme.com',
    ]);
  });

  it('members who left the org are skipped: short pages while has_more is true, and they are in no group', async () => {
    const all = ['alice@acme.com', 'bob@acme.com', 'carol@acme.com', 'dan@acme.com', 'erin@acme.com'];
    const emu = await emulator({
      seed: enterpriseSeed({ rbac_groups: [{ name: 'All', members: all }, { name: 'Two', members: ['bob@acme.com', 'dan@acme.com'] }] }),
    });
    const groups = (await call(emu, G, { key: FULL })).body.data;
    const bob = await userId(emu, 'bob@acme.com');
    const carol = await userId(emu, 'carol@acme.com');
    expect((await call(emu, `/v1/organizations/users/${bob}`, { key: FULL, method: 'DELETE' })).status).toBe(200);
    expect((await call(emu, `/v1/organizations/users/${carol}`, { key: FULL, method: 'DELETE' })).status).toBe(200);

    const { items, pages } = await readAll(emu, `${G}/${groups[0].id}/members`, 2);
    expect(items.map((m) => m.email)).toEqual(['alice@acme.com', 'dan@acme.com', 'erin@acme.com']);
    expect(pages.some((p) => p.size < 2 && p.hasMore)).toBe(true);
    expect((await call(emu, `${G}/${groups[1].id}/members`, { key: FULL })).body.data.map((m: any) => m.email)).toEqual(['dan@acme.com']);
    expectEnvelope(await call(emu, `${G}/${groups[0].id}/members/${bob}`, { key: FULL, method: 'DELETE' }), 404, 'not_found_error');
    const state = (await control(emu, '/state')).body;
    expect(state.rbac_groups[0].members.map((m: any) => m.email)).toEqual(['alice@acme.com', 'dan@acme.com', 'erin@acme.com']);
  });
});

describe('the page cursor (§2.9 opaque token)', () => {
  it('pages through groups with limit and next_page; null at the end', async () => {
    const emu = await emulator({ seed: enterpriseSeed() });
    for (let i = 1; i <= 5; i++) await call(emu, G, { key: FULL, body: { name: `G${i}` } });
    const { items, pages } = await readAll(emu, G, 2);
    expect(items.map((g) => g.name)).toEqual(['G1', 'G2', 'G3', 'G4', 'G5']);
    expect(pages).toEqual([
      { size: 2, hasMore: true },
      { size: 2, hasMore: true },
      { size: 1, hasMore: false },
    ]);
    expect((await call(emu, G, { key: FULL })).body.data).toHaveLength(5); // default limit 20
  });

  it('a token survives the deletion of the group it points after', async () => {
    const emu = await emulator({ seed: enterpriseSeed() });
    for (let i = 1; i <= 4; i++) await call(emu, G, { key: FULL, body: { name: `G${i}` } });
    const first = await call(emu, `${G}?limit=2`, { key: FULL });
    await call(emu, `${G}/${first.body.data[1].id}`, { key: FULL, method: 'DELETE' });
    const second = await call(emu, `${G}?limit=2&page=${encodeURIComponent(first.body.next_page)}`, { key: FULL });
    expect(second.body.data.map((g: any) => g.name)).toEqual(['G3', 'G4']);
  });

  it('refuses a bad limit, a garbled token, and a token of another listing (400)', async () => {
    const emu = await emulator({ seed: enterpriseSeed({ rbac_groups: [{ name: 'A', members: ['alice@acme.com', 'bob@acme.com'] }, { name: 'B' }] }) });
    for (const q of ['limit=0', 'limit=1001', 'limit=abc', 'page=garbage', 'page=page_bm90LWpzb24']) {
      expectEnvelope(await call(emu, `${G}?${q}`, { key: FULL }), 400, 'invalid_request_error');
    }
    const groups = await call(emu, `${G}?limit=1`, { key: FULL });
    const group = groups.body.data[0].id;
    const membersPage = await call(emu, `${G}/${group}/members?limit=1`, { key: FULL });
    expect(membersPage.body.next_page).not.toBeNull();
    expectEnvelope(await call(emu, `${G}?page=${encodeURIComponent(membersPage.body.next_page)}`, { key: FULL }), 400, 'invalid_request_error');
    expectEnvelope(
      await call(emu, `${G}/${group}/members?page=${encodeURIComponent(groups.body.next_page)}`, { key: FULL }),
      400,
      'invalid_request_error',
    );
  });
});

describe('scopes (§2.3)', () => {
  it('reads need read:rbac_groups (or read:org_audit), writes need write:rbac_groups; the 403 lists both', async () => {
    const emu = await emulator({ seed: enterpriseSeed({ rbac_groups: [{ name: 'A' }] }) });
    const group = (await call(emu, G, { key: FULL })).body.data[0];
    expect((await call(emu, G, { key: READER })).status).toBe(200);
    expect((await call(emu, `${G}/${group.id}/members`, { key: AUDITOR })).status).toBe(200);
    expect((await call(emu, G, { key: WRITER, body: { name: 'W' } })).status).toBe(200);

    const denied = expectEnvelope(await call(emu, G, { key: MEMBERS_ONLY }), 403, 'permission_error');
    expect(denied).toContain('read:rbac_groups');
    expect(denied).toContain('read:members, write:members');
    expectEnvelope(await call(emu, G, { key: READER, body: { name: 'X' } }), 403, 'permission_error');
    expectEnvelope(await call(emu, G, { key: AUDITOR, body: { name: 'X' } }), 403, 'permission_error');
    expectEnvelope(await call(emu, `${G}/${group.id}`, { key: READER, method: 'DELETE' }), 403, 'permission_error');
    expectEnvelope(await call(emu, `${G}/${group.id}`, { key: WRITER }), 403, 'permission_error');
  });
});

describe('invites with rbac_group_ids (§6.3)', () => {
  it('the accepted invitee joins the direct groups of the invite; unknown and scim groups are refused', async () => {
    const emu = await emulator({
      seed: enterpriseSeed({
        rbac_groups: [{ name: 'Platform' }, { name: 'Data' }],
        scim: { token: 'scim-token-groups-1', groups: [{ displayName: 'FromIdP' }], synced: true },
      }),
    });
    const groups = (await call(emu, G, { key: FULL })).body.data;
    const [platform, data, fromIdp] = groups;
    expect(fromIdp).toMatchObject({ name: 'FromIdP', source_type: 'scim' });
    const invite = await call(emu, '/v1/organizations/invites', {
      key: FULL,
      body: { email: 'new@acme.com', role: 'user', rbac_group_ids: [platform.id, data.id] },
    });
    expect(invite.status).toBe(200);
    expect(invite.body.rbac_group_ids).toEqual([platform.id, data.id]);
    const accepted = await control(emu, `/invites/${invite.body.id}/accept`, { body: {} });
    const newId = accepted.body.user.id;
    for (const g of [platform, data]) {
      const members = await call(emu, `${G}/${g.id}/members`, { key: FULL });
      expect(members.body.data.map((m: any) => m.user_id)).toEqual([newId]);
    }
    const unknown = await call(emu, '/v1/organizations/invites', {
      key: FULL,
      body: { email: 'x@acme.com', role: 'user', rbac_group_ids: ['rbac_group_01NoSuchGroup'] },
    });
    expectEnvelope(unknown, 400, 'invalid_request_error');
    const scim = await call(emu, '/v1/organizations/invites', {
      key: FULL,
      body: { email: 'y@acme.com', role: 'user', rbac_group_ids: [fromIdp.id] },
    });
    expectEnvelope(scim, 400, 'invalid_request_error');
    const noScope = await call(emu, '/v1/organizations/invites', {
      key: MEMBERS_ONLY,
      body: { email: 'z@acme.com', role: 'user', rbac_group_ids: [platform.id] },
    });
    expectEnvelope(noScope, 403, 'permission_error');
  });
});

describe('scim groups are read-only through the Admin API (§11.2, §13.2)', () => {
  it('rename, delete and membership changes answer 400; reads work', async () => {
    const emu = await emulator({
      seed: enterpriseSeed({
        scim: {
          token: 'scim-token-groups-2',
          users: [{ userName: 'alice@acme.com' }],
          groups: [{ displayName: 'Engineering', members: ['alice@acme.com'] }],
          synced: true,
        },
      }),
    });
    const group = (await call(emu, G, { key: FULL })).body.data[0];
    expect(group).toMatchObject({ name: 'Engineering', source_type: 'scim', roles: [] });
    const alice = await userId(emu, 'alice@acme.com');
    const bob = await userId(emu, 'bob@acme.com');
    expect((await call(emu, `${G}/${group.id}/members`, { key: FULL })).body.data.map((m: any) => m.user_id)).toEqual([alice]);
    expectEnvelope(await call(emu, `${G}/${group.id}`, { key: FULL, body: { name: 'Renamed' } }), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `${G}/${group.id}`, { key: FULL, method: 'DELETE' }), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `${G}/${group.id}/members`, { key: FULL, body: { user_id: bob } }), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `${G}/${group.id}/members/${alice}`, { key: FULL, method: 'DELETE' }), 400, 'invalid_request_error');
    expect((await call(emu, `${G}/${group.id}`, { key: FULL })).body.name).toBe('Engineering');
  });
});

describe('seed rbac_groups', () => {
  it('reports every problem with its path', async () => {
    const res = await control(await emulator(), '/state', {
      method: 'PUT',
      body: {
        organization: { kind: 'console' },
        users: [{ email: 'a@acme.com', role: 'user' }],
        rbac_groups: [
          { name: '' },
          { name: 'X', members: ['nobody@acme.com', 'a@acme.com', 'A@acme.com'], source_type: 'scim', id: 'grp_1', bogus: 1 },
        ],
      },
    });
    const message = expectEnvelope(res, 400, 'invalid_request_error');
    expect(message).toContain('rbac_groups: RBAC groups exist only in enterprise organizations');
    expect(message).toContain('rbac_groups[0].name');
    expect(message).toContain("rbac_groups[1].members[0]: 'nobody@acme.com' is not a seeded user");
    expect(message).toContain('rbac_groups[1].members[2]');
    expect(message).toContain('rbac_groups[1].source_type');
    expect(message).toContain('rbac_groups[1].id');
    expect(message).toContain('rbac_groups[1].bogus');
  });

  it('keeps a seeded id', async () => {
    const emu = await emulator({ seed: enterpriseSeed({ rbac_groups: [{ name: 'Fixed', id: 'rbac_group_01FixedIdForTests' }] }) });
    expect((await call(emu, `${G}/rbac_group_01FixedIdForTests`, { key: FULL })).body.name).toBe('Fixed');
  });
});
