// The emulator's request counters (`GET /_emulator/state` → `requests`: route template → status → count), read
// before and after a run: what the run cost, how much of it was listing, and how that compares with the minimum.

import { minimumByRoute, type Listing } from './synthetic.js';

export type Counters = Record<string, Record<string, number>>;

/** Requests per route and status made between two snapshots. */
export function diffCountersByStatus(before: Counters, after: Counters): Counters {
  const out: Counters = {};
  for (const [route, byStatus] of Object.entries(after)) {
    for (const [status, count] of Object.entries(byStatus)) {
      const n = count - (before[route]?.[status] ?? 0);
      if (n > 0) (out[route] ??= {})[status] = n;
    }
  }
  return out;
}

/** Requests per route made between two snapshots (every status, 429s included). */
export function diffCounters(before: Counters, after: Counters): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [route, byStatus] of Object.entries(diffCountersByStatus(before, after))) {
    out[route] = Object.values(byStatus).reduce((a, b) => a + b, 0);
  }
  return out;
}

/** A GET of one object (`…/{id}` at the end of the template), which a listing should have made unnecessary. */
export function isObjectGet(route: string): boolean {
  return route.startsWith('GET ') && /\}$/.test(route) && !route.endsWith('/me');
}

/** A request to the SCIM directory (the emulator's route templates start with /scim/). */
export function isScim(route: string): boolean {
  return / \/scim\//.test(route);
}

/** A GET of a collection (not one object, not the organization check). */
export function isListing(route: string): boolean {
  return route.startsWith('GET ') && !isObjectGet(route) && !route.endsWith('/me');
}

export interface ListingCost {
  /** List requests made, per route template of the scenario's listings. */
  byRoute: Record<string, { made: number; minimum: number }>;
  listRequests: number;
  minimum: number;
  /** listRequests ÷ minimum. */
  ratio: number;
  /** Single-object GETs (never needed after a listing). */
  objectGets: number;
  /** Every request of the run, listings and the organization check included. */
  total: number;
  /** Of which to the SCIM directory (its own limit, not the organization's). */
  scim: number;
}

export function listingCost(made: Record<string, number>, listings: readonly Listing[]): ListingCost {
  const minimum = minimumByRoute(listings);
  const byRoute: ListingCost['byRoute'] = {};
  let listRequests = 0;
  let min = 0;
  for (const [route, m] of Object.entries(minimum)) {
    const n = made[route] ?? 0;
    byRoute[route] = { made: n, minimum: m };
    listRequests += n;
    min += m;
  }
  let objectGets = 0;
  let total = 0;
  let scim = 0;
  for (const [route, n] of Object.entries(made)) {
    total += n;
    if (isScim(route)) scim += n;
    if (isObjectGet(route)) objectGets += n;
    else if (isListing(route) && !(route in minimum)) {
      // a listing the scenario did not expect: all of it is over the minimum
      byRoute[route] = { made: n, minimum: 0 };
      listRequests += n;
    }
  }
  return { byRoute, listRequests, minimum: min, ratio: min === 0 ? 0 : listRequests / min, objectGets, total, scim };
}
