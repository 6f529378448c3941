// The benchmark's flags, its result types, the targets of issue 7 and the printed table.

export interface BenchOptions {
  /** Members of the console and enterprise scenarios. */
  sizes: number[];
  skipApply: boolean;
  quick: boolean;
  /** Changes of the apply benchmark. */
  applyChanges: number;
  /** Emulator request limit during the apply, per minute. */
  rateLimit: number;
  /** Workspace memberships of the console+workspaces scenario (run at the largest size). */
  workspaceMemberships: number;
  /** results.json path; undefined: bench/results.json in the repository. */
  out: string | undefined;
  /** Plans of each scenario: peak RSS depends on when the collector runs, so one sample is not enough. */
  planRuns: number;
  skipMixed: boolean;
  /** Role changes and invite creations of the mixed apply (issue 18). */
  mixedUpdates: number;
  mixedInvites: number;
  /** Emulator invite limit during the mixed apply, per hour (its request limit is `rateLimit`). */
  inviteRateLimit: number;
  /** `apply --concurrency` of the mixed apply. */
  mixedConcurrency: number;
}

export const USAGE = `usage: npm run bench -- [--sizes 1000,10000,50000] [--skip-apply] [--quick] [--apply-changes N]
                        [--rate-limit RPM] [--plan-runs N] [--out FILE]
                        [--skip-mixed] [--mixed N+M] [--invite-rate-limit PER_HOUR] [--mixed-concurrency N]
  --quick         a fast smoke run: 1,000 members, 2,000 workspace memberships, 100 changes applied, one plan run,
                  a mixed apply of 200 role changes and 2 invites
  --plan-runs N   plans of each scenario (default 5); the table shows the median wall time and the highest peak RSS
  --mixed N+M     the mixed apply: N role changes and M invites (default 1200+12: at 600 requests/minute and 360
                  invites/hour each bucket alone needs about two minutes, more than the emulator's request bucket
                  holds, so a pause of one bucket that stalled the other could not be made up by its burst)
  --mixed-concurrency N   its \`apply --concurrency\` (default 16)`;

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const opts: BenchOptions = {
    sizes: [1000, 10_000, 50_000],
    skipApply: false,
    quick: false,
    applyChanges: 1000,
    rateLimit: 600,
    workspaceMemberships: 20_000,
    out: undefined,
    planRuns: 5,
    skipMixed: false,
    mixedUpdates: 1200,
    mixedInvites: 12,
    inviteRateLimit: 360,
    mixedConcurrency: 16,
  };
  let sizesGiven = false;
  let mixedGiven = false;
  let changesGiven = false;
  let runsGiven = false;
  const numberFlags: Partial<Record<string, (n: number) => void>> = {
    '--apply-changes': (n) => {
      opts.applyChanges = n;
      changesGiven = true;
    },
    '--rate-limit': (n) => (opts.rateLimit = n),
    '--plan-runs': (n) => {
      opts.planRuns = n;
      runsGiven = true;
    },
    '--invite-rate-limit': (n) => (opts.inviteRateLimit = n),
    '--mixed-concurrency': (n) => (opts.mixedConcurrency = n),
  };
  const positive = (flag: string, v: string | undefined): number => {
    if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1) throw new Error(`${flag} needs a whole number ≥ 1`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    const setNumber = numberFlags[flag];
    if (setNumber) {
      setNumber(positive(flag, value()));
      continue;
    }
    switch (flag) {
      case '--sizes': {
        const v = value();
        if (!v) throw new Error('--sizes needs a list such as 1000,10000,50000');
        opts.sizes = v.split(',').map((s) => positive('--sizes', s.trim()));
        sizesGiven = true;
        break;
      }
      case '--skip-apply':
        opts.skipApply = true;
        break;
      case '--quick':
        opts.quick = true;
        break;
      case '--skip-mixed':
        opts.skipMixed = true;
        break;
      case '--mixed': {
        const v = value();
        const m = v === undefined ? null : /^(\d+)\+(\d+)$/.exec(v);
        if (!m) throw new Error('--mixed needs role changes + invites, such as 600+6');
        opts.mixedUpdates = positive(flag, m[1]);
        opts.mixedInvites = positive(flag, m[2]);
        mixedGiven = true;
        break;
      }
      case '--out': {
        const v = value();
        if (!v) throw new Error('--out needs a file');
        opts.out = v;
        break;
      }
      default:
        throw new Error(`unknown argument ${a}\n${USAGE}`);
    }
  }
  if (!opts.skipMixed && opts.inviteRateLimit >= opts.rateLimit) {
    // The mixed apply first empties the invite bucket with invite creations, each of which the emulator also counts
    // against the organization's bucket (one request a minute's worth): a larger invite bucket cannot be emptied
    // before the organization's is, and the run would measure nothing it says.
    throw new Error(`--invite-rate-limit (${opts.inviteRateLimit} an hour) must be below --rate-limit (${opts.rateLimit} a minute) ` +
      'for the mixed apply: emptying the invite bucket spends the organization\'s too (or use --skip-mixed)');
  }
  if (opts.quick) {
    if (!sizesGiven) opts.sizes = [1000];
    if (!changesGiven) opts.applyChanges = 100;
    if (!runsGiven) opts.planRuns = 1;
    if (!mixedGiven) {
      opts.mixedUpdates = 200;
      opts.mixedInvites = 2;
    }
    opts.workspaceMemberships = 2000;
  }
  return opts;
}

