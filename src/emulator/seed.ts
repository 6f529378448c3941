// Seeds: the whole starting state of an emulated organization, from YAML or JSON. `parseSeed` checks everything
// and reports every problem at once, each with the file and the path of the bad value. Missing ids and timestamps
// are filled in when the store loads the seed (store.ts), not here, so a Seed stays what its author wrote.

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { WireOrgKind } from '../clients/wire.js';
import { validateApiKeysSeed, type SeedApiKey } from './admin/api-keys/seed.js';
import { validateRbacGroupsSeed, type SeedRbacGroup } from './admin/groups/seed.js';
import { validateInvitesSeed, type SeedInvite } from './admin/invites/seed.js';
import { validateRbacRolesSeed, type SeedRbacRole } from './admin/roles/seed.js';
import { validateServiceAccountsSeed, type SeedServiceAccount } from './admin/service-accounts/seed.js';
import { validateUsersSeed, type SeedUser } from './admin/users/seed.js';
import { WORKSPACE_SEED_KEYS, validateWorkspaceSeed, type WorkspaceSeedFields } from './admin/workspaces/seed.js';
import { validateOAuthTokensSeed, type CredentialsSeen, type SeedOAuthToken } from './oauth-tokens.js';
import { emailKey } from './emails.js';
import { validateScimSeed, type SeedScim } from './scim/seed.js';
import { isObj, seedChecks, uniqueIdCheck } from './seed-check.js';

/**
 * The admin key of an emulator started without a seed (or with a seed that has no `admin_keys`): a Console key
 * with full access. It is a public, documented test value, not a secret; never use it outside the emulator.
 */
export const DEFAULT_ADMIN_KEY = 'sk-ant-admin01-emulator-default-key';

/** Organization of an emulator started without a seed: a Console org with invite provisioning. */
export const DEFAULT_ORGANIZATION = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Emulated Organization',
  kind: 'console',
  provisioning: 'invite',
} as const;

export type Provisioning = 'invite' | 'jit' | 'scim';

export interface SeedOrganization {
  /** UUID (§2.10); generated when missing. */
  id?: string;
  name?: string;
  /** Default `console`. */
  kind?: WireOrgKind;
  /** Default `invite`; `jit` and `scim` refuse API invites, `scim` refuses removals (§13.2). */
  provisioning?: Provisioning;
}

export interface SeedAdminKey {
  key: string;
  /** Enterprise keys (§2.3): the scopes granted. Absent = a Console key with full access. */
  scopes?: string[];
  /** How the key shows up in logs and `/_emulator/state`; default `admin-key-<n>`. */
  name?: string;
  /** Email of the seeded member the key acts for (who created it; sign-out refuses them: `cannot_sign_out_self`). */
  user?: string;
}

export interface SeedRateLimits {
  requests_per_minute?: number;
  invites_per_hour?: number;
}

export interface Seed {
  organization?: SeedOrganization;
  /** Absent: the single DEFAULT_ADMIN_KEY. An empty list: no key works (every request is a 401). */
  admin_keys?: Array<string | SeedAdminKey>;
  /** OAuth bearer tokens (`org:admin`); the only credential the service-account endpoints take. See oauth-tokens.ts. */
  oauth_tokens?: SeedOAuthToken[];
  users?: SeedUser[];
  invites?: SeedInvite[];
  rate_limits?: SeedRateLimits;
  /** Console orgs (§7, §8): see admin/workspaces/seed.ts. */
  workspaces?: WorkspaceSeedFields['workspaces'];
  default_workspace_id?: WorkspaceSeedFields['default_workspace_id'];
  workspace_members?: WorkspaceSeedFields['workspace_members'];
  /** Console orgs (§9): see admin/api-keys/seed.ts. */
  api_keys?: SeedApiKey[];
  /** Console orgs: service accounts (`svac_…`) and their workspace memberships; see admin/service-accounts/seed.ts. */
  service_accounts?: SeedServiceAccount[];
  /** Enterprise orgs (§11): direct RBAC groups; see admin/groups/seed.ts. */
  rbac_groups?: SeedRbacGroup[];
  /** Enterprise orgs: custom RBAC roles beside the built-in ones; see admin/roles/seed.ts. */
  rbac_roles?: SeedRbacRole[];
  /** The SCIM directory and its sync (§13); see scim/seed.ts. Absent: the org has no directory. */
  scim?: SeedScim;
}

