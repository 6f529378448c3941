// Type-level conformance of the Admin API client to the official SDK (@anthropic-ai/sdk, pinned exactly as a
// devDependency). Nothing here runs: `tsc -p tsconfig.json` (the typecheck step of `npm test`) compiles this file,
// and a field the client reads that the SDK's type for that endpoint lacks, or types so that it is not assignable
// to what the client expects, fails the compilation with the field's name in the message. Bumping the pin to an
// SDK that renames such a field therefore fails `npm test` at the typecheck. Not part of the build
// (tsconfig.build.json includes only src/), since the SDK is only a devDependency.
//
// Legacy fallbacks (read by the parsers only when the 2026-10-21 field is absent, for older API versions) are
// marked below, excluded from the check, and asserted absent from the SDK: were the SDK to carry one again, it would
// no longer be legacy and belongs in the checked list.

import type { APIKey } from '@anthropic-ai/sdk/resources/organization/api-keys';
import type {
  AlreadyMemberError,
  InviteAlreadyExistsError,
  InviteDeleteResponse,
  OrganizationInvite,
} from '@anthropic-ai/sdk/resources/organization/invites';
import type {
  APIKeyRequesterUnconfirmedError,
  ChangeOutcomeUnknownError,
  ConcurrentMembershipChangeError,
  OrganizationInfo,
} from '@anthropic-ai/sdk/resources/organization/organization';
import type { DeletedRBACGroupMember, RBACGroupMember } from '@anthropic-ai/sdk/resources/organization/rbac-groups/members';
import type {
  DeletedRBACGroup,
  RBACGroup,
  RBACGroupGrantsOwnerAccessError,
} from '@anthropic-ai/sdk/resources/organization/rbac-groups/rbac-groups';
import type { RBACRolePermission } from '@anthropic-ai/sdk/resources/organization/rbac-roles/permissions';
import type { RBACRole } from '@anthropic-ai/sdk/resources/organization/rbac-roles/rbac-roles';
import type { CannotRemoveLastMemberError, OrganizationUser, UserRemoveResponse } from '@anthropic-ai/sdk/resources/organization/users';
import type { MemberRemoveResponse } from '@anthropic-ai/sdk/resources/organization/workspaces/members';
import type {
  Workspace,
  WorkspaceCreatedIncompleteError,
  WorkspaceCreatedIncompleteErrorDetails,
  WorkspaceMember,
} from '@anthropic-ai/sdk/resources/organization/workspaces/workspaces';
import type { OrganizationTypeNotSupportedError } from '@anthropic-ai/sdk/resources/shared';
import type { BetaOrganizationNotEnrolledInBetaError } from '@anthropic-ai/sdk/resources/beta/beta';
import type {
  BetaCannotSignOutManagedMemberError,
  BetaCannotSignOutMembershipAdminError,
  BetaCannotSignOutOwnerError,
  BetaCannotSignOutPrimaryOwnerError,
  BetaCannotSignOutPrivilegedMemberError,
  BetaCannotSignOutSelfError,
} from '@anthropic-ai/sdk/resources/beta/organization/users';
import type { ERROR_CODES, NEVER_RESEND_CODES, RETRY_CODES } from '../../src/clients/error-codes.js';
import type {
  ApiKey,
  LegacyRbacGroup,
  LegacyRbacGroupMember,
  LegacyRbacGroupMemberDeleted,
  RbacGroup,
  RbacGroupMember,
  RbacGroupMemberDeleted,
  WireApiKey,
  WireInvite,
  WireInviteDeleted,
  WireOrganization,
  WireRbacGroupDeleted,
  WireRbacRole,
  WireRbacRolePermission,
  WireUser,
  WireUserDeleted,
  WireWorkspace,
  WireWorkspaceMember,
  WireWorkspaceMemberDeleted,
} from '../../src/clients/wire.js';
import type { ApiErrorDetails } from '../../src/errors.js';

// ── The assertions ────────────────────────────────────────────────────────────────────────────────────────────

