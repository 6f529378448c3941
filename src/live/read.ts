// Reads the live state both APIs hold and maps wire objects to the planner's model. Fail closed: any error is
// thrown, never turned into an empty listing. The organization pin is checked before anything else is read.
// Independent collections are read concurrently (the client paces them to the rate limit), each with whole
// listings of 1000 per page; nothing a listing returned is fetched again one by one.

import { apiKeyWorkspaceId, rbacGroupIdOf } from '../clients/admin-parse.js';
import { collect } from '../clients/paginate.js';
import type {
  ListApiKeysQuery,
  ListInvitesQuery,
  ListUsersQuery,
  WireApiKey,
  WireInvite,
  WireOrganization,
  WireRbacGroup,
  WireRbacGroupMember,
  WireRbacRole,
  WireUser,
  WireWorkspace,
  WireWorkspaceMember,
} from '../clients/wire.js';
import { ApiError, OrganizationMismatchError } from '../errors.js';
import type { Desired } from '../model/desired.js';
import { intern } from '../model/intern.js';
import type {
  Live,
  LiveApiKey,
  LiveGroup,
  LiveGroupMember,
  LiveRole,
  LiveInvite,
  LiveScim,
  LiveUser,
  LiveWorkspace,
  LiveWorkspaceMember,
  Unreadable,
} from '../model/live.js';

type Opts = { signal?: AbortSignal | undefined };

/** The whole-listing reads of the Admin API client (import and the stale-plan check use these). */
export interface AdminReader {
  getOrganization(opts?: Opts): Promise<WireOrganization>;
  listAllUsers(q?: ListUsersQuery, opts?: Opts): Promise<WireUser[]>;
  listAllInvites(q?: ListInvitesQuery, opts?: Opts): Promise<WireInvite[]>;
  listAllWorkspaces(q?: { include_archived?: boolean }, opts?: Opts): Promise<WireWorkspace[]>;
  listAllWorkspaceMembers(workspaceId: string, opts?: Opts): Promise<WireWorkspaceMember[]>;
  listAllApiKeys(q?: ListApiKeysQuery, opts?: Opts): Promise<WireApiKey[]>;
  listAllRbacGroups(opts?: Opts): Promise<WireRbacGroup[]>;
  listAllRbacGroupMembers(groupId: string, opts?: Opts): Promise<WireRbacGroupMember[]>;
}

/**
 * The reads of a plan. Its large listings are read item by item and mapped as they arrive (`collect` with a
 * mapper), so that their wire objects die with their page instead of all living until the listing ends.
 */
export interface LiveAdminReader extends AdminReader {
  listUsers(q?: ListUsersQuery, opts?: Opts): AsyncIterable<WireUser>;
  listInvites(q?: ListInvitesQuery, opts?: Opts): AsyncIterable<WireInvite>;
  listWorkspaceMembers(workspaceId: string, opts?: Opts): AsyncIterable<WireWorkspaceMember>;
  listRbacGroupMembers(groupId: string, opts?: Opts): AsyncIterable<WireRbacGroupMember>;
  listAllRbacRoles(opts?: Opts): Promise<WireRbacRole[]>;
}

/** Reads the SCIM directory, or says why it cannot be read (not configured, 401/403). */
export type ScimReader = () => Promise<LiveScim>;

export interface LiveSources {
  admin: LiveAdminReader;
  scim?: ScimReader;
  signal?: AbortSignal;
}

// Roles and statuses are interned (model/intern.ts): one string each, not one per user.
export function toLiveUser(u: WireUser): LiveUser {
  return { id: u.id, email: u.email, name: u.name ?? '', role: intern(u.role) };
}

export function toLiveInvite(i: WireInvite): LiveInvite {
  return { id: i.id, email: i.email, role: intern(i.role), status: intern(i.status), invitedAt: i.invited_at, expiresAt: i.expires_at };
}

export function toLiveWorkspace(w: WireWorkspace): LiveWorkspace {
  return { id: w.id, name: w.name, displayColor: w.display_color ?? '', archived: w.archived_at !== null && w.archived_at !== undefined };
}

/** `workspaceId`: the id the listing was asked for, when known (one string for all its members, not a copy each). */
export function toLiveWorkspaceMember(m: WireWorkspaceMember, workspaceId: string = m.workspace_id): LiveWorkspaceMember {
  return { workspaceId, userId: m.user_id, role: intern(m.workspace_role) };
}

export function toLiveApiKey(k: WireApiKey): LiveApiKey {
  // §15 item 2: the creator is `created_by.id` in every shape. The workspace comes from the client's one reading
  // of `scope` (2026-10-21) or the legacy `workspace_id`: null for an organization key or the old Default Workspace.
  return {
    id: k.id,
    name: k.name,
    status: k.status,
    workspaceId: apiKeyWorkspaceId(k),
    scope: k.scope?.type === 'organization' ? 'organization' : apiKeyWorkspaceId(k) !== null ? 'workspace' : 'default_workspace',
    createdByUserId: k.created_by?.id ?? null,
    partialKeyHint: k.partial_key_hint ?? null,
  };
}

export function toLiveGroup(g: WireRbacGroup): LiveGroup {
  const out: LiveGroup = { id: g.id, name: g.name, sourceType: g.source_type };
  // the client normalizes `role_ids` (older versions: `roles`); null: role data temporarily unavailable
  const roleIds = 'role_ids' in g ? g.role_ids : 'roles' in g ? g.roles : undefined;
  if (roleIds !== undefined) out.roleIds = roleIds;
  return out;
}

export function toLiveRole(r: WireRbacRole): LiveRole {
  return { id: r.id, displayName: r.display_name, builtIn: r.source?.type === 'built_in' };
}

