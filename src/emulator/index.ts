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
  INVITE_LIFETIME_MS,
  type Seed,
  type SeedOrganization,
  type SeedAdminKey,
  type SeedUser,
  type SeedInvite,
  type SeedInviteStatus,
  type SeedRateLimits,
  type Provisioning,
} from './seed.js';
export {
  EmulatorStore,
  type OrganizationState,
  type AdminKeyInfo,
  type RateLimitSettings,
  type UserRecord,
  type InviteRecord,
} from './store.js';
export type { FaultSpec, Fault, FaultBody } from './faults.js';
export type { RequestRecord } from './request-log.js';
export type { ApiRoute, ApiContext, RouteResult } from './router.js';
export type {
  SeedWorkspace,
  SeedWorkspaceMember,
  SeedApiKey,
  SeedApiKeyStatus,
  WorkspaceSeedFields,
} from './workspace-seed.js';
export { MAX_ACTIVE_WORKSPACES } from './workspace-seed.js';
export { WorkspaceStore, type WorkspaceRecord, type MembershipRecord, type DataResidency } from './workspaces-store.js';
export { ApiKeyStore, type ApiKeyRecord, type ApiKeyStatus, type NewApiKey } from './api-key-store.js';
export type { SeedRbacGroup } from './groups-seed.js';
export { RbacGroupStore, type RbacGroupRecord, type GroupMembershipRecord, type RbacGroupSource } from './groups-store.js';
export {
  SCIM_DEFAULT_COUNT,
  SCIM_MAX_COUNT,
  type SeedScim,
  type SeedScimUser,
  type SeedScimGroup,
  type SeedScimEmail,
} from './scim/seed.js';
export { ScimDirectory, type ScimRecord, type ScimGroupRecord, type ScimSettings } from './scim/directory.js';
export { syncDirectory, type SyncReport, type SyncedMember } from './scim/sync.js';
export { SCIM_MOUNT, SCIM_MAX_BODY_BYTES } from './scim/pipeline.js';
export {
  RbacRoleStore,
  BUILT_IN_ROLE_IDS,
  grantsOwnerAccess,
  groupGrantsOwnerAccess,
  type RbacRoleRecord,
  type RbacPermission,
  type SeedRbacRole,
} from './rbac-roles.js';
export { KNOWN_VERSIONS, LEGACY_VERSION, SDK_VERSION, shapeVersion, type ShapeVersion } from './api-version.js';
