// Item guards of the Admin API: each checks only the fields the tool relies on and returns the object as its wire
// type. Enums stay open and newer fields optional (§14.1 item 7), so an API that adds a role, a status or a field
// does not break reads. A body that lacks a relied-on field is a `MalformedResponseError` (retryable: a proxy may
// have cut it), raised inside the attempt so the pipeline retries it like any other transient failure.

import { MalformedResponseError, type RequestInfo } from '../errors.js';
import type {
  ApiKey,
  ApiKeyScope,
  RbacGroup,
  RbacGroupMember,
  RbacGroupMemberDeleted,
  WireApiKey,
  WireServiceAccount,
  WireServiceAccountWorkspaceMember,
  WireInvite,
  WireOrganization,
  WireRbacGroupMember,
  WireRbacRole,
  WireRbacRolePermission,
  WireUser,
  WireWorkspace,
  WireWorkspaceMember,
} from './wire.js';

/**
 * §9.1 and 2026-10-21. The key's place is returned as `scope`, the one field readers use (`apiKeyWorkspaceId`):
 * 2026-10-21 sends `scope` (the real workspace id, the Default Workspace's too, or `organization`); older versions
 * send no `scope` and a top-level `workspace_id`, null for the Default Workspace. `scope` wins when both are
 * present, so a key read with a scope is never taken for a Default Workspace key. A key with neither is malformed:
 * reading its absence as "Default Workspace" would misplace every key of a version that dropped both.
 * Both `principal` shapes pass (§15 item 2).
 */
export function parseApiKey(body: unknown, req: RequestInfo): ApiKey {
  const b = requireObject(body, req);
  requireString(b, 'id', req);
  requireString(b, 'name', req);
  requireString(b, 'status', req);
  const { workspace_id: legacy, scope: rawScope, ...rest } = b;
  let scope: ApiKeyScope;
  if (rawScope !== undefined) {
    scope = parseScope(rawScope, req);
  } else if (typeof legacy === 'string') {
    scope = { type: 'workspace', workspace_id: legacy };
  } else if (legacy === null) {
    scope = { type: 'default_workspace' };
  } else {
    throw new MalformedResponseError(req, 'neither `scope` nor the legacy `workspace_id` says where the key belongs');
  }
  return { ...rest, scope } as unknown as ApiKey;
}

function parseScope(v: unknown, req: RequestInfo): ApiKeyScope {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new MalformedResponseError(req, '`scope` is not an object');
  const s = v as Record<string, unknown>;
  if (s['type'] === 'organization') return { type: 'organization' };
  if (s['type'] === 'workspace') {
    if (typeof s['workspace_id'] !== 'string') throw new MalformedResponseError(req, '`scope.workspace_id` is not a string');
    return { type: 'workspace', workspace_id: s['workspace_id'] };
  }
  // An unknown scope kind could hold a key anywhere: refusing it is safer than placing the key somewhere.
  throw new MalformedResponseError(req, `\`scope.type\` is not "workspace" or "organization"`);
}

/**
 * The workspace of an API key: its id, or null for a key of the organization (2026-10-21 `scope.type:
 * "organization"`) or of the Default Workspace as versions before 2026-10-21 write it. The one place that reads a
 * key's place; it also accepts an unparsed key of either shape (test doubles of the live readers build those).
 */
export function apiKeyWorkspaceId(k: ApiKey | WireApiKey): string | null {
  if (k.scope !== undefined) return k.scope.type === 'workspace' ? k.scope.workspace_id : null;
  return (k as WireApiKey).workspace_id ?? null;
}

/** §11.1: `source_type` decides whether the group may be changed (`scim` groups are read-only, §11.2). `role_ids`
 *  (older versions: `roles`) is normalized to `role_ids`, null when absent or null (role data unavailable). */
export function parseRbacGroup(body: unknown, req: RequestInfo): RbacGroup {
  const b = requireObject(body, req);
  requireString(b, 'id', req);
  requireString(b, 'name', req);
  requireString(b, 'source_type', req);
  const { roles: legacy, role_ids: current, ...rest } = b;
  const roleIds = current !== undefined ? current : legacy;
  const field = current !== undefined ? 'role_ids' : 'roles';
  if (roleIds !== undefined && roleIds !== null && !(Array.isArray(roleIds) && roleIds.every((r) => typeof r === 'string'))) {
    throw new MalformedResponseError(req, `\`${field}\` is neither a list of strings nor null`);
  }
  return { ...rest, role_ids: (roleIds ?? null) as string[] | null } as unknown as RbacGroup;
}

/** §11.2: the group id is what the live state files the membership under; without it the member would count as
 *  belonging to no group, and the plan would add them again. 2026-10-21 calls it `rbac_group_id`, older versions
 *  `group_id`; it is returned as `rbac_group_id`. */
export function parseRbacGroupMember(body: unknown, req: RequestInfo): RbacGroupMember {
  const b = requireObject(body, req);
  requireString(b, 'user_id', req);
  const { group_id: _legacy, ...rest } = b;
  return { ...rest, rbac_group_id: requireGroupId(b, req) } as unknown as RbacGroupMember;
}

