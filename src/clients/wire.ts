// Wire types of the Anthropic Admin API, exactly as the API sends and receives them (snake_case, open enums).
// Shared by the clients and by the emulator; nothing here knows about the planner's model.
// Source for every shape: ../shared/reference/anthropic-admin-api.md (section numbers in comments), overridden by
// ../shared/reference/admin-api-sdk-1.17.md and the official SDK 1.17.0's types (API version 2026-10-21).
//
// Where 2026-10-21 renamed a field, two kinds of type exist: the `Wire*` name is what the wire may carry in either
// version (the emulator and test doubles build it; the old field is marked `@deprecated`), and the type without
// the prefix (`RbacGroupMember`, `ApiKey`, …) is what the client's parsers return: normalized to the new field,
// with the old one gone. test/types/sdk-conformance.ts checks every field the client reads against the SDK.

/** The API version the client sends (SDK 1.0.0, 2026-10-21: "add support for new API version 2026-10-21"). */
export const ANTHROPIC_VERSION = '2026-10-21';

/** §2.9 ID-cursor page (users, invites, workspaces, workspace members, API keys). */
export interface IdPage<T> {
  data: T[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/** §2.9 opaque token page (rbac groups, group members, rbac roles). 2026-10-21 declares no `has_more`: `next_page`
 *  alone says whether more follows, and an empty page with a `next_page` is not the end. */
export interface TokenPage<T> {
  data: T[];
  has_more?: boolean;
  next_page: string | null;
}

/** §2.7 error envelope. `error.type` is an open set; `details.error_code` (2026-10-21) too. */
export interface ErrorBody {
  type: 'error';
  error: { type: string; message: string; details?: { error_code?: string; [field: string]: unknown } };
  request_id: string | null;
}

/** §4.1 */
export interface WireOrganization {
  id: string;
  type: 'organization';
  name: string;
}

/** §3.1 full read enum; the API may add more, so readers treat it as open. */
export type WireOrgRole =
  | 'admin'
  | 'billing'
  | 'claude_code_user'
  | 'developer'
  | 'managed'
  | 'membership_admin'
  | 'owner'
  | 'primary_owner'
  | 'user';

/** §5.1 */
export interface WireUser {
  id: string;
  type: 'user';
  email: string;
  name: string;
  role: WireOrgRole | string;
  added_at: string;
}

/** §6.1 */
export type WireInviteStatus = 'pending' | 'accepted' | 'expired' | 'deleted';

export interface WireInvite {
  id: string;
  type: 'invite';
  email: string;
  role: WireOrgRole | string;
  invited_at: string;
  expires_at: string;
  accepted_at?: string | null;
  status: WireInviteStatus | string;
  rbac_group_ids?: string[];
}

/** §5.5 */
export interface WireUserDeleted {
  id: string;
  type: 'user_deleted';
}

/** §6.6 */
export interface WireInviteDeleted {
  id: string;
  type: 'invite_deleted';
}

/** §6.3 body of POST /v1/organizations/invites */
export interface WireInviteCreate {
  email: string;
  role: string;
  rbac_group_ids?: string[];
}

/** §5.2 query of GET /v1/organizations/users */
export interface ListUsersQuery {
  email?: string;
  roles?: string[];
}

/** §6.4 query of GET /v1/organizations/invites */
export interface ListInvitesQuery {
  email?: string;
  roles?: string[];
  statuses?: Array<'pending' | 'accepted' | 'expired'>;
}

/** The two kinds of organization (§1). Which roles each accepts is the emulator's business (emulator/role-tables.ts). */
export type WireOrgKind = 'console' | 'enterprise';

// ── Workspaces, workspace members, API keys (console orgs; §7, §8, §9) ──────────────────────────────────────

/** §7.2 (newer fields optional: older API versions omit them) */
export interface WireWorkspace {
  id: string;
  type: 'workspace';
  name: string;
  display_color: string;
  created_at: string;
  archived_at: string | null;
  data_residency?: { allowed_inference_geos: string[] | 'unrestricted'; default_inference_geo: string; workspace_geo: string };
  compartment_id?: string;
  external_key_id?: string | null;
  tags?: Record<string, string>;
  /** 2026-10-21; absent from older versions. */
  user_profile_id?: string | null;
}

/** §7.3 body of POST /v1/organizations/workspaces */
export interface WireWorkspaceCreate {
  name: string;
  display_color?: string;
}

/** §7.6 body of POST /v1/organizations/workspaces/{id} */
export interface WireWorkspaceUpdate {
  name?: string;
  display_color?: string;
}

export type WireWorkspaceRole =
  | 'workspace_admin'
  | 'workspace_billing'
  | 'workspace_developer'
  | 'workspace_restricted_developer'
  | 'workspace_user';

/** §8.1 */
export interface WireWorkspaceMember {
  type: 'workspace_member';
  user_id: string;
  workspace_id: string;
  workspace_role: WireWorkspaceRole | string;
}

/** §8.2 */
export interface WireWorkspaceMemberDeleted {
  type: 'workspace_member_deleted';
  user_id: string;
  workspace_id: string;
}

/** 2026-10-21: where an API key belongs; `workspace_id` is the real id even for the Default Workspace. */
export type WireApiKeyScope = { type: 'workspace'; workspace_id: string } | { type: 'organization' };

/**
 * Where an API key belongs, as the client returns it. `default_workspace` exists only for keys read from an API
 * version before 2026-10-21, which sends no `scope` and `workspace_id: null` for the Default Workspace (whose id it
 * does not give). A key read with a `scope` is never `default_workspace`: its Default Workspace has its real id.
 */
export type ApiKeyScope = WireApiKeyScope | { type: 'default_workspace' };

/** §9.1, 2026-10-21: an API key as the client returns it (`scope` always set; both `principal` shapes, §15 item 2). */
export interface ApiKey {
  id: string;
  type: 'api_key';
  name: string;
  created_at: string;
  created_by: { id: string; type: string } | null;
  expires_at?: string | null;
  partial_key_hint: string | null;
  status: 'active' | 'inactive' | 'archived' | 'expired' | string;
  principal?: { id: string; type: string } | { type: 'user_actor'; user_id: string } | { type: 'service_account_actor'; service_account_id: string } | null;
  scope: ApiKeyScope;
}

/** An API key as either API version sends it (or as the client returned it: `ApiKey` is one). */
export interface WireApiKey extends Omit<ApiKey, 'scope'> {
  /** 2026-10-21 (required there, and only `WireApiKeyScope`); `default_workspace` only in the client's output. */
  scope?: ApiKeyScope;
  /** @deprecated Legacy (before 2026-10-21; absent from 2026-10-21): the workspace, null for the Default Workspace.
   *  The client reads it only when `scope` is absent, and returns it as `scope`. */
  workspace_id?: string | null;
}

/** §9.2 query */
export interface ListApiKeysQuery {
  status?: 'active' | 'inactive' | 'archived' | 'expired';
  workspace_id?: string;
  created_by_user_id?: string;
}

/** §9.4 body */
export interface WireApiKeyUpdate {
  name?: string;
  status?: 'active' | 'inactive' | 'archived';
}


// ── RBAC groups (enterprise orgs; §11) ──────────────────────────────────────────────────────────────────────

/** §11.1, 2026-10-21: an RBAC group as the client returns it. `role_ids` null: role data was temporarily
 *  unavailable (the SDK: "retry to distinguish from an empty list"), or an older API version sent none. */
export interface RbacGroup {
  id: string;
  type: 'rbac_group';
  name: string;
  source_type: 'direct' | 'scim' | string;
  role_ids: string[] | null;
  created_at: string;
  updated_at: string;
}

/** @deprecated The RBAC group before 2026-10-21: `roles` instead of `role_ids`. */
export interface LegacyRbacGroup extends Omit<RbacGroup, 'role_ids'> {
  /** @deprecated Legacy name of `role_ids`. */
  roles: string[] | null;
}

/** An RBAC group as either API version sends it. */
export type WireRbacGroup = RbacGroup | LegacyRbacGroup;

/** §11.2, 2026-10-21: a member of an RBAC group (list item, add answer) as the client returns it. */
export interface RbacGroupMember {
  type: 'rbac_group_member';
  rbac_group_id: string;
  user_id: string;
  email: string;
  created_at: string;
}

/** @deprecated The RBAC group member before 2026-10-21: `group_id` instead of `rbac_group_id`. */
export interface LegacyRbacGroupMember extends Omit<RbacGroupMember, 'rbac_group_id'> {
  /** @deprecated Legacy name of `rbac_group_id`. */
  group_id: string;
}

/** An RBAC group member as either API version sends it. */
export type WireRbacGroupMember = RbacGroupMember | LegacyRbacGroupMember;

export interface WireRbacGroupDeleted {
  id: string;
  type: 'rbac_group_deleted';
}

/** 2026-10-21: the receipt of a member's removal from a group, as the client returns it. */
export interface RbacGroupMemberDeleted {
  rbac_group_id: string;
  user_id: string;
  type: 'rbac_group_member_deleted';
}

/** @deprecated The receipt before 2026-10-21. */
export interface LegacyRbacGroupMemberDeleted extends Omit<RbacGroupMemberDeleted, 'rbac_group_id'> {
  /** @deprecated Legacy name of `rbac_group_id`. */
  group_id: string;
}

/** The receipt as either API version sends it. */
export type WireRbacGroupMemberDeleted = RbacGroupMemberDeleted | LegacyRbacGroupMemberDeleted;

// ── RBAC roles (enterprise orgs; read-only; 2026-10-21) ─────────────────────────────────────────────────────

/** An RBAC role as the client returns it: `display_name` (older versions: the deprecated `name`). `source.type` is
 *  `built_in` or `custom` today, an open set ("do not treat every role that is not built_in as custom"). */
export interface WireRbacRole {
  id: string;
  display_name: string;
  source?: { type: 'built_in' | 'custom' | string };
}

/** One permission an RBAC role grants. `resource.type` names the kind (`organization`, `connector`,
 *  `connector_tool`, `connector_scope`, `all_connectors`; open) and decides which identifier fields it carries. */
export interface WireRbacRolePermission {
  type: 'rbac_role_permission' | string;
  action: string;
  resource: {
    type: string;
    organization_id?: string;
    connector_id?: string;
    tool_name?: string;
    scope?: string;
  };
}

/** §2.3 enterprise key scopes used by the endpoints this tool calls */
// ── SCIM 2.0 (the WorkOS directory behind Claude Enterprise; §13, scim.md) ────────────────────────────────────

export const SCIM_SCHEMAS = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

export interface ScimMeta {
  resourceType: 'User' | 'Group' | string;
  created?: string;
  lastModified?: string;
  location?: string;
  version?: string;
}

export interface ScimEmail {
  value: string;
  type?: string;
  primary?: boolean;
}

export interface ScimUser {
  schemas: string[];
  id: string;
  userName: string;
  externalId?: string;
  name?: { givenName?: string; familyName?: string; formatted?: string };
  displayName?: string;
  emails?: ScimEmail[];
  active: boolean;
  meta?: ScimMeta;
}

export interface ScimGroupMember {
  value: string;
  display?: string;
  $ref?: string;
  type?: string;
}

export interface ScimGroup {
  schemas: string[];
  id: string;
  displayName: string;
  externalId?: string;
  members?: ScimGroupMember[];
  meta?: ScimMeta;
}

export interface ScimListResponse<T> {
  schemas: string[];
  totalResults: number;
  startIndex?: number;
  itemsPerPage?: number;
  Resources?: T[];
}

export interface ScimPatchOperation {
  op: 'add' | 'remove' | 'replace' | string;
  path?: string;
  value?: unknown;
}

export interface ScimPatchRequest {
  schemas: string[];
  Operations: ScimPatchOperation[];
}

/** RFC 7644 §3.12: `status` is a string by the RFC, a number in some servers' bodies. */
export interface ScimError {
  schemas: string[];
  status: string | number;
  scimType?: string;
  detail?: string;
}

// ── Additions of issues 3 and 4 (client layer) ────────────────────────────────────────────────────────────────

/** §7.4 query of GET /v1/organizations/workspaces. Booleans go out as `true`/`false` (§2.8). */
export interface ListWorkspacesQuery {
  /** Archived workspaces are left out unless this is true. */
  include_archived?: boolean;
  /** 2026-10-21 (GA): the organization's Default Workspace is left out unless this is true. */
  include_default?: boolean;
  /** 2026-10-21: only these workspaces. The API takes at most 100 per request; the client splits longer lists. */
  ids?: readonly string[];
}

/**
 * Body of POST /Users as this tool sends it. The client adds `schemas` and leaves out every absent attribute:
 * WorkOS rejects `null` ("'externalId' is expected string, received null", scim.md §3.17).
 */
export interface ScimUserCreate {
  userName: string;
  externalId?: string;
  name?: { givenName?: string; familyName?: string; formatted?: string };
  displayName?: string;
  emails?: ScimEmail[];
  /** A JSON boolean, never a string (scim.md §3.17). */
  active?: boolean;
}

/** Body of POST /Groups as this tool takes it; `members` are SCIM user ids. The client adds `schemas`. */
export interface ScimGroupCreate {
  displayName: string;
  externalId?: string;
  members?: string[];
}

// ── Service accounts (console orgs; SDK 1.17 organization.serviceAccounts) ───────────────────────────────────
// Their endpoints take only an OAuth access token with the `org:admin` scope, as `Authorization: Bearer`; an Admin
// API key is refused (admin.ts sends them through a pipeline of their own).

/** A service account: a named workload identity (SDK `ServiceAccount`). */
export interface WireServiceAccount {
  id: string;
  type: 'service_account';
  /** the slug; unique in the organization (archived accounts keep theirs); never renamed */
  name: string;
  description: string | null;
  organization_role: 'admin' | 'developer' | string;
  archived_at: string | null;
  created_at?: string;
  updated_at?: string;
  created_by_actor_id?: string | null;
  updated_by_actor_id?: string | null;
  archived_by_actor_id?: string | null;
}

/** SDK `ServiceAccountCreateParams` */
export interface WireServiceAccountCreate {
  name: string;
  description?: string | null;
  organization_role?: 'admin' | 'developer';
}

/** SDK `ServiceAccountUpdateParams`: only these two are mutable */
export interface WireServiceAccountUpdate {
  description?: string | null;
  organization_role?: 'admin' | 'developer' | null;
}

/** SDK `ServiceAccountWorkspaceMember`; `implicit`: the Default Workspace membership every account has. */
export interface WireServiceAccountWorkspaceMember {
  type: 'service_account_workspace_member';
  service_account_id: string;
  workspace_id: string;
  workspace_role: string;
  implicit?: boolean | null;
  created_by_actor_id?: string | null;
}

/** SDK `WorkspaceRemoveResponse` */
export interface WireServiceAccountWorkspaceMemberDeleted {
  type: 'service_account_workspace_member_deleted';
  service_account_id: string;
  workspace_id: string;
}