/** The fields among K that `Sdk` lacks, or declares with a type not assignable to the client's `Client[K]`. */
type Mismatched<Sdk, Client, K extends keyof Client> = {
  [P in K]-?: P extends keyof Sdk ? ([Sdk[P]] extends [Client[P]] ? never : P) : P;
}[K];

/**
 * `true` when every field K that the client reads exists in the SDK's type with a type the client accepts;
 * otherwise an object type naming the offending fields, so that `const _: AssertReads<…> = true` fails to compile
 * with "Type 'true' is not assignable to type '{ sdk_lacks_or_retypes: "field" }'".
 */
export type AssertReads<Sdk, Client, K extends keyof Client> =
  [Mismatched<Sdk, Client, K>] extends [never] ? true : { sdk_lacks_or_retypes: Mismatched<Sdk, Client, K> };

/** `true` when the checked list K names every field of the client's type (a field added later is not forgotten). */
export type AssertCovers<Client, K extends keyof Client> =
  [Exclude<keyof Client, K>] extends [never] ? true : { not_checked_against_the_sdk: Exclude<keyof Client, K> };

/** `true` when none of the legacy fields L is in the SDK's type. */
export type AssertLegacy<Sdk, L extends PropertyKey> =
  [Extract<L, keyof Sdk>] extends [never] ? true : { in_the_sdk_so_not_legacy: Extract<L, keyof Sdk> };

/** Both at once: the list is complete and every field on it conforms. */
type Conforms<Sdk, Client, K extends keyof Client> = AssertReads<Sdk, Client, K> & AssertCovers<Client, K>;

// ── Fields the client reads, per endpoint ─────────────────────────────────────────────────────────────────────
// The client's type is the one its parser returns (normalized: no legacy field in it).

/** GET /v1/organizations/me */
export const organization: Conforms<OrganizationInfo, WireOrganization, 'id' | 'type' | 'name'> = true;

/** GET/POST /v1/organizations/users[/{id}] */
export const user: Conforms<OrganizationUser, WireUser, 'id' | 'type' | 'email' | 'name' | 'role' | 'added_at'> = true;

/** DELETE /v1/organizations/users/{id} */
export const userDeleted: Conforms<UserRemoveResponse, WireUserDeleted, 'id' | 'type'> = true;

/** /v1/organizations/invites */
export const invite: Conforms<
  OrganizationInvite,
  WireInvite,
  'id' | 'type' | 'email' | 'role' | 'invited_at' | 'expires_at' | 'accepted_at' | 'status' | 'rbac_group_ids'
> = true;

/** DELETE /v1/organizations/invites/{id} */
export const inviteDeleted: Conforms<InviteDeleteResponse, WireInviteDeleted, 'id' | 'type'> = true;

/** /v1/organizations/workspaces[/{id}] */
export const workspace: Conforms<
  Workspace,
  WireWorkspace,
  | 'id'
  | 'type'
  | 'name'
  | 'display_color'
  | 'created_at'
  | 'archived_at'
  | 'data_residency'
  | 'compartment_id'
  | 'external_key_id'
  | 'tags'
  | 'user_profile_id'
> = true;

/** /v1/organizations/workspaces/{id}/members[/{user_id}] */
export const workspaceMember: Conforms<WorkspaceMember, WireWorkspaceMember, 'type' | 'user_id' | 'workspace_id' | 'workspace_role'> = true;

/** DELETE /v1/organizations/workspaces/{id}/members/{user_id} */
export const workspaceMemberDeleted: Conforms<MemberRemoveResponse, WireWorkspaceMemberDeleted, 'type' | 'user_id' | 'workspace_id'> = true;

/** /v1/organizations/api_keys[/{id}] */
export const apiKey: Conforms<
  APIKey,
  ApiKey,
  'id' | 'type' | 'name' | 'created_at' | 'created_by' | 'expires_at' | 'partial_key_hint' | 'status' | 'principal' | 'scope'
> = true;

/** /v1/organizations/rbac_groups[/{id}] */
export const rbacGroup: Conforms<RBACGroup, RbacGroup, 'id' | 'type' | 'name' | 'source_type' | 'role_ids' | 'created_at' | 'updated_at'> = true;

