// Rate limits (§2.6): a token bucket per admin key for all API requests (`requestsPerMinute`; the real
// Enterprise limit is 100/min), and a separate bucket for invite creation (`invitesPerHour`; real: 1,200/hour).
// Capacity = the limit, continuous refill. Buckets run on real monotonic time, never on the emulator clock, so
// advancing the clock to expire invites does not also refill the buckets. Not configured = no limit.

import { performance } from 'node:perf_hooks';
import type { RateLimitSettings } from './store.js';

export type MonotonicMs = () => number;

export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly perMs: number;

  constructor(
    readonly capacity: number,
    windowMs: number,
    private readonly now: MonotonicMs,
  ) {
    this.tokens = capacity;
    this.perMs = capacity / windowMs;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (t - this.last) * this.perMs);
    this.last = t;
  }

  /** Takes one token; when empty, answers how long until one is back. */
  take(): { ok: true } | { ok: false; retryAfterMs: number } {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: (1 - this.tokens) / this.perMs };
  }

  remaining(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  msUntilFull(): number {
    this.refill();
    return (this.capacity - this.tokens) / this.perMs;
  }
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number; message: string };

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export class RateLimiter {
  private readonly requests = new Map<string, TokenBucket>();
  private readonly invites = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: RateLimitSettings,
    private readonly now: MonotonicMs = () => performance.now(),
  ) {}

  get requestsLimited(): boolean {
    return this.limits.requestsPerMinute !== undefined;
  }

  /** One API request by `keyName`. */
  takeRequest(keyName: string): RateDecision {
    const rpm = this.limits.requestsPerMinute;
    if (rpm === undefined) return { ok: true };
    return decide(this.bucket(this.requests, keyName, rpm, MINUTE_MS), `${rpm} requests per minute`);
  }

  /** One invite creation by `keyName` (§2.6: its own limit, on top of the request limit). */
  takeInvite(keyName: string): RateDecision {
    const iph = this.limits.invitesPerHour;
    if (iph === undefined) return { ok: true };
    return decide(this.bucket(this.invites, keyName, iph, HOUR_MS), `${iph} invite creations per hour`);
  }

  /**
   * `anthropic-ratelimit-requests-{limit,remaining,reset}` (§2.5; reset is RFC 3339, the time the bucket is
   * full again). Empty when no request limit is configured.
   */
  headers(keyName: string): Record<string, string> {
    const rpm = this.limits.requestsPerMinute;
    if (rpm === undefined) return {};
    const bucket = this.bucket(this.requests, keyName, rpm, MINUTE_MS);
    return {
      'anthropic-ratelimit-requests-limit': String(rpm),
      'anthropic-ratelimit-requests-remaining': String(bucket.remaining()),
      'anthropic-ratelimit-requests-reset': new Date(Date.now() + Math.ceil(bucket.msUntilFull())).toISOString(),
    };
  }

  private bucket(map: Map<string, TokenBucket>, keyName: string, limit: number, windowMs: number): TokenBucket {
    let bucket = map.get(keyName);
    if (!bucket) {
      bucket = new TokenBucket(limit, windowMs, this.now);
      map.set(keyName, bucket);
    }
    return bucket;
  }
}

function decide(bucket: TokenBucket, what: string): RateDecision {
  const r = bucket.take();
  if (r.ok) return r;
  return {
    ok: false,
    // retry-after in whole seconds, rounded up and at least 1, so a client that obeys it always finds a token.
    retryAfterSeconds: Math.max(1, Math.ceil(r.retryAfterMs / 1000)),
    message: `Rate limit exceeded: this organization allows ${what}. Please retry later.`,
  };
}
