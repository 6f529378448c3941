// Issue 17 item 2, end to end against the emulator: with policy.sign_out_on_removal a departed member of an
// Enterprise organization is signed out everywhere (the beta endpoint, its header) and then removed; a sign-out the
// API refuses is left to a person while the removal still happens; a plan after either is empty.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actions, ADMIN_KEY, desiredDoc, scenario, seedOf } from './harness.js';

interface SignOutRecord { user_id: string; email: string; by: string }

const doc = (departed: Record<string, unknown>) => desiredDoc(
  { policy: { sign_out_on_removal: true }, members: { 'keeper@acme.com': 'user' }, departed },
  { kind: 'enterprise' },
);

describe('e2e: sign-out on removal', () => {
  it('a departed member is signed out, then removed; the next plan is empty', async () => {
    const s = await scenario(
      seedOf({ kind: 'enterprise', users: [{ email: 'keeper@acme.com', role: 'user' }, { email: 'dave@acme.com', role: 'user' }] }),
      doc({ 'dave@acme.com': { date: '2026-11-01', reason: 'left the company' } }),
    );
    const dave = (await s.state()).users.find((u) => u.email === 'dave@acme.com')!;
    const p = await s.plan();
    expect(actions(p.plan)).toEqual(['create sign_out["dave@acme.com"]', 'delete member["dave@acme.com"]']);
    expect(p.plan.removals.count).toBe(1);

    const text = await s.run(['plan']);
    expect(text.stdout).toContain('sign_out["dave@acme.com"]');

    const applied = await s.apply();
    expect(applied.code, applied.stderr).toBe(0);
    const state = (await s.state()) as unknown as { sign_outs: SignOutRecord[]; users: Array<{ email: string }> };
    expect(state.sign_outs).toMatchObject([{ user_id: dave.id, email: 'dave@acme.com', by: 'e2e' }]);
    expect(state.users.map((u) => u.email)).toEqual(['keeper@acme.com']);

    // signed out first, then removed (the log is oldest first)
    const log = (await (await s.control('requests?limit=100', undefined, 'GET')).json()) as { data: Array<{ method: string; path: string; status: number }> };
    const requests = log.data.map((r) => `${r.status} ${r.method} ${r.path}`);
    const signOutAt = requests.indexOf(`200 POST /v1/organizations/users/${dave.id}/sign_out`);
    const removeAt = requests.indexOf(`200 DELETE /v1/organizations/users/${dave.id}`);
    expect(signOutAt, requests.join('\n')).toBeGreaterThanOrEqual(0);
    expect(removeAt).toBeGreaterThan(signOutAt);

    await s.expectConverged();
  });

  it('with SCIM provisioning: signed out as their SCIM user is deactivated; gone at the sync; no second sign-out', async () => {
    const directory = 'dir_e2e_signout';
    const token = 'Qz7Lm2Vx9Tb4Kw8Rj3Hn6Pd1Fy5';
    const s = (await scenario(
      seedOf({ kind: 'enterprise', provisioning: 'scim', scim: { directory, token, users: [{ userName: 'dave@acme.com' }, { userName: 'keeper@acme.com' }], synced: true } } as Parameters<typeof seedOf>[0]),
      desiredDoc({ policy: { sign_out_on_removal: true }, members: { 'keeper@acme.com': 'user' }, departed: { 'dave@acme.com': null } },
        { kind: 'enterprise', provisioning: 'scim' }),
    )).useEmulatorScim(directory, token);
    const dave = (await s.state()).users.find((u) => u.email === 'dave@acme.com')!;
    const p = await s.plan();
    expect(actions(p.plan)).toEqual(['create sign_out["dave@acme.com"]', 'update scim_user["dave@acme.com"]']);
    const applied = await s.apply();
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(((await s.state()) as unknown as { sign_outs: SignOutRecord[] }).sign_outs).toMatchObject([{ user_id: dave.id, email: 'dave@acme.com' }]);
    // before the sync the member waits to be removed (deferred): no second sign-out is planned
    expect(actions((await s.plan()).plan)).toEqual(['deferred member["dave@acme.com"]']);
    await s.sync();
    expect((await s.state()).users.map((u) => u.email)).toEqual(['keeper@acme.com']);
    await s.expectConverged();
  });

  it('refused (a managed member with a key without write:rbac_groups; the key\'s own member): manual, and both are still removed', async () => {
    const s = await scenario(
      seedOf({
        kind: 'enterprise',
        admin_keys: [{ key: 'sk-ant-admin01-Qz7Rw2Xv9Lm4Tp8Kd3', name: 'scoped', scopes: ['read:members', 'write:members'], user: 'self@acme.com' }],
        users: [{ email: 'keeper@acme.com', role: 'user' }, { email: 'mgd@acme.com', role: 'managed' }, { email: 'self@acme.com', role: 'user' }],
      }),
      doc({ 'mgd@acme.com': null, 'self@acme.com': null }),
    );
    s.extraEnv = { ANTHROPIC_ADMIN_KEY: 'sk-ant-admin01-Qz7Rw2Xv9Lm4Tp8Kd3' };
    const p = await s.plan();
    expect(actions(p.plan)).toEqual([
      'create sign_out["mgd@acme.com"]', 'create sign_out["self@acme.com"]',
      'delete member["mgd@acme.com"]', 'delete member["self@acme.com"]',
    ]);
    const applied = await s.apply(['--allow-mass-removal']);
    // a change left to a person makes the apply incomplete (exit 1), and says what to do
    expect(applied.code).toBe(1);
    expect(applied.stdout).toContain('cannot_sign_out_managed_member');
    expect(applied.stdout).toContain('cannot_sign_out_self');
    const state = (await s.state()) as unknown as { sign_outs: SignOutRecord[]; users: Array<{ email: string }> };
    expect(state.sign_outs).toEqual([]);
    expect(state.users.map((u) => u.email)).toEqual(['keeper@acme.com']);
    await s.expectConverged();
  });

  it('a saved plan: applied as planned; a member removed by a person meanwhile makes both changes done, not stale', async () => {
    const seed = () => seedOf({ kind: 'enterprise', users: [{ email: 'keeper@acme.com', role: 'user' }, { email: 'dave@acme.com', role: 'user' }] });
    const s = await scenario(seed(), doc({ 'dave@acme.com': null }));
    const path = join(s.dir, 'plan.json');
    expect((await s.run(['plan', '--out', path])).code).toBe(0);
    const out = await s.run(['apply', path]);
    expect(out.stdout).toContain('2 applied, 0 failed');
    expect(out.code).toBe(0);
    expect(((await s.state()) as unknown as { sign_outs: SignOutRecord[] }).sign_outs.map((r) => r.email)).toEqual(['dave@acme.com']);

    const t = await scenario(seed(), doc({ 'dave@acme.com': null }));
    const tPath = join(t.dir, 'plan.json');
    expect((await t.run(['plan', '--out', tPath])).code).toBe(0);
    const dave = (await t.state()).users.find((u) => u.email === 'dave@acme.com')!;
    await fetch(`${t.emu.url}/v1/organizations/users/${dave.id}`, { method: 'DELETE', headers: { 'x-api-key': ADMIN_KEY } });
    const late = await t.run(['apply', tPath]);
    expect(late.code, late.stderr).toBe(0);
    expect(((await t.state()) as unknown as { sign_outs: SignOutRecord[] }).sign_outs).toEqual([]);
    await t.expectConverged();
  });
});
