// The opaque `page` cursor of the group endpoints (§2.9 scheme 2): query `limit` (1–1000, default 20) and
// `page=<next_page>`; answer `{data, has_more, next_page}` with `next_page` null at the end. A token names the
// listing it was issued for and the position after which the next page starts, so it stays valid when objects
// before or after it are added or removed. A token that does not decode, or was issued for another listing, is a
// 400 (§16 q1 leaves the status of a bad cursor open; 400 matches the ID-cursor choice in pagination.ts).

import { badRequest } from './failure.js';
import { parseLimit } from './pagination.js';

export interface TokenPageRequest {
  limit: number;
  /** Position after which the page starts; absent for the first page. */
  afterSeq?: number;
}

const PREFIX = 'page_';

export function encodePageToken(listing: string, afterSeq: number): string {
  return PREFIX + Buffer.from(JSON.stringify({ l: listing, s: afterSeq }), 'utf8').toString('base64url');
}

function decodePageToken(token: string, listing: string): number {
  const invalid = badRequest(`page: '${token}' is not a valid page token for this listing`);
  if (!token.startsWith(PREFIX)) throw invalid;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const v = value as { l?: unknown; s?: unknown } | null;
  if (typeof v !== 'object' || v === null || v.l !== listing || typeof v.s !== 'number' || !Number.isInteger(v.s) || v.s < 0) {
    throw invalid;
  }
  return v.s;
}

/** Reads `limit` and `page` for `listing` (e.g. `rbac_groups`, `rbac_groups/<id>/members`); violations are 400s. */
export function parseTokenPageRequest(query: URLSearchParams, listing: string): TokenPageRequest {
  const limit = parseLimit(query);
  const page = query.get('page');
  if (page === null) return { limit };
  return { limit, afterSeq: decodePageToken(page, listing) };
}

