// The `scim` section of a seed: the organization's WorkOS-like SCIM directory (reference §13, scim.md §3.17) and
// its directory sync. An org whose seed has no `scim` section has no directory: every request under /scim/v2.0/
// answers 404. Every problem is reported with its path, like the rest of the seed (emulator/seed.ts). The directory's own
// integrity rules (unique userName ignoring case, a usable email, one active user per email, unique group
// identity) apply to seeded users and groups too, so a seed cannot build a directory WorkOS could never hold.

import { emailKey } from '../emails.js';
import { eachMapping } from '../seed-check.js';
import { hasUsableEmail, isEmailShaped, primaryEmail } from './user-emails.js';

/** Page size of `GET /Users` and `/Groups` without `count` (WorkOS's value is unknown, §16 q8; Okta pages by 100). */
export const SCIM_DEFAULT_COUNT = 100;
/** Largest page the directory returns whatever `count` asks (unknown for WorkOS, §16 q8). */
export const SCIM_MAX_COUNT = 1000;

export interface SeedScimEmail {
  value: string;
  type?: string;
  primary?: boolean;
}

export interface SeedScimUser {
  userName: string;
  /** Default: a random UUID. */
  id?: string;
  externalId?: string;
  name?: { givenName?: string; familyName?: string };
  displayName?: string;
  /** Addresses, as strings or `{value, type?, primary?}`. Default: backfilled from an email-shaped userName. */
  emails?: Array<string | SeedScimEmail>;
  /** Default true. */
  active?: boolean;
}

export interface SeedScimGroup {
  displayName: string;
  externalId?: string;
  /** Default: a random UUID. */
  id?: string;
  /** userNames of seeded SCIM users (case-insensitive). */
  members?: string[];
}

export interface SeedScim {
  /** The directory key in `/scim/v2.0/{directory}`. Default: generated at load (read it from `/_emulator/state`). */
  directory?: string;
  /** The directory's bearer token (never the admin key). Required unless `forbidden`. Never shown in state or logs. */
  token?: string;
  users?: SeedScimUser[];
  groups?: SeedScimGroup[];
  /** Run the directory sync every this many ms (real time). 0 or absent: only on `POST /_emulator/scim/sync`. */
  sync_interval_ms?: number;
  /** WorkOS "user suspension soft-delete" (§13.8). Default true; false makes a create with `active:false` a bare 400. */
  soft_delete?: boolean;
  /** Page size without `count`. Default SCIM_DEFAULT_COUNT (100), or max_count when that is smaller. */
  default_count?: number;
  /** Cap on `count`. Default SCIM_MAX_COUNT (1000). */
  max_count?: number;
  /** Non-Enterprise plan (§13.9, a design choice): every SCIM request answers 403. Default false. */
  forbidden?: boolean;
  /** Own token bucket for SCIM requests; 429 with `retry-after` past it. Default: no limit. */
  requests_per_minute?: number;
  /** Run one directory sync when the seed loads. Default false. */
  synced?: boolean;
  /** Accept Entra's `"True"`/`"False"` strings for booleans in PATCH (scim.md §3.10). Default true. */
  string_booleans?: boolean;
}

type Obj = Record<string, unknown>;
type Bad = (path: string, what: string) => void;

const FIELDS = [
  'directory', 'token', 'users', 'groups', 'sync_interval_ms', 'soft_delete', 'default_count', 'max_count',
  'forbidden', 'requests_per_minute', 'synced', 'string_booleans',
];
const USER_FIELDS = ['userName', 'id', 'externalId', 'name', 'displayName', 'emails', 'active'];
const GROUP_FIELDS = ['displayName', 'externalId', 'id', 'members'];
const DIRECTORY_KEY = /^[A-Za-z0-9_-]{1,128}$/;
const RESOURCE_ID = /^[A-Za-z0-9_.:@-]{1,128}$/;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unknownKeys(obj: Obj, path: string, allowed: string[], bad: Bad): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) bad(`${path}.${k}`, `unknown field (allowed: ${allowed.join(', ')})`);
}

function optString(obj: Obj, k: string, path: string, bad: Bad): string | undefined {
  const v = obj[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') {
    bad(`${path}.${k}`, 'must be a non-empty string');
    return undefined;
  }
  return v;
}

function optBool(obj: Obj, k: string, path: string, bad: Bad): boolean | undefined {
  const v = obj[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') {
    bad(`${path}.${k}`, 'must be true or false');
    return undefined;
  }
  return v;
}

