// The error envelope of the Admin API (§2.7): `{type:"error", error:{type,message}, request_id}`, with the
// documented status → error.type mapping. Route code throws `ApiFailure`; the server turns it into the envelope.

import type { ErrorBody } from '../clients/wire.js';

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

/** A request the API refuses: thrown by routes and the pipeline, rendered once by the server. */
export class ApiFailure extends Error {
  readonly status: number;
  readonly type: string;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, opts: { type?: string; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'ApiFailure';
    this.status = status;
    this.type = opts.type ?? errorTypeForStatus(status);
    this.headers = opts.headers ?? {};
  }
}

export function badRequest(message: string): ApiFailure {
  return new ApiFailure(400, message);
}

export function notFound(message = 'The requested resource could not be found.'): ApiFailure {
  return new ApiFailure(404, message);
}

export function errorBody(type: string, message: string, requestId: string | null): ErrorBody {
  return { type: 'error', error: { type, message }, request_id: requestId };
}