export interface PlanFigures {
  scenario: string;
  kind: 'console' | 'enterprise';
  members: number;
  description: string;
  /** Emulator start with the seed (validation and load), ms; not part of any target. */
  seedMs: number;
  listRequests: number;
  minimumListRequests: number;
  listRatio: number;
  objectGets: number;
  /** Every request of the plan, the organization check included. */
  totalRequests: number;
  /** Of which to the SCIM directory (its own limit); the rest count against the organization's. */
  scimRequests: number;
  listingsByRoute: Record<string, { made: number; minimum: number }>;
  /** median over the plan runs */
  planWallMs: number;
  plannerCpuMs: number;
  plannerWarmCpuMs: number;
  /** Parts of a plan's wall time, measured in the planner's process: loading the file, reading the live state. */
  loadMs: number;
  readMs: number;
  /** Peak RSS of the planner's process right after it loaded the file: what loading alone costs. */
  loadPeakRssMb: number;
  /** the highest peak RSS of the plan runs (the target is checked against it) */
  peakRssMb: number;
  /** every plan run's peak RSS, lowest first */
  peakRssRunsMb: number[];
  exitCode: number;
  apiChanges: number;
}

/** How an apply ended: its 429s, its changes, whether a plan afterwards is empty. */
export interface ApplyOutcome {
  rateLimited: number;
  rateLimitedShare: number;
  applied: number;
  failed: number;
  skipped: number;
  notStarted: number;
  exitCode: number;
  /** A plan after the apply has no API change left. */
  converged: boolean;
}

export interface ApplyFigures extends ApplyOutcome {
  changes: number;
  rateLimitRpm: number;
  /** Requests used to empty the emulator's token bucket before the apply (not counted below). */
  drainRequests: number;
  requests: number;
  wallMs: number;
  achievedRpm: number;
  fractionOfLimit: number;
}

export interface MixedApplyFigures extends ApplyOutcome {
  updates: number;
  invites: number;
  rateLimitRpm: number;
  invitesPerHour: number;
  concurrency: number;
  /** Requests used to empty both buckets before the apply (not counted below). */
  drainRequests: number;
  requests: number;
  /** Invite creations sent (429s included). */
  inviteRequests: number;
  wallMs: number;
  /** Each bucket's requests the emulator let through ÷ its rate: the fastest the apply could be on that bucket. */
  organizationBoundMs: number;
  inviteBoundMs: number;
  slowestBound: 'organization' | 'invites';
  /** wall time ÷ the slowest bucket's bound */
  ofBound: number;
  /** Of the 429s, answers to invite creations. */
  inviteRateLimited: number;
}

/** §2.6: Enterprise user-management endpoints share 100 requests per minute per organization. */
export const ENTERPRISE_RPM = 100;

