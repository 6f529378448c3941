// Credentials come only from the environment, by the variable names the file gives (never from the file).
// Each value is registered as a secret so that no message, log or file can carry it.

import { registerSecret, UsageError } from '../errors.js';
import type { Credentials } from '../model/desired.js';

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

/** https anywhere; plain http only to this machine (the emulator). */
export function checkUrl(raw: string, what: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${what} is not a valid URL`);
  }
  if (url.protocol === 'https:') return raw.replace(/\/+$/, '');
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return raw.replace(/\/+$/, '');
  throw new UsageError(`${what} must be an https:// URL (plain http is allowed only for a loopback address such as the emulator)`);
}

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
  if (/[\s\u0000-\u001f\u007f]/.test(key)) {
    throw new UsageError(`${adminKeyEnv} contains whitespace or control characters: an API key is one unbroken word; check how it was pasted`);
  }
  if (key.startsWith('sk-ant-api03-')) {
    throw new UsageError(
      `${adminKeyEnv} holds a workspace API key (sk-ant-api03-…), which cannot call the Admin API: ` +
        'use an Admin API key (sk-ant-admin01-… for console orgs, sk-ant-api01-… for enterprise orgs)',
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
  if (!url && !token) return { missing: `${scimUrlEnv} and ${scimTokenEnv} are not set` };
  if (!url) return { missing: `${scimUrlEnv} is not set` };
  if (!token) return { missing: `${scimTokenEnv} is not set` };
  if (/[\s\u0000-\u001f\u007f]/.test(token)) {
    throw new UsageError(`${scimTokenEnv} contains whitespace or control characters: a bearer token is one unbroken word`);
  }
  return { url: checkUrl(url, scimUrlEnv), token };
}

/** The variable names a saved plan records, as the Credentials the session takes. */
export function planCredentials(c: { admin_key_env: string; base_url_env: string; scim_url_env: string; scim_token_env: string }): Credentials {
  return { adminKeyEnv: c.admin_key_env, baseUrlEnv: c.base_url_env, scimUrlEnv: c.scim_url_env, scimTokenEnv: c.scim_token_env };
}
