// The composition every API client shares (architecture habit 8): throttle → retry → send, plus per-instance stats
// and an `onRequest` hook. AdminClient builds its methods on it; a SCIM client builds its own on another instance
// (bearer credential, `anthropicVersion: null`, its own error decoder). Nothing here knows a resource: a call names
// its route template, its parser and, for a write that must not be repeated blindly, its WriteSafety.
//
// Pacing is per rate-limit bucket (issue 18): the client's BucketTable (buckets.ts) says which bucket a route counts
// against, and each bucket has its own Throttle, learning from its own answers, so a 429 in one never stalls
// another. A request waits for its bucket's pacer first and only then for one of the client's connection slots
// (shared by every bucket, `throttle.concurrency` of them): a paused bucket holds no slot another bucket needs.

import pLimit, { type LimitFunction } from 'p-limit';
import { ApiError, InterruptedError, NetworkError, ReconcileError, type RequestInfo } from '../errors.js';
import { BUCKETS, bucketOf, type BucketName, type BucketTable } from './buckets.js';
import { DEFAULT_PAGE_SIZE, idPages, pageItems, parseIdPage, parseTokenPage, tokenPages } from './paginate.js';
import { resolveRetryPolicy, withRetries, type RetryPolicy, type WriteSafety } from './retry.js';
import { Sender, type HttpMethod, type Query, type SenderOptions } from './send.js';
import { Throttle, WAIT_NOTICE_MS, type RateLimitWait, type ThrottleOptions, type ThrottleStats } from './throttle.js';

/** One HTTP attempt, reported after it ends. No headers, no body, no query string: nothing secret or personal. */
export interface RequestEvent {
  method: HttpMethod;
  /** Route template, for example `GET /v1/organizations/users/{user_id}`. */
  route: string;
  /** Path without the query string, for example `/v1/organizations/users/user_01…`. */
  path: string;
  /** 1 for the first attempt of a call, 2 for its first retry, and so on. */
  attempt: number;
  /** HTTP status; undefined when no response arrived. */
  status: number | undefined;
  durationMs: number;
  requestId: string | undefined;
  /** Error code (`api_429`, `timeout`, `network`, `malformed_response`, …) when the attempt failed. */
  error: string | undefined;
}

/** Counters of one client instance. Plain numbers keyed by route template: safe to print or store. */
export interface ClientStats {
  /** HTTP attempts sent (retries and read-before-write lookups included). */
  requests: number;
  /** Attempts by route template, for example `{"GET /v1/organizations/users": 3}`. */
  byRoute: Record<string, number>;
  /** Listings started, by route template. */
  listings: Record<string, number>;
  /** List pages received, by route template (pages ÷ listings = pages per listing). */
  pages: Record<string, number>;
  /** Retries slept for (attempts after the first). */
  retries: number;
  /** 429 responses. */
  rateLimited: number;
  /** Attempts that got no response (connection failures and timeouts). */
  networkErrors: number;
  /** Writes ended by a read or a refusal that shows the state already holds instead of by their own success
   *  (invite or group found after an ambiguous failure; DELETE 404 or 400 "already a member" counted as done;
   *  SCIM 409 answered by the existing resource). */
  recovered: number;
  /** Requests that waited for the pacer, and the total wait (every bucket). */
  pacedRequests: number;
  pacedMs: number;
  /** Attempts, 429s, paced requests and their wait by rate-limit bucket (buckets.ts), for the buckets used. */
  byBucket: Partial<Record<BucketName, number>>;
  rateLimitedByBucket: Partial<Record<BucketName, number>>;
  pacedByBucket: Partial<Record<BucketName, number>>;
  pacedMsByBucket: Partial<Record<BucketName, number>>;
}

