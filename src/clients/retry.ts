// Retry policy as data, and the loop that applies it around one attempt function (architecture habit 7).
// p-retry counts attempts and budgets retries; the delay is ours because it depends on the failed response
// (`retry-after-ms` / `retry-after`, §2.5), so p-retry's own backoff is set to zero and we sleep in
// `onFailedAttempt`. Abort is handled here, not by p-retry: p-retry would throw `signal.reason` even after an
// attempt succeeded, which would drop the result of a write that did happen (an invite that was created).

import pRetry from 'p-retry';
import { ApiError, InterruptedError, MalformedResponseError, NetworkError, ReconcileError } from '../errors.js';
import { onAbort } from './abort-fanout.js';
import { connectionRefused, requestNotSent } from './send.js';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryPolicy {
  /** Retries after the first attempt. Default 4. */
  retries: number;
  /** First backoff delay; doubles per retry. Default 500 ms (§2.5, the official SDK's 0.5 s). */
  baseDelayMs: number;
  /** Backoff cap. Default 8 000 ms (§2.5). */
  maxDelayMs: number;
  /** Fraction of the backoff removed at random, 0..1. Default 0.25 (§2.5: "up to 25 % jitter"). */
  jitter: number;
  /** A `retry-after` longer than this ends the retries instead of sleeping through it. Default 60 000 ms. */
  maxRetryAfterMs: number;
  /** Sleep used between attempts; tests pass one that records and returns at once. Must reject on abort. */
  sleep?: Sleep | undefined;
  /** Source of randomness for the jitter; tests may fix it. Default `Math.random`. */
  random?: (() => number) | undefined;
  /**
   * After a write failed in a way that may have reached the server, how long the client keeps looking for its
   * result before it may send the write again (issue 12: a POST the server held past the client's deadline and
   * then carried out anyway made a second workspace, because the look came before the late write landed). Looks
   * at 0, 1, 3, 7, 15 s and so on (doubling from `settleFirstPollMs`) until this much waiting has been done.
   * Default 30 000 ms, the request deadline: a write the server holds for up to twice the deadline is found.
   */
  settleMs: number;
  /** First pause between two looks of the settle window. Default 1 000 ms. */
  settleFirstPollMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  retries: 4,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  jitter: 0.25,
  maxRetryAfterMs: 60_000,
  settleMs: 30_000,
  settleFirstPollMs: 1000,
});

export function resolveRetryPolicy(partial?: Partial<RetryPolicy>): RetryPolicy {
  const p: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...stripUndefined(partial ?? {}) };
  if (!(Number.isInteger(p.retries) && p.retries >= 0)) throw new TypeError('retry.retries must be an integer ≥ 0');
  if (!(p.jitter >= 0 && p.jitter <= 1)) throw new TypeError('retry.jitter must be within 0..1');
  if (!(p.baseDelayMs >= 0 && p.maxDelayMs >= 0 && p.maxRetryAfterMs >= 0 && p.settleMs >= 0 && p.settleFirstPollMs > 0)) {
    throw new TypeError('retry delays must be ≥ 0');
  }
  return p;
}

/** The one retry after a refused connection waits at most this long. */
const REFUSED_RETRY_MS = 250;

/** Exponential backoff for the n-th retry (1-based): base × 2^(n-1), capped, minus up to `jitter` of it. */
export function backoffDelay(retryNumber: number, policy: RetryPolicy): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  const random = policy.random ?? Math.random;
  return Math.round(raw * (1 - policy.jitter * random()));
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * Whether the failure of retry number `retryNumber - 1` deserves retry number `retryNumber`, and after how long.
 * The error decides (each error knows whether it may be retried: 408/429/5xx, `x-should-retry`, network errors,
 * malformed 2xx bodies); a server-given wait is honoured exactly, or ends the retries when it is too long.
 */
