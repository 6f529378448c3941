// Validation of workspace request bodies and query flags (§7.3, §7.4, §7.6). Every violation is a 400
// `invalid_request_error`; the messages are the emulator's own (the API does not publish its strings, §2.7).

import { badRequest } from '../../failure.js';
import { COLOR, WORKSPACE_NAME_MAX, charLength, reservedTagKey } from './seed.js';
import type { DataResidency } from './records.js';

const GEOS = ['global', 'us'];

/** `include_archived=true|false` (§2.8 booleans); anything else is a 400. Absent: undefined. */
export function booleanParam(query: URLSearchParams, name: string): boolean | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw badRequest(`${name}: Input should be a valid boolean, got '${v}'`);
}

/** §7.3: 1–40 characters (Jan-2026 reference; the current one drops the annotation, §7.3 keeps it). */
export function workspaceName(v: unknown): string {
  if (v === undefined || v === null) throw badRequest('name: Field required');
  if (typeof v !== 'string') throw badRequest('name: Input should be a valid string');
  const n = charLength(v);
  if (n < 1) throw badRequest('name: String should have at least 1 character');
  if (n > WORKSPACE_NAME_MAX) throw badRequest(`name: String should have at most ${WORKSPACE_NAME_MAX} characters`);
  return v;
}

/** A hex colour such as `#6C5BB9` (§7.2); null/absent = not given. The exact accepted syntax is undocumented. */
export function displayColor(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !COLOR.test(v)) throw badRequest(`display_color: must be a hex colour such as #6C5BB9`);
  return v;
}

/**
 * §7.3/§7.6 tags: string values; on update a `null` value deletes the tag. Keys may not start with `anthropic`.
 * A top-level `tags: null` changes nothing (the emulator's reading of "map or null").
 */
export function tagsInput(v: unknown, allowNullValues: boolean): Record<string, string | null> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw badRequest('tags: Input should be a valid dictionary');
  const out: Record<string, string | null> = {};
  for (const [k, value] of Object.entries(v as Record<string, unknown>)) {
    if (reservedTagKey(k)) throw badRequest(`tags: key '${k}' is reserved: tag keys may not start with 'anthropic'`);
    if (value === null && allowNullValues) out[k] = null;
    else if (typeof value === 'string') out[k] = value;
    else throw badRequest(`tags.${k}: Input should be a valid string`);
  }
  return out;
}

function residencyObject(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badRequest('data_residency: Input should be a valid dictionary');
  for (const k of Object.keys(v)) {
    if (!['allowed_inference_geos', 'default_inference_geo', 'workspace_geo'].includes(k)) {
      throw badRequest(`data_residency.${k}: Extra inputs are not permitted`);
    }
  }
  return v as Record<string, unknown>;
}

function allowedGeos(v: unknown): string[] | 'unrestricted' {
  if (v === 'unrestricted') return v;
  if (!Array.isArray(v) || v.length === 0 || v.some((g) => typeof g !== 'string' || !GEOS.includes(g))) {
    throw badRequest(`data_residency.allowed_inference_geos: must be "unrestricted" or a non-empty list of ${GEOS.join(', ')}`);
  }
  return [...new Set(v as string[])];
}

function checkDefault(allowed: string[] | 'unrestricted', geo: unknown): string {
  if (typeof geo !== 'string' || !GEOS.includes(geo)) {
    throw badRequest(`data_residency.default_inference_geo: must be one of ${GEOS.join(', ')}`);
  }
  // §7.3: "default_inference_geo must be a member of allowed_inference_geos unless that value is unrestricted".
  if (allowed !== 'unrestricted' && !allowed.includes(geo)) {
    throw badRequest(`data_residency.default_inference_geo: '${geo}' is not in allowed_inference_geos (${allowed.join(', ')})`);
  }
  return geo;
}

/**
 * §7.3 create: defaults `workspace_geo="us"`, `allowed_inference_geos="unrestricted"`, `default_inference_geo="global"`.
 * When the allowed list excludes `global` and no default is given, the first allowed geo becomes the default (the
 * emulator's choice; the reference is silent).
 */
export function dataResidencyForCreate(v: unknown): DataResidency | undefined {
  if (v === undefined || v === null) return undefined;
  const input = residencyObject(v);
  const workspaceGeo = input.workspace_geo ?? 'us';
  if (workspaceGeo !== 'us') throw badRequest(`data_residency.workspace_geo: must be 'us'`);
  const allowed = input.allowed_inference_geos == null ? 'unrestricted' : allowedGeos(input.allowed_inference_geos);
  const fallback = allowed === 'unrestricted' || allowed.includes('global') ? 'global' : allowed[0]!;
  const def = checkDefault(allowed, input.default_inference_geo ?? fallback);
  return { allowed_inference_geos: allowed, default_inference_geo: def, workspace_geo: workspaceGeo };
}

/** §7.6 update: `allowed_inference_geos` and `default_inference_geo` may change; `workspace_geo` is immutable. */
export function dataResidencyForUpdate(current: DataResidency, v: unknown): DataResidency | undefined {
  if (v === undefined || v === null) return undefined;
  const input = residencyObject(v);
  if (input.workspace_geo != null && input.workspace_geo !== current.workspace_geo) {
    throw badRequest('data_residency.workspace_geo: cannot be changed after the workspace is created');
  }
  const allowed = input.allowed_inference_geos == null ? current.allowed_inference_geos : allowedGeos(input.allowed_inference_geos);
  const def = checkDefault(allowed, input.default_inference_geo ?? current.default_inference_geo);
  return { allowed_inference_geos: allowed, default_inference_geo: def, workspace_geo: current.workspace_geo };
}

/** §7.2 `external_key_id` (`ekey_…`): CMEK itself is not emulated, so any well-formed id is accepted. */
export function externalKeyId(v: unknown): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v !== 'string' || !/^ekey_[0-9A-Za-z]+$/.test(v)) throw badRequest('external_key_id: must be an ekey_… id');
  return v;
}
