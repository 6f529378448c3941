// `npm run bench` (issue 7): the cost of planning and applying large organizations against the in-process
// emulator. For each synthetic org it measures the list requests of a plan against the minimum, the wall time of a
// whole `plan`, the planner's own CPU time and the plan process's peak RSS; then an apply of 1,000 changes under a
// 600 requests/minute limit, and a mixed apply of role changes and invites (issue 18: one pacer per bucket), and
// what each enterprise plan needs at the real Enterprise limit. Prints a table and writes bench/results.json.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runApplyBench, runMixedApplyBench } from './apply-run.js';
import { runPlanScenario } from './plan-run.js';
import {
  LEGEND,
  missedTargets,
  parseBenchArgs,
  renderApplyTable,
  renderEnterpriseLimitTable,
  renderMixedTable,
  renderPlanTable,
  TARGETS,
  USAGE,
  type ApplyFigures,
  type BenchOptions,
  type MixedApplyFigures,
  type PlanFigures,
} from './report.js';
import { benchScenarios } from './synthetic.js';

const DEFAULT_OUT = fileURLToPath(new URL('../../bench/results.json', import.meta.url));

function machine(): Record<string, unknown> {
  const c = cpus();
  return {
    node: process.version,
    platform: `${platform()} ${release()}`,
    cpu: c[0]?.model ?? 'unknown',
    cores: c.length,
    memory_gb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  };
}

async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let opts: BenchOptions;
  try {
    opts = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const dir = mkdtempSync(join(tmpdir(), 'claude-reconcile-bench-'));
  const started = new Date();
  const plans: PlanFigures[] = [];
  let apply: ApplyFigures | undefined;
  let mixed: MixedApplyFigures | undefined;
  try {
    for (const s of benchScenarios(opts)) {
      process.stderr.write(`plan: ${s.name} (${s.description}) …\n`);
      const p = await runPlanScenario(s, dir, opts.planRuns);
      process.stderr.write(
        `  ${p.listRequests}/${p.minimumListRequests} list requests, plan ${(p.planWallMs / 1000).toFixed(2)} s, ` +
          `planner ${p.plannerCpuMs.toFixed(0)} ms CPU, peak RSS ${p.peakRssMb.toFixed(0)} MB, seed ${(p.seedMs / 1000).toFixed(1)} s\n`,
      );
      plans.push(p);
    }
    if (!opts.skipApply) {
      process.stderr.write(`apply: ${opts.applyChanges} changes at ${opts.rateLimit} requests/minute …\n`);
      apply = await runApplyBench(opts.applyChanges, opts.rateLimit, dir);
    }
    if (!opts.skipMixed) {
      process.stderr.write(
        `mixed apply: ${opts.mixedUpdates} role changes at ${opts.rateLimit} requests/minute and ${opts.mixedInvites} invites at ` +
          `${opts.inviteRateLimit}/hour …\n`,
      );
      mixed = await runMixedApplyBench({
        updates: opts.mixedUpdates,
        invites: opts.mixedInvites,
        rateLimit: opts.rateLimit,
        invitesPerHour: opts.inviteRateLimit,
        concurrency: opts.mixedConcurrency,
        dir,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const atLimit = renderEnterpriseLimitTable(plans);
  const table = [
    renderPlanTable(plans),
    ...(atLimit ? ['', atLimit] : []),
    ...(apply ? ['', renderApplyTable(apply)] : []),
    ...(mixed ? ['', renderMixedTable(mixed)] : []),
    '',
    LEGEND,
  ].join('\n');
  const missed = missedTargets(plans, apply, mixed);
  process.stdout.write(`${table}\n\n${missed.length === 0 ? 'All targets met.' : `Targets missed:\n  ${missed.join('\n  ')}`}\n`);

  const out = resolve(opts.out ?? DEFAULT_OUT);
  mkdirSync(dirname(out), { recursive: true });
  const results = {
    generated_by: 'npm run bench',
    arguments: process.argv.slice(2),
    date: started.toISOString(),
    machine: machine(),
    targets: TARGETS,
    method: {
      plans:
        'in-process emulator without a rate limit; `plan --format json` through runCli in a child process; list requests ' +
        'from the emulator request counters, minimum max(1, ceil(n / page size)) per listing (1000 for the Admin API and ' +
        'for SCIM, the page size the client asks for and the directory allows); planner CPU = process.cpuUsage() around ' +
        'plan(desired, live, {now}) on the Live read again (first call; warm = median of three more); peak RSS = the ' +
        "child's maxRSS right after the plan",
      apply:
        '`apply --auto-approve` (concurrency 4) through runCli against an emulator limited to the given requests per minute, ' +
        'its token bucket emptied first; every request of the apply counted (its plan included) and divided by its wall time',
      mixed:
        '`apply --auto-approve --concurrency N` of role changes and invites through runCli against an emulator limited to ' +
        'the given requests per minute and invites per hour, the invite bucket emptied first (invalid invites, 400), then ' +
        'the request bucket; bound = requests each bucket let through ÷ its rate; of bound = wall time ÷ the slowest bound',
      enterprise_limit:
        'enterprise plans: Admin API requests (SCIM excluded, its own limit) paced at 100 per minute (§2.6) plus the plan ' +
        'wall time; from an empty bucket (every request after the first waits a token) and from a full one (100 at once)',
    },
    plans,
    apply: apply ?? null,
    mixed_apply: mixed ?? null,
    missed_targets: missed,
    table,
  };
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stderr.write(`wrote ${out}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
