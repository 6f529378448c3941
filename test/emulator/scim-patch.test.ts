// SCIM PATCH (RFC 7644 §3.5.2; scim.md §3.8–§3.10; reference §13.7): strict forms, what Okta sends, what Entra
// sends (legacy and `aadOptscim062020`), atomicity, and the errors WorkOS and the RFC require.

import { describe, expect, it } from 'vitest';
import { emulator } from './helpers.js';
import { expectScimError, patchBody, scim, scimSeed, userBody } from './scim-helpers.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function seed(extra: Record<string, unknown> = {}) {
  return scimSeed({
    users: [
      { userName: 'jane@acme.com', id: 'u-jane', name: { givenName: 'Jane', familyName: 'Doe' }, emails: [{ value: 'jane@acme.com', type: 'work', primary: true }] },
      { userName: 'bob@acme.com', id: 'u-bob' },
      { userName: 'carol@acme.com', id: 'u-carol' },
    ],
    groups: [{ displayName: 'Engineering', id: 'g-eng', externalId: 'eng', members: ['jane@acme.com'] }],
    ...extra,
  });
}

const patchUser = (emu: Awaited<ReturnType<typeof emulator>>, id: string, ...ops: Array<Record<string, unknown>>) =>
  scim(emu, `/Users/${id}`, { method: 'PATCH', body: patchBody(...ops) });
const patchGroup = (emu: Awaited<ReturnType<typeof emulator>>, id: string, ...ops: Array<Record<string, unknown>>) =>
  scim(emu, `/Groups/${id}`, { method: 'PATCH', body: patchBody(...ops) });
const memberIds = (group: any): string[] => group.members.map((m: any) => m.value);

describe('strict RFC forms (what our own client sends)', () => {
  it('replace by path, add, remove by path, and remove by value filter; 200 with the resource', async () => {
    const emu = await emulator({ seed: seed() });
    const r = await patchUser(
      emu,
      'u-jane',
      { op: 'replace', path: 'active', value: false },
      { op: 'add', path: 'displayName', value: 'Jane D.' },
      { op: 'remove', path: 'name.familyName' },
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: 'u-jane', active: false, displayName: 'Jane D.', name: { givenName: 'Jane' } });
    expect(r.body.name.familyName).toBeUndefined();
    expect((await scim(emu, '/Users/u-jane')).body).toEqual(r.body);

    const g = await patchGroup(emu, 'g-eng', { op: 'add', path: 'members', value: [{ value: 'u-bob' }, { value: 'u-carol' }] });
    expect(memberIds(g.body)).toEqual(['u-jane', 'u-bob', 'u-carol']);
    const removed = await patchGroup(emu, 'g-eng', { op: 'remove', path: 'members[value eq "u-bob"]' });
    expect(memberIds(removed.body)).toEqual(['u-jane', 'u-carol']);
    const emptied = await patchGroup(emu, 'g-eng', { op: 'remove', path: 'members' });
    expect(emptied.body.members).toEqual([]);
    const set = await patchGroup(emu, 'g-eng', { op: 'replace', path: 'members', value: [{ value: 'u-carol' }] });
    expect(memberIds(set.body)).toEqual(['u-carol']);
  });

  it('adding an existing member succeeds without a change (lastModified stays); removing a non-member too', async () => {
    const emu = await emulator({ seed: seed() });
    const before = (await scim(emu, '/Groups/g-eng')).body;
    await new Promise((r) => setTimeout(r, 5));
    const again = await patchGroup(emu, 'g-eng', { op: 'add', path: 'members', value: [{ value: 'u-jane', display: 'jane@acme.com' }] });
    expect(again.status).toBe(200);
    expect(memberIds(again.body)).toEqual(['u-jane']);
    expect(again.body.meta.lastModified).toBe(before.meta.lastModified);
    const none = await patchGroup(emu, 'g-eng', { op: 'remove', path: 'members[value eq "u-bob"]' });
    expect(none.status).toBe(200);
    expect(none.body.meta.lastModified).toBe(before.meta.lastModified);
  });
});

