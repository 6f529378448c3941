// Issue 14 item 2, end to end: approvals per organization. Two organizations (two emulators, one directory); a
// change made by hand in B after the review applies A and refuses B, naming what differs from the approved plan;
// B is applied later with the hash of its new plan. A saved plan applied again says so and writes nothing.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ADMIN_KEY, ORG_ID, desiredDoc, scenario, seedOf, type Scenario } from './harness.js';
import type { Plan } from '../../src/model/plan.js';
import type { PlanSet } from '../../src/model/plan-set.js';

const B_ID = '99999999-2222-4333-8444-555555555555';

/** Write requests the emulator counted (any route but GET), by route and status. */
async function writes(s: Scenario): Promise<Record<string, unknown>> {
  const { requests } = await s.state();
  return Object.fromEntries(Object.entries(requests).filter(([route]) => !route.startsWith('GET ')));
}

async function roleOf(s: Scenario, email: string): Promise<string | undefined> {
  return (await s.state()).users.find((u) => u.email === email)?.role;
}

/** Organization A (alpha.yaml) and B (beta.yaml), each with its own credential variables; `a.file` is the directory. */
async function twoOrgs(): Promise<{ a: Scenario; b: Scenario; dir: string }> {
  const aDoc = desiredDoc({ members: { 'qa@acme.com': 'developer' } });
  const bDoc = desiredDoc({ members: { 'qx@beta.com': 'developer', 'qy@beta.com': 'user' } }, { id: B_ID });
  const a = await scenario(seedOf({ users: [{ email: 'qa@acme.com', role: 'user' }] }), aDoc);
  const b = await scenario(seedOf({ orgId: B_ID, users: [{ email: 'qx@beta.com', role: 'user' }, { email: 'qy@beta.com', role: 'user' }] }), bDoc);
  const dir = join(a.dir, 'orgs');
  mkdirSync(dir);
  const withCreds = (d: Record<string, unknown>, suffix: string) => ({
    ...d,
    organization: { ...(d.organization as object), credentials: { admin_key_env: `KEY_${suffix}`, base_url_env: `URL_${suffix}` } },
  });
  writeFileSync(join(dir, 'alpha.yaml'), stringify(withCreds(aDoc, 'A')));
  writeFileSync(join(dir, 'beta.yaml'), stringify(withCreds(bDoc, 'B')));
  a.file = dir;
  a.extraEnv = { ANTHROPIC_ADMIN_KEY: undefined, KEY_A: ADMIN_KEY, URL_A: a.emu.url, KEY_B: ADMIN_KEY, URL_B: b.emu.url };
  return { a, b, dir };
}

/** The reviewed plan: `plan --out plan.json`, as the plan job saves it. */
async function approve(a: Scenario): Promise<{ path: string; set: PlanSet; hashOf: (id: string) => string }> {
  const path = join(a.dir, 'plan.json');
  const out = await a.run(['plan', '--out', path]);
  expect(out.code).toBe(0);
  const set = JSON.parse(readFileSync(path, 'utf8')) as PlanSet;
  return { path, set, hashOf: (id) => set.plans.find((p) => p.organization.id === id)!.plan_hash };
}

