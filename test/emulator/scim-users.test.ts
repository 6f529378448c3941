// SCIM Users (reference §13.3, §13.4; scim.md §3.2–§3.7, §3.17): create, read, replace, delete, the WorkOS
// validations one by one, paging by startIndex with a server cap, and filters.

import { describe, expect, it } from 'vitest';
import { emulator } from './helpers.js';
import { expectScimError, scim, SCIM_BASE, scimSeed, USER_SCHEMA, userBody, UUID } from './scim-helpers.js';

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

describe('create and read', () => {
  it('POST answers 201 with Location, id and meta; GET reads it back; readOnly input is ignored', async () => {
    const emu = await emulator({ seed: scimSeed() });
    const body = userBody('jane@acme.com', {
      externalId: '00u1abcd',
      name: { givenName: 'Jane', familyName: 'Smith' },
      emails: [{ primary: true, value: 'jane@acme.com', type: 'work' }],
      active: true,
      id: 'client-chosen-id',
      groups: [],
      password: 'hunter2',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'R&D' },
    });
    const r = await scim(emu, '/Users', { body });
    expect(r.status).toBe(201);
    expect(r.body.id).toMatch(UUID);
    expect(r.headers.get('location')).toBe(`${emu.url}${SCIM_BASE}/Users/${r.body.id}`);
    expect(r.body).toMatchObject({
      userName: 'jane@acme.com',
      externalId: '00u1abcd',
      name: { givenName: 'Jane', familyName: 'Smith' },
      active: true,
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'R&D' },
      meta: { resourceType: 'User', location: r.headers.get('location') },
    });
    expect(r.body.schemas).toContain(USER_SCHEMA);
    expect(r.body.meta.created).toBe(r.body.meta.lastModified);
    expect(r.body.password).toBeUndefined();
    expect(r.body.groups).toBeUndefined();
    const got = await scim(emu, `/Users/${r.body.id}`);
    expect(got.body).toEqual(r.body);
    expectScimError(await scim(emu, '/Users/client-chosen-id'), 404);
  });

  it('defaults active to true and backfills emails from an email-shaped userName (§13.4)', async () => {
    const emu = await emulator({ seed: scimSeed() });
    const r = await scim(emu, '/Users', { body: userBody('Solo@Acme.com') });
    expect(r.status).toBe(201);
    expect(r.body.active).toBe(true);
    expect(r.body.emails).toEqual([{ primary: true, type: 'work', value: 'Solo@Acme.com' }]);
  });
});

