// The machinery of the saved-plan check (live/stale.ts), and nothing of any resource kind (how each kind is judged
// is in live/kinds.ts): the verdicts, the usual judgement of a change that names a live object, and the snapshot
// of the listings a plan's changes are judged against, indexed once per check.

import { fingerprint } from '../model/fingerprint.js';
import type { ResourceKind } from '../model/kinds.js';
import { dependencyOf, type Change } from '../model/plan.js';
import type { Listings } from './listings.js';

export type Verdict = { state: 'ready' } | { state: 'done'; why: string; id?: string } | { state: 'stale'; why: string };

export const READY: Verdict = { state: 'ready' };
export const done = (why: string, id?: string): Verdict => (id === undefined ? { state: 'done', why } : { state: 'done', why, id });
export const stale = (why: string): Verdict => ({ state: 'stale', why });

/** A non-empty string attribute, or undefined. */
export function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The ids of the creates this check found done already, by address (their dependents use them). */
export type Made = ReadonlyMap<string, string>;

/** The listings the reader read for the plan (live/read.ts, scope `touched`), and their indexes, each built once. */
export class Snapshot<S extends { signal?: AbortSignal | undefined }> {
  readonly listings: Listings<S>;
  /** the clock: a pending invite whose `expires_at` has passed is expired, as the planner counts it */
  readonly now: Date | undefined;
  readonly #memo = new Map<string, Promise<unknown>>();
  constructor(listings: Listings<S>, now: Date | undefined) {
    this.listings = listings;
    this.now = now;
  }

  /** The index under `key`, built by `build` the first time it is asked for. */
  index<T>(key: string, build: () => Promise<T>): Promise<T> {
    let p = this.#memo.get(key) as Promise<T> | undefined;
    if (!p) this.#memo.set(key, (p = build()));
    return p;
  }
}

export function byUser<M extends { userId: string }>(members: readonly M[]): Map<string, M> {
  return new Map(members.map((m) => [m.userId, m]));
}

/** The usual judgement of a change that names a live object: unchanged, already as planned, or stale. */
export function judgeExisting<T extends object>(c: Change, obj: T | undefined, atAfter: (o: T) => boolean, goneIsDone: boolean): Verdict {
  if (!obj) return goneIsDone ? done('is gone already') : stale('is gone since the plan was made');
  if (fingerprint(obj) === c.fingerprint) return READY;
  if (c.action !== 'delete' && atAfter(obj)) return done('is already as planned');
  return stale('changed since the plan was made');
}

/** The id of the `kind` object a create depends on: known at plan time, or found done by this check. */
export function madeId(c: Change, known: string | undefined, kind: ResourceKind, made: Made): string | undefined {
  if (known !== undefined && known !== '') return known;
  const dep = dependencyOf(c, kind);
  return dep === undefined ? undefined : made.get(dep);
}
