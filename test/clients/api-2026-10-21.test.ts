// The client against API version 2026-10-21 (SDK 1.17.0, ../shared/reference/admin-api-sdk-1.17.md): the renamed
// fields of both versions read into one normalized field, token pages that follow `next_page`, the `ids[]`
// workspace filter, RBAC roles, and the decisions taken by `error.details.error_code`. Every exchange is scripted:
// a request the script does not expect is answered 599 and recorded, so "no second POST" is asserted exactly.

import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { apiKeyWorkspaceId } from '../../src/clients/admin-parse.js';
import { ApiError, MalformedResponseError } from '../../src/errors.js';
import { errorBody, expectNoSecret, FAKE_KEY, idPage, inviteObj, nockClients, rejectionOf, workspaceObj, BASE } from './helpers.js';

const client = nockClients();

interface Step {
  method: string;
  /** Path and query exactly as the client must send them. */
  uri: string;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Answers the steps in order, one request each, and records every request (method and uri as sent). */
function script(steps: Step[]): { log: string[]; bodies: unknown[] } {
  const log: string[] = [];
  const bodies: unknown[] = [];
  let next = 0;
  for (const method of ['get', 'post', 'delete'] as const) {
    nock(BASE)
      .persist()
      [method]((_uri: string) => true)
      .reply(function (uri: string, reqBody: nock.Body) {
        const line = `${this.req.method} ${uri}`;
        log.push(line);
        bodies.push(reqBody === '' ? undefined : typeof reqBody === 'string' ? JSON.parse(reqBody) : reqBody);
        const step = steps[next];
        if (!step || `${step.method} ${step.uri}` !== line) {
          return [599, JSON.stringify(errorBody('api_error', `unexpected ${line}`)), { 'x-should-retry': 'false' }];
        }
        next++;
        return [step.status, JSON.stringify(step.body), { 'content-type': 'application/json', ...step.headers }];
      });
  }
  return { log, bodies };
}

function coded(status: number, type: string, code: string, message = 'refused', extra: Record<string, unknown> = {}): unknown {
  return { type: 'error', error: { type, message, details: { error_code: code, ...extra } }, request_id: 'req_coded_1' };
}

const INV = '/v1/organizations/invites';
const WS = '/v1/organizations/workspaces';
const G = '/v1/organizations/rbac_groups';
const KEYS = '/v1/organizations/api_keys';
const ROLES = '/v1/organizations/rbac_roles';
const USERS = '/v1/organizations/users';

function key(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    type: 'api_key',
    name: `key ${id}`,
    created_at: '2026-10-01T00:00:00Z',
    created_by: { id: 'user_1', type: 'user' },
    expires_at: null,
    partial_key_hint: 'sk-ant-api03-Q9x...zzAA',
    principal: null,
    status: 'active',
    ...extra,
  };
}

function member(userId: string, shape: 'new' | 'old'): Record<string, unknown> {
  const id = shape === 'new' ? { rbac_group_id: 'rbac_group_1' } : { group_id: 'rbac_group_1' };
  return { type: 'rbac_group_member', ...id, user_id: userId, email: `${userId}@acme.test`, created_at: '2026-10-01T00:00:00Z' };
}

function group(id: string, roleField: Record<string, unknown>): Record<string, unknown> {
  return { id, type: 'rbac_group', name: 'Data', source_type: 'direct', created_at: 'x', updated_at: 'x', ...roleField };
}

