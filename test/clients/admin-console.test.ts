// Exact requests of the console-org endpoints: workspaces (§7), workspace members (§8), API keys (§9).

import { apiKeyWorkspaceId } from '../../src/clients/admin-parse.js';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { MalformedResponseError } from '../../src/errors.js';
import { api, idPage, recordTo, rejectionOf, workspaceObj, nockClients, type Recorded } from './helpers.js';

const WS = '/v1/organizations/workspaces';
const KEYS = '/v1/organizations/api_keys';

const client = nockClients();

function member(userId: string, role = 'workspace_user', workspaceId = 'wrkspc_1'): Record<string, unknown> {
  return { type: 'workspace_member', user_id: userId, workspace_id: workspaceId, workspace_role: role };
}

function apiKey(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    type: 'api_key',
    name: `key ${id}`,
    created_at: '2026-01-01T00:00:00Z',
    created_by: { id: 'user_1', type: 'user' },
    partial_key_hint: 'sk-ant-api03-R2D...igAA',
    status: 'active',
    workspace_id: 'wrkspc_1',
    ...extra,
  };
}

describe('workspaces (§7)', () => {
  it('lists with include_archived as true/false and pages with after_id (§2.8, §2.9)', async () => {
    const log: Recorded[] = [];
    api()
      .get(WS)
      .query(true)
      .reply(recordTo(log, 200, idPage([workspaceObj('wrkspc_1', 'A'), workspaceObj('wrkspc_2', 'B')], true)));
    api()
      .get(WS)
      .query(true)
      .reply(recordTo(log, 200, idPage([workspaceObj('wrkspc_3', 'C', { archived_at: '2026-09-02T00:00:00Z' })])));
    api().get(WS).query(true).reply(recordTo(log, 200, idPage([])));
    api().get(WS).query(true).reply(recordTo(log, 200, idPage([workspaceObj('wrkspc_1', 'A')])));
    const { client: c } = client();
    const all = await c.listAllWorkspaces({ include_archived: true });
    expect(all.map((w) => w.id)).toEqual(['wrkspc_1', 'wrkspc_2', 'wrkspc_3']);
    expect(await c.listAllWorkspaces({ include_archived: false })).toEqual([]);
    await c.listAllWorkspaces();
    expect(log.map((r) => r.uri)).toEqual([
      `${WS}?limit=1000&include_archived=true`,
      `${WS}?limit=1000&include_archived=true&after_id=wrkspc_2`,
      `${WS}?limit=1000&include_archived=false`,
      `${WS}?limit=1000`,
    ]);
    expect(c.stats.pages).toEqual({ [`GET ${WS}`]: 4 });
    expect(c.stats.listings).toEqual({ [`GET ${WS}`]: 3 });
  });

  it('gets, creates, updates and archives with the documented paths and bodies', async () => {
    const log: Recorded[] = [];
    api().get(`${WS}/wrkspc_1`).reply(recordTo(log, 200, workspaceObj('wrkspc_1', 'Research')));
    api().post(WS).reply(recordTo(log, 200, workspaceObj('wrkspc_9', 'New', { display_color: '#123456' })));
    api().post(`${WS}/wrkspc_9`).reply(recordTo(log, 200, workspaceObj('wrkspc_9', 'Renamed')));
    api()
      .post(`${WS}/wrkspc_9/archive`)
      .reply(recordTo(log, 200, workspaceObj('wrkspc_9', 'Renamed', { archived_at: '2026-09-03T00:00:00Z' })));
    const { client: c } = client();
    expect((await c.getWorkspace('wrkspc_1')).name).toBe('Research');
    // knownIds: [] — the caller's live read saw no workspace of that name, so no read precedes the POST.
    expect((await c.createWorkspace({ name: 'New', display_color: '#123456' }, { knownIds: [] })).id).toBe('wrkspc_9');
    expect((await c.updateWorkspace('wrkspc_9', { name: 'Renamed' })).name).toBe('Renamed');
    expect((await c.archiveWorkspace('wrkspc_9')).archived_at).toBe('2026-09-03T00:00:00Z');
    expect(log.map((r) => `${r.method} ${r.uri}`)).toEqual([
      `GET ${WS}/wrkspc_1`,
      `POST ${WS}`,
      `POST ${WS}/wrkspc_9`,
      `POST ${WS}/wrkspc_9/archive`,
    ]);
    expect(log[1]!.body).toEqual({ name: 'New', display_color: '#123456' });
    expect(log[1]!.headers['content-type']).toBe('application/json');
    expect(log[2]!.body).toEqual({ name: 'Renamed' });
    expect(log[3]!.body).toBeUndefined();
    expect(log[3]!.headers['content-type']).toBeUndefined();
    expect(c.stats.byRoute).toEqual({
      [`GET ${WS}/{workspace_id}`]: 1,
      [`POST ${WS}`]: 1,
      [`POST ${WS}/{workspace_id}`]: 1,
      [`POST ${WS}/{workspace_id}/archive`]: 1,
    });
  });

  it('without knownIds, lists the same-named workspaces once before the POST', async () => {
    const log: Recorded[] = [];
    api().get(WS).query(true).reply(recordTo(log, 200, idPage([workspaceObj('wrkspc_1', 'Other')])));
    api().post(WS).reply(recordTo(log, 200, workspaceObj('wrkspc_2', 'New')));
    const { client: c } = client();
    expect((await c.createWorkspace({ name: 'New' })).id).toBe('wrkspc_2');
    expect(log.map((r) => `${r.method} ${r.uri}`)).toEqual([`GET ${WS}?limit=1000`, `POST ${WS}`]);
  });

  it('rejects a workspace whose archived_at is not a string or null', async () => {
    api().get(`${WS}/wrkspc_1`).reply(200, workspaceObj('wrkspc_1', 'A', { archived_at: 5 }));
    const { client: c } = client({ retry: { retries: 0 } });
    expect(await rejectionOf(c.getWorkspace('wrkspc_1'))).toBeInstanceOf(MalformedResponseError);
  });
});

