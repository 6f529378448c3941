// The SCIM client against scripted responses (nock): exact requests of every strict form, error decoding,
// write safety (409 → lookup, 404 on DELETE, noTarget on remove), 429, stats and secrets.

import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, MalformedResponseError } from '../../src/errors.js';
import type { RequestEvent } from '../../src/clients/pipeline.js';
import type { ScimClient } from '../../src/clients/scim.js';
import { AmbiguousMatchError } from '../../src/clients/scim-find.js';
import { ListingChangedError } from '../../src/clients/scim-paginate.js';
import { SCIM_SCHEMAS, type ScimUserCreate } from '../../src/clients/wire.js';
import { readScim } from '../../src/live/scim.js';
import {
  api,
  expectNoSecret,
  FAKE_TOKEN,
  recordTo,
  rejectionOf,
  SCIM_KEY,
  SCIM_PREFIX,
  testScimClient,
  type Recorded,
} from './helpers.js';

const USERS = `${SCIM_PREFIX}/Users`;
const GROUPS = `${SCIM_PREFIX}/Groups`;
const SCIM_JSON = { 'content-type': 'application/scim+json' };

let clients: ScimClient[] = [];
function client(over: Parameters<typeof testScimClient>[0] = {}) {
  const c = testScimClient(over);
  clients.push(c.client);
  return c;
}

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

function user(id: string, userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [SCIM_SCHEMAS.user], id, userName, active: true, ...extra };
}
function group(id: string, displayName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [SCIM_SCHEMAS.group], id, displayName, members: [], ...extra };
}
function list(resources: unknown[], totalResults: number, startIndex = 1, itemsPerPage = 100): Record<string, unknown> {
  return { schemas: [SCIM_SCHEMAS.listResponse], totalResults, startIndex, itemsPerPage, Resources: resources };
}
function scimError(status: string | number, scimType: string | undefined, detail: string): Record<string, unknown> {
  return { schemas: [SCIM_SCHEMAS.error], status, ...(scimType ? { scimType } : {}), detail };
}
const PATCH_OP = SCIM_SCHEMAS.patchOp;

describe('transport (§13.3, scim.md §3.1)', () => {
  it('keeps the directory path, sends a bearer token and SCIM media types, and no Admin API headers', async () => {
    const log: Recorded[] = [];
    api().post(USERS).reply(recordTo(log, 201, user('u1', 'alice@acme.test'), SCIM_JSON));
    api().get(`${USERS}/u1`).reply(recordTo(log, 200, user('u1', 'alice@acme.test'), { 'content-type': 'text/json' }));
    const { client: c } = client();
    await c.createUser({ userName: 'alice@acme.test' });
    await c.getUser('u1');
    expect(log.map((r) => `${r.method} ${r.uri}`)).toEqual([`POST ${USERS}`, `GET ${USERS}/u1`]);
    for (const r of log) {
      expect(r.headers['authorization']).toBe(`Bearer ${FAKE_TOKEN}`);
      expect(r.headers['accept']).toBe('application/scim+json, application/json');
      expect(r.headers['anthropic-version']).toBeUndefined();
      expect(r.headers['x-api-key']).toBeUndefined();
    }
    expect(log[0]!.headers['content-type']).toBe('application/scim+json');
    expect(log[1]!.headers['content-type']).toBeUndefined();
  });
});

