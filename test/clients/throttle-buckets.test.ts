// Issue 18 in virtual time (scheduler.ts): two pacers, one per bucket, against a server limiting as the emulator
// does (src/emulator/ratelimit.ts, its own TokenBucket on the virtual clock): a request bucket of R a minute and an
// invite bucket, an invite taking a token of both (the request one first). The pacers are wired as the pipeline
// wires them (pipeline.ts #attempt): an invite is carried by the organization's pacer, its answer's headers feed
// that pacer, and a 429 the organization's budget explains pauses that pacer and gives the invite its token back.

import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { TokenBucket } from '../../src/emulator/ratelimit.js';
import { resolveRetryPolicy, withRetries } from '../../src/clients/retry.js';
import { Throttle } from '../../src/clients/throttle.js';
import { Scheduler, T0 } from './scheduler.js';

interface Answer {
  status: number;
  headers: Headers;
  /** Which bucket refused it (the test's own knowledge; the client sees only the headers). */
  refusedBy?: 'organization' | 'invites';
}

/** The emulator's limiter (api-pipeline.ts, ratelimit.ts) on the virtual clock, both buckets emptied first. */
function emulatedServer(s: Scheduler, requestsPerMinute: number, invitesPerHour: number) {
  const requests = new TokenBucket(requestsPerMinute, 60_000, s.now);
  const invites = new TokenBucket(invitesPerHour, 3_600_000, s.now);
  while (requests.take().ok);
  while (invites.take().ok);
  const answer = (status: number, retryAfterMs?: number): Answer => {
    const h = new Headers({
      'anthropic-ratelimit-requests-limit': String(requestsPerMinute),
      'anthropic-ratelimit-requests-remaining': String(requests.remaining()),
      'anthropic-ratelimit-requests-reset': new Date(s.now() + Math.ceil(requests.msUntilFull())).toISOString(),
    });
    if (retryAfterMs !== undefined) h.set('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    return { status, headers: h };
  };
  return {
    request(): Answer {
      const r = requests.take();
      return r.ok ? answer(200) : { ...answer(429, r.retryAfterMs), refusedBy: 'organization' };
    },
    invite(): Answer {
      const r = requests.take();
      if (!r.ok) return { ...answer(429, r.retryAfterMs), refusedBy: 'organization' };
      const i = invites.take();
      return i.ok ? answer(201) : { ...answer(429, i.retryAfterMs), refusedBy: 'invites' };
    },
  };
}

interface MixedResult {
  durationMs: number;
  ok: number;
  rateLimited: number;
  failed: number;
  /** When invites were refused by the organization's bucket (ms from the start). */
  invitesRefusedByOrganization: number[];
}

/**
 * `updates` role changes (concurrency 4, the CLI's) and `invites` invite creations (one at a time, buckets.ts) at
 * once. `asBefore` wires the pacers as before this change: an invite is not carried, and any invite 429 with an
 * organization budget of 0 is taken for the organization's.
 */
async function mixedApply(o: { updates: number; invites: number; rpm: number; iph: number; latencyMs: number; asBefore?: boolean }): Promise<MixedResult> {
  const s = new Scheduler();
  const server = emulatedServer(s, o.rpm, o.iph);
  const org = new Throttle({ now: s.now, sleep: s.sleep, concurrency: 4, bucket: 'organization' });
  const inv = new Throttle({ now: s.now, sleep: s.sleep, concurrency: 1, bucket: 'invites', readsHeaders: false, learnFromRetryAfter: true });
  const policy = resolveRetryPolicy({ sleep: s.sleep, random: () => 0.5 });
  const r: MixedResult = { durationMs: 0, ok: 0, rateLimited: 0, failed: 0, invitesRefusedByOrganization: [] };
  const exchange = async (send: () => Answer): Promise<Answer> => {
    await s.sleep(o.latencyMs / 2);
    const res = send();
    await s.sleep(o.latencyMs / 2);
    return res;
  };
  const settle = (res: Answer): void => {
    if (res.status !== 429) {
      r.ok++;
      return;
    }
    r.rateLimited++;
    throw new ApiError({
      status: 429,
      errorType: 'rate_limit_error',
      apiMessage: 'rate limited',
      request: { method: 'POST', path: '/sim' },
      retryAfterMs: Number(res.headers.get('retry-after')) * 1000,
      retryable: true,
    });
  };
  const update = () =>
    withRetries(
      () =>
        org.run(async ({ startedAt }) => {
          const res = await exchange(server.request);
          org.observe({ ...res, startedAt });
          settle(res);
        }),
      policy,
      { label: 'POST /v1/organizations/users/{user_id}' },
    );
  const invite = () =>
    withRetries(
      () =>
        inv.run(async ({ startedAt }) => {
          const res = await (o.asBefore ? exchange(server.invite) : org.carry(() => exchange(server.invite)));
          if (res.refusedBy === 'organization') r.invitesRefusedByOrganization.push(s.now() - T0);
          const organizations = o.asBefore
            ? res.status === 429 && res.headers.get('anthropic-ratelimit-requests-remaining') === '0'
            : res.status === 429 && org.refusedHere(res.headers);
          if (organizations) {
            org.observe({ ...res, startedAt });
            if (!o.asBefore) inv.refund();
          } else {
            inv.observe({ ...res, startedAt });
            org.observeBudget(res.headers);
          }
          settle(res);
        }),
      policy,
      { label: 'POST /v1/organizations/invites' },
    );
  await s.run(
    // a change refused five times in a row fails, as in the apply; the others go on
    Promise.all([...Array.from({ length: o.updates }, update), ...Array.from({ length: o.invites }, invite)].map((p) => p.catch(() => r.failed++))),
    1_000_000,
  );
  r.durationMs = s.now() - T0;
  return r;
}

describe('issue 18: the mixed apply in virtual time, both buckets emptied first', () => {
  // 1,200 role changes at 600 a minute and 12 invites at 360 an hour: each bucket alone needs about two minutes
  // (the benchmark's `--mixed 1200+12`); its bound is the slowest bucket's requests ÷ its rate.
  const mixed = { updates: 1200, invites: 12, rpm: 600, iph: 360, latencyMs: 20 };
  const bound = Math.max((1200 + 12) / (600 / 60_000), 12 / (360 / 3_600_000));

  it('finishes within 1.10 × the slowest bucket, ≤ 2 % 429s, every change made', async () => {
    const r = await mixedApply(mixed);
    expect(r.ok).toBe(1212);
    expect(r.durationMs).toBeLessThanOrEqual(1.1 * bound);
    expect(r.rateLimited / (r.ok + r.rateLimited)).toBeLessThanOrEqual(0.02);
    // The organization's pacer keeps a token for the invites it carries: none is refused by that bucket once the
    // first answers have told the pacers their budgets (the first invites go before any answer, into an empty
    // bucket; each refused one gets its token back, so the next goes at once).
    expect(r.invitesRefusedByOrganization.filter((t) => t >= 1000)).toEqual([]);
  }, 60_000);

  it('as before: invites spent the organization budget unannounced, and one refused by it cost the invite bucket an interval', async () => {
    const now = await mixedApply(mixed);
    const before = await mixedApply({ ...mixed, asBefore: true });
    expect(before.invitesRefusedByOrganization.filter((t) => t >= 1000).length).toBeGreaterThan(0);
    // 1.43 × the bound before, 1.003 × now
    expect(before.durationMs).toBeGreaterThan(1.1 * bound);
    expect(now.durationMs).toBeLessThan(before.durationMs);
  }, 60_000);
});

/** Rate-limit headers of a bucket of `limit` a minute. */
function budget(limit: number, remaining: number, resetAt: number, retryAfterS?: number): Headers {
  const h = new Headers({
    'anthropic-ratelimit-requests-limit': String(limit),
    'anthropic-ratelimit-requests-remaining': String(remaining),
    'anthropic-ratelimit-requests-reset': new Date(resetAt).toISOString(),
  });
  if (retryAfterS !== undefined) h.set('retry-after', String(retryAfterS));
  return h;
}

/** An organization pacer that has recognised a token bucket of 600 a minute (one token per 100 ms), emptied. */
async function emptiedTokenBucket(s: Scheduler): Promise<Throttle> {
  const th = new Throttle({ now: s.now, sleep: s.sleep, concurrency: 1 });
  th.observe({ status: 200, headers: budget(600, 0, s.t + 60_000) });
  // one request counted: the reset moves one token later
  await s.run(th.run(async () => th.observe({ status: 200, headers: budget(600, 0, s.t + 60_000) })));
  return th;
}

describe('a request of another bucket that counts against this one (carry)', () => {
  it("waits neither for this pacer's pause nor for a budget of unknown kind; for a token bucket's next token only", async () => {
    const s = new Scheduler();
    const unknown = new Throttle({ now: s.now, sleep: s.sleep });
    unknown.observe({ status: 429, headers: budget(600, 0, s.t + 60_000, 30) });
    let carried = -1;
    await s.run(unknown.carry(async () => (carried = s.t - T0)));
    expect(carried).toBe(0);

    const s2 = new Scheduler();
    const tokens = await emptiedTokenBucket(s2);
    expect(s2.t - T0).toBe(100);
    tokens.observe({ status: 429, headers: budget(600, 0, s2.t + 60_000, 30) });
    await s2.run(tokens.carry(async () => (carried = s2.t - T0)));
    // the next token, 100 ms after the last answer, not the 30 s pause
    expect(carried).toBe(200);
  });

  it('once one was carried, a token bucket keeps one token for the next', async () => {
    const s = new Scheduler();
    const alone = await emptiedTokenBucket(s);
    let start = -1;
    await s.run(alone.run(async () => (start = s.t - T0)));
    // alone: the next token, 100 ms after the last answer
    expect(start).toBe(200);

    const s2 = new Scheduler();
    const shared = await emptiedTokenBucket(s2);
    await s2.run(shared.carry(async () => undefined));
    await s2.run(shared.run(async () => (start = s2.t - T0)));
    // the carried request's token, then one kept: two tokens later than alone
    expect(start).toBe(400);
  });

  it('a refund gives back the token a refused request took from a learned interval', async () => {
    const s = new Scheduler();
    const th = new Throttle({ now: s.now, sleep: s.sleep, concurrency: 1, readsHeaders: false, learnFromRetryAfter: true });
    // the first request meets an empty bucket: 10 s per request, learned from retry-after
    await s.run(th.run(async ({ startedAt }) => th.observe({ status: 429, headers: new Headers({ 'retry-after': '10' }), startedAt })));
    const starts: number[] = [];
    await s.run(th.run(async () => starts.push(s.t - T0)));
    // this one was refused by another bucket: its token comes back, so the next goes at once
    th.refund();
    await s.run(th.run(async () => starts.push(s.t - T0)));
    expect(starts).toEqual([10_000, 10_000]);
  });
});

describe("which bucket refused a carried request (refusedHere): the organization's, or the invite bucket's", () => {
  it("the organization's: its budget spent and a retry-after of one of its tokens, or its window's end", async () => {
    const s = new Scheduler();
    const unknown = new Throttle({ now: s.now, sleep: s.sleep });
    expect(unknown.refusedHere(budget(600, 0, s.t + 60_000, 1))).toBe(true);
    expect(unknown.refusedHere(budget(600, 0, s.t + 60_000))).toBe(true);
    // a fixed window's retry-after runs to its end
    expect(unknown.refusedHere(budget(600, 0, s.t + 42_000, 42))).toBe(true);
    // at 30 a minute a token takes 2 s
    expect(unknown.refusedHere(budget(30, 0, s.t + 60_000, 2))).toBe(true);
  });

  it("the invite bucket's: a budget left, or a retry-after this bucket would not send", async () => {
    const s = new Scheduler();
    const unknown = new Throttle({ now: s.now, sleep: s.sleep });
    expect(unknown.refusedHere(budget(600, 3, s.t + 60_000, 10))).toBe(false);
    expect(unknown.refusedHere(new Headers({ 'retry-after': '1' }))).toBe(false);
    expect(unknown.refusedHere(budget(600, 0, s.t + 60_000, 10))).toBe(false);
    // known to be a token bucket, a request carried only once a token was counted for it is never refused by it
    const tokens = await emptiedTokenBucket(s);
    expect(tokens.refusedHere(budget(600, 0, s.t + 60_000, 60))).toBe(false);
    expect(tokens.refusedHere(budget(600, 0, s.t + 60_000, 1))).toBe(false);
  });
});

describe('issue 18: invites with no limit of their own (the plain apply), the request bucket emptied first', () => {
  // 900 role changes and 100 invites at 600 a minute: the invites spend the organization's budget unpaced by
  // their own bucket, so each would meet that budget empty once the organization's pacer spends it as it comes back.
  const plain = { updates: 900, invites: 100, rpm: 600, iph: 1_000_000, latencyMs: 20 };

  it('an invite waits for the organization token it needs once that bucket is known: ≤ 2 % 429s', async () => {
    const r = await mixedApply(plain);
    expect(r.ok).toBe(1000);
    expect(r.rateLimited / (r.ok + r.rateLimited)).toBeLessThanOrEqual(0.02);
    expect(r.durationMs).toBeLessThanOrEqual(1.05 * (1000 / (600 / 60_000)));
    const before = await mixedApply({ ...plain, asBefore: true });
    // before: runs of invites refused by the organization's bucket, some changes failing after five
    expect(before.rateLimited / (before.ok + before.rateLimited)).toBeGreaterThan(0.02);
  }, 60_000);
});
