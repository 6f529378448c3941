// Helpers for the SCIM directory tests: a seed with a directory, and requests to /scim/v2.0/{directory} with the
// directory's bearer token.

import type { RunningEmulator, Seed, SeedScim } from '../../src/emulator/index.js';
import type { Answer } from './helpers.js';

export const SCIM_TOKEN = 'scim-directory-token-0001';
export const DIRECTORY = 'dir_acme_test';
export const SCIM_BASE = `/scim/v2.0/${DIRECTORY}`;
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An Enterprise org with a SCIM directory (defaults: the test directory key and token). */
export function scimSeed(scim: Partial<SeedScim> = {}, seed: Partial<Seed> = {}): Seed {
  return {
    organization: { kind: 'enterprise', provisioning: 'scim' },
    ...seed,
    scim: { directory: DIRECTORY, token: SCIM_TOKEN, ...scim },
  };
}

export interface ScimCallOptions {
  method?: string;
  body?: unknown;
  /** Default: SCIM_TOKEN; null sends no Authorization header. */
  token?: string | null;
  contentType?: string;
  headers?: Record<string, string>;
}

/** One request under the test directory (`path` starts with `/Users`, `/Groups`…), or a full path if it starts with /scim. */
export async function scim<T = any>(emu: RunningEmulator, path: string, opts: ScimCallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? SCIM_TOKEN : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['content-type'] = opts.contentType ?? 'application/scim+json';
  const res = await fetch(emu.url + (path.startsWith('/scim') ? path : SCIM_BASE + path), {
    method: opts.method ?? (opts.body !== undefined ? 'POST' : 'GET'),
    headers,
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  let body: any;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** Asserts a SCIM error body (RFC 7644 §3.12: status as a string) and returns its detail. */
export function expectScimError(a: Answer, status: number, scimType?: string): string {
  const ok =
    a.status === status &&
    Array.isArray(a.body?.schemas) &&
    a.body.schemas[0] === ERROR_SCHEMA &&
    a.body.status === String(status) &&
    (scimType === undefined ? true : a.body.scimType === scimType);
  if (!ok) throw new Error(`expected SCIM ${status}${scimType ? ` ${scimType}` : ''}, got ${a.status} ${a.text}`);
  if (!(a.headers.get('content-type') ?? '').startsWith('application/scim+json')) throw new Error('not application/scim+json');
  return String(a.body.detail ?? '');
}

export function patchBody(...operations: Array<Record<string, unknown>>): Record<string, unknown> {
  return { schemas: [PATCH_SCHEMA], Operations: operations };
}

export function userBody(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [USER_SCHEMA], userName, ...extra };
}
