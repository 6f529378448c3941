// Pagination as async iterators over a page-fetching function (architecture habit 8). Two schemes (§2.9):
// ID cursors `{data, has_more, first_id, last_id}` read forward with `after_id=last_id`, and opaque tokens
// `{data, next_page}` (older versions also `has_more`) read with `page=next_page`. Both refuse a cursor they have already seen (reading on
// would loop forever or silently miss objects) and never request a page after the last one. Iteration is lazy: a
// consumer that stops early causes no further request.

import { MalformedResponseError, RepeatedCursorError, type RequestInfo } from '../errors.js';
import type { IdPage, TokenPage } from './wire.js';

/** §2.9: limits are 1–1000 with a default of 20; asking for 1000 keeps a full read to the fewest requests. */
export const DEFAULT_PAGE_SIZE = 1000;

/** Fetches the page after `cursor` (undefined: the first page). Throws on transport errors. */
export type PageFetcher<P> = (cursor: string | undefined) => Promise<P>;

/**
 * Checks the documented ID-page shape (§2.9): `data` an array of objects, `has_more` a boolean, `first_id` and
 * `last_id` strings or null (§14.1 item 7: both may be null). Items are checked by the caller's own guard.
 */
export function parseIdPage(body: unknown, request: RequestInfo): IdPage<unknown> {
  const b = asObject(body, request, 'an ID-cursor page');
  const data = checkData(b, request);
  if (typeof b['has_more'] !== 'boolean') throw malformed(request, '`has_more` is not a boolean');
  const first = b['first_id'] ?? null;
  const last = b['last_id'] ?? null;
  if (first !== null && typeof first !== 'string') throw malformed(request, '`first_id` is neither a string nor null');
  if (last !== null && typeof last !== 'string') throw malformed(request, '`last_id` is neither a string nor null');
  return { data, has_more: b['has_more'], first_id: first, last_id: last };
}

/**
 * Checks the token-page shape (§2.9 item 2): `data` an array of objects, `next_page` a string or null, `has_more`
 * a boolean when present (§14.1 item 4 writes it `has_more?`; 2026-10-21 does not declare it). The page's
 * `has_more` is reported as the page says it, or as `next_page !== null` when absent; paging follows `next_page`.
 */
export function parseTokenPage(body: unknown, request: RequestInfo): TokenPage<unknown> {
  const b = asObject(body, request, 'a token page');
  const data = checkData(b, request);
  const hasMore = b['has_more'];
  if (hasMore !== undefined && typeof hasMore !== 'boolean') throw malformed(request, '`has_more` is not a boolean');
  const next = b['next_page'] ?? null;
  if (next !== null && typeof next !== 'string') throw malformed(request, '`next_page` is neither a string nor null');
  return { data, has_more: hasMore ?? next !== null, next_page: next };
}

/**
 * Pages of an ID-cursor listing, forward, until `has_more` is false. A page that says `has_more: true` but gives no
 * way on (no items, or `last_id` null) contradicts itself: the SDK stops there (§14.1 item 4), but stopping would
 * take a partial listing for the whole one — the users of page 2 would look absent and be invited again — so it is
 * a malformed answer (retried like one), never the end. `request` names the listing in errors.
 */
export async function* idPages<T>(fetchPage: PageFetcher<IdPage<T>>, request: RequestInfo): AsyncGenerator<IdPage<T>> {
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    const last = page.last_id;
    if (last !== null && page.data.length > 0) {
      // A cursor seen before means this page repeats an earlier one: refuse rather than loop or double-count.
      if (seen.has(last)) throw new RepeatedCursorError(request, last);
      seen.add(last);
    }
    if (page.has_more && (page.data.length === 0 || last === null)) {
      throw malformed(request, '`has_more` is true but the page gives no cursor to continue from (no items or no `last_id`)');
    }
    yield page;
    if (!page.has_more) return;
    cursor = last!;
  }
}

/**
 * Pages of a token listing. `next_page` alone decides, as the official SDK's PageCursor does (2026-10-21 declares
 * no `has_more`; SDK 0.137.0: "auto-paging continues past an empty page while next_page is set"): the listing
 * ends when it is null, and goes on while it is set, even past an empty page or one that says `has_more: false`
 * (stopping there would take a partial listing for the whole one: the members of the pages not read would look
 * absent and be added again; one more read is harmless). A short page is normal (§11.2: group members outside
 * the enterprise's orgs are filtered out).
 */
export async function* tokenPages<T>(
  fetchPage: PageFetcher<TokenPage<T>>,
  request: RequestInfo,
): AsyncGenerator<TokenPage<T>> {
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    yield page;
    const next = page.next_page;
    if (next === null) return;
    if (seen.has(next)) throw new RepeatedCursorError(request, next);
    seen.add(next);
    cursor = next;
  }
}

/** The items of every page, in order. */
export async function* pageItems<T>(pages: AsyncIterable<{ data: T[] }>): AsyncGenerator<T> {
  for await (const page of pages) yield* page.data;
}

/** Reads an async iterable to the end. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]>;
/**
 * Reads an async iterable to the end, mapping each item as it arrives: a listing's wire objects then die with their
 * page instead of living, all 50,000 of them, until the listing ends.
 */
export async function collect<T, U>(items: AsyncIterable<T>, map: (item: T) => U): Promise<U[]>;
export async function collect<T, U>(items: AsyncIterable<T>, map?: (item: T) => U): Promise<Array<T | U>> {
  const out: Array<T | U> = [];
  for await (const item of items) out.push(map ? map(item) : item);
  return out;
}

function asObject(body: unknown, request: RequestInfo, what: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw malformed(request, `expected ${what}`);
  return body as Record<string, unknown>;
}

function checkData(b: Record<string, unknown>, request: RequestInfo): unknown[] {
  const data = b['data'];
  if (!Array.isArray(data)) throw malformed(request, '`data` is not an array');
  if (data.some((x) => typeof x !== 'object' || x === null || Array.isArray(x))) {
    throw malformed(request, '`data` holds an item that is not an object');
  }
  return data;
}

function malformed(request: RequestInfo, detail: string): MalformedResponseError {
  return new MalformedResponseError(request, detail);
}