describe('strict request bodies (scim.md "Top pitfalls — Client" item 4)', () => {
  it('createUser: schemas first, no nulls, boolean active', async () => {
    const log: Recorded[] = [];
    api().post(USERS).reply(recordTo(log, 201, user('u1', 'alice@acme.test')));
    const { client: c } = client();
    const input = {
      userName: 'alice@acme.test',
      externalId: null,
      name: { givenName: 'Alice', familyName: null },
      emails: [{ value: 'alice@acme.test', type: 'work', primary: true }, null],
      active: true,
      displayName: undefined,
    } as unknown as ScimUserCreate;
    await c.createUser(input);
    expect(log[0]!.body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'alice@acme.test',
      name: { givenName: 'Alice' },
      emails: [{ value: 'alice@acme.test', type: 'work', primary: true }],
      active: true,
    });
    expect(Object.keys(log[0]!.body as object)[0]).toBe('schemas');
    expect(JSON.stringify(log[0]!.body)).not.toContain('null');
  });

  it('refuses bad input before sending anything', async () => {
    const { client: c } = client();
    await expect(c.createUser({ userName: ' ' })).rejects.toThrow(TypeError);
    await expect(c.createUser({ userName: 'a@b.c', active: 'False' as unknown as boolean })).rejects.toThrow(TypeError);
    await expect(c.createGroup({ displayName: '' })).rejects.toThrow(TypeError);
    await expect(c.setUserActive('u1', 'false' as unknown as boolean)).rejects.toThrow(TypeError);
    expect(c.stats.requests).toBe(0);
  });

  it('setUserActive: replace path active with a JSON boolean; 200 gives the user, 204 gives null', async () => {
    const log: Recorded[] = [];
    api().patch(`${USERS}/u1`).reply(recordTo(log, 200, user('u1', 'alice@acme.test', { active: false })));
    api().patch(`${USERS}/u1`).reply(recordTo(log, 204, ''));
    const { client: c } = client();
    expect((await c.setUserActive('u1', false))?.active).toBe(false);
    expect(await c.setUserActive('u1', true)).toBeNull();
    expect(log.map((r) => r.body)).toEqual([
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] },
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: true }] },
    ]);
    expect(log[0]!.headers['content-type']).toBe('application/scim+json');
  });

  it('createGroup, renameGroup, addGroupMembers, removeGroupMember: exact forms', async () => {
    const log: Recorded[] = [];
    api().post(GROUPS).reply(recordTo(log, 201, group('g1', 'Eng', { externalId: 'eng' })));
    api().post(GROUPS).reply(recordTo(log, 201, group('g2', 'Ops')));
    api().patch(`${GROUPS}/g1`).times(3).reply(recordTo(log, 204, ''));
    const { client: c } = client();
    await c.createGroup({ displayName: 'Eng', externalId: 'eng', members: ['u1', 'u2'] });
    await c.createGroup({ displayName: 'Ops' });
    expect(await c.renameGroup('g1', 'Engineering')).toBeNull();
    await c.addGroupMembers('g1', ['u3', 'u4']);
    await c.removeGroupMember('g1', 'u"5\\x');
    expect(log.map((r) => `${r.method} ${r.uri}`)).toEqual([
      `POST ${GROUPS}`,
      `POST ${GROUPS}`,
      `PATCH ${GROUPS}/g1`,
      `PATCH ${GROUPS}/g1`,
      `PATCH ${GROUPS}/g1`,
    ]);
    expect(log.map((r) => r.body)).toEqual([
      { schemas: [SCIM_SCHEMAS.group], displayName: 'Eng', externalId: 'eng', members: [{ value: 'u1' }, { value: 'u2' }] },
      { schemas: [SCIM_SCHEMAS.group], displayName: 'Ops' },
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Engineering' }] },
      { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: 'u3' }, { value: 'u4' }] }] },
      { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'members[value eq "u\\"5\\\\x"]' }] },
    ]);
  });

  it('addGroupMembers with no ids sends nothing', async () => {
    const { client: c } = client();
    expect(await c.addGroupMembers('g1', [])).toBeNull();
    expect(c.stats.requests).toBe(0);
  });

  it('PATCH 200 returns the group as sent back', async () => {
    api()
      .patch(`${GROUPS}/g1`)
      .reply(200, group('g1', 'Eng', { members: [{ value: 'u1', display: 'alice@acme.test' }] }));
    const { client: c } = client();
    expect((await c.addGroupMembers('g1', ['u1']))?.members).toEqual([{ value: 'u1', display: 'alice@acme.test' }]);
  });
});

