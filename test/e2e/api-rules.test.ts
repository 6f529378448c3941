// End-to-end (issue 13): the rules of Admin API 2026-10-21 through the CLI and the emulator. A group whose role
// grants owner access is changed by a person: planned as manual when its built-in role says so, reported as manual
// at apply when only the API's refusal says so (a custom role). The plan shows each declared group's roles. The
// organization's last member is never removed. Codes injected by the fault control reach the apply's decisions.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_ROLE_IDS } from '../../src/emulator/index.js';
import { ADMIN_KEY, actions, desiredDoc, scenario, seedOf } from './harness.js';

const ENTERPRISE = { kind: 'enterprise' } as const;

type GroupState = { rbac_groups: Array<{ name: string; members: string[] }> };

describe('e2e: RBAC groups that grant owner access (2026-10-21)', () => {
  const seed = () => seedOf({
    ...ENTERPRISE,
    users: [{ email: 'a@acme.com', role: 'user' }, { email: 'b@acme.com', role: 'user' }, { email: 'owner@acme.com', role: 'primary_owner' }],
    rbac_roles: [{ id: 'rbac_role_01Deputy', display_name: 'Deputy', owner_access: true }],
    rbac_groups: [
      { name: 'Founders', role_ids: [BUILT_IN_ROLE_IDS.owner], members: ['b@acme.com'] },
      { name: 'Platform', role_ids: [BUILT_IN_ROLE_IDS.admin, BUILT_IN_ROLE_IDS.member] },
      { name: 'Deputies', role_ids: ['rbac_role_01Deputy'] },
    ],
  });
  const doc = desiredDoc({
    members: { 'a@acme.com': 'user', 'b@acme.com': 'user', 'owner@acme.com': 'primary_owner' },
    policy: { removals: 'prune' },
    groups: { Founders: { members: ['a@acme.com'] }, Platform: { members: ['a@acme.com'] }, Deputies: { members: ['a@acme.com'] } },
  }, ENTERPRISE);

  it('the plan shows the roles; the built-in Owner group is manual; a custom owner role is refused at apply and reported manual', async () => {
    const s = await scenario(seed(), doc);
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual([
      'create group_member["Deputies/a@acme.com"]',
      'manual group_member["Founders/a@acme.com"]',
      'create group_member["Platform/a@acme.com"]',
      'manual group_member["Founders/b@acme.com"]',
    ]);
    expect(plan.group_roles).toEqual([
      { group: 'Founders', roles: ['Owner'], owner_access: true },
      { group: 'Platform', roles: ['Admin', 'Member'], owner_access: false },
      { group: 'Deputies', roles: ['Deputy'], owner_access: false },
    ]);
    const text = (await s.run(['plan'])).stdout;
    expect(text).toContain('Roles of the declared RBAC groups:');
    expect(text).toContain('Founders: Owner (grants owner access');

    const out = await s.apply();
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(out.stdout).toMatch(/MANUAL .*group_member\["Deputies\/a@acme.com"\]: a role of the group grants owner access/);
    expect(out.stdout).not.toContain('FAILED');
    expect(out.stdout).toContain('1 left to a person');
    const groups = ((await s.state()) as unknown as GroupState).rbac_groups;
    const members = (n: string) => groups.find((g) => g.name === n)!.members;
    expect(members('Platform')).toHaveLength(1);
    expect(members('Deputies')).toEqual([]);
    expect(members('Founders')).toHaveLength(1);
  });

  it('deleting a group whose built-in role grants owner access is manual in the plan, and nothing is sent', async () => {
    const s = await scenario(seed(), desiredDoc({
      members: { 'a@acme.com': 'user', 'b@acme.com': 'user', 'owner@acme.com': 'primary_owner' },
      groups: { Founders: { delete: true }, Platform: {}, Deputies: {} },
    }, ENTERPRISE));
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual(['manual group["Founders"]']);
    expect(plan.changes[0]!.reason).toContain('grants owner access (role "Owner")');
    expect((await s.apply()).code).toBe(0);
    const groups = ((await s.state()) as unknown as GroupState).rbac_groups;
    expect(groups.map((g) => g.name)).toContain('Founders');
    expect(Object.keys((await s.state()).requests).filter((r) => r.startsWith('DELETE'))).toEqual([]);
  });

  it('a declared group without roles reads no roles: the plan costs no extra request', async () => {
    const s = await scenario(seedOf({ ...ENTERPRISE, users: [{ email: 'a@acme.com', role: 'user' }], rbac_groups: [{ name: 'Plain' }] }),
      desiredDoc({ members: { 'a@acme.com': 'user' }, groups: { Plain: { members: ['a@acme.com'] } } }, ENTERPRISE));
    const { plan } = await s.plan();
    expect(plan).not.toHaveProperty('group_roles');
    const routes = Object.keys((await s.state()).requests);
    expect(routes.filter((r) => r.includes('rbac_roles'))).toEqual([]);
    expect(routes.some((r) => r.includes('rbac_groups'))).toBe(true);
  });
});

