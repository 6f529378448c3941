// Reading query filters and JSON bodies the way the Admin API does: arrays in bracket notation (§2.8, with bare
// repeated keys accepted too), unknown body fields refused, every violation a 400 `invalid_request_error`.

import type { WireOrgKind } from '../clients/wire.js';
import { badRequest } from './failure.js';
import { filterableList, isFilterable } from './roles.js';

/** All values of an array parameter: `name[]=a&name[]=b` (what the SDKs send) or `name=a&name=b`. */
export function arrayParam(query: URLSearchParams, name: string): string[] | undefined {
  const values = [...query.getAll(`${name}[]`), ...query.getAll(name)];
  return values.length > 0 ? values : undefined;
}

/** `roles[]`: OR-ed; each value must be a filter role of this org kind (§3.1). */
export function rolesParam(query: URLSearchParams, kind: WireOrgKind): string[] | undefined {
  const roles = arrayParam(query, 'roles');
  for (const role of roles ?? []) {
    if (!isFilterable(kind, role)) {
      throw badRequest(`roles: '${role}' is not a valid role filter for a ${kind} organization (allowed: ${filterableList(kind)})`);
    }
  }
  return roles;
}

export function emailParam(query: URLSearchParams): string | undefined {
  return query.get('email') ?? undefined;
}

/**
 * A JSON object body with only `allowed` fields. The API is strict about extra inputs (a misspelt field is a 400,
 * not silently ignored), which keeps clients honest.
 */
export function objectBody(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (body === undefined) throw badRequest('A JSON request body is required');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object');
  }
  for (const k of Object.keys(body)) {
    if (!allowed.includes(k)) throw badRequest(`${k}: Extra inputs are not permitted`);
  }
  return body as Record<string, unknown>;
}

export function requiredString(obj: Record<string, unknown>, field: string): string {
  const v = obj[field];
  if (v === undefined || v === null) throw badRequest(`${field}: Field required`);
  if (typeof v !== 'string') throw badRequest(`${field}: Input should be a valid string`);
  return v;
}