describe('workspace members (§8)', () => {
  it('lists, gets, adds, updates and removes, with encoded ids', async () => {
    const log: Recorded[] = [];
    const M = `${WS}/wrkspc_1/members`;
    api().get(M).query(true).reply(recordTo(log, 200, idPage([member('user_1'), member('user_2')], true)));
    api().get(M).query(true).reply(recordTo(log, 200, idPage([member('user_3', 'workspace_admin')])));
    api().get(`${M}/user_1`).reply(recordTo(log, 200, member('user_1')));
    api().post(M).reply(recordTo(log, 200, member('user_4', 'workspace_developer')));
    api().post(`${M}/user_4`).reply(recordTo(log, 200, member('user_4', 'workspace_restricted_developer')));
    api().delete(`${M}/user_4`).reply(recordTo(log, 200, { type: 'workspace_member_deleted', user_id: 'user_4', workspace_id: 'wrkspc_1' }));
    api().get(`${WS}/w%2F1/members/u%201`).reply(recordTo(log, 200, member('u 1', 'workspace_user', 'w/1')));
    const { client: c } = client();
    expect((await c.listAllWorkspaceMembers('wrkspc_1')).map((m) => m.user_id)).toEqual(['user_1', 'user_2', 'user_3']);
    expect((await c.getWorkspaceMember('wrkspc_1', 'user_1')).workspace_role).toBe('workspace_user');
    expect((await c.addWorkspaceMember('wrkspc_1', 'user_4', 'workspace_developer')).user_id).toBe('user_4');
    expect((await c.updateWorkspaceMember('wrkspc_1', 'user_4', 'workspace_restricted_developer')).workspace_role).toBe(
      'workspace_restricted_developer',
    );
    expect(await c.removeWorkspaceMember('wrkspc_1', 'user_4')).toEqual({
      type: 'workspace_member_deleted',
      user_id: 'user_4',
      workspace_id: 'wrkspc_1',
    });
    await c.getWorkspaceMember('w/1', 'u 1');
    expect(log.map((r) => `${r.method} ${r.uri}`)).toEqual([
      `GET ${M}?limit=1000`,
      `GET ${M}?limit=1000&after_id=user_2`,
      `GET ${M}/user_1`,
      `POST ${M}`,
      `POST ${M}/user_4`,
      `DELETE ${M}/user_4`,
      `GET ${WS}/w%2F1/members/u%201`,
    ]);
    expect(log[3]!.body).toEqual({ user_id: 'user_4', workspace_role: 'workspace_developer' });
    expect(log[4]!.body).toEqual({ workspace_role: 'workspace_restricted_developer' });
    expect(c.stats.byRoute[`GET ${WS}/{workspace_id}/members`]).toBe(2);
    expect(c.stats.byRoute[`DELETE ${WS}/{workspace_id}/members/{user_id}`]).toBe(1);
  });
});

