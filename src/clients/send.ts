// One HTTP exchange with an Anthropic API: global `fetch` over an undici `Agent` (keep-alive, a connection cap,
// connect/headers/body timeouts). nock intercepts global fetch even with a `dispatcher`, so tests see every request.
// This layer never retries, paces or paginates (retry.ts, throttle.ts, paginate.ts wrap it), and it never lets the
// credential reach an error, a log line or a stats value: the header values live only in this closure.

import { readFileSync } from 'node:fs';
import type { Agent } from 'undici';
// Only undici's Agent, not the package index: the index also loads fetch, WebSocket, caches and mocks that this
// tool never uses, 2.2 MB of heap that stays live for the whole run (9.7 against 11.9 MB after a full collection,
// with every module of a plan loaded). undici has no "exports" map, so the path is reachable; package-lock.json
// pins the version, and every test that sends a request loads it.
import AgentClass from 'undici/lib/dispatcher/agent.js';
import { onAbort } from './abort-fanout.js';
import {
  ApiError,
  type ApiErrorDetails,
  InterruptedError,
  MalformedResponseError,
  NetworkError,
  registerSecret,
  redact,
  type RequestInfo,
} from '../errors.js';
import { codeRetryOverride, decodeErrorCode, decodeErrorDetails } from './error-codes.js';
import { ANTHROPIC_VERSION } from './wire.js';

/** How the client proves who it is (§2.2): an Admin API key in `x-api-key`, or an OAuth / SCIM bearer token. */
export interface Credential {
  kind: 'x-api-key' | 'bearer';
  value: string;
}

/** Query values. Arrays go out in bracket form `key[]=a&key[]=b` (§2.8); `undefined`/`null` are left out. */
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;
export type Query = Readonly<Record<string, QueryValue>>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What an error body says, once decoded. SCIM clients pass their own decoder (RFC 7644 bodies, §13.6). */
export interface DecodedError {
  errorType: string;
  message: string;
  requestId?: string | undefined;
  /** `error.details.error_code` (API version 2026-10-21), when present and a plain code. */
  errorCode?: string | undefined;
  /** The allow-listed, shape-checked fields of `error.details` (error-codes.ts). */
  details?: ApiErrorDetails | undefined;
}

export type ErrorDecoder = (status: number, body: unknown, text: string) => DecodedError;

export interface SenderOptions {
  /** For example `https://api.anthropic.com` (§2.1) or an emulator's `http://127.0.0.1:PORT`. */
  baseUrl: string;
  credential: Credential;
  /** Whole-request deadline (connect, headers and body), per attempt. Default 30 000 ms. */
  timeoutMs?: number;
  /** Connection cap of the Agent (per origin). Default 8. */
  maxConnections?: number;
  /** Default `claude-reconcile/<package version>` (§2.4 recommends an identifying User-Agent). */
  userAgent?: string;
  /** `anthropic-version` header (§2.4); `null` leaves it out (SCIM). Default `ANTHROPIC_VERSION` (wire.ts). */
  anthropicVersion?: string | null;
  /** Content type of request bodies. Default `application/json`; SCIM uses `application/scim+json`. */
  contentType?: string;
  /** Extra headers on every request (for example `anthropic-beta`). Never put a credential here. */
  headers?: Readonly<Record<string, string>>;
  /** Decoder of error bodies. Default: the Admin API envelope of §2.7. */
  decodeError?: ErrorDecoder;
}

export interface SendRequest {
  method: HttpMethod;
  /** Path below the base URL, already encoded, starting with `/`. */
  path: string;
  query?: Query | undefined;
  /** JSON body; only sent when defined. */
  body?: unknown;
  /** Headers of this request only (a beta's `anthropic-beta`). Never a credential. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Caller cancellation (SIGINT). Aborting rejects with `InterruptedError`, never retried. */
  signal?: AbortSignal | undefined;
  /** Called once the status and headers are in, before the body is read (rate-limit headers, progress). */
  onHeaders?: ((status: number, headers: Headers) => void) | undefined;
}

export interface SendResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON object; `null` only for 204 No Content. */
  body: unknown;
  request: RequestInfo;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_CONNECTIONS = 8;
