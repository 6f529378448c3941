// Issue 18 item 3, end to end: a large change across runs. An apply with a time budget (--max-duration) that the
// emulator makes certain to exceed (the first invite is held 4 s, the budget keeps 2 s of a 5 s budget for the
// change in flight) stops starting changes, finishes the one in flight, lists what is left and exits 4. The next
// run, given the ORIGINAL approval (hash and approved plan), applies what is left under it, and the plan after it
// is empty. A re-plan with a change the review never saw, or under a removal limit it did not see, is refused,
// naming what differs. No wall-time asserts.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORG_ID, desiredDoc, scenario, seedOf, type Scenario } from './harness.js';
import type { Plan } from '../../src/model/plan.js';

const PEOPLE = ['p1@acme.com', 'p2@acme.com', 'p3@acme.com', 'p4@acme.com', 'p5@acme.com', 'p6@acme.com'];

async function sixInvites(): Promise<Scenario> {
  return scenario(seedOf({ users: [{ email: 'owner@acme.com', role: 'admin' }] }),
    desiredDoc({ members: { 'owner@acme.com': 'admin', ...Object.fromEntries(PEOPLE.map((p) => [p, 'developer'])) } }));
}

/** The reviewed plan, as the plan job saves it; its hash as the pull-request comment shows it. */
async function approve(s: Scenario): Promise<{ path: string; hash: string }> {
  const path = join(s.dir, 'approved.json');
  const out = await s.run(['plan', '--out', path]);
  expect(out.code).toBe(0);
  return { path, hash: (JSON.parse(readFileSync(path, 'utf8')) as Plan).plan_hash };
}

/** Holds the first invite the emulator is sent for 4 s (then handles it), so a 5 s budget with a 2 s margin stops. */
async function holdFirstInvite(s: Scenario): Promise<void> {
  await s.control('faults', { method: 'POST', path: '/v1/organizations/invites', delay_ms: 4000, count: 1 });
}

const BUDGET = ['--max-duration', '5s', '--finish-margin', '2s', '--concurrency', '1'];

describe('e2e: large changes across runs (issue 18 item 3)', () => {
  it('a budget stops the apply with work left (exit 4); the next run finishes it under the original approval', async () => {
    const s = await sixInvites();
    const { path, hash } = await approve(s);
    const approval = ['--expect-plan-hash', `${ORG_ID}=${hash}`, '--approved-plan', path];
    await holdFirstInvite(s);

    const first = await s.apply([...approval, ...BUDGET, '--progress-every', '1s']);
    expect(first.code, first.stderr).toBe(4);
    const invited = (await s.state()).invites.map((i) => i.email);
    expect(invited.length).toBeGreaterThanOrEqual(1);
    expect(invited.length).toBeLessThan(PEOPLE.length);
    const left = PEOPLE.filter((p) => !invited.includes(p));
    expect(first.stdout).toContain(`Left for the next run: ${left.length} change${left.length === 1 ? '' : 's'} (the time budget (--max-duration 5s) has`);
    for (const p of left) expect(first.stdout).toContain(`  + invite["${p}"]`);
    // not listed one by one as "not started" beside the list
    expect(first.stdout).not.toContain('not started +');
    expect(first.stdout).toMatch(new RegExp(`Apply stopped with work left: ${invited.length} applied, 0 failed, 0 skipped, 0 not started, ${left.length} left for the next run`));
    expect(first.stdout).toContain(`organization ${ORG_ID}: stopped with work left: ${left.length} change`);
    expect(first.stderr).toContain(`note: the time budget (--max-duration 5s) stopped the apply of organization ${ORG_ID} with ${left.length} of 6 changes left for the next run`);
    // the 4 s hold is never a silent wait in CI: a progress line every second
    expect(first.stderr).toMatch(/apply: 0\/6 changes done, 1 in flight · budget \d+s left/);

    // the re-plan is what is left, so its hash is not the approved one
    const between = await s.plan();
    expect(between.plan.plan_hash).not.toBe(hash);
    // the hash alone cannot show that it is part of the approved plan: refused
    const hashOnly = await s.apply(['--expect-plan-hash', `${ORG_ID}=${hash}`]);
    expect(hashOnly.code).toBe(1);
    expect((await s.state()).invites).toHaveLength(invited.length);

    const second = await s.apply([...approval, '--max-duration', '10m']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`organization ${ORG_ID}: ${left.length} of 6 approved changes remain; applying them under the approved plan (plan_hash ${hash})`);
    expect((await s.state()).invites.map((i) => i.email).sort()).toEqual(PEOPLE);
    await s.expectNoDuplicateInvites();
    await s.expectConverged();
  });

  it('after a budget stop, a re-plan with widened removal limits, or with a change the review did not see, is refused, naming it; nothing is applied', async () => {
    const s = await sixInvites();
    const { path, hash } = await approve(s);
    const approval = ['--expect-plan-hash', `${ORG_ID}=${hash}`, '--approved-plan', path];
    await holdFirstInvite(s);
    expect((await s.apply([...approval, ...BUDGET])).code).toBe(4);
    const before = (await s.state()).invites.length;

    // the removal limits the review saw still bound the rest: a widened limit is not the approved plan
    const widened = await s.apply([...approval, '--allow-removals', '50']);
    expect(widened.code).toBe(1);
    expect(widened.stderr).toContain('every change left is in the approved plan, but the plan differs from it in: removal guard; it cannot be applied under that approval');
    expect((await s.state()).invites).toHaveLength(before);

    // the file gains a member after the review: the next plan holds a change nobody approved
    s.write(desiredDoc({ members: { 'owner@acme.com': 'admin', 'intruder@acme.com': 'developer', ...Object.fromEntries(PEOPLE.map((p) => [p, 'developer'])) } }));
    const out = await s.apply(approval);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`organization ${ORG_ID}: refused:`);
    expect(out.stderr).toContain('+ invite["intruder@acme.com"] role: developer (not in the approved plan)');
    expect(out.stderr).not.toContain('approved changes remain');
    expect((await s.state()).invites).toHaveLength(before);
  });
});
