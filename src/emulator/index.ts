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