describe('renamed fields: both shapes read into one normalized field', () => {
  it('RBAC group members: `rbac_group_id` (2026-10-21) and `group_id` (older) both become `rbac_group_id`', async () => {
    const M = `${G}/rbac_group_1/members`;
    const { log } = script([
      { method: 'GET', uri: `${M}?limit=1000`, status: 200, body: { data: [member('user_1', 'new')], next_page: 'p2' } },
      { method: 'GET', uri: `${M}?limit=1000&page=p2`, status: 200, body: { data: [member('user_2', 'old')], next_page: null } },
      { method: 'POST', uri: M, status: 200, body: member('user_3', 'new') },
      { method: 'DELETE', uri: `${M}/user_3`, status: 200, body: { type: 'rbac_group_member_deleted', rbac_group_id: 'rbac_group_1', user_id: 'user_3' } },
    ]);
    const { client: c } = client();
    const members = await c.listAllRbacGroupMembers('rbac_group_1');
    expect(members).toEqual([
      { type: 'rbac_group_member', rbac_group_id: 'rbac_group_1', user_id: 'user_1', email: 'user_1@acme.test', created_at: '2026-10-01T00:00:00Z' },
      { type: 'rbac_group_member', rbac_group_id: 'rbac_group_1', user_id: 'user_2', email: 'user_2@acme.test', created_at: '2026-10-01T00:00:00Z' },
    ]);
    expect(members.every((m) => !('group_id' in m))).toBe(true);
    expect((await c.addRbacGroupMember('rbac_group_1', 'user_3')).rbac_group_id).toBe('rbac_group_1');
    expect(await c.removeRbacGroupMember('rbac_group_1', 'user_3')).toEqual({
      type: 'rbac_group_member_deleted',
      rbac_group_id: 'rbac_group_1',
      user_id: 'user_3',
    });
    expect(log).toHaveLength(4);
  });

  it('an RBAC group member with neither field is malformed, never a member of no group', async () => {
    const M = `${G}/rbac_group_1/members`;
    const bare = { type: 'rbac_group_member', user_id: 'user_1', email: 'a@acme.test', created_at: 'x' };
    script([1, 2, 3, 4, 5].map(() => ({ method: 'GET', uri: `${M}?limit=1000`, status: 200, body: { data: [bare], next_page: null } })));
    const { client: c } = client();
    const err = await rejectionOf(c.listAllRbacGroupMembers('rbac_group_1'));
    expect(err).toBeInstanceOf(MalformedResponseError);
    expect((err as Error).message).toMatch(/malformed response: `group_id` is not a string, and neither is `rbac_group_id`$/);
  });

  it('RBAC groups: `role_ids` (2026-10-21) and `roles` (older) both become `role_ids`; absent is null', async () => {
    script([
      {
        method: 'GET',
        uri: `${G}?limit=1000`,
        status: 200,
        body: {
          data: [group('g_new', { role_ids: ['role_a'] }), group('g_old', { roles: ['role_b'] }), group('g_null', { role_ids: null }), group('g_none', {})],
          next_page: null,
        },
      },
    ]);
    const { client: c } = client();
    const groups = await c.listAllRbacGroups();
    expect(groups.map((g) => [g.id, g.role_ids])).toEqual([
      ['g_new', ['role_a']],
      ['g_old', ['role_b']],
      ['g_null', null],
      ['g_none', null],
    ]);
    expect(groups.every((g) => !('roles' in g))).toBe(true);
  });

  it('API keys: `scope` (2026-10-21) is the one place; a legacy null `workspace_id` next to a scope is not Default', async () => {
    script([
      {
        method: 'GET',
        uri: `${KEYS}?limit=1000`,
        status: 200,
        body: idPage([
          // 2026-10-21: the Default Workspace's real id, and an organization key of a service account
          key('k_ws', { scope: { type: 'workspace', workspace_id: 'wrkspc_default' }, principal: { type: 'user_actor', user_id: 'user_1' } }),
          key('k_org', { scope: { type: 'organization' }, principal: { type: 'service_account_actor', service_account_id: 'svcacct_1' } }),
          // a transitional body with both: the scope wins, the key is not a Default Workspace key
          key('k_both', { workspace_id: null, scope: { type: 'workspace', workspace_id: 'wrkspc_default' } }),
          // older versions: top-level workspace_id, null for the Default Workspace
          key('k_old', { workspace_id: 'wrkspc_1' }),
          key('k_old_default', { workspace_id: null, principal: { id: 'user_1', type: 'user' } }),
        ]),
      },
    ]);
    const { client: c } = client();
    const keys = await c.listAllApiKeys();
    expect(keys.map((k) => [k.id, k.scope, apiKeyWorkspaceId(k)])).toEqual([
      ['k_ws', { type: 'workspace', workspace_id: 'wrkspc_default' }, 'wrkspc_default'],
      ['k_org', { type: 'organization' }, null],
      ['k_both', { type: 'workspace', workspace_id: 'wrkspc_default' }, 'wrkspc_default'],
      ['k_old', { type: 'workspace', workspace_id: 'wrkspc_1' }, 'wrkspc_1'],
      ['k_old_default', { type: 'default_workspace' }, null],
    ]);
    expect(keys.every((k) => !('workspace_id' in k))).toBe(true);
    expect(keys.map((k) => k.principal)).toEqual([
      { type: 'user_actor', user_id: 'user_1' },
      { type: 'service_account_actor', service_account_id: 'svcacct_1' },
      null,
      null,
      { id: 'user_1', type: 'user' },
    ]);
  });

  it('an API key with neither `scope` nor `workspace_id` is malformed, never a Default Workspace key', async () => {
    script([1, 2, 3, 4, 5].map(() => ({ method: 'GET', uri: `${KEYS}/k_1`, status: 200, body: key('k_1') })));
    const { client: c } = client();
    const err = await rejectionOf(c.getApiKey('k_1'));
    expect(err).toBeInstanceOf(MalformedResponseError);
    expect((err as Error).message).toMatch(/neither `scope` nor the legacy `workspace_id`/);
  });

  it('workspaces: `user_profile_id` is read when sent and optional', async () => {
    script([
      {
        method: 'GET',
        uri: `${WS}?limit=1000`,
        status: 200,
        body: idPage([workspaceObj('wrkspc_1', 'A', { user_profile_id: 'uprof_1' }), workspaceObj('wrkspc_2', 'B')]),
      },
    ]);
    const { client: c } = client();
    expect((await c.listAllWorkspaces()).map((w) => w.user_profile_id)).toEqual(['uprof_1', undefined]);
  });
});

