// SCIM Groups (reference §13.5; scim.md §3.17): displayName required, identity = externalId else displayName and
// sticky across renames (409 on collision), unknown members dropped, empty member values refused, filters, paging,
// replace, delete, and a deleted user leaving every group.

import { describe, expect, it } from 'vitest';
import { emulator } from './helpers.js';
import { expectScimError, GROUP_SCHEMA, patchBody, scim, SCIM_BASE, scimSeed, UUID } from './scim-helpers.js';

const users = [
  { userName: 'jane@acme.com', id: 'u-jane' },
  { userName: 'bob@acme.com', id: 'u-bob' },
];

const groupBody = (displayName: string | undefined, extra: Record<string, unknown> = {}) => ({
  schemas: [GROUP_SCHEMA],
  ...(displayName !== undefined && { displayName }),
  ...extra,
});

describe('create, read, replace, delete', () => {
  it('POST answers 201 with Location; members carry display, $ref and type; unknown ids are dropped', async () => {
    const emu = await emulator({ seed: scimSeed({ users }) });
    const r = await scim(emu, '/Groups', {
      body: groupBody('Engineering', { externalId: 'eng', members: [{ value: 'u-jane' }, { value: 'u-ghost' }, { value: 'u-jane' }] }),
    });
    expect(r.status).toBe(201);
    expect(r.body.id).toMatch(UUID);
    expect(r.headers.get('location')).toBe(`${emu.url}${SCIM_BASE}/Groups/${r.body.id}`);
    expect(r.body).toMatchObject({ schemas: [GROUP_SCHEMA], displayName: 'Engineering', externalId: 'eng', meta: { resourceType: 'Group' } });
    expect(r.body.members).toEqual([
      { value: 'u-jane', display: 'jane@acme.com', $ref: `${emu.url}${SCIM_BASE}/Users/u-jane`, type: 'User' },
    ]);
    expect((await scim(emu, `/Groups/${r.body.id}`)).body).toEqual(r.body);
    // Okta's group push: no members at all.
    const empty = await scim(emu, '/Groups', { body: groupBody('Empty', { members: [] }) });
    expect(empty.body.members).toEqual([]);
  });

  it("displayName is required → 400 invalidValue \"'displayName' is required\"; an empty member value → 400", async () => {
    const emu = await emulator({ seed: scimSeed({ users }) });
    for (const body of [groupBody(undefined), groupBody('  ')]) {
      expect(expectScimError(await scim(emu, '/Groups', { body }), 400, 'invalidValue')).toBe("'displayName' is required");
    }
    expectScimError(await scim(emu, '/Groups', { body: groupBody('X', { members: [{ value: '' }] }) }), 400, 'invalidValue');
    expectScimError(await scim(emu, '/Groups', { body: groupBody('X', { members: [{ display: 'no value' }] }) }), 400, 'invalidValue');
    expectScimError(await scim(emu, '/Groups', { body: groupBody('X', { externalId: null }) }), 400, 'invalidSyntax');
    expectScimError(await scim(emu, '/Groups', { body: groupBody('X', { members: 'u-jane' }) }), 400, 'invalidSyntax');
  });

  it('identity is externalId, else displayName; sticky across renames; a collision is a 409', async () => {
    const emu = await emulator({ seed: scimSeed({ users }) });
    const byName = await scim(emu, '/Groups', { body: groupBody('Sales') });
    const dupName = await scim(emu, '/Groups', { body: groupBody('Sales') });
    expect(expectScimError(dupName, 409, 'uniqueness')).toBe("Another group already exists with this ID 'Sales'");
    // Same displayName but its own externalId: a different identity.
    expect((await scim(emu, '/Groups', { body: groupBody('Sales', { externalId: 'sales-emea' }) })).status).toBe(201);
    expectScimError(await scim(emu, '/Groups', { body: groupBody('Other', { externalId: 'sales-emea' }) }), 409, 'uniqueness');
    // Rename the first: its identity stays 'Sales', so 'Sales' is still taken and the new name is free.
    await scim(emu, `/Groups/${byName.body.id}`, { method: 'PATCH', body: patchBody({ op: 'replace', path: 'displayName', value: 'Revenue' }) });
    expectScimError(await scim(emu, '/Groups', { body: groupBody('Sales') }), 409, 'uniqueness');
    expect((await scim(emu, '/Groups', { body: groupBody('Revenue') })).status).toBe(201);
    const state = (await emu.store.scim!.groups.get(byName.body.id))!;
    expect(state.identity).toBe('Sales');
  });

  it('PUT replaces displayName and members by id (404 on a miss); DELETE answers 204 then 404', async () => {
    const emu = await emulator({ seed: scimSeed({ users, groups: [{ displayName: 'Eng', id: 'g-eng', members: ['jane@acme.com'] }] }) });
    const r = await scim(emu, '/Groups/g-eng', { method: 'PUT', body: groupBody('Engineering', { members: [{ value: 'u-bob' }, { value: 'u-x' }] }) });
    expect(r.body).toMatchObject({ id: 'g-eng', displayName: 'Engineering' });
    expect(r.body.members.map((m: any) => m.value)).toEqual(['u-bob']);
    expectScimError(await scim(emu, '/Groups/nope', { method: 'PUT', body: groupBody('X') }), 404);
    expect((await scim(emu, '/Groups/g-eng', { method: 'DELETE' })).status).toBe(204);
    expectScimError(await scim(emu, '/Groups/g-eng'), 404);
    expectScimError(await scim(emu, '/Groups/g-eng', { method: 'DELETE' }), 404);
    expectScimError(await scim(emu, '/Groups/g-eng', { method: 'PATCH', body: patchBody({ op: 'replace', path: 'displayName', value: 'Y' }) }), 404);
  });

  it('deleting a user removes it from every group', async () => {
    const emu = await emulator({
      seed: scimSeed({ users, groups: [{ displayName: 'A', id: 'g-a', members: ['jane@acme.com', 'bob@acme.com'] }, { displayName: 'B', id: 'g-b', members: ['jane@acme.com'] }] }),
    });
    expect((await scim(emu, '/Users/u-jane', { method: 'DELETE' })).status).toBe(204);
    expect((await scim(emu, '/Groups/g-a')).body.members.map((m: any) => m.value)).toEqual(['u-bob']);
    expect((await scim(emu, '/Groups/g-b')).body.members).toEqual([]);
  });
});