/** Longest excerpt of a non-JSON error body kept in a message (a proxy's HTML page, a 413 from a CDN; §14.1 item 5). */
const MAX_TEXT_EXCERPT = 200;

/** §2.7: the documented `error.type` for each status, used when the body does not say. */
const FALLBACK_ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** §2.7: "invalid_request_error may also be used for other 4XX status codes"; other 5xx are `api_error`. */
export function fallbackErrorType(status: number): string {
  return FALLBACK_ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** §2.5 / §14.1 item 6: the statuses worth another attempt. 409 is left out on purpose: for the Admin API it
 *  means "a unique value already in use" as often as "concurrent modification", and repeating cannot fix the former. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Decoder of the Admin API error envelope `{type:"error", error:{type, message, details?:{error_code, …}},
 * request_id}` (§2.7; `details` since API version 2026-10-21). Of `details` only the code and allow-listed ids
 * are kept (error-codes.ts).
 */
export const decodeAnthropicError: ErrorDecoder = (status, body, text) => {
  if (isObject(body)) {
    const err = body['error'];
    const requestId = typeof body['request_id'] === 'string' ? body['request_id'] : undefined;
    if (isObject(err)) {
      return {
        errorType: typeof err['type'] === 'string' && err['type'] ? err['type'] : fallbackErrorType(status),
        message: typeof err['message'] === 'string' ? err['message'] : excerpt(JSON.stringify(err)),
        requestId,
        errorCode: decodeErrorCode(err),
        details: decodeErrorDetails(err),
      };
    }
    return { errorType: fallbackErrorType(status), message: excerpt(text), requestId };
  }
  return { errorType: fallbackErrorType(status), message: excerpt(text) || '(empty body)' };
};

/**
 * The client's headers with one request's own: a request never replaces the credential, and its `anthropic-beta`
 * is added to the client's betas (comma-separated, as the SDK joins them).
 */
function withRequestHeaders(base: Readonly<Record<string, string>>, own: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = { ...base };
  for (const [k, v] of Object.entries(own ?? {})) {
    const name = k.toLowerCase();
    if (name === 'x-api-key' || name === 'authorization') continue;
    out[name] = name === 'anthropic-beta' && out[name] ? `${out[name]},${v}` : v;
  }
  return out;
}

/**
 * `retry-after-ms` first, then `retry-after` as seconds or an HTTP date (§2.5, as the official SDK reads them).
 * Returns undefined when absent or unparseable; never negative.
 */
export function parseRetryAfterMs(headers: Headers, nowMs: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return n;
  }
  const ra = headers.get('retry-after');
  if (ra === null || ra.trim() === '') return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs)) return secs >= 0 ? secs * 1000 : undefined;
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Bracket-form query string (§2.8), without the leading `?`. Keys keep their order; values are encoded. */
export function encodeQuery(query: Query | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const k = encodeURIComponent(key);
    if (Array.isArray(value)) {
      for (const v of value as ReadonlyArray<string | number | boolean>) parts.push(`${k}[]=${encodeURIComponent(String(v))}`);
    } else {
      parts.push(`${k}=${encodeURIComponent(String(value))}`);
    }
  }
  return parts.join('&');
}

/**
 * Network failures that happened before a connection existed: the request cannot have reached the server.
 * Everything else (reset, socket hang up, headers/body timeout) may have been processed. The error carries it
 * (`NetworkError.sent`); `retry.ts` asks through `requestNotSent`.
 */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** True when nothing listened at the address (ECONNREFUSED): a wrong URL or a server that is down, not a blip. */
export function connectionRefused(err: unknown): boolean {
  return err instanceof NetworkError && err.refused;
}

/** True when the network error happened before the request left (connect refused, DNS, connect timeout). */
export function requestNotSent(err: unknown): boolean {
  return err instanceof NetworkError && !err.sent;
}

/** Default `claude-reconcile/<version>`, read once from the package's own package.json. */
let cachedUserAgent: string | undefined;
export function defaultUserAgent(): string {
  if (cachedUserAgent === undefined) {
    let version = '0.0.0';
    try {
      const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
      if (isObject(pkg) && typeof pkg['version'] === 'string') version = pkg['version'];
    } catch {
      // running from an unusual layout: keep the placeholder version rather than fail a request
    }
    cachedUserAgent = `claude-reconcile/${version} (node ${process.versions.node})`;
  }
  return cachedUserAgent;
}

