// Write safety of the new Admin API writes: non-idempotent creates look before they write again; adds count a
// duplicate refusal after an ambiguous attempt as done; removes and deletes count a 404 after one as done.

import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { AmbiguousWriteError } from '../../src/clients/write-safety.js';
import {
  api,
  errorBody,
  groupObj,
  idPage,
  recordTo,
  rejectionOf,
  tokenPage,
  workspaceObj,
  nockClients,
  type Recorded,
} from './helpers.js';

const WS = '/v1/organizations/workspaces';
const G = '/v1/organizations/rbac_groups';

const client = nockClients();

const busy = () => errorBody('overloaded_error', 'busy');

describe('createWorkspace after an ambiguous failure (§7.3: a second POST is a second workspace)', () => {
  it('after a timeout, returns the one new workspace with that name; an older namesake is not it', async () => {
    const log: Recorded[] = [];
    // the read before the first POST: one workspace already carries the name
    api().get(WS).query(true).reply(recordTo(log, 200, idPage([workspaceObj('wrkspc_old', 'Research')])));
    // the POST outlives the client's deadline (500 ms: long enough that the undelayed reads never hit it on a
    // loaded machine, which made a 30 ms deadline flaky)
    api().post(WS).delay(2500).reply(200, workspaceObj('wrkspc_late', 'Research'));
    api()
      .get(WS)
      .query(true)
      .reply(
        recordTo(log, 200, idPage([workspaceObj('wrkspc_old', 'Research'), workspaceObj('wrkspc_other', 'Ops'), workspaceObj('wrkspc_new', 'Research')])),
      );
    const { client: c } = client({ timeoutMs: 500 });
    expect((await c.createWorkspace({ name: 'Research' })).id).toBe('wrkspc_new');
    expect(c.stats.byRoute).toEqual({ [`GET ${WS}`]: 2, [`POST ${WS}`]: 1 });
    expect(c.stats.recovered).toBe(1);
    expect(nock.isDone()).toBe(true);
  });

  it('after a 5xx with nothing new, POSTs again with the same body', async () => {
    const posts: Recorded[] = [];
    api().post(WS).reply(recordTo(posts, 503, busy()));
    // looked for through the whole settle window (issue 12): at 0, 1, 3, 7, 15 and 30 s
    api().get(WS).query(true).times(6).reply(200, idPage([workspaceObj('wrkspc_known', 'Research')]));
    api().post(WS).reply(recordTo(posts, 200, workspaceObj('wrkspc_new', 'Research')));
    const { client: c, retrySleeps } = client();
    const w = await c.createWorkspace({ name: 'Research', display_color: '#000000' }, { knownIds: ['wrkspc_known'] });
    expect(w.id).toBe('wrkspc_new');
    expect(retrySleeps.slice(1)).toEqual([1000, 2000, 4000, 8000, 15000]);
    expect(nock.isDone()).toBe(true);
    expect(posts.map((p) => p.body)).toEqual([
      { name: 'Research', display_color: '#000000' },
      { name: 'Research', display_color: '#000000' },
    ]);
    expect(c.stats.recovered).toBe(0);
  });

  it('two new namesakes: refuses to guess and sends no third POST', async () => {
    api().post(WS).reply(500, errorBody('api_error', 'oops'));
    api().get(WS).query(true).reply(200, idPage([workspaceObj('wrkspc_a', 'Research'), workspaceObj('wrkspc_b', 'Research')]));
    const { client: c } = client();
    const err = (await rejectionOf(c.createWorkspace({ name: 'Research' }, { knownIds: [] }))) as AmbiguousWriteError;
    expect(err).toBeInstanceOf(AmbiguousWriteError);
    expect(err.code).toBe('ambiguous_write');
    expect(err.retryable).toBe(false);
    expect(err.candidates).toEqual(['wrkspc_a', 'wrkspc_b']);
    expect(err.message).toContain('POST /v1/organizations/workspaces');
    expect(c.stats.byRoute[`POST ${WS}`]).toBe(1);
  });

  it('after a 429 (not processed), POSTs again without a lookup', async () => {
    api().post(WS).reply(429, errorBody('rate_limit_error', 'slow'), { 'retry-after': '1' });
    api().post(WS).reply(200, workspaceObj('wrkspc_new', 'Research'));
    const { client: c, retrySleeps } = client();
    expect((await c.createWorkspace({ name: 'Research' }, { knownIds: [] })).id).toBe('wrkspc_new');
    expect(retrySleeps).toEqual([1000]);
    expect(c.stats.byRoute).toEqual({ [`POST ${WS}`]: 2 });
  });
});

