// Service accounts (SDK 1.17 organization.serviceAccounts and workspaces.serviceAccounts): the OAuth-only credential,
// the interactive rule for `admin`, archiving, workspace memberships from both sides, token pages, and the seed.

import { describe, expect, it } from 'vitest';
import { API_ROUTES, SeedError, validateSeed, type RunningEmulator, type Seed } from '../../src/emulator/index.js';
import { call, control, emulator, expectEnvelope, type Answer, type CallOptions } from './helpers.js';

const KEY = 'Hj3Rk8Wq2Nz5Pv7Tb4Yc';
/** A workload's token (non-interactive), a user's token (interactive), and one without `org:admin`. */
const WORKLOAD = 'Qx9Vb3Ln7Tz2Mw5Rk8Jd';
const PERSON = 'Zp4Kc8Xr2Vn6Tb9Wq3Hy';
const NARROW = 'Mv6Jx2Pq9Rb4Zk7Nc3Wt';
const NEW = { 'anthropic-version': '2026-10-21' };

const SEED: Seed = {
  organization: { kind: 'console' },
  admin_keys: [{ key: KEY, name: 'console-key' }],
  oauth_tokens: [
    { token: WORKLOAD, name: 'workload' },
    { token: PERSON, name: 'person', interactive: true, user: 'ada@qv.example' },
    { token: NARROW, name: 'narrow', scopes: ['user:inference'] },
  ],
  users: [{ email: 'ada@qv.example', role: 'admin' }],
  default_workspace_id: 'wrkspc_01Dflt',
  workspaces: [{ name: 'Alpha' }, { name: 'Beta' }, { name: 'Old', archived: true }],
  service_accounts: [
    { name: 'ci-deploy', description: 'deploys', workspaces: [{ workspace: 'Alpha', role: 'workspace_developer' }] },
    { name: 'gone-bot', archived: true, workspaces: [{ workspace: 'Beta', role: 'workspace_user' }] },
    { name: 'root-bot', role: 'admin', workspaces: [{ workspace_id: 'wrkspc_01Dflt', role: 'workspace_admin' }] },
  ],
  api_keys: [{ name: 'sa-key', workspace: 'Alpha', principal_service_account: 'gone-bot' }],
};

/** A call with a bearer token and the 2026-10-21 shapes. */
function as(token: string, emu: RunningEmulator, path: string, opts: CallOptions = {}): Promise<Answer> {
  return call(emu, path, { ...opts, key: token, bearer: true, headers: { ...NEW, ...opts.headers } });
}

async function idOf(emu: RunningEmulator, name: string): Promise<string> {
  const all = await as(WORKLOAD, emu, '/v1/organizations/service_accounts?include_archived=true&limit=1000');
  const found = (all.body.data as Array<{ id: string; name: string }>).find((a) => a.name === name);
  if (!found) throw new Error(`no service account ${name}`);
  return found.id;
}

