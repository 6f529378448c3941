// The service-account routes (SDK 1.17 organization.serviceAccounts): they take only an OAuth access token with the
// org:admin scope, so the client sends it as `Authorization: Bearer` there and never the admin key; every other
// route keeps `x-api-key` and never carries the token.

import { describe, expect, it } from 'vitest';
import { api, FAKE_KEY, nockClients, recordTo, tokenPage, type Recorded } from './helpers.js';

const SA = '/v1/organizations/service_accounts';
/** An opaque bearer value (no words): the client must send it only on the service-account routes. */
const TOKEN = 'Zq7Xk2Vb4Nm8Lp3Rt6Wy1Hj5Gd9Cf0';

const client = nockClients();

function account(id: string, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id, type: 'service_account', name, description: null, organization_role: 'developer', archived_at: null,
    created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', created_by_actor_id: null,
    updated_by_actor_id: null, archived_by_actor_id: null, ...extra,
  };
}

function membership(svac: string, ws: string, role = 'workspace_user', implicit = false): Record<string, unknown> {
  return { type: 'service_account_workspace_member', service_account_id: svac, workspace_id: ws, workspace_role: role, implicit, created_by_actor_id: null };
}

describe('service accounts: the OAuth token, as a bearer token, on their routes only', () => {
  it('sends Authorization: Bearer <token> and never x-api-key on every service-account route', async () => {
    const log: Recorded[] = [];
    api().get(SA).query(true).reply(recordTo(log, 200, tokenPage([account('svac_1', 'ci-bot')], null)));
    api().post(SA).reply(recordTo(log, 200, account('svac_2', 'etl-job')));
    api().post(`${SA}/svac_2`).reply(recordTo(log, 200, account('svac_2', 'etl-job', { description: 'nightly' })));
    api().post(`${SA}/svac_1/archive`).reply(recordTo(log, 200, account('svac_1', 'ci-bot', { archived_at: '2026-02-01T00:00:00Z' })));
    api().get(`${SA}/svac_2/workspaces`).query(true)
      .reply(recordTo(log, 200, tokenPage([membership('svac_2', 'wrkspc_default', 'workspace_user', true), membership('svac_2', 'wrkspc_1')], null)));
    api().post(`${SA}/svac_2/workspaces`).reply(recordTo(log, 200, membership('svac_2', 'wrkspc_1', 'workspace_admin')));
    api().delete(`${SA}/svac_2/workspaces/wrkspc_1`).reply(recordTo(log, 200, { type: 'service_account_workspace_member_deleted', service_account_id: 'svac_2', workspace_id: 'wrkspc_1' }));
    const { client: c } = client({ oauthToken: TOKEN });

    expect((await c.listAllServiceAccounts({ include_archived: true })).map((a) => a.name)).toEqual(['ci-bot']);
    expect((await c.createServiceAccount({ name: 'etl-job', organization_role: 'developer' })).id).toBe('svac_2');
    await c.updateServiceAccount('svac_2', { description: 'nightly' });
    await c.archiveServiceAccount('svac_1');
    const ms = [];
    for await (const m of c.listServiceAccountWorkspaces('svac_2')) ms.push(m);
    expect(ms.map((m) => [m.workspace_id, m.implicit])).toEqual([['wrkspc_default', true], ['wrkspc_1', false]]);
    await c.addServiceAccountWorkspace('svac_2', 'wrkspc_1', 'workspace_admin');
    await c.removeServiceAccountWorkspace('svac_2', 'wrkspc_1');

    expect(log.map((r) => `${r.method} ${r.uri}`)).toEqual([
      `GET ${SA}?limit=1000&include_archived=true`,
      `POST ${SA}`,
      `POST ${SA}/svac_2`,
      `POST ${SA}/svac_1/archive`,
      `GET ${SA}/svac_2/workspaces?limit=1000`,
      `POST ${SA}/svac_2/workspaces`,
      `DELETE ${SA}/svac_2/workspaces/wrkspc_1`,
    ]);
    for (const r of log) {
      expect(r.headers['authorization'], `${r.method} ${r.uri}`).toBe(`Bearer ${TOKEN}`);
      expect(r.headers['x-api-key'], `${r.method} ${r.uri}`).toBeUndefined();
    }
    expect(log.map((r) => r.body)).toEqual([
      undefined,
      { name: 'etl-job', organization_role: 'developer' },
      { description: 'nightly' },
      undefined,
      undefined,
      { workspace_id: 'wrkspc_1', workspace_role: 'workspace_admin' },
      undefined,
    ]);
  });

  it('keeps x-api-key on every other route: the token never goes there', async () => {
    const log: Recorded[] = [];
    api().get('/v1/organizations/me').reply(recordTo(log, 200, { id: 'org_1', type: 'organization', name: 'Acme' }));
    const { client: c } = client({ oauthToken: TOKEN });
    await c.getOrganization();
    expect(log[0]!.headers['x-api-key']).toBe(FAKE_KEY);
    expect(log[0]!.headers['authorization']).toBeUndefined();
  });

  it('without a token it sends nothing to a service-account route', async () => {
    const { client: c } = client();
    expect(c.hasOAuthToken).toBe(false);
    await expect(c.listAllServiceAccounts()).rejects.toThrow(/OAuth access token with the org:admin scope/);
  });
});
