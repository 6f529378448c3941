// Small constructors for changes and diagnostics, so every per-kind planner builds them the same way.

import { address } from '../model/address.js';
import type { KindAttrs, ResourceKind } from '../model/kinds.js';
import type { SourcePos } from '../model/desired.js';
import type { Diagnostic, Severity } from '../model/diagnostic.js';
import { fingerprint } from '../model/fingerprint.js';
import type { Action, ChangeOf } from '../model/plan.js';

export interface ChangeInit<K extends ResourceKind> {
  kind: K;
  key: string;
  action: Action;
  reason: string;
  phase: number;
  id?: string | undefined;
  before?: KindAttrs[K]['before'] | null;
  after?: KindAttrs[K]['after'] | null;
  depends_on?: string[];
  /** the live object this change touches, fingerprinted as read */
  touches?: object | undefined;
  /** creates by name: live objects that already carry the name */
  knownIds?: string[] | undefined;
  pos?: SourcePos | undefined;
  line?: number | undefined;
}

export function change<K extends ResourceKind>(init: ChangeInit<K>): ChangeOf<K> {
  const c: ChangeOf<K> = {
    address: address(init.kind, init.key),
    kind: init.kind,
    key: init.key,
    action: init.action,
    reason: init.reason,
    phase: init.phase,
    before: init.before ?? null,
    after: init.after ?? null,
    depends_on: init.depends_on ?? [],
    // derived from the change itself in plan() (model/removals.ts), never set by a per-kind planner
    removal: false,
  };
  if (init.id !== undefined) c.id = init.id;
  if (init.touches) c.fingerprint = fingerprint(init.touches);
  if (init.knownIds) c.known_ids = init.knownIds;
  const line = init.line ?? init.pos?.line;
  if (line !== undefined) c.line = line;
  return c;
}

export function diag(
  severity: Severity,
  code: string,
  message: string,
  where: { address?: string; pos?: SourcePos | undefined; line?: number | undefined; file?: string } = {},
): Diagnostic {
  const d: Diagnostic = { severity, code, message };
  if (where.address) d.address = where.address;
  const file = where.pos?.file ?? where.file;
  if (file) d.file = file;
  const line = where.pos?.line ?? where.line;
  if (line !== undefined) d.line = line;
  if (where.pos?.column !== undefined) d.column = where.pos.column;
  return d;
}

/** Items listed under a key each (a container's members by its id, live objects by name), in their order. */
export function groupBy<K, V>(items: Iterable<V>, keyOf: (v: V) => K): Map<K, V[]> {
  const out = new Map<K, V[]>();
  // appended in place: a spread would copy the list per item, quadratic in a container's size (issue 7)
  for (const v of items) appendTo(out, keyOf(v), v);
  return out;
}

/** Adds `value` to the list under `key` in place (never `[...list, value]`, which is quadratic; issue 7). */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
