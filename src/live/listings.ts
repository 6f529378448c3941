// The machinery the live reads are made of, and nothing of any resource kind (those are in live/kinds.ts): the
// memo that reads each listing at most once per reader, and the small helpers the kinds' reads share.

import { ApiError } from '../errors.js';
import type { Live, Unreadable } from '../model/live.js';
import type { Change } from '../model/plan.js';

/**
 * The listings of one reader, each read at most once (on first need). What is read, and from which sources, is
 * the kinds' business (live/kinds.ts): a listing is `l.once(key, read)`, so a kind adds no method here.
 */
export class Listings<S extends { signal?: AbortSignal | undefined }> {
  readonly src: S;
  readonly #memo = new Map<string, Promise<unknown>>();
  constructor(src: S) {
    this.src = src;
  }

  /** The listing under `key`: read by `read` the first time it is asked for, the same promise after. */
  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let p = this.#memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read();
      // started ahead (a prefetch, a concurrent scope): its failure surfaces where it is awaited, never unhandled
      p.catch(() => undefined);
      this.#memo.set(key, p);
    }
    return p;
  }

  /** The options every request of the reader carries. */
  get opts(): { signal: AbortSignal | undefined } {
    return { signal: this.src.signal };
  }
}

/** The part of Live one kind is read into, or nothing read for it in this scope. */
export type Part = Promise<Partial<Live>> | undefined;

/** A 403 on a listing means the key lacks a scope: that part is unavailable, the rest goes on (issue 4). */
export async function scoped<T>(read: () => Promise<T>, scope: string): Promise<T | Unreadable> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      return { unavailable: true, reason: `the admin key lacks the scope ${scope} (${err.request.method} ${err.request.path} answered 403)` };
    }
    throw err;
  }
}

/** The request path without its query (page size, cursor), for a message. */
export function route(err: ApiError): string {
  return err.request.path.split('?')[0] ?? err.request.path;
}

/** §2.1: workspaces are console-only; an enterprise key gets 404 from the emulator and 404 or 403 from the real API. */
export function refusedAsOtherKind(err: unknown): err is ApiError {
  return err instanceof ApiError && (err.status === 404 || err.status === 403);
}

/** Names of declared containers whose membership the file manages (current names and renamed_from). */
export function managedNames(items: ReadonlyArray<{ name: string; renamedFrom?: string; members?: unknown[]; archived?: boolean; delete?: boolean }>): Set<string> {
  const names = new Set<string>();
  for (const i of items) {
    if (!i.members || i.archived || i.delete) continue;
    names.add(i.name);
    if (i.renamedFrom) names.add(i.renamedFrom);
  }
  return names;
}

/** The members of the readable containers `keep` selects, each container's listing read concurrently. */
export async function membersOf<C, M>(containers: Promise<C[] | Unreadable>, keep: (c: C) => boolean, list: (c: C) => Promise<M[]>): Promise<M[] | undefined> {
  const all = await containers;
  if (!Array.isArray(all)) return undefined;
  return (await Promise.all(all.filter(keep).map(list))).flat();
}

/** A membership's id, `container/user`, in its two parts. */
export function splitId(c: Change): [string, string] {
  const id = c.id ?? '';
  const i = id.indexOf('/');
  return i < 0 ? [id, ''] : [id.slice(0, i), id.slice(i + 1)];
}

/** The id of the container a membership change names: the one it was planned against, or none yet (a create). */
export function containerOf(c: Change, known: unknown): string | undefined {
  if (c.action === 'create') return typeof known === 'string' && known !== '' ? known : undefined;
  return splitId(c)[0];
}
