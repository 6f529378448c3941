// Service accounts (issue 17): planned like members — created, updated, archived when declared so, drift when not
// declared (archived under prune) — with their workspace memberships as a kind of their own; the admin role is left
// to a person (the API wants an interactive credential for it); without the OAuth token, `unavailable`.

import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/model/plan.js';
import { plan } from '../../src/planner/index.js';
import { apiKey, desiredOf, liveOf, NOW, serviceAccount, user, workspace, type DesiredSpec } from '../builders.js';

const KEEP = { 'ada@acme.com': 'developer' } as const;

function planOf(spec: DesiredSpec, live: Parameters<typeof liveOf>[0]) {
  return plan(desiredOf({ members: KEEP, ...spec }), liveOf({ users: [user('ada@acme.com', 'developer')], ...live }), { now: NOW });
}

const summary = (changes: readonly Change[]) => changes.map((c) => `${c.action} ${c.address}`);

describe('service accounts', () => {
  it.each<{ name: string; spec: DesiredSpec; live: Parameters<typeof liveOf>[0]; want: string[]; removals?: string[] }>([
    {
      name: 'a declared account that does not exist is created, then added to its workspaces',
      spec: { serviceAccounts: { 'ci-bot': { description: 'deploys', workspaces: { Research: 'workspace_developer' } } } },
      live: { serviceAccounts: [] },
      want: ['create service_account["ci-bot"]', 'create service_account_workspace["ci-bot/Research"]'],
    },
    {
      name: 'an account as declared plans nothing',
      spec: { serviceAccounts: { 'ci-bot': { description: 'deploys' } } },
      live: { serviceAccounts: [serviceAccount('ci-bot', { description: 'deploys' })] },
      want: [],
    },
    {
      name: 'a changed description is an update; an undeclared description is left alone',
      spec: { serviceAccounts: { 'ci-bot': { description: 'new words' }, 'etl-job': {} } },
      live: { serviceAccounts: [serviceAccount('ci-bot', { description: 'old words' }), serviceAccount('etl-job', { description: 'kept' })] },
      want: ['update service_account["ci-bot"]'],
    },
    {
      name: 'creating an admin account, or raising one to admin, is manual (an interactive credential is needed)',
      spec: { serviceAccounts: { 'ci-bot': { role: 'admin' }, 'etl-job': { role: 'admin' } } },
      live: { serviceAccounts: [serviceAccount('etl-job')] },
      want: ['manual service_account["ci-bot"]', 'manual service_account["etl-job"]'],
    },
    {
      name: 'lowering an admin account to developer is an update and a removal',
      spec: { serviceAccounts: { 'ci-bot': { role: 'developer' } } },
      live: { serviceAccounts: [serviceAccount('ci-bot', { role: 'admin' })] },
      want: ['update service_account["ci-bot"]'],
      removals: ['service_account["ci-bot"]'],
    },
    {
      name: 'archived: true archives a live account (a removal); an archived one needs nothing',
      spec: { serviceAccounts: { 'ci-bot': { archived: true }, 'old-bot': { archived: true } } },
      live: { serviceAccounts: [serviceAccount('ci-bot'), serviceAccount('old-bot', { archived: true })] },
      want: ['delete service_account["ci-bot"]'],
      removals: ['service_account["ci-bot"]'],
    },
    {
      name: 'a name held by an archived account cannot be created again: manual',
      spec: { serviceAccounts: { 'ci-bot': {} } },
      live: { serviceAccounts: [serviceAccount('ci-bot', { archived: true })] },
      want: ['manual service_account["ci-bot"]'],
    },
    {
      name: 'under prune an undeclared active account is archived',
      spec: { removals: 'prune', serviceAccounts: { 'ci-bot': {} } },
      live: { serviceAccounts: [serviceAccount('ci-bot'), serviceAccount('stray-bot')] },
      want: ['delete service_account["stray-bot"]'],
      removals: ['service_account["stray-bot"]'],
    },
  ])('$name', ({ spec, live, want, removals }) => {
    const p = planOf(spec, { workspaces: [workspace('Research')], ...live });
    expect(summary(p.changes)).toEqual(want);
    expect(p.removals.addresses).toEqual(removals ?? []);
  });

  it('lowering an admin account to developer warns that federation rules granting it org:admin stop working', () => {
    const p = planOf({ serviceAccounts: { 'ci-bot': { role: 'developer' }, 'etl-job': {} } },
      { workspaces: [workspace('Research')], serviceAccounts: [serviceAccount('ci-bot', { role: 'admin' }), serviceAccount('etl-job')] });
    const warned = p.diagnostics.filter((d) => d.code === 'service_account_demotion');
    expect(warned.map((d) => d.address)).toEqual(['service_account["ci-bot"]']);
    expect(warned[0]!.message).toContain('rejected at token exchange');
  });

  it('an undeclared account is drift under removals: declared, and never archived', () => {
    const p = planOf({ serviceAccounts: { 'ci-bot': {} } }, { serviceAccounts: [serviceAccount('ci-bot'), serviceAccount('stray-bot')] });
    expect(p.changes).toEqual([]);
    expect(p.undeclared?.map((u) => u.address)).toEqual(['service_account["stray-bot"]']);
  });

  it('memberships: added, role changed, undeclared ones removed; the Default Workspace is never touched', () => {
    const research = workspace('Research');
    const ops = workspace('Ops');
    const legacy = workspace('Legacy');
    const bot = serviceAccount('ci-bot');
    const p = planOf(
      { serviceAccounts: { 'ci-bot': { workspaces: { Research: 'workspace_admin', Ops: 'workspace_user' } } } },
      {
        workspaces: [research, ops, legacy],
        serviceAccounts: [bot],
        serviceAccountWorkspaces: [
          { serviceAccountId: bot.id, workspaceId: ops.id, role: 'workspace_developer' },
          { serviceAccountId: bot.id, workspaceId: legacy.id, role: 'workspace_user' },
          { serviceAccountId: bot.id, workspaceId: 'wrkspc_01DefaultWorkspaceAAAAAA', role: 'workspace_user' },
        ],
      },
    );
    expect(summary(p.changes)).toEqual([
      'update service_account_workspace["ci-bot/Ops"]',
      'create service_account_workspace["ci-bot/Research"]',
      'delete service_account_workspace["ci-bot/Legacy"]',
    ]);
    // lowering a role and removing a membership take access away
    expect(p.removals.addresses).toEqual(['service_account_workspace["ci-bot/Ops"]', 'service_account_workspace["ci-bot/Legacy"]']);
    expect(p.changes[1]!.after).toMatchObject({ service_account_id: bot.id, workspace_id: research.id, role: 'workspace_admin' });
  });

  it('a membership of a workspace this plan creates depends on that create', () => {
    const p = planOf(
      { workspaces: { Sandbox: {} }, serviceAccounts: { 'ci-bot': { workspaces: { Sandbox: 'workspace_user' } } } },
      { workspaces: [], serviceAccounts: [] },
    );
    const m = p.changes.find((c) => c.kind === 'service_account_workspace')!;
    expect(m.depends_on.sort()).toEqual(['service_account["ci-bot"]', 'workspace["Sandbox"]']);
  });

  it('a workspace that neither exists nor is declared is an error at the membership', () => {
    const p = planOf({ serviceAccounts: { 'ci-bot': { workspaces: { Nowhere: 'workspace_user' } } } }, { workspaces: [], serviceAccounts: [serviceAccount('ci-bot')] });
    expect(p.diagnostics.map((d) => [d.severity, d.code])).toContainEqual(['error', 'unknown_workspace']);
    expect(p.changes).toEqual([]);
  });

  it('without the OAuth token every declared account is unavailable, with one diagnostic naming the variable', () => {
    const p = planOf(
      { members: { ...KEEP, 'bo@acme.com': 'user' }, serviceAccounts: { 'ci-bot': {}, 'etl-job': { workspaces: { Research: 'workspace_user' } } } },
      { serviceAccounts: { unavailable: true, reason: 'ANTHROPIC_ADMIN_OAUTH_TOKEN is not set' } },
    );
    expect(summary(p.changes)).toEqual(['create invite["bo@acme.com"]', 'unavailable service_account["ci-bot"]', 'unavailable service_account["etl-job"]']);
    const d = p.diagnostics.filter((x) => x.code === 'service_accounts_unavailable');
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toContain('set ANTHROPIC_ADMIN_OAUTH_TOKEN');
  });

  it('the plan records the OAuth token variable among the credentials (covered by the hash)', () => {
    const a = planOf({}, {});
    expect(a.organization.credentials.oauth_token_env).toBe('ANTHROPIC_ADMIN_OAUTH_TOKEN');
    const d = desiredOf({ members: KEEP });
    d.organization.credentials.oauthTokenEnv = 'ACME_OAUTH';
    const b = plan(d, liveOf({ users: [user('ada@acme.com', 'developer')] }), { now: NOW });
    expect(b.plan_hash).not.toBe(a.plan_hash);
  });

  it.each([
    ['report', [], ['api_key_of_archived_service_account']],
    ['deactivate', ['update api_key'], []],
  ] as const)('the active API keys of an archived account: %s', (policy, actions, codes) => {
    const creator = user('ada@acme.com', 'developer');
    const bot = serviceAccount('ci-bot');
    const key = apiKey(creator, { serviceAccountId: bot.id, name: 'deploy key' });
    const other = apiKey(creator, { name: 'ada key' });
    const p = plan(
      desiredOf({ members: KEEP, apiKeys: policy, serviceAccounts: { 'ci-bot': { archived: true } } }),
      liveOf({ users: [creator], serviceAccounts: [bot], apiKeys: [key, other] }),
      { now: NOW },
    );
    expect(summary(p.changes).map((s) => s.replace(/\[.*$/, ''))).toEqual([...actions, 'delete service_account']);
    expect(p.diagnostics.filter((d) => d.code.startsWith('api_key_of')).map((d) => d.code)).toEqual(codes);
    if (policy === 'deactivate') {
      expect(p.changes[0]).toMatchObject({ id: key.id, after: { status: 'inactive', created_by: 'service account ci-bot' } });
      // the deactivation runs before the archive
      expect(p.changes[0]!.phase).toBeLessThan(p.changes[1]!.phase);
    } else {
      expect(p.diagnostics.find((d) => d.code === 'api_key_of_archived_service_account')!.message).toContain(key.id);
    }
  });
});
