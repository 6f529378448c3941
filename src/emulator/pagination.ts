// ID-cursor pagination (§2.9, §14.2): `limit` 1–1000 (default 20), at most one of `after_id` / `before_id`,
// exclusive cursors, `has_more` only in the requested direction, `first_id`/`last_id` null on an empty page.

import type { IdPage } from '../clients/wire.js';
import { badRequest } from './failure.js';
import { compareKeys, type SortedIndex, type SortKey } from './sorted-index.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 1000;

export interface PageRequest {
  limit: number;
  /** Cursor id and the direction to read from it; absent for the first page. */
  cursor?: { id: string; direction: 'after' | 'before' };
}

/** `limit`: default 20, an integer from 1 to 1000, else 400 (§2.9; every paginated listing, both cursor kinds). */
export function parseLimit(query: URLSearchParams): number {
  const rawLimit = query.get('limit');
  if (rawLimit === null) return DEFAULT_LIMIT;
  if (!/^\d+$/.test(rawLimit)) throw badRequest(`limit: Input should be a valid integer, got '${rawLimit}'`);
  const limit = Number(rawLimit);
  if (limit < 1 || limit > MAX_LIMIT) {
    throw badRequest(`limit: Input should be between 1 and ${MAX_LIMIT} (inclusive), got ${rawLimit}`);
  }
  return limit;
}

/** Reads `limit`, `after_id`, `before_id` from the query; every violation is a 400 (§2.9; statuses I, §16 q1). */
export function parsePageRequest(query: URLSearchParams): PageRequest {
  const limit = parseLimit(query);
  const after = query.get('after_id');
  const before = query.get('before_id');
  if (after !== null && before !== null) {
    throw badRequest('Cannot specify both after_id and before_id; use at most one cursor');
  }
  if (after !== null) return { limit, cursor: { id: after, direction: 'after' } };
  if (before !== null) return { limit, cursor: { id: before, direction: 'before' } };
  return { limit };
}

/**
 * One page over the merge of disjoint sorted `sources`, keeping ids that `accept`. Reads only as far as the page
 * needs (plus one entry to learn `has_more`). `cursorKey` is the position of the cursor object, resolved by the
 * caller (an unknown cursor is a 400 there). Returned ids are in listing order.
 */
export function readPage(
  sources: SortedIndex[],
  limit: number,
  cursor: { key: SortKey; direction: 'after' | 'before' } | undefined,
  accept: (id: string) => boolean = () => true,
): { ids: string[]; hasMore: boolean } {
  const backward = cursor?.direction === 'before';
  // Forward: each pointer starts at the first entry after the cursor. Backward: at the last entry before it.
  const pointers = sources.map((s) => {
    if (!cursor) return 0;
    return backward ? s.lowerBound(cursor.key) - 1 : s.upperBound(cursor.key);
  });
  const found: string[] = [];
  while (found.length <= limit) {
    let best = -1;
    for (let i = 0; i < sources.length; i++) {
      const entry = sources[i]!.at(pointers[i]!);
      if (!entry) continue;
      const current = best < 0 ? undefined : sources[best]!.at(pointers[best]!);
      const order = current ? compareKeys(entry.key, current.key) : 0;
      if (!current || (backward ? order > 0 : order < 0)) best = i;
    }
    if (best < 0) break;
    const entry = sources[best]!.at(pointers[best]!)!;
    pointers[best] = pointers[best]! + (backward ? -1 : 1);
    if (accept(entry.id)) found.push(entry.id);
  }
  const hasMore = found.length > limit;
  const ids = found.slice(0, limit);
  if (backward) ids.reverse();
  return { ids, hasMore };
}

export function toIdPage<T extends { id: string }>(data: T[], hasMore: boolean): IdPage<T> {
  return {
    data,
    has_more: hasMore,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
  };
}

/** The position of a listing's cursor object; §16 q1: the status of an unknown cursor is undocumented, 400 is the emulator's choice. */
export function cursorKey(id: string, key: SortKey | undefined, direction: 'after' | 'before'): SortKey {
  if (!key) throw badRequest(`${direction}_id: no object with id '${id}' in this listing`);
  return key;
}
