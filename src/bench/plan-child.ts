// The plan side of the benchmark, in its own process so that its peak RSS is the plan's and not the emulator's.
// Usage: node dist/bench/plan-child.js plan|planner <desired.yaml>, with the credentials and base URLs in the
// environment. It prints one JSON object on stdout:
//   plan     runs `plan --format json -f FILE` through the real CLI code path (runCli):
//            {"phase":"plan", wallMs, exitCode, maxRssKb, summary, changes};
//   planner  reads the live state as the CLI does and times the planner alone, in a fresh process so that the
//            first call is as cold as the CLI's: {"phase":"planner", cpuMs, warmCpuMs, loadMs, loadRssKb, readMs}.
//            `cpuMs` is that first call; `warmCpuMs` the median of three more; `loadRssKb` the peak RSS right after
//            the file is loaded (the loader's own peak: nothing else has run yet).

import { performance } from 'node:perf_hooks';
import type { CliIO } from '../cli/io.js';
import { runCli } from '../cli/program.js';
import { openSession } from '../cli/session.js';
import { loadDesiredFile } from '../config/load.js';
import { readActiveApiKeys, readLive } from '../live/read.js';
import type { Plan } from '../model/plan.js';
import { plan } from '../planner/index.js';

function sinkIO(env: Record<string, string | undefined>, interrupt: AbortSignal): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    env,
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    stdoutIsTTY: false,
    stdinIsTTY: false,
    prompt: () => Promise.reject(new Error('no prompt in the benchmark')),
    now: () => new Date(),
    interrupt,
    out,
    err,
  };
}

function emit(obj: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

function cpuMsOf(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function main(): Promise<void> {
  const [mode, file] = process.argv.slice(2);
  if ((mode !== 'plan' && mode !== 'planner') || !file) throw new Error('usage: plan-child.js plan|planner <desired.yaml>');
  const interrupt = new AbortController();
  const io = sinkIO(process.env, interrupt.signal);
  if (mode === 'plan') await wholePlan(file, io);
  else await plannerOnly(file, io, interrupt.signal);
}

/** The whole plan, as `claude-reconcile plan --format json` runs it. */
async function wholePlan(file: string, io: ReturnType<typeof sinkIO>): Promise<void> {
  const t0 = performance.now();
  const exitCode = await runCli(['plan', '--format', 'json', '-f', file], io);
  const wallMs = performance.now() - t0;
  const maxRssKb = process.resourceUsage().maxRSS;
  let summary: unknown = null;
  let changes = 0;
  try {
    const p = JSON.parse(io.out.join('')) as Plan;
    summary = p.summary;
    changes = p.changes.filter((c) => ['create', 'update', 'replace', 'delete'].includes(c.action)).length;
  } catch {
    // reported through exitCode and stderr
  }
  emit({ phase: 'plan', wallMs, exitCode, maxRssKb, summary, changes, stderr: exitCode === 0 ? '' : io.err.join('').slice(0, 2000) });
}

/** The planner alone, on the live state read as the CLI reads it. */
async function plannerOnly(file: string, io: CliIO, signal: AbortSignal): Promise<void> {
  const l0 = performance.now();
  const loaded = await loadDesiredFile(file);
  const loadMs = performance.now() - l0;
  // the process has done nothing but load the file yet: its peak so far is the loader's
  const loadRssKb = process.resourceUsage().maxRSS;
  if (!loaded.desired) throw new Error('the desired file did not load');
  const desired = loaded.desired;
  const session = openSession(desired.organization.credentials, io);
  const r0 = performance.now();
  const live = await readLive(desired, { admin: session.admin, scim: session.scim, signal });
  // Every console scenario removes someone, so the CLI reads the API keys too (session.ts); they are read here
  // before the timed call so that its first, cold call plans the same Live as the CLI's final plan.
  if (desired.organization.kind === 'console') live.apiKeys = await readActiveApiKeys(session.admin, signal);
  const readMs = performance.now() - r0;
  await session.close();
  const now = new Date();
  let planned = 0;
  const cpuMs = cpuMsOf(() => {
    planned = plan(desired, live, { now }).changes.length;
  });
  const warm = [0, 1, 2].map(() => cpuMsOf(() => void plan(desired, live, { now }))).sort((a, b) => a - b);
  emit({ phase: 'planner', cpuMs, warmCpuMs: warm[1], loadMs, loadRssKb, readMs, planned });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    emit({ phase: 'error', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  },
);
