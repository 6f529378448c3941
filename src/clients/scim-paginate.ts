// Index pagination of SCIM listings (RFC 7644 §3.4.2.4): `startIndex` (1-based) and `count`. A server may cap
// `count` and return fewer items than asked, and `itemsPerPage` is unreliable (SCIMMY reports the requested count,
// scim.md §3.3), so the next page starts at `startIndex + Resources.length` and the listing ends when that many
// items as `totalResults` have been read (scim.md "Top pitfalls — Client" item 1). Every way this could loop or
// end early is refused with a `MalformedResponseError` instead of being read on: an empty page before the total is
// reached, a `totalResults` that changes between pages (items shifted under the offsets: some were skipped or
// repeated), more items than the total, or an id seen on an earlier page (a server that ignores `startIndex`).

import { MalformedResponseError, type RequestInfo } from '../errors.js';
import { collect } from './paginate.js';
import { isObject } from './send.js';

/** Full re-reads of a listing that changed while it was read, before the change is reported. */
const LISTING_RESTARTS = 2;

/**
 * The listing changed while it was read (`totalResults` moved between pages): offsets shifted, so items may have
 * been skipped or repeated. A reader that collects the whole listing may start it again (ScimClient does, twice).
 */
export class ListingChangedError extends MalformedResponseError {}

/** One ListResponse, checked. */
export interface ScimPage<T> {
  totalResults: number;
  startIndex: number | undefined;
  itemsPerPage: number | undefined;
  resources: T[];
}

/** Fetches the page that starts at `startIndex`. */
export type ScimPageFetcher<T> = (startIndex: number) => Promise<ScimPage<T>>;

/**
 * Checks `{totalResults, startIndex?, itemsPerPage?, Resources?}`. `Resources` may be absent only when nothing is
 * returned (RFC 7644 §3.4.2: required when totalResults is non-zero). Integers sent as numeric strings are read
 * (Okta warns servers not to, §3.3), anything else is malformed.
 */
export function parseScimListResponse<T>(
  body: unknown,
  request: RequestInfo,
  parseItem: (item: unknown, request: RequestInfo) => T,
): ScimPage<T> {
  if (!isObject(body)) throw new MalformedResponseError(request, 'expected a SCIM ListResponse');
  const totalResults = readInt(body, 'totalResults', request);
  if (totalResults === undefined) throw new MalformedResponseError(request, '`totalResults` is missing');
  const raw = body['Resources'];
  if (raw !== undefined && raw !== null && !Array.isArray(raw)) throw new MalformedResponseError(request, '`Resources` is not an array');
  return {
    totalResults,
    startIndex: readInt(body, 'startIndex', request),
    itemsPerPage: readInt(body, 'itemsPerPage', request),
    resources: (Array.isArray(raw) ? raw : []).map((item) => parseItem(item, request)),
  };
}

/** Items of an index-paged listing, page by page, with the guards described above. */
export async function* scimIndexPages<T>(
  fetchPage: ScimPageFetcher<T>,
  request: RequestInfo,
  idOf: (item: T) => string,
): AsyncGenerator<T> {
  const seen = new Set<string>();
  let startIndex = 1;
  let total: number | undefined;
  for (;;) {
    const page = await fetchPage(startIndex);
    if (total === undefined) total = page.totalResults;
    else if (page.totalResults !== total) {
      throw new ListingChangedError(
        request,
        `totalResults changed from ${total} to ${page.totalResults} at startIndex ${startIndex}: the listing changed ` +
          'while it was read, so items may have been skipped or repeated; read it again',
      );
    }
    const n = page.resources.length;
    const read = startIndex - 1 + n;
    if (read > total) {
      throw new MalformedResponseError(request, `page at startIndex ${startIndex} goes past totalResults ${total}`);
    }
    if (n === 0 && read < total) {
      throw new MalformedResponseError(
        request,
        `empty page at startIndex ${startIndex} before totalResults ${total} was reached; refusing a partial read`,
      );
    }
    for (const item of page.resources) {
      const id = idOf(item);
      if (seen.has(id)) {
        throw new MalformedResponseError(request, `resource ${id} came back on a later page; the server does not honour startIndex`);
      }
      seen.add(id);
    }
    yield* page.resources;
    if (read >= total) return;
    startIndex = read + 1;
  }
}

function readInt(body: Record<string, unknown>, field: string, request: RequestInfo): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new MalformedResponseError(request, `\`${field}\` is not a non-negative integer`);
  }
  return n;
}

/**
 * Collects a listing, mapping each item as it arrives; when the listing changed under the offsets (an IdP writing
 * while we read), starts it again rather than return a read that may have skipped someone. Bounded: the third
 * change is reported.
 */
export async function collectStable<T>(listing: () => AsyncIterable<T>): Promise<T[]>;
export async function collectStable<T, U>(listing: () => AsyncIterable<T>, map: (item: T) => U): Promise<U[]>;
export async function collectStable<T, U>(listing: () => AsyncIterable<T>, map?: (item: T) => U): Promise<Array<T | U>> {
  for (let restart = 0; ; restart++) {
    try {
      return map ? await collect(listing(), map) : await collect(listing());
    } catch (err) {
      if (!(err instanceof ListingChangedError) || restart >= LISTING_RESTARTS) throw err;
    }
  }
}
