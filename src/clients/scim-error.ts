// Decoder of SCIM error bodies (RFC 7644 §3.12): `{"schemas":[…Error],"status":"409","scimType":"uniqueness",
// "detail":"…"}`. The RFC makes `status` a JSON string, Okta's examples send a number (scim.md §3.11), so both
// are accepted; the HTTP status stays the one that counts. `scimType` becomes the ApiError's `errorType`, so a
// caller can test `err.errorType === 'uniqueness'`. Bodies that are not SCIM errors (a 413 page from a proxy,
// WorkOS's bare 400 on `active:false`, scim.md §3.17) fall back to a scrubbed excerpt of their text.

import { excerpt, isObject, type ErrorDecoder } from './send.js';
import { SCIM_SCHEMAS } from './wire.js';

/** `errorType` when the body names no `scimType`: a plain word for the status, never an Admin API type name. */
export function scimFallbackType(status: number): string {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 412:
      return 'precondition_failed';
    case 413:
      return 'too_large';
    case 429:
      return 'rate_limited';
    default:
      return status >= 500 ? 'server_error' : 'error';
  }
}

/** The body's `status` as a number, whether sent as `"409"` or `409`; undefined otherwise. */
export function scimErrorStatus(body: unknown): number | undefined {
  if (!isObject(body)) return undefined;
  const s = body['status'];
  if (typeof s === 'number' && Number.isInteger(s)) return s;
  if (typeof s === 'string' && /^\d{3}$/.test(s.trim())) return Number(s.trim());
  return undefined;
}

function isScimErrorBody(body: Record<string, unknown>): boolean {
  const schemas = body['schemas'];
  if (Array.isArray(schemas) && schemas.includes(SCIM_SCHEMAS.error)) return true;
  // Servers that forget `schemas` still send `status` with `detail` or `scimType`.
  return scimErrorStatus(body) !== undefined && (typeof body['detail'] === 'string' || typeof body['scimType'] === 'string');
}

export const decodeScimError: ErrorDecoder = (status, body, text) => {
  if (isObject(body) && isScimErrorBody(body)) {
    const scimType = typeof body['scimType'] === 'string' && body['scimType'] ? body['scimType'] : undefined;
    const detail = typeof body['detail'] === 'string' && body['detail'] ? excerpt(body['detail']) : undefined;
    return { errorType: scimType ?? scimFallbackType(status), message: detail ?? '(no detail)' };
  }
  if (isObject(body)) {
    // Some JSON error, not SCIM's: keep a `message`/`error` string when there is one.
    const m = body['message'] ?? body['error'];
    return { errorType: scimFallbackType(status), message: typeof m === 'string' && m ? excerpt(m) : excerpt(text) };
  }
  return { errorType: scimFallbackType(status), message: excerpt(text) || '(empty body)' };
};