describe('e2e: the last member and refusals by error code (2026-10-21)', () => {
  it('a saved plan whose removal became the last member\'s is reported manual at apply, not failed', async () => {
    const s = await scenario(seedOf({ users: [{ email: 'a@acme.com', role: 'user' }, { email: 'b@acme.com', role: 'user' }] }),
      desiredDoc({ members: { 'b@acme.com': 'user' }, departed: { 'a@acme.com': null } }));
    const path = join(s.dir, 'plan.json');
    expect((await s.run(['plan', '--out', path])).code).toBe(0);
    // meanwhile a person removes b in the console: a is now the organization's only member
    const b = (await s.state()).users.find((u) => u.email === 'b@acme.com')!;
    const del = await fetch(`${s.emu.url}/v1/organizations/users/${b.id}`, {
      method: 'DELETE', headers: { 'x-api-key': ADMIN_KEY, 'anthropic-version': '2026-10-21' }, signal: AbortSignal.timeout(10_000),
    });
    expect(del.status).toBe(200);
    const out = await s.run(['apply', path]);
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(out.stdout).toMatch(/MANUAL .*member\["a@acme.com"\]: the API never removes an organization's last member/);
    expect((await s.state()).users.map((u) => u.email)).toEqual(['a@acme.com']);
    // and the next plan does not plan the removal either (b, declared, is invited again: not a member yet)
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual(['create invite["b@acme.com"]', 'manual member["a@acme.com"]']);
    expect(plan.access_remains).toMatchObject([{ email: 'a@acme.com', state: 'manual' }]);
  });

  it('an invite answered already_member is in place: no second POST and no email, the apply succeeds', async () => {
    const s = await scenario(seedOf({ users: [{ email: 'a@acme.com', role: 'user' }] }), desiredDoc({ members: { 'a@acme.com': 'user', 'n@acme.com': 'user' } }));
    expect((await s.control('faults', { method: 'POST', path: '/v1/organizations/invites', status: 400, error_type: 'invalid_request_error', error_code: 'already_member' })).ok).toBe(true);
    const out = await s.apply();
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toMatch(/in place .*invite\["n@acme.com"\].*already a member/);
    const state = await s.state();
    expect(state.invitation_emails['n@acme.com'] ?? 0).toBe(0);
    // one POST, answered 400 by the fault: the client sent no second one
    expect((state.requests as Record<string, Record<string, number>>)['POST /v1/organizations/invites']).toEqual({ 400: 1 });
  });

  it('workspace_created_incomplete: the workspace the server made is adopted, never created twice', async () => {
    const s = await scenario(seedOf({ users: [{ email: 'a@acme.com', role: 'user' }] }),
      desiredDoc({ members: { 'a@acme.com': 'user' }, workspaces: { Research: { members: { 'a@acme.com': 'workspace_user' } } } }));
    expect((await s.control('faults', { method: 'POST', path: '/v1/organizations/workspaces', status: 503, error_type: 'api_error', error_code: 'workspace_created_incomplete', carry_out: true })).ok).toBe(true);
    const out = await s.apply();
    expect(out.code, out.stdout + out.stderr).toBe(0);
    const ws = ((await s.state()) as unknown as { workspaces: Array<{ name: string }> }).workspaces.filter((w) => w.name === 'Research');
    expect(ws).toHaveLength(1);
    await s.expectConverged();
  });
});

describe('e2e: drift that means drift (issue 14)', () => {
  it('a person added by hand in the console makes --detailed-exitcode exit 2 until the file declares them', async () => {
    const s = await scenario(seedOf({ users: [{ email: 'a@acme.com', role: 'user' }] }), desiredDoc({ members: { 'a@acme.com': 'user' } }));
    await s.expectConverged();
    // a person is added by hand: an invite, accepted in the console
    const inv = await fetch(`${s.emu.url}/v1/organizations/invites`, {
      method: 'POST', headers: { 'x-api-key': ADMIN_KEY, 'anthropic-version': '2026-10-21', 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'hand@acme.com', role: 'developer' }), signal: AbortSignal.timeout(10_000),
    });
    expect(inv.status).toBe(200);
    await s.control('invites/accept', { email: 'hand@acme.com' });
    const { code, plan } = await s.plan(['--detailed-exitcode']);
    expect(code).toBe(2);
    expect(actions(plan)).toEqual([]);
    expect(plan.undeclared).toMatchObject([{ address: 'member["hand@acme.com"]' }]);
    // the drift issue's body: the markdown names them and counts them in its summary line
    const md = await s.run(['plan', '--format', 'markdown', '--detailed-exitcode']);
    expect(md.code).toBe(2);
    expect(md.stdout).toContain('1 undeclared');
    expect(md.stdout).toMatch(/Undeclared \(drift\): 1[\s\S]*hand@acme\.com/);
    // an apply changes nothing (policy.removals: declared) and the drift stays
    expect((await s.apply()).code).toBe(0);
    await s.expectConverged([], { drift: ['member["hand@acme.com"]'] });
    // the file declares them: no drift
    s.write(desiredDoc({ members: { 'a@acme.com': 'user', 'hand@acme.com': 'developer' } }));
    await s.expectConverged();
    // or the organization says it is fine to leave them out
    s.write(desiredDoc({ members: { 'a@acme.com': 'user' }, policy: { undeclared: 'warn' } }));
    await s.expectConverged();
  });
});

