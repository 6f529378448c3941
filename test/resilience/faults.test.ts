// Issue 6, item 2: faults during plan and apply. With a share of requests failing at random (429 storms with
// retry-after, 500 / 529 bursts, connection resets, answers that hang past the client timeout, proxy pages), the
// plan is identical to the fault-free plan, the apply converges, and no invitation email is ever sent twice.

import { describe, expect, it } from 'vitest';
import type { Seed } from '../../src/emulator/index.js';
import { desiredDoc, scenario, seedOf, type Scenario } from '../e2e/harness.js';

const CLIENT_TIMEOUT_MS = 400;
/**
 * The faults below hold some requests for three client timeouts and then carry them out: a create's late write
 * lands up to two timeouts after the client gave up, so the settle window (issue 12) covers four.
 */
const FAULT_CLIENT = {
  timeoutMs: CLIENT_TIMEOUT_MS,
  retry: { retries: 8, baseDelayMs: 5, maxDelayMs: 50, settleMs: CLIENT_TIMEOUT_MS * 4, settleFirstPollMs: 50 },
};

/** Random faults on every Admin API request, `rate` in all, spread over the kinds a real network produces. */
async function injectRandomFaults(s: Scenario, rate: number): Promise<void> {
  const kinds: Array<Record<string, unknown>> = [
    { status: 429, retry_after: 0, error_type: 'rate_limit_error' },
    { status: 500, error_type: 'api_error' },
    { status: 529, error_type: 'overloaded_error' },
    { reset: true },
    { delay_ms: CLIENT_TIMEOUT_MS * 3 }, // hangs past the client timeout, then is handled: the answer is lost
    { method: 'GET', status: 502, body: 'html' },
  ];
  for (const k of kinds) await s.control('faults', { path: '/v1/organizations/*', probability: rate / kinds.length, ...k });
  // and a few that always fire, so a short run never gets through without a fault by chance
  await s.control('faults', { path: '/v1/organizations/*', status: 500, count: 2 });
  await s.control('faults', { method: 'POST', path: '/v1/organizations/*', delay_ms: CLIENT_TIMEOUT_MS * 3, count: 1 });
}

async function faultsFired(s: Scenario): Promise<number> {
  const res = await fetch(`${s.emu.url}/_emulator/faults`, { signal: AbortSignal.timeout(5000) });
  const { data } = (await res.json()) as { data: Array<{ fired: number }> };
  return data.reduce((a, f) => a + f.fired, 0);
}

interface Case {
  name: string;
  seed: () => Seed;
  doc: () => Record<string, unknown>;
}

const people = (n: number, prefix: string, role = 'user') => Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@acme.com`, role }));

const CASES: Case[] = [
  {
    name: 'members and invites',
    seed: () => seedOf({
      users: [...people(10, 'keep'), ...people(6, 'promote'), ...people(4, 'gone', 'developer')],
      invites: [...people(3, 'wrongrole'), ...people(2, 'stale').map((p) => ({ ...p, status: 'expired' as const }))],
    }),
    doc: () => desiredDoc({
      members: Object.fromEntries([
        ...people(10, 'keep').map((p) => [p.email, 'user']),
        ...people(6, 'promote').map((p) => [p.email, 'developer']),
        ...people(3, 'wrongrole').map((p) => [p.email, 'developer']),
        ...people(2, 'stale').map((p) => [p.email, 'user']),
        ...people(12, 'new').map((p) => [p.email, 'claude_code_user']),
      ]),
      departed: Object.fromEntries(people(4, 'gone').map((p) => [p.email, null])),
    }),
  },
  {
    name: 'workspaces and API keys',
    seed: () => seedOf({
      users: [...people(8, 'dev', 'developer'), { email: 'leaver@acme.com', role: 'developer' }],
      workspaces: [{ name: 'Research' }, { name: 'Old' }],
      workspace_members: people(4, 'dev').map((p) => ({ workspace: 'Research', email: p.email, role: 'workspace_user' })),
      api_keys: [{ name: 'leaver-ci', created_by: 'leaver@acme.com' }],
    }),
    doc: () => desiredDoc({
      policy: { api_keys_of_removed_members: 'deactivate' },
      members: Object.fromEntries(people(8, 'dev', 'developer').map((p) => [p.email, 'developer'])),
      departed: { 'leaver@acme.com': null },
      workspaces: {
        Research: { members: Object.fromEntries(people(8, 'dev').map((p, i) => [p.email, i % 2 ? 'workspace_developer' : 'workspace_user'])) },
        Platform: { members: { 'dev0@acme.com': 'workspace_admin' } },
        Old: { archived: true },
      },
    }),
  },
];

describe.each(CASES)('faults: $name', (c) => {
  it.each([0.1, 0.25])('with %s of requests failing at random, the plan is the fault-free plan and the apply converges', async (rate) => {
    const s = await scenario(c.seed(), c.doc());
    s.clientOptions = FAULT_CLIENT;
    const expected = (await s.plan()).plan; // fault-free
    expect(expected.changes.length).toBeGreaterThan(5);
    await injectRandomFaults(s, rate);
    const faulty = await s.plan();
    expect(faulty.code, faulty.stderr).toBe(0);
    expect(faulty.plan.plan_hash).toBe(expected.plan_hash);

    // apply under faults; a change that still fails after its retries is picked up by the next run
    let applied = await s.apply();
    if (applied.code !== 0) applied = await s.apply();
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(await faultsFired(s)).toBeGreaterThan(0);

    await s.control('faults', undefined, 'DELETE');
    await s.expectConverged();
    await s.expectNoDuplicateInvites();
  });
});

describe('faults: storms', () => {
  it('a 429 storm on every route, then 500 and 529 bursts and resets: survived, nothing sent twice', async () => {
    const s = await scenario(seedOf(), desiredDoc({ members: Object.fromEntries(people(8, 'n').map((p) => [p.email, 'user'])) }));
    s.clientOptions = FAULT_CLIENT;
    await s.control('faults', { path: '/v1/organizations/*', status: 429, retry_after: 1, count: 3 });
    await s.control('faults', { method: 'POST', path: '/v1/organizations/invites', status: 500, count: 3 });
    await s.control('faults', { method: 'POST', path: '/v1/organizations/invites', status: 529, count: 2 });
    await s.control('faults', { method: 'POST', path: '/v1/organizations/invites', reset: true, count: 2 });
    await s.control('faults', { method: 'POST', path: '/v1/organizations/invites', delay_ms: CLIENT_TIMEOUT_MS * 3, count: 2 });
    const out = await s.apply();
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain('8 applied, 0 failed');
    await s.expectConverged();
    await s.expectNoDuplicateInvites();
    const st = await s.state();
    expect(Object.values(st.invitation_emails).reduce((a, b) => a + b, 0)).toBe(8);
  });
});
