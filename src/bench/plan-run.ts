// One plan scenario: seed an in-process emulator (no rate limit), write the desired file, run the plan in a child
// process (plan-child.ts) so its memory is measured apart from the emulator's, read the emulator's request counters
// around it, then time the planner alone in a second child.

import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startEmulator } from '../emulator/index.js';
import { diffCounters, listingCost, type Counters } from './counters.js';
import type { PlanFigures } from './report.js';
import { CONSOLE_KEY, ENTERPRISE_KEY, SCIM_DIRECTORY, SCIM_TOKEN, type BenchScenario } from './synthetic.js';

const CHILD = fileURLToPath(new URL('./plan-child.js', import.meta.url));
/** Longest a child may take for one phase before it is stopped (a 50,000-member plan takes seconds). */
const PHASE_TIMEOUT_MS = 5 * 60_000;

interface ChildPlan {
  phase: 'plan';
  wallMs: number;
  exitCode: number;
  maxRssKb: number;
  changes: number;
  stderr: string;
}

interface ChildPlanner {
  phase: 'planner';
  cpuMs: number;
  warmCpuMs: number;
  loadMs: number;
  loadRssKb: number;
  readMs: number;
}

/** The environment of the plan: loopback URLs and the emulator's public test credentials, nothing inherited. */
export function planEnv(s: BenchScenario, url: string): Record<string, string> {
  const env: Record<string, string> = {
    NO_COLOR: '1',
    ANTHROPIC_BASE_URL: url,
    ANTHROPIC_ADMIN_KEY: s.kind === 'console' ? CONSOLE_KEY : ENTERPRISE_KEY,
  };
  if (s.scim) {
    env.CLAUDE_SCIM_URL = `${url}/scim/v2.0/${SCIM_DIRECTORY}`;
    env.CLAUDE_SCIM_TOKEN = SCIM_TOKEN;
  }
  return env;
}

/**
 * A full collection in this (the emulator's) process: seeding 50,000 SCIM users leaves hundreds of MB of garbage,
 * and its collection would otherwise compete with the measured plan for the CPU (the emulator and the plan share
 * the machine's cores).
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Runs plan-child.ts with `args` and returns the JSON object it prints; bounded by PHASE_TIMEOUT_MS. */
async function runChild(args: string[], env: Record<string, string>, name: string): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, [CHILD, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  let timer: NodeJS.Timeout | undefined;
  try {
    const code = await new Promise<number>((resolve, reject) => {
      timer = setTimeout(() => {
        child.kill();
        reject(new Error(`${name}: plan-child ${args[0]} gave no answer within ${PHASE_TIMEOUT_MS / 1000} s`));
      }, PHASE_TIMEOUT_MS);
      child.on('error', reject);
      child.on('close', (c) => resolve(c ?? -1));
    });
    const text = Buffer.concat(chunks).toString('utf8').trim();
    const msg = JSON.parse(text.slice(text.lastIndexOf('\n') + 1) || '{}') as Record<string, unknown>;
    if (msg.phase === 'error' || code !== 0) throw new Error(`${name}: plan-child ${args[0]} failed (exit ${code}): ${String(msg.message ?? text)}`);
    return msg;
  } finally {
    clearTimeout(timer);
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

/**
 * `runs` plans of the scenario, each in a fresh process. Peak RSS is the highest of them: it depends on when the
 * collector happens to run, and one sample can land low. The list requests are those of the costliest run (every
 * run should make the same ones).
 */
export async function runPlanScenario(s: BenchScenario, dir: string, runs = 1): Promise<PlanFigures> {
  const file = join(dir, `${s.name.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
  writeFileSync(file, s.desired);
  const t0 = performance.now();
  const emu = await startEmulator({ seed: s.seed });
  const seedMs = performance.now() - t0;
  collectGarbage();
  try {
    const counters = (): Counters => emu.store.requests.counters();
    const env = planEnv(s, emu.url);
    const plans: Array<{ msg: ChildPlan; cost: ReturnType<typeof listingCost> }> = [];
    for (let i = 0; i < runs; i++) {
      const before = counters();
      const msg = (await runChild(['plan', file], env, s.name)) as unknown as ChildPlan;
      plans.push({ msg, cost: listingCost(diffCounters(before, counters()), s.listings) });
    }
    const planMsg = plans.find((p) => p.msg.exitCode !== 0)?.msg ?? plans[0]!.msg;
    const cost = plans.reduce((worst, p) => (p.cost.listRequests + p.cost.objectGets > worst.listRequests + worst.objectGets ? p.cost : worst), plans[0]!.cost);
    const rss = plans.map((p) => p.msg.maxRssKb / 1024).sort((a, b) => a - b);
    // A second process reads again (not counted) and times the planner with a cold JIT, as the CLI runs it.
    const plannerMsg = (await runChild(['planner', file], env, s.name)) as unknown as ChildPlanner;
    if (planMsg.exitCode !== 0) process.stderr.write(`${s.name}: plan exited ${planMsg.exitCode}\n${planMsg.stderr}\n`);
    return {
      scenario: s.name,
      kind: s.kind,
      members: s.members,
      description: s.description,
      seedMs,
      listRequests: cost.listRequests,
      minimumListRequests: cost.minimum,
      listRatio: cost.ratio,
      objectGets: cost.objectGets,
      totalRequests: cost.total,
      scimRequests: cost.scim,
      listingsByRoute: cost.byRoute,
      planWallMs: median(plans.map((p) => p.msg.wallMs)),
      plannerCpuMs: plannerMsg.cpuMs,
      plannerWarmCpuMs: plannerMsg.warmCpuMs,
      loadMs: plannerMsg.loadMs,
      loadPeakRssMb: plannerMsg.loadRssKb / 1024,
      readMs: plannerMsg.readMs,
      // maxRSS is in kilobytes (Node's process.resourceUsage)
      peakRssMb: rss[rss.length - 1]!,
      peakRssRunsMb: rss,
      exitCode: planMsg.exitCode,
      apiChanges: planMsg.changes,
    };
  } finally {
    await emu.close();
  }
}