describe('token pages follow next_page (2026-10-21 declares no has_more)', () => {
  it('an empty page with a next_page continues, and so does a page that says has_more: false but gives a next_page', async () => {
    const M = `${G}/rbac_group_1/members`;
    const { log } = script([
      { method: 'GET', uri: `${M}?limit=1000`, status: 200, body: { data: [], next_page: 'p2' } },
      { method: 'GET', uri: `${M}?limit=1000&page=p2`, status: 200, body: { data: [member('user_1', 'new')], has_more: false, next_page: 'p3' } },
      { method: 'GET', uri: `${M}?limit=1000&page=p3`, status: 200, body: { data: [member('user_2', 'new')], next_page: null } },
    ]);
    const { client: c } = client();
    expect((await c.listAllRbacGroupMembers('rbac_group_1')).map((m) => m.user_id)).toEqual(['user_1', 'user_2']);
    expect(log).toEqual([`GET ${M}?limit=1000`, `GET ${M}?limit=1000&page=p2`, `GET ${M}?limit=1000&page=p3`]);
  });
});

describe('workspace listing: ids[] (at most 100 per request) and include_default', () => {
  it('splits 250 ids into requests of 100, 100 and 50, in order, with bracket arrays', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `wrkspc_${String(i).padStart(3, '0')}`);
    const q = (chunk: string[]) => `${WS}?limit=1000&include_default=true&${chunk.map((id) => `ids[]=${id}`).join('&')}`;
    const page = (chunk: string[]) => idPage(chunk.map((id) => workspaceObj(id, id)));
    const { log } = script([
      { method: 'GET', uri: q(ids.slice(0, 100)), status: 200, body: page(ids.slice(0, 100)) },
      { method: 'GET', uri: q(ids.slice(100, 200)), status: 200, body: page(ids.slice(100, 200)) },
      { method: 'GET', uri: q(ids.slice(200)), status: 200, body: page(ids.slice(200)) },
    ]);
    const { client: c } = client();
    const got = await c.listAllWorkspaces({ ids, include_default: true });
    expect(got.map((w) => w.id)).toEqual(ids);
    expect(log).toEqual([q(ids.slice(0, 100)), q(ids.slice(100, 200)), q(ids.slice(200))].map((u) => `GET ${u}`));
  });

  it('an empty ids filter asks for nothing and sends nothing', async () => {
    const { log } = script([]);
    const { client: c } = client();
    expect(await c.listAllWorkspaces({ ids: [] })).toEqual([]);
    expect(log).toEqual([]);
  });
});

