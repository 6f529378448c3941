// Credentials come only from the environment, by the variable names the file gives (never from the file).
// Each value is registered as a secret so that no message, log or file can carry it.

import { registerSecret, UsageError } from '../errors.js';
import { DEFAULTS } from '../config/normalize.js';
import type { Credentials } from '../model/desired.js';

const DEFAULT_CREDENTIAL_NAMES = DEFAULTS.credentials;

export const DEFAULT_BASE_URL = 'https://api.anthropic.com';

export interface AdminCredentials {
  baseUrl: string;
  adminKey: string;
}

export interface ScimCredentials {
  url: string;
  token: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** Path segments that are part of every SCIM URL and not secret. */
const PUBLIC_SEGMENTS = new Set(['scim', 'v2.0', 'v2', 'users', 'groups']);

/**
 * Registers the secret parts of a URL before anything checks it, so that no later message can carry them however
 * malformed the URL is: the user info (`user:password@`) of any URL, and for the SCIM URL the whole path after the
 * host (with the query) and each of its segments that is not a fixed word (`scim`, `v2.0`, `Users`, …): the
 * directory key in `…/scim/v2.0/{directory}` is as secret as the token. Done on the raw text, not on a parsed URL,
 * so an unparsable URL is covered too.
 */
function registerUrlSecrets(raw: string, withPath: boolean): void {
  const m = /^([^:/?#\s]*:)?(?:\/\/|\\\\)?([^/?#\\]*)(.*)$/s.exec(raw);
  if (!m) return;
  const authority = m[2] ?? '';
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const info = authority.slice(0, at);
    registerSecret(info);
    for (const part of info.split(':')) {
      registerSecret(part);
      registerSecret(safeDecode(part));
    }
  }
  if (!withPath) return;
  const rest = (m[3] ?? '').replace(/\/+$/, '');
  registerSecret(rest);
  registerSecret(safeDecode(rest));
  for (const seg of rest.split(/[/?#&=\\]+/)) {
    if (PUBLIC_SEGMENTS.has(seg.toLowerCase())) continue;
    registerSecret(seg);
    registerSecret(safeDecode(seg));
  }
  // the path as a URL parser writes it (spaces and other characters percent-encoded)
  try {
    const u = new URL(raw);
    registerSecret(`${u.pathname}${u.search}`.replace(/\/+$/, ''));
  } catch {
    // unparsable: the raw forms above are all there is
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * https anywhere; plain http only to this machine (the emulator). A URL is never echoed in a message, whatever is
 * wrong with it: it may hold a password, or (the SCIM URL) the directory key. Refused: user info, whitespace or
 * control characters, a query string or a fragment (the client appends `/v1/…`, `/Users`, `/Groups` to the path).
 * Returns the URL as parsed, without a trailing slash.
 */
export function checkUrl(raw: string, what: string, opts: { scim?: boolean } = {}): string {
  registerUrlSecrets(raw, opts.scim ?? false);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${what} is not a valid URL`);
  }
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(raw)) {
    throw new UsageError(`${what} contains whitespace or control characters: a URL is one unbroken word; check how it was pasted`);
  }
  if (url.username !== '' || url.password !== '' || /^[^/?#]*\/\/[^/?#]*@/.test(raw)) {
    throw new UsageError(
      `${what} must not contain a user name or password (user:password@host): credentials are read only from their own ` +
        'variables; the URL was not used and is not shown',
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new UsageError(`${what} must be an https:// URL (plain http is allowed only for a loopback address such as the emulator)`);
  }
  if (/[?#]/.test(raw)) {
    throw new UsageError(`${what} must not have a query string or a fragment (? or #): paths are appended to it`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (opts.scim) {
    if (path.includes('//')) {
      throw new UsageError(`${what} has an empty path segment (//): expected https://…/scim/v2.0/<directory key>`);
    }
    if (/\/(users|groups)(\/|$)/i.test(path)) {
      throw new UsageError(`${what} must be the directory's base URL (…/scim/v2.0/<directory key>), without /Users or /Groups`);
    }
  }
  return `${url.origin}${path}`;
}

/**
 * Registers, before any command runs, the credentials found under the default variable names: a command that never
 * reads them (validate, a file with errors) may still print a value that equals one (a token pasted into the file
 * as a role). Variables that a file names instead are registered when they are read.
 */
export function registerEnvironmentSecrets(env: Record<string, string | undefined>): void {
  const d = DEFAULT_CREDENTIAL_NAMES;
  for (const name of [d.adminKeyEnv, d.scimTokenEnv, d.oauthTokenEnv]) {
    const v = env[name]?.trim();
    registerSecret(v);
    for (const part of v?.split(/\s+/) ?? []) registerSecret(part);
  }
  const scim = env[d.scimUrlEnv]?.trim();
  if (scim) registerUrlSecrets(scim, true);
  const base = env[d.baseUrlEnv]?.trim();
  if (base) registerUrlSecrets(base, false);
}

/** A key or token is printable ASCII without spaces (RFC 6750 b64token for bearer tokens; Anthropic keys too). */
const NOT_A_TOKEN = /[^\x21-\x7e]/;

/** An Admin API key by its shape: `sk-ant-admin01-…` (console) or `sk-ant-api01-…` (enterprise), at least 8 more characters. */
const ADMIN_KEY_SHAPE = /^sk-ant-(admin|api)\d{2}-\S{8,}$/;

export function adminCredentials(names: Credentials, env: Record<string, string | undefined>): AdminCredentials {
  const { adminKeyEnv, baseUrlEnv } = names;
  const key = env[adminKeyEnv]?.trim();
  const baseUrl = checkUrl(env[baseUrlEnv]?.trim() || DEFAULT_BASE_URL, baseUrlEnv);
  if (!key) {
    throw new UsageError(
      `${adminKeyEnv} is not set: export an Admin API key (console: sk-ant-admin01-…, created by an admin in ` +
        'Console → Settings → Admin keys; enterprise: sk-ant-api01-… with the member scopes, created in claude.ai)',
    );
  }
  registerSecret(key);
  if (NOT_A_TOKEN.test(key)) {
    throw new UsageError(
      `${adminKeyEnv} contains whitespace or control characters (or characters outside printable ASCII): an API key is one ` +
        'unbroken word; check how it was pasted',
    );
  }
  if (key.startsWith('sk-ant-api03-')) {
    throw new UsageError(
      `${adminKeyEnv} holds a workspace API key (sk-ant-api03-…), which cannot call the Admin API: ` +
        'use an Admin API key (sk-ant-admin01-… for console orgs, sk-ant-api01-… for enterprise orgs)',
    );
  }
  // Refused before any request: a value that cannot be an Admin API key (a file path, a variable name, a token of
  // another service, a key cut short) would only earn a 401 — or be sent to a server that logs it.
  if (!ADMIN_KEY_SHAPE.test(key)) {
    throw new UsageError(
      `${adminKeyEnv} does not hold an Anthropic Admin API key: one starts with sk-ant-admin01- (console orgs) or ` +
        'sk-ant-api01- (enterprise orgs) followed by the key itself; check what the variable holds. Nothing was sent.',
    );
  }
  return { baseUrl, adminKey: key };
}

/** The SCIM endpoint and token, or why they are missing (then SCIM changes are `unavailable`). */
export function scimCredentials(names: Credentials, env: Record<string, string | undefined>): ScimCredentials | { missing: string } {
  const { scimUrlEnv, scimTokenEnv } = names;
  const url = env[scimUrlEnv]?.trim();
  const token = env[scimTokenEnv]?.trim();
  if (token) registerSecret(token);
  if (url) registerUrlSecrets(url, true);
  if (!url && !token) return { missing: `${scimUrlEnv} and ${scimTokenEnv} are not set` };
  if (!url) return { missing: `${scimUrlEnv} is not set` };
  if (!token) return { missing: `${scimTokenEnv} is not set` };
  if (NOT_A_TOKEN.test(token)) {
    throw new UsageError(
      `${scimTokenEnv} contains whitespace or control characters (or characters outside printable ASCII): a bearer token ` +
        'is one unbroken word',
    );
  }
  return { url: checkUrl(url, scimUrlEnv, { scim: true }), token };
}

/**
 * The OAuth access token (`org:admin`) the service-account endpoints take instead of an admin key, or why it is
 * missing (then service-account changes are `unavailable`). Registered as a secret before anything checks it.
 */
export function oauthToken(names: Credentials, env: Record<string, string | undefined>): { token: string } | { missing: string } {
  const { oauthTokenEnv } = names;
  const token = env[oauthTokenEnv]?.trim();
  if (!token) return { missing: `${oauthTokenEnv} is not set` };
  registerSecret(token);
  for (const part of token.split(/\s+/)) registerSecret(part);
  if (NOT_A_TOKEN.test(token)) {
    throw new UsageError(
      `${oauthTokenEnv} contains whitespace or control characters (or characters outside printable ASCII): an OAuth access ` +
        'token is one unbroken word; check how it was pasted',
    );
  }
  if (ADMIN_KEY_SHAPE.test(token) || token.startsWith('sk-ant-')) {
    throw new UsageError(
      `${oauthTokenEnv} holds an API key, not an OAuth access token: the service-account endpoints accept only an OAuth ` +
        'token with the org:admin scope (ant auth login --scope org:admin, or a workload identity federation rule). Nothing was sent.',
    );
  }
  return { token };
}

/** The variable names a saved plan records, as the Credentials the session takes. */
export function planCredentials(c: {
  admin_key_env: string;
  base_url_env: string;
  scim_url_env: string;
  scim_token_env: string;
  oauth_token_env?: string | undefined;
}): Credentials {
  return {
    adminKeyEnv: c.admin_key_env,
    baseUrlEnv: c.base_url_env,
    scimUrlEnv: c.scim_url_env,
    scimTokenEnv: c.scim_token_env,
    oauthTokenEnv: c.oauth_token_env ?? DEFAULT_CREDENTIAL_NAMES.oauthTokenEnv,
  };
}