describe('DELETE (RFC 7644 §3.6: 204; a deleted resource is 404)', () => {
  it('204 is deleted; 404 is already gone, for users and groups', async () => {
    api().delete(`${USERS}/u1`).reply(204, '');
    api().delete(`${USERS}/u2`).reply(404, scimError('404', undefined, 'Resource u2 not found'), SCIM_JSON);
    api().delete(`${GROUPS}/g1`).reply(204, '');
    api().delete(`${GROUPS}/g2`).reply(404, 'Not Found', { 'content-type': 'text/plain' });
    const { client: c } = client();
    expect(await c.deleteUser('u1')).toEqual({ id: 'u1', alreadyGone: false });
    expect(await c.deleteUser('u2')).toEqual({ id: 'u2', alreadyGone: true });
    expect(await c.deleteGroup('g1')).toEqual({ id: 'g1', alreadyGone: false });
    expect(await c.deleteGroup('g2')).toEqual({ id: 'g2', alreadyGone: true });
    expect(c.stats.byRoute).toEqual({ 'DELETE /Users/{id}': 2, 'DELETE /Groups/{id}': 2 });
  });

  it('a 404 after a 5xx retry is also done', async () => {
    api().delete(`${USERS}/u1`).reply(503, scimError('503', undefined, 'busy'));
    api().delete(`${USERS}/u1`).reply(404, scimError(404, undefined, 'gone'));
    const { client: c } = client();
    expect(await c.deleteUser('u1')).toEqual({ id: 'u1', alreadyGone: true });
  });
});