describe('RBAC roles (read-only, 2026-10-21)', () => {
  it('lists roles over token pages, `display_name` normalized from the older `name`; lists a role’s permissions', async () => {
    const { log } = script([
      {
        method: 'GET',
        uri: `${ROLES}?limit=1000`,
        status: 200,
        body: {
          data: [{ id: 'rbac_role_1', type: 'rbac_role', display_name: 'Owner', source: { type: 'built_in' }, created_at: 'x', updated_at: 'x' }],
          next_page: 'r2',
        },
      },
      { method: 'GET', uri: `${ROLES}?limit=1000&page=r2`, status: 200, body: { data: [{ id: 'rbac_role_2', type: 'rbac_role', name: 'Analyst' }], next_page: null } },
      {
        method: 'GET',
        uri: `${ROLES}/rbac_role_1/permissions?limit=1000`,
        status: 200,
        body: {
          data: [
            { type: 'rbac_role_permission', action: 'chat', resource: { type: 'organization', organization_id: 'org_1' } },
            { type: 'rbac_role_permission', action: 'use', resource: { type: 'connector_tool', connector_id: 'conn_1', tool_name: 'search' } },
          ],
          next_page: null,
        },
      },
    ]);
    const { client: c } = client();
    expect(await c.listAllRbacRoles()).toEqual([
      { id: 'rbac_role_1', display_name: 'Owner', source: { type: 'built_in' } },
      { id: 'rbac_role_2', display_name: 'Analyst' },
    ]);
    const perms = await c.listAllRbacRolePermissions('rbac_role_1');
    expect(perms.map((p) => [p.action, p.resource.type])).toEqual([
      ['chat', 'organization'],
      ['use', 'connector_tool'],
    ]);
    expect(log).toHaveLength(3);
  });

  it('400 organization_type_not_supported: an ApiError with that code, not retried', async () => {
    const { log } = script([
      { method: 'GET', uri: `${ROLES}?limit=1000`, status: 400, body: coded(400, 'invalid_request_error', 'organization_type_not_supported') },
    ]);
    const { client: c } = client();
    const err = await rejectionOf(c.listAllRbacRoles());
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).errorCode).toBe('organization_type_not_supported');
    expect(log).toEqual([`GET ${ROLES}?limit=1000`]);
  });
});