/**
 * One connection pool and one set of default headers. `send` does exactly one attempt.
 * Create one per client instance and `close()` it when done.
 */
export class Sender {
  readonly baseUrl: string;
  readonly #agent: Agent;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #timeoutMs: number;
  readonly #contentType: string;
  readonly #decodeError: ErrorDecoder;

  constructor(opts: SenderOptions) {
    if (!opts.credential.value) throw new TypeError('Sender: the credential is empty');
    // Every later error text is scrubbed of this value (errors.ts), even text that came from elsewhere.
    registerSecret(opts.credential.value);
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#contentType = opts.contentType ?? 'application/json';
    this.#decodeError = opts.decodeError ?? decodeAnthropicError;
    const h: Record<string, string> = {
      accept: 'application/json',
      'user-agent': opts.userAgent ?? defaultUserAgent(),
      ...opts.headers,
    };
    const version = opts.anthropicVersion === undefined ? ANTHROPIC_VERSION : opts.anthropicVersion;
    if (version !== null) h['anthropic-version'] = version;
    // §2.2: one of the two auth headers, never both.
    if (opts.credential.kind === 'x-api-key') h['x-api-key'] = opts.credential.value;
    else h['authorization'] = `Bearer ${opts.credential.value}`;
    this.#headers = h;
    this.#agent = new AgentClass({
      connections: opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      keepAliveTimeout: 10_000,
      connect: { timeout: Math.min(this.#timeoutMs, 10_000) },
      headersTimeout: this.#timeoutMs,
      bodyTimeout: this.#timeoutMs,
    });
  }

  async send(req: SendRequest): Promise<SendResponse> {
    const qs = encodeQuery(req.query);
    const pathWithQuery = qs ? `${req.path}?${qs}` : req.path;
    const info: RequestInfo = { method: req.method, path: pathWithQuery };
    if (req.signal?.aborted) throw new InterruptedError(`${req.method} ${pathWithQuery}: interrupted before sending`);

    // One controller for both reasons to stop; the flag says which one fired.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#timeoutMs);
    // never a listener per request on the caller's long-lived signal (abort-fanout.ts says why)
    const unsubscribe = req.signal ? onAbort(req.signal, () => controller.abort()) : undefined;

    const headers = withRequestHeaders(this.#headers, req.headers);
    let payload: string | undefined;
    if (req.body !== undefined) {
      headers['content-type'] = this.#contentType;
      payload = JSON.stringify(req.body);
    }

    try {
      let res: Response;
      let text: string;
      try {
        res = await fetch(this.baseUrl + pathWithQuery, {
          method: req.method,
          headers,
          body: payload ?? null,
          signal: controller.signal,
          // A redirect would carry `x-api-key` to wherever it points; the Admin API never redirects, so a 3xx is
          // surfaced as an error status instead of being followed.
          redirect: 'manual',
          // `dispatcher` is an undici extension of RequestInit that lib.dom's type does not know.
          ...({ dispatcher: this.#agent } as object),
        });
        req.onHeaders?.(res.status, res.headers);
        // The Admin API sends `request-id` (§2.4); SCIM servers (the emulator's WorkOS-like directory) `x-request-id`.
        const rid = res.headers.get('request-id') ?? res.headers.get('x-request-id');
        if (rid) info.requestId = rid;
        text = await readText(res);
      } catch (err) {
        throw this.#networkError(err, info, timedOut, req.signal);
      }
      return this.#interpret(res, text, info);
    } finally {
      clearTimeout(timer);
      unsubscribe?.();
    }
  }

  /** Closes every pooled connection. Requests in flight fail with `NetworkError`. */
  async close(): Promise<void> {
    await this.#agent.destroy();
  }

  #interpret(res: Response, text: string, info: RequestInfo): SendResponse {
    const status = res.status;
    if (status >= 200 && status < 300) {
      if (status === 204 && text.trim() === '') return { status, headers: res.headers, body: null, request: info };
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new MalformedResponseError(info, `${status} with a body that is not JSON: ${excerpt(text) || '(empty)'}`);
      }
      if (!isObject(body)) {
        const kind = body === null ? 'null' : Array.isArray(body) ? 'array' : typeof body;
        throw new MalformedResponseError(info, `${status} with a JSON ${kind}, not an object`);
      }
      return { status, headers: res.headers, body, request: info };
    }

    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const decoded = this.#decodeError(status, parsed, text);
    if (!info.requestId && decoded.requestId) info.requestId = decoded.requestId;
    const retryAfterMs = parseRetryAfterMs(res.headers);
    // A code whose meaning forbids another send (an invite that exists, a workspace that was created) decides
    // first, even against `x-should-retry: true`. Then, §2.5, the server may overrule with `x-should-retry:
    // true|false`; then a refusal documented as safe to repeat is retried; then the status decides. A code the
    // client does not know decides nothing (error-codes.ts).
    const should = res.headers.get('x-should-retry');
    const byCode = codeRetryOverride(status, decoded.errorCode);
    const retryable =
      byCode === false
        ? false
        : should === 'true'
          ? true
          : should === 'false'
            ? false
            : (byCode ?? isRetryableStatus(status));
    return throwApiError({
      status,
      errorType: decoded.errorType,
      errorCode: decoded.errorCode,
      details: decoded.details,
      apiMessage: decoded.message,
      request: info,
      retryAfterMs,
      retryable,
    });
  }

  #networkError(err: unknown, info: RequestInfo, timedOut: boolean, callerSignal: AbortSignal | undefined): Error {
    if (callerSignal?.aborted && !timedOut) {
      return new InterruptedError(`${info.method} ${info.path}: interrupted; the request may have reached the server`);
    }
    const code = errorCode(err);
    const detail = describeCause(err, code);
    // errors.ts scrubs an Error cause but keeps any other thrown value as is, and a dispatcher (or nock) may
    // reject with a plain object whose text holds anything: only an Error built from the scrubbed detail is kept.
    const cause = new Error(detail);
    if (timedOut) return new NetworkError(info, `timed out after ${this.#timeoutMs} ms`, { timedOut: true, cause });
    return new NetworkError(info, detail, {
      timedOut: code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT',
      cause,
      sent: !(code !== undefined && NOT_SENT_CODES.has(code)),
      refused: code === 'ECONNREFUSED',
    });
  }
}

