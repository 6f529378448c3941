// Issue 17 item 1, end to end against the emulator: service accounts and their workspace memberships plan, apply
// and plan again to zero changes; without the OAuth token the rest of the organization still applies and the
// service-account changes are `unavailable`; an archived account's API keys are reported or deactivated per policy;
// `import` then `plan` is empty.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { Seed } from '../../src/emulator/index.js';
import { actions, desiredDoc, scenario, seedOf, type Scenario } from './harness.js';

/** An opaque OAuth access token (no words): the seed's workload token with org:admin. */
const TOKEN = 'Wq4Tz8Kd2Mv6Xb1Rn5Hc9Py3Jg7';
const WITH_TOKEN = { ANTHROPIC_ADMIN_OAUTH_TOKEN: TOKEN };

type SaState = Array<{ id: string; name: string; description: string | null; organization_role: string; archived_at: string | null; workspaces: Array<{ workspace_id: string; workspace_role: string; implicit: boolean | null }> }>;
type WsState = Array<{ id: string; name: string }>;

async function accounts(s: Scenario): Promise<SaState> {
  return ((await s.state()) as unknown as { service_accounts: SaState }).service_accounts;
}

function seed(extra: Partial<Seed> = {}): Seed {
  return seedOf({
    users: [{ email: 'ada@acme.com', role: 'developer' }],
    workspaces: [{ name: 'Research' }, { name: 'Ops' }],
    oauth_tokens: [{ name: 'wif', token: TOKEN, scopes: ['org:admin'] }],
    service_accounts: [
      { name: 'etl-job', description: 'old words', role: 'developer', workspaces: [{ workspace: 'Ops', role: 'workspace_user' }] },
    ],
    ...extra,
  } as Partial<Seed>);
}

const doc = (sa: Record<string, unknown>, extra: Record<string, unknown> = {}) => desiredDoc({
  members: { 'ada@acme.com': 'developer' },
  workspaces: { Research: {}, Ops: {}, Sandbox: {} },
  service_accounts: sa,
  ...extra,
});