describe('error codes: decoded, shown, and only allow-listed details kept', () => {
  it('the message carries the code; errorCode and details.workspace_id are set; other details are dropped', async () => {
    script([
      {
        method: 'POST',
        uri: INV,
        status: 400,
        body: coded(400, 'invalid_request_error', 'email_domain_not_allowed', 'domain not allowed', {
          workspace_id: 'wrkspc_1',
          note: `leak ${FAKE_KEY}`,
          email: 'b@acme.test',
        }),
      },
    ]);
    const { client: c } = client();
    const err = (await rejectionOf(c.createInvite({ email: 'b@acme.test', role: 'user' }))) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe(
      'POST /v1/organizations/invites (request-id req_coded_1) failed: 400 invalid_request_error (email_domain_not_allowed): domain not allowed',
    );
    expect(err.errorCode).toBe('email_domain_not_allowed');
    expect(err.errorType).toBe('invalid_request_error');
    expect(err.details).toEqual({ workspace_id: 'wrkspc_1' });
    expect(err.retryable).toBe(false);
    expectNoSecret(err);
    expect(JSON.stringify(err)).not.toContain('b@acme.test');
  });

  it('a code that is not a plain identifier is not kept', async () => {
    script([{ method: 'GET', uri: USERS + '/user_1', status: 400, body: coded(400, 'invalid_request_error', 'Bad Code <b>') }]);
    const { client: c } = client();
    const err = (await rejectionOf(c.getUser('user_1'))) as ApiError;
    expect(err.errorCode).toBeUndefined();
    expect(err.message).toMatch(/failed: 400 invalid_request_error: refused$/);
  });

  it('an unknown code falls back to the status: a 400 is not retried, a 503 is', async () => {
    const { log } = script([
      { method: 'DELETE', uri: `${USERS}/user_1`, status: 400, body: coded(400, 'invalid_request_error', 'some_future_code') },
      { method: 'DELETE', uri: `${USERS}/user_2`, status: 503, body: coded(503, 'api_error', 'some_future_code') },
      { method: 'DELETE', uri: `${USERS}/user_2`, status: 200, body: { id: 'user_2', type: 'user_deleted' } },
      // a known code under another status than the SDK binds it to is unknown too: not retried
      { method: 'DELETE', uri: `${USERS}/user_3`, status: 400, body: coded(400, 'invalid_request_error', 'concurrent_membership_change') },
    ]);
    const { client: c, retrySleeps } = client();
    const err = (await rejectionOf(c.deleteUser('user_1'))) as ApiError;
    expect(err.errorCode).toBe('some_future_code');
    expect(err.retryable).toBe(false);
    expect(await c.deleteUser('user_2')).toEqual({ id: 'user_2', type: 'user_deleted' });
    expect(((await rejectionOf(c.deleteUser('user_3'))) as ApiError).status).toBe(400);
    expect(log).toEqual([`DELETE ${USERS}/user_1`, `DELETE ${USERS}/user_2`, `DELETE ${USERS}/user_2`, `DELETE ${USERS}/user_3`]);
    expect(retrySleeps).toEqual([500]);
  });

  it('non-retryable codes are surfaced with errorCode after one request: cannot_remove_last_member, rbac_group_grants_owner_access', async () => {
    const { log } = script([
      { method: 'DELETE', uri: `${USERS}/user_1`, status: 400, body: coded(400, 'invalid_request_error', 'cannot_remove_last_member') },
      { method: 'DELETE', uri: `${G}/g_1`, status: 400, body: coded(400, 'invalid_request_error', 'rbac_group_grants_owner_access') },
    ]);
    const { client: c } = client();
    expect(((await rejectionOf(c.deleteUser('user_1'))) as ApiError).errorCode).toBe('cannot_remove_last_member');
    expect(((await rejectionOf(c.deleteRbacGroup('g_1'))) as ApiError).errorCode).toBe('rbac_group_grants_owner_access');
    expect(log).toEqual([`DELETE ${USERS}/user_1`, `DELETE ${G}/g_1`]);
  });
});

