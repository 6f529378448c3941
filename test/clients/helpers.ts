// Shared fixtures of the client tests: a recognisable fake key, a nock recorder that keeps the exact request line
// and headers, virtual time for retry and throttle sleeps, and a scanner that proves no secret leaked.

import nock from 'nock';
import { inspect } from 'node:util';
import { afterEach, beforeEach, expect } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import { AdminClient, type AdminClientOptions } from '../../src/clients/admin.js';
import { ScimClient, type ScimClientOptions } from '../../src/clients/scim.js';

/** nock intercepts this origin; `disableNetConnect` guarantees nothing leaves the machine. */
export const BASE = 'http://127.0.0.1:65001';
/** Matches the `sk-ant-` shape, so both `registerSecret` and the pattern scrub it. */
export const FAKE_KEY = 'sk-ant-admin01-FAKEKEYdoNOTleak-0123456789abcdefXYZ';
/** Does not match the `sk-ant-` pattern: only `registerSecret` can scrub it. */
export const FAKE_TOKEN = 'oauth-tok-FAKEbearerDoNotLeak-9876543210';

export interface Recorded {
  method: string;
  /** Path and query exactly as sent. */
  uri: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** A nock scope on BASE whose replies record every request they answer. */
export function api(): nock.Scope {
  return nock(BASE);
}

/** Reply function that records the request and answers `status` with `body` and `headers`. */
export function recordTo(
  log: Recorded[],
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): (this: nock.ReplyFnContext, uri: string, reqBody: nock.Body) => nock.ReplyFnResult {
  return function (this: nock.ReplyFnContext, uri: string, reqBody: nock.Body) {
    log.push({
      method: this.req.method,
      uri,
      headers: { ...this.req.headers },
      body: decodeBody(reqBody),
    });
    return [status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json', ...headers }];
  };
}

function decodeBody(b: nock.Body): unknown {
  if (typeof b !== 'string') return b;
  if (b === '') return undefined;
  try {
    return JSON.parse(b);
  } catch {
    return b;
  }
}

export interface VirtualTime {
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Every sleep requested, in order. */
  sleeps: number[];
}

/** Sleeps return at once and move a virtual clock, so retry delays and pacing are asserted, never waited. */
export function virtualTime(start = Date.parse('2026-09-01T00:00:00Z')): VirtualTime {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleeps,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw new InterruptedError();
      sleeps.push(ms);
      t += ms;
    },
  };
}

/** A client on BASE whose retry sleeps are recorded in `retrySleeps` and whose pacer runs in virtual time. */
export function testClient(
  over: Partial<AdminClientOptions> = {},
): { client: AdminClient; retrySleeps: number[]; time: VirtualTime } {
  const time = virtualTime();
  const retrySleeps: number[] = [];
  const client = new AdminClient({
    baseUrl: BASE,
    credential: { kind: 'x-api-key', value: FAKE_KEY },
    timeoutMs: 2000,
    ...over,
    retry: {
      jitter: 0,
      sleep: async (ms, signal) => {
        retrySleeps.push(ms);
        await time.sleep(ms, signal);
      },
      ...over.retry,
    },
    throttle: { now: time.now, sleep: time.sleep, ...over.throttle },
  });
  return { client, retrySleeps, time };
}

/** Directory URL of the nock'ed SCIM endpoint: WorkOS's shape, with a path prefix the client must keep. */
export const SCIM_KEY = 'dirkey_SECRETISH_01';
export const SCIM_PREFIX = `/scim/v2.0/${SCIM_KEY}`;
export const SCIM_BASE = `${BASE}${SCIM_PREFIX}`;

/** A SCIM client on SCIM_BASE (or `over.baseUrl`) with recorded retry sleeps and a virtual-time pacer. */
export function testScimClient(
  over: Partial<ScimClientOptions> = {},
): { client: ScimClient; retrySleeps: number[]; time: VirtualTime } {
  const time = virtualTime();
  const retrySleeps: number[] = [];
  const client = new ScimClient({
    baseUrl: SCIM_BASE,
    token: FAKE_TOKEN,
    timeoutMs: 2000,
    ...over,
    retry: {
      jitter: 0,
      sleep: async (ms, signal) => {
        retrySleeps.push(ms);
        await time.sleep(ms, signal);
      },
      ...over.retry,
    },
    throttle: { now: time.now, sleep: time.sleep, ...over.throttle },
  });
  return { client, retrySleeps, time };
}

/** Fails if any secret appears in any rendering of the values. */
export function expectNoSecret(...values: unknown[]): void {
  for (const v of values) {
    const renderings =
      v instanceof Error
        ? [String(v), v.stack ?? '', inspect(v, { depth: 8 }), JSON.stringify(v), String((v as { cause?: unknown }).cause)]
        : [JSON.stringify(v) ?? '', inspect(v, { depth: 8, showHidden: true }), String(v)];
    for (const text of renderings) {
      expect(text).not.toContain(FAKE_KEY);
      expect(text).not.toContain(FAKE_TOKEN);
      expect(text).not.toContain('FAKEKEYdoNOTleak');
      expect(text).not.toContain('FAKEbearerDoNotLeak');
    }
  }
}

/** Awaits a promise that must reject, and returns the rejection. */
export async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection, got a result');
}

export function userObj(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `user_${String(n).padStart(3, '0')}`,
    type: 'user',
    email: `user${n}@acme.test`,
    name: `User ${n}`,
    role: 'user',
    added_at: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

export function inviteObj(id: string, email: string, status = 'pending'): Record<string, unknown> {
  return {
    id,
    type: 'invite',
    email,
    role: 'user',
    invited_at: '2026-09-01T00:00:00Z',
    expires_at: '2026-09-22T00:00:00Z',
    accepted_at: null,
    status,
    rbac_group_ids: [],
  };
}

export function errorBody(type: string, message: string, requestId = 'req_body_1'): Record<string, unknown> {
  return { type: 'error', error: { type, message }, request_id: requestId };
}

export function workspaceObj(id: string, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    type: 'workspace',
    name,
    display_color: '#6C5BB9',
    created_at: '2026-09-01T00:00:00Z',
    archived_at: null,
    ...extra,
  };
}

export function groupObj(id: string, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    type: 'rbac_group',
    name,
    source_type: 'direct',
    roles: [],
    created_at: '2026-09-01T00:00:00Z',
    updated_at: '2026-09-01T00:00:00Z',
    ...extra,
  };
}

export function idPage(data: Array<Record<string, unknown>>, hasMore = false): Record<string, unknown> {
  const ids = data.map((d) => String(d['id'] ?? d['user_id']));
  return { data, has_more: hasMore, first_id: ids[0] ?? null, last_id: ids[ids.length - 1] ?? null };
}

export function tokenPage(data: Array<Record<string, unknown>>, nextPage: string | null): Record<string, unknown> {
  return { data, has_more: nextPage !== null, next_page: nextPage };
}

/**
 * For a nock test file: no real connection may leave, every interceptor is cleared after each test, and every
 * client made through the returned function is closed. Returns `testClient` with that bookkeeping.
 */
export function nockClients(): (over?: Parameters<typeof testClient>[0]) => ReturnType<typeof testClient> {
  let clients: AdminClient[] = [];
  beforeEach(() => {
    nock.disableNetConnect();
  });
  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await Promise.all(clients.map((c) => c.close()));
    clients = [];
  });
  return (over = {}) => {
    const c = testClient(over);
    clients.push(c.client);
    return c;
  };
}
