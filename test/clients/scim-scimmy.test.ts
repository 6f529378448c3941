// The SCIM client against a real SCIM server nobody on this project wrote: SCIMMY + scimmy-routers on 127.0.0.1
// (scimmy-server.ts). Proves the strict forms are accepted by a strict RFC 7643/7644 implementation, and pins the
// SCIMMY behaviours the client must survive (scim.md §3.3, §3.8).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { ScimClient } from '../../src/clients/scim.js';
import { expectNoSecret, rejectionOf } from './helpers.js';
import { startScimmyServer, type ScimmyServer } from './scimmy-server.js';

let server: ScimmyServer;
let capped: ScimmyServer;
const clients: ScimClient[] = [];

function scim(srv: ScimmyServer, over: { pageSize?: number; token?: string } = {}): ScimClient {
  const c = new ScimClient({
    baseUrl: srv.url,
    token: over.token ?? srv.token,
    pageSize: over.pageSize,
    timeoutMs: 5000,
    retry: { retries: 1, baseDelayMs: 1, jitter: 0 },
  });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  server = await startScimmyServer({ directoryKey: 'dir_e2e' });
  capped = await startScimmyServer({ directoryKey: 'dir_capped', maxResults: 2 });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([server?.close(), capped?.close()]);
});

describe('SCIM client against SCIMMY', () => {
  it('creates users with the strict form, and a repeated create returns the existing user (409 path)', async () => {
    const c = scim(server);
    const alice = await c.createUser({
      userName: 'alice@acme.test',
      name: { givenName: 'Alice', familyName: 'Liddell' },
      emails: [{ value: 'alice@acme.test', type: 'work', primary: true }],
      active: true,
    });
    expect(alice).toMatchObject({ userName: 'alice@acme.test', active: true });
    expect(alice.id).toMatch(/[0-9a-f-]{36}/);
    const again = await c.createUser({ userName: 'alice@acme.test', active: true });
    expect(again.id).toBe(alice.id);
    expect(server.store.users.size).toBe(1);
    const posts = server.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.status)).toEqual([201, 409]);
    expect(posts[0]!.contentType).toMatch(/^application\/scim\+json/);
    expect(posts[0]!.authorization).toBe(`Bearer ${server.token}`);
    expect(c.stats.recovered).toBe(1);
  });

  it('lists every user across pages of a small count, and across a server cap', async () => {
    const c = scim(server, { pageSize: 2 });
    for (const n of ['bob', 'carol', 'dave', 'erin']) await c.createUser({ userName: `${n}@acme.test` });
    const all = await c.listAllUsers();
    expect(all.map((u) => u.userName)).toEqual(['alice@acme.test', 'bob@acme.test', 'carol@acme.test', 'dave@acme.test', 'erin@acme.test']);
    expect(c.stats.pages).toEqual({ 'GET /Users': 3 });

    const k = scim(capped); // asks for 100 per page, gets 2
    for (const n of ['u1', 'u2', 'u3', 'u4', 'u5']) await k.createUser({ userName: `${n}@acme.test` });
    expect((await k.listAllUsers()).map((u) => u.userName)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5'].map((n) => `${n}@acme.test`));
    const listUrls = capped.requests.filter((r) => r.method === 'GET').map((r) => new URL(r.url, 'http://x').search);
    expect(listUrls).toEqual(['?startIndex=1&count=100', '?startIndex=3&count=100', '?startIndex=5&count=100']);
  });

  it('finds a user by userName, including one with URL-significant characters', async () => {
    const c = scim(server);
    const odd = await c.createUser({ userName: "o'brien+ops&x=1%@acme.test" });
    expect((await c.findUserByUserName("o'brien+ops&x=1%@acme.test"))?.id).toBe(odd.id);
    expect((await c.findUserByUserName('bob@acme.test'))?.userName).toBe('bob@acme.test');
    expect(await c.findUserByUserName('nobody@acme.test')).toBeUndefined();
  });

  it('deactivates a user: 200 with the resource, then 204 for the same PATCH again (no change)', async () => {
    const c = scim(server);
    const bob = (await c.findUserByUserName('bob@acme.test'))!;
    expect((await c.setUserActive(bob.id, false))?.active).toBe(false);
    expect(await c.setUserActive(bob.id, false)).toBeNull();
    expect((await c.getUser(bob.id)).active).toBe(false);
    expect(server.store.users.get(bob.id)?.['active']).toBe(false);
  });

  it('creates a group with members, returns it again on a duplicate create, and manages members', async () => {
    const c = scim(server);
    const alice = (await c.findUserByUserName('alice@acme.test'))!;
    const carol = (await c.findUserByUserName('carol@acme.test'))!;
    const dave = (await c.findUserByUserName('dave@acme.test'))!;
    const eng = await c.createGroup({ displayName: 'Engineering', externalId: 'eng', members: [alice.id] });
    expect(eng.members?.map((m) => m.value)).toEqual([alice.id]);
    expect((await c.createGroup({ displayName: 'Engineering (renamed upstream)', externalId: 'eng' })).id).toBe(eng.id);
    expect((await c.findGroupByExternalId('eng'))?.id).toBe(eng.id);
    expect((await c.findGroupByDisplayName('Engineering'))?.id).toBe(eng.id);

    const added = await c.addGroupMembers(eng.id, [carol.id, dave.id]);
    expect(added?.members?.map((m) => m.value)).toEqual([alice.id, carol.id, dave.id]);
    // re-adding is a success with no change: SCIMMY answers 204
    expect(await c.addGroupMembers(eng.id, [carol.id])).toBeNull();
    const removed = await c.removeGroupMember(eng.id, carol.id);
    expect(removed?.members?.map((m) => m.value)).toEqual([alice.id, dave.id]);
    // removing a non-member matches nothing: SCIMMY answers 204 (other servers may say 400 noTarget; both are done)
    expect(await c.removeGroupMember(eng.id, carol.id)).toBeNull();
    expect((await c.renameGroup(eng.id, 'Eng'))?.displayName).toBe('Eng');
    expect((await c.getGroup(eng.id)).members?.map((m) => m.value)).toEqual([alice.id, dave.id]);

    const listed = await c.listAllGroups({ excludeMembers: true });
    expect(listed.map((g) => [g.displayName, g.members])).toEqual([['Eng', undefined]]);
    const patches = server.requests.filter((r) => r.method === 'PATCH' && r.url.includes('/Groups/'));
    expect(patches.map((r) => r.status)).toEqual([200, 204, 200, 204, 200]);
  });

  it('deletes a group and a user: 204, then 404 counts as already gone', async () => {
    const c = scim(server);
    const eng = (await c.findGroupByExternalId('eng'))!;
    expect(await c.deleteGroup(eng.id)).toEqual({ id: eng.id, alreadyGone: false });
    expect(await c.deleteGroup(eng.id)).toEqual({ id: eng.id, alreadyGone: true });
    const erin = (await c.findUserByUserName('erin@acme.test'))!;
    expect(await c.deleteUser(erin.id)).toEqual({ id: erin.id, alreadyGone: false });
    expect(await c.deleteUser(erin.id)).toEqual({ id: erin.id, alreadyGone: true });
    const err = (await rejectionOf(c.getUser(erin.id))) as ApiError;
    expect([err.status, err.errorType]).toEqual([404, 'not_found']);
  });

  it('a wrong token is a 401 with SCIM detail, and the token appears nowhere', async () => {
    const c = scim(server, { token: 'wrong-token-FAKEbearerDoNotLeak' });
    const err = (await rejectionOf(c.listAllUsers())) as ApiError;
    expect([err.status, err.errorType, err.apiMessage]).toEqual([401, 'unauthorized', 'Invalid bearer token']);
    expect(err.retryable).toBe(false);
    expectNoSecret(err, c.stats);
  });
});

