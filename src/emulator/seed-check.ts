// The small checks every part of a seed uses: each problem is reported with the path of the bad value and the
// checking goes on, so a seed with mistakes is refused once, with every mistake listed.

import { looksLikeId, type IdPrefix } from './ids.js';

export type Obj = Record<string, unknown>;
export type Bad = (path: string, what: string) => void;

export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks bound to one report (`bad`) and one seed mapping (`root`, for top-level lists). */
export function seedChecks(bad: Bad, root: Obj) {
  const unknownKeys = (obj: Obj, path: string, allowed: readonly string[]): void => {
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k)) bad(path ? `${path}.${k}` : k, `unknown field (allowed: ${allowed.join(', ')})`);
    }
  };
  const str = (obj: Obj, k: string, path: string, required: boolean): string | undefined => {
    const v = obj[k];
    if (v === undefined || v === null) {
      if (required) bad(`${path}.${k}`, 'is required');
      return undefined;
    }
    if (typeof v !== 'string' || v === '') {
      bad(`${path}.${k}`, 'must be a non-empty string');
      return undefined;
    }
    return v;
  };
  /** An RFC 3339 timestamp; YAML may already have parsed one into a Date. */
  const time = (obj: Obj, k: string, path: string): string | undefined => {
    const v = obj[k];
    if (v instanceof Date) {
      if (!Number.isNaN(v.getTime())) return v.toISOString();
      bad(`${path}.${k}`, 'invalid date');
      return undefined;
    }
    const s = str(obj, k, path, false);
    if (s !== undefined && (!RFC3339.test(s) || Number.isNaN(Date.parse(s)))) {
      bad(`${path}.${k}`, `'${s}' is not an RFC 3339 timestamp (e.g. 2026-01-31T09:00:00Z)`);
      return undefined;
    }
    return s;
  };
  /** A top-level list of the seed; absent is empty. */
  const list = (k: string): unknown[] => {
    const v = root[k];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      bad(k, 'must be a list');
      return [];
    }
    return v;
  };
  /**
   * The lifecycle fields of a seeded object that can be archived: `archived`, `archived_at` (which implies
   * `archived: true`) and `created_at`, with `archived_at` not before `created_at`. Sets them on `out`.
   */
  const lifecycle = (item: Obj, path: string, out: { archived?: boolean; archived_at?: string; created_at?: string }): void => {
    if (item.archived !== undefined && item.archived !== null) {
      if (typeof item.archived !== 'boolean') bad(`${path}.archived`, 'must be true or false');
      else out.archived = item.archived;
    }
    const archivedAt = time(item, 'archived_at', path);
    if (archivedAt !== undefined) {
      if (out.archived === false) bad(`${path}.archived_at`, 'contradicts archived: false');
      out.archived_at = archivedAt;
      out.archived = true;
    }
    const created = time(item, 'created_at', path);
    if (created !== undefined) out.created_at = created;
    if (created && archivedAt && Date.parse(archivedAt) < Date.parse(created)) {
      bad(`${path}.archived_at`, 'must not be before created_at');
    }
  };
  return { unknownKeys, str, time, list, lifecycle };
}

/** Checks a seed object's optional id: `<prefix>_…` (§2.10), and used once among the ids this checker saw. */
export type UniqueId = (id: string | undefined, prefix: IdPrefix, path: string) => string | undefined;

export function uniqueIdCheck(bad: Bad): UniqueId {
  const ids = new Set<string>();
  return (id, prefix, path) => {
    if (id === undefined) return undefined;
    if (!looksLikeId(prefix, id)) bad(`${path}.id`, `'${id}' is not a ${prefix}_… id (§2.10)`);
    else if (ids.has(id)) bad(`${path}.id`, `duplicate id '${id}'`);
    ids.add(id);
    return id;
  };
}

/**
 * Visits each item of a seed list that is a mapping, after reporting its fields that are not among `fields`; an
 * item that is not a mapping is reported as `must be a mapping <hint>`. Paths are `<name>[i]`.
 */
export function eachMapping(
  items: readonly unknown[],
  name: string,
  fields: readonly string[],
  hint: string,
  bad: Bad,
  visit: (item: Obj, path: string, i: number) => void,
): void {
  items.forEach((item, i) => {
    const path = `${name}[${i}]`;
    if (!isObj(item)) return bad(path, `must be a mapping ${hint}`);
    for (const k of Object.keys(item)) if (!fields.includes(k)) bad(`${path}.${k}`, `unknown field (allowed: ${fields.join(', ')})`);
    visit(item, path, i);
  });
}