describe('pagination (RFC 7644 §3.4.2.4; scim.md §3.3)', () => {
  it('advances startIndex by Resources.length under a server cap, never trusting itemsPerPage', async () => {
    const log: Recorded[] = [];
    // asked for 100, the server caps at 2 and still reports itemsPerPage 100 (SCIMMY-style)
    api().get(USERS).query(true).reply(recordTo(log, 200, list([user('u1', 'a@x'), user('u2', 'b@x')], 5, 1, 100)));
    api().get(USERS).query(true).reply(recordTo(log, 200, list([user('u3', 'c@x'), user('u4', 'd@x')], 5, 3, 100)));
    api().get(USERS).query(true).reply(recordTo(log, 200, list([user('u5', 'e@x')], 5, 5, 100)));
    const { client: c } = client();
    expect((await c.listAllUsers()).map((u) => u.id)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    expect(log.map((r) => r.uri)).toEqual([
      `${USERS}?startIndex=1&count=100`,
      `${USERS}?startIndex=3&count=100`,
      `${USERS}?startIndex=5&count=100`,
    ]);
    expect(c.stats.pages).toEqual({ 'GET /Users': 3 });
    expect(c.stats.listings).toEqual({ 'GET /Users': 1 });
  });

  it('uses the configured page size, or a per-call count, and reads on past short pages', async () => {
    const log: Recorded[] = [];
    api().get(GROUPS).query(true).reply(recordTo(log, 200, list([group('g1', 'A')], 3, 1, 500)));
    api().get(GROUPS).query(true).reply(recordTo(log, 200, list([group('g2', 'B'), group('g3', 'C')], 3, 2, 500)));
    api().get(GROUPS).query(true).reply(recordTo(log, 200, list([group('g1', 'A')], 1, 1, 7)));
    const { client: c } = client({ pageSize: 500 });
    expect((await c.listAllGroups({ excludeMembers: true })).map((g) => g.id)).toEqual(['g1', 'g2', 'g3']);
    await c.listAllGroups({ count: 7 });
    expect(log.map((r) => r.uri)).toEqual([
      `${GROUPS}?excludedAttributes=members&startIndex=1&count=500`,
      `${GROUPS}?excludedAttributes=members&startIndex=2&count=500`,
      `${GROUPS}?startIndex=1&count=7`,
    ]);
  });

  it('an empty result may omit Resources; counts may come as numeric strings', async () => {
    api().get(USERS).query(true).reply(200, { schemas: [SCIM_SCHEMAS.listResponse], totalResults: 0 });
    api().get(GROUPS).query(true).reply(200, { totalResults: '1', startIndex: '1', itemsPerPage: '100', Resources: [group('g1', 'A')] });
    const { client: c } = client();
    expect(await c.listAllUsers()).toEqual([]);
    expect((await c.listAllGroups()).map((g) => g.id)).toEqual(['g1']);
  });

  it.each([
    ['an empty page before totalResults is reached', [list([user('u1', 'a@x')], 3), list([], 3, 2)], /empty page at startIndex 2/],
    ['a totalResults that changes between pages', [list([user('u1', 'a@x')], 2), list([user('u2', 'b@x')], 3, 2)], /totalResults changed from 2 to 3/],
    ['a page that repeats an earlier item (startIndex ignored)', [list([user('u1', 'a@x')], 2), list([user('u1', 'a@x')], 2, 1)], /came back on a later page/],
    ['more items than totalResults', [list([user('u1', 'a@x'), user('u2', 'b@x')], 1)], /goes past totalResults 1/],
  ])('refuses %s', async (_name, pages, message) => {
    for (const p of pages) api().get(USERS).query(true).reply(200, p);
    const { client: c } = client();
    // the iterator itself: what it yielded cannot be taken back, so it stops with the error
    const err = await rejectionOf(
      (async () => {
        for await (const _u of c.listUsers()) void _u;
      })(),
    );
    expect(err).toBeInstanceOf(MalformedResponseError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain('GET /Users');
  });

  it('listAllUsers reads a listing that changed again from the start, at most twice more', async () => {
    const log: Recorded[] = [];
    const p1 = (total: number) => list([user('u1', 'a@x')], total);
    api().get(USERS).query(true).reply(recordTo(log, 200, p1(2)));
    api().get(USERS).query(true).reply(recordTo(log, 200, list([user('u2', 'b@x')], 3, 2)));
    api().get(USERS).query(true).reply(recordTo(log, 200, p1(3)));
    api().get(USERS).query(true).reply(recordTo(log, 200, list([user('u2', 'b@x'), user('u3', 'c@x')], 3, 2)));
    const { client: c } = client();
    expect((await c.listAllUsers()).map((u) => u.id)).toEqual(['u1', 'u2', 'u3']);
    expect(log.map((r) => r.uri.replace(USERS, ''))).toEqual([
      '?startIndex=1&count=100',
      '?startIndex=2&count=100',
      '?startIndex=1&count=100',
      '?startIndex=2&count=100',
    ]);
    expect(c.stats.listings).toEqual({ 'GET /Users': 2 });

    // a listing that never settles is reported after three reads
    for (let i = 0; i < 3; i++) {
      api().get(USERS).query(true).reply(200, p1(10 + i));
      api().get(USERS).query(true).reply(200, list([user('u2', 'b@x')], 20 + i, 2));
    }
    const err = await rejectionOf(c.listAllUsers());
    expect(err).toBeInstanceOf(ListingChangedError);
    expect(err).toBeInstanceOf(MalformedResponseError);
    expect(nock.isDone()).toBe(true);
  });

  it('readScim maps users and groups as they arrive and reads a changed listing again, keeping nothing of the first read', async () => {
    api().get(USERS).query(true).reply(200, list([user('u1', 'a@x')], 2));
    api().get(USERS).query(true).reply(200, list([user('u2', 'b@x')], 3, 2)); // changed: read again
    api().get(USERS).query(true).reply(200, list([user('u1', 'a@x')], 3));
    api().get(USERS).query(true).reply(200, list([user('u2', 'b@x', { active: false }), user('u3', 'c@x')], 3, 2));
    api().get(GROUPS).query(true).reply(200, list([group('g1', 'Team', { members: [{ value: 'u1' }, { value: 'u3' }] })], 1));
    const { client: c } = client();
    const live = await readScim(c);
    expect(live).toEqual({
      available: true,
      users: [
        { id: 'u1', userName: 'a@x', active: true },
        { id: 'u2', userName: 'b@x', active: false },
        { id: 'u3', userName: 'c@x', active: true },
      ],
      groups: [{ id: 'g1', displayName: 'Team', members: ['u1', 'u3'] }],
    });
    expect(nock.isDone()).toBe(true);
  });

  it('refuses bodies that are not a ListResponse (retried first: a proxy may have cut them)', async () => {
    api().get(USERS).query(true).times(2).reply(200, { Resources: [] });
    api().get(GROUPS).query(true).reply(200, { totalResults: 1, Resources: { id: 'g1' } });
    api().get(`${USERS}/u1`).reply(200, { id: 'u1', userName: 'a@x', active: 3 });
    const { client: c } = client({ retry: { retries: 1 } });
    expect(((await rejectionOf(c.listAllUsers())) as Error).message).toMatch(/totalResults` is missing/);
    expect(c.stats.byRoute['GET /Users']).toBe(2);
    const { client: c2 } = client({ retry: { retries: 0 } });
    expect(((await rejectionOf(c2.listAllGroups())) as Error).message).toMatch(/Resources` is not an array/);
    expect(await rejectionOf(c2.getUser('u1'))).toBeInstanceOf(MalformedResponseError);
  });

  it('reads active leniently: Entra-style strings are coerced, an absent active reads as true', async () => {
    api()
      .get(USERS)
      .query(true)
      .reply(200, list([user('u1', 'a@x', { active: 'False' }), user('u2', 'b@x', { active: 'TRUE' }), user('u3', 'c@x', { active: undefined })], 3));
    const { client: c } = client();
    expect((await c.listAllUsers()).map((u) => u.active)).toEqual([false, true, true]);
  });
});

describe('lookups and filter quoting (RFC 7644 §3.4.2.2)', () => {
  it('quotes and escapes the value, then URL-encodes the whole filter', async () => {
    const log: Recorded[] = [];
    api().get(USERS).query(true).reply(recordTo(log, 200, list([], 0)));
    const { client: c } = client();
    expect(await c.findUserByUserName('o"brien\\x+tag&y=1%@acme.test')).toBeUndefined();
    expect(log[0]!.uri).toBe(
      `${USERS}?filter=userName%20eq%20%22o%5C%22brien%5C%5Cx%2Btag%26y%3D1%25%40acme.test%22&startIndex=1&count=100`,
    );
  });

  it('prefers an exact match, accepts one case-insensitive match, and survives a server that ignores filters', async () => {
    api()
      .get(USERS)
      .query(true)
      .times(2)
      .reply(200, list([user('u1', 'bob@acme.test'), user('u2', 'Alice@Acme.test'), user('u3', 'carol@acme.test')], 3));
    api().get(USERS).query(true).reply(200, list([user('u4', 'dave@acme.test'), user('u5', 'DAVE@acme.test')], 2));
    const { client: c } = client();
    expect((await c.findUserByUserName('alice@acme.test'))?.id).toBe('u2');
    expect(await c.findUserByUserName('zed@acme.test')).toBeUndefined();
    expect((await c.findUserByUserName('dave@acme.test'))?.id).toBe('u4');
  });

  it('groups: displayName is case-insensitive but several matches are an error; externalId is case-exact', async () => {
    const log: Recorded[] = [];
    api().get(GROUPS).query(true).reply(recordTo(log, 200, list([group('g1', 'eng', { externalId: 'a' }), group('g2', 'ENG', { externalId: 'b' })], 2)));
    api().get(GROUPS).query(true).reply(recordTo(log, 200, list([group('g3', 'X', { externalId: 'Eng-1' })], 1)));
    const { client: c } = client();
    expect(await rejectionOf(c.findGroupByDisplayName('Eng'))).toBeInstanceOf(AmbiguousMatchError);
    expect(await c.findGroupByExternalId('eng-1')).toBeUndefined();
    expect(log.map((r) => r.uri)).toEqual([
      `${GROUPS}?filter=displayName%20eq%20%22Eng%22&startIndex=1&count=100`,
      `${GROUPS}?filter=externalId%20eq%20%22eng-1%22&startIndex=1&count=100`,
    ]);
  });
});

describe('creates never duplicate (RFC 7644 §3.3: 409 uniqueness)', () => {
  it('createUser: 409 (status as a number) → looks up userName and returns the existing user', async () => {
    const log: Recorded[] = [];
    api().post(USERS).reply(recordTo(log, 409, scimError(409, 'uniqueness', "Another user already exists with this username 'alice@acme.test'")));
    api().get(USERS).query(true).reply(recordTo(log, 200, list([user('u1', 'alice@acme.test', { active: false })], 1)));
    const { client: c } = client();
    const u = await c.createUser({ userName: 'alice@acme.test', active: true });
    expect(u).toMatchObject({ id: 'u1', active: false });
    expect(log.map((r) => `${r.method} ${r.uri}`)).toEqual([
      `POST ${USERS}`,
      `GET ${USERS}?filter=userName%20eq%20%22alice%40acme.test%22&startIndex=1&count=100`,
    ]);
    expect(c.stats.recovered).toBe(1);
  });

  it('createUser: a 409 with no such user (duplicate email at WorkOS) stays a uniqueness error', async () => {
    api().post(USERS).reply(409, scimError('409', 'uniqueness', "Another user already exists with this email 'a@acme.test'"), SCIM_JSON);
    api().get(USERS).query(true).reply(200, list([], 0));
    const { client: c } = client();
    const err = (await rejectionOf(c.createUser({ userName: 'alias@acme.test' }))) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(409);
    expect(err.errorType).toBe('uniqueness');
    expect(err.apiMessage).toBe("Another user already exists with this email 'a@acme.test'");
    expect(err.message).toBe(
      "POST /Users failed: 409 uniqueness: Another user already exists with this email 'a@acme.test'",
    );
  });

  it('createUser: after a timeout, looks up before any second POST', async () => {
    api().post(USERS).delay(1000).reply(201, user('u_late', 'alice@acme.test'));
    api().get(USERS).query(true).reply(200, list([user('u1', 'alice@acme.test')], 1));
    const { client: c } = client({ timeoutMs: 30 });
    expect((await c.createUser({ userName: 'alice@acme.test' })).id).toBe('u1');
    expect(c.stats.byRoute).toEqual({ 'POST /Users': 1, 'GET /Users': 1 });
  });

  it('createGroup: 409 → by externalId when given, else by displayName', async () => {
    const log: Recorded[] = [];
    api().post(GROUPS).times(2).reply(409, scimError('409', 'uniqueness', "Another group already exists with this ID 'eng'"));
    api().get(GROUPS).query(true).reply(recordTo(log, 200, list([group('g1', 'Engineering', { externalId: 'eng' })], 1)));
    api().get(GROUPS).query(true).reply(recordTo(log, 200, list([group('g2', 'ops')], 1)));
    const { client: c } = client();
    expect((await c.createGroup({ displayName: 'Eng', externalId: 'eng' })).id).toBe('g1');
    expect((await c.createGroup({ displayName: 'Ops' })).id).toBe('g2');
    expect(log.map((r) => r.uri)).toEqual([
      `${GROUPS}?filter=externalId%20eq%20%22eng%22&startIndex=1&count=100`,
      `${GROUPS}?filter=displayName%20eq%20%22Ops%22&startIndex=1&count=100`,
    ]);
  });
});

describe('errors (RFC 7644 §3.12)', () => {
  it('decodes status as a string or a number, scimType and detail; falls back to text for non-SCIM bodies', async () => {
    api().get(`${USERS}/a`).reply(400, scimError('400', 'invalidFilter', 'bad filter'));
    api().get(`${USERS}/b`).reply(400, { status: 400, scimType: 'invalidValue', detail: 'no schemas here' });
    api().get(`${USERS}/c`).reply(401, scimError('401', undefined, 'Invalid bearer token'));
    api().post(USERS).reply(413, '<html><body><h1>413 Request Entity Too Large</h1></body></html>', { 'content-type': 'text/html' });
    api().get(`${USERS}/d`).reply(400, { message: 'Bad request from a proxy' });
    api().get(`${USERS}/e`).reply(403, '');
    const { client: c } = client({ retry: { retries: 0 } });
    const errs = (await Promise.all([
      rejectionOf(c.getUser('a')),
      rejectionOf(c.getUser('b')),
      rejectionOf(c.getUser('c')),
      rejectionOf(c.createUser({ userName: 'big@acme.test' })),
      rejectionOf(c.getUser('d')),
      rejectionOf(c.getUser('e')),
    ])) as ApiError[];
    expect(errs.map((e) => [e.status, e.errorType, e.apiMessage])).toEqual([
      [400, 'invalidFilter', 'bad filter'],
      [400, 'invalidValue', 'no schemas here'],
      [401, 'unauthorized', 'Invalid bearer token'],
      [413, 'too_large', '<html><body><h1>413 Request Entity Too Large</h1></body></html>'],
      [400, 'bad_request', 'Bad request from a proxy'],
      [403, 'forbidden', '(empty body)'],
    ]);
    expect(errs.every((e) => !e.retryable)).toBe(true);
  });

  it('honours 429 with retry-after, and retries a 5xx read', async () => {
    api().get(USERS).query(true).reply(429, scimError('429', undefined, 'slow down'), { 'retry-after': '2' });
    api().get(USERS).query(true).reply(500, scimError('500', undefined, 'oops'));
    api().get(USERS).query(true).reply(200, list([user('u1', 'a@x')], 1));
    const { client: c, retrySleeps, time } = client();
    const before = time.now();
    expect((await c.listAllUsers()).map((u) => u.id)).toEqual(['u1']);
    expect(retrySleeps).toEqual([2000, 1000]);
    expect(c.stats).toMatchObject({ requests: 3, retries: 2, rateLimited: 1 });
    expect(time.now() - before).toBeGreaterThanOrEqual(3000);
  });

  it('removeGroupMember: 400 noTarget (not a member) counts as done; other 400s do not', async () => {
    api().patch(`${GROUPS}/g1`).reply(400, scimError('400', 'noTarget', "Filter 'members[value eq \"u9\"]' does not match"));
    api().patch(`${GROUPS}/g1`).reply(400, scimError('400', 'invalidPath', 'bad path'));
    const { client: c } = client();
    expect(await c.removeGroupMember('g1', 'u9')).toBeNull();
    expect(((await rejectionOf(c.removeGroupMember('g1', 'u9'))) as ApiError).errorType).toBe('invalidPath');
  });
});

describe('stats, events and secrets', () => {
  it('counts by route template; events and errors carry neither the token nor the directory key', async () => {
    api().get(USERS).query(true).reply(200, list([user('u1', 'a@x')], 1));
    api().patch(`${USERS}/u1`).reply(204, '');
    api().get(`${USERS}/u2`).reply(401, scimError('401', undefined, `token ${FAKE_TOKEN} rejected`));
    api().get(`${USERS}/u3`).replyWithError({ code: 'ECONNRESET', message: `authorization: Bearer ${FAKE_TOKEN}` });
    const events: RequestEvent[] = [];
    const { client: c } = client({ retry: { retries: 0 }, onRequest: (e) => events.push(e) });
    await c.listAllUsers({ filter: 'userName eq "a@x"' });
    await c.setUserActive('u1', false);
    const errors = [await rejectionOf(c.getUser('u2')), await rejectionOf(c.getUser('u3'))];
    expect(c.stats.byRoute).toEqual({ 'GET /Users': 1, 'PATCH /Users/{id}': 1, 'GET /Users/{id}': 2 });
    expect(events.map((e) => [e.route, e.path, e.status])).toEqual([
      ['GET /Users', '/Users', 200],
      ['PATCH /Users/{id}', '/Users/u1', 204],
      ['GET /Users/{id}', '/Users/u2', 401],
      ['GET /Users/{id}', '/Users/u3', undefined],
    ]);
    expectNoSecret(c.stats, events, c, ...errors);
    for (const text of [JSON.stringify(events), JSON.stringify(c.stats), ...errors.map(String)]) {
      expect(text).not.toContain(SCIM_KEY);
    }
  });
});