function throwApiError(init: ConstructorParameters<typeof ApiError>[0]): never {
  throw new ApiError(init);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A short, single-line, scrubbed excerpt of foreign text (error decoders use it for non-JSON bodies). */
export function excerpt(text: string): string {
  // Scrub first: flattening whitespace or cutting the text could split a secret so that no later scrub finds it
  // (a key with a line break inside, quoted by undici's "invalid header value"; a key cut at the excerpt's end).
  const flat = redact(text).replace(/\s+/g, ' ').trim();
  return flat.length > MAX_TEXT_EXCERPT ? `${flat.slice(0, MAX_TEXT_EXCERPT)}…` : flat;
}

/** fetch wraps the socket error as `TypeError('fetch failed', {cause})`; nock may reject with the bare error. */
function errorCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let depth = 0; depth < 4 && cur !== null && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function describeCause(err: unknown, code: string | undefined): string {
  let cur: unknown = err;
  let message = '';
  for (let depth = 0; depth < 4 && cur !== null && typeof cur === 'object'; depth++) {
    const m = (cur as { message?: unknown }).message;
    if (typeof m === 'string' && m && m !== 'fetch failed') message = m;
    cur = (cur as { cause?: unknown }).cause;
  }
  const text = [code, message].filter(Boolean).join(': ') || 'connection failed';
  return excerpt(text);
}

/**
 * The body as text, decoded as it arrives, like `Response.text()` (UTF-8, a leading BOM dropped). `text()` first
 * gathers the whole body into one native buffer; a listing page of 1,000 SCIM users is half a megabyte and a page
 * of groups with their members can be several, and once freed those buffers stay in the C heap as fragments
 * (19–23 MB of `[heap]` at the end of the 50,000-member enterprise plan, 10–14 MB decoded chunk by chunk).
 */
async function readText(res: Response): Promise<string> {
  if (!res.body) return '';
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) parts.push(decoder.decode(chunk, { stream: true }));
  parts.push(decoder.decode());
  return parts.join('');
}