describe('e2e: approvals per organization (issue 14 item 2)', () => {
  it('a role changed by hand in B after the review: A is applied, B refused naming the change; B applies later with its new hash', async () => {
    const { a, b } = await twoOrgs();
    const { path, hashOf } = await approve(a);
    await b.control('users/role', { email: 'qx@beta.com', role: 'billing' });
    const bWrites = await writes(b);

    const out = await a.apply(['--expect-plan-hash', `${ORG_ID}=${hashOf(ORG_ID)}`, '--expect-plan-hash', `${B_ID}=${hashOf(B_ID)}`, '--approved-plan', path]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      `organization ${B_ID}: refused: 1 change differs from the approved plan: ~ member["qx@beta.com"] role: billing → developer (approved: role: user → developer)`,
    );
    expect(out.stdout).toContain(`organization ${ORG_ID}: applied (plan_hash ${hashOf(ORG_ID)})`);
    expect(out.stdout).toContain(`organization ${B_ID}: refused (see above); nothing was applied to it`);
    expect(await roleOf(a, 'qa@acme.com')).toBe('developer');
    expect(await roleOf(b, 'qx@beta.com')).toBe('billing');
    expect(await writes(b)).toEqual(bWrites);

    // the recovery: a reviewer reads B's new plan and approves the hash the refusal printed
    const fresh = /--expect-plan-hash (\S+=[0-9a-f]{64})/.exec(out.stderr)?.[1];
    expect(fresh?.startsWith(`${B_ID}=`)).toBe(true);
    expect(fresh).not.toBe(`${B_ID}=${hashOf(B_ID)}`);
    const later = await a.apply(['--expect-plan-hash', fresh!]);
    expect(later.code).toBe(0);
    expect(later.stdout).toContain(`organization ${ORG_ID}: nothing to apply`);
    expect(later.stdout).toMatch(new RegExp(`organization ${B_ID}: applied`));
    expect(await roleOf(b, 'qx@beta.com')).toBe('developer');
    expect((await a.run(['plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('the combined hash still works; when B changed, --approved-plan lets A go through and lists every change of B that differs', async () => {
    const { a, b } = await twoOrgs();
    const { path, set } = await approve(a);
    await b.control('users/role', { email: 'qx@beta.com', role: 'billing' });
    await b.control('users/role', { email: 'qy@beta.com', role: 'developer' });

    // the combined hash alone cannot tell which organization changed: nothing is applied, each new hash is shown
    const alone = await a.apply(['--expect-plan-hash', set.plan_hash]);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain('not the ones that were approved');
    expect(alone.stderr).toContain(`organization ${B_ID}: plan_hash `);
    expect(await roleOf(a, 'qa@acme.com')).toBe('user');

    const out = await a.apply(['--expect-plan-hash', set.plan_hash, '--approved-plan', path]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`organization ${B_ID}: refused: 2 changes differ from the approved plan:`);
    expect(out.stderr).toContain('  ~ member["qx@beta.com"] role: billing → developer (approved: role: user → developer)');
    expect(out.stderr).toContain('  ~ member["qy@beta.com"] role: developer → user (not in the approved plan)');
    expect(await roleOf(a, 'qa@acme.com')).toBe('developer');
    expect(await roleOf(b, 'qy@beta.com')).toBe('developer');
  });

  it('an approved change that is no longer needed is named as dropped; an organization with no approval is refused', async () => {
    const { a, b } = await twoOrgs();
    const { path, hashOf } = await approve(a);
    await b.control('users/role', { email: 'qx@beta.com', role: 'developer' }); // done by hand meanwhile
    await b.control('users/role', { email: 'qy@beta.com', role: 'billing' });
    const out = await a.apply(['--expect-plan-hash', `${B_ID}=${hashOf(B_ID)}`, '--approved-plan', path]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('  ~ member["qx@beta.com"] role: user → developer (in the approved plan, not in this one)');
    // A's hash was not given: A is not applied, however unchanged it is
    expect(out.stderr).toContain(`organization ${ORG_ID}: refused: no approved plan_hash for it`);
    expect(await roleOf(a, 'qa@acme.com')).toBe('user');
  });

  it('an approval naming an organization no file declares stops the run before anything is applied', async () => {
    const { a } = await twoOrgs();
    const { hashOf } = await approve(a);
    const out = await a.apply(['--expect-plan-hash', `${ORG_ID}=${hashOf(ORG_ID)}`, '--expect-plan-hash', `aaaaaaaa-2222-4333-8444-555555555555=${hashOf(B_ID)}`]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('names organization aaaaaaaa-2222-4333-8444-555555555555, which no file declares');
    expect(await roleOf(a, 'qa@acme.com')).toBe('user');
  });

  it('a malformed approval or an unreadable approved plan stops the run before the organizations are read', async () => {
    const { a, b } = await twoOrgs();
    const before = [(await a.state()).requests, (await b.state()).requests];
    const bad = await a.apply(['--expect-plan-hash', `${B_ID}=zz`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--expect-plan-hash takes a plan_hash (64 hexadecimal digits) or ORG_ID=HASH');
    const missing = await a.apply(['--approved-plan', join(a.dir, 'absent.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read the plan file');
    expect([(await a.state()).requests, (await b.state()).requests]).toEqual(before);
  });

  it('a saved plan set whose B part went stale: A is applied from it, B refused naming the change', async () => {
    const { a, b } = await twoOrgs();
    const { path } = await approve(a);
    await b.control('users/role', { email: 'qx@beta.com', role: 'billing' });
    const out = await a.run(['apply', path]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`organization ${B_ID}: refused: 1 change of the saved plan no longer fits the organization`);
    expect(out.stderr).toContain('member["qx@beta.com"]');
    expect(out.stdout).toContain(`organization ${ORG_ID}: applied`);
    expect(await roleOf(a, 'qa@acme.com')).toBe('developer');
    expect(await roleOf(b, 'qx@beta.com')).toBe('billing');
  });
});

describe('e2e: a saved plan applied again (issue 14 item 2)', () => {
  it('says "Already applied", exits 0, and no write request reaches the emulator', async () => {
    const s = await scenario(
      seedOf({ users: [{ email: 'qa@acme.com', role: 'user' }, { email: 'qz@acme.com', role: 'user' }], invites: [{ email: 'qi@acme.com', role: 'user' }] }),
      desiredDoc({ members: { 'qa@acme.com': 'developer', 'qi@acme.com': 'developer', 'qn@acme.com': 'user' }, departed: { 'qz@acme.com': null } }),
    );
    const path = join(s.dir, 'plan.json');
    expect((await s.run(['plan', '--out', path])).code).toBe(0);
    const plan = JSON.parse(readFileSync(path, 'utf8')) as Plan;
    const first = await s.run(['apply', path]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('4 applied, 0 failed');
    const before = await writes(s);
    const emails = (await s.state()).invitation_emails;

    const again = await s.run(['apply', path]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`Already applied: this saved plan was applied by an earlier run on this machine (all 4 changes are already in place); nothing was written.`);
    expect(await writes(s)).toEqual(before);
    expect((await s.state()).invitation_emails).toEqual(emails);
    expect(plan.plan_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