describe('WorkOS validations (§13.4, scim.md §3.17)', () => {
  it("userName is required and non-blank → 400 invalidValue \"'userName' is required\"", async () => {
    const emu = await emulator({ seed: scimSeed() });
    for (const body of [{ schemas: [USER_SCHEMA], emails: [{ value: 'a@acme.com' }] }, userBody('   ', { emails: [{ value: 'a@acme.com' }] })]) {
      expect(expectScimError(await scim(emu, '/Users', { body }), 400, 'invalidValue')).toBe("'userName' is required");
    }
  });

  it('userName is unique ignoring case → 409 uniqueness naming it', async () => {
    const emu = await emulator({ seed: scimSeed({ users: [{ userName: 'jane@acme.com' }] }) });
    const detail = expectScimError(await scim(emu, '/Users', { body: userBody('JANE@acme.com', { emails: [{ value: 'other@acme.com' }] }) }), 409, 'uniqueness');
    expect(detail).toBe("Another user already exists with this username 'JANE@acme.com'");
  });

  it('a usable email is required unless userName is an email → 400 "Required attributes missing: emails"', async () => {
    const emu = await emulator({ seed: scimSeed() });
    for (const emails of [undefined, [], [{ value: '  ' }], [{ type: 'work' }]]) {
      const body = userBody('jsmith', emails === undefined ? {} : { emails });
      expect(expectScimError(await scim(emu, '/Users', { body }), 400, 'invalidValue')).toBe('Required attributes missing: emails');
    }
    // A malformed address is accepted (stored without a primary email).
    expect((await scim(emu, '/Users', { body: userBody('jsmith', { emails: [{ value: 'not-an-email' }] }) })).status).toBe(201);
  });

  it('no two active users share an email (409); an inactive user frees the address', async () => {
    const emu = await emulator({ seed: scimSeed({ users: [{ userName: 'jane', emails: ['jane@acme.com'] }, { userName: 'old', emails: ['old@acme.com'], active: false }] }) });
    const dup = await scim(emu, '/Users', { body: userBody('jane2', { emails: [{ value: 'JANE@acme.com', primary: true }] }) });
    expect(expectScimError(dup, 409, 'uniqueness')).toBe("Another user already exists with this email 'JANE@acme.com'");
    expect((await scim(emu, '/Users', { body: userBody('jane3', { emails: [{ value: 'jane@acme.com' }], active: false }) })).status).toBe(201);
    expect((await scim(emu, '/Users', { body: userBody('old2', { emails: [{ value: 'old@acme.com' }] }) })).status).toBe(201);
  });

  it("active must be a JSON boolean on create and replace → 400 invalidSyntax \"'active' is expected boolean, received string\"", async () => {
    const emu = await emulator({ seed: scimSeed({ users: [{ userName: 'a@acme.com', id: 'u-a' }] }) });
    const created = await scim(emu, '/Users', { body: userBody('b@acme.com', { active: 'true' }) });
    expect(expectScimError(created, 400, 'invalidSyntax')).toBe("'active' is expected boolean, received string");
    const replaced = await scim(emu, '/Users/u-a', { method: 'PUT', body: userBody('a@acme.com', { active: 'False' }) });
    expect(expectScimError(replaced, 400, 'invalidSyntax')).toBe("'active' is expected boolean, received string");
    const emails = await scim(emu, '/Users', { body: userBody('c@acme.com', { emails: [{ value: 42 }] }) });
    expect(expectScimError(emails, 400, 'invalidSyntax')).toBe("'emails.value' is expected string, received number");
    const name = await scim(emu, '/Users', { body: userBody('d@acme.com', { name: { givenName: ['D'] } }) });
    expect(expectScimError(name, 400, 'invalidSyntax')).toBe("'name.givenName' is expected string, received array");
  });

  it("null values → 400 invalidSyntax \"'<attr>' is expected string, received null\"", async () => {
    const emu = await emulator({ seed: scimSeed() });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ externalId: null }, "'externalId' is expected string, received null"],
      [{ active: null }, "'active' is expected boolean, received null"],
      [{ name: { familyName: null } }, "'name.familyName' is expected string, received null"],
      [{ nickname: null }, "'nickName' is expected string, received null"],
      [{ costCentre: null }, "'costCentre' is expected string, received null"],
    ];
    for (const [extra, detail] of cases) {
      expect(expectScimError(await scim(emu, '/Users', { body: userBody('n@acme.com', extra) }), 400, 'invalidSyntax')).toBe(detail);
    }
  });

  it('creating with active:false is a bare 400 when soft_delete is off, a 201 when on (the default)', async () => {
    const off = await emulator({ seed: scimSeed({ soft_delete: false }) });
    const r = await scim(off, '/Users', { body: userBody('x@acme.com', { active: false }) });
    expect(r.status).toBe(400);
    expect(r.text).toBe('');
    const on = await emulator({ seed: scimSeed() });
    const ok = await scim(on, '/Users', { body: userBody('x@acme.com', { active: false }) });
    expect(ok.status).toBe(201);
    expect(ok.body.active).toBe(false);
  });
});