export interface PipelineOptions extends SenderOptions {
  /** Retry policy; every field optional (defaults in retry.ts). */
  retry?: Partial<RetryPolicy>;
  /** Concurrency (connection slots of the client) and pacing (throttle.ts, one instance per bucket). */
  throttle?: Omit<ThrottleOptions, 'bucket' | 'readsHeaders' | 'learnFromRetryAfter'>;
  /** Which bucket each route counts against (buckets.ts). Default: every route in one `organization` bucket. */
  buckets?: BucketTable;
  /** Called after every HTTP attempt (progress, logging). Errors it throws are ignored. */
  onRequest?: (event: RequestEvent) => void;
  /** Monotonic clock for durations. Default `performance.now`. */
  clock?: () => number;
  /** Page size for listings. Default 1000 (§2.9 maximum). */
  pageSize?: number;
}

export interface CallSpec<T> {
  method: HttpMethod;
  /** Path template with `{name}` placeholders, for example `/v1/organizations/users/{user_id}`. */
  route: string;
  params?: Readonly<Record<string, string>>;
  query?: Query | undefined;
  body?: unknown;
  /** Headers of this call only (a beta's `anthropic-beta`). Never a credential. */
  headers?: Readonly<Record<string, string>> | undefined;
  signal?: AbortSignal | undefined;
  /** Turns the parsed JSON into T, throwing `MalformedResponseError` when it is not the documented shape. Runs
   *  inside the attempt, so a malformed body is retried like any other retryable failure. */
  parse: (body: unknown, request: RequestInfo) => T;
  safety?: WriteSafety<T> | undefined;
  /** false: a single attempt (used by the read-before-write lookups, which the outer call already retries). */
  retry?: boolean;
}

export interface ListSpec<T> {
  /** Path template of the listing (no placeholders needed for top-level lists). */
  route: string;
  params?: Readonly<Record<string, string>>;
  query?: Query | undefined;
  parseItem: (item: unknown, request: RequestInfo) => T;
  signal?: AbortSignal | undefined;
  /** Single attempt per page (see CallSpec.retry). */
  retry?: boolean;
}

/** A listing whose paging the caller drives (SCIM `startIndex`/`count`, RFC 7644 §3.4.2.4). */
export interface PagedListSpec<P> {
  route: string;
  params?: Readonly<Record<string, string>>;
  /** Query of every page; the paging parameters are added per page. */
  query?: Query | undefined;
  /** Parses one page inside its (retried) attempt. */
  parsePage: (body: unknown, request: RequestInfo) => P;
  signal?: AbortSignal | undefined;
  retry?: boolean;
}

/** Fetches one page given its paging query (for example `{startIndex: 101, count: 100}`). */
export type PagedFetch<P> = (paging: Query) => Promise<P>;

const ONE_BUCKET: BucketTable = { routes: {}, fallback: 'organization' };