describe('invite create: invite_already_exists and already_member never cause another POST', () => {
  const body = { email: 'Bo@acme.test', role: 'user' };
  const lookup = `${INV}?limit=1000&email=Bo%40acme.test&statuses[]=pending`;

  it('invite_already_exists on the first answer: the pending invite is read and returned, no second POST', async () => {
    const { log } = script([
      { method: 'POST', uri: INV, status: 400, body: coded(400, 'invalid_request_error', 'invite_already_exists') },
      { method: 'GET', uri: lookup, status: 200, body: idPage([inviteObj('invite_other', 'bo+x@acme.test'), inviteObj('invite_1', 'bo@acme.test')]) },
    ]);
    const { client: c } = client();
    expect((await c.createInvite(body)).id).toBe('invite_1');
    expect(log).toEqual([`POST ${INV}`, `GET ${lookup}`]);
    expect(c.stats.recovered).toBe(1);
  });

  it('invite_already_exists with x-should-retry: true and no pending invite to read: the refusal is thrown, no second POST', async () => {
    const { log } = script([
      { method: 'POST', uri: INV, status: 400, body: coded(400, 'invalid_request_error', 'invite_already_exists'), headers: { 'x-should-retry': 'true' } },
      { method: 'GET', uri: lookup, status: 200, body: idPage([]) },
    ]);
    const { client: c } = client();
    const err = (await rejectionOf(c.createInvite(body))) as ApiError;
    expect(err.errorCode).toBe('invite_already_exists');
    expect(err.retryable).toBe(false);
    expect(log).toEqual([`POST ${INV}`, `GET ${lookup}`]);
  });

  it('invite_already_exists whose lookup keeps failing: the refusal is thrown after the lookup’s own retries, no second POST', async () => {
    const down = { method: 'GET', uri: lookup, status: 500, body: errorBody('api_error', 'down') };
    const { log } = script([
      { method: 'POST', uri: INV, status: 400, body: coded(400, 'invalid_request_error', 'invite_already_exists') },
      down, down, down, down, down,
    ]);
    const { client: c } = client();
    const err = (await rejectionOf(c.createInvite(body))) as ApiError;
    expect(err.errorCode).toBe('invite_already_exists');
    expect(log).toEqual([`POST ${INV}`, ...Array(5).fill(`GET ${lookup}`)]);
  });

  it('after an ambiguous 503 and a settle window with no invite, a re-sent POST answered invite_already_exists is read, not sent a third time', async () => {
    const none = { method: 'GET', uri: lookup, status: 200, body: idPage([]) };
    const { log } = script([
      { method: 'POST', uri: INV, status: 503, body: errorBody('api_error', 'busy') },
      none, none, none, none, none, none,
      { method: 'POST', uri: INV, status: 400, body: coded(400, 'invalid_request_error', 'invite_already_exists') },
      { method: 'GET', uri: lookup, status: 200, body: idPage([inviteObj('invite_late', 'bo@acme.test')]) },
    ]);
    const { client: c } = client();
    expect((await c.createInvite(body)).id).toBe('invite_late');
    expect(log.filter((l) => l.startsWith('POST'))).toHaveLength(2);
    expect(log).toHaveLength(9);
  });

  it('already_member ends the call as an ApiError with that code: on the first answer, and after an ambiguous failure', async () => {
    const none = { method: 'GET', uri: lookup, status: 200, body: idPage([]) };
    const { log } = script([
      { method: 'POST', uri: INV, status: 400, body: coded(400, 'invalid_request_error', 'already_member'), headers: { 'x-should-retry': 'true' } },
      { method: 'POST', uri: INV, status: 503, body: errorBody('api_error', 'busy') },
      none, none, none, none, none, none,
      { method: 'POST', uri: INV, status: 400, body: coded(400, 'invalid_request_error', 'already_member') },
    ]);
    const { client: c } = client();
    const first = (await rejectionOf(c.createInvite(body))) as ApiError;
    expect(first.errorCode).toBe('already_member');
    expect(log).toEqual([`POST ${INV}`]);
    const later = (await rejectionOf(c.createInvite(body))) as ApiError;
    expect(later).toBeInstanceOf(ApiError);
    expect(later.errorCode).toBe('already_member');
    expect(later.message).toMatch(/failed: 400 invalid_request_error \(already_member\): refused$/);
    expect(log.filter((l) => l.startsWith('POST'))).toHaveLength(3);
    expect(log).toHaveLength(9);
  });
});

