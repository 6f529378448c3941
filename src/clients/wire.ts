// Wire types of the Anthropic Admin API, exactly as the API sends and receives them (snake_case, open enums).
// Shared by the clients and by the emulator; nothing here knows about the planner's model.
// Source for every shape: ../shared/reference/anthropic-admin-api.md (section numbers in comments).

export const ANTHROPIC_VERSION = '2023-06-01';

/** §2.9 ID-cursor page (users, invites, workspaces, workspace members, API keys). */
export interface IdPage<T> {
  data: T[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/** §2.9 opaque token page (rbac groups, group members). */
export interface TokenPage<T> {
  data: T[];
  has_more: boolean;
  next_page: string | null;
}

/** §2.7 error envelope. `error.type` is an open set. */
export interface ErrorBody {
  type: 'error';
  error: { type: string; message: string };
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

/** §3.1 roles that may be set through the API, per org kind. */
export const ASSIGNABLE_ROLES = {
  console: ['user', 'developer', 'billing', 'claude_code_user'],
  enterprise: ['user', 'managed'],
} as const;

/** §3.1 roles that can be held but never set, changed or removed through the API. */
export const KEEP_ONLY_ROLES = {
  console: ['admin', 'owner', 'primary_owner'],
  enterprise: ['owner', 'membership_admin', 'primary_owner'],
} as const;

/** §3.1 values accepted by the `roles[]` filter, per org kind. */
export const FILTERABLE_ROLES = {
  console: ['user', 'developer', 'billing', 'admin', 'claude_code_user', 'owner', 'primary_owner'],
  enterprise: ['user', 'owner', 'primary_owner', 'membership_admin', 'managed'],
} as const;

export type WireOrgKind = keyof typeof ASSIGNABLE_ROLES;