describe('SCIMMY behaviours the client relies on or works around (pinned: scimmy 1.3)', () => {
  it('rejects a string boolean from a non-strict client with 400 invalidValue', async () => {
    const res = await fetch(`${server.url}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'z@acme.test', active: 'False' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { scimType: string }).scimType).toBe('invalidValue');
  });

  it('matches `userName eq` case-exactly, so the client compares again itself', async () => {
    const c = scim(server);
    // RFC 7643 says userName is caseExact false; SCIMMY's Filter.match compares with ===
    expect(await c.findUserByUserName('ALICE@acme.test')).toBeUndefined();
  });

  it('cannot parse an escaped quote in a filter value (400 invalidFilter)', async () => {
    const c = scim(server);
    const err = (await rejectionOf(c.findUserByUserName('a"b@acme.test'))) as ApiError;
    expect([err.status, err.errorType]).toEqual([400, 'invalidFilter']);
  });

  it('answers a startIndex past the end with the first page again (why the client never asks past totalResults)', async () => {
    const res = await fetch(`${capped.url}/Users?startIndex=99&count=100`, { headers: { authorization: `Bearer ${capped.token}` } });
    const body = (await res.json()) as { totalResults: number; Resources: unknown[]; itemsPerPage: number };
    expect(body.totalResults).toBe(5);
    expect(body.Resources.length).toBe(2);
  });
});
