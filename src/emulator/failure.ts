// The error envelope of the Admin API (§2.7): `{type:"error", error:{type,message}, request_id}`, with the
// documented status → error.type mapping. Route code throws `ApiFailure`; the server turns it into the envelope.

/**
 * §2.7 envelope; `details` (with the machine-readable `error_code`) only in the 2026-10-21 shapes. Declared here, not
 * taken from the client's wire types, so the emulator's answers do not follow the client's version.
 */
export interface ErrorBody {
  type: 'error';
  error: { type: string; message: string; details?: ErrorDetails };
  request_id: string | null;
}

/** `error.details`: `error_code` names the failure (the SDK maps "<status> <error_code>" to a typed class). */
export interface ErrorDetails {
  error_code: string;
  [field: string]: unknown;
}

/** §2.7 documented mapping; 400 `invalid_request_error` "may also be used for other 4XX status codes". */
const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

export function errorTypeForStatus(status: number): string {
  return TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/**
 * The `error_code`s the emulator answers with, each one the SDK 1.17.0 declares with this status (its
 * core/error-classes.js maps "<status> <code>" to a class). A failure the SDK has no code for keeps a bare
 * `error.type`: the emulator never invents a code.
 */
export type ErrorCode =
  | 'already_member' // 400 invite create
  | 'invite_already_exists' // 400 invite create
  | 'cannot_remove_last_member' // 400 user remove
  | 'rbac_group_grants_owner_access' // 400 group delete, member add/remove, invite with rbac_group_ids
  | 'organization_type_not_supported' // 400 RBAC roles on a non-Enterprise org
  | 'rbac_role_not_found' // 404 RBAC role get / permissions
  | 'organization_not_enrolled_in_beta' // 400 user sign-out where the beta is not enabled
  | 'cannot_sign_out_primary_owner' // 400 user sign-out
  | 'cannot_sign_out_self' // 400 user sign-out
  | 'cannot_sign_out_managed_member' // 403 user sign-out
  | 'cannot_sign_out_privileged_member'; // 403 user sign-out with an OAuth token

/** A request the API refuses: thrown by routes and the pipeline, rendered once by the server. */
export class ApiFailure extends Error {
  readonly status: number;
  readonly type: string;
  readonly headers: Record<string, string>;
  /** `error.details` (its `error_code` included); sent only in the 2026-10-21 shapes. */
  readonly details: ErrorDetails | undefined;
  constructor(
    status: number,
    message: string,
    opts: { type?: string; headers?: Record<string, string>; code?: ErrorCode; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'ApiFailure';
    this.status = status;
    this.type = opts.type ?? errorTypeForStatus(status);
    this.headers = opts.headers ?? {};
    this.details = opts.code !== undefined ? { ...opts.details, error_code: opts.code } : undefined;
  }
}

export function badRequest(message: string, code?: ErrorCode): ApiFailure {
  return new ApiFailure(400, message, code !== undefined ? { code } : {});
}

export function notFound(message = 'The requested resource could not be found.', code?: ErrorCode): ApiFailure {
  return new ApiFailure(404, message, code !== undefined ? { code } : {});
}

export function errorBody(type: string, message: string, requestId: string | null, details?: ErrorDetails): ErrorBody {
  return { type: 'error', error: { type, message, ...(details && { details }) }, request_id: requestId };
}

/** The record with this id, or the API's 404 naming what was looked for: `No <what> with id '<id>' in this organization`. */
export function found<T>(record: T | undefined, what: string, id: string): T {
  if (record === undefined) throw notFound(`No ${what} with id '${id}' in this organization`);
  return record;
}
