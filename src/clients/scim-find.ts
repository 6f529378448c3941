// Picking the one resource a lookup meant. A filter is only a hint: a server may match case-sensitively where the
// RFC says not (SCIMMY matches `userName eq` case-exactly), or ignore the filter and return everything, so the
// client compares again itself. An exact match wins; otherwise, for attributes with caseExact false (userName,
// displayName: RFC 7643 §4.1.1, §4.2), a single case-insensitive match. Two candidates are an error, never a guess.

import { ReconcileError } from '../errors.js';

/** A lookup that must name one resource found several. */
export class AmbiguousMatchError extends ReconcileError {
  readonly candidates: readonly string[];
  constructor(what: string, candidates: readonly string[]) {
    super('ambiguous_match', `${what} matches ${candidates.length} resources (${candidates.join(', ')}); refusing to pick one`);
    this.candidates = candidates;
  }
}

export function pickOne<T extends { id: string }>(
  items: readonly T[],
  valueOf: (item: T) => string | undefined,
  wanted: string,
  opts: { caseExact: boolean; what: string },
): T | undefined {
  const exact = items.filter((i) => valueOf(i) === wanted);
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) throw new AmbiguousMatchError(opts.what, exact.map((i) => i.id));
  if (opts.caseExact) return undefined;
  const folded = wanted.toLowerCase();
  const loose = items.filter((i) => valueOf(i)?.toLowerCase() === folded);
  if (loose.length === 1) return loose[0];
  if (loose.length > 1) throw new AmbiguousMatchError(opts.what, loose.map((i) => i.id));
  return undefined;
}
