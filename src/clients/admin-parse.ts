// Item guards of the Admin API: each checks only the fields the tool relies on and returns the object as its wire
// type. Enums stay open and newer fields optional (§14.1 item 7), so an API that adds a role, a status or a field
// does not break reads. A body that lacks a relied-on field is a `MalformedResponseError` (retryable: a proxy may
// have cut it), raised inside the attempt so the pipeline retries it like any other transient failure.

import { MalformedResponseError, type RequestInfo } from '../errors.js';
import type {
  WireApiKey,
  WireInvite,
  WireOrganization,
  WireRbacGroup,
  WireRbacGroupMember,
  WireUser,
  WireWorkspace,
  WireWorkspaceMember,
} from './wire.js';

export function parseOrganization(body: unknown, req: RequestInfo): WireOrganization {
  requireString(body, 'id', req);
  requireString(body, 'name', req);
  return body as WireOrganization;
}

export function parseUser(body: unknown, req: RequestInfo): WireUser {
  requireString(body, 'id', req);
  requireString(body, 'email', req);
  requireString(body, 'role', req);
  return body as WireUser;
}

export function parseInvite(body: unknown, req: RequestInfo): WireInvite {
  requireString(body, 'id', req);
  requireString(body, 'email', req);
  requireString(body, 'role', req);
  requireString(body, 'status', req);
  return body as WireInvite;
}

/** §7.2: `archived_at` is null unless archived; the planner reads it, so its type is checked too. */
export function parseWorkspace(body: unknown, req: RequestInfo): WireWorkspace {
  requireString(body, 'id', req);
  requireString(body, 'name', req);
  requireNullableString(body, 'archived_at', req);
  return body as WireWorkspace;
}

/** §8.1 */
export function parseWorkspaceMember(body: unknown, req: RequestInfo): WireWorkspaceMember {
  requireString(body, 'user_id', req);
  requireString(body, 'workspace_id', req);
  requireString(body, 'workspace_role', req);
  return body as WireWorkspaceMember;
}

/** §9.1: `workspace_id` is null for the Default Workspace; both `principal` shapes pass (§15 item 2). */
export function parseApiKey(body: unknown, req: RequestInfo): WireApiKey {
  requireString(body, 'id', req);
  requireString(body, 'name', req);
  requireString(body, 'status', req);
  return body as WireApiKey;
}

/** §11.1: `source_type` decides whether the group may be changed (`scim` groups are read-only, §11.2). */
export function parseRbacGroup(body: unknown, req: RequestInfo): WireRbacGroup {
  requireString(body, 'id', req);
  requireString(body, 'name', req);
  requireString(body, 'source_type', req);
  return body as WireRbacGroup;
}

/** §11.2: `group_id` is what the live state files the membership under; without it the member would count as
 *  belonging to no group, and the plan would add them again. */
export function parseRbacGroupMember(body: unknown, req: RequestInfo): WireRbacGroupMember {
  requireString(body, 'user_id', req);
  requireString(body, 'group_id', req);
  return body as WireRbacGroupMember;
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
