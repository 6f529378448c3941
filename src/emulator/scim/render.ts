// Stored SCIM records → the resources the directory answers with (RFC 7643 §3, §4): `schemas`, `id`, the stored
// attributes, and `meta` {resourceType, created, lastModified, location}. No `meta.version` and no ETag: WorkOS's
// ETag support is unknown (scim.md §3.12), and advertising one would invite `If-Match` the real server may ignore.
// Users carry no `groups` (whether WorkOS returns it is unverified, §13.4); groups list their `members` with
// `display` (the member's current userName), `$ref` and `type: "User"`.

import { SCIM_SCHEMAS, type ScimGroup, type ScimListResponse, type ScimUser } from '../../clients/wire.js';
import type { ScimDirectory } from './directory.js';
import type { ScimGroupRecord, ScimRecord } from './records.js';

/** `http://host:port/scim/v2.0/<directory>`: the base of every `location` and `$ref`. */
export function directoryBase(origin: string, dir: ScimDirectory): string {
  return `${origin}/scim/v2.0/${dir.key}`;
}

export function userResource(rec: ScimRecord, base: string): ScimUser {
  const { schemas, ...attributes } = rec.data;
  return {
    schemas: Array.isArray(schemas) ? (schemas as string[]) : [SCIM_SCHEMAS.user],
    id: rec.id,
    ...(attributes as Omit<ScimUser, 'schemas' | 'id' | 'active'>),
    active: rec.data.active !== false,
    meta: { resourceType: 'User', created: rec.created, lastModified: rec.lastModified, location: `${base}/Users/${rec.id}` },
  };
}

export function groupResource(rec: ScimGroupRecord, base: string, dir: ScimDirectory): ScimGroup {
  const { schemas, members, ...attributes } = rec.data;
  const list = Array.isArray(members) ? (members as Array<{ value: string }>) : [];
  return {
    schemas: Array.isArray(schemas) ? (schemas as string[]) : [SCIM_SCHEMAS.group],
    id: rec.id,
    ...(attributes as Omit<ScimGroup, 'schemas' | 'id' | 'members'>),
    members: list.map((m) => {
      const user = dir.users.get(m.value);
      return {
        value: m.value,
        ...(user && { display: dir.userName(user) }),
        $ref: `${base}/Users/${m.value}`,
        type: 'User',
      };
    }),
    meta: { resourceType: 'Group', created: rec.created, lastModified: rec.lastModified, location: `${base}/Groups/${rec.id}` },
  };
}

/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5), at the level of top-level attributes: a sub-attribute
 * path keeps or drops its whole parent (`name.givenName` keeps `name`). `schemas` and `id` are always returned.
 */
export function selectAttributes<T extends object>(resource: T, attributes: string[], excluded: string[]): T {
  const top = (list: string[]): Set<string> => new Set(list.map((a) => a.split('.')[0]!.trim().toLowerCase()).filter((a) => a));
  const keep = top(attributes);
  const drop = top(excluded);
  if (keep.size === 0 && drop.size === 0) return resource;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(resource)) {
    const lower = k.toLowerCase();
    const always = lower === 'schemas' || lower === 'id';
    if (!always && keep.size > 0 && !keep.has(lower)) continue;
    if (!always && drop.has(lower)) continue;
    out[k] = v;
  }
  return out as T;
}

export function listResponse<T>(resources: T[], total: number, startIndex: number): ScimListResponse<T> {
  return {
    schemas: [SCIM_SCHEMAS.listResponse],
    totalResults: total,
    startIndex,
    // RFC 7644 §3.4.2: the number of resources in this page (SCIMMY reports the requested count instead).
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
