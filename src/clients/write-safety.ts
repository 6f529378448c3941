// Read-before-write for creates that the API does not make idempotent (architecture habit 7). A workspace (§7.3)
// or an RBAC group (§11.2) created twice is two objects: group names are "not uniqueness-enforced" (§11.1) and
// workspace names are not documented as unique. So after a failure that may have reached the server (timeout,
// connection lost, 5xx), the client lists the objects with that name and compares them with the ones that existed
// before the first attempt: exactly one new object is the earlier attempt's result; none means the POST may be sent
// again; more than one cannot be attributed, and the call stops rather than guess or add a third.

import { ReconcileError } from '../errors.js';
import type { WriteSafety } from './retry.js';

/** After an ambiguous failure, the objects that may be the write's result cannot be told apart. Not retried. */
export class AmbiguousWriteError extends ReconcileError {
  /** Ids of the candidates, for a human to inspect. */
  readonly candidates: readonly string[];
  constructor(label: string, detail: string, candidates: readonly string[]) {
    super('ambiguous_write', `${label}: ${detail}; refusing to guess or to write again`, { retryable: false });
    this.candidates = candidates;
  }
}

export interface CreateByNameSpec<T extends { id: string }> {
  /** For messages, for example `POST /v1/organizations/rbac_groups`. */
  label: string;
  /** The name the create sends; candidates must carry exactly this name. */
  name: string;
  /** What the listing calls an object's name, and any other condition a candidate must meet. */
  matches: (item: T) => boolean;
  /**
   * Ids of the objects that already had this name before the call, as the caller's live read saw them. When
   * absent, they are read here first (one listing); pass `[]` when the caller knows there are none.
   */
  knownIds?: readonly string[] | undefined;
  /** Reads the listing; `retry: false` is used inside the recovery, which the outer call already retries. */
  list: (signal: AbortSignal | undefined, retry: boolean) => AsyncIterable<T>;
  /** Sends the create with the safety built here. */
  create: (safety: WriteSafety<T>) => Promise<T>;
  signal?: AbortSignal | undefined;
}

/** Runs a create whose repetition after an ambiguous failure is decided by a lookup by name. */
export async function createByName<T extends { id: string }>(spec: CreateByNameSpec<T>): Promise<T> {
  const known = new Set(spec.knownIds ?? (await idsMatching(spec.list(spec.signal, true), spec.matches)));
  return spec.create({
    recover: async (signal) => {
      const fresh: T[] = [];
      for await (const item of spec.list(signal, false)) {
        if (spec.matches(item) && !known.has(item.id)) fresh.push(item);
      }
      if (fresh.length === 1) return fresh[0];
      if (fresh.length === 0) return undefined;
      throw new AmbiguousWriteError(
        spec.label,
        `after an ambiguous failure, ${fresh.length} new objects named ${JSON.stringify(spec.name)} exist`,
        fresh.map((f) => f.id),
      );
    },
  });
}

async function idsMatching<T extends { id: string }>(items: AsyncIterable<T>, matches: (item: T) => boolean): Promise<string[]> {
  const ids: string[] = [];
  for await (const item of items) if (matches(item)) ids.push(item.id);
  return ids;
}