describe('credentials', () => {
  it('every service-account route refuses an admin key (x-api-key or Bearer) with 403, and takes an org:admin OAuth token', async () => {
    const emu = await emulator({ seed: SEED });
    const templates = API_ROUTES.filter((r) => r.oauthOnly).map((r) => `${r.method} ${r.template}`);
    expect(templates.length).toBe(13);
    expect(templates.every((t) => t.includes('/service_accounts'))).toBe(true);
    for (const bearer of [false, true]) {
      const answer = await call(emu, '/v1/organizations/service_accounts', { key: KEY, bearer, headers: NEW });
      const message = expectEnvelope(answer, 403, 'permission_error');
      expect(message).toMatch(/requires an OAuth access token with the org:admin scope.*Admin API keys are not accepted/);
      expect(answer.body.error.details).toBeUndefined(); // the SDK declares no code for it
    }
    const posted = await call(emu, '/v1/organizations/service_accounts', { key: KEY, body: { name: 'x-bot' }, headers: NEW });
    expectEnvelope(posted, 403, 'permission_error');
    const listed = await as(WORKLOAD, emu, '/v1/organizations/service_accounts');
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((a: { name: string }) => a.name)).toEqual(['root-bot', 'ci-deploy']);
    // The same token works on the other Admin API routes, as an admin key does.
    expect((await as(WORKLOAD, emu, '/v1/organizations/users')).status).toBe(200);
  });

  it('a token needs org:admin everywhere; a token sent as x-api-key is no key; logs and state name tokens, never show them', async () => {
    const emu = await emulator({ seed: SEED });
    for (const path of ['/v1/organizations/users', '/v1/organizations/service_accounts']) {
      expect(expectEnvelope(await as(NARROW, emu, path), 403, 'permission_error')).toMatch(/lacks the org:admin scope/);
    }
    expectEnvelope(await call(emu, '/v1/organizations/service_accounts', { key: WORKLOAD, headers: NEW }), 401, 'authentication_error');
    const requests = await control(emu, '/requests?limit=100');
    const state = await control(emu, '/state');
    for (const text of [requests.text, state.text]) {
      for (const secret of [KEY, WORKLOAD, PERSON, NARROW]) expect(text).not.toContain(secret.slice(0, 8));
    }
    expect(requests.body.data.map((r: { key_name: string | null }) => r.key_name)).toEqual(['narrow', 'narrow', null]);
    expect(state.body.oauth_tokens).toEqual([
      { name: 'workload', scopes: ['org:admin'], interactive: false, user: null },
      { name: 'person', scopes: ['org:admin'], interactive: true, user: 'ada@qv.example' },
      { name: 'narrow', scopes: ['user:inference'], interactive: false, user: null },
    ]);
    expect(state.body.admin_keys).toEqual([{ name: 'console-key', scopes: null }]);
  });

  it('an enterprise org has no service accounts (404), like the other Console resources', async () => {
    const emu = await emulator({ seed: { organization: { kind: 'enterprise' }, oauth_tokens: [{ token: WORKLOAD }] } });
    expectEnvelope(await as(WORKLOAD, emu, '/v1/organizations/service_accounts'), 404, 'not_found_error');
  });
});

