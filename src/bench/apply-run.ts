// The apply benchmark: `apply --auto-approve` (the CLI's default --concurrency 4) of N changes against an emulator
// limited to R requests per minute. The emulator's limiter is a token bucket that starts full (ratelimit.ts), so a
// fresh bucket would let the first R requests through at once and the figure would say more about the bucket's
// size than about pacing; the bucket is emptied first, so every request of the apply is paid for by the refill
// rate and "requests ÷ wall time" is the sustained rate the client achieves.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CliIO } from '../cli/io.js';
import { runCli } from '../cli/program.js';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import { diffCounters } from './counters.js';
import { planEnv } from './plan-run.js';
import type { ApplyFigures } from './report.js';
import { CONSOLE_KEY, applyScenario } from './synthetic.js';

/** Bound on the whole apply: 1,000 changes at 600 rpm take under two minutes. */
const APPLY_TIMEOUT_MS = 15 * 60_000;

function captureIO(env: Record<string, string>, interrupt: AbortSignal): CliIO & { out: string[] } {
  const out: string[] = [];
  return {
    env,
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => out.push(s) },
    stdoutIsTTY: false,
    stdinIsTTY: false,
    prompt: () => Promise.reject(new Error('no prompt in the benchmark')),
    now: () => new Date(),
    interrupt,
    out,
  };
}

/** Sends cheap requests with the apply's key until the emulator refuses one: the bucket is then empty. */
export async function drainBucket(emu: RunningEmulator, key: string, limit: number): Promise<number> {
  let sent = 0;
  let refused = false;
  const one = async (): Promise<void> => {
    while (!refused && sent < 10 * limit) {
      sent++;
      const res = await fetch(`${emu.url}/v1/organizations/me`, { headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' } });
      await res.arrayBuffer();
      if (res.status === 429) refused = true;
    }
  };
  await Promise.all(Array.from({ length: 16 }, one));
  return sent;
}

/** "Apply complete: 1000 applied, 0 failed, 0 skipped, 0 not started." */
export function parseApplySummary(text: string): { applied: number; failed: number; skipped: number; notStarted: number } | undefined {
  const m = /Apply (?:complete|incomplete): (\d+) applied, (\d+) failed, (\d+) skipped, (\d+) not started\./.exec(text);
  if (!m) return undefined;
  return { applied: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3]), notStarted: Number(m[4]) };
}

async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`the apply did not finish within ${ms / 1000} s`));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runApplyBench(changes: number, rateLimit: number, dir: string): Promise<ApplyFigures> {
  const s = applyScenario(changes);
  const file = join(dir, 'apply.yaml');
  writeFileSync(file, s.desired);
  const emu = await startEmulator({ seed: s.seed, rateLimit: { requestsPerMinute: rateLimit } });
  try {
    // the apply's lock lives in the benchmark's own folder, never in the user's home
    const env = { ...planEnv(s, emu.url), CLAUDE_RECONCILE_STATE_DIR: join(dir, 'state') };
    const drainRequests = await drainBucket(emu, CONSOLE_KEY, rateLimit);
    const before = emu.store.requests.counters();
    const limitedBefore = emu.store.requests.rateLimited;

    const interrupt = new AbortController();
    const io = captureIO(env, interrupt.signal);
    const t0 = performance.now();
    const exitCode = await withTimeout(runCli(['apply', '--auto-approve', '-f', file], io), APPLY_TIMEOUT_MS, () => interrupt.abort());
    const wallMs = performance.now() - t0;

    const made = diffCounters(before, emu.store.requests.counters());
    const requests = Object.values(made).reduce((a, b) => a + b, 0);
    const rateLimited = emu.store.requests.rateLimited - limitedBefore;
    const summary = parseApplySummary(io.out.join('')) ?? { applied: 0, failed: 0, skipped: 0, notStarted: changes };

    // Converged: a plan afterwards (not counted above) has no API change left.
    const check = captureIO(env, new AbortController().signal);
    const planCode = await runCli(['plan', '--detailed-exitcode', '-f', file], check);

    const achievedRpm = requests / (wallMs / 60_000);
    return {
      changes,
      rateLimitRpm: rateLimit,
      drainRequests,
      requests,
      wallMs,
      achievedRpm,
      fractionOfLimit: achievedRpm / rateLimit,
      rateLimited,
      rateLimitedShare: requests === 0 ? 0 : rateLimited / requests,
      ...summary,
      exitCode,
      converged: planCode === 0,
    };
  } finally {
    await emu.close();
  }
}