/**
 * What a plan needs at the real Enterprise limit: its Admin API requests (the SCIM directory has its own limit)
 * paced at 100 per minute, on top of its own wall time. `emptyBucket`: every request after the first waits for its
 * token (a limit already spent by earlier runs); `fullBucket`: a token bucket holding a minute's worth (§2.5 says
 * "fully replenished") lets the first 100 go at once.
 */
export function atEnterpriseLimit(p: Pick<PlanFigures, 'totalRequests' | 'scimRequests' | 'planWallMs'>): {
  adminRequests: number;
  emptyBucketMs: number;
  fullBucketMs: number;
} {
  const adminRequests = p.totalRequests - p.scimRequests;
  const tokenMs = 60_000 / ENTERPRISE_RPM;
  return {
    adminRequests,
    emptyBucketMs: p.planWallMs + Math.max(0, adminRequests - 1) * tokenMs,
    fullBucketMs: p.planWallMs + Math.max(0, adminRequests - ENTERPRISE_RPM) * tokenMs,
  };
}

export const TARGETS = {
  listRatio: 1.05,
  plannerCpuMs: 1000,
  planWallMs: 10_000,
  peakRssMb: 300,
  fractionOfLimit: 0.9,
  rateLimitedShare: 0.02,
  mixedOfBound: 1.1,
} as const;