export class Pipeline {
  readonly #sender: Sender;
  readonly #throttleOptions: ThrottleOptions;
  readonly #buckets: BucketTable;
  /** One pacer per bucket, made at its first request (the fallback bucket's at once, which checks the options). */
  readonly #throttles = new Map<BucketName, Throttle>();
  /** Connection slots, shared by the buckets, taken only once a request's pacer has let it go. */
  readonly #slots: LimitFunction;
  readonly #onWait: ((w: RateLimitWait) => void) | undefined;
  readonly #policy: RetryPolicy;
  readonly #onRequest: ((event: RequestEvent) => void) | undefined;
  readonly #clock: () => number;
  readonly #pageSize: number;
  readonly #stats: Omit<ClientStats, 'pacedRequests' | 'pacedMs' | 'pacedByBucket' | 'pacedMsByBucket'> = {
    requests: 0,
    byRoute: {},
    byBucket: {},
    rateLimitedByBucket: {},
    listings: {},
    pages: {},
    retries: 0,
    rateLimited: 0,
    networkErrors: 0,
    recovered: 0,
  };

  constructor(opts: PipelineOptions) {
    this.#sender = new Sender(opts);
    this.#throttleOptions = opts.throttle ?? {};
    this.#buckets = opts.buckets ?? ONE_BUCKET;
    this.#throttleOf(this.#buckets.fallback);
    this.#slots = pLimit(this.#throttleOptions.concurrency ?? 4);
    this.#onWait = opts.throttle?.onWait;
    this.#policy = resolveRetryPolicy(opts.retry);
    this.#onRequest = opts.onRequest;
    this.#clock = opts.clock ?? (() => performance.now());
    this.#pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!(Number.isInteger(this.#pageSize) && this.#pageSize >= 1 && this.#pageSize <= 1000)) {
      throw new TypeError('pageSize must be an integer within 1..1000 (§2.9)');
    }
  }

  /** A snapshot; later requests do not change it. */
  get stats(): ClientStats {
    const pacedByBucket: ClientStats['pacedByBucket'] = {};
    const pacedMsByBucket: ClientStats['pacedMsByBucket'] = {};
    let paced = 0;
    let waitedMs = 0;
    for (const [name, throttle] of this.#throttles) {
      const t: ThrottleStats = throttle.stats;
      paced += t.paced;
      waitedMs += t.waitedMs;
      pacedByBucket[name] = t.paced;
      pacedMsByBucket[name] = Math.round(t.waitedMs);
    }
    return {
      ...this.#stats,
      byRoute: { ...this.#stats.byRoute },
      listings: { ...this.#stats.listings },
      pages: { ...this.#stats.pages },
      byBucket: { ...this.#stats.byBucket },
      rateLimitedByBucket: { ...this.#stats.rateLimitedByBucket },
      pacedRequests: paced,
      pacedMs: Math.round(waitedMs),
      pacedByBucket,
      pacedMsByBucket,
    };
  }

  /** The pacer of a bucket, with the bucket's way of learning its limit (buckets.ts). */
  #throttleOf(bucket: BucketName): Throttle {
    let throttle = this.#throttles.get(bucket);
    if (!throttle) {
      const spec = BUCKETS[bucket];
      throttle = new Throttle({
        ...this.#throttleOptions,
        ...(spec.oneAtATime && { concurrency: 1 }),
        bucket,
        readsHeaders: spec.headersDescribe === bucket,
        learnFromRetryAfter: spec.learnsFromRetryAfter,
      });
      this.#throttles.set(bucket, throttle);
    }
    return throttle;
  }

  /** A long retry wait is told like a long pacing wait (the throttle's `onWait`): an apply is never silent. */
  #tellWait(ms: number, error: ReconcileError, route: string, bucket: BucketName): void {
    const onWait = this.#onWait;
    if (!onWait) return;
    const why = error instanceof ApiError && error.status === 429
      ? `for the rate limit: the API answered 429 (too many requests) to ${route}, with retry-after`
      : `before retrying ${route} (${error.code})`;
    try {
      onWait({ ms: Math.round(ms), why, bucket });
    } catch {
      // a failing progress printer never stops a request
    }
  }

  /** One API call: throttled, retried per policy and safety, parsed. */
  call<T>(spec: CallSpec<T>): Promise<T> {
    const path = expandPath(spec.route, spec.params);
    const routeKey = `${spec.method} ${spec.route}`;
    const bucket = bucketOf(this.#buckets, routeKey);
    const throttle = this.#throttleOf(bucket);
    // a bucket whose answers carry another's headers counts against that one too (buckets.ts): its pacer is told
    const described = BUCKETS[bucket].headersDescribe;
    const carrier = described === bucket ? undefined : this.#throttleOf(described);
    const attempt = (attemptNumber: number): Promise<T> =>
      throttle.run((ticket) => {
        const send = (): Promise<T> =>
          this.#slots(() => {
            // aborted while waiting for a slot: the caller has already been answered (Throttle.run)
            if (spec.signal?.aborted) throw new InterruptedError('interrupted while waiting for a connection slot');
            return this.#attempt(spec, path, routeKey, attemptNumber, ticket.startedAt, throttle, bucket);
          });
        return carrier ? carrier.carry(send, spec.signal) : send();
      }, spec.signal);
    if (spec.retry === false) return attempt(1);
    return withRetries(attempt, this.#policy, {
      signal: spec.signal,
      safety: spec.safety && this.#countRecoveries(spec.safety),
      label: `${spec.method} ${path}`,
      onRetry: (e) => {
        this.#stats.retries++;
        if (e.delayMs >= WAIT_NOTICE_MS) this.#tellWait(e.delayMs, e.error, routeKey, bucket);
      },
    });
  }

  /** Items of an ID-cursor listing (§2.9 item 1), `limit=<pageSize>` and `after_id=<last_id>`. */
  idList<T>(spec: ListSpec<T>): AsyncIterable<T> {
    return {
      [Symbol.asyncIterator]: () => {
        const request = this.#startListing(spec);
        const pages = idPages<T>(
          (cursor) =>
            this.#page(spec, { limit: this.#pageSize, ...spec.query, after_id: cursor }, (body, req) => {
              followPage(request, req);
              const p = parseIdPage(body, req);
              return { ...p, data: p.data.map((item) => spec.parseItem(item, req)) };
            }),
          request,
        );
        return pageItems(pages)[Symbol.asyncIterator]();
      },
    };
  }

  /** Items of a token listing (§2.9 item 2), `limit=<pageSize>` and `page=<next_page>`. */
  tokenList<T>(spec: ListSpec<T>): AsyncIterable<T> {
    return {
      [Symbol.asyncIterator]: () => {
        const request = this.#startListing(spec);
        const pages = tokenPages<T>(
          (cursor) =>
            this.#page(spec, { limit: this.#pageSize, ...spec.query, page: cursor }, (body, req) => {
              followPage(request, req);
              const p = parseTokenPage(body, req);
              return { ...p, data: p.data.map((item) => spec.parseItem(item, req)) };
            }),
          request,
        );
        return pageItems(pages)[Symbol.asyncIterator]();
      },
    };
  }

  /**
   * Items of a listing under a paging scheme this class does not know: `paginate` gets a fetcher of one page
   * (throttled, retried, counted in `pages`) and the listing's name for errors, and yields the items.
   */
  pagedList<T, P>(
    spec: PagedListSpec<P>,
    paginate: (fetchPage: PagedFetch<P>, request: RequestInfo) => AsyncIterable<T>,
  ): AsyncIterable<T> {
    return {
      [Symbol.asyncIterator]: () => {
        const request = this.#startListing(spec);
        const fetchPage: PagedFetch<P> = (paging) =>
          this.#page(spec, { ...spec.query, ...paging }, (body, req) => {
            followPage(request, req);
            return spec.parsePage(body, req);
          });
        return paginate(fetchPage, request)[Symbol.asyncIterator]();
      },
    };
  }

  /** Counts a listing and names it for pagination errors. */
  #startListing(spec: Pick<ListSpec<unknown>, 'route' | 'params'>): RequestInfo {
    bump(this.#stats.listings, `GET ${spec.route}`);
    return { method: 'GET', path: expandPath(spec.route, spec.params) };
  }

  /** One page with its full query, parsed inside the (retried) attempt. */
  async #page<P>(
    spec: Pick<ListSpec<unknown>, 'route' | 'params' | 'signal' | 'retry'>,
    query: Query,
    parse: (body: unknown, req: RequestInfo) => P,
  ): Promise<P> {
    const page = await this.call({
      method: 'GET',
      route: spec.route,
      params: spec.params,
      query,
      signal: spec.signal,
      retry: spec.retry ?? true,
      parse,
    });
    bump(this.#stats.pages, `GET ${spec.route}`);
    return page;
  }

  /** Closes the connection pool. */
  close(): Promise<void> {
    return this.#sender.close();
  }

  async #attempt<T>(
    spec: CallSpec<T>,
    path: string,
    routeKey: string,
    attemptNumber: number,
    startedAt: number,
    throttle: Throttle,
    bucket: BucketName,
  ): Promise<T> {
    this.#stats.requests++;
    bump(this.#stats.byRoute, routeKey);
    bump(this.#stats.byBucket, bucket);
    const started = this.#clock();
    let status: number | undefined;
    let requestId: string | undefined;
    let errorCode: string | undefined;
    try {
      const res = await this.#sender.send({
        method: spec.method,
        path,
        query: spec.query,
        body: spec.body,
        headers: spec.headers,
        signal: spec.signal,
        onHeaders: (s, headers) => {
          status = s;
          requestId = headers.get('request-id') ?? headers.get('x-request-id') ?? undefined;
          if (s === 429) {
            this.#stats.rateLimited++;
            bump(this.#stats.rateLimitedByBucket, bucket);
          }
          const described = BUCKETS[bucket].headersDescribe;
          if (described === bucket) {
            throttle.observe({ status: s, headers, startedAt });
          } else if (s === 429 && this.#throttleOf(described).refusedHere(headers)) {
            // An invite refused while the organization's budget it also carries is spent: the organization's 429,
            // not the invite bucket's. That pacer pauses; the invite pacer learns no interval from it (it would learn
            // a retry-after of a second and then spend the hourly bucket at that pace) and gets back the token it
            // took (the invite bucket did not count the request). The retry waits retry-after.
            this.#throttleOf(described).observe({ status: s, headers, startedAt });
            throttle.refund();
          } else {
            throttle.observe({ status: s, headers, startedAt });
            this.#throttleOf(described).observeBudget(headers);
          }
        },
      });
      return spec.parse(res.body, res.request);
    } catch (err) {
      if (err instanceof NetworkError) this.#stats.networkErrors++;
      if (err instanceof ApiError) requestId ??= err.request.requestId;
      errorCode = err instanceof ReconcileError ? err.code : 'error';
      throw err;
    } finally {
      this.#report({
        method: spec.method,
        route: routeKey,
        path,
        attempt: attemptNumber,
        status,
        durationMs: Math.max(0, this.#clock() - started),
        requestId,
        error: errorCode,
      });
    }
  }

  #report(event: RequestEvent): void {
    try {
      this.#onRequest?.(event);
    } catch {
      // A progress hook that throws must not turn a finished request into a failure (or hide its real error).
    }
  }

  #countRecoveries<T>(safety: WriteSafety<T>): WriteSafety<T> {
    const { recover, goneMeansDone, settle } = safety;
    return {
      settle:
        settle &&
        (async (error, context) => {
          const settled = await settle(error, context);
          if (settled !== undefined) this.#stats.recovered++;
          return settled;
        }),
      recover:
        recover &&
        (async (signal) => {
          const found = await recover(signal);
          if (found !== undefined) this.#stats.recovered++;
          return found;
        }),
      goneMeansDone:
        goneMeansDone &&
        (() => {
          this.#stats.recovered++;
          return goneMeansDone();
        }),
    };
  }
}

/** Fills `{name}` placeholders with encoded values; a missing or empty value is a programming error. */
export function expandPath(template: string, params: Readonly<Record<string, string>> = {}): string {
  return template.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined || v === '') throw new TypeError(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(v);
  });
}

/**
 * A listing's errors (a repeated cursor, a page that contradicts an earlier one) are found after the page that
 * causes them was parsed: the listing's RequestInfo follows its latest page, so those errors name that request,
 * with its query and request id (issue 6: "the error names the request").
 */
function followPage(listing: RequestInfo, page: RequestInfo): void {
  listing.path = page.path;
  listing.requestId = page.requestId;
}

function bump(counts: Partial<Record<string, number>>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
