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
}

export const USAGE = `usage: npm run bench -- [--sizes 1000,10000,50000] [--skip-apply] [--quick] [--apply-changes N]
                        [--rate-limit RPM] [--plan-runs N] [--out FILE]
  --quick         a fast smoke run: 1,000 members, 2,000 workspace memberships, 100 changes applied, one plan run
  --plan-runs N   plans of each scenario (default 5); the table shows the median wall time and the highest peak RSS`;

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
  };
  let sizesGiven = false;
  let changesGiven = false;
  let runsGiven = false;
  const positive = (flag: string, v: string | undefined): number => {
    if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1) throw new Error(`${flag} needs a whole number ≥ 1`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
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
      case '--apply-changes':
        opts.applyChanges = positive(flag, value());
        changesGiven = true;
        break;
      case '--rate-limit':
        opts.rateLimit = positive(flag, value());
        break;
      case '--plan-runs':
        opts.planRuns = positive(flag, value());
        runsGiven = true;
        break;
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
  if (opts.quick) {
    if (!sizesGiven) opts.sizes = [1000];
    if (!changesGiven) opts.applyChanges = 100;
    if (!runsGiven) opts.planRuns = 1;
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

export interface ApplyFigures {
  changes: number;
  rateLimitRpm: number;
  /** Requests used to empty the emulator's token bucket before the apply (not counted below). */
  drainRequests: number;
  requests: number;
  wallMs: number;
  achievedRpm: number;
  fractionOfLimit: number;
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

export const TARGETS = {
  listRatio: 1.05,
  plannerCpuMs: 1000,
  planWallMs: 10_000,
  peakRssMb: 300,
  fractionOfLimit: 0.9,
  rateLimitedShare: 0.02,
} as const;

/** Which targets a set of figures misses, one line each (empty: all met). */
export function missedTargets(plans: readonly PlanFigures[], apply: ApplyFigures | undefined): string[] {
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
