// The API's role tables (§3.1, §3.2), as the emulator enforces them. They live here, not in clients/: the emulator is
// an independent oracle of the API, and the tool's own model (model/roles.ts) keeps its own copy on purpose, so a
// mistake in one is caught by the other.

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

/** §8.2 workspace roles that may be given through the API (`workspace_billing` is implicit only). */
export const ASSIGNABLE_WORKSPACE_ROLES = [
  'workspace_admin',
  'workspace_developer',
  'workspace_restricted_developer',
  'workspace_user',
] as const;