describe('replace and delete', () => {
  it('PUT replaces every attribute, strictly by id (404 on a miss, no upsert)', async () => {
    const emu = await emulator({
      seed: scimSeed({ users: [{ userName: 'a@acme.com', id: 'u-a', externalId: 'ext-a', displayName: 'A' }, { userName: 'b@acme.com', id: 'u-b' }] }),
    });
    const r = await scim(emu, '/Users/u-a', { method: 'PUT', body: userBody('a@acme.com', { name: { givenName: 'Ann' }, id: 'ignored' }) });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: 'u-a', userName: 'a@acme.com', name: { givenName: 'Ann' }, active: true });
    expect(r.body.externalId).toBeUndefined();
    expect(r.body.displayName).toBeUndefined();
    expectScimError(await scim(emu, '/Users/nope', { method: 'PUT', body: userBody('z@acme.com') }), 404);
    expect((await scim(emu, '/Users')).body.totalResults).toBe(2);
    // A replace into another user's userName is a conflict; its own (any case) is not.
    expectScimError(await scim(emu, '/Users/u-a', { method: 'PUT', body: userBody('B@acme.com', { emails: [{ value: 'q@acme.com' }] }) }), 409, 'uniqueness');
    expect((await scim(emu, '/Users/u-a', { method: 'PUT', body: userBody('A@ACME.com') })).status).toBe(200);
    expect(expectScimError(await scim(emu, '/Users/u-a', { method: 'PUT', body: userBody('plain') }), 400, 'invalidSyntax')).toBe(
      'Required attributes missing: emails',
    );
  });

  it('DELETE answers 204, then 404 to every operation on that id', async () => {
    const emu = await emulator({ seed: scimSeed({ users: [{ userName: 'a@acme.com', id: 'u-a' }] }) });
    const r = await scim(emu, '/Users/u-a', { method: 'DELETE' });
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expectScimError(await scim(emu, '/Users/u-a'), 404);
    expectScimError(await scim(emu, '/Users/u-a', { method: 'DELETE' }), 404);
    expectScimError(await scim(emu, '/Users/u-a', { method: 'PUT', body: userBody('a@acme.com') }), 404);
    expectScimError(await scim(emu, '/Users/u-a', { method: 'PATCH', body: { schemas: [], Operations: [] } }), 404);
    // The userName is free again.
    expect((await scim(emu, '/Users', { body: userBody('a@acme.com') })).status).toBe(201);
  });
});

describe('listing (RFC 7644 §3.4.2, §3.4.2.4)', () => {
  const users = Array.from({ length: 7 }, (_, i) => ({ userName: `user${i + 1}@acme.com` }));

  it('pages by startIndex and count; the server caps count at max_count', async () => {
    const emu = await emulator({ seed: scimSeed({ users, max_count: 3, default_count: 2 }) });
    const first = await scim(emu, '/Users');
    expect(first.body).toMatchObject({ schemas: [LIST], totalResults: 7, startIndex: 1, itemsPerPage: 2 });
    expect(first.body.Resources.map((u: any) => u.userName)).toEqual(['user1@acme.com', 'user2@acme.com']);
    // A client loop: startIndex += Resources.length until past totalResults, whatever count it asked for.
    const seen: string[] = [];
    let start = 1;
    for (let i = 0; i < 20 && start <= 7; i++) {
      const page = await scim(emu, `/Users?startIndex=${start}&count=100`);
      expect(page.body.itemsPerPage).toBe(page.body.Resources.length);
      expect(page.body.Resources.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.Resources.map((u: any) => u.userName));
      start += page.body.Resources.length;
    }
    expect(seen).toEqual(users.map((u) => u.userName));
    const last = await scim(emu, '/Users?startIndex=7&count=3');
    expect(last.body).toMatchObject({ totalResults: 7, startIndex: 7, itemsPerPage: 1 });
    const past = await scim(emu, '/Users?startIndex=50');
    expect(past.body).toMatchObject({ totalResults: 7, itemsPerPage: 0, Resources: [] });
  });

  it('count=0 returns only totalResults; startIndex < 1 reads as 1; a negative count as 0; garbage is a 400', async () => {
    const emu = await emulator({ seed: scimSeed({ users }) });
    expect((await scim(emu, '/Users?count=0')).body).toMatchObject({ totalResults: 7, itemsPerPage: 0, Resources: [] });
    expect((await scim(emu, '/Users?count=-5')).body.itemsPerPage).toBe(0);
    const zero = await scim(emu, '/Users?startIndex=0&count=1');
    expect(zero.body.startIndex).toBe(1);
    expect(zero.body.Resources[0].userName).toBe('user1@acme.com');
    expect((await scim(emu, '/Users')).body.itemsPerPage).toBe(7); // default page 100
    expectScimError(await scim(emu, '/Users?count=ten'), 400, 'invalidValue');
  });

  it('attributes and excludedAttributes select top-level attributes; id and schemas always come back', async () => {
    const emu = await emulator({ seed: scimSeed({ users: [{ userName: 'a@acme.com', name: { givenName: 'A' } }] }) });
    const only = (await scim(emu, '/Users?attributes=userName')).body.Resources[0];
    expect(Object.keys(only).sort()).toEqual(['id', 'schemas', 'userName']);
    const without = (await scim(emu, '/Users?excludedAttributes=emails,name')).body.Resources[0];
    expect(without.emails).toBeUndefined();
    expect(without.name).toBeUndefined();
    expect(without.userName).toBe('a@acme.com');
  });
});

