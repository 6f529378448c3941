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
import { diffCountersByStatus, type Counters } from './counters.js';
import { planEnv } from './plan-run.js';
import type { ApplyFigures, ApplyOutcome, MixedApplyFigures } from './report.js';
import { CONSOLE_KEY, applyScenario, mixedApplyScenario, type BenchScenario } from './synthetic.js';

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

/** What a drain sends: by default the organization check, the cheapest request. */
export interface DrainRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

const ORGANIZATION_CHECK: DrainRequest = { method: 'GET', path: '/v1/organizations/me' };
/** An invite creation the emulator refuses as invalid (400) once it has taken the invite token: nobody is invited. */
export const INVALID_INVITE: DrainRequest = { method: 'POST', path: '/v1/organizations/invites', body: {} };

/**
 * Sends cheap requests with the apply's key until the emulator refuses one: the bucket is then empty. `refusedBy`
 * must match the 429's message, so that draining one bucket never stops on another's refusal.
 */
export async function drainBucket(
  emu: RunningEmulator,
  key: string,
  limit: number,
  request: DrainRequest = ORGANIZATION_CHECK,
  refusedBy?: RegExp,
): Promise<number> {
  let sent = 0;
  let refused = false;
  const one = async (): Promise<void> => {
    while (!refused && sent < 10 * limit) {
      sent++;
      const res = await fetch(`${emu.url}${request.path}`, {
        method: request.method,
        headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      });
      const text = await res.text();
      if (res.status === 429) {
        if (refusedBy && !refusedBy.test(text)) throw new Error(`draining ${request.method} ${request.path}: refused by another bucket (${text.slice(0, 200)})`);
        refused = true;
      }
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

interface ApplyRun {
  /** Requests of the apply by route template and status (its plan, retries and 429s included). */
  made: Counters;
  wallMs: number;
  rateLimited: number;
  summary: { applied: number; failed: number; skipped: number; notStarted: number };
  exitCode: number;
  converged: boolean;
}

/** Runs `apply --auto-approve` of the scenario once `prepare` (the drains) is done; a plan afterwards checks it. */
async function runApply(
  s: BenchScenario,
  emu: RunningEmulator,
  dir: string,
  args: readonly string[],
  changes: number,
): Promise<ApplyRun> {
  const file = join(dir, `${s.name.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
  writeFileSync(file, s.desired);
  // the apply's lock lives in the benchmark's own folder, never in the user's home
  const env = { ...planEnv(s, emu.url), CLAUDE_RECONCILE_STATE_DIR: join(dir, 'state') };
  const before = emu.store.requests.counters();
  const limitedBefore = emu.store.requests.rateLimited;

  const interrupt = new AbortController();
  const io = captureIO(env, interrupt.signal);
  const t0 = performance.now();
  const exitCode = await withTimeout(runCli(['apply', '--auto-approve', ...args, '-f', file], io), APPLY_TIMEOUT_MS, () => interrupt.abort());
  const wallMs = performance.now() - t0;

  const made = diffCountersByStatus(before, emu.store.requests.counters());
  const rateLimited = emu.store.requests.rateLimited - limitedBefore;
  const summary = parseApplySummary(io.out.join('')) ?? { applied: 0, failed: 0, skipped: 0, notStarted: changes };
  // a failed change is a missed target: say which, and why, as the apply said it (no secret is in these lines)
  for (const line of io.out.join('').split('\n')) if (/^\s*(FAILED|SKIPPED)\b/.test(line)) process.stderr.write(`  ${s.name}: ${line.trim()}\n`);

  // Converged: a plan afterwards (not counted above) has no API change left.
  const check = captureIO(env, new AbortController().signal);
  const planCode = await runCli(['plan', '--detailed-exitcode', '-f', file], check);
  return { made, wallMs, rateLimited, summary, exitCode, converged: planCode === 0 };
}

/** The figures every apply reports: its 429s, how its changes ended, whether it converged. */
function outcome(run: ApplyRun, requests: number): ApplyOutcome {
  return {
    rateLimited: run.rateLimited,
    rateLimitedShare: requests === 0 ? 0 : run.rateLimited / requests,
    ...run.summary,
    exitCode: run.exitCode,
    converged: run.converged,
  };
}

function total(byStatus: Record<string, number> | undefined, keep: (status: string) => boolean = () => true): number {
  return Object.entries(byStatus ?? {}).reduce((n, [status, count]) => (keep(status) ? n + count : n), 0);
}

export async function runApplyBench(changes: number, rateLimit: number, dir: string): Promise<ApplyFigures> {
  const s = applyScenario(changes);
  const emu = await startEmulator({ seed: s.seed, rateLimit: { requestsPerMinute: rateLimit } });
  try {
    const drainRequests = await drainBucket(emu, CONSOLE_KEY, rateLimit);
    const run = await runApply(s, emu, dir, [], changes);
    const requests = Object.values(run.made).reduce((a, b) => a + total(b), 0);
    const achievedRpm = requests / (run.wallMs / 60_000);
    return {
      changes,
      rateLimitRpm: rateLimit,
      drainRequests,
      requests,
      wallMs: run.wallMs,
      achievedRpm,
      fractionOfLimit: achievedRpm / rateLimit,
      ...outcome(run, requests),
    };
  } finally {
    await emu.close();
  }
}

const INVITE_CREATION = 'POST /v1/organizations/invites';

/**
 * The mixed apply (issue 18): role changes and invite creations at once, against an emulator whose request bucket
 * and invite bucket (§2.6) are both emptied first, so each bucket alone needs its requests ÷ its rate. The invite
 * bucket is emptied first, with invalid invites (each also takes a request token), then the request bucket.
 */
export async function runMixedApplyBench(o: {
  updates: number;
  invites: number;
  rateLimit: number;
  invitesPerHour: number;
  concurrency: number;
  dir: string;
}): Promise<MixedApplyFigures> {
  const s = mixedApplyScenario(o.updates, o.invites);
  const emu = await startEmulator({ seed: s.seed, rateLimit: { requestsPerMinute: o.rateLimit, invitesPerHour: o.invitesPerHour } });
  try {
    const drainRequests =
      (await drainBucket(emu, CONSOLE_KEY, o.invitesPerHour, INVALID_INVITE, /invite creations per hour/)) +
      (await drainBucket(emu, CONSOLE_KEY, o.rateLimit));
    const changes = o.updates + o.invites;
    const run = await runApply(s, emu, o.dir, ['--concurrency', String(o.concurrency)], changes);
    const requests = Object.values(run.made).reduce((a, b) => a + total(b), 0);
    const granted = (byStatus: Record<string, number> | undefined): number => total(byStatus, (status) => status !== '429');
    // The emulator counts an invite creation against both buckets; a 429 may have taken a request token, which
    // this bound leaves out (the bound is then lower, never higher, than what the emulator allowed).
    const organizationBoundMs = (requests - run.rateLimited) / (o.rateLimit / 60_000);
    const inviteRequests = total(run.made[INVITE_CREATION]);
    const inviteBoundMs = granted(run.made[INVITE_CREATION]) / (o.invitesPerHour / 3_600_000);
    const slowestBoundMs = Math.max(organizationBoundMs, inviteBoundMs);
    return {
      updates: o.updates,
      invites: o.invites,
      rateLimitRpm: o.rateLimit,
      invitesPerHour: o.invitesPerHour,
      concurrency: o.concurrency,
      drainRequests,
      requests,
      inviteRequests,
      wallMs: run.wallMs,
      organizationBoundMs,
      inviteBoundMs,
      slowestBound: organizationBoundMs >= inviteBoundMs ? 'organization' : 'invites',
      ofBound: run.wallMs / slowestBoundMs,
      inviteRateLimited: run.made[INVITE_CREATION]?.['429'] ?? 0,
      ...outcome(run, requests),
    };
  } finally {
    await emu.close();
  }
}