describe('e2e: service accounts', () => {
  it('plans, applies and plans again to zero changes: created, updated, memberships added, changed and removed', async () => {
    const s = await scenario(seed(), doc({
      'ci-bot': { description: 'deploys main', workspaces: { Research: 'workspace_developer', Sandbox: 'workspace_user' } },
      'etl-job': { description: 'nightly load', workspaces: { Research: 'workspace_user' } },
    }));
    s.extraEnv = WITH_TOKEN;
    const p = await s.plan();
    expect(p.code).toBe(0);
    expect(actions(p.plan)).toEqual([
      'create service_account["ci-bot"]',
      'update service_account["etl-job"]',
      'create workspace["Sandbox"]',
      'create service_account_workspace["ci-bot/Research"]',
      'create service_account_workspace["ci-bot/Sandbox"]',
      'create service_account_workspace["etl-job/Research"]',
      'delete service_account_workspace["etl-job/Ops"]',
    ]);
    expect(p.plan.organization.credentials.oauth_token_env).toBe('ANTHROPIC_ADMIN_OAUTH_TOKEN');
    expect(p.plan.removals.addresses).toEqual(['service_account_workspace["etl-job/Ops"]']);

    const md = await s.run(['plan', '--format', 'markdown']);
    expect(md.stdout).toContain('service account <code>ci-bot</code>: created as developer');
    expect(md.stdout).not.toContain(TOKEN);

    const applied = await s.apply();
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout + applied.stderr).not.toContain(TOKEN);

    const state = await s.state();
    const ws = new Map(((state as unknown as { workspaces: WsState }).workspaces).map((w) => [w.id, w.name]));
    const byName = new Map((await accounts(s)).map((a) => [a.name, a]));
    const explicit = (name: string) => byName.get(name)!.workspaces.filter((m) => !m.implicit).map((m) => `${ws.get(m.workspace_id)}:${m.workspace_role}`).sort();
    expect(byName.get('ci-bot')).toMatchObject({ description: 'deploys main', organization_role: 'developer', archived_at: null });
    expect(explicit('ci-bot')).toEqual(['Research:workspace_developer', 'Sandbox:workspace_user']);
    expect(byName.get('etl-job')!.description).toBe('nightly load');
    expect(explicit('etl-job')).toEqual(['Research:workspace_user']);
    await s.expectConverged();
  });

  it('a saved plan (plan --out, apply PLANFILE) applies through the saved-plan check and converges', async () => {
    const s = await scenario(seed(), doc({
      'ci-bot': { workspaces: { Research: 'workspace_user' } },
      'etl-job': { description: 'nightly load', workspaces: { Ops: 'workspace_admin' } },
    }));
    s.extraEnv = WITH_TOKEN;
    const path = join(s.dir, 'plan.json');
    expect((await s.run(['plan', '--out', path])).code).toBe(0);
    expect(readFileSync(path, 'utf8')).not.toContain(TOKEN);
    const first = await s.run(['apply', path]);
    expect(first.stderr).not.toContain('stale');
    expect(first.code).toBe(0);
    await s.expectConverged();
  });

  it('a saved plan whose service account changed since is refused as stale; nothing is applied', async () => {
    const s = await scenario(seed(), doc({ 'etl-job': { description: 'nightly load' } }));
    s.extraEnv = WITH_TOKEN;
    const path = join(s.dir, 'plan.json');
    expect((await s.run(['plan', '--out', path])).code).toBe(0);
    const etl = (await accounts(s)).find((a) => a.name === 'etl-job')!;
    const res = await fetch(`${s.emu.url}/v1/organizations/service_accounts/${etl.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ description: 'changed by a person' }),
    });
    expect(res.status).toBe(200);
    const out = await s.run(['apply', path]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('service_account["etl-job"]');
    expect(out.stderr).toContain('changed since the plan was made');
    expect((await accounts(s)).find((a) => a.name === 'etl-job')!.description).toBe('changed by a person');
  });

  it('an admin role is left to a person (manual), never a failed apply', async () => {
    const s = await scenario(seed(), doc({ 'etl-job': { role: 'admin' }, 'boss-bot': { role: 'admin' } }));
    s.extraEnv = WITH_TOKEN;
    const p = await s.plan();
    expect(actions(p.plan)).toEqual(['manual service_account["boss-bot"]', 'manual service_account["etl-job"]', 'create workspace["Sandbox"]']);
    expect(p.plan.changes[0]!.reason).toContain('interactive credential');
    const applied = await s.apply();
    expect(applied.stdout).toContain('1 applied, 0 failed');
    expect((await accounts(s)).map((a) => `${a.name}:${a.organization_role}`)).toEqual(['etl-job:developer']);
  });

  it('an archive the API refuses because a federation rule still targets the account is manual, never a failed apply', async () => {
    const s = await scenario(seed({ service_accounts: [
      { name: 'etl-job', role: 'developer', federation_rules: 1 },
      { name: 'old-job', role: 'developer' },
    ] } as Partial<Seed>), doc({ 'etl-job': { archived: true }, 'old-job': { archived: true } }));
    s.extraEnv = WITH_TOKEN;
    const p = await s.plan();
    expect(actions(p.plan)).toEqual(['create workspace["Sandbox"]', 'delete service_account["etl-job"]', 'delete service_account["old-job"]']);
    const applied = await s.apply();
    expect(applied.code, applied.stdout).toBe(1);
    expect(applied.stdout).toMatch(/MANUAL\s+- service_account\["etl-job"\]: the API refused to archive it \(.*federation rule.*\): a live workload identity federation rule still targets it/);
    expect(applied.stdout).toContain('2 applied, 0 failed');
    expect((await accounts(s)).map((a) => `${a.name}:${a.archived_at === null ? 'active' : 'archived'}`)).toEqual(['etl-job:active', 'old-job:archived']);
    // the rest converged; the refused archive stays in the plan until a person retargets the rule
    expect(actions((await s.plan()).plan)).toEqual(['delete service_account["etl-job"]']);
  });

  it('a server that echoes the OAuth token back in an error never gets it printed', async () => {
    const s = await scenario(seed(), doc({ 'ci-bot': {}, 'etl-job': {} }));
    s.extraEnv = WITH_TOKEN;
    expect((await s.control('faults', { method: 'POST', path: '/v1/organizations/service_accounts', status: 400,
      error_type: 'invalid_request_error', message: `bad token ${TOKEN} (Bearer ${TOKEN})` })).ok).toBe(true);
    const applied = await s.apply();
    expect(applied.code).toBe(1);
    expect(applied.stdout).toMatch(/FAILED\s+\+ service_account\["ci-bot"\]: .*\[redacted\]/);
    expect(applied.stdout + applied.stderr).not.toContain(TOKEN);
    expect(applied.stdout + applied.stderr).not.toContain(TOKEN.slice(0, 12));
  });

  it('without the OAuth token: the rest of the organization applies, the service-account changes are unavailable with one diagnostic', async () => {
    const s = await scenario(seed(), doc({ 'ci-bot': { workspaces: { Research: 'workspace_user' } } }, { members: { 'ada@acme.com': 'developer', 'bo@acme.com': 'user' } }));
    const p = await s.plan(['--detailed-exitcode']);
    expect(actions(p.plan)).toEqual(['create invite["bo@acme.com"]', 'unavailable service_account["ci-bot"]', 'create workspace["Sandbox"]']);
    const d = p.plan.diagnostics.filter((x) => x.code === 'service_accounts_unavailable');
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toContain('set ANTHROPIC_ADMIN_OAUTH_TOKEN');
    const applied = await s.apply();
    expect(applied.stdout).toContain('2 applied, 0 failed');
    const state = await s.state();
    expect(state.invites.map((i) => i.email)).toEqual(['bo@acme.com']);
    expect((await accounts(s)).map((a) => a.name)).toEqual(['etl-job']);
    // the admin key was never offered to a service-account route
    expect(JSON.stringify(state.requests)).not.toContain('service_accounts');
    await s.expectConverged([], { drift: ['service_account["ci-bot"]'] });
  });

  it('a file that names its own token variable reads that one', async () => {
    const s = await scenario(seed(), desiredDoc({ members: { 'ada@acme.com': 'developer' }, service_accounts: { 'etl-job': { description: 'old words' } } },
      { credentials: { oauth_token_env: 'ACME_OAUTH' } }));
    s.extraEnv = { ACME_OAUTH: TOKEN };
    const p = await s.plan();
    expect(p.plan.organization.credentials.oauth_token_env).toBe('ACME_OAUTH');
    expect(actions(p.plan)).toEqual([]);
  });

  it.each(['report', 'deactivate'] as const)('an archived service account\'s active API keys: %s', async (policy) => {
    const s = await scenario(
      seed({ api_keys: [{ name: 'etl key', created_by: 'ada@acme.com', workspace: 'Ops', principal_service_account: 'etl-job' }, { name: 'ada key', created_by: 'ada@acme.com' }] } as Partial<Seed>),
      desiredDoc({ members: { 'ada@acme.com': 'developer' }, policy: { api_keys_of_removed_members: policy }, service_accounts: { 'etl-job': { archived: true } } }),
    );
    s.extraEnv = WITH_TOKEN;
    const p = await s.plan();
    const keys = (await s.state()) as unknown as { api_keys: Array<{ id: string; name: string; status: string }> };
    const etl = keys.api_keys.find((k) => k.name === 'etl key')!;
    if (policy === 'report') {
      expect(actions(p.plan)).toEqual(['delete service_account["etl-job"]']);
      expect(p.plan.diagnostics.find((x) => x.code === 'api_key_of_archived_service_account')?.message).toContain(etl.id);
    } else {
      expect(actions(p.plan)).toEqual([`update api_key["${etl.id}"]`, 'delete service_account["etl-job"]']);
    }
    expect(p.plan.removals.addresses).toEqual(['service_account["etl-job"]']);
    const applied = await s.apply();
    expect(applied.code).toBe(0);
    const after = ((await s.state()) as unknown as { api_keys: Array<{ name: string; status: string }> }).api_keys;
    expect(after.map((k) => `${k.name}:${k.status}`).sort()).toEqual([`ada key:active`, `etl key:${policy === 'deactivate' ? 'inactive' : 'active'}`]);
    expect((await accounts(s))[0]!.archived_at).not.toBeNull();
    await s.expectConverged();
  });

  it('undeclared accounts are drift, archived only under removals: prune (counted by max_removals)', async () => {
    const s = await scenario(seed(), doc({ 'ci-bot': {} }));
    s.extraEnv = WITH_TOKEN;
    expect((await s.plan()).plan.undeclared?.map((u) => u.address)).toEqual(['service_account["etl-job"]']);
    s.write(doc({ 'ci-bot': {} }, { policy: { removals: 'prune', max_removals: 0 } }));
    const blocked = await s.plan();
    expect(blocked.plan.blocked).toBe(true);
    expect(blocked.plan.removals.addresses).toEqual(['service_account["etl-job"]']);
    s.write(doc({ 'ci-bot': {} }, { policy: { removals: 'prune' } }));
    expect((await s.apply()).code).toBe(0);
    expect((await accounts(s)).find((a) => a.name === 'etl-job')!.archived_at).not.toBeNull();
    await s.expectConverged();
  });

  it('import writes them, and the imported file plans no change', async () => {
    const s = await scenario(seed({ service_accounts: [
      { name: 'etl-job', description: 'nightly load', role: 'developer', workspaces: [{ workspace: 'Ops', role: 'workspace_user' }] },
      { name: 'boss-bot', role: 'admin' },
      { name: 'gone-bot', archived: true },
    ] } as Partial<Seed>), desiredDoc({}));
    s.extraEnv = WITH_TOKEN;
    const out = join(s.dir, 'imported.yaml');
    let stderr = '';
    const code = await runCli(['import', '-o', out], {
      env: s.env(), stdout: { write: () => undefined }, stderr: { write: (t: string) => (stderr += t) }, stdoutIsTTY: false,
      stdinIsTTY: false, prompt: async () => 'no', now: () => new Date(), interrupt: new AbortController().signal,
      clientOptions: { retry: { baseDelayMs: 5, maxDelayMs: 50 } },
    });
    const imported = { code, stderr };
    expect(imported.code, imported.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('service_accounts:');
    expect(text).toMatch(/etl-job:\n\s+description: nightly load\n\s+role: developer\n\s+workspaces:\n\s+Ops: workspace_user/);
    expect(text).toMatch(/boss-bot:\n\s+role: admin/);
    expect(text).not.toContain('gone-bot:');
    expect(text).not.toContain(TOKEN);
    s.file = out;
    await s.expectConverged();
  });
});
