// Credentials never go in the desired-state file (desired-state.md "organization"; issue 6 item 5): the file is
// committed and shared, the keys are read only from the environment. Two mistakes are caught here, each as an error
// at its place that never repeats the value: an Anthropic key written anywhere in the text (a value, a key, even a
// comment), and a secret pasted where the name of an environment variable belongs
// (`organization.credentials.scim_token_env: <the token>`), which the schema accepts when the token happens to be
// made of letters, digits and `_`, and which a later "…is not set" message would then print.

import type { Diagnostic } from '../model/diagnostic.js';
import { CONFIG_CODES } from './codes.js';
import type { PositionIndex } from './yaml-positions.js';

/** The shape of Anthropic admin, API and OAuth keys (errors.ts scrubs the same shape from every message). */
const ANTHROPIC_KEY = /sk-ant-[A-Za-z0-9_-]{20,}/g;
const MAX_REPORTS = 10;

const ENV_FIELDS = ['admin_key_env', 'scim_url_env', 'scim_token_env', 'base_url_env'] as const;

export function anthropicKeysInText(text: string, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!text.includes('sk-ant-')) return out;
  for (const m of text.matchAll(ANTHROPIC_KEY)) {
    const before = text.slice(0, m.index);
    const line = before.split('\n').length;
    const column = m.index - (before.lastIndexOf('\n') + 1) + 1;
    out.push({
      severity: 'error',
      code: CONFIG_CODES.credentialInFile,
      message: 'an Anthropic API key is written here; credentials never go in this file: export the key and name its ' +
        'variable under organization.credentials.admin_key_env (default ANTHROPIC_ADMIN_KEY), and revoke this key if ' +
        'the file was shared',
      file,
      line,
      column,
    });
    if (out.length >= MAX_REPORTS) break;
  }
  return out;
}

/**
 * Variable names are conventionally short UPPER_SNAKE_CASE; a value of 32 characters or more that mixes lower case,
 * upper case and digits is a random token, not a name.
 */
export function looksLikeSecret(name: string): boolean {
  return name.length >= 32 && /[a-z]/.test(name) && /[A-Z]/.test(name) && /\d/.test(name);
}

export function secretsAsEnvNames(data: unknown, index: PositionIndex): Diagnostic[] {
  const org = isObj(data) ? data.organization : undefined;
  const cred = isObj(org) ? org.credentials : undefined;
  if (!isObj(cred)) return [];
  const out: Diagnostic[] = [];
  for (const field of ENV_FIELDS) {
    const v = cred[field];
    // an Anthropic key is already reported where it is written (anthropicKeysInText)
    if (typeof v !== 'string' || !looksLikeSecret(v) || v.includes('sk-ant-')) continue;
    const pos = index.value(['organization', 'credentials', field]);
    out.push({
      severity: 'error',
      code: CONFIG_CODES.credentialInFile,
      message: `organization.credentials.${field}: this looks like a secret, not the name of an environment variable; ` +
        'credentials never go in this file: put the value in an environment variable and write that variable\'s name here',
      file: pos.file,
      line: pos.line,
      column: pos.column,
    });
  }
  return out;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