describe('e2e: the comment of an invalid file (issue 14)', () => {
  it('shows file:line: message, not "see the job log", and no absolute path of the runner', async () => {
    const s = await scenario(seedOf({ users: [{ email: 'a@acme.com', role: 'user' }] }), 'version: 1\norganization: { id: 11111111-2222-4333-8444-555555555555, kind: console }\nmembers:\n  a@acme.com: wizard\n');
    const out = await s.run(['plan', '--format', 'markdown']);
    expect(out.code).toBe(1);
    expect(out.stdout).not.toContain('job log');
    expect(out.stdout).toMatch(/org\.yaml:4`?: .*wizard/);
    expect(out.stdout).not.toContain(s.dir);
  });
});

describe('e2e: an apply that waits for the rate limit says so (issue 15)', () => {
  it('a 429 with retry-after 3 is one stderr line, how long and why; the apply then goes on', async () => {
    const s = await scenario(seedOf({ users: [{ email: 'a@acme.com', role: 'user' }] }), desiredDoc({ members: { 'a@acme.com': 'developer' } }));
    await s.control('faults', { method: 'POST', path: '/v1/organizations/users/*', status: 429, error_type: 'rate_limit_error', retry_after: 3 });
    const out = await s.apply();
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/^waiting 3\.0 s for the rate limit: the API answered 429 \(too many requests\) to POST \/v1\/organizations\/users\/\{user_id\}, with retry-after$/m);
    expect(out.stderr.match(/^waiting /gm)).toHaveLength(1);
    await s.expectConverged();
  });
});