export function decideRetry(error: unknown, retryNumber: number, policy: RetryPolicy): RetryDecision {
  if (!(error instanceof ReconcileError) || !error.retryable) return { retry: false };
  // Nothing listens at the address: one short retry (a server restarting), then say so at once rather than after
  // the whole backoff (issue 15: 7.5 s of silence before "connection refused").
  if (connectionRefused(error)) {
    return retryNumber <= 1 ? { retry: true, delayMs: Math.min(REFUSED_RETRY_MS, backoffDelay(1, policy)) } : { retry: false };
  }
  if (error instanceof ApiError && error.retryAfterMs !== undefined) {
    if (error.retryAfterMs > policy.maxRetryAfterMs) return { retry: false };
    return { retry: true, delayMs: error.retryAfterMs };
  }
  return { retry: true, delayMs: backoffDelay(retryNumber, policy) };
}

/**
 * True when a failed attempt may nevertheless have changed something on the server: a timeout or a connection
 * lost after connecting, a 5xx/529 or 408 (the server or a proxy gave up, maybe after acting), or a 2xx whose body
 * was unreadable (it did act). A 429 was not processed; other 4xx were refused; a refused connection never left.
 */
export function mayHaveReachedServer(error: unknown): boolean {
  if (error instanceof ApiError) return error.status >= 500 || error.status === 408;
  if (error instanceof NetworkError) return !requestNotSent(error);
  return error instanceof MalformedResponseError;
}

/**
 * How to repeat a write that must not simply be sent twice (habit 7; §6.3: creating an invite sends an email).
 * - `recover`: before re-sending after a failure that may have reached the server, look for the object the
 *   earlier attempt may have created; a value found ends the call as that value, `undefined` lets it re-send.
 * - `goneMeansDone`: for a DELETE, a 404 on a re-sent request after such a failure means the earlier attempt
 *   already deleted it; its value is returned instead of the 404. A 404 on the first attempt stays an error.
 * - `settle`: for a refusal that may show the desired state already holds (400 "already a member" on a re-sent
 *   add, §11.2; a SCIM 409 uniqueness on create, RFC 7644 §3.3; a SCIM 404 on DELETE, §3.6). It receives every
 *   `ApiError` of an attempt and whether an earlier attempt may have applied the write; it returns the value
 *   that ends the call (usually after a read that proves the state), or `undefined` to keep the error. It
 *   decides for itself whether the refusal counts without an earlier ambiguous attempt.
 */
export interface WriteSafety<T> {
  recover?: ((signal: AbortSignal | undefined) => Promise<T | undefined>) | undefined;
  goneMeansDone?: (() => T) | undefined;
  settle?: ((error: ApiError, context: SettleContext) => Promise<T | undefined>) | undefined;
}

/** What `WriteSafety.settle` is told about the call so far. */
export interface SettleContext {
  /** An earlier attempt of this call failed in a way that may have applied the write (timeout, 5xx, …). */
  afterAmbiguous: boolean;
  signal: AbortSignal | undefined;
}

export interface RetryEvent {
  /** Number of the attempt that failed (1-based). */
  attempt: number;
  delayMs: number;
  error: ReconcileError;
}

export interface RetryRunOptions<T> {
  signal?: AbortSignal | undefined;
  safety?: WriteSafety<T> | undefined;
  /** Called before each sleep that precedes a retry (stats, progress). */
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /** For messages: `GET /v1/organizations/users`. */
  label: string;
}

