// Client-side pacing of one rate-limit bucket, one instance per bucket of a client (never per module; the pipeline
// holds one per bucket, buckets.ts says which route counts against which): a concurrency cap (p-limit), an optional
// fixed requests-per-minute token bucket, adaptive pacing from the server's `anthropic-ratelimit-requests-*`
// headers, and a pause shared by every request of the bucket after a 429 (issue 18: never by another bucket's). The aim (issue 7): use ≥ 90 % of the rate limit while
// keeping 429s ≤ 2 % of requests. The clock and the sleep are injectable so tests run in virtual time.
//
// Why each part exists:
// - §2.6: Enterprise user-management endpoints share 100 requests/minute per organization; invites 1,200/hour.
//   Console limits are not documented (§16 item 4), so a fixed budget is optional.
// - §2.5: `anthropic-ratelimit-requests-limit|remaining|reset` (reset is RFC 3339) are documented for the Messages
//   API; whether the Admin API sends them is unknown (§16 item 4). When present they drive the pacing; when absent
//   the pacer learns a rate from the first 429 instead.
// - Spreading the remaining budget evenly until `reset` is exact for a fixed-window limiter. A token bucket (the
//   algorithm Anthropic documents for its API, where reset = "fully replenished") returns one request every
//   (reset − now) / (limit − remaining) instead: spreading there would wait a whole minute for a bucket that had
//   just been emptied (measured by `npm run bench`: 17 % of the limit). The two are told apart by the reset time:
//   a fixed window's stays put until the window ends, then jumps a whole window; a token bucket's moves later by
//   one token's time for every request the server counts. Once a token bucket is recognised and its budget runs
//   low, a request goes as each token comes back (spending at exactly the refill rate), never waiting for the
//   bucket to be full. While the kind is unknown and nothing is left, the pacer tries one request after one token's
//   time: a token bucket answers it, a fixed window answers 429 with retry-after, which pauses until it opens.
// - A bucket's budget may also be spent by another bucket's requests (the emulator counts an invite creation against
//   the organization's budget too, and its answer carries that budget's headers; buckets.ts). Such a request is
//   counted here (`carry`); it is never held by this bucket's pause after a 429 (issue 18), and waits for this
//   bucket only once it is known to be a token bucket, for its next token, ahead of this bucket's own requests,
//   which from then on leave one token unspent for it. Spending each token as it comes back leaves the bucket empty
//   at almost every instant: an unannounced invite met the organization's 429 and lost the invite bucket, the
//   slowest of the mixed apply, one whole interval each time (1.14–1.73 × the bound), and invites with no limit of
//   their own met it in runs. A 429 on such a request is this bucket's only when its headers and retry-after say so
//   (`refusedHere`); the other pacer then gets back the token it took (`refund`).

import pLimit, { type LimitFunction } from 'p-limit';
import { InterruptedError } from '../errors.js';
import { onAbort } from './abort-fanout.js';
import type { BucketName } from './buckets.js';
import { abortableSleep, type Sleep } from './retry.js';
import { parseRetryAfterMs } from './send.js';

export interface ThrottleOptions {
  /** Most requests in flight at once. Default 4. */
  concurrency?: number;
  /** Fixed client-side budget (token bucket refilled continuously). Unset: no fixed budget. */
  requestsPerMinute?: number;
  /** Bucket size of `requestsPerMinute`: how many may go back to back. Default 1 (evenly spaced). */
  burst?: number;
  /**
   * Adaptive pacing starts when the server's remaining budget, minus requests already sent that it has not yet
   * counted, falls to this many. Default: the larger of 2 × concurrency and 5 % of the server's limit.
   */
  reserve?: number;
  /** The bucket this instance paces, named in `RateLimitWait`. Default `organization`. */
  bucket?: BucketName;
  /** Whether `anthropic-ratelimit-requests-*` on this bucket's answers describe it (buckets.ts). Default true. */
  readsHeaders?: boolean;
  /**
   * When a 429 comes before enough requests were seen to learn a rate from, take its retry-after (up to a minute)
   * as the time one request's budget takes to come back (buckets.ts: a bucket no header describes). Default false.
   */
  learnFromRetryAfter?: boolean;
  /** Shared pause after a 429 that carries no `retry-after`. Default 1 000 ms. */
  pauseWithoutRetryAfterMs?: number;
  /** Wall clock in ms (the reset header is a wall-clock time). Default `Date.now`. */
  now?: () => number;
  /** Sleep used for pacing waits; must reject when the signal aborts. Default: a timer. */
  sleep?: Sleep;
  /**
   * Told when a request starts a wait of at least `WAIT_NOTICE_MS` for the rate limit, with how long and why, so a
   * long apply is never silent (issue 15). Errors it throws are ignored.
   */
  onWait?: ((wait: RateLimitWait) => void) | undefined;
}

