// The one place where the two shape sets of the Admin API differ (api-version.ts): each object the emulator serves
// is rendered here from its record, for the version the request asked for. Routes never build these shapes
// themselves. The 2026-10-21 shapes are those the official SDK 1.17.0 declares (resources/organization/**.d.ts);
// test/sdk checks every answer against JSON Schemas generated from those types.
//
// Shapes that differ (legacy → 2026-10-21):
// - RBAC group: `roles` → `role_ids`.
// - RBAC group member (list item, add answer) and its deletion: `group_id` → `rbac_group_id`.
// - API key: the deprecated `workspace_id` (null for the Default Workspace) is dropped; `scope` carries the real id.
// - Workspace: `user_profile_id` is added.
// - Token pages (`page`/`next_page`): `has_more` is dropped (SDK PageCursor: `{data, next_page}`).
// - RBAC role: `name` → `display_name`, and `source` is added.
// - Errors: `error.details.error_code` is sent (pipeline; failure.ts).

import type { ShapeVersion } from './api-version.js';
import { encodePageToken } from './groups-page-token.js';
import type { ApiKeyRecord } from './api-key-store.js';
import type { GroupMembershipRecord, RbacGroupRecord } from './groups-store.js';
import type { RbacPermission, RbacRoleRecord } from './rbac-roles.js';
import type { WorkspaceRecord } from './workspaces-store.js';

// ---- RBAC groups ----

interface GroupCommon {
  id: string;
  type: 'rbac_group';
  name: string;
  source_type: 'direct' | 'scim';
  created_at: string;
  updated_at: string;
}
export type LegacyRbacGroup = GroupCommon & { roles: string[] | null };
export type SdkRbacGroup = GroupCommon & { role_ids: string[] | null };

export function renderGroup(g: RbacGroupRecord, v: ShapeVersion): LegacyRbacGroup | SdkRbacGroup {
  const common: GroupCommon = {
    id: g.id,
    type: 'rbac_group',
    name: g.name,
    source_type: g.sourceType,
    created_at: g.createdAt,
    updated_at: g.updatedAt,
  };
  return v === '2026-10-21' ? { ...common, role_ids: [...g.roles] } : { ...common, roles: [...g.roles] };
}

export interface LegacyRbacGroupMember {
  type: 'rbac_group_member';
  group_id: string;
  user_id: string;
  email: string;
  created_at: string;
}
export interface SdkRbacGroupMember {
  type: 'rbac_group_member';
  rbac_group_id: string;
  user_id: string;
  email: string;
  created_at: string;
}

export function renderGroupMember(
  groupId: string,
  m: GroupMembershipRecord,
  email: string,
  v: ShapeVersion,
): LegacyRbacGroupMember | SdkRbacGroupMember {
  return v === '2026-10-21'
    ? { type: 'rbac_group_member', rbac_group_id: groupId, user_id: m.userId, email, created_at: m.createdAt }
    : { type: 'rbac_group_member', group_id: groupId, user_id: m.userId, email, created_at: m.createdAt };
}

export function renderGroupMemberDeleted(
  groupId: string,
  userId: string,
  v: ShapeVersion,
):
  | { type: 'rbac_group_member_deleted'; group_id: string; user_id: string }
  | { type: 'rbac_group_member_deleted'; rbac_group_id: string; user_id: string } {
  return v === '2026-10-21'
    ? { type: 'rbac_group_member_deleted', rbac_group_id: groupId, user_id: userId }
    : { type: 'rbac_group_member_deleted', group_id: groupId, user_id: userId };
}

// ---- token pages (§2.9 scheme 2; SDK PageCursor) ----

export interface LegacyTokenPage<T> {
  data: T[];
  has_more: boolean;
  next_page: string | null;
}
export interface SdkTokenPage<T> {
  data: T[];
  next_page: string | null;
}

/**
 * `next_page` is set exactly when records exist past the page, even when this page's `data` is empty (records read
 * but filtered out): the SDK's PageCursor goes on while `next_page` is set, whatever the page holds.
 */
export function renderTokenPage<T>(
  data: T[],
  listing: string,
  raw: { hasMore: boolean; lastSeq: number | undefined },
  v: ShapeVersion,
): LegacyTokenPage<T> | SdkTokenPage<T> {
  const more = raw.hasMore && raw.lastSeq !== undefined;
  const next_page = more ? encodePageToken(listing, raw.lastSeq!) : null;
  return v === '2026-10-21' ? { data, next_page } : { data, has_more: more, next_page };
}

// ---- RBAC roles ----