/** DELETE /v1/organizations/rbac_groups/{id} */
export const rbacGroupDeleted: Conforms<DeletedRBACGroup, WireRbacGroupDeleted, 'id' | 'type'> = true;

/** /v1/organizations/rbac_groups/{id}/members (list item, add answer) */
export const rbacGroupMember: Conforms<RBACGroupMember, RbacGroupMember, 'type' | 'rbac_group_id' | 'user_id' | 'email' | 'created_at'> = true;

/** DELETE /v1/organizations/rbac_groups/{id}/members/{user_id} */
export const rbacGroupMemberDeleted: Conforms<DeletedRBACGroupMember, RbacGroupMemberDeleted, 'type' | 'rbac_group_id' | 'user_id'> = true;

/** GET /v1/organizations/rbac_roles */
export const rbacRole: Conforms<RBACRole, WireRbacRole, 'id' | 'display_name' | 'source'> = true;

/** GET /v1/organizations/rbac_roles/{id}/permissions */
export const rbacRolePermission: Conforms<RBACRolePermission, WireRbacRolePermission, 'type' | 'action' | 'resource'> = true;

/** The one `error.details` field the client keeps: `workspace_id` of 503 workspace_created_incomplete. */
export const createdIncompleteDetails: Conforms<WorkspaceCreatedIncompleteErrorDetails, Required<ApiErrorDetails>, 'workspace_id'> = true;

// ── Legacy fallbacks: excluded from the check above, and not in the SDK ─────────────────────────────────────

/** RBAC group member and its removal receipt: `group_id` (now `rbac_group_id`). */
export const legacyGroupId: AssertLegacy<RBACGroupMember, Exclude<keyof LegacyRbacGroupMember, keyof RbacGroupMember>> &
  AssertLegacy<DeletedRBACGroupMember, Exclude<keyof LegacyRbacGroupMemberDeleted, keyof RbacGroupMemberDeleted>> = true;

/** RBAC group: `roles` (now `role_ids`). */
export const legacyRoles: AssertLegacy<RBACGroup, Exclude<keyof LegacyRbacGroup, keyof RbacGroup>> = true;

/** API key: top-level `workspace_id` (now `scope`). */
export const legacyKeyWorkspace: AssertLegacy<APIKey, Exclude<keyof WireApiKey, keyof ApiKey>> = true;

/** RBAC role: `name` (now `display_name`; the parser reads it from the raw body, no type carries it). */
export const legacyRoleName: AssertLegacy<RBACRole, 'name'> = true;

// ── Error codes: every code the client acts on exists in the SDK under the status the client binds it to ───────

type SdkCodeKey<E> = E extends { status: infer S extends number; errorCode: infer C extends string } ? `${S} ${C}` : never;
type SdkCodes = SdkCodeKey<
  | AlreadyMemberError
  | InviteAlreadyExistsError
  | CannotRemoveLastMemberError
  | RBACGroupGrantsOwnerAccessError
  | OrganizationTypeNotSupportedError
  | APIKeyRequesterUnconfirmedError
  | ConcurrentMembershipChangeError
  | ChangeOutcomeUnknownError
  | WorkspaceCreatedIncompleteError
  | BetaCannotSignOutPrimaryOwnerError
  | BetaCannotSignOutSelfError
  | BetaCannotSignOutManagedMemberError
  | BetaCannotSignOutMembershipAdminError
  | BetaCannotSignOutOwnerError
  | BetaCannotSignOutPrivilegedMemberError
  | BetaOrganizationNotEnrolledInBetaError
>;

type AssertIn<T, Union> = [Exclude<T, Union>] extends [never] ? true : { not_an_sdk_code: Exclude<T, Union> };

/** The retry tables of error-codes.ts. */
export const retryTables: AssertIn<(typeof RETRY_CODES)[number] | (typeof NEVER_RESEND_CODES)[number], SdkCodes> = true;

/** Every named code (status-free) of error-codes.ts. */
export const namedCodes: AssertIn<(typeof ERROR_CODES)[keyof typeof ERROR_CODES], SdkCodes extends `${number} ${infer C}` ? C : never> = true;