describe('service accounts', () => {
  it('creates (slug names, 409 on a duplicate, developer by default), retrieves and names the acting user', async () => {
    const emu = await emulator({ seed: SEED });
    const made = await as(WORKLOAD, emu, '/v1/organizations/service_accounts', { body: { name: 'nightly-sync' } });
    expect(made.status).toBe(200);
    expect(made.body).toEqual({
      id: expect.stringMatching(/^svac_01[1-9A-HJ-NP-Za-km-z]{22}$/),
      type: 'service_account',
      name: 'nightly-sync',
      description: null,
      organization_role: 'developer',
      created_at: made.body.created_at,
      created_by_actor_id: null, // a workload token acts for no member
      updated_at: made.body.created_at,
      updated_by_actor_id: null,
      archived_at: null,
      archived_by_actor_id: null,
    });
    expect((await as(WORKLOAD, emu, `/v1/organizations/service_accounts/${made.body.id}`)).body).toEqual(made.body);
    const ada = emu.store.userByEmail('ada@qv.example')!;
    const byPerson = await as(PERSON, emu, '/v1/organizations/service_accounts', { body: { name: 'p-bot', description: 'hi' } });
    expect(byPerson.body).toMatchObject({ created_by_actor_id: ada.id, description: 'hi' });
    for (const name of ['Caps', 'under_score', '-lead', 'trail-', '', 'a'.repeat(65)]) {
      expectEnvelope(await as(WORKLOAD, emu, '/v1/organizations/service_accounts', { body: { name } }), 400, 'invalid_request_error');
    }
    // Names stay taken while archived.
    expectEnvelope(await as(WORKLOAD, emu, '/v1/organizations/service_accounts', { body: { name: 'gone-bot' } }), 409, 'conflict_error');
    expectEnvelope(await as(WORKLOAD, emu, '/v1/organizations/service_accounts', { body: { name: 'z', extra: 1 } }), 400, 'invalid_request_error');
    expectEnvelope(await as(WORKLOAD, emu, '/v1/organizations/service_accounts/svac_01Nope'), 404, 'not_found_error');
  });

  it('admin role: only an interactive token may create one or set it (even unchanged)', async () => {
    const emu = await emulator({ seed: SEED });
    const path = '/v1/organizations/service_accounts';
    const refused = await as(WORKLOAD, emu, path, { body: { name: 'boss', organization_role: 'admin' } });
    expect(expectEnvelope(refused, 403, 'permission_error')).toMatch(/interactive credential/);
    expect(emu.store.serviceAccounts.byName('boss')).toBeUndefined();
    const boss = await as(PERSON, emu, path, { body: { name: 'boss', organization_role: 'admin' } });
    expect(boss.body.organization_role).toBe('admin');
    const root = await idOf(emu, 'root-bot');
    expectEnvelope(await as(WORKLOAD, emu, `${path}/${root}`, { body: { organization_role: 'admin' } }), 403, 'permission_error');
    // Demoting, and other fields, need no interactive credential.
    const demoted = await as(WORKLOAD, emu, `${path}/${root}`, { body: { organization_role: 'developer' } });
    expect(demoted.body.organization_role).toBe('developer');
    expectEnvelope(await as(WORKLOAD, emu, `${path}/${root}`, { body: { organization_role: 'admin' } }), 403, 'permission_error');
    expect((await as(PERSON, emu, `${path}/${root}`, { body: { organization_role: 'admin' } })).body.organization_role).toBe('admin');
    expectEnvelope(await as(WORKLOAD, emu, path, { body: { name: 'q', organization_role: 'owner' } }), 400, 'invalid_request_error');
  });

  it('updates description (null clears it to an empty string), refuses a rename and an archived account', async () => {
    const emu = await emulator({ seed: SEED });
    const id = await idOf(emu, 'ci-deploy');
    const path = `/v1/organizations/service_accounts/${id}`;
    const before = (await as(WORKLOAD, emu, path)).body;
    expect((await as(WORKLOAD, emu, path, { body: {} })).body).toEqual(before);
    await control(emu, '/clock/advance', { body: { seconds: 60 } });
    const changed = await as(PERSON, emu, path, { body: { description: 'ships', organization_role: null } });
    expect(changed.body).toMatchObject({ description: 'ships', organization_role: 'developer', created_at: before.created_at });
    expect(changed.body.updated_at > before.updated_at).toBe(true);
    expect(changed.body.updated_by_actor_id).toBe(emu.store.userByEmail('ada@qv.example')!.id);
    expect((await as(WORKLOAD, emu, path, { body: { description: null } })).body.description).toBe('');
    expectEnvelope(await as(WORKLOAD, emu, path, { body: { name: 'renamed' } }), 400, 'invalid_request_error');
    const gone = await idOf(emu, 'gone-bot');
    const archived = await as(WORKLOAD, emu, `/v1/organizations/service_accounts/${gone}`, { body: { description: 'x' } });
    expect(expectEnvelope(archived, 400, 'invalid_request_error')).toMatch(/archived/);
  });

  it('archives idempotently (the first archived_at stays); lists hide archived ones unless include_archived=true', async () => {
    const emu = await emulator({ seed: SEED });
    const id = await idOf(emu, 'ci-deploy');
    const first = await as(PERSON, emu, `/v1/organizations/service_accounts/${id}/archive`, { method: 'POST' });
    expect(first.body.archived_at).toEqual(expect.any(String));
    expect(first.body.archived_by_actor_id).toBe(emu.store.userByEmail('ada@qv.example')!.id);
    await control(emu, '/clock/advance', { body: { seconds: 60 } });
    const again = await as(WORKLOAD, emu, `/v1/organizations/service_accounts/${id}/archive`, { method: 'POST' });
    expect(again.body).toEqual(first.body);
    const names = async (q: string): Promise<string[]> =>
      (await as(WORKLOAD, emu, `/v1/organizations/service_accounts${q}`)).body.data.map((a: { name: string }) => a.name);
    expect(await names('')).toEqual(['root-bot']);
    expect(await names('?include_archived=false')).toEqual(['root-bot']);
    expect(await names('?include_archived=true')).toEqual(['root-bot', 'gone-bot', 'ci-deploy']);
    expectEnvelope(await as(WORKLOAD, emu, '/v1/organizations/service_accounts?include_archived=yes'), 400, 'invalid_request_error');
    const state = (await control(emu, '/state')).body;
    expect(state.service_accounts.find((a: { name: string }) => a.name === 'ci-deploy').archived_at).toBe(first.body.archived_at);
  });

  it('pages newest first with next_page (no has_more in 2026-10-21; has_more in the legacy shape); a bad token is a 400', async () => {
    const emu = await emulator({ seed: SEED });
    for (let i = 0; i < 5; i++) await as(WORKLOAD, emu, '/v1/organizations/service_accounts', { body: { name: `bot-${i}` } });
    const seen: string[] = [];
    let page = await as(WORKLOAD, emu, '/v1/organizations/service_accounts?limit=3');
    for (;;) {
      expect(Object.keys(page.body).sort()).toEqual(['data', 'next_page']);
      seen.push(...page.body.data.map((a: { name: string }) => a.name));
      if (page.body.next_page === null) break;
      page = await as(WORKLOAD, emu, `/v1/organizations/service_accounts?limit=3&page=${page.body.next_page}`);
    }
    expect(seen).toEqual(['bot-4', 'bot-3', 'bot-2', 'bot-1', 'bot-0', 'root-bot', 'ci-deploy']);
    const legacy = await call(emu, '/v1/organizations/service_accounts?limit=3', { key: WORKLOAD, bearer: true });
    expect(legacy.body).toMatchObject({ has_more: true, next_page: expect.any(String) });
    expectEnvelope(await as(WORKLOAD, emu, '/v1/organizations/service_accounts?page=page_bogus'), 400, 'invalid_request_error');
    expectEnvelope(await as(WORKLOAD, emu, '/v1/organizations/service_accounts?limit=0'), 400, 'invalid_request_error');
  });
});