/** The receipt of `DELETE …/rbac_groups/{id}/members/{user_id}`, normalized like a member. When the body names no
 *  group (a bare `{}` from a proxy), the request's own ids are the receipt. */
export function parseRbacGroupMemberDeleted(body: unknown, req: RequestInfo, sent: RbacGroupMemberDeleted): RbacGroupMemberDeleted {
  const b = requireObject(body, req);
  if (b['rbac_group_id'] === undefined && b['group_id'] === undefined) return sent;
  return { type: 'rbac_group_member_deleted', rbac_group_id: requireGroupId(b, req), user_id: typeof b['user_id'] === 'string' ? b['user_id'] : sent.user_id };
}

/** The group id of a member of either shape (a parsed one always has `rbac_group_id`). */
export function rbacGroupIdOf(m: WireRbacGroupMember): string {
  return 'rbac_group_id' in m ? m.rbac_group_id : m.group_id;
}

function requireGroupId(b: Record<string, unknown>, req: RequestInfo): string {
  const current = b['rbac_group_id'];
  if (typeof current === 'string') return current;
  if (current !== undefined) throw new MalformedResponseError(req, '`rbac_group_id` is not a string');
  const legacy = b['group_id'];
  if (typeof legacy === 'string') return legacy;
  // Worded so that the older message ("`group_id` is not a string") still leads it.
  throw new MalformedResponseError(req, '`group_id` is not a string, and neither is `rbac_group_id`');
}

/** 2026-10-21 RBAC role: `display_name` (older: the deprecated `name`), returned as `display_name`. */
export function parseRbacRole(body: unknown, req: RequestInfo): WireRbacRole {
  const b = requireObject(body, req);
  const id = requireString(b, 'id', req);
  const name = typeof b['display_name'] === 'string' ? b['display_name'] : b['name'];
  if (typeof name !== 'string') throw new MalformedResponseError(req, '`display_name` (or the legacy `name`) is not a string');
  const role: WireRbacRole = { id, display_name: name };
  const source = b['source'];
  if (source !== undefined && source !== null) {
    if (typeof source !== 'object' || Array.isArray(source) || typeof (source as Record<string, unknown>)['type'] !== 'string') {
      throw new MalformedResponseError(req, '`source` is not an object with a string `type`');
    }
    role.source = { type: (source as Record<string, string>)['type']! };
  }
  return role;
}

/** 2026-10-21 RBAC role permission: `action` and a `resource` whose `type` names its kind (open set). */
export function parseRbacRolePermission(body: unknown, req: RequestInfo): WireRbacRolePermission {
  const b = requireObject(body, req);
  requireString(b, 'action', req);
  const resource = b['resource'];
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource) || typeof (resource as Record<string, unknown>)['type'] !== 'string') {
    throw new MalformedResponseError(req, '`resource` is not an object with a string `type`');
  }
  return b as unknown as WireRbacRolePermission;
}

/** The body must be a JSON object (a deletion receipt whose fields the caller already knows). */
export function requireObject(body: unknown, req: RequestInfo): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new MalformedResponseError(req, 'the body is not an object');
  }
  return body as Record<string, unknown>;
}

export function requireString(body: unknown, field: string, req: RequestInfo): string {
  const v = requireObject(body, req)[field];
  if (typeof v !== 'string') throw new MalformedResponseError(req, `\`${field}\` is not a string`);
  return v;
}

function requireNullableString(body: unknown, field: string, req: RequestInfo): void {
  const v = requireObject(body, req)[field];
  // Absent counts as null: the oldest documented shape has the field, but a tolerant reader must not depend on it.
  if (v !== undefined && v !== null && typeof v !== 'string') {
    throw new MalformedResponseError(req, `\`${field}\` is neither a string nor null`);
  }
}

/** What a field of an item must be; `?`: or null (absent counts as null). */
type FieldRule = 'string' | 'string?' | 'number' | 'number?' | 'boolean' | 'boolean?';

/**
 * The guard of an item whose only rules are its fields' types (most items): `fields<WireUser>({ id: 'string', … })`.
 * The fields are checked in the order given and named by the wire type, so a misspelt one fails to compile.
 */
export function fields<T>(rules: { readonly [K in keyof T & string]?: FieldRule }): (body: unknown, req: RequestInfo) => T {
  const list = Object.entries(rules) as Array<[string, FieldRule]>;
  return (body, req) => {
    for (const [field, rule] of list) {
      if (rule === 'string') requireString(body, field, req);
      else if (rule === 'string?') requireNullableString(body, field, req);
      else requireTyped(body, field, rule, req);
    }
    // with no rules, still an object (a body the guard cannot read fields of is malformed)
    requireObject(body, req);
    return body as T;
  };
}

function requireTyped(body: unknown, field: string, rule: 'number' | 'number?' | 'boolean' | 'boolean?', req: RequestInfo): void {
  const v = requireObject(body, req)[field];
  const nullable = rule.endsWith('?');
  const type = nullable ? rule.slice(0, -1) : rule;
  if (nullable && (v === undefined || v === null)) return;
  if (typeof v !== type || (type === 'number' && !Number.isFinite(v))) {
    throw new MalformedResponseError(req, `\`${field}\` is not a ${type}${nullable ? ' nor null' : ''}`);
  }
}