describe('createRbacGroup after an ambiguous failure (§11.1: names are not unique)', () => {
  it('after a 529, returns the one new direct group; a scim namesake and a known one are ignored', async () => {
    api().post(G).reply(529, busy());
    api()
      .get(G)
      .query(true)
      .reply(200, tokenPage([groupObj('rbac_group_known', 'Platform'), groupObj('rbac_group_scim', 'Platform', { source_type: 'scim' })], 'p2'));
    api().get(G).query(true).reply(200, tokenPage([groupObj('rbac_group_new', 'Platform')], null));
    const { client: c } = client();
    expect((await c.createRbacGroup('Platform', { knownIds: ['rbac_group_known'] })).id).toBe('rbac_group_new');
    expect(c.stats.byRoute).toEqual({ [`POST ${G}`]: 1, [`GET ${G}`]: 2 });
  });

  it('two new groups with the name: AmbiguousWriteError', async () => {
    api().post(G).delay(1000).reply(200, groupObj('rbac_group_x', 'Platform'));
    api().get(G).query(true).reply(200, tokenPage([groupObj('rbac_group_a', 'Platform'), groupObj('rbac_group_b', 'Platform')], null));
    const { client: c } = client({ timeoutMs: 300 });
    expect(await rejectionOf(c.createRbacGroup('Platform', { knownIds: [] }))).toBeInstanceOf(AmbiguousWriteError);
  });

  it('when the lookup fails, looks again before any new POST', async () => {
    api().post(G).reply(500, errorBody('api_error', 'oops'));
    api().get(G).query(true).reply(503, busy());
    api().get(G).query(true).reply(200, tokenPage([groupObj('rbac_group_new', 'Platform')], null));
    const { client: c } = client();
    expect((await c.createRbacGroup('Platform', { knownIds: [] })).id).toBe('rbac_group_new');
    expect(c.stats.byRoute).toEqual({ [`POST ${G}`]: 1, [`GET ${G}`]: 2 });
  });
});

describe('adds: a duplicate refusal after an ambiguous attempt is done (§11.2: "Already in the group → 400")', () => {
  const WM = `${WS}/wrkspc_1/members`;
  const member = { type: 'workspace_member', user_id: 'user_1', workspace_id: 'wrkspc_1', workspace_role: 'workspace_user' };

  it('workspace member: 503, then 400 on the re-send, then the GET shows the membership', async () => {
    const log: Recorded[] = [];
    api().post(WM).reply(503, busy());
    api().post(WM).reply(recordTo(log, 400, errorBody('invalid_request_error', 'user is already a member of this workspace')));
    api().get(`${WM}/user_1`).reply(recordTo(log, 200, member));
    const { client: c } = client();
    expect(await c.addWorkspaceMember('wrkspc_1', 'user_1', 'workspace_user')).toEqual(member);
    expect(log.map((r) => `${r.method} ${r.uri}`)).toEqual([`POST ${WM}`, `GET ${WM}/user_1`]);
    expect(c.stats.recovered).toBe(1);
  });

  it('workspace member: a 400 on the first attempt stays an error, with no lookup', async () => {
    api().post(WM).reply(400, errorBody('invalid_request_error', 'already a member'));
    const { client: c } = client();
    const err = (await rejectionOf(c.addWorkspaceMember('wrkspc_1', 'user_1', 'workspace_user'))) as ApiError;
    expect(err.status).toBe(400);
    expect(c.stats.requests).toBe(1);
  });

  it('workspace member: a 400 after a timeout whose lookup finds nothing keeps the 400', async () => {
    api().post(WM).delay(1000).reply(200, member);
    api().post(WM).reply(400, errorBody('invalid_request_error', 'workspace_billing cannot be assigned'));
    api().get(`${WM}/user_1`).reply(404, errorBody('not_found_error', 'no such member'));
    const { client: c } = client({ timeoutMs: 300 });
    const err = (await rejectionOf(c.addWorkspaceMember('wrkspc_1', 'user_1', 'workspace_billing'))) as ApiError;
    expect(err.status).toBe(400);
    expect(err.apiMessage).toBe('workspace_billing cannot be assigned');
  });

  it('group member: timeout, then 400, then the member list (over short pages) shows the user', async () => {
    const M = `${G}/rbac_group_1/members`;
    const gm = (u: string) => ({ type: 'rbac_group_member', group_id: 'rbac_group_1', user_id: u, email: `${u}@acme.test`, created_at: 'x' });
    api().post(M).delay(1000).reply(200, gm('user_9'));
    api().post(M).reply(400, errorBody('invalid_request_error', 'User is already a member of this group'));
    api().get(M).query(true).reply(200, tokenPage([gm('user_1')], 'p2'));
    api().get(M).query(true).reply(200, tokenPage([gm('user_9')], null));
    const { client: c } = client({ timeoutMs: 300 });
    expect((await c.addRbacGroupMember('rbac_group_1', 'user_9')).user_id).toBe('user_9');
    expect(c.stats.byRoute).toEqual({ [`POST ${G}/{group_id}/members`]: 2, [`GET ${G}/{group_id}/members`]: 2 });
  });
});

