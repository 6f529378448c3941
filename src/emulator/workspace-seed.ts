// Seed fields of a Console org's workspaces, workspace members and API keys (§7–§9), and their validation. Called
// from `validateSeed` (seed.ts) so every problem is reported at once with its path, like the rest of the seed.
// Workspaces and keys are referred to by name/email here; the store resolves them to ids when it loads.

import type { WireOrgKind } from '../clients/wire.js';
import { emailKey } from './emails.js';
import { looksLikeId } from './ids.js';
import type { SeedUser } from './seed.js';
import { isAssignableWorkspaceRole } from './workspace-roles.js';
import { isObj, seedChecks, type Bad, type Obj } from './seed-check.js';

export interface SeedWorkspace {
  /** 1–40 characters (§7.3). Names need not be unique (the API does not say they are). */
  name: string;
  /** Default: a new random `wrkspc_01…` id. */
  id?: string;
  /** `#RRGGBB`; default: a colour from a fixed palette. */
  display_color?: string;
  /** Archived workspaces are kept and listed only with `include_archived=true` (§7.4). */
  archived?: boolean;
  /** RFC 3339; implies `archived: true`. Default for an archived workspace: load time. */
  archived_at?: string;
  /** RFC 3339. Default: one second apart in seed order, the last listed created at load time (newest). */
  created_at?: string;
  /** §7.2 user tags; keys may not start with `anthropic`. */
  tags?: Record<string, string>;
}

export interface SeedWorkspaceMember {
  /** The workspace's name (must name exactly one seeded workspace), or `workspace_id`. */
  workspace?: string;
  workspace_id?: string;
  /** A seeded user's email, or `user_id` (a seeded user's explicit id). */
  email?: string;
  user_id?: string;
  /**
   * One of the four assignable workspace roles (§8.2). Seeding an org admin or billing member is allowed: the
   * membership is kept but hidden while their org role makes them implicit (§3.2), as after a promotion.
   */
  role: string;
}

export type SeedApiKeyStatus = 'active' | 'inactive' | 'archived' | 'expired';

export interface SeedApiKey {
  /** 1–500 characters (§9.4). */
  name: string;
  /** Email of a seeded user; or `created_by_user_id` (any user id, e.g. of a departed member, §5.5). Neither: `created_by: null` (legacy key, §9.1). */
  created_by?: string;
  created_by_user_id?: string;
  /** The workspace's name, or `workspace_id`; neither = the Default Workspace. */
  workspace?: string;
  workspace_id?: string;
  /** Default `active`. A key in an archived workspace cannot be `active` (§7.7). */
  status?: SeedApiKeyStatus;
  /**
   * SDK 1.17 `principal`: the key acts as this seeded user (`{type:"user_actor", user_id}`), or as a service account
   * (`principal_service_account_id`, `{type:"service_account_actor", service_account_id}`). Neither: no principal.
   */
  principal_user?: string;
  principal_service_account_id?: string;
  /** SDK 1.17 `scope: {type:"organization"}`: a principal-bound key with no workspace. Needs a principal. */
  organization_scope?: boolean;
  /** Default: a new random `apikey_01…` id. */
  id?: string;
  /** Default: a random hint such as `sk-ant-api03-R2D...igAA` (§9.1). */
  partial_key_hint?: string;
  /** RFC 3339. Default: one second apart in seed order, ending at load time. */
  created_at?: string;
}

export interface WorkspaceSeedFields {
  workspaces?: SeedWorkspace[];
  /** The hidden Default Workspace's id (§7.1); default: a new random `wrkspc_01…` id. */
  default_workspace_id?: string;
  workspace_members?: SeedWorkspaceMember[];
  api_keys?: SeedApiKey[];
}

export const WORKSPACE_SEED_KEYS = ['workspaces', 'default_workspace_id', 'workspace_members', 'api_keys'] as const;

/** §7.1: at most 100 non-archived workspaces per org (the Default Workspace is not counted, see the store). */
export const MAX_ACTIVE_WORKSPACES = 100;
export const WORKSPACE_NAME_MAX = 40;
export const API_KEY_NAME_MAX = 500;
export const COLOR = /^#[0-9A-Fa-f]{6}$/;

const KEY_STATUSES: readonly string[] = ['active', 'inactive', 'archived', 'expired'];