/** Which targets a set of figures misses, one line each (empty: all met). */
export function missedTargets(plans: readonly PlanFigures[], apply: ApplyFigures | undefined, mixed?: MixedApplyFigures): string[] {
  const out: string[] = [];
  for (const p of plans) {
    if (p.exitCode !== 0) out.push(`${p.scenario}: plan exited ${p.exitCode}`);
    if (p.listRatio > TARGETS.listRatio) out.push(`${p.scenario}: list requests ${fmtRatio(p.listRatio)} × the minimum (target ≤ ${TARGETS.listRatio})`);
    if (p.objectGets > 0) out.push(`${p.scenario}: ${p.objectGets} single-object GETs`);
    if (p.plannerCpuMs >= TARGETS.plannerCpuMs) out.push(`${p.scenario}: planner CPU ${p.plannerCpuMs.toFixed(0)} ms (target < ${TARGETS.plannerCpuMs})`);
    if (p.planWallMs >= TARGETS.planWallMs) out.push(`${p.scenario}: plan ${(p.planWallMs / 1000).toFixed(1)} s (target < ${TARGETS.planWallMs / 1000})`);
    if (p.peakRssMb >= TARGETS.peakRssMb) out.push(`${p.scenario}: peak RSS ${p.peakRssMb.toFixed(0)} MB (target < ${TARGETS.peakRssMb})`);
  }
  if (apply) {
    if (apply.fractionOfLimit < TARGETS.fractionOfLimit) out.push(`apply: ${pct(apply.fractionOfLimit)} of the rate limit (target ≥ ${pct(TARGETS.fractionOfLimit)})`);
    if (apply.rateLimitedShare > TARGETS.rateLimitedShare) out.push(`apply: ${pct(apply.rateLimitedShare)} of requests were 429 (target ≤ ${pct(TARGETS.rateLimitedShare)})`);
    if (apply.failed + apply.skipped + apply.notStarted > 0) out.push(`apply: ${apply.failed} failed, ${apply.skipped} skipped, ${apply.notStarted} not started`);
    if (!apply.converged) out.push('apply: a plan afterwards still has changes');
  }
  if (mixed) {
    if (mixed.ofBound > TARGETS.mixedOfBound) out.push(`mixed apply: ${fmtRatio(mixed.ofBound)} × the slowest bucket's bound (target ≤ ${TARGETS.mixedOfBound})`);
    if (mixed.rateLimitedShare > TARGETS.rateLimitedShare) out.push(`mixed apply: ${pct(mixed.rateLimitedShare)} of requests were 429 (target ≤ ${pct(TARGETS.rateLimitedShare)})`);
    if (mixed.failed + mixed.skipped + mixed.notStarted > 0) out.push(`mixed apply: ${mixed.failed} failed, ${mixed.skipped} skipped, ${mixed.notStarted} not started`);
    if (!mixed.converged) out.push('mixed apply: a plan afterwards still has changes');
  }
  return out;
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

function fmtRatio(x: number): string {
  return x.toFixed(3);
}

/** A plain text table, columns right-aligned except the first. */
export function textTable(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const LEGEND = [
  'list req / minimum: list requests of one `plan` (emulator counters) and max(1, ceil(n / page size)) summed over its listings;',
  'obj GET: single-object GETs; plan s: the whole `plan --format json` (runCli, own process), of which load s (the file)',
  'and read s (the live state) as measured in a second process; planner CPU: process.cpuUsage() around the first,',
  'cold plan(); peak RSS: the plan process, the highest of the plan runs (`--plan-runs`; every run in results.json);',
  'load RSS: the second process\'s peak right after loading the file; plan s: the median run.',
  'apply: `apply --auto-approve --concurrency 4`, emulator token bucket emptied',
  'first; requests = every request of the apply (its plan and 429s included) ÷ wall time.',
  'mixed: role changes and invites in one apply, both emulator buckets emptied first; bound = each bucket\'s',
  'requests let through ÷ its rate (the emulator counts an invite against both), of bound = wall s ÷ the slowest.',
  'at 100 rpm: the enterprise plans\' Admin API requests paced at the Enterprise limit (§2.6; SCIM has its own),',
  'plus the plan s: empty = every request after the first waits for its token, full = the first 100 go at once.',
].join('\n');

export function renderPlanTable(plans: readonly PlanFigures[]): string {
  return textTable(
    ['scenario', 'list req', 'minimum', 'ratio', 'obj GET', 'plan s', 'load s', 'read s', 'planner CPU ms', 'peak RSS MB', 'load RSS MB', 'changes'],
    plans.map((p) => [
      p.scenario,
      String(p.listRequests),
      String(p.minimumListRequests),
      fmtRatio(p.listRatio),
      String(p.objectGets),
      (p.planWallMs / 1000).toFixed(2),
      (p.loadMs / 1000).toFixed(2),
      (p.readMs / 1000).toFixed(2),
      p.plannerCpuMs.toFixed(0),
      p.peakRssMb.toFixed(0),
      p.loadPeakRssMb.toFixed(0),
      String(p.apiChanges),
    ]),
  );
}

export function renderApplyTable(a: ApplyFigures): string {
  return textTable(
    ['apply', 'limit rpm', 'requests', 'wall s', 'achieved rpm', 'of limit', '429s', '429 share', 'failed'],
    [[
      `${a.changes} changes`,
      String(a.rateLimitRpm),
      String(a.requests),
      (a.wallMs / 1000).toFixed(1),
      a.achievedRpm.toFixed(0),
      pct(a.fractionOfLimit),
      String(a.rateLimited),
      pct(a.rateLimitedShare),
      String(a.failed + a.skipped + a.notStarted),
    ]],
  );
}

export function renderMixedTable(m: MixedApplyFigures): string {
  const s = (ms: number): string => (ms / 1000).toFixed(1);
  return textTable(
    ['mixed apply', 'limits', 'conc', 'requests', 'wall s', 'org bound s', 'invite bound s', 'of bound', '429s', 'of them invites', '429 share', 'failed'],
    [[
      `${m.updates} roles + ${m.invites} invites`,
      `${m.rateLimitRpm}/min, ${m.invitesPerHour}/h`,
      String(m.concurrency),
      String(m.requests),
      s(m.wallMs),
      s(m.organizationBoundMs),
      s(m.inviteBoundMs),
      fmtRatio(m.ofBound),
      String(m.rateLimited),
      String(m.inviteRateLimited),
      pct(m.rateLimitedShare),
      String(m.failed + m.skipped + m.notStarted),
    ]],
  );
}

export function renderEnterpriseLimitTable(plans: readonly PlanFigures[]): string {
  const rows = plans.filter((p) => p.kind === 'enterprise').map((p) => {
    const at = atEnterpriseLimit(p);
    return [p.scenario, String(at.adminRequests), String(p.scimRequests), (p.planWallMs / 1000).toFixed(2), (at.emptyBucketMs / 1000).toFixed(1), (at.fullBucketMs / 1000).toFixed(1)];
  });
  return rows.length === 0 ? '' : textTable(['plan at 100 rpm', 'admin req', 'SCIM req', 'plan s', 'empty s', 'full s'], rows);
}
