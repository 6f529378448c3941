// Public API of the Admin API emulator: start it, seed it, and the types tests need to look at its state.

export { startEmulator, API_ROUTES, type EmulatorOptions, type RunningEmulator } from './server.js';
export {
  parseSeed,
  loadSeedFile,
  validateSeed,
  defaultSeed,
  SeedError,
  DEFAULT_ADMIN_KEY,
  DEFAULT_ORGANIZATION,
  type Seed,
  type SeedOrganization,
  type SeedAdminKey,
  type SeedRateLimits,
  type Provisioning,
} from './seed.js';
export { EmulatorStore, type OrganizationState, type AdminKeyInfo, type RateLimitSettings, type SignOutRecord } from './store.js';
export { ORG_ADMIN_SCOPE, type SeedOAuthToken } from './oauth-tokens.js';
export type { FaultSpec, Fault, FaultBody } from './faults.js';
export type { RequestRecord } from './request-log.js';
export type { ApiRoute, ApiContext, RouteResult } from './router.js';

// ---- members and invites ----
export type { SeedUser } from './admin/users/seed.js';
export { SIGN_OUT_BETA } from './admin/users/routes.js';
export type { UserRecord } from './admin/users/records.js';
export type { SeedInvite, SeedInviteStatus } from './admin/invites/seed.js';
export { INVITE_LIFETIME_MS, type InviteRecord } from './admin/invites/records.js';

// ---- workspaces and API keys (Console) ----
export type { SeedWorkspace, SeedWorkspaceMember, WorkspaceSeedFields } from './admin/workspaces/seed.js';
export { MAX_ACTIVE_WORKSPACES } from './admin/workspaces/seed.js';
export { WorkspaceStore } from './admin/workspaces/store.js';
export type { WorkspaceRecord, MembershipRecord, DataResidency } from './admin/workspaces/records.js';
export type { SeedApiKey, SeedApiKeyStatus } from './admin/api-keys/seed.js';
export { ApiKeyStore } from './admin/api-keys/store.js';
export type { ApiKeyRecord, ApiKeyStatus, NewApiKey } from './admin/api-keys/records.js';
export type { SeedServiceAccount, SeedServiceAccountMembership } from './admin/service-accounts/seed.js';
export { ServiceAccountStore } from './admin/service-accounts/store.js';
export type {
  ServiceAccountRecord,
  ServiceAccountMembershipRecord,
  ServiceAccountRole,
} from './admin/service-accounts/records.js';

// ---- RBAC groups and roles (Enterprise) ----
export type { SeedRbacGroup } from './admin/groups/seed.js';
export { RbacGroupStore } from './admin/groups/store.js';
export type { RbacGroupRecord, GroupMembershipRecord, RbacGroupSource } from './admin/groups/records.js';
export { RbacRoleStore, groupGrantsOwnerAccess } from './admin/roles/store.js';
export { BUILT_IN_ROLE_IDS, grantsOwnerAccess, type RbacRoleRecord, type RbacPermission } from './admin/roles/records.js';
export type { SeedRbacRole } from './admin/roles/seed.js';

// ---- the SCIM directory ----
export {
  SCIM_DEFAULT_COUNT,
  SCIM_MAX_COUNT,
  type SeedScim,
  type SeedScimUser,
  type SeedScimGroup,
  type SeedScimEmail,
} from './scim/seed.js';
export { ScimDirectory } from './scim/directory.js';
export type { ScimRecord, ScimGroupRecord, ScimSettings, SyncReport, SyncedMember } from './scim/records.js';
export { syncDirectory } from './scim/sync.js';
export { SCIM_MOUNT, SCIM_MAX_BODY_BYTES } from './scim/pipeline.js';

export { KNOWN_VERSIONS, LEGACY_VERSION, SDK_VERSION, shapeVersion, type ShapeVersion } from './api-version.js';
