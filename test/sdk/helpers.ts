// The conformance suite's plumbing: one emulator per test file, driven by the official SDK client with its own
// default headers (so `anthropic-version: 2026-10-21`), no retries, and a fetch that records what the SDK sent.

import Anthropic from '@anthropic-ai/sdk';
import { APIError } from '@anthropic-ai/sdk';
import { expect } from 'vitest';
import { startEmulator, type RunningEmulator, type Seed } from '../../src/emulator/index.js';
import type { SdkSchemas, SdkType } from './schemas.js';

export interface SentRequest {
  method: string;
  url: string;
  headers: Headers;
}

export interface SdkRig {
  emu: RunningEmulator;
  client: Anthropic;
  /** Every request the client sent, in order. */
  sent: SentRequest[];
}

/** A fetch that records each request in `sent` before sending it. */
function recordingFetch(sent: SentRequest[]): typeof fetch {
  return async (input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(input, init);
    sent.push({ method: req.method, url: req.url, headers: req.headers });
    return fetch(input, init);
  };
}

/**
 * An emulator and an SDK client on it. `credential` is an admin key (the SDK's `apiKey`), or `{authToken}`: an OAuth
 * bearer token, the only credential the service-account endpoints take.
 */
export async function startRig(seed: Seed, credential: string | { authToken: string }): Promise<SdkRig> {
  const emu = await startEmulator({ seed, host: '127.0.0.1', port: 0 });
  const sent: SentRequest[] = [];
  const auth = typeof credential === 'string' ? { apiKey: credential } : { authToken: credential.authToken };
  const client = new Anthropic({ ...auth, baseURL: emu.url, maxRetries: 0, timeout: 20_000, fetch: recordingFetch(sent) });
  return { emu, client, sent };
}

/** Another client on the same emulator with an OAuth bearer token; its requests are recorded in `rig.sent` too. */
export function tokenClientFor(rig: SdkRig, authToken: string): Anthropic {
  return new Anthropic({ authToken, baseURL: rig.emu.url, maxRetries: 0, timeout: 20_000, fetch: recordingFetch(rig.sent) });
}

/** Another client on the same emulator (another key). */
export function clientFor(rig: SdkRig, apiKey: string): Anthropic {
  return new Anthropic({ apiKey, baseURL: rig.emu.url, maxRetries: 0, timeout: 20_000 });
}

/** The raw JSON body of a page the SDK built (its `body`, kept as the server sent it). */
export function rawBody(page: unknown): Record<string, unknown> {
  return (page as { body: Record<string, unknown> }).body;
}

/** Checks an ID-cursor page (SDK Page): exactly `{data, has_more, first_id, last_id}`, each item an SDK `type`. */
export function checkIdPage(schemas: SdkSchemas, type: SdkType, page: unknown): Record<string, unknown>[] {
  const body = rawBody(page);
  expect(Object.keys(body).sort()).toEqual(['data', 'first_id', 'has_more', 'last_id']);
  expect(typeof body.has_more).toBe('boolean');
  const data = body.data as Record<string, unknown>[];
  expect(Array.isArray(data)).toBe(true);
  expect(body.first_id).toBe(data[0]?.id ?? null);
  expect(body.last_id).toBe(data[data.length - 1]?.id ?? null);
  for (const item of data) schemas.check(type, item);
  return data;
}

/** Checks a token page (SDK PageCursor): exactly `{data, next_page}`, each item an SDK `type`. */
export function checkCursorPage(schemas: SdkSchemas, type: SdkType, page: unknown): Record<string, unknown>[] {
  const body = rawBody(page);
  expect(Object.keys(body).sort()).toEqual(['data', 'next_page']);
  expect(body.next_page === null || typeof body.next_page === 'string').toBe(true);
  const data = body.data as Record<string, unknown>[];
  for (const item of data) schemas.check(type, item);
  return data;
}

/** Runs `fn`, expecting the SDK to throw `cls` with `errorCode`; returns the error. */
export async function expectSdkError<E extends APIError>(
  fn: () => Promise<unknown>,
  cls: abstract new (...args: any[]) => E,
  status: number,
  errorCode: string | null,
): Promise<E> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  if (!(caught instanceof cls)) {
    throw new Error(`expected ${cls.name}, got ${caught instanceof Error ? `${caught.constructor.name}: ${caught.message}` : String(caught)}`);
  }
  const err = caught as E;
  expect(err.status).toBe(status);
  expect(err.errorCode).toBe(errorCode);
  expect(err.requestID).toMatch(/^req_/);
  return err;
}

/** Collects an async iterable. */
export async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
