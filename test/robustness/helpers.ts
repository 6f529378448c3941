// Shared by the robustness tests: recognisable fake credentials, the CLI run in-process with captured output,
// and the checks every failing run must pass (no secret, no stack trace, nothing written).

import { expect } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { CliIO } from '../../src/cli/io.js';
import type { AdminClientOptions } from '../../src/clients/admin.js';

export const ORG_ID = '11111111-2222-4333-8444-555555555555';
/** Shaped like a real console admin key, so both the registered-secret scrub and the key pattern apply. */
export const FAKE_ADMIN_KEY = 'sk-ant-admin01-ROBUSTfakeADMINkey-0123456789abcdefghijklmnopqrstuvwxyz-QwErTyUiOpAA';
/** Not shaped like an Anthropic key: only registration as a secret can scrub it. */
export const FAKE_SCIM_TOKEN = 'scimtok_ROBUSTfakeSCIMtoken_9f8e7d6c5b4a3210ZyXwVuTsRq';
export const SCIM_DIRECTORY = 'dir_robust_acme';

export interface RunOutput {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  clientOptions?: Partial<AdminClientOptions>;
  interrupt?: AbortSignal;
}

/** Small pages and fast, few retries: every listing spans several pages and a persistent fault ends quickly. */
export const FAST_CLIENT: Partial<AdminClientOptions> = {
  pageSize: 3,
  retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2, settleMs: 20, settleFirstPollMs: 5 },
};

export async function runIn(args: string[], opts: RunOptions = {}): Promise<RunOutput> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    env: { NO_COLOR: '1', CLAUDE_RECONCILE_STATE_DIR: process.env.CLAUDE_RECONCILE_STATE_DIR, ...opts.env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdoutIsTTY: false,
    stdinIsTTY: false,
    prompt: async () => 'no',
    now: () => new Date(),
    interrupt: opts.interrupt ?? new AbortController().signal,
    clientOptions: opts.clientOptions ?? FAST_CLIENT,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/**
 * Pieces of a secret that must not appear either: the whole, its first 24 characters (a key cut short at the end
 * of an excerpt), its last 20, and 20 from its middle.
 */
export function secretPieces(secret: string): string[] {
  const mid = Math.floor(secret.length / 2);
  return [secret, secret.slice(0, 24), secret.slice(-20), secret.slice(mid - 10, mid + 10)];
}

/** Names the first secret piece found in `text`, or undefined. */
export function findSecret(text: string, secrets: readonly string[] = [FAKE_ADMIN_KEY, FAKE_SCIM_TOKEN]): string | undefined {
  for (const s of secrets) {
    for (const piece of secretPieces(s)) if (text.includes(piece)) return piece;
  }
  return undefined;
}

export function expectNoSecret(text: string, where: string, secrets?: readonly string[]): void {
  const found = findSecret(text, secrets);
  expect(found, `${where} contains a secret piece ${JSON.stringify(found)}`).toBeUndefined();
}

export const STACK_TRACE = /\n\s+at /;

/** The emulator state without what every read changes (request counters, the clock). */
export function stable(state: Record<string, unknown>): Record<string, unknown> {
  const { requests: _r, rate_limited: _l, now: _n, ...rest } = state;
  return rest;
}

/** Routes of the emulator's request counters that are not reads. */
export function writeRoutes(state: Record<string, unknown>): string[] {
  const counters = (state.requests ?? {}) as Record<string, unknown>;
  return Object.keys(counters).filter((route) => !route.startsWith('GET '));
}

export async function emulatorState(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/_emulator/state`, { signal: AbortSignal.timeout(10_000) });
  return (await res.json()) as Record<string, unknown>;
}

export async function control(url: string, path: string, body: unknown, method = 'POST'): Promise<unknown> {
  const res = await fetch(`${url}/_emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}
