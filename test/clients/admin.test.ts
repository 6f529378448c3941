import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { ApiError, MalformedResponseError } from '../../src/errors.js';
import { AdminClient } from '../../src/clients/admin.js';
import type { RequestEvent } from '../../src/clients/pipeline.js';
import {
  api,
  BASE,
  errorBody,
  expectNoSecret,
  FAKE_KEY,
  FAKE_TOKEN,
  inviteObj,
  recordTo,
  rejectionOf,
  userObj,
  nockClients,
  type Recorded,
} from './helpers.js';

const ORG = { id: '8f4c1a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b', type: 'organization', name: 'Acme' };
const client = nockClients();

describe('AdminClient endpoints (§4–§6)', () => {
  it('getOrganization: GET /v1/organizations/me with the admin headers', async () => {
    const log: Recorded[] = [];
    api().get('/v1/organizations/me').reply(recordTo(log, 200, ORG));
    const { client: c } = client();
    expect(await c.getOrganization()).toEqual(ORG);
    expect(log[0]).toMatchObject({ method: 'GET', uri: '/v1/organizations/me' });
    expect(log[0]!.headers['x-api-key']).toBe(FAKE_KEY);
    expect(log[0]!.headers['anthropic-version']).toBe('2026-10-21');
    expect(log[0]!.headers['authorization']).toBeUndefined();
  });

  it('uses bearer auth when given an OAuth token', async () => {
    const log: Recorded[] = [];
    api().get('/v1/organizations/me').reply(recordTo(log, 200, ORG));
    const { client: c } = client({ credential: { kind: 'bearer', value: FAKE_TOKEN } });
    await c.getOrganization();
    expect(log[0]!.headers['authorization']).toBe(`Bearer ${FAKE_TOKEN}`);
    expect(log[0]!.headers['x-api-key']).toBeUndefined();
  });

  it('users: get, update role, delete, with encoded ids', async () => {
    const log: Recorded[] = [];
    api().get('/v1/organizations/users/user_01').reply(recordTo(log, 200, userObj(1)));
    api().post('/v1/organizations/users/user_01').reply(recordTo(log, 200, userObj(1, { role: 'developer' })));
    api().delete('/v1/organizations/users/user_01').reply(recordTo(log, 200, { id: 'user_01', type: 'user_deleted' }));
    api().get('/v1/organizations/users/a%2Fb').reply(recordTo(log, 200, userObj(2)));
    const { client: c } = client();
    expect((await c.getUser('user_01')).email).toBe('user1@acme.test');
    expect((await c.updateUser('user_01', 'developer')).role).toBe('developer');
    expect(await c.deleteUser('user_01')).toEqual({ id: 'user_01', type: 'user_deleted' });
    await c.getUser('a/b');
    expect(log.map((r) => `${r.method} ${r.uri}`)).toEqual([
      'GET /v1/organizations/users/user_01',
      'POST /v1/organizations/users/user_01',
      'DELETE /v1/organizations/users/user_01',
      'GET /v1/organizations/users/a%2Fb',
    ]);
    expect(log[1]!.body).toEqual({ role: 'developer' });
    expect(log[1]!.headers['content-type']).toBe('application/json');
  });

  it('users: listing filters by email and roles[]', async () => {
    const log: Recorded[] = [];
    api()
      .get('/v1/organizations/users')
      .query(true)
      .reply(recordTo(log, 200, { data: [userObj(1)], has_more: false, first_id: 'user_001', last_id: 'user_001' }));
    const { client: c } = client();
    await c.listAllUsers({ email: 'user1@acme.test', roles: ['user'] });
    expect(log[0]!.uri).toBe('/v1/organizations/users?limit=1000&email=user1%40acme.test&roles[]=user');
  });

  it('invites: list with statuses[], get, create, delete', async () => {
    const log: Recorded[] = [];
    api()
      .get('/v1/organizations/invites')
      .query(true)
      .reply(recordTo(log, 200, { data: [inviteObj('invite_1', 'a@acme.test')], has_more: false, first_id: 'invite_1', last_id: 'invite_1' }));
    api().get('/v1/organizations/invites/invite_1').reply(recordTo(log, 200, inviteObj('invite_1', 'a@acme.test')));
    api().post('/v1/organizations/invites').reply(recordTo(log, 200, inviteObj('invite_2', 'b@acme.test')));
    api().delete('/v1/organizations/invites/invite_2').reply(recordTo(log, 200, { id: 'invite_2', type: 'invite_deleted' }));
    const { client: c } = client();
    const all = await c.listAllInvites({ statuses: ['pending', 'expired'], roles: ['user', 'managed'] });
    expect(all.map((i) => i.id)).toEqual(['invite_1']);
    expect((await c.getInvite('invite_1')).status).toBe('pending');
    const created = await c.createInvite({ email: 'b@acme.test', role: 'managed', rbac_group_ids: ['rbac_group_1'] });
    expect(created.id).toBe('invite_2');
    expect(await c.deleteInvite('invite_2')).toEqual({ id: 'invite_2', type: 'invite_deleted' });
    expect(log.map((r) => `${r.method} ${r.uri}`)).toEqual([
      'GET /v1/organizations/invites?limit=1000&roles[]=user&roles[]=managed&statuses[]=pending&statuses[]=expired',
      'GET /v1/organizations/invites/invite_1',
      'POST /v1/organizations/invites',
      'DELETE /v1/organizations/invites/invite_2',
    ]);
    expect(log[2]!.body).toEqual({ email: 'b@acme.test', role: 'managed', rbac_group_ids: ['rbac_group_1'] });
  });

  it('rejects objects that lack the fields the tool relies on', async () => {
    api().get('/v1/organizations/me').reply(200, { type: 'organization' });
    api().get('/v1/organizations/invites/invite_1').reply(200, { id: 'invite_1', email: 'a@acme.test', role: 'user' });
    const { client: c } = client({ retry: { retries: 0 } });
    expect(await rejectionOf(c.getOrganization())).toBeInstanceOf(MalformedResponseError);
    expect(await rejectionOf(c.getInvite('invite_1'))).toBeInstanceOf(MalformedResponseError);
  });

  it('surfaces API errors with their route, status and request id', async () => {
    api()
      .post('/v1/organizations/users/user_01')
      .reply(400, errorBody('invalid_request_error', 'cannot change an owner', 'req_body'), { 'request-id': 'req_h' });
    const { client: c } = client();
    const err = (await rejectionOf(c.updateUser('user_01', 'user'))) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe(
      'POST /v1/organizations/users/user_01 (request-id req_h) failed: 400 invalid_request_error: cannot change an owner',
    );
  });

  it('defaults to the public base URL', async () => {
    const log: Recorded[] = [];
    nock('https://api.anthropic.com').get('/v1/organizations/me').reply(recordTo(log, 200, ORG));
    const c = new AdminClient({ credential: { kind: 'x-api-key', value: FAKE_KEY } });
    try {
      await c.getOrganization();
    } finally {
      await c.close();
    }
    expect(log.length).toBe(1);
  });
});

