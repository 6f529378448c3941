// The benchmark's helpers: minimum request counts, counter arithmetic, flags, the apply summary parser, target
// checks, and the synthetic organizations (valid seeds, valid files, the listings a plan really makes). No timings.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseApplySummary } from '../../src/bench/apply-run.js';
import { diffCounters, isObjectGet, listingCost } from '../../src/bench/counters.js';
import { planEnv } from '../../src/bench/plan-run.js';
import {
  atEnterpriseLimit,
  missedTargets,
  parseBenchArgs,
  renderEnterpriseLimitTable,
  renderMixedTable,
  renderPlanTable,
  type ApplyFigures,
  type MixedApplyFigures,
  type PlanFigures,
} from '../../src/bench/report.js';
import {
  applyScenario,
  benchScenarios,
  consoleScenario,
  enterpriseScenario,
  minimumByRoute,
  minimumRequests,
  ROUTES,
  type BenchScenario,
} from '../../src/bench/synthetic.js';
import type { CliIO } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { parseDesired } from '../../src/config/load.js';
import { startEmulator, validateSeed } from '../../src/emulator/index.js';
import type { Plan } from '../../src/model/plan.js';

describe('minimum list requests', () => {
  it('is one per full page, and one for an empty listing', () => {
    expect(minimumRequests({ items: 0, pageSize: 1000 })).toBe(1);
    expect(minimumRequests({ items: 1000, pageSize: 1000 })).toBe(1);
    expect(minimumRequests({ items: 1001, pageSize: 1000 })).toBe(2);
    expect(minimumRequests({ items: 50_000, pageSize: 1000 })).toBe(50);
  });

  it('sums per route', () => {
    expect(minimumByRoute([
      { route: 'A', items: 2500, pageSize: 1000 },
      { route: 'B', items: 0, pageSize: 1000 },
      { route: 'B', items: 10, pageSize: 1000 },
    ])).toEqual({ A: 3, B: 2 });
  });
});

describe('request counters', () => {
  it('diffs every status of every route', () => {
    const before = { 'GET /x': { '200': 2 } };
    const after = { 'GET /x': { '200': 5, '429': 1 }, 'GET /y': { '200': 1 } };
    expect(diffCounters(before, after)).toEqual({ 'GET /x': 4, 'GET /y': 1 });
  });

  it('tells object GETs from listings and the organization check', () => {
    expect(isObjectGet('GET /v1/organizations/users/{user_id}')).toBe(true);
    expect(isObjectGet('GET /v1/organizations/users')).toBe(false);
    expect(isObjectGet('GET /v1/organizations/me')).toBe(false);
    expect(isObjectGet('POST /v1/organizations/users/{user_id}')).toBe(false);
  });

  it('compares listings with the minimum and counts unexpected listings as excess', () => {
    const cost = listingCost(
      { [ROUTES.users]: 3, [ROUTES.apiKeys]: 1, 'GET /v1/organizations/me': 1, 'GET /v1/organizations/users/{user_id}': 2 },
      [{ route: ROUTES.users, items: 2500, pageSize: 1000 }],
    );
    expect(cost.listRequests).toBe(4);
    expect(cost.minimum).toBe(3);
    expect(cost.ratio).toBeCloseTo(4 / 3);
    expect(cost.objectGets).toBe(2);
    expect(cost.total).toBe(7);
    expect(cost.byRoute[ROUTES.apiKeys]).toEqual({ made: 1, minimum: 0 });
  });
});

describe('flags', () => {
  it('defaults to issue 7 sizes and a 1,000-change apply at 600 rpm', () => {
    expect(parseBenchArgs([])).toMatchObject({ sizes: [1000, 10_000, 50_000], skipApply: false, applyChanges: 1000, rateLimit: 600, planRuns: 5 });
  });

  it('reads --sizes, --skip-apply and --quick', () => {
    expect(parseBenchArgs(['--sizes', '200,300', '--skip-apply'])).toMatchObject({ sizes: [200, 300], skipApply: true });
    expect(parseBenchArgs(['--sizes=5000'])).toMatchObject({ sizes: [5000] });
    expect(parseBenchArgs(['--quick'])).toMatchObject({ sizes: [1000], applyChanges: 100, workspaceMemberships: 2000 });
    expect(parseBenchArgs(['--quick', '--sizes', '2000'])).toMatchObject({ sizes: [2000], quick: true, planRuns: 1 });
    expect(parseBenchArgs(['--quick', '--plan-runs', '3'])).toMatchObject({ planRuns: 3 });
    expect(() => parseBenchArgs(['--plan-runs', '0'])).toThrow(/whole number/);
  });

  it('reads the mixed apply\'s flags', () => {
    expect(parseBenchArgs([])).toMatchObject({ skipMixed: false, mixedUpdates: 1200, mixedInvites: 12, inviteRateLimit: 360, mixedConcurrency: 16 });
    expect(parseBenchArgs(['--quick'])).toMatchObject({ mixedUpdates: 200, mixedInvites: 2 });
    // an invite bucket the mixed apply could not empty before the organization's: refused up front, not a stack trace
    expect(() => parseBenchArgs(['--invite-rate-limit', '1800'])).toThrow(/--invite-rate-limit \(1800 an hour\) must be below --rate-limit \(600 a minute\)/);
    expect(parseBenchArgs(['--invite-rate-limit', '1800', '--skip-mixed'])).toMatchObject({ inviteRateLimit: 1800 });
    expect(parseBenchArgs(['--invite-rate-limit', '599'])).toMatchObject({ inviteRateLimit: 599 });
    expect(parseBenchArgs(['--mixed', '300+3', '--invite-rate-limit', '180', '--mixed-concurrency', '8', '--skip-mixed'])).toMatchObject({
      skipMixed: true, mixedUpdates: 300, mixedInvites: 3, inviteRateLimit: 180, mixedConcurrency: 8,
    });
    expect(() => parseBenchArgs(['--mixed', '300'])).toThrow(/--mixed needs/);
  });

  it('refuses unknown flags and bad numbers', () => {
    expect(() => parseBenchArgs(['--size', '10'])).toThrow(/unknown argument/);
    expect(() => parseBenchArgs(['--sizes', '10,x'])).toThrow(/whole number/);
    expect(() => parseBenchArgs(['--rate-limit', '0'])).toThrow(/whole number/);
  });
});