/** The default sleep: a timer that rejects with `InterruptedError` when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new InterruptedError());
      return;
    }
    const timer = setTimeout(() => {
      unsubscribe();
      resolve();
    }, ms);
    const unsubscribe = signal
      ? onAbort(signal, () => {
          clearTimeout(timer);
          reject(new InterruptedError());
        })
      : (): void => undefined;
  });
}

/**
 * Runs `attempt` until it succeeds, fails with an error that must not be retried, or the policy's retries run
 * out; the last error is thrown as is. After an abort no new attempt starts: `InterruptedError` is thrown.
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  policy: RetryPolicy,
  opts: RetryRunOptions<T>,
): Promise<T> {
  const { signal, safety } = opts;
  const sleep = policy.sleep ?? abortableSleep;
  // An earlier attempt failed in a way that may have applied the write.
  let ambiguous = false;
  let lastError: unknown;
  let decision: RetryDecision = { retry: false };

  const interrupted = (attemptNumber: number): InterruptedError =>
    new InterruptedError(
      `${opts.label}: interrupted after ${attemptNumber - 1} attempt(s)` +
        (lastError instanceof Error ? `; last error: ${lastError.message}` : ''),
    );

  const run = async (attemptNumber: number): Promise<T> => {
    if (signal?.aborted) throw interrupted(attemptNumber);
    if (ambiguous && safety?.recover) {
      const found = await lookUntilSettled(safety.recover, signal, policy, sleep);
      if (found !== undefined) return found;
      // Nothing appeared through the whole settle window: the earlier attempt left nothing behind, sending again is
      // safe (as safe as anything without an idempotency key in the API can be: a write held longer is not seen).
      ambiguous = false;
    }
    try {
      return await attempt(attemptNumber);
    } catch (err) {
      if (ambiguous && safety?.goneMeansDone && err instanceof ApiError && err.status === 404) {
        return safety.goneMeansDone();
      }
      if (safety?.settle && err instanceof ApiError) {
        // A lookup inside `settle` that fails ends this attempt with its own error; `ambiguous` keeps its value,
        // so the next attempt still looks before it writes.
        const settled = await safety.settle(err, { afterAmbiguous: ambiguous, signal });
        if (settled !== undefined) return settled;
      }
      if (mayHaveReachedServer(err)) ambiguous = true;
      throw err;
    }
  };

  return pRetry(run, {
    retries: policy.retries,
    // Delays are computed and slept in onFailedAttempt: p-retry's own backoff is off.
    minTimeout: 0,
    factor: 1,
    onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
      lastError = error;
      decision = retriesLeft > 0 ? decideRetry(error, attemptNumber, policy) : { retry: false };
      if (!decision.retry) return;
      opts.onRetry?.({ attempt: attemptNumber, delayMs: decision.delayMs, error: error as ReconcileError });
      try {
        await sleep(decision.delayMs, signal);
      } catch {
        // Thrown from onFailedAttempt, this ends p-retry with the interruption.
        throw interrupted(attemptNumber + 1);
      }
      if (signal?.aborted) throw interrupted(attemptNumber + 1);
    },
    shouldRetry: () => decision.retry,
  });
}

/**
 * Looks for the result of an ambiguous write until it is found or the settle window has been waited through. The
 * window is counted in pauses taken, not wall time, so a test's instant sleep gives the same number of looks. A
 * look that fails (a 5xx, a reset) is looked past; the write is sent again only after a last look that answered.
 */
async function lookUntilSettled<T>(
  recover: (signal: AbortSignal | undefined) => Promise<T | undefined>,
  signal: AbortSignal | undefined,
  policy: RetryPolicy,
  sleep: Sleep,
): Promise<T | undefined> {
  let waited = 0;
  let pause = policy.settleFirstPollMs;
  for (;;) {
    let failed: unknown;
    try {
      const found = await recover(signal);
      if (found !== undefined) return found;
    } catch (err) {
      // A look that failed tells nothing: the next one may. Only errors that may be retried are looked past.
      if (!(err instanceof ReconcileError) || !err.retryable) throw err;
      failed = err;
    }
    const left = policy.settleMs - waited;
    if (left <= 0) {
      // the last look must have answered: without it nothing can be told, and the caller retries the whole call
      if (failed !== undefined) throw failed;
      return undefined;
    }
    const ms = Math.min(pause, left);
    await sleep(ms, signal);
    waited += ms;
    pause *= 2;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