describe('stats and the onRequest hook', () => {
  it('counts requests by route, pages per listing, 429s; events carry no headers', async () => {
    api()
      .get('/v1/organizations/users')
      .query(true)
      .reply(200, { data: [userObj(1)], has_more: true, first_id: 'user_001', last_id: 'user_001' });
    api().get('/v1/organizations/users').query(true).reply(429, errorBody('rate_limit_error', 'slow'), { 'retry-after': '1' });
    api()
      .get('/v1/organizations/users')
      .query(true)
      .reply(200, { data: [userObj(2)], has_more: false, first_id: 'user_002', last_id: 'user_002' }, { 'request-id': 'req_p2' });
    api().get('/v1/organizations/users/user_001').reply(200, userObj(1));
    const events: RequestEvent[] = [];
    const { client: c } = client({ onRequest: (e) => events.push(e) });
    await c.listAllUsers();
    await c.getUser('user_001');
    const s = c.stats;
    expect(s.requests).toBe(4);
    expect(s.byRoute).toEqual({ 'GET /v1/organizations/users': 3, 'GET /v1/organizations/users/{user_id}': 1 });
    expect(s.pages).toEqual({ 'GET /v1/organizations/users': 2 });
    expect(s.listings).toEqual({ 'GET /v1/organizations/users': 1 });
    expect(s.retries).toBe(1);
    expect(s.rateLimited).toBe(1);
    expect(s.networkErrors).toBe(0);
    for (const v of Object.values(s)) {
      if (typeof v === 'object') for (const n of Object.values(v)) expect(typeof n).toBe('number');
      else expect(typeof v).toBe('number');
    }
    expect(events.map((e) => [e.route, e.path, e.attempt, e.status])).toEqual([
      ['GET /v1/organizations/users', '/v1/organizations/users', 1, 200],
      ['GET /v1/organizations/users', '/v1/organizations/users', 1, 429],
      ['GET /v1/organizations/users', '/v1/organizations/users', 2, 200],
      ['GET /v1/organizations/users/{user_id}', '/v1/organizations/users/user_001', 1, 200],
    ]);
    expect(events[2]!.requestId).toBe('req_p2');
    expect(Object.keys(events[0]!).sort()).toEqual(
      ['attempt', 'durationMs', 'error', 'method', 'path', 'requestId', 'route', 'status'].sort(),
    );
    expectNoSecret(s, events, c);
  });

  it('gives each client its own stats and limiter', async () => {
    api().get('/v1/organizations/me').times(2).reply(200, ORG);
    const a = client().client;
    const b = client().client;
    await a.getOrganization();
    await a.getOrganization();
    expect(a.stats.requests).toBe(2);
    expect(b.stats.requests).toBe(0);
  });

  it('returns a snapshot that later requests do not change', async () => {
    api().get('/v1/organizations/me').times(2).reply(200, ORG);
    const { client: c } = client();
    await c.getOrganization();
    const snap = c.stats;
    await c.getOrganization();
    expect(snap.requests).toBe(1);
    expect(snap.byRoute['GET /v1/organizations/me']).toBe(1);
  });
});

describe('the key never leaks', () => {
  it('not in errors of any kind, stats, events or the client object', async () => {
    api().get('/v1/organizations/me').reply(401, errorBody('authentication_error', `invalid x-api-key ${FAKE_KEY}`));
    api().get('/v1/organizations/users/u').reply(200, `<html>${FAKE_KEY}</html>`);
    api().get('/v1/organizations/invites/i').replyWithError({ code: 'ECONNRESET', message: `x-api-key: ${FAKE_KEY}` });
    const events: RequestEvent[] = [];
    const { client: c } = client({ retry: { retries: 0 }, onRequest: (e) => events.push(e) });
    const errors = [
      await rejectionOf(c.getOrganization()),
      await rejectionOf(c.getUser('u')),
      await rejectionOf(c.getInvite('i')),
    ];
    expect(errors.map((e) => (e as { code: string }).code)).toEqual(['api_401', 'malformed_response', 'network']);
    expectNoSecret(...errors, c.stats, events, c, BASE);
  });
});