describe('Okta forms (scim.md §3.9, reference §13.7)', () => {
  it('deactivates and reactivates with a no-path replace', async () => {
    const emu = await emulator({ seed: seed() });
    expect((await patchUser(emu, 'u-jane', { op: 'replace', value: { active: false } })).body.active).toBe(false);
    expect((await patchUser(emu, 'u-jane', { op: 'replace', value: { active: true } })).body.active).toBe(true);
  });

  it('renames a user by path and a group with {id, displayName} and no path', async () => {
    const emu = await emulator({ seed: seed() });
    const user = await patchUser(emu, 'u-jane', { op: 'replace', path: 'name.givenName', value: 'Janet' }, { op: 'replace', path: 'name.familyName', value: 'Roe' });
    expect(user.body.name).toEqual({ givenName: 'Janet', familyName: 'Roe' });
    const group = await patchGroup(emu, 'g-eng', { op: 'replace', value: { id: 'g-eng', displayName: 'Platform' } });
    expect(group.body).toMatchObject({ id: 'g-eng', displayName: 'Platform' });
    expect(memberIds(group.body)).toEqual(['u-jane']);
    // A different id in the value is an attempt to change an immutable attribute.
    expectScimError(await patchGroup(emu, 'g-eng', { op: 'replace', value: { id: 'other', displayName: 'X' } }), 400, 'mutability');
  });

  it('changes membership with remove-by-filter then add, as one atomic request', async () => {
    const emu = await emulator({ seed: seed() });
    const r = await patchGroup(
      emu,
      'g-eng',
      { op: 'remove', path: 'members[value eq "u-jane"]' },
      { op: 'add', path: 'members', value: [{ value: 'u-bob', display: 'bob@acme.com' }] },
    );
    expect(memberIds(r.body)).toEqual(['u-bob']);
  });
});

describe('Entra forms (scim.md §3.10)', () => {
  it('legacy: capitalised ops, "False"/"True" strings, Remove with a value array, filtered emails path, URN path', async () => {
    const emu = await emulator({ seed: seed() });
    const off = await patchUser(emu, 'u-jane', { op: 'Replace', path: 'active', value: 'False' });
    expect(off.body.active).toBe(false);
    const on = await patchUser(emu, 'u-jane', { op: 'Replace', path: 'active', value: 'True' });
    expect(on.body.active).toBe(true);
    const attrs = await patchUser(
      emu,
      'u-jane',
      { op: 'Add', path: 'nickName', value: 'Babs' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'jane.doe@acme.com' },
      { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: '701984' },
    );
    expect(attrs.body).toMatchObject({ nickName: 'Babs', emails: [{ value: 'jane.doe@acme.com', type: 'work', primary: true }] });
    expect(attrs.body[ENTERPRISE]).toEqual({ employeeNumber: '701984' });
    const g = await patchGroup(emu, 'g-eng', { op: 'Add', path: 'members', value: [{ value: 'u-bob' }] });
    expect(memberIds(g.body)).toEqual(['u-jane', 'u-bob']);
    const removed = await patchGroup(emu, 'g-eng', { op: 'Remove', path: 'members', value: [{ value: 'u-jane', display: 'ignored' }] });
    expect(memberIds(removed.body)).toEqual(['u-bob']);
  });

  it('aadOptscim062020: a no-path replace whose keys are dotted or URN paths', async () => {
    const emu = await emulator({ seed: seed() });
    const r = await patchUser(emu, 'u-jane', {
      op: 'replace',
      value: {
        displayName: 'Jane Q. Doe',
        'name.givenName': 'Jane Q.',
        'name.familyName': 'Doe',
        [`${ENTERPRISE}:employeeNumber`]: '42',
        'urn:ietf:params:scim:schemas:core:2.0:User:title': 'Engineer',
        active: false,
      },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ displayName: 'Jane Q. Doe', name: { givenName: 'Jane Q.', familyName: 'Doe' }, title: 'Engineer', active: false });
    expect(r.body[ENTERPRISE]).toEqual({ employeeNumber: '42' });
  });

  it('with string_booleans off, "False" is refused like SCIMMY does (400 invalidValue)', async () => {
    const emu = await emulator({ seed: seed({ string_booleans: false }) });
    expectScimError(await patchUser(emu, 'u-jane', { op: 'Replace', path: 'active', value: 'False' }), 400, 'invalidValue');
  });
});