describe('workspace memberships', () => {
  it("the account's side: the implicit Default Workspace membership first, explicit ones after; limit=1 may return 2", async () => {
    const emu = await emulator({ seed: SEED });
    const id = await idOf(emu, 'ci-deploy');
    const alpha = emu.store.workspaces.seededNamed('Alpha')!.id;
    const beta = emu.store.workspaces.seededNamed('Beta')!.id;
    const path = `/v1/organizations/service_accounts/${id}/workspaces`;
    const added = await as(WORKLOAD, emu, path, { body: { workspace_id: beta, workspace_role: 'workspace_admin' } });
    expect(added.body).toEqual({
      type: 'service_account_workspace_member',
      service_account_id: id,
      workspace_id: beta,
      workspace_role: 'workspace_admin',
      implicit: false,
      created_by_actor_id: null,
    });
    const first = await as(WORKLOAD, emu, `${path}?limit=1`);
    expect(first.body.data.map((m: { workspace_id: string; implicit: boolean }) => [m.workspace_id, m.implicit])).toEqual([
      ['wrkspc_01Dflt', true],
      [alpha, false],
    ]);
    expect(first.body.data[0].workspace_role).toBe('workspace_user');
    const second = await as(WORKLOAD, emu, `${path}?limit=1&page=${first.body.next_page}`);
    expect(second.body.data.map((m: { workspace_id: string }) => m.workspace_id)).toEqual([beta]);
    expect(second.body.next_page).toBeNull();
    // A cursor that no longer matches an active membership is a 400: restart from the first page.
    expect((await as(WORKLOAD, emu, `${path}/${alpha}`, { method: 'DELETE' })).status).toBe(200);
    expectEnvelope(await as(WORKLOAD, emu, `${path}?limit=1&page=${first.body.next_page}`), 400, 'invalid_request_error');
    // Adding again replaces the role.
    await as(WORKLOAD, emu, path, { body: { workspace_id: beta, workspace_role: 'workspace_user' } });
    expect(emu.store.serviceAccounts.membership(id, beta)?.role).toBe('workspace_user');
    expectEnvelope(await as(WORKLOAD, emu, path, { body: { workspace_id: beta, workspace_role: 'workspace_billing' } }), 400, 'invalid_request_error');
    expectEnvelope(await as(WORKLOAD, emu, path, { body: { workspace_id: 'wrkspc_01Nope', workspace_role: 'workspace_user' } }), 404, 'not_found_error');
  });

  it("the workspace's side: retrieve (implicit on the Default Workspace), update explicit only, list without implicit or archived accounts", async () => {
    const emu = await emulator({ seed: SEED });
    const ci = await idOf(emu, 'ci-deploy');
    const root = await idOf(emu, 'root-bot');
    const gone = await idOf(emu, 'gone-bot');
    const alpha = emu.store.workspaces.seededNamed('Alpha')!.id;
    const beta = emu.store.workspaces.seededNamed('Beta')!.id;
    const ws = (w: string): string => `/v1/organizations/workspaces/${w}/service_accounts`;
    expect((await as(WORKLOAD, emu, `${ws('wrkspc_01Dflt')}/${ci}`)).body).toMatchObject({ implicit: true, workspace_role: 'workspace_user' });
    expect((await as(WORKLOAD, emu, `${ws('wrkspc_01Dflt')}/${root}`)).body).toMatchObject({ implicit: false, workspace_role: 'workspace_admin' });
    expectEnvelope(await as(WORKLOAD, emu, `${ws(beta)}/${ci}`), 404, 'not_found_error');
    expectEnvelope(await as(WORKLOAD, emu, `${ws(beta)}/${gone}`), 404, 'not_found_error'); // archived account
    // The Default Workspace's list has only the explicit row; Beta's omits the archived account.
    expect((await as(WORKLOAD, emu, ws('wrkspc_01Dflt'))).body.data.map((m: { service_account_id: string }) => m.service_account_id)).toEqual([root]);
    expect((await as(WORKLOAD, emu, ws(beta))).body.data).toEqual([]);
    // Update: explicit only; the implicit membership must be added first.
    const upd = await as(WORKLOAD, emu, `${ws(alpha)}/${ci}`, { body: { workspace_role: 'workspace_restricted_developer' } });
    expect(upd.body).toMatchObject({ workspace_role: 'workspace_restricted_developer', implicit: false });
    expectEnvelope(await as(WORKLOAD, emu, `${ws('wrkspc_01Dflt')}/${ci}`, { body: { workspace_role: 'workspace_admin' } }), 400, 'invalid_request_error');
    expectEnvelope(await as(WORKLOAD, emu, `${ws(beta)}/${ci}`, { body: { workspace_role: 'workspace_admin' } }), 404, 'not_found_error');
    expectEnvelope(await as(WORKLOAD, emu, `${ws(alpha)}/${gone}`, { body: { workspace_role: 'workspace_admin' } }), 400, 'invalid_request_error');
    expectEnvelope(await as(WORKLOAD, emu, ws(beta), { body: { service_account_id: gone, workspace_role: 'workspace_user' } }), 400, 'invalid_request_error');
    const add = await as(WORKLOAD, emu, ws('wrkspc_01Dflt'), { body: { service_account_id: ci, workspace_role: 'workspace_developer' } });
    expect(add.body).toMatchObject({ implicit: false, workspace_role: 'workspace_developer' });
    // Removing the explicit Default Workspace row brings back the implicit one; removing the implicit one is a no-op.
    for (let i = 0; i < 2; i++) {
      const del = await as(WORKLOAD, emu, `${ws('wrkspc_01Dflt')}/${ci}`, { method: 'DELETE' });
      expect(del.body).toEqual({ type: 'service_account_workspace_member_deleted', service_account_id: ci, workspace_id: 'wrkspc_01Dflt' });
      expect((await as(WORKLOAD, emu, `${ws('wrkspc_01Dflt')}/${ci}`)).body.implicit).toBe(true);
    }
    expect((await as(WORKLOAD, emu, `${ws(beta)}/${ci}`, { method: 'DELETE' })).status).toBe(200); // idempotent
  });

  it('archived workspaces answer 400; an archived account lists no memberships (they come back in the state)', async () => {
    const emu = await emulator({ seed: SEED });
    const ci = await idOf(emu, 'ci-deploy');
    const gone = await idOf(emu, 'gone-bot');
    const old = emu.store.workspaces.seededNamed('Old')!.id;
    const ws = `/v1/organizations/workspaces/${old}/service_accounts`;
    expectEnvelope(await as(WORKLOAD, emu, ws), 400, 'invalid_request_error');
    expectEnvelope(await as(WORKLOAD, emu, ws, { body: { service_account_id: ci, workspace_role: 'workspace_user' } }), 400, 'invalid_request_error');
    expectEnvelope(await as(WORKLOAD, emu, `${ws}/${ci}`, { method: 'DELETE' }), 400, 'invalid_request_error');
    const listed = await as(WORKLOAD, emu, `/v1/organizations/service_accounts/${gone}/workspaces`);
    expect(listed.body).toEqual({ data: [], next_page: null });
    const state = (await control(emu, '/state')).body;
    const entry = state.service_accounts.find((a: { name: string }) => a.name === 'gone-bot');
    expect(entry.workspaces.map((m: { workspace_id: string; implicit: boolean }) => m.implicit)).toEqual([true, false]);
  });
});