describe('filters (RFC 7644 §3.4.2.2 with SCIMMY)', () => {
  const seed = scimSeed({
    users: [
      { userName: 'Alice@Acme.com', externalId: 'Ext-1', displayName: 'Alice Archer', emails: [{ value: 'alice@acme.com', type: 'work' }] },
      { userName: 'bob@acme.com', externalId: 'ext-2', emails: [{ value: 'bob@home.org', type: 'home' }], active: false },
      { userName: 'carol@other.com', displayName: 'Carol' },
    ],
  });
  const names = async (emu: Awaited<ReturnType<typeof emulator>>, filter: string): Promise<string[]> => {
    const r = await scim(emu, `/Users?filter=${encodeURIComponent(filter)}`);
    expect(r.status).toBe(200);
    expect(r.body.totalResults).toBe(r.body.Resources.length);
    return r.body.Resources.map((u: any) => u.userName);
  };

  it('userName eq ignores case; externalId eq is exact; displayName eq ignores case', async () => {
    const emu = await emulator({ seed });
    expect(await names(emu, 'userName eq "alice@acme.com"')).toEqual(['Alice@Acme.com']);
    expect(await names(emu, 'UserName EQ "BOB@ACME.COM"')).toEqual(['bob@acme.com']);
    expect(await names(emu, 'externalId eq "Ext-1"')).toEqual(['Alice@Acme.com']);
    expect(await names(emu, 'externalId eq "ext-1"')).toEqual([]);
    expect(await names(emu, 'displayName eq "alice archer"')).toEqual(['Alice@Acme.com']);
  });

  it('a miss is a 200 with totalResults 0', async () => {
    const emu = await emulator({ seed });
    const r = await scim(emu, `/Users?filter=${encodeURIComponent('userName eq "nobody@acme.com"')}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ schemas: [LIST], totalResults: 0, Resources: [] });
  });

  it('and, or, not, co, sw, ew, pr, value paths and booleans', async () => {
    const emu = await emulator({ seed });
    expect(await names(emu, 'userName sw "a" or userName ew "other.com"')).toEqual(['Alice@Acme.com', 'carol@other.com']);
    expect(await names(emu, 'userName co "ACME" and active eq true')).toEqual(['Alice@Acme.com']);
    expect(await names(emu, 'externalId pr')).toEqual(['Alice@Acme.com', 'bob@acme.com']);
    expect(await names(emu, 'not (externalId pr)')).toEqual(['carol@other.com']);
    expect(await names(emu, 'emails[type eq "home"]')).toEqual(['bob@acme.com']);
    expect(await names(emu, 'emails.value ew "@ACME.com"')).toEqual(['Alice@Acme.com']);
    expect(await names(emu, 'active eq false')).toEqual(['bob@acme.com']);
    expect(await names(emu, '(userName sw "a" or userName sw "b") and active eq true')).toEqual(['Alice@Acme.com']);
    expect(await names(emu, 'userName ne "bob@acme.com"')).toEqual(['Alice@Acme.com', 'carol@other.com']);
  });

  it('unsupported or malformed filters are a 400 invalidFilter', async () => {
    const emu = await emulator({ seed });
    for (const filter of [
      'userName gt "a"',
      'title eq "x"',
      'userName eq',
      'userName zz "a"',
      '(userName eq "a"',
      'emails pr',
      'active co "t"',
      'not (userName eq "a" and active eq true)',
      'userName eq 5',
    ]) {
      expectScimError(await scim(emu, `/Users?filter=${encodeURIComponent(filter)}`), 400, 'invalidFilter');
    }
  });
});
