// The machine-readable error codes of API version 2026-10-21 (`error.details.error_code`) that change what the
// client does, and how the decoder reads a code and its details. Source: the official SDK 1.17.0
// (`core/error-classes.js` maps "<status> <code>" to a class; each class's doc says what the code means) and
// ../shared/reference/admin-api-sdk-1.17.md. A code is bound to its status, as the SDK binds it: the same string
// under another status is a code this client does not know. A code the client does not know changes nothing: the
// error is decided by its `type`/status exactly as before codes existed.

import type { ApiErrorDetails } from '../errors.js';

/** The codes the client acts on, and the ones it names in tests and docs. */
export const ERROR_CODES = {
  alreadyMember: 'already_member',
  inviteAlreadyExists: 'invite_already_exists',
  cannotRemoveLastMember: 'cannot_remove_last_member',
  rbacGroupGrantsOwnerAccess: 'rbac_group_grants_owner_access',
  organizationTypeNotSupported: 'organization_type_not_supported',
  apiKeyRequesterUnconfirmed: 'api_key_requester_unconfirmed',
  concurrentMembershipChange: 'concurrent_membership_change',
  changeOutcomeUnknown: 'change_outcome_unknown',
  workspaceCreatedIncomplete: 'workspace_created_incomplete',
  // the beta sign-out's refusals (SDK 1.17 BetaCannotSignOut*Error): 400 primary owner, self, not enrolled; 403 the rest
  cannotSignOutPrimaryOwner: 'cannot_sign_out_primary_owner',
  cannotSignOutSelf: 'cannot_sign_out_self',
  cannotSignOutManagedMember: 'cannot_sign_out_managed_member',
  cannotSignOutMembershipAdmin: 'cannot_sign_out_membership_admin',
  cannotSignOutOwner: 'cannot_sign_out_owner',
  cannotSignOutPrivilegedMember: 'cannot_sign_out_privileged_member',
  organizationNotEnrolledInBeta: 'organization_not_enrolled_in_beta',
} as const;

/**
 * Definite refusals that the SDK documents as safe to send again ("It is safe to send the same request again";
 * "Retry the request once it completes"). They did not change anything, so they are not ambiguous: retried
 * with the usual bounded backoff, never looked after.
 */
export const RETRY_CODES = ['403 api_key_requester_unconfirmed', '409 concurrent_membership_change'] as const;

/**
 * Codes whose meaning forbids sending the same request again, whatever the status or `x-should-retry` say:
 * the invite exists or the person is a member (a new POST could only email them again, or be refused again), and
 * the workspace was created (a new POST would make a second one: "Don't send the create again").
 */
export const NEVER_RESEND_CODES = ['400 already_member', '400 invite_already_exists', '503 workspace_created_incomplete'] as const;

const RETRY: ReadonlySet<string> = new Set(RETRY_CODES);
const NEVER_RESEND: ReadonlySet<string> = new Set(NEVER_RESEND_CODES);

/**
 * The retry decision a code imposes: false for a code that forbids another send (it wins even over
 * `x-should-retry: true`), true for a refusal documented as safe to repeat (`x-should-retry: false` still wins
 * over it), undefined when the code says nothing (then `x-should-retry` and the status decide, as without a code).
 */
export function codeRetryOverride(status: number, code: string | undefined): boolean | undefined {
  if (code === undefined) return undefined;
  const key = `${status} ${code}`;
  if (NEVER_RESEND.has(key)) return false;
  if (RETRY.has(key)) return true;
  return undefined;
}

/** True when `err` carries `code` under the status the SDK binds it to. */
export function hasCode(err: { status: number; errorCode: string | undefined }, status: number, code: string): boolean {
  return err.status === status && err.errorCode === code;
}

/** A code is an identifier (`snake_case`): anything else in that field is foreign text and is not kept. */
const CODE_SHAPE = /^[a-z][a-z0-9_]{0,99}$/;
/** An object id as the API writes them (`wrkspc_01…`): nothing else is kept from `details`. */
const ID_SHAPE = /^[A-Za-z0-9_-]{1,128}$/;

/** `error.details.error_code` of an error envelope's `error` object, when it is a plain code. */
export function decodeErrorCode(error: Record<string, unknown>): string | undefined {
  const details = error['details'];
  if (typeof details !== 'object' || details === null || Array.isArray(details)) return undefined;
  const code = (details as Record<string, unknown>)['error_code'];
  return typeof code === 'string' && CODE_SHAPE.test(code) ? code : undefined;
}

/**
 * The allow-listed fields of `error.details`, each checked for its shape; nothing else of the body is kept
 * (details may carry free text such as a message that names a user or an email address).
 */
export function decodeErrorDetails(error: Record<string, unknown>): ApiErrorDetails | undefined {
  const details = error['details'];
  if (typeof details !== 'object' || details === null || Array.isArray(details)) return undefined;
  const out: ApiErrorDetails = {};
  const ws = (details as Record<string, unknown>)['workspace_id'];
  if (typeof ws === 'string' && ID_SHAPE.test(ws)) out.workspace_id = ws;
  return Object.keys(out).length > 0 ? out : undefined;
}
