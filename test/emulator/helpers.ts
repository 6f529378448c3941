// Shared helpers for emulator tests: start an emulator, call it over real HTTP with the global fetch.

import { afterEach } from 'vitest';
import { DEFAULT_ADMIN_KEY, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';

export { DEFAULT_ADMIN_KEY };

const running: RunningEmulator[] = [];

/** Starts an emulator that is closed after the current test. */
export async function emulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emu = await startEmulator(opts);
  running.push(emu);
  return emu;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  key?: string | null;
  bearer?: boolean;
  headers?: Record<string, string>;
}

/** One request; parses JSON when possible. `key: null` sends no credential. */
export async function call<T = any>(emu: RunningEmulator, path: string, opts: CallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { 'anthropic-version': '2023-06-01', ...opts.headers };
  const key = opts.key === undefined ? DEFAULT_ADMIN_KEY : opts.key;
  if (key !== null) {
    if (opts.bearer) headers.authorization = `Bearer ${key}`;
    else headers['x-api-key'] = key;
  }
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(emu.url + path, {
    method: opts.method ?? (opts.body !== undefined ? 'POST' : 'GET'),
    headers,
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  let body: any;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** A control endpoint call (no key). */
export function control<T = any>(emu: RunningEmulator, path: string, opts: Omit<CallOptions, 'key'> = {}): Promise<Answer<T>> {
  return call<T>(emu, `/_emulator${path}`, { ...opts, key: null });
}

/** Asserts the §2.7 envelope and returns the error type. */
export function expectEnvelope(a: Answer, status: number, type: string): string {
  if (a.status !== status || a.body?.type !== 'error' || a.body?.error?.type !== type) {
    throw new Error(`expected ${status} ${type}, got ${a.status} ${a.text}`);
  }
  if (typeof a.body.error.message !== 'string' || a.body.error.message === '') throw new Error('empty error message');
  if (a.body.request_id !== a.headers.get('request-id')) throw new Error('request_id differs from the header');
  return a.body.error.message as string;
}

export const REQUEST_ID = /^req_01[1-9A-HJ-NP-Za-km-z]{22}$/;
export const USER_ID = /^user_01[1-9A-HJ-NP-Za-km-z]{22}$/;
export const INVITE_ID = /^invite_01[1-9A-HJ-NP-Za-km-z]{22}$/;
