// Leaf module (it imports only secrets.ts): every error the tool raises on purpose. Each carries a stable `code`,
// says whether it may be retried, and never holds a credential: messages are built from method, path, status and
// request id only, and `redact` scrubs anything that slipped into text taken from elsewhere (a proxy's HTML page,
// a thrown cause).

import { redact } from './secrets.js';

// The secrets registry and the scrub live in secrets.ts (a leaf module); re-exported for the existing callers.
export { redact, registerSecret } from './secrets.js';

function safeText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export class ReconcileError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  constructor(code: string, message: string, opts: { retryable?: boolean; cause?: unknown } = {}) {
    super(redact(message));
    this.name = new.target.name;
    this.code = code;
    this.retryable = opts.retryable ?? false;
    if (opts.cause !== undefined) {
      // keep the cause for debugging, but never let its text carry a secret
      // (nock and some dispatchers reject with plain objects that may hold request headers: keep only text)
      const c = opts.cause;
      this.cause = new Error(redact(c instanceof Error ? c.message : typeof c === 'string' ? c : safeText(c)));
    }
  }
}

/** Where a request went: enough to find it in the API's logs, never the key. */
export interface RequestInfo {
  method: string;
  path: string;
  requestId?: string | undefined;
}

function describe(req: RequestInfo): string {
  return `${req.method} ${req.path}${req.requestId ? ` (request-id ${req.requestId})` : ''}`;
}

/**
 * The allow-listed, non-secret fields of an error body's `error.details` that the client keeps (send.ts decides
 * which, and checks each value's shape): today only `workspace_id` of `workspace_created_incomplete`.
 */
export interface ApiErrorDetails {
  /** 503 `workspace_created_incomplete`: the workspace the refused-to-repeat create did make. */
  workspace_id?: string;
}

/**
 * The API answered with an error status. `errorType` is the body's `error.type` (open set); `errorCode` its
 * `error.details.error_code` (API version 2026-10-21; open set, undefined when absent or not a plain code).
 * Callers decide by `errorCode` first and fall back to `errorType`/`status` for a code they do not know.
 */
export class ApiError extends ReconcileError {
  readonly status: number;
  readonly errorType: string;
  readonly errorCode: string | undefined;
  readonly details: Readonly<ApiErrorDetails> | undefined;
  readonly request: RequestInfo;
  readonly retryAfterMs: number | undefined;
  readonly apiMessage: string;
  constructor(init: {
    status: number;
    errorType: string;
    errorCode?: string | undefined;
    details?: ApiErrorDetails | undefined;
    apiMessage: string;
    request: RequestInfo;
    retryAfterMs?: number | undefined;
    retryable: boolean;
  }) {
    super(
      `api_${init.status}`,
      `${describe(init.request)} failed: ${init.status} ${init.errorType}` +
        `${init.errorCode ? ` (${init.errorCode})` : ''}: ${init.apiMessage}`,
      { retryable: init.retryable },
    );
    this.status = init.status;
    this.errorType = init.errorType;
    this.errorCode = init.errorCode === undefined ? undefined : redact(init.errorCode);
    this.details = init.details && Object.keys(init.details).length > 0 ? Object.freeze({ ...init.details }) : undefined;
    this.apiMessage = redact(init.apiMessage);
    this.request = init.request;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** The connection failed, was reset, or the request timed out before an answer. */
export class NetworkError extends ReconcileError {
  readonly request: RequestInfo;
  readonly timedOut: boolean;
  /**
   * False when the failure happened before a connection existed (refused, DNS, connect timeout): the request cannot
   * have reached the server. True when it may have (a reset, a headers or body timeout): a write may have happened.
   */
  readonly sent: boolean;
  /** Nothing listened at the address (ECONNREFUSED): a wrong URL or a server that is down, not a blip. */
  readonly refused: boolean;
  constructor(request: RequestInfo, detail: string, opts: { timedOut: boolean; cause?: unknown; sent?: boolean; refused?: boolean }) {
    super(opts.timedOut ? 'timeout' : 'network', `${describe(request)} failed: ${detail}`, {
      retryable: true,
      cause: opts.cause,
    });
    this.request = request;
    this.timedOut = opts.timedOut;
    this.sent = opts.sent ?? true;
    this.refused = opts.refused ?? false;
  }
}

/** The API answered 2xx but the body is not what the API documents (truncated JSON, an HTML page, wrong types). */
export class MalformedResponseError extends ReconcileError {
  readonly request: RequestInfo;
  constructor(request: RequestInfo, detail: string) {
    super('malformed_response', `${describe(request)}: malformed response: ${detail}`, { retryable: true });
    this.request = request;
  }
}

/** A paginated listing returned a cursor it had already returned: reading on would loop or miss objects. */
export class RepeatedCursorError extends ReconcileError {
  readonly request: RequestInfo;
  constructor(request: RequestInfo, cursor: string) {
    super('repeated_cursor', `${describe(request)}: the listing repeated cursor ${cursor}; refusing a partial read`);
    this.request = request;
  }
}

/** The admin key belongs to another organization than the file pins. Nothing else is read. */
export class OrganizationMismatchError extends ReconcileError {
  constructor(expected: string, actual: string, actualName: string) {
    super(
      'organization_mismatch',
      `the admin key belongs to organization ${actual} (${actualName}), but the file pins organization.id ${expected}; ` +
        'refusing to read or change anything',
    );
  }
}

/** Bad usage or input that the user must fix (missing env variable, unreadable file, bad flag). */
export class UsageError extends ReconcileError {
  constructor(message: string) {
    super('usage', message);
  }
}

/** The operation was interrupted (SIGINT) before it could start. */
export class InterruptedError extends ReconcileError {
  constructor(message = 'interrupted') {
    super('interrupted', message);
  }
}

/** An output could not be written (a file of `plan --out` or `import -o`): one line, `cannot write PATH: CODE`. */
export class OutputError extends ReconcileError {
  constructor(message: string) {
    super('output', message);
  }
}
