// Guards of SCIM resources as servers send them. Tolerant where servers differ (scim.md "Top pitfalls — Client"
// item 3): `active` may come as Entra-era "True"/"False" strings and is coerced, an absent `active` reads as true
// (SCIMMY leaves it out when never set); the fields the tool relies on (`id`, `userName`, `displayName`, member
// `value`s) are checked and a body without them is a `MalformedResponseError`.

import { MalformedResponseError, type RequestInfo } from '../errors.js';
import { isObject } from './send.js';
import type { ScimGroup, ScimUser } from './wire.js';

export function parseScimUser(body: unknown, req: RequestInfo): ScimUser {
  const b = requireResource(body, req, 'User');
  requireField(b, 'userName', req);
  const active = b['active'];
  if (typeof active === 'boolean') return b as unknown as ScimUser;
  if (active === undefined) return { ...(b as unknown as ScimUser), active: true };
  if (typeof active === 'string' && /^(true|false)$/i.test(active.trim())) {
    return { ...(b as unknown as ScimUser), active: active.trim().toLowerCase() === 'true' };
  }
  throw new MalformedResponseError(req, 'User `active` is not a boolean');
}

export function parseScimGroup(body: unknown, req: RequestInfo): ScimGroup {
  const b = requireResource(body, req, 'Group');
  requireField(b, 'displayName', req);
  const members = b['members'];
  // Okta-facing servers may answer `"members": null` (scim.md §3.9): read as no member list.
  if (members === null) {
    const { members: _dropped, ...rest } = b;
    return rest as unknown as ScimGroup;
  }
  if (members !== undefined) {
    if (!Array.isArray(members) || members.some((m) => !isObject(m) || typeof m['value'] !== 'string')) {
      throw new MalformedResponseError(req, 'Group `members` is not a list of {value}');
    }
  }
  return b as unknown as ScimGroup;
}

/** 200 with the resource, or 204 No Content (RFC 7644 §3.5.2: a server may answer PATCH either way). */
export function parsePatchResult<T>(parse: (body: unknown, req: RequestInfo) => T): (body: unknown, req: RequestInfo) => T | null {
  return (body, req) => (body === null ? null : parse(body, req));
}

function requireResource(body: unknown, req: RequestInfo, kind: string): Record<string, unknown> {
  if (!isObject(body)) throw new MalformedResponseError(req, `expected a SCIM ${kind}`);
  requireField(body, 'id', req);
  return body;
}

function requireField(b: Record<string, unknown>, field: string, req: RequestInfo): void {
  if (typeof b[field] !== 'string' || b[field] === '') throw new MalformedResponseError(req, `\`${field}\` is not a non-empty string`);
}
