// Rate limits (§2.6): a per-key request bucket and a separate invite bucket, 429 `rate_limit_error` with
// `retry-after` and the `anthropic-ratelimit-requests-*` headers (§2.5).

import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/emulator/ratelimit.js';
import { call, control, emulator, expectEnvelope, type Answer } from './helpers.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function expectLimitHeaders(a: Answer, limit: number): number {
  expect(a.headers.get('anthropic-ratelimit-requests-limit')).toBe(String(limit));
  const remaining = Number(a.headers.get('anthropic-ratelimit-requests-remaining'));
  expect(Number.isInteger(remaining) && remaining >= 0 && remaining <= limit).toBe(true);
  expect(a.headers.get('anthropic-ratelimit-requests-reset')).toMatch(RFC3339);
  return remaining;
}

describe('request bucket', () => {
  it('answers 429 when the bucket is empty, with retry-after, and recovers after waiting that long', async () => {
    const emu = await emulator({ rateLimit: { requestsPerMinute: 60 } });
    let limited: Answer | undefined;
    let previous = 61;
    for (let i = 0; i < 200 && !limited; i++) {
      const a = await call(emu, '/v1/organizations/users');
      const remaining = expectLimitHeaders(a, 60);
      if (a.status === 429) limited = a;
      else {
        expect(a.status).toBe(200);
        expect(remaining).toBeLessThanOrEqual(previous);
        previous = remaining;
      }
    }
    expect(limited).toBeDefined();
    expectEnvelope(limited!, 429, 'rate_limit_error');
    expect(limited!.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    const retryAfter = Number(limited!.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
    expect(Date.parse(limited!.headers.get('anthropic-ratelimit-requests-reset')!)).toBeGreaterThan(Date.now());

    // Control endpoints are exempt; the state counts the 429.
    const state = (await control(emu, '/state')).body;
    expect(state.rate_limited).toBe(1);
    expect(state.requests['GET /v1/organizations/users']['429']).toBe(1);

    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 100));
    expect((await call(emu, '/v1/organizations/users')).status).toBe(200);
  });

  it('is per key, and absent when no limit is configured', async () => {
    const emu = await emulator({
      seed: { admin_keys: ['sk-ant-admin01-first-key-aaaa', 'sk-ant-admin01-second-key-bbb'], rate_limits: { requests_per_minute: 3 } },
    });
    const first = 'sk-ant-admin01-first-key-aaaa';
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(emu, '/v1/organizations/me', { key: first })).status);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.at(-1)).toBe(429);
    const other = await call(emu, '/v1/organizations/me', { key: 'sk-ant-admin01-second-key-bbb' });
    expect(other.status).toBe(200);
    expectLimitHeaders(other, 3);

    const free = await emulator();
    const a = await call(free, '/v1/organizations/me');
    expect(a.headers.get('anthropic-ratelimit-requests-limit')).toBeNull();
    expect(a.headers.get('retry-after')).toBeNull();
  });

  it('options override the seed', async () => {
    const emu = await emulator({ seed: { rate_limits: { requests_per_minute: 1 } }, rateLimit: { requestsPerMinute: 500 } });
    expectLimitHeaders(await call(emu, '/v1/organizations/me'), 500);
    expect((await call(emu, '/v1/organizations/me')).status).toBe(200);
    expect((await control(emu, '/state')).body.rate_limits).toEqual({ requests_per_minute: 500, invites_per_hour: null });
  });

  it('PUT /_emulator/state brings the new seed limits', async () => {
    const emu = await emulator();
    await control(emu, '/state', { method: 'PUT', body: { rate_limits: { requests_per_minute: 2 } } });
    expectLimitHeaders(await call(emu, '/v1/organizations/me'), 2);
  });
});

describe('invite bucket', () => {
  it('limits invite creations separately from other requests', async () => {
    const emu = await emulator({ rateLimit: { invitesPerHour: 2 } });
    const made = [];
    for (const n of [1, 2, 3]) {
      made.push(await call(emu, '/v1/organizations/invites', { body: { email: `i${n}@acme.com`, role: 'user' } }));
    }
    expect(made.map((a) => a.status)).toEqual([200, 200, 429]);
    expectEnvelope(made[2]!, 429, 'rate_limit_error');
    // An hour for 2 invites: the next token is about half an hour away.
    expect(Number(made[2]!.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(emu.store.invitationEmails('i3@acme.com')).toBe(0);
    expect((await call(emu, '/v1/organizations/invites')).status).toBe(200);
  });
});

describe('TokenBucket', () => {
  it('refills continuously up to its capacity', () => {
    let t = 0;
    const bucket = new TokenBucket(2, 60_000, () => t);
    expect(bucket.take().ok).toBe(true);
    expect(bucket.take().ok).toBe(true);
    const empty = bucket.take();
    expect(empty).toEqual({ ok: false, retryAfterMs: 30_000 });
    t = 29_999;
    expect(bucket.take().ok).toBe(false);
    t = 30_000;
    expect(bucket.take().ok).toBe(true);
    t = 10_000_000;
    expect(bucket.remaining()).toBe(2);
    expect(bucket.msUntilFull()).toBe(0);
  });
});