describe('API keys (§9)', () => {
  it('lists with status, workspace_id and created_by_user_id; gets; updates name and status', async () => {
    const log: Recorded[] = [];
    api().get(KEYS).query(true).reply(recordTo(log, 200, idPage([apiKey('apikey_1'), apiKey('apikey_2', { workspace_id: null })])));
    api().get(KEYS).query(true).reply(recordTo(log, 200, idPage([])));
    api().get(`${KEYS}/apikey_1`).reply(recordTo(log, 200, apiKey('apikey_1', { principal: { type: 'user_actor', user_id: 'user_1' } })));
    api().post(`${KEYS}/apikey_1`).reply(recordTo(log, 200, apiKey('apikey_1', { name: 'ci', status: 'inactive' })));
    const { client: c } = client();
    const keys = await c.listAllApiKeys({ status: 'active', workspace_id: 'wrkspc_1', created_by_user_id: 'user_1' });
    // the legacy shape (no `scope`): the top-level `workspace_id`, null for the Default Workspace, becomes `scope`
    expect(keys.map((k) => [k.id, k.scope, apiKeyWorkspaceId(k)])).toEqual([
      ['apikey_1', { type: 'workspace', workspace_id: 'wrkspc_1' }, 'wrkspc_1'],
      ['apikey_2', { type: 'default_workspace' }, null],
    ]);
    await c.listAllApiKeys();
    expect((await c.getApiKey('apikey_1')).principal).toEqual({ type: 'user_actor', user_id: 'user_1' });
    expect((await c.updateApiKey('apikey_1', { name: 'ci', status: 'inactive' })).status).toBe('inactive');
    expect(log.map((r) => `${r.method} ${r.uri}`)).toEqual([
      `GET ${KEYS}?limit=1000&status=active&workspace_id=wrkspc_1&created_by_user_id=user_1`,
      `GET ${KEYS}?limit=1000`,
      `GET ${KEYS}/apikey_1`,
      `POST ${KEYS}/apikey_1`,
    ]);
    expect(log[3]!.body).toEqual({ name: 'ci', status: 'inactive' });
  });

  it('reads an unknown status as is (open enums, §14.1 item 7) but rejects a key without a status', async () => {
    api().get(`${KEYS}/apikey_1`).reply(200, apiKey('apikey_1', { status: 'suspended_by_policy' }));
    api().get(`${KEYS}/apikey_2`).reply(200, apiKey('apikey_2', { status: undefined }));
    const { client: c } = client({ retry: { retries: 0 } });
    expect((await c.getApiKey('apikey_1')).status).toBe('suspended_by_policy');
    expect(await rejectionOf(c.getApiKey('apikey_2'))).toBeInstanceOf(MalformedResponseError);
  });
});