describe('retried codes: definite refusals documented as safe to repeat', () => {
  it('409 concurrent_membership_change on user remove is retried with backoff', async () => {
    const { log } = script([
      { method: 'DELETE', uri: `${USERS}/user_1`, status: 409, body: coded(409, 'conflict_error', 'concurrent_membership_change') },
      { method: 'DELETE', uri: `${USERS}/user_1`, status: 409, body: coded(409, 'conflict_error', 'concurrent_membership_change') },
      { method: 'DELETE', uri: `${USERS}/user_1`, status: 200, body: { id: 'user_1', type: 'user_deleted' } },
    ]);
    const { client: c, retrySleeps } = client();
    expect(await c.deleteUser('user_1')).toEqual({ id: 'user_1', type: 'user_deleted' });
    expect(log).toEqual(Array(3).fill(`DELETE ${USERS}/user_1`));
    expect(retrySleeps).toEqual([500, 1000]);
    // a definite refusal is not ambiguous: no 404-means-done, no recovery counted
    expect(c.stats.recovered).toBe(0);
  });

  it('403 api_key_requester_unconfirmed on user remove and on API key update is retried', async () => {
    const { log, bodies } = script([
      { method: 'DELETE', uri: `${USERS}/user_1`, status: 403, body: coded(403, 'permission_error', 'api_key_requester_unconfirmed') },
      { method: 'DELETE', uri: `${USERS}/user_1`, status: 200, body: { id: 'user_1', type: 'user_deleted' } },
      { method: 'POST', uri: `${KEYS}/k_1`, status: 403, body: coded(403, 'permission_error', 'api_key_requester_unconfirmed') },
      { method: 'POST', uri: `${KEYS}/k_1`, status: 200, body: key('k_1', { status: 'inactive', scope: { type: 'organization' } }) },
    ]);
    const { client: c, retrySleeps } = client();
    await c.deleteUser('user_1');
    expect((await c.updateApiKey('k_1', { status: 'inactive' })).status).toBe('inactive');
    expect(log).toEqual([`DELETE ${USERS}/user_1`, `DELETE ${USERS}/user_1`, `POST ${KEYS}/k_1`, `POST ${KEYS}/k_1`]);
    expect(bodies.slice(2)).toEqual([{ status: 'inactive' }, { status: 'inactive' }]);
    expect(retrySleeps).toEqual([500, 500]);
  });

  it('the retries are bounded, and x-should-retry: false still wins', async () => {
    const refusal = { method: 'DELETE', uri: `${USERS}/user_1`, status: 409, body: coded(409, 'conflict_error', 'concurrent_membership_change') };
    const { log } = script([
      refusal, refusal, refusal, refusal, refusal,
      { ...refusal, uri: `${USERS}/user_2`, headers: { 'x-should-retry': 'false' } },
    ]);
    const { client: c } = client();
    const err = (await rejectionOf(c.deleteUser('user_1'))) as ApiError;
    expect(err.errorCode).toBe('concurrent_membership_change');
    expect(log).toHaveLength(5);
    expect(((await rejectionOf(c.deleteUser('user_2'))) as ApiError).status).toBe(409);
    expect(log).toHaveLength(6);
  });
});