/** A long wait (for the rate limit, or before a retry): how long (ms) and why, a phrase such as "for the rate limit:
 *  …". Numbers, routes and fixed text only: safe to print. */
export interface RateLimitWait {
  ms: number;
  why: string;
  /** The bucket that waits (buckets.ts): requests of the other buckets go on meanwhile. */
  bucket: BucketName;
}

/** Waits this long or longer are told to `onWait`. */
export const WAIT_NOTICE_MS = 2000;

/** What a response told the pacer. */
export interface ThrottleObservation {
  status: number;
  headers: Headers;
  /** When the request started (from its `RunTicket`); lets a burst of 429s count as one signal. */
  startedAt?: number | undefined;
}

/** Handed to the function `run` calls. */
export interface RunTicket {
  /** Pacer clock time at which the request was let go. */
  startedAt: number;
}

/** Numbers only; safe to print. */
export interface ThrottleStats {
  /** Total time requests spent waiting for the pacer (not for a concurrency slot). */
  waitedMs: number;
  /** Requests that had to wait at least once. */
  paced: number;
  /** Requests-per-minute learned from 429s when the server sends no rate-limit headers; 0 when none. */
  learnedRequestsPerMinute: number;
}

interface ServerBudget {
  limit: number;
  remaining: number;
  resetAt: number;
  /** Pacer clock time of the observation. */
  observedAt: number;
  /** Requests already in flight when this was observed: the server may not have counted them yet. */
  inflightAtObservation: number;
  /** Requests started after the observation. */
  startedSince: number;
}

interface Bucket {
  ratePerMs: number;
  capacity: number;
  tokens: number;
  updatedAt: number;
}

const MINUTE = 60_000;
/** Longest single sleep of a paced request before it looks at the budget again. */
const RECHECK_MS = 1000;
/** Fewest requests in the last minute from which a 429 teaches a rate. */
const MIN_SAMPLE = 10;

export class Throttle {
  readonly #limit: LimitFunction;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  readonly #reserveOption: number | undefined;
  readonly #concurrency: number;
  readonly #pauseWithoutRetryAfterMs: number;
  readonly #onWait: ((wait: RateLimitWait) => void) | undefined;
  readonly #bucket: BucketName;
  readonly #readsHeaders: boolean;
  readonly #learnFromRetryAfter: boolean;
  #fixed: Bucket | undefined;
  #learned: Bucket | undefined;
  #learnedAt = Number.NEGATIVE_INFINITY;
  #last429 = Number.NEGATIVE_INFINITY;
  #server: ServerBudget | undefined;
  /** The server's limiter was recognised as a token bucket (see the header). */
  #tokenBucket = false;
  /** Another bucket's requests count against this one too (`carry`): keep one token for them. */
  #carries = false;
  #pausedUntil = 0;
  #lastStart = Number.NEGATIVE_INFINITY;
  #inflight = 0;
  #startsLastMinute: number[] = [];
  /** Serializes the pacing decisions so that waiters leave in arrival order, evenly spaced. */
  #gate: Promise<void> = Promise.resolve();
  readonly #stats: ThrottleStats = { waitedMs: 0, paced: 0, learnedRequestsPerMinute: 0 };