describe('errors', () => {
  it('remove without a path → 400 noTarget', async () => {
    const emu = await emulator({ seed: seed() });
    expectScimError(await patchGroup(emu, 'g-eng', { op: 'remove' }), 400, 'noTarget');
    expectScimError(await patchGroup(emu, 'g-eng', { op: 'Remove', value: [{ value: 'u-jane' }] }), 400, 'noTarget');
  });

  it('a value filter on a single-valued attribute → 400 invalidSyntax, with WorkOS wording (§13.6)', async () => {
    const emu = await emulator({ seed: seed() });
    for (const path of ['active[value eq "True"]', 'userName[value eq "jane@acme.com"]', 'displayName[value eq "x"]']) {
      const r = await patchUser(emu, 'u-jane', { op: 'replace', path, value: 'x' });
      expect(expectScimError(r, 400, 'invalidSyntax')).toBe('Invalid SCIM Patch: Impossible to search on a mono valued attribute.');
    }
    expect((await scim(emu, '/Users/u-jane')).body.active).toBe(true);
  });

  it('operations are atomic: a failing operation leaves the resource unchanged', async () => {
    const emu = await emulator({ seed: seed() });
    const before = (await scim(emu, '/Users/u-jane')).body;
    const r = await patchUser(emu, 'u-jane', { op: 'replace', path: 'displayName', value: 'Changed' }, { op: 'add', path: 'noSuchAttribute', value: 1 });
    expectScimError(r, 400, 'invalidPath');
    expect((await scim(emu, '/Users/u-jane')).body).toEqual(before);
    const g = await patchGroup(emu, 'g-eng', { op: 'add', path: 'members', value: [{ value: 'u-bob' }] }, { op: 'remove' });
    expectScimError(g, 400, 'noTarget');
    expect(memberIds((await scim(emu, '/Groups/g-eng')).body)).toEqual(['u-jane']);
  });

  it('a replace whose value filter matches nothing → 400 noTarget (RFC 7644 §3.5.2.3)', async () => {
    const emu = await emulator({ seed: seed() });
    expectScimError(await patchGroup(emu, 'g-eng', { op: 'replace', path: 'members[value eq "u-nobody"]', value: { value: 'u-bob' } }), 400, 'noTarget');
    expectScimError(await patchUser(emu, 'u-jane', { op: 'replace', path: 'emails[type eq "home"].value', value: 'x@home.org' }), 400, 'noTarget');
  });

  it('null values → 400 invalidSyntax; groups on a user → 400 mutability; bad envelopes → 400', async () => {
    const emu = await emulator({ seed: seed() });
    const nul = await patchUser(emu, 'u-jane', { op: 'replace', path: 'externalId', value: null });
    expect(expectScimError(nul, 400, 'invalidSyntax')).toBe("'externalId' is expected string, received null");
    expectScimError(await patchUser(emu, 'u-jane', { op: 'replace', value: { displayName: null } }), 400, 'invalidSyntax');
    expectScimError(await patchUser(emu, 'u-jane', { op: 'add', path: 'groups', value: [{ value: 'g-eng' }] }), 400, 'mutability');
    expectScimError(await scim(emu, '/Users/u-jane', { method: 'PATCH', body: { Operations: [{ op: 'replace', value: { active: false } }] } }), 400, 'invalidSyntax');
    expectScimError(await scim(emu, '/Users/u-jane', { method: 'PATCH', body: patchBody() }), 400, 'invalidValue');
    expectScimError(await patchUser(emu, 'u-jane', { op: 'merge', path: 'displayName', value: 'x' }), 400, 'invalidSyntax');
    expectScimError(await patchUser(emu, 'u-jane', { op: 'add', path: 'displayName' }), 400, 'invalidValue');
    expectScimError(await patchUser(emu, 'u-nobody', { op: 'replace', value: { active: false } }), 404);
  });

  it('the patched user must still be valid: userName required and unique, emails required, active email unique', async () => {
    const emu = await emulator({ seed: seed() });
    expectScimError(await patchUser(emu, 'u-jane', { op: 'remove', path: 'userName' }), 400, 'invalidValue');
    const dup = await patchUser(emu, 'u-jane', { op: 'replace', path: 'userName', value: 'BOB@acme.com' });
    expect(expectScimError(dup, 409, 'uniqueness')).toBe("Another user already exists with this username 'BOB@acme.com'");
    const created = await scim(emu, '/Users', { body: userBody('plain', { emails: [{ value: 'plain@acme.com' }] }) });
    expect(expectScimError(await patchUser(emu, created.body.id, { op: 'remove', path: 'emails' }), 400, 'invalidValue')).toBe(
      'Required attributes missing: emails',
    );
    // Removing the emails of an email-shaped userName backfills them again.
    expect((await patchUser(emu, 'u-jane', { op: 'remove', path: 'emails' })).body.emails).toEqual([
      { primary: true, type: 'work', value: 'jane@acme.com' },
    ]);
    // Reactivating into an address an active user holds is a conflict.
    const other = await scim(emu, '/Users', { body: userBody('jane.other', { emails: [{ value: 'shared@acme.com' }], active: false }) });
    await scim(emu, '/Users', { body: userBody('shared-holder', { emails: [{ value: 'shared@acme.com' }] }) });
    expectScimError(await patchUser(emu, other.body.id, { op: 'replace', value: { active: true } }), 409, 'uniqueness');
  });

  it('group members: an empty value is a 400; unknown ids are dropped silently', async () => {
    const emu = await emulator({ seed: seed() });
    expectScimError(await patchGroup(emu, 'g-eng', { op: 'add', path: 'members', value: [{ value: '' }] }), 400, 'invalidValue');
    const r = await patchGroup(emu, 'g-eng', { op: 'add', path: 'members', value: [{ value: 'u-ghost' }, { value: 'u-bob' }] });
    expect(r.status).toBe(200);
    expect(memberIds(r.body)).toEqual(['u-jane', 'u-bob']);
    expectScimError(await patchGroup(emu, 'g-eng', { op: 'replace', path: 'displayName', value: '' }), 400, 'invalidValue');
  });
});