describe('workspace writes decided by code', () => {
  it('503 workspace_created_incomplete: GETs details.workspace_id and returns it; the create is never sent again', async () => {
    const { log, bodies } = script([
      {
        method: 'POST',
        uri: WS,
        status: 503,
        body: coded(503, 'api_error', 'workspace_created_incomplete', 'created, colour not set', { workspace_id: 'wrkspc_made' }),
        headers: { 'x-should-retry': 'true' },
      },
      { method: 'GET', uri: `${WS}/wrkspc_made`, status: 200, body: workspaceObj('wrkspc_made', 'Research') },
    ]);
    const { client: c } = client();
    expect((await c.createWorkspace({ name: 'Research', display_color: '#000000' }, { knownIds: [] })).id).toBe('wrkspc_made');
    expect(log).toEqual([`POST ${WS}`, `GET ${WS}/wrkspc_made`]);
    expect(bodies[0]).toEqual({ name: 'Research', display_color: '#000000' });
  });

  it('503 workspace_created_incomplete without a workspace id: thrown, not retried, no second POST', async () => {
    const { log } = script([{ method: 'POST', uri: WS, status: 503, body: coded(503, 'api_error', 'workspace_created_incomplete') }]);
    const { client: c } = client();
    const err = (await rejectionOf(c.createWorkspace({ name: 'Research' }, { knownIds: [] }))) as ApiError;
    expect(err.errorCode).toBe('workspace_created_incomplete');
    expect(err.retryable).toBe(false);
    expect(log).toEqual([`POST ${WS}`]);
  });

  it('503 workspace_created_incomplete whose workspace cannot be read: the 503 with details.workspace_id, no second POST', async () => {
    const { log } = script([
      { method: 'POST', uri: WS, status: 503, body: coded(503, 'api_error', 'workspace_created_incomplete', 'created', { workspace_id: 'wrkspc_made' }) },
      { method: 'GET', uri: `${WS}/wrkspc_made`, status: 404, body: errorBody('not_found_error', 'not yet') },
    ]);
    const { client: c } = client();
    const err = (await rejectionOf(c.createWorkspace({ name: 'Research' }, { knownIds: [] }))) as ApiError;
    expect(err.status).toBe(503);
    expect(err.errorCode).toBe('workspace_created_incomplete');
    expect(err.details).toEqual({ workspace_id: 'wrkspc_made' });
    expect(log).toEqual([`POST ${WS}`, `GET ${WS}/wrkspc_made`]);
  });

  it.each([
    ['another name', workspaceObj('wrkspc_old', 'Finance'), []],
    ['an archived workspace', workspaceObj('wrkspc_old', 'Research', { archived_at: '2026-01-01T00:00:00Z' }), []],
    ['a workspace that existed before the create', workspaceObj('wrkspc_old', 'Research'), ['wrkspc_old']],
  ])('503 workspace_created_incomplete naming %s is not adopted: the 503, no second POST', async (_what, named, knownIds) => {
    const { log } = script([
      { method: 'POST', uri: WS, status: 503, body: coded(503, 'api_error', 'workspace_created_incomplete', 'created', { workspace_id: 'wrkspc_old' }) },
      { method: 'GET', uri: `${WS}/wrkspc_old`, status: 200, body: named },
    ]);
    const { client: c } = client();
    const err = (await rejectionOf(c.createWorkspace({ name: 'Research' }, { knownIds: knownIds as string[] }))) as ApiError;
    expect(err.errorCode).toBe('workspace_created_incomplete');
    expect(log).toEqual([`POST ${WS}`, `GET ${WS}/wrkspc_old`]);
  });

  it('503 change_outcome_unknown: the workspace is read; showing the requested values, it is the result', async () => {
    const { log } = script([
      { method: 'POST', uri: `${WS}/wrkspc_1`, status: 503, body: coded(503, 'api_error', 'change_outcome_unknown') },
      { method: 'GET', uri: `${WS}/wrkspc_1`, status: 200, body: workspaceObj('wrkspc_1', 'New', { display_color: '#111111' }) },
    ]);
    const { client: c, retrySleeps } = client();
    const w = await c.updateWorkspace('wrkspc_1', { name: 'New', display_color: '#111111' });
    expect(w.name).toBe('New');
    expect(log).toEqual([`POST ${WS}/wrkspc_1`, `GET ${WS}/wrkspc_1`]);
    expect(retrySleeps).toEqual([]);
  });

  it('503 change_outcome_unknown: a workspace that does not show them gets the update again', async () => {
    const { log, bodies } = script([
      { method: 'POST', uri: `${WS}/wrkspc_1`, status: 503, body: coded(503, 'api_error', 'change_outcome_unknown') },
      { method: 'GET', uri: `${WS}/wrkspc_1`, status: 200, body: workspaceObj('wrkspc_1', 'New', { display_color: '#6C5BB9' }) },
      { method: 'POST', uri: `${WS}/wrkspc_1`, status: 200, body: workspaceObj('wrkspc_1', 'New', { display_color: '#111111' }) },
    ]);
    const { client: c, retrySleeps } = client();
    expect((await c.updateWorkspace('wrkspc_1', { name: 'New', display_color: '#111111' })).display_color).toBe('#111111');
    expect(log).toEqual([`POST ${WS}/wrkspc_1`, `GET ${WS}/wrkspc_1`, `POST ${WS}/wrkspc_1`]);
    expect(bodies[2]).toEqual({ name: 'New', display_color: '#111111' });
    expect(retrySleeps).toEqual([500]);
  });
});