describe('apply summary and targets', () => {
  it('parses the summary line of apply', () => {
    expect(parseApplySummary('…\nApply complete: 1000 applied, 0 failed, 0 skipped, 0 not started.\n')).toEqual({
      applied: 1000, failed: 0, skipped: 0, notStarted: 0,
    });
    expect(parseApplySummary('Apply incomplete: 9 applied, 1 failed, 2 skipped, 3 not started.')).toEqual({
      applied: 9, failed: 1, skipped: 2, notStarted: 3,
    });
    expect(parseApplySummary('nothing')).toBeUndefined();
  });

  const plan: PlanFigures = {
    scenario: 'console 50000', kind: 'console', members: 50_000, description: '', seedMs: 0,
    listRequests: 56, minimumListRequests: 56, listRatio: 1, objectGets: 0, totalRequests: 57, scimRequests: 0, listingsByRoute: {},
    planWallMs: 3000, plannerCpuMs: 200, plannerWarmCpuMs: 100, loadMs: 1000, readMs: 500, loadPeakRssMb: 150, peakRssMb: 250, peakRssRunsMb: [240, 250], exitCode: 0, apiChanges: 21,
  };
  const apply: ApplyFigures = {
    changes: 1000, rateLimitRpm: 600, drainRequests: 600, requests: 1003, wallMs: 102_000, achievedRpm: 590, fractionOfLimit: 0.983,
    rateLimited: 1, rateLimitedShare: 0.001, applied: 1000, failed: 0, skipped: 0, notStarted: 0, exitCode: 0, converged: true,
  };

  it('reports nothing when every target is met', () => {
    expect(missedTargets([plan], apply)).toEqual([]);
    expect(renderPlanTable([plan])).toContain('console 50000');
  });

  it('names each missed target', () => {
    const missed = missedTargets(
      [{ ...plan, listRatio: 1.2, peakRssMb: 320, plannerCpuMs: 1500, planWallMs: 12_000, objectGets: 3 }],
      { ...apply, fractionOfLimit: 0.5, rateLimitedShare: 0.05, failed: 1, converged: false },
    );
    expect(missed).toHaveLength(9);
    expect(missed.join('\n')).toMatch(/list requests 1\.200/);
    expect(missed.join('\n')).toMatch(/peak RSS 320 MB/);
    expect(missed.join('\n')).toMatch(/50\.0 % of the rate limit/);
  });

  const mixed: MixedApplyFigures = {
    updates: 600, invites: 6, rateLimitRpm: 600, invitesPerHour: 360, concurrency: 16, drainRequests: 1000, requests: 610,
    inviteRequests: 7, wallMs: 66_000, organizationBoundMs: 60_900, inviteBoundMs: 60_000, slowestBound: 'organization',
    ofBound: 66_000 / 60_900, rateLimited: 3, inviteRateLimited: 1, rateLimitedShare: 3 / 610, applied: 606, failed: 0, skipped: 0, notStarted: 0,
    exitCode: 0, converged: true,
  };

  it('checks the mixed apply against the slowest bucket\'s bound (issue 18)', () => {
    expect(missedTargets([plan], apply, mixed)).toEqual([]);
    expect(renderMixedTable(mixed)).toContain('600 roles + 6 invites');
    const missed = missedTargets([plan], apply, { ...mixed, ofBound: 1.9, rateLimitedShare: 0.03, failed: 1 });
    expect(missed).toHaveLength(3);
    expect(missed.join('\n')).toMatch(/1\.900 × the slowest bucket's bound/);
  });

  it('paces an enterprise plan\'s Admin API requests (not SCIM) at 100 per minute', () => {
    const enterprise = { ...plan, scenario: 'enterprise 50000', kind: 'enterprise' as const, totalRequests: 260, scimRequests: 60, planWallMs: 4000 };
    // 200 Admin API requests: 199 tokens of 600 ms after the first, or 100 of them once a full bucket's 100 are gone
    expect(atEnterpriseLimit(enterprise)).toEqual({ adminRequests: 200, emptyBucketMs: 4000 + 199 * 600, fullBucketMs: 4000 + 100 * 600 });
    const table = renderEnterpriseLimitTable([plan, enterprise]);
    expect(table).toContain('enterprise 50000');
    expect(table).not.toContain('console 50000');
    expect(renderEnterpriseLimitTable([plan])).toBe('');
  });
});

describe('synthetic organizations', () => {
  const dirs: string[] = [];
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('builds valid seeds and valid desired files', () => {
    const all = [
      consoleScenario({ members: 300 }),
      consoleScenario({ members: 300, workspaces: 10, workspaceMemberships: 200 }),
      enterpriseScenario({ members: 300, groups: 20, scimGroups: 5 }),
      applyScenario(50),
    ];
    for (const s of all) {
      expect(() => validateSeed(s.seed, s.name)).not.toThrow();
      const { desired, diagnostics } = parseDesired(s.desired, `${s.name}.yaml`);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(desired).toBeDefined();
    }
  });

  it('orders the plan scenarios by size, with workspaces at the largest', () => {
    expect([...benchScenarios({ sizes: [2000, 500], workspaceMemberships: 100 })].map((s) => s.name)).toEqual([
      'console 500', 'console 2000', 'console+workspaces 2000', 'enterprise 500', 'enterprise 2000',
    ]);
  });

  /** Plans `s` in-process against its own emulator and returns the plan and the requests it made per route. */
  async function plan(s: BenchScenario): Promise<{ plan: Plan; made: Record<string, number> }> {
    const emu = await startEmulator({ seed: s.seed });
    closers.push(() => emu.close());
    const dir = mkdtempSync(join(tmpdir(), 'claude-reconcile-bench-test-'));
    dirs.push(dir);
    const file = join(dir, 'org.yaml');
    writeFileSync(file, s.desired);
    const out: string[] = [];
    const io: CliIO = {
      env: planEnv(s, emu.url),
      stdout: { write: (x: string) => out.push(x) },
      stderr: { write: (x: string) => out.push(x) },
      stdoutIsTTY: false,
      stdinIsTTY: false,
      prompt: () => Promise.reject(new Error('no prompt')),
      now: () => new Date(),
      interrupt: new AbortController().signal,
    };
    const before = emu.store.requests.counters();
    const code = await runCli(['plan', '--format', 'json', '-f', file], io);
    expect(code, out.join('')).toBe(0);
    return { plan: JSON.parse(out.join('')) as Plan, made: diffCounters(before, emu.store.requests.counters()) };
  }

  const apiChanges = (p: Plan): string[] =>
    p.changes.filter((c) => ['create', 'update', 'replace', 'delete'].includes(c.action)).map((c) => `${c.action} ${c.address}`);

  it('console with workspaces: the planned changes, with exactly the minimum of list requests', async () => {
    const s = consoleScenario({ members: 1500, workspaces: 10, workspaceMemberships: 1200 });
    const { plan: p, made } = await plan(s);
    const changes = apiChanges(p);
    // 10 role updates, 5 invites, 3 removals and their 3 API keys, 5 + 5 + 5 workspace memberships
    expect(changes.filter((c) => c.startsWith('update member['))).toHaveLength(10);
    expect(changes.filter((c) => c.startsWith('create invite['))).toHaveLength(5);
    expect(changes.filter((c) => c.startsWith('delete member['))).toHaveLength(3);
    expect(changes.filter((c) => c.startsWith('update api_key['))).toHaveLength(3);
    expect(changes.filter((c) => c.includes('workspace_member['))).toHaveLength(15);
    const cost = listingCost(made, s.listings);
    expect(cost.objectGets).toBe(0);
    expect(cost.listRequests).toBe(cost.minimum);
    expect(cost.byRoute[ROUTES.workspaceMembers]).toEqual({ made: 10, minimum: 10 });
  });

  it('enterprise: the planned changes, with exactly the minimum of list requests (Admin API and SCIM)', async () => {
    const s = enterpriseScenario({ members: 1200, groups: 20, scimGroups: 5 });
    const { plan: p, made } = await plan(s);
    const changes = apiChanges(p);
    expect(changes.filter((c) => c.startsWith('create scim_user['))).toHaveLength(5);
    expect(changes.filter((c) => c.startsWith('update scim_user['))).toHaveLength(3);
    expect(changes.filter((c) => c.startsWith('create group_member['))).toHaveLength(5);
    expect(changes.filter((c) => c.startsWith('create scim_group_member['))).toHaveLength(5);
    const cost = listingCost(made, s.listings);
    expect(cost.objectGets).toBe(0);
    expect(cost.byRoute[ROUTES.scimUsers]).toEqual({ made: 2, minimum: 2 });
    expect(cost.listRequests).toBe(cost.minimum);
  });
});