describe('removes and deletes: a 404 after an ambiguous attempt is done', () => {
  it('workspace member, group member and group', async () => {
    const WM = `${WS}/wrkspc_1/members/user_1`;
    const GM = `${G}/rbac_group_1/members/user_1`;
    api().delete(WM).reply(502, busy());
    api().delete(WM).reply(404, errorBody('not_found_error', 'gone'));
    api().delete(GM).delay(1000).reply(200, {});
    api().delete(GM).reply(404, errorBody('not_found_error', 'User is not in the group'));
    api().delete(`${G}/rbac_group_1`).reply(500, errorBody('api_error', 'oops'));
    api().delete(`${G}/rbac_group_1`).reply(404, errorBody('not_found_error', 'gone'));
    const { client: c } = client({ timeoutMs: 300 });
    expect(await c.removeWorkspaceMember('wrkspc_1', 'user_1')).toEqual({
      type: 'workspace_member_deleted',
      user_id: 'user_1',
      workspace_id: 'wrkspc_1',
    });
    expect(await c.removeRbacGroupMember('rbac_group_1', 'user_1')).toEqual({
      rbac_group_id: 'rbac_group_1',
      user_id: 'user_1',
      type: 'rbac_group_member_deleted',
    });
    expect(await c.deleteRbacGroup('rbac_group_1')).toEqual({ id: 'rbac_group_1', type: 'rbac_group_deleted' });
    expect(c.stats.recovered).toBe(3);
  });

  it('a 404 on the first attempt stays an error', async () => {
    api().delete(`${G}/rbac_group_1/members/user_1`).reply(404, errorBody('not_found_error', 'User is not in the group'));
    const { client: c } = client();
    expect(((await rejectionOf(c.removeRbacGroupMember('rbac_group_1', 'user_1'))) as ApiError).status).toBe(404);
  });
});

describe('terminal states after an ambiguous attempt', () => {
  it('archive: 500, then 400 on the re-send, then the GET shows archived_at', async () => {
    const archived = workspaceObj('wrkspc_1', 'Old', { archived_at: '2026-09-03T00:00:00Z' });
    api().post(`${WS}/wrkspc_1/archive`).reply(500, errorBody('api_error', 'oops'));
    api().post(`${WS}/wrkspc_1/archive`).reply(400, errorBody('invalid_request_error', 'already archived'));
    api().get(`${WS}/wrkspc_1`).reply(200, archived);
    const { client: c } = client();
    expect(await c.archiveWorkspace('wrkspc_1')).toEqual(archived);
  });

  it('archive: a 400 whose GET shows an active workspace keeps the 400', async () => {
    api().post(`${WS}/wrkspc_1/archive`).reply(500, errorBody('api_error', 'oops'));
    api().post(`${WS}/wrkspc_1/archive`).reply(400, errorBody('invalid_request_error', 'the default workspace cannot be archived'));
    api().get(`${WS}/wrkspc_1`).reply(200, workspaceObj('wrkspc_1', 'Default'));
    const { client: c } = client();
    expect(((await rejectionOf(c.archiveWorkspace('wrkspc_1'))) as ApiError).status).toBe(400);
  });

  it('API key archive: 502, then 400, then the GET shows the key archived', async () => {
    const K = '/v1/organizations/api_keys/apikey_1';
    const key = { id: 'apikey_1', type: 'api_key', name: 'k', status: 'archived', workspace_id: null, created_at: 'x', created_by: null, partial_key_hint: null };
    api().post(K).reply(502, busy());
    api().post(K).reply(400, errorBody('invalid_request_error', 'archived keys cannot change'));
    api().get(K).reply(200, key);
    const { client: c } = client();
    expect((await c.updateApiKey('apikey_1', { status: 'archived' })).status).toBe('archived');
  });
});