/** Length in characters (code points), as a user counts them. */
export function charLength(s: string): number {
  return [...s].length;
}

/** §7.3: tag keys may not begin with `anthropic` (compared case-insensitively: the emulator's choice). */
export function reservedTagKey(key: string): boolean {
  return key.toLowerCase().startsWith('anthropic');
}

/** Validates the workspace fields of a seed; problems go to `bad`, the checked fields are returned. */
export function validateWorkspaceSeed(
  value: Obj,
  ctx: { kind: WireOrgKind; users: readonly SeedUser[]; bad: Bad },
): WorkspaceSeedFields {
  const { bad } = ctx;
  const out: WorkspaceSeedFields = {};
  const present = WORKSPACE_SEED_KEYS.filter((k) => value[k] !== undefined && value[k] !== null);
  if (ctx.kind !== 'console') {
    // §2.1: workspaces, workspace members and API keys exist only in Console orgs.
    for (const k of present) bad(k, `only a console organization has ${k.replace(/_/g, ' ')} (§2.1)`);
    return out;
  }

  const { unknownKeys, str, time, list } = seedChecks(bad, value);
  const ids = new Set<string>();
  const uniqueId = (obj: Obj, path: string, prefix: 'wrkspc' | 'apikey', field = 'id'): string | undefined => {
    const v = obj[field];
    const at = path ? `${path}.${field}` : field;
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || v === '') {
      bad(at, 'must be a non-empty string');
      return undefined;
    }
    const id = v;
    if (!looksLikeId(prefix, id)) bad(at, `'${id}' is not a ${prefix}_… id (§2.10)`);
    else if (ids.has(id)) bad(at, `duplicate id '${id}'`);
    ids.add(id);
    return id;
  };

  // ---- the Default Workspace ----
  if (value.default_workspace_id !== undefined && value.default_workspace_id !== null) {
    const id = uniqueId(value, '', 'wrkspc', 'default_workspace_id');
    if (id !== undefined) out.default_workspace_id = id;
  }
  const defaultId = out.default_workspace_id;

  // ---- workspaces ----
  const workspaces: SeedWorkspace[] = [];
  const byName = new Map<string, number[]>();
  const byId = new Map<string, SeedWorkspace>();
  let active = 0;
  list('workspaces').forEach((item, i) => {
    const path = `workspaces[${i}]`;
    if (!isObj(item)) return bad(path, 'must be a mapping {name, id?, display_color?, archived?, archived_at?, created_at?, tags?}');
    unknownKeys(item, path, ['name', 'id', 'display_color', 'archived', 'archived_at', 'created_at', 'tags']);
    const name = str(item, 'name', path, true);
    if (name !== undefined && charLength(name) > WORKSPACE_NAME_MAX) {
      bad(`${path}.name`, `'${name}' is longer than ${WORKSPACE_NAME_MAX} characters (§7.3)`);
    }
    const ws: SeedWorkspace = { name: name ?? '' };
    const id = uniqueId(item, path, 'wrkspc');
    if (id !== undefined) ws.id = id;
    const color = str(item, 'display_color', path, false);
    if (color !== undefined) {
      if (COLOR.test(color)) ws.display_color = color;
      else bad(`${path}.display_color`, `'${color}' is not a hex colour such as #6C5BB9`);
    }
    if (item.archived !== undefined && item.archived !== null) {
      if (typeof item.archived !== 'boolean') bad(`${path}.archived`, 'must be true or false');
      else ws.archived = item.archived;
    }
    const archivedAt = time(item, 'archived_at', path);
    if (archivedAt !== undefined) {
      if (ws.archived === false) bad(`${path}.archived_at`, 'contradicts archived: false');
      ws.archived_at = archivedAt;
      ws.archived = true;
    }
    const created = time(item, 'created_at', path);
    if (created !== undefined) ws.created_at = created;
    if (created && archivedAt && Date.parse(archivedAt) < Date.parse(created)) {
      bad(`${path}.archived_at`, 'must not be before created_at');
    }
    if (item.tags !== undefined && item.tags !== null) {
      if (!isObj(item.tags)) bad(`${path}.tags`, 'must be a mapping of strings');
      else {
        const tags: Record<string, string> = {};
        for (const [k, v] of Object.entries(item.tags)) {
          if (typeof v !== 'string') bad(`${path}.tags.${k}`, 'must be a string');
          else if (reservedTagKey(k)) bad(`${path}.tags.${k}`, "tag keys may not start with 'anthropic' (§7.3)");
          else tags[k] = v;
        }
        ws.tags = tags;
      }
    }
    if (!ws.archived) active++;
    if (name !== undefined) byName.set(name, [...(byName.get(name) ?? []), i]);
    if (ws.id !== undefined) byId.set(ws.id, ws);
    workspaces.push(ws);
  });
  if (active > MAX_ACTIVE_WORKSPACES) {
    bad('workspaces', `${active} non-archived workspaces: an organization has at most ${MAX_ACTIVE_WORKSPACES} (§7.1)`);
  }
  if (value.workspaces !== undefined && value.workspaces !== null) out.workspaces = workspaces;

  /** Resolves a workspace reference; returns the seeded workspace, 'default', or undefined (reported). */
  const workspaceRef = (item: Obj, path: string, required: boolean): SeedWorkspace | 'default' | undefined => {
    const name = str(item, 'workspace', path, false);
    const id = str(item, 'workspace_id', path, false);
    if (name !== undefined && id !== undefined) {
      bad(path, 'give workspace or workspace_id, not both');
      return undefined;
    }
    if (name !== undefined) {
      const found = byName.get(name) ?? [];
      if (found.length === 0) bad(`${path}.workspace`, `no seeded workspace is named '${name}'`);
      else if (found.length > 1) {
        bad(`${path}.workspace`, `'${name}' names ${found.length} workspaces (${found.map((n) => `workspaces[${n}]`).join(', ')}); use workspace_id`);
      } else return workspaces[found[0]!];
      return undefined;
    }
    if (id !== undefined) {
      if (id === defaultId) return 'default';
      const ws = byId.get(id);
      if (!ws) bad(`${path}.workspace_id`, `no seeded workspace has id '${id}'`);
      return ws;
    }
    if (required) bad(path, 'workspace (a name) or workspace_id is required');
    return required ? undefined : 'default';
  };

  // ---- users, by email and by explicit id ----
  const usersByEmail = new Map<string, SeedUser>();
  const usersById = new Map<string, SeedUser>();
  for (const u of ctx.users) {
    if (u.email) usersByEmail.set(emailKey(u.email), u);
    if (u.id) usersById.set(u.id, u);
  }
  const userRef = (item: Obj, path: string, emailField: string, idField: string, required: boolean): SeedUser | string | undefined => {
    const email = str(item, emailField, path, false);
    const id = str(item, idField, path, false);
    if (email !== undefined && id !== undefined) {
      bad(path, `give ${emailField} or ${idField}, not both`);
      return undefined;
    }
    if (email !== undefined) {
      const u = usersByEmail.get(emailKey(email));
      if (!u) bad(`${path}.${emailField}`, `'${email}' is not a seeded user`);
      return u;
    }
    if (id !== undefined) return id;
    if (required) bad(path, `${emailField} or ${idField} is required`);
    return undefined;
  };

  // ---- workspace members ----
  const members: SeedWorkspaceMember[] = [];
  const seen = new Map<string, string>();
  list('workspace_members').forEach((item, i) => {
    const path = `workspace_members[${i}]`;
    if (!isObj(item)) return bad(path, 'must be a mapping {workspace | workspace_id, email | user_id, role}');
    unknownKeys(item, path, ['workspace', 'workspace_id', 'email', 'user_id', 'role']);
    const ws = workspaceRef(item, path, true);
    if (ws === 'default') bad(`${path}.workspace_id`, 'the Default Workspace has no member list (§7.1)');
    const user = userRef(item, path, 'email', 'user_id', true);
    if (typeof user === 'string' && !usersById.has(user)) bad(`${path}.user_id`, `no seeded user has id '${user}'`);
    const role = str(item, 'role', path, true);
    if (role !== undefined && !isAssignableWorkspaceRole(role)) {
      bad(`${path}.role`, `'${role}' must be workspace_admin, workspace_developer, workspace_restricted_developer or workspace_user (§8.2)`);
    }
    const member: SeedWorkspaceMember = { role: role ?? '' };
    for (const k of ['workspace', 'workspace_id', 'email', 'user_id'] as const) {
      const v = item[k];
      if (typeof v === 'string' && v !== '') member[k] = v;
    }
    // Duplicates: the same workspace (by reference) and the same person.
    if (ws && ws !== 'default' && user) {
      const who = typeof user === 'string' ? user : (user.id ?? emailKey(user.email));
      const pair = `${workspaces.indexOf(ws)}\u0001${who}`;
      const earlier = seen.get(pair);
      if (earlier) bad(path, `the same membership as ${earlier}`);
      seen.set(pair, path);
    }
    members.push(member);
  });
  if (value.workspace_members !== undefined && value.workspace_members !== null) out.workspace_members = members;

  // ---- API keys ----
  const keys: SeedApiKey[] = [];
  list('api_keys').forEach((item, i) => {
    const path = `api_keys[${i}]`;
    if (!isObj(item)) return bad(path, 'must be a mapping {name, created_by?, workspace?, status?, id?, partial_key_hint?, created_at?}');
    unknownKeys(item, path, [
      'name',
      'created_by',
      'created_by_user_id',
      'workspace',
      'workspace_id',
      'status',
      'id',
      'partial_key_hint',
      'created_at',
      'principal_user',
      'principal_service_account_id',
      'organization_scope',
    ]);
    const name = str(item, 'name', path, true);
    if (name !== undefined && charLength(name) > API_KEY_NAME_MAX) {
      bad(`${path}.name`, `longer than ${API_KEY_NAME_MAX} characters (§9.4)`);
    }
    const key: SeedApiKey = { name: name ?? '' };
    const creator = userRef(item, path, 'created_by', 'created_by_user_id', false);
    if (typeof creator === 'string') {
      if (looksLikeId('user', creator)) key.created_by_user_id = creator;
      else bad(`${path}.created_by_user_id`, `'${creator}' is not a user_… id (§2.10)`);
    } else if (creator) key.created_by = creator.email;
    const ws = workspaceRef(item, path, false);
    if (typeof item.workspace === 'string' && item.workspace !== '') key.workspace = item.workspace;
    if (typeof item.workspace_id === 'string' && item.workspace_id !== '') key.workspace_id = item.workspace_id;
    const status = str(item, 'status', path, false);
    if (status !== undefined) {
      if (KEY_STATUSES.includes(status)) key.status = status as SeedApiKeyStatus;
      else bad(`${path}.status`, `'${status}' must be active, inactive, archived or expired (§9.1)`);
    }
    if (ws && ws !== 'default' && ws.archived && (key.status ?? 'active') === 'active') {
      bad(`${path}.status`, 'a key in an archived workspace cannot be active: archiving deactivates its keys (§7.7)');
    }
    const id = uniqueId(item, path, 'apikey');
    if (id !== undefined) key.id = id;
    const hint = str(item, 'partial_key_hint', path, false);
    if (hint !== undefined) key.partial_key_hint = hint;
    const created = time(item, 'created_at', path);
    if (created !== undefined) key.created_at = created;
    const principalUser = str(item, 'principal_user', path, false);
    const principalSa = str(item, 'principal_service_account_id', path, false);
    if (principalUser !== undefined && principalSa !== undefined) {
      bad(path, 'give principal_user or principal_service_account_id, not both');
    } else if (principalUser !== undefined) {
      if (!usersByEmail.has(emailKey(principalUser))) bad(`${path}.principal_user`, `'${principalUser}' is not a seeded user`);
      else key.principal_user = principalUser;
    } else if (principalSa !== undefined) {
      if (!/^svcacct_[0-9A-Za-z]{3,64}$/.test(principalSa)) bad(`${path}.principal_service_account_id`, `'${principalSa}' is not a svcacct_… id`);
      else key.principal_service_account_id = principalSa;
    }
    if (item.organization_scope !== undefined && item.organization_scope !== null) {
      if (typeof item.organization_scope !== 'boolean') bad(`${path}.organization_scope`, 'must be a boolean');
      else if (item.organization_scope) {
        if (principalUser === undefined && principalSa === undefined) {
          bad(`${path}.organization_scope`, 'only a principal-bound key (principal_user or principal_service_account_id) can have the organization scope');
        }
        if (item.workspace !== undefined || item.workspace_id !== undefined) bad(`${path}.organization_scope`, 'an organization-scoped key has no workspace');
        key.organization_scope = true;
      }
    }
    keys.push(key);
  });
  if (value.api_keys !== undefined && value.api_keys !== null) out.api_keys = keys;

  return out;
}