function optInt(obj: Obj, k: string, path: string, min: number, bad: Bad): number | undefined {
  const v = obj[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    bad(`${path}.${k}`, `must be an integer >= ${min}`);
    return undefined;
  }
  return v;
}

export function validateScimSeed(value: unknown, bad: Bad): SeedScim | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObj(value)) {
    bad('scim', 'must be a mapping');
    return undefined;
  }
  unknownKeys(value, 'scim', FIELDS, bad);
  const out: SeedScim = {};

  const directory = optString(value, 'directory', 'scim', bad);
  if (directory !== undefined) {
    if (DIRECTORY_KEY.test(directory)) out.directory = directory;
    else bad('scim.directory', `'${directory}' must be 1-128 letters, digits, '_' or '-'`);
  }
  const forbidden = optBool(value, 'forbidden', 'scim', bad);
  if (forbidden !== undefined) out.forbidden = forbidden;
  if (value.token === undefined || value.token === null) {
    if (!forbidden) bad('scim.token', 'is required (the bearer token of the directory)');
  } else if (typeof value.token !== 'string' || value.token.length < 8 || /\s/.test(value.token)) {
    // Never echo a token value in an error.
    bad('scim.token', 'must be a string of at least 8 characters without spaces');
  } else out.token = value.token;

  for (const k of ['soft_delete', 'synced', 'string_booleans'] as const) {
    const b = optBool(value, k, 'scim', bad);
    if (b !== undefined) out[k] = b;
  }
  const interval = optInt(value, 'sync_interval_ms', 'scim', 0, bad);
  if (interval !== undefined) out.sync_interval_ms = interval;
  const rpm = optInt(value, 'requests_per_minute', 'scim', 1, bad);
  if (rpm !== undefined) out.requests_per_minute = rpm;
  const defaultCount = optInt(value, 'default_count', 'scim', 1, bad);
  if (defaultCount !== undefined) out.default_count = defaultCount;
  const maxCount = optInt(value, 'max_count', 'scim', 1, bad);
  if (maxCount !== undefined) out.max_count = maxCount;
  if (defaultCount !== undefined && defaultCount > (maxCount ?? SCIM_MAX_COUNT)) {
    bad('scim.default_count', `must not exceed max_count (${maxCount ?? SCIM_MAX_COUNT})`);
  }

  const ids = new Set<string>();
  const uniqueId = (obj: Obj, path: string): string | undefined => {
    const id = optString(obj, 'id', path, bad);
    if (id === undefined) return undefined;
    if (!RESOURCE_ID.test(id)) bad(`${path}.id`, `'${id}' must be 1-128 letters, digits or _ . : @ -`);
    else if (ids.has(id)) bad(`${path}.id`, `duplicate id '${id}'`);
    ids.add(id);
    return id;
  };

  const list = (k: 'users' | 'groups'): unknown[] => {
    const v = value[k];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      bad(`scim.${k}`, 'must be a list');
      return [];
    }
    return v;
  };
  const userNames = new Map<string, string>();
  const activeEmails = new Map<string, string>();
  const users: SeedScimUser[] = [];
  eachMapping(list('users'), 'scim.users', USER_FIELDS, '{userName, id?, externalId?, name?, displayName?, emails?, active?}', bad, (item, path) => {
    const user: SeedScimUser = { userName: '' };
    const userName = optString(item, 'userName', path, bad);
    if (userName === undefined) {
      if (item.userName === undefined) bad(`${path}.userName`, 'is required');
    } else {
      user.userName = userName;
      // §13.4: userName is unique ignoring case.
      const earlier = userNames.get(userName.toLowerCase());
      if (earlier) bad(`${path}.userName`, `'${userName}' is already the userName of ${earlier} (userName ignores case)`);
      userNames.set(userName.toLowerCase(), path);
    }
    const id = uniqueId(item, path);
    if (id !== undefined) user.id = id;
    const externalId = optString(item, 'externalId', path, bad);
    if (externalId !== undefined) user.externalId = externalId;
    const displayName = optString(item, 'displayName', path, bad);
    if (displayName !== undefined) user.displayName = displayName;
    if (item.name !== undefined && item.name !== null) {
      if (!isObj(item.name)) bad(`${path}.name`, 'must be a mapping {givenName?, familyName?}');
      else {
        unknownKeys(item.name, `${path}.name`, ['givenName', 'familyName'], bad);
        const name: { givenName?: string; familyName?: string } = {};
        const given = optString(item.name, 'givenName', `${path}.name`, bad);
        const family = optString(item.name, 'familyName', `${path}.name`, bad);
        if (given !== undefined) name.givenName = given;
        if (family !== undefined) name.familyName = family;
        user.name = name;
      }
    }
    const active = optBool(item, 'active', path, bad);
    if (active !== undefined) user.active = active;
    if (item.emails !== undefined && item.emails !== null) {
      if (!Array.isArray(item.emails)) bad(`${path}.emails`, 'must be a list of addresses or {value, type?, primary?}');
      else {
        const emails: Array<string | SeedScimEmail> = [];
        item.emails.forEach((e, j) => {
          const epath = `${path}.emails[${j}]`;
          if (typeof e === 'string' && e.trim() !== '') return void emails.push(e);
          if (!isObj(e)) return bad(epath, 'must be an address or {value, type?, primary?}');
          unknownKeys(e, epath, ['value', 'type', 'primary'], bad);
          const v = optString(e, 'value', epath, bad);
          if (v === undefined) return e.value === undefined ? bad(`${epath}.value`, 'is required') : undefined;
          const entry: SeedScimEmail = { value: v };
          const type = optString(e, 'type', epath, bad);
          if (type !== undefined) entry.type = type;
          const primary = optBool(e, 'primary', epath, bad);
          if (primary !== undefined) entry.primary = primary;
          emails.push(entry);
        });
        user.emails = emails;
      }
    }
    const normalized = seedUserEmails(user);
    if (userName !== undefined && !hasUsableEmail(normalized)) {
      bad(path, 'needs an address: give emails, or an email-shaped userName (§13.4 "Required attributes missing: emails")');
    }
    // §13.4: no two active users share an email.
    const email = primaryEmail(normalized);
    if (email !== undefined && user.active !== false) {
      const earlier = activeEmails.get(emailKey(email));
      if (earlier) bad(path, `the active user ${earlier} already has the email '${email}'`);
      activeEmails.set(emailKey(email), path);
    }
    users.push(user);
  });
  if (value.users !== undefined) out.users = users;

  const identities = new Map<string, string>();
  const groups: SeedScimGroup[] = [];
  eachMapping(list('groups'), 'scim.groups', GROUP_FIELDS, '{displayName, externalId?, id?, members?}', bad, (item, path) => {
    const group: SeedScimGroup = { displayName: '' };
    const displayName = optString(item, 'displayName', path, bad);
    if (displayName === undefined && item.displayName === undefined) bad(`${path}.displayName`, 'is required');
    if (displayName !== undefined) group.displayName = displayName;
    const externalId = optString(item, 'externalId', path, bad);
    if (externalId !== undefined) group.externalId = externalId;
    const id = uniqueId(item, path);
    if (id !== undefined) group.id = id;
    // §13.5: identity is externalId if present, else displayName.
    const identity = externalId ?? displayName;
    if (identity !== undefined) {
      const earlier = identities.get(identity);
      if (earlier) bad(path, `another group (${earlier}) already has the identity '${identity}' (externalId, else displayName)`);
      identities.set(identity, path);
    }
    if (item.members !== undefined && item.members !== null) {
      if (!Array.isArray(item.members)) bad(`${path}.members`, 'must be a list of userNames');
      else {
        const members: string[] = [];
        const seen = new Set<string>();
        item.members.forEach((m, j) => {
          const mpath = `${path}.members[${j}]`;
          if (typeof m !== 'string' || m === '') return bad(mpath, 'must be the userName of a seeded SCIM user');
          if (!userNames.has(m.toLowerCase())) return bad(mpath, `'${m}' is not the userName of a user under scim.users`);
          if (seen.has(m.toLowerCase())) return bad(mpath, `'${m}' is listed twice`);
          seen.add(m.toLowerCase());
          members.push(m);
        });
        group.members = members;
      }
    }
    groups.push(group);
  });
  if (value.groups !== undefined) out.groups = groups;
  return out;
}

/** A seeded user's emails in SCIM form, with WorkOS's backfill from an email-shaped userName (§13.4). */
export function seedUserEmails(user: SeedScimUser): SeedScimEmail[] {
  // A bare address string is a work address, so the first one is the primary (§13.4 selection order).
  const given = (user.emails ?? []).map((e) => (typeof e === 'string' ? { value: e, type: 'work' } : e));
  if (given.length > 0) return given;
  return user.userName && isEmailShaped(user.userName) ? [{ primary: true, type: 'work', value: user.userName }] : [];
}