/** A seed that cannot be used; `problems` lists every finding, each prefixed with the source. */
export class SeedError extends Error {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`invalid emulator seed ${source}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'SeedError';
    this.problems = problems;
  }
}

export function defaultSeed(): Seed {
  return { organization: { ...DEFAULT_ORGANIZATION } };
}

export function loadSeedFile(path: string): Seed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SeedError(path, [`cannot read the file: ${(e as Error).message}`]);
  }
  return parseSeed(text, path);
}

/** Parses YAML or JSON (chosen by content: JSON starts with `{`), then validates. */
export function parseSeed(text: string, source: string): Seed {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new SeedError(source, ['the seed is empty']);
  let value: unknown;
  if (body.trimStart().startsWith('{')) {
    try {
      value = JSON.parse(body);
    } catch (e) {
      throw new SeedError(source, [`not valid JSON: ${(e as Error).message}`]);
    }
  } else {
    try {
      value = parseYaml(body, { prettyErrors: true });
    } catch (e) {
      throw new SeedError(source, [`not valid YAML: ${(e as Error).message}`]);
    }
  }
  return validateSeed(value, source);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SCOPE = /^[a-z_]+:[a-z_]+$/;


/** Checks a seed value (from a file, a test, or `PUT /_emulator/state`) and returns it typed. */
export function validateSeed(value: unknown, source: string): Seed {
  const problems: string[] = [];
  const bad = (path: string, what: string): void => {
    problems.push(`${path}: ${what}`);
  };
  if (!isObj(value)) throw new SeedError(source, ['the seed must be a mapping (an object)']);

  const { unknownKeys, str, list } = seedChecks(bad, value);

  unknownKeys(value, '', [
    'organization', 'admin_keys', 'oauth_tokens', 'users', 'invites', 'rate_limits', ...WORKSPACE_SEED_KEYS, 'api_keys',
    'service_accounts', 'rbac_groups', 'rbac_roles', 'scim',
  ]);

  const seed: Seed = {};
  let kind: WireOrgKind = 'console';
  const org = value.organization;
  if (org !== undefined && org !== null) {
    if (!isObj(org)) bad('organization', 'must be a mapping');
    else {
      unknownKeys(org, 'organization', ['id', 'name', 'kind', 'provisioning']);
      const out: SeedOrganization = {};
      const id = str(org, 'id', 'organization', false);
      if (id !== undefined) {
        if (UUID.test(id)) out.id = id;
        else bad('organization.id', `'${id}' is not a UUID (§2.10)`);
      }
      const name = str(org, 'name', 'organization', false);
      if (name !== undefined) out.name = name;
      const k = str(org, 'kind', 'organization', false);
      if (k !== undefined) {
        if (k === 'console' || k === 'enterprise') out.kind = kind = k;
        else bad('organization.kind', `'${k}' must be console or enterprise`);
      }
      const p = str(org, 'provisioning', 'organization', false);
      if (p !== undefined) {
        if (p === 'invite' || p === 'jit' || p === 'scim') out.provisioning = p;
        else bad('organization.provisioning', `'${p}' must be invite, jit or scim`);
      }
      seed.organization = out;
    }
  }

  // Admin keys and OAuth tokens share one namespace of values and of names (logs and rate limits go by name).
  const seen: CredentialsSeen = { values: new Map(), names: new Set() };
  const keyUsers: Array<{ path: string; email: string }> = [];
  if (value.admin_keys === undefined || value.admin_keys === null) {
    seen.values.set(DEFAULT_ADMIN_KEY, 'the default admin key');
    seen.names.add('admin-key-1');
  } else {
    const keys: Array<string | SeedAdminKey> = [];
    const seenValues = seen.values;
    const seenNames = seen.names;
    list('admin_keys').forEach((item, i) => {
      const path = `admin_keys[${i}]`;
      let key: SeedAdminKey | undefined;
      if (typeof item === 'string') key = { key: item };
      else if (isObj(item)) {
        unknownKeys(item, path, ['key', 'scopes', 'name', 'user']);
        const k = str(item, 'key', path, true);
        if (k !== undefined) key = { key: k };
        const name = str(item, 'name', path, false);
        if (key && name !== undefined) key.name = name;
        const user = str(item, 'user', path, false);
        if (key && user !== undefined) {
          key.user = user;
          keyUsers.push({ path: `${path}.user`, email: user });
        }
        if (item.scopes !== undefined) {
          if (!Array.isArray(item.scopes) || item.scopes.some((s) => typeof s !== 'string' || !SCOPE.test(s))) {
            bad(`${path}.scopes`, 'must be a list of scopes such as read:members (§2.3)');
          } else if (key) key.scopes = item.scopes as string[];
        }
      } else bad(path, 'must be a key string or a mapping {key, scopes?, name?, user?}');
      if (!key) return;
      // Never echo a key value in an error: name the entries instead.
      if (key.key.length < 8 || /\s/.test(key.key)) bad(path, 'the key must be at least 8 characters without spaces');
      const earlier = seenValues.get(key.key);
      if (earlier !== undefined) bad(path, `the same key value as ${earlier}`);
      seenValues.set(key.key, path);
      const name = key.name ?? `admin-key-${i + 1}`;
      if (seenNames.has(name)) bad(path, `duplicate key name '${name}'`);
      seenNames.add(name);
      keys.push(typeof item === 'string' ? item : key);
    });
    seed.admin_keys = keys;
  }

  const uniqueId = uniqueIdCheck(bad);
  const { users, memberEmails } = validateUsersSeed(value, { kind, bad, uniqueId });
  if (value.users !== undefined) seed.users = users;
  for (const { path, email } of keyUsers) {
    if (!memberEmails.has(emailKey(email))) bad(path, `'${email}' is not a seeded user`);
  }
  const oauthTokens = validateOAuthTokensSeed(value, { bad, seen, memberEmails });
  if (oauthTokens !== undefined) seed.oauth_tokens = oauthTokens;
  const invites = validateInvitesSeed(value, { kind, bad, uniqueId });
  if (value.invites !== undefined) seed.invites = invites;

  const workspaces = validateWorkspaceSeed(value, { kind, users, bad });
  Object.assign(seed, workspaces.fields);
  const serviceAccounts = validateServiceAccountsSeed(value, { kind, bad, refs: workspaces.refs });
  if (serviceAccounts.accounts !== undefined) seed.service_accounts = serviceAccounts.accounts;
  const apiKeys = validateApiKeysSeed(value, { kind, bad, refs: workspaces.refs, serviceAccounts: serviceAccounts.refs });
  if (apiKeys !== undefined) seed.api_keys = apiKeys;

  const limits = value.rate_limits;
  if (limits !== undefined && limits !== null) {
    if (!isObj(limits)) bad('rate_limits', 'must be a mapping');
    else {
      unknownKeys(limits, 'rate_limits', ['requests_per_minute', 'invites_per_hour']);
      const out: SeedRateLimits = {};
      for (const k of ['requests_per_minute', 'invites_per_hour'] as const) {
        const v = limits[k];
        if (v === undefined || v === null) continue;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) bad(`rate_limits.${k}`, 'must be a positive integer');
        else out[k] = v;
      }
      seed.rate_limits = out;
    }
  }

  const rbacRoles = validateRbacRolesSeed(value.rbac_roles, kind, bad);
  if (rbacRoles !== undefined) seed.rbac_roles = rbacRoles;
  const rbacGroups = validateRbacGroupsSeed(value.rbac_groups, kind, new Set(memberEmails.keys()), bad, rbacRoles);
  if (rbacGroups !== undefined) seed.rbac_groups = rbacGroups;
  const scim = validateScimSeed(value.scim, bad);
  if (scim !== undefined) seed.scim = scim;

  if (problems.length > 0) throw new SeedError(source, problems);
  return seed;
}
