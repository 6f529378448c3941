// Seed fields of a Console org's workspaces and workspace members (§7, §8), and their validation. Called from
// `validateSeed` (emulator/seed.ts) so every problem is reported at once with its path, like the rest of the seed; it hands
// on the references it resolved (workspaces by name or id, users by email or id) to the API keys' seed
// (api-keys/seed.ts). Workspaces are referred to by name here; the store resolves them to ids when it loads.

import type { WireOrgKind } from '../../../clients/wire.js';
import { emailKey } from '../../emails.js';
import { looksLikeId } from '../../ids.js';
import { eachMapping, isObj, seedChecks, type Bad, type Obj } from '../../seed-check.js';
import type { SeedUser } from '../users/seed.js';
import { isAssignableWorkspaceRole } from './roles.js';

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

export interface WorkspaceSeedFields {
  workspaces?: SeedWorkspace[];
  /** The hidden Default Workspace's id (§7.1); default: a new random `wrkspc_01…` id. */
  default_workspace_id?: string;
  workspace_members?: SeedWorkspaceMember[];
}

/** The seed keys of this file; `api_keys` (api-keys/seed.ts) is the other Console-only one. */
export const WORKSPACE_SEED_KEYS = ['workspaces', 'default_workspace_id', 'workspace_members'] as const;

/** §7.1: at most 100 non-archived workspaces per org (the Default Workspace is not counted, see the store). */
export const MAX_ACTIVE_WORKSPACES = 100;
export const WORKSPACE_NAME_MAX = 40;
export const COLOR = /^#[0-9A-Fa-f]{6}$/;


/** Length in characters (code points), as a user counts them. */
export function charLength(s: string): number {
  return [...s].length;
}

/** §7.3: tag keys may not begin with `anthropic` (compared case-insensitively: the emulator's choice). */
export function reservedTagKey(key: string): boolean {
  return key.toLowerCase().startsWith('anthropic');
}

/** Reports the Console-only seed keys present in a seed of another kind (§2.1); true when there were any to check. */
export function consoleOnly(value: Obj, keys: readonly string[], kind: WireOrgKind, bad: Bad): boolean {
  if (kind === 'console') return false;
  // §2.1: workspaces, workspace members and API keys exist only in Console orgs.
  const present = keys.filter((k) => value[k] !== undefined && value[k] !== null);
  for (const k of present) bad(k, `only a console organization has ${k.replace(/_/g, ' ')} (§2.1)`);
  return true;
}

/** What the workspace seed resolved, for the seed sections that refer to workspaces and users (API keys). */
export interface SeedRefs {
  /** A seed object's `field` (default `id`) as a `<prefix>_…` id, unique among workspace and API key ids. */
  uniqueId(obj: Obj, path: string, prefix: 'wrkspc' | 'apikey', field?: string): string | undefined;
  /** `workspace` (a name) or `workspace_id` of `item`: the seeded workspace, 'default', or undefined (reported). */
  workspaceRef(item: Obj, path: string, required: boolean): SeedWorkspace | 'default' | undefined;
  /** A seeded user by `emailField`, or the id in `idField` as given; undefined when neither (or reported). */
  userRef(item: Obj, path: string, emailField: string, idField: string, required: boolean): SeedUser | string | undefined;
  /** Seeded users by email key. */
  usersByEmail: ReadonlyMap<string, SeedUser>;
}

/**
 * Validates the workspace fields of a seed; problems go to `bad`. Returns the checked fields, and the references
 * the API keys' seed resolves through (none in an org of another kind).
 */
export function validateWorkspaceSeed(
  value: Obj,
  ctx: { kind: WireOrgKind; users: readonly SeedUser[]; bad: Bad },
): { fields: WorkspaceSeedFields; refs: SeedRefs | undefined } {
  const { bad } = ctx;
  const out: WorkspaceSeedFields = {};
  if (consoleOnly(value, WORKSPACE_SEED_KEYS, ctx.kind, bad)) return { fields: out, refs: undefined };

  const { str, list, lifecycle } = seedChecks(bad, value);
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
  eachMapping(list('workspaces'), 'workspaces', ['name', 'id', 'display_color', 'archived', 'archived_at', 'created_at', 'tags'], '{name, id?, display_color?, archived?, archived_at?, created_at?, tags?}', bad, (item, path, i) => {
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
    lifecycle(item, path, ws);
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
  eachMapping(list('workspace_members'), 'workspace_members', ['workspace', 'workspace_id', 'email', 'user_id', 'role'], '{workspace | workspace_id, email | user_id, role}', bad, (item, path) => {
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

  return { fields: out, refs: { uniqueId, workspaceRef, userRef, usersByEmail } };
}
