// End-to-end (issue 5): saved plans applied exactly, stale plans refused, approved hashes enforced, several
// organizations in one directory.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ADMIN_KEY, actions, desiredDoc, scenario, seedOf, type Scenario } from './harness.js';
import type { Plan } from '../../src/model/plan.js';

const seed = () => seedOf({
  users: [{ email: 'alice@acme.com', role: 'user' }, { email: 'bob@acme.com', role: 'user' }, { email: 'dave@acme.com', role: 'developer' }],
  invites: [{ email: 'erin@acme.com', role: 'user' }],
});
const doc = () => desiredDoc({
  members: { 'alice@acme.com': 'developer', 'bob@acme.com': 'user', 'erin@acme.com': 'developer', 'new@acme.com': 'user' },
  departed: { 'dave@acme.com': null },
});

async function savedPlan(s: Scenario): Promise<{ path: string; plan: Plan }> {
  const path = join(s.dir, 'plan.json');
  const out = await s.run(['plan', '--out', path]);
  expect(out.code).toBe(0);
  return { path, plan: JSON.parse(readFileSync(path, 'utf8')) as Plan };
}

describe('e2e: saved plans', () => {
  it('plan --out writes the plan with fingerprints and no secret; apply PLANFILE applies exactly it, without a prompt', async () => {
    const s = await scenario(seed(), doc());
    const { path, plan } = await savedPlan(s);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(ADMIN_KEY);
    expect(text).not.toContain(ADMIN_KEY.slice(-16));
    expect(plan.changes.filter((c) => c.id).every((c) => /^[0-9a-f]{64}$/.test(c.fingerprint ?? ''))).toBe(true);
    expect(actions(plan)).toEqual(['replace invite["erin@acme.com"]', 'create invite["new@acme.com"]', 'update member["alice@acme.com"]', 'delete member["dave@acme.com"]']);
    const out = await s.run(['apply', path]); // no --auto-approve, no terminal: a saved plan needs no prompt
    expect(out.stdout).toContain('4 applied, 0 failed');
    // the harness passes -f too: it is named as ignored, since the saved plan says what to apply
    expect(out.stderr).toContain(`note: -f ${s.file} is ignored: a saved plan is applied exactly as it was made`);
    expect(out.code).toBe(0);
    await s.expectConverged();
  });

  it('a touched object that changed makes the apply refuse, naming it; nothing is applied', async () => {
    const s = await scenario(seed(), doc());
    const { path } = await savedPlan(s);
    await s.control('users/role', { email: 'alice@acme.com', role: 'billing' });
    const before = await s.state();
    const out = await s.run(['apply', path]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('member["alice@acme.com"]');
    expect(out.stderr).toContain('changed since the plan was made');
    const after = await s.state();
    expect(after.users).toEqual(before.users);
    expect(after.invites).toEqual(before.invites);
  });

  it('a touched object that is gone makes the apply refuse too', async () => {
    const s = await scenario(seed(), doc());
    const { path, plan } = await savedPlan(s);
    const erin = plan.changes.find((c) => c.address === 'invite["erin@acme.com"]')!;
    await fetch(`${s.emu.url}/v1/organizations/invites/${erin.id}`, { method: 'DELETE', headers: { 'x-api-key': ADMIN_KEY } });
    const out = await s.run(['apply', path]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('invite["erin@acme.com"]');
    expect(out.stderr).toContain('is gone');
  });

  it('an object the plan does not touch may change freely: the saved plan is applied', async () => {
    const s = await scenario(seed(), doc());
    const { path } = await savedPlan(s);
    await s.control('users/role', { email: 'bob@acme.com', role: 'developer' });
    const out = await s.run(['apply', path]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('4 applied');
  });

  it('a plan edited after it was written is refused', async () => {
    const s = await scenario(seed(), doc());
    const { path, plan } = await savedPlan(s);
    plan.changes[0]!.after = { ...plan.changes[0]!.after, role: 'billing' };
    writeFileSync(path, JSON.stringify(plan));
    const out = await s.run(['apply', path]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('plan_hash does not match');
    expect((await s.state()).users.find((u) => u.email === 'alice@acme.com')?.role).toBe('user');
  });

  it('a blocked saved plan is refused with exit 3', async () => {
    const s = await scenario(seed(), desiredDoc({ policy: { max_removals: 0 }, members: { 'alice@acme.com': 'user', 'bob@acme.com': 'user' }, departed: { 'dave@acme.com': null } }));
    const path = join(s.dir, 'plan.json');
    expect((await s.run(['plan', '--out', path])).code).toBe(3);
    const out = await s.run(['apply', path]);
    expect(out.code).toBe(3);
    expect((await s.state()).users).toHaveLength(3);
  });
});

describe('e2e: --expect-plan-hash', () => {
  it('applies only when the new plan has the approved hash', async () => {
    const s = await scenario(seed(), doc());
    const { plan } = await s.plan();
    const wrong = await s.apply(['--expect-plan-hash', '0'.repeat(64)]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('not the one that was approved');
    expect((await s.state()).users.find((u) => u.email === 'alice@acme.com')?.role).toBe('user');

    // the organization changes after the review: the approved hash no longer matches
    await s.control('users/role', { email: 'bob@acme.com', role: 'developer' });
    const drifted = await s.apply(['--expect-plan-hash', plan.plan_hash]);
    expect(drifted.code).toBe(1);
    await s.control('users/role', { email: 'bob@acme.com', role: 'user' });

    const ok = await s.apply(['--expect-plan-hash', plan.plan_hash]);
    expect(ok.code).toBe(0);
    await s.expectConverged();
  });
});

describe('e2e: several organizations in one directory', () => {
  it('plans and applies each file with its own credential variables, reporting per organization', async () => {
    const a = await scenario(seed(), doc());
    const BETA = '99999999-2222-4333-8444-555555555555';
    const b = await scenario(seedOf({ orgId: BETA, users: [{ email: 'x@beta.com', role: 'user' }] }), desiredDoc({ members: { 'x@beta.com': 'developer' } }, { id: BETA }));
    const dir = join(a.dir, 'orgs');
    mkdirSync(dir);
    const withCreds = (d: Record<string, unknown>, suffix: string) => ({
      ...d,
      organization: { ...(d.organization as object), credentials: { admin_key_env: `ADMIN_KEY_${suffix}`, base_url_env: `BASE_URL_${suffix}` } },
    });
    writeFileSync(join(dir, 'alpha.yaml'), stringify(withCreds(doc(), 'ALPHA')));
    writeFileSync(join(dir, 'beta.yaml'), stringify(withCreds(desiredDoc({ members: { 'x@beta.com': 'developer' } }, { id: BETA }), 'BETA')));
    a.file = dir;
    a.extraEnv = { ANTHROPIC_ADMIN_KEY: undefined, ADMIN_KEY_ALPHA: ADMIN_KEY, BASE_URL_ALPHA: a.emu.url, ADMIN_KEY_BETA: ADMIN_KEY, BASE_URL_BETA: b.emu.url };

    const text = await a.run(['plan', '--detailed-exitcode']);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(`═══ ${join(dir, 'alpha.yaml')}`);
    expect(text.stdout).toContain(`═══ ${join(dir, 'beta.yaml')}`);
    expect(text.stdout).toContain('~ member["x@beta.com"]');

    const json = JSON.parse((await a.run(['plan', '--format', 'json'])).stdout) as { plan_hash: string; plans: Plan[] };
    expect(json.plans.map((p) => p.organization.name)).toEqual(['E2E Org', 'E2E Org']);
    expect(json.plans.map((p) => p.changes.length)).toEqual([4, 1]);

    expect((await a.run(['apply', '--auto-approve', '--expect-plan-hash', json.plans[0]!.plan_hash])).code).toBe(1);
    const applied = await a.run(['apply', '--auto-approve', '--expect-plan-hash', json.plan_hash]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('applying');
    expect((await b.state()).users[0]!.role).toBe('developer');
    const again = await a.run(['plan', '--detailed-exitcode']);
    expect(again.code).toBe(0);
  });

  it('one organization that cannot be read does not hide the other; the run exits 1', async () => {
    const a = await scenario(seedOf({ users: [{ email: 'x@acme.com', role: 'user' }] }), desiredDoc({ members: { 'x@acme.com': 'developer' } }));
    const dir = join(a.dir, 'orgs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'good.yaml'), stringify(desiredDoc({ members: { 'x@acme.com': 'developer' } })));
    writeFileSync(join(dir, 'other.yaml'), stringify(desiredDoc({ members: {} }, { id: '99999999-2222-4333-8444-555555555555' })));
    a.file = dir;
    const out = await a.run(['plan']);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('~ member["x@acme.com"]');
    expect(out.stderr).toContain('other.yaml: error:');
  });
});