/** `groupId`: the id the listing was asked for, when known (one string for all its members, not a copy each). */
export function toLiveGroupMember(m: WireRbacGroupMember, groupId: string = rbacGroupIdOf(m)): LiveGroupMember {
  return { groupId, userId: m.user_id };
}

/** Whether the plan for this file needs the SCIM directory. */
export function needsScim(desired: Desired): boolean {
  return desired.organization.provisioning === 'scim' || desired.scim.groups.length > 0;
}

/** Names of declared containers whose membership the file manages (current names and renamed_from). */
function managedNames(items: ReadonlyArray<{ name: string; renamedFrom?: string; members?: unknown[]; archived?: boolean; delete?: boolean }>): Set<string> {
  const names = new Set<string>();
  for (const i of items) {
    if (!i.members || i.archived || i.delete) continue;
    names.add(i.name);
    if (i.renamedFrom) names.add(i.renamedFrom);
  }
  return names;
}

/** A 403 on a listing means the key lacks a scope: that part is unavailable, the rest of the plan goes on (issue 4). */
async function scoped<T>(read: () => Promise<T>, scope: string): Promise<T | Unreadable> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      return { unavailable: true, reason: `the admin key lacks the scope ${scope} (${err.request.method} ${err.request.path} answered 403)` };
    }
    throw err;
  }
}

async function readWorkspaces(desired: Desired, admin: LiveAdminReader, signal: AbortSignal | undefined): Promise<Pick<Live, 'workspaces' | 'workspaceMembers'>> {
  const workspaces = (await admin.listAllWorkspaces({ include_archived: true }, { signal })).map(toLiveWorkspace);
  const names = managedNames(desired.workspaces);
  const managed = workspaces.filter((w) => !w.archived && names.has(w.name));
  const lists = await Promise.all(managed.map((w) => collect(admin.listWorkspaceMembers(w.id, { signal }), (m) => toLiveWorkspaceMember(m, w.id))));
  return { workspaces, workspaceMembers: lists.flat() };
}

async function readGroups(desired: Desired, admin: LiveAdminReader, signal: AbortSignal | undefined): Promise<Pick<Live, 'groups' | 'groupMembers' | 'roles'>> {
  const groups = await scoped(async () => (await admin.listAllRbacGroups({ signal })).map(toLiveGroup), 'read:rbac_groups');
  if (!Array.isArray(groups)) return { groups };
  const names = managedNames(desired.groups);
  const managed = groups.filter((g) => g.sourceType === 'direct' && names.has(g.name));
  // The roles are read only when a declared group carries any (one listing); a plan without them costs nothing.
  // Every declared group counts, not only those whose membership is managed: deleting a group that grants owner
  // access is as much a change the API refuses as adding one of its members.
  const declared = new Set(desired.groups.flatMap((g) => (g.renamedFrom ? [g.name, g.renamedFrom] : [g.name])));
  const withRoles = groups.some((g) => g.sourceType === 'direct' && declared.has(g.name) && g.roleIds && g.roleIds.length > 0);
  const [lists, roles] = await Promise.all([
    Promise.all(managed.map((g) => collect(admin.listRbacGroupMembers(g.id, { signal }), (m) => toLiveGroupMember(m, g.id)))),
    withRoles ? readRoles(admin, signal) : undefined,
  ]);
  return { groups, groupMembers: lists.flat(), ...(roles ? { roles } : {}) };
}

/**
 * The RBAC roles. A 403 (no `read:members`) or 400 `organization_type_not_supported` makes them unreadable, with
 * why: the plan then says the roles of its groups are unknown, and the apply still reports an owner-access refusal
 * as manual.
 */
async function readRoles(admin: LiveAdminReader, signal: AbortSignal | undefined): Promise<LiveRole[] | Unreadable> {
  try {
    return (await admin.listAllRbacRoles({ signal })).map(toLiveRole);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 403 || err.errorCode === 'organization_type_not_supported')) {
      const why = err.status === 403 ? 'the admin key lacks the scope read:members' : 'the organization has no RBAC roles';
      return { unavailable: true, reason: `${why} (${err.request.method} ${err.request.path} answered ${err.status})` };
    }
    throw err;
  }
}

export async function readLive(desired: Desired, sources: LiveSources): Promise<Live> {
  const { admin, signal } = sources;
  const org = await admin.getOrganization({ signal });
  if (org.id !== desired.organization.id) {
    throw new OrganizationMismatchError(desired.organization.id, org.id, org.name);
  }
  const kind = desired.organization.kind;
  // Accepted invites are members already: only pending and expired ones matter to the plan (§6.4 statuses[]).
  const [users, invites, scim, ws, groups] = await Promise.all([
    collect(admin.listUsers(undefined, { signal }), toLiveUser),
    collect(admin.listInvites({ statuses: ['pending', 'expired'] }, { signal }), toLiveInvite),
    needsScim(desired) ? (sources.scim ? sources.scim() : Promise.resolve<LiveScim>({ available: false, reason: 'no SCIM reader configured' })) : undefined,
    kind === 'console' && desired.workspaces.length > 0 ? readWorkspaces(desired, admin, signal) : undefined,
    kind === 'enterprise' && desired.groups.length > 0 ? readGroups(desired, admin, signal) : undefined,
  ]);
  const live: Live = {
    organization: { id: org.id, name: org.name },
    users,
    invites,
    ...ws,
    ...groups,
  };
  if (scim) live.scim = scim;
  return live;
}

/** Active API keys, read only when a plan removes someone from a console org (offboarding, issue 3). */
export async function readActiveApiKeys(admin: AdminReader, signal?: AbortSignal): Promise<LiveApiKey[]> {
  return (await admin.listAllApiKeys({ status: 'active' }, { signal })).map(toLiveApiKey);
}