  constructor(opts: ThrottleOptions = {}) {
    this.#concurrency = opts.concurrency ?? 4;
    if (!(Number.isInteger(this.#concurrency) && this.#concurrency >= 1)) {
      throw new TypeError('throttle.concurrency must be an integer ≥ 1');
    }
    this.#limit = pLimit(this.#concurrency);
    this.#now = opts.now ?? Date.now;
    this.#sleep = opts.sleep ?? abortableSleep;
    this.#reserveOption = opts.reserve;
    this.#pauseWithoutRetryAfterMs = opts.pauseWithoutRetryAfterMs ?? 1000;
    this.#onWait = opts.onWait;
    this.#bucket = opts.bucket ?? 'organization';
    this.#readsHeaders = opts.readsHeaders ?? true;
    this.#learnFromRetryAfter = opts.learnFromRetryAfter ?? false;
    if (opts.requestsPerMinute !== undefined) {
      if (!(opts.requestsPerMinute > 0)) throw new TypeError('throttle.requestsPerMinute must be > 0');
      const capacity = Math.max(1, opts.burst ?? 1);
      this.#fixed = { ratePerMs: opts.requestsPerMinute / MINUTE, capacity, tokens: capacity, updatedAt: this.#now() };
    }
  }

  get stats(): Readonly<ThrottleStats> {
    return { ...this.#stats };
  }

  /** Requests currently holding a concurrency slot. */
  get inflight(): number {
    return this.#inflight;
  }

  /**
   * Runs one request: waits for a concurrency slot, then for the pacer, then calls `fn`. The caller reports the
   * response through `observe` (from inside `fn`, as soon as headers arrive). Aborting the signal rejects a
   * request that is still waiting (for a slot or for the pacer) with `InterruptedError`; `fn` then never runs.
   */
  run<T>(fn: (ticket: RunTicket) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const task = this.#limit(async () => {
      if (signal?.aborted) throw new InterruptedError('interrupted while waiting for a connection slot');
      const startedAt = await this.#acquire(signal);
      this.#inflight++;
      try {
        return await fn({ startedAt });
      } finally {
        this.#inflight--;
      }
    });
    if (!signal) return task;
    // A request queued behind busy slots must not hold up SIGINT until a slot frees; when its turn comes it sees
    // the aborted signal and returns at once.
    return new Promise<T>((resolve, reject) => {
      const abort = (): void => reject(new InterruptedError('interrupted while waiting for a connection slot'));
      if (signal.aborted) abort();
      // one listener per signal, not per queued request: a plan queues one listing per workspace or group (hundreds),
      // which would trip Node's MaxListenersExceededWarning at 11 (and abort-fanout.ts says what it costs in memory)
      const unsubscribe = signal.aborted ? () => undefined : onAbort(signal, abort);
      task.then(resolve, reject).finally(unsubscribe);
    });
  }

  /** Feeds the pacer with a response's status and headers. */
  observe({ status, headers, startedAt }: ThrottleObservation): void {
    const now = this.#now();
    // this response's own request is finished, every other one in flight may be uncounted
    const budget = this.#readsHeaders ? this.#takeBudget(headers, now, 1) : undefined;
    if (status === 429) {
      // Every request of this bucket waits, not only the one that was refused.
      const retryAfter = parseRetryAfterMs(headers, now);
      const wait = retryAfter ?? this.#pauseWithoutRetryAfterMs;
      this.#pausedUntil = Math.max(this.#pausedUntil, now + wait);
      this.#last429 = now;
      // A request sent before the last adjustment was not paced by it: its 429 is not news. A `retry-after: 0`
      // says the refusal was momentary (a blip, not a budget), so it teaches no rate either.
      const momentary = retryAfter !== undefined && retryAfter < 1000;
      if (!budget && !this.#fixed && !momentary && (startedAt ?? now) >= this.#learnedAt) this.#learnFrom429(now, retryAfter);
    }
  }

  /**
   * Runs a request of another bucket that counts against this one too (buckets.ts: an invite creation takes a token
   * of the organization's budget). It never waits for this bucket's pause after a 429 (issue 18: a 429 in one bucket
   * never stalls another), nor for a budget whose kind is not yet known (a fixed window's wait may be a minute);
   * once this bucket is known to be a token bucket, it waits for a token, ahead of this bucket's own requests.
   * It is counted as one of this bucket's until it is answered, and from then on this pacer keeps one token of a
   * token bucket unspent, so that such a request finds one instead of a 429: spending each token as it comes back
   * leaves the bucket empty at almost every instant (the mixed apply: one invite in three refused by the
   * organization's bucket, each costing the invite bucket an interval; the plain apply, whose invites have no limit
   * of their own: a run of 429s each second).
   */
  async carry<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    this.#carries = true;
    for (;;) {
      const wait = this.#tokenBucket ? this.#adaptiveWait(this.#now(), 0) : 0;
      if (wait <= 0) break;
      const slice = Math.min(wait, RECHECK_MS);
      this.#stats.waitedMs += slice;
      await this.#sleep(slice, signal);
    }
    this.#countStart(this.#now());
    this.#inflight++;
    try {
      return await fn();
    } finally {
      this.#inflight--;
    }
  }

  /**
   * A request this pacer let go was refused by another bucket it also counts against (the organization's budget,
   * spent, refused an invite creation): it did not count against this bucket, so the token it took is given back and
   * its retry is not charged another interval.
   */
  refund(): void {
    const now = this.#now();
    give(this.#fixed, now);
    give(this.#learned, now);
  }

  /**
   * Whether a 429 on another bucket's request that counts against this one (`carry`) is this bucket's refusal. Once
   * this bucket is known to be a token bucket, never: `carry` let the request go only when it counted a token here
   * for it (should that count have been wrong, the other pacer learns a second more than its interval, and the next
   * answer's headers correct this one). Before: its budget is spent, and the retry-after is what this bucket would
   * say: no longer than one of its tokens takes to come back (rounded up to whole seconds, as `retry-after` is), or
   * the time until its window resets. Any other is the other bucket's own: the emulator takes the organization's
   * token before it looks at the invite bucket, so an invite refused by its own bucket carries an organization
   * budget of 0 whenever that one is being spent at its refill rate (and a retry-after of one second when its own
   * token is that close: taken for the organization's, each such refusal gave the invite its token back, and the
   * next invite went at once into the same empty bucket).
   */
  refusedHere(headers: Headers): boolean {
    if (this.#tokenBucket) return false;
    const now = this.#now();
    const budget = parseRateLimitHeaders(headers);
    if (budget?.remaining !== 0) return false;
    const retryAfter = parseRetryAfterMs(headers, now);
    if (retryAfter === undefined) return true;
    const untilReset = Math.max(0, budget.resetAt - now);
    const tokenMs = untilReset / budget.limit;
    if (retryAfter <= Math.max(1000, Math.ceil(tokenMs / 1000 + 0.05) * 1000)) return true;
    return Math.abs(retryAfter - untilReset) <= 1000 + 50;
  }

  /**
   * Feeds the pacer with the rate-limit headers of an answer to another bucket's request that describe this bucket
   * (buckets.ts: an invite creation's answer carries the organization's request budget).
   */
  observeBudget(headers: Headers): void {
    this.#takeBudget(headers, this.#now(), 0);
  }

  /** Takes the server's budget from the headers; `own` of the requests in flight have been answered. */
  #takeBudget(headers: Headers, now: number, own: 0 | 1): ReturnType<typeof parseRateLimitHeaders> {
    const budget = parseRateLimitHeaders(headers);
    if (budget) {
      if (this.#server && movedLikeTokenBucket(this.#server, budget, now)) this.#tokenBucket = true;
      this.#server = { ...budget, observedAt: now, inflightAtObservation: Math.max(0, this.#inflight - own), startedSince: 0 };
    }
    return budget;
  }

  /**
   * Without a fixed budget or rate-limit headers, a 429 is the only signal of the limit. The first estimate is the
   * number of requests started in the last minute (what the server just let through); each later 429 from a request
   * paced by the estimate lowers it by 10 %. Fewer than MIN_SAMPLE starts say more about other clients sharing the
   * limit (§2.6: per organization) than about the limit itself, so they teach nothing; the shared pause still applies.
   *
   * A bucket no header describes (`learnFromRetryAfter`) learns from retry-after instead (up to a minute; a longer
   * one is a window's end, which the pause covers): an empty token bucket's retry-after is the time until its next
   * token, so the first 429 teaches at most one request per retry-after (a storm of starts before the first answer
   * says nothing of the rate), and a paced request refused again came that much too early, so the interval grows
   * by its retry-after. The next request goes when the server said a token is back.
   */
  #learnFrom429(now: number, retryAfter: number | undefined): void {
    this.#trimStarts(now);
    const observed = this.#startsLastMinute.length - 1;
    const told = this.#learnFromRetryAfter && retryAfter !== undefined && retryAfter <= MINUTE ? retryAfter : undefined;
    let rpm: number;
    if (told !== undefined) rpm = MINUTE / ((this.#learned ? 1 / this.#learned.ratePerMs : 0) + told);
    else if (this.#learned) rpm = Math.max(1, this.#learned.ratePerMs * MINUTE * 0.9);
    else if (observed >= MIN_SAMPLE) rpm = Math.max(1, observed);
    else return;
    const ratePerMs = rpm / MINUTE;
    const tokens = told === undefined ? 0 : Math.max(0, 1 - told * ratePerMs);
    this.#learned = { ratePerMs, capacity: 1, tokens, updatedAt: now };
    this.#learnedAt = now;
    this.#stats.learnedRequestsPerMinute = Math.round(rpm * 100) / 100;
  }

  async #acquire(signal: AbortSignal | undefined): Promise<number> {
    const previous = this.#gate;
    let release!: () => void;
    this.#gate = new Promise<void>((resolve) => (release = resolve));
    try {
      await previous;
      let waited = false;
      for (;;) {
        if (signal?.aborted) throw new InterruptedError('interrupted while waiting for the rate limit');
        const now = this.#now();
        // A learned rate creeps up by 10 % after each minute without a 429: sporadic refusals (other clients sharing
        // the organization's limit) must not slow a long run down for good, and a real limit is found again.
        if (this.#learned && now - Math.max(this.#last429, this.#learnedAt) >= MINUTE) {
          this.#learned.ratePerMs *= 1.1;
          this.#learnedAt = now;
          this.#stats.learnedRequestsPerMinute = Math.round(this.#learned.ratePerMs * MINUTE * 100) / 100;
        }
        const parts = [
          this.#pausedUntil - now,
          bucketWait(this.#fixed, now),
          bucketWait(this.#learned, now),
          this.#adaptiveWait(now, this.#carries ? 1 : 0),
        ] as const;
        const wait = Math.max(...parts);
        if (wait <= 0) break;
        if (!waited && wait >= WAIT_NOTICE_MS && this.#onWait) {
          try {
            this.#onWait({ ms: Math.round(wait), why: this.#waitReason(parts.indexOf(wait)), bucket: this.#bucket });
          } catch {
            // a failing progress printer never stops a request
          }
        }
        if (!waited) this.#stats.paced++;
        waited = true;
        // In slices, so that what later answers tell (a token bucket recognised, a budget refilled) shortens a
        // wait decided on less: one decided on a first answer alone could otherwise hold for a whole minute.
        const slice = Math.min(wait, RECHECK_MS);
        this.#stats.waitedMs += slice;
        await this.#sleep(slice, signal);
      }
      const now = this.#now();
      this.#countStart(now);
      this.#lastStart = now;
      return now;
    } finally {
      release();
    }
  }

  /** A request that counts against this bucket starts now. */
  #countStart(now: number): void {
    take(this.#fixed, now);
    take(this.#learned, now);
    if (this.#server) this.#server.startedSince++;
    this.#startsLastMinute.push(now);
    this.#trimStarts(now);
  }

  #waitReason(part: number): string {
    switch (part) {
      case 0: return 'for the rate limit: the API answered 429 (too many requests): every request of the bucket waits for its retry-after';
      case 1: return `for the rate limit: the client's own budget of ${Math.round((this.#fixed?.ratePerMs ?? 0) * MINUTE)} requests per minute`;
      case 2: return `for the rate limit: the rate the API's 429s taught (about ${this.#stats.learnedRequestsPerMinute} requests per minute)`;
      default: return "for the rate limit: the API's request budget is spent until it resets (anthropic-ratelimit-requests-reset)";
    }
  }

  /** `headroom`: tokens of a token bucket left unspent (for the requests `carry` runs). */
  #adaptiveWait(now: number, headroom: number): number {
    const s = this.#server;
    if (!s || now >= s.resetAt) return 0;
    const reserve = this.#reserveOption ?? Math.max(2 * this.#concurrency, Math.ceil(s.limit * 0.05));
    const available = s.remaining - s.inflightAtObservation - s.startedSince;
    if (available > reserve) return 0;
    // Time for one request's worth of budget to come back, were the limiter a token bucket.
    const tokenMs = Math.max(1, s.resetAt - s.observedAt) / Math.max(1, s.limit - s.remaining);
    // When the next token is there (the estimate is conservative: `remaining` is rounded down by the server).
    const nextToken = s.observedAt + (1 + headroom - available) * tokenMs - now;
    if (this.#tokenBucket) {
      // Go as each token arrives, never waiting for the bucket to be full. Times are counted from the observation
      // (every start since lowers `available`), so a timer that fires late is not carried into the next wait.
      return nextToken;
    }
    // Unknown or fixed window with nothing left: the reset, or one probing request after a token's time.
    if (available <= 0) return Math.min(s.resetAt - now, nextToken);
    if (!Number.isFinite(this.#lastStart)) return 0;
    // Spread what is left evenly over the time until reset, measured from the last start.
    const last = this.#lastStart;
    return last + (s.resetAt - last) / available - now;
  }

  #trimStarts(now: number): void {
    const cutoff = now - MINUTE;
    let i = 0;
    while (i < this.#startsLastMinute.length && (this.#startsLastMinute[i] ?? 0) <= cutoff) i++;
    if (i > 0) this.#startsLastMinute = this.#startsLastMinute.slice(i);
  }
}

/**
 * Whether two successive budgets show a token bucket: the reset moved by at least half a token's time (each request
 * the server counts moves it one token later; rounding jitter moves it a few ms), yet by less than half the time
 * still left before it (a fixed window's reset stays put, and jumps by a whole window when a new one starts).
 * Earlier or later: answers to concurrent requests may be observed in another order than the server counted them.
 */
export function movedLikeTokenBucket(
  prev: { resetAt: number },
  next: { limit: number; remaining: number; resetAt: number },
  now: number,
): boolean {
  const moved = Math.abs(next.resetAt - prev.resetAt);
  const left = next.resetAt - now;
  if (!(moved > 0 && left > 0)) return false;
  const tokenMs = left / Math.max(1, next.limit - next.remaining);
  return moved >= tokenMs / 2 && 2 * moved < left;
}

/** `anthropic-ratelimit-requests-limit|remaining|reset` (§2.5); undefined unless all three parse. */
export function parseRateLimitHeaders(headers: Headers): { limit: number; remaining: number; resetAt: number } | undefined {
  const limit = Number(headers.get('anthropic-ratelimit-requests-limit') ?? NaN);
  const remaining = Number(headers.get('anthropic-ratelimit-requests-remaining') ?? NaN);
  const reset = headers.get('anthropic-ratelimit-requests-reset');
  const resetAt = reset ? Date.parse(reset) : NaN;
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || Number.isNaN(resetAt) || limit <= 0) return undefined;
  return { limit, remaining, resetAt };
}

function refill(b: Bucket, now: number): void {
  if (now > b.updatedAt) {
    b.tokens = Math.min(b.capacity, b.tokens + (now - b.updatedAt) * b.ratePerMs);
    b.updatedAt = now;
  }
}

function bucketWait(b: Bucket | undefined, now: number): number {
  if (!b) return 0;
  refill(b, now);
  // the epsilon keeps float rounding from adding a 1 ms wait after an exact refill
  return b.tokens >= 1 - 1e-9 ? 0 : Math.ceil((1 - b.tokens) / b.ratePerMs);
}

function take(b: Bucket | undefined, now: number): void {
  if (!b) return;
  refill(b, now);
  b.tokens -= 1;
}

function give(b: Bucket | undefined, now: number): void {
  if (!b) return;
  refill(b, now);
  b.tokens = Math.min(b.capacity, b.tokens + 1);
}
