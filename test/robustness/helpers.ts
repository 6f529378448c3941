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

/** The public beginnings of Anthropic keys: printing `sk-ant-admin01-…` alone gives nothing away. */
const PUBLIC_PREFIXES = ['sk-ant-admin01-', 'sk-ant-api01-', 'sk-ant-api03-', 'sk-ant-oat01-', 'sk-ant-', '/scim/v2.0/'];

/**
 * The forms a secret may be echoed in, computed here independently of src/secrets.ts: raw, URL-encoded,
 * JSON-escaped, hex (both cases), and base64 and base64url of its bytes from offsets 0, 1 and 2 (padding left out).
 */
export function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
  for (let k = 0; k < 3; k += 1) {
    forms.push(bytes.subarray(k).toString('base64').replace(/=+$/, ''), bytes.subarray(k).toString('base64url'));
  }
  return forms;
}

function windows10(form: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 10 <= form.length; i += 1) out.push(form.slice(i, i + 10));
  return out;
}

const windowCache = new Map<string, string[]>();

/** Every 10-character window of every form of `secret`, except the windows that lie inside a public prefix. */
export function secretWindows(secret: string): string[] {
  let w = windowCache.get(secret);
  if (!w) {
    const pub = new Set(PUBLIC_PREFIXES.flatMap((p) => encodedForms(p).flatMap(windows10)));
    w = [...new Set(encodedForms(secret).flatMap(windows10))].filter((x) => !pub.has(x));
    windowCache.set(secret, w);
  }
  return w;
}

/** The rule of issue 12: no 10-character window of a secret, raw or encoded, anywhere in `text`. */
export function expectNoWindow(text: string, where: string, secrets: readonly string[]): void {
  for (const s of secrets) {
    const hit = secretWindows(s).find((w) => text.includes(w));
    if (hit !== undefined) {
      const at = text.indexOf(hit);
      expect.fail(`${where}: a window ${JSON.stringify(hit)} of a secret is in ${JSON.stringify(text.slice(Math.max(0, at - 60), at + 70))}`);
    }
  }
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
