// Request bodies of the SCIM client, in the strict forms only (scim.md "Top pitfalls — Client" item 4): `schemas`
// on every body, lowercase `op`, real booleans, filter-path removes, and no `null` anywhere — WorkOS answers 400
// "'externalId' is expected string, received null" (scim.md §3.17), so an absent attribute is left out.

import { memberValuePath } from './scim-filter.js';
import { SCIM_SCHEMAS, type ScimGroupCreate, type ScimPatchOperation, type ScimPatchRequest, type ScimUserCreate } from './wire.js';

/** A deep copy without `null`/`undefined` values (object keys dropped, array entries removed). */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.filter((v) => v !== null && v !== undefined).map((v) => withoutNulls(v)) as T;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = withoutNulls(v);
    return out as T;
  }
  return value;
}

/** POST /Users. `active` must be a boolean when given (a string is refused with 400 invalidSyntax, §3.17). */
export function userCreateBody(user: ScimUserCreate): Record<string, unknown> {
  if (typeof user.userName !== 'string' || user.userName.trim() === '') throw new TypeError('userName must be a non-empty string');
  if (user.active !== undefined && typeof user.active !== 'boolean') throw new TypeError('active must be a boolean');
  const { userName, ...rest } = withoutNulls(user);
  return { schemas: [SCIM_SCHEMAS.user], userName, ...rest };
}

/** POST /Groups with `members` as `[{value: id}]` (RFC 7643 §4.2). */
export function groupCreateBody(group: ScimGroupCreate): Record<string, unknown> {
  if (typeof group.displayName !== 'string' || group.displayName.trim() === '') {
    throw new TypeError('displayName must be a non-empty string');
  }
  const body: Record<string, unknown> = { schemas: [SCIM_SCHEMAS.group], displayName: group.displayName };
  if (group.externalId !== undefined && group.externalId !== null) body['externalId'] = group.externalId;
  if (group.members !== undefined && group.members !== null) body['members'] = memberValues(group.members);
  return body;
}

export function patchBody(...operations: ScimPatchOperation[]): ScimPatchRequest {
  return { schemas: [SCIM_SCHEMAS.patchOp], Operations: operations.map((o) => withoutNulls(o)) };
}

/** `{"op":"replace","path":"active","value":<boolean>}` — a JSON boolean, never Entra's "False" (scim.md §3.10). */
export function setActiveBody(active: boolean): ScimPatchRequest {
  if (typeof active !== 'boolean') throw new TypeError('active must be a boolean');
  return patchBody({ op: 'replace', path: 'active', value: active });
}

export function renameGroupBody(displayName: string): ScimPatchRequest {
  if (typeof displayName !== 'string' || displayName.trim() === '') throw new TypeError('displayName must be a non-empty string');
  return patchBody({ op: 'replace', path: 'displayName', value: displayName });
}

/** `{"op":"add","path":"members","value":[{"value":id},…]}`; re-adding a member is a success (RFC 7644 §3.5.2.1). */
export function addMembersBody(userIds: readonly string[]): ScimPatchRequest {
  return patchBody({ op: 'add', path: 'members', value: memberValues(userIds) });
}

/** `{"op":"remove","path":"members[value eq \"id\"]"}` — the RFC form, not Entra's remove-with-value. */
export function removeMemberBody(userId: string): ScimPatchRequest {
  return patchBody({ op: 'remove', path: memberValuePath(userId) });
}

function memberValues(userIds: readonly string[]): Array<{ value: string }> {
  return userIds.map((id) => {
    if (typeof id !== 'string' || id === '') throw new TypeError('a member id must be a non-empty string');
    return { value: id };
  });
}