describe('seed', () => {
  it('API keys name a service account as principal, by name or svac_ id, archived ones included', async () => {
    const emu = await emulator({ seed: SEED });
    const gone = await idOf(emu, 'gone-bot');
    const keys = await call(emu, '/v1/organizations/api_keys', { key: KEY, headers: NEW });
    expect(keys.body.data[0].principal).toEqual({ type: 'service_account_actor', service_account_id: gone });
  });

  it('reports every mistake with its path', () => {
    let problems: string[] = [];
    try {
      validateSeed(
        {
          admin_keys: [{ key: KEY, name: 'dup' }],
          oauth_tokens: [{ token: KEY }, { token: WORKLOAD, name: 'dup' }, { token: PERSON, user: 'nobody@qv.example', interactive: 'yes' }],
          workspaces: [{ name: 'Alpha' }],
          service_accounts: [
            { name: 'Bad Name' },
            { name: 'ok-bot', role: 'owner', workspaces: [{ workspace: 'Nope', role: 'workspace_user' }, { workspace: 'Alpha', role: 'workspace_billing' }] },
            { name: 'ok-bot', id: 'svcacct_01x' },
          ],
          api_keys: [{ name: 'k', principal_service_account: 'missing' }, { name: 'j', principal_service_account_id: 'svac_01Missing' }],
        },
        'test',
      );
    } catch (e) {
      problems = (e as SeedError).problems;
    }
    expect(problems).toEqual([
      'oauth_tokens[0]: the same value as admin_keys[0]',
      "oauth_tokens[1]: duplicate credential name 'dup' (admin keys and OAuth tokens share names)",
      'oauth_tokens[2].interactive: must be true or false',
      "oauth_tokens[2].user: 'nobody@qv.example' is not a seeded user",
      expect.stringMatching(/^service_accounts\[0\]\.name: 'Bad Name' is not a slug/),
      "service_accounts[1].role: 'owner' must be developer or admin",
      "service_accounts[1].workspaces[0].workspace: no seeded workspace is named 'Nope'",
      expect.stringMatching(/^service_accounts\[1\]\.workspaces\[1\]\.role: 'workspace_billing' must be/),
      "service_accounts[2].name: duplicate service account name 'ok-bot'",
      "service_accounts[2].id: 'svcacct_01x' is not a svac_… id",
      expect.stringMatching(/^api_keys\[0\]\.principal_service_account: 'missing' is not a seeded service account/),
      "api_keys[1].principal_service_account_id: no seeded service account has id 'svac_01Missing'",
    ]);
    expect(() => validateSeed({ organization: { kind: 'enterprise' }, service_accounts: [{ name: 'x' }] }, 'e')).toThrow(
      /service_accounts: only a console organization has service accounts/,
    );
  });
});