interface RoleCommon {
  id: string;
  type: 'rbac_role';
  created_at: string;
  updated_at: string;
}
export type LegacyRbacRole = RoleCommon & { name: string };
export type SdkRbacRole = RoleCommon & { display_name: string; source: { type: 'built_in' | 'custom' } };

export function renderRole(r: RbacRoleRecord, v: ShapeVersion): LegacyRbacRole | SdkRbacRole {
  const common: RoleCommon = { id: r.id, type: 'rbac_role', created_at: r.createdAt, updated_at: r.updatedAt };
  return v === '2026-10-21'
    ? { ...common, display_name: r.displayName, source: { type: r.source } }
    : { ...common, name: r.displayName };
}

/** The same in both versions. */
export function renderPermission(p: RbacPermission): RbacPermission & { type: 'rbac_role_permission' } {
  return { type: 'rbac_role_permission', action: p.action, resource: { ...p.resource } };
}

// ---- API keys (§9.1) ----

interface ApiKeyCommon {
  id: string;
  type: 'api_key';
  name: string;
  created_at: string;
  created_by: { id: string; type: 'user' | 'service_account' } | null;
  expires_at: string | null;
  partial_key_hint: string | null;
  status: 'active' | 'inactive' | 'archived' | 'expired';
  principal: { type: 'user_actor'; user_id: string } | { type: 'service_account_actor'; service_account_id: string } | null;
  scope: { type: 'workspace'; workspace_id: string } | { type: 'organization' };
}
export type LegacyApiKey = ApiKeyCommon & { workspace_id: string | null };
export type SdkApiKey = ApiKeyCommon;

/**
 * `principal` is the seeded one (a user or a service account) or null; a principal-bound key may have the
 * organization scope (no workspace). `expires_at` is null (no expiry).
 */
export function renderApiKey(k: ApiKeyRecord, defaultWorkspaceId: string, v: ShapeVersion): LegacyApiKey | SdkApiKey {
  const common: ApiKeyCommon = {
    type: 'api_key',
    id: k.id,
    name: k.name,
    created_at: k.createdAt,
    created_by: k.createdBy === null ? null : { id: k.createdBy, type: 'user' },
    expires_at: null,
    partial_key_hint: k.partialKeyHint,
    principal: k.principal && { ...k.principal },
    status: k.status,
    scope: k.workspaceId === null ? { type: 'organization' } : { type: 'workspace', workspace_id: k.workspaceId },
  };
  if (v === '2026-10-21') return common;
  // Legacy: the deprecated `workspace_id` beside `scope`, null for the Default Workspace (§9.1).
  return { ...common, workspace_id: k.workspaceId === null || k.workspaceId === defaultWorkspaceId ? null : k.workspaceId };
}

// ---- workspaces (§7.2) ----

export interface LegacyWorkspace {
  id: string;
  type: 'workspace';
  name: string;
  display_color: string;
  created_at: string;
  archived_at: string | null;
  data_residency: { allowed_inference_geos: string[] | 'unrestricted'; default_inference_geo: string; workspace_geo: string };
  compartment_id: string;
  external_key_id: string | null;
  tags: Record<string, string>;
}
export type SdkWorkspace = LegacyWorkspace & { user_profile_id: string | null };

export function renderWorkspace(ws: WorkspaceRecord, v: ShapeVersion): LegacyWorkspace | SdkWorkspace {
  const dr = ws.dataResidency;
  const legacy: LegacyWorkspace = {
    type: 'workspace',
    id: ws.id,
    name: ws.name,
    display_color: ws.displayColor,
    created_at: ws.createdAt,
    archived_at: ws.archivedAt,
    data_residency: {
      allowed_inference_geos: Array.isArray(dr.allowed_inference_geos) ? [...dr.allowed_inference_geos] : dr.allowed_inference_geos,
      default_inference_geo: dr.default_inference_geo,
      workspace_geo: dr.workspace_geo,
    },
    compartment_id: ws.compartmentId,
    external_key_id: ws.externalKeyId,
    tags: { ...ws.tags },
  };
  return v === '2026-10-21' ? { ...legacy, user_profile_id: ws.userProfileId } : legacy;
}

/** An ID-cursor page of rendered items (§2.9 scheme 1; SDK Page): the same in both versions. */
export function renderIdPage<R, T>(
  page: { data: R[]; has_more: boolean; first_id: string | null; last_id: string | null },
  render: (item: R) => T,
): { data: T[]; has_more: boolean; first_id: string | null; last_id: string | null } {
  return { ...page, data: page.data.map(render) };
}