describe('listing and filters', () => {
  const groups = [
    { displayName: 'Engineering', externalId: 'eng', members: ['jane@acme.com'] },
    { displayName: 'Sales', members: ['bob@acme.com'] },
    { displayName: 'Support' },
  ];

  it('displayName eq ignores case, externalId eq is exact, members[value eq …] finds a user’s groups', async () => {
    const emu = await emulator({ seed: scimSeed({ users, groups }) });
    const names = async (filter: string) =>
      (await scim(emu, `/Groups?filter=${encodeURIComponent(filter)}`)).body.Resources.map((g: any) => g.displayName);
    expect(await names('displayName eq "engineering"')).toEqual(['Engineering']);
    expect(await names('externalId eq "ENG"')).toEqual([]);
    expect(await names('members[value eq "u-bob"]')).toEqual(['Sales']);
    expect(await names('members[value pr] and displayName sw "E"')).toEqual(['Engineering']);
    expect(await names('displayName sw "s"')).toEqual(['Sales', 'Support']);
    const miss = await scim(emu, `/Groups?filter=${encodeURIComponent('displayName eq "Nope"')}`);
    expect(miss.body).toMatchObject({ totalResults: 0, Resources: [] });
    expectScimError(await scim(emu, `/Groups?filter=${encodeURIComponent('userName eq "x"')}`), 400, 'invalidFilter');
    // `pr` on a complex attribute itself is not supported (SCIMMY cannot parse it): use a sub-attribute.
    expectScimError(await scim(emu, `/Groups?filter=${encodeURIComponent('members pr')}`), 400, 'invalidFilter');
  });

  it('pages by startIndex and count; excludedAttributes=members (Entra) drops the members', async () => {
    const emu = await emulator({ seed: scimSeed({ users, groups, max_count: 2 }) });
    const first = await scim(emu, '/Groups?count=5');
    expect(first.body).toMatchObject({ totalResults: 3, startIndex: 1, itemsPerPage: 2 });
    const second = await scim(emu, '/Groups?startIndex=3&count=2');
    expect(second.body.Resources.map((g: any) => g.displayName)).toEqual(['Support']);
    const lean = await scim(emu, '/Groups?excludedAttributes=members');
    expect(lean.body.Resources.every((g: any) => g.members === undefined && typeof g.displayName === 'string')).toBe(true);
    expect((await scim(emu, `/Groups/${first.body.Resources[0].id}?excludedAttributes=members`)).body.members).toBeUndefined();
  });
});
