// Everything the live layer knows of each resource kind, in one file (issue 16): how its objects are listed and
// mapped from the wire to the live model, which listings it needs in each scope of the live reader (live/read.ts),
// and how a saved plan's change of the kind is judged against them (live/stale.ts). One table, `LIVE_KINDS`, has
// one entry per kind, checked with `satisfies`: a kind added to model/kinds.ts fails to compile until it says how
// it is read and judged, and adding it touches no other file of src/live/.
//
// The scopes of the reader, per kind:
// - `managed(desired)`: the Live fields a plan of this file reads for the kind (only as far as the file manages it);
// - `touched(change)`: starts, at once, the listings a saved change of this kind is judged against;
// - `everything`: all the organization holds of the kind, for import (`kind` resolves once the org kind is known).
// `judge(change)`: the saved-plan check (issues 5 and 12): `ready` (the world is as the plan saw it), `done` (what
// the change would do is already so: skipped, never repeated) or `stale` (anything else: the apply is refused).
//
// Habits of the listings: whole listings of 1000 per page, nothing a listing returned fetched again one by one; the
// large listings (users, invites, the members of a workspace or group) are read item by item and mapped as they
// arrive (`collect` with a mapper), so their wire objects die with their page; fail closed (any error is thrown,
// never turned into an empty listing; a 403 on a scoped part makes that part `Unreadable`, with why).

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
  WireServiceAccount,
  WireServiceAccountWorkspaceMember,
  WireUser,
  WireWorkspace,
  WireWorkspaceMember,
} from '../clients/wire.js';
import { ApiError, UsageError } from '../errors.js';
import { emailKey } from '../model/address.js';
import type { Desired, OrgKind } from '../model/desired.js';
import { fingerprint } from '../model/fingerprint.js';
import { intern } from '../model/intern.js';
import type { ResourceKind } from '../model/kinds.js';
import type {
  LiveApiKey,
  LiveGroup,
  LiveGroupMember,
  LiveInvite,
  LiveRole,
  LiveScim,
  LiveScimGroup,
  LiveScimUser,
  LiveServiceAccount,
  LiveServiceAccountWorkspace,
  LiveUser,
  LiveWorkspace,
  LiveWorkspaceMember,
  Unreadable,
} from '../model/live.js';
import type { ChangeOf } from '../model/plan.js';
import { containerOf, managedNames, membersOf, refusedAsOtherKind, route, scoped, splitId, type Listings, type Part } from './listings.js';
import { byUser, done, judgeExisting, madeId, READY, stale, text, type Made, type Snapshot, type Verdict } from './verdict.js';

// ─── The sources ─────────────────────────────────────────────────────────────────────────────────────────────────

type Opts = { signal?: AbortSignal | undefined };

/** The reads of the Admin API client the kinds use (the client has them all; a test fakes them). */
export interface AdminReader {
  getOrganization(opts?: Opts): Promise<WireOrganization>;
  listUsers(q?: ListUsersQuery, opts?: Opts): AsyncIterable<WireUser>;
  listInvites(q?: ListInvitesQuery, opts?: Opts): AsyncIterable<WireInvite>;
  listAllWorkspaces(q?: { include_archived?: boolean }, opts?: Opts): Promise<WireWorkspace[]>;
  listWorkspaceMembers(workspaceId: string, opts?: Opts): AsyncIterable<WireWorkspaceMember>;
  listAllApiKeys(q?: ListApiKeysQuery, opts?: Opts): Promise<WireApiKey[]>;
  listAllRbacGroups(opts?: Opts): Promise<WireRbacGroup[]>;
  listRbacGroupMembers(groupId: string, opts?: Opts): AsyncIterable<WireRbacGroupMember>;
  listAllRbacRoles(opts?: Opts): Promise<WireRbacRole[]>;
  /** false: no OAuth token, so the service-account endpoints cannot be called (absent: a fake that has them) */
  readonly hasOAuthToken?: boolean;
  listAllServiceAccounts?(q?: { include_archived?: boolean }, opts?: Opts): Promise<WireServiceAccount[]>;
  listServiceAccountWorkspaces?(serviceAccountId: string, opts?: Opts): AsyncIterable<WireServiceAccountWorkspaceMember>;
}

/** Reads the SCIM directory, or says why it cannot be read (not configured, 401/403). */
export type ScimReader = () => Promise<LiveScim>;

export interface LiveSources {
  admin: AdminReader;
  /** why the service accounts cannot be read when there is no OAuth token (`ANTHROPIC_ADMIN_OAUTH_TOKEN is not set`) */
  oauthMissing?: string | undefined;
  scim?: ScimReader | undefined;
  signal?: AbortSignal | undefined;
}

/** The listings of one live reader. */
export type LiveListings = Listings<LiveSources>;
type Snap = Snapshot<LiveSources>;

// ─── What an entry of the table holds ────────────────────────────────────────────────────────────────────────────

/** How one kind is read, per scope of the live reader (see the head of this file). */
export interface KindRead<K extends ResourceKind> {
  managed(d: Desired, l: LiveListings): Part;
  touched(c: ChangeOf<K>, l: LiveListings): void;
  everything(l: LiveListings, kind: Promise<OrgKind>): Part;
}

/**
 * How a saved change of one kind is judged. The listings it is judged against were started at once by its
 * `touched` read; the judging goes in plan order, so the listings of many touched workspaces or groups are read
 * concurrently.
 */
export interface KindCheck<K extends ResourceKind> {
  judge(c: ChangeOf<K>, snap: Snap, made: Made): Promise<Verdict>;
}

/** All the live layer knows of one kind. */
export interface LiveKind<K extends ResourceKind> extends KindRead<K>, KindCheck<K> {}

/** One way of reading per resource kind. */
export type ReadTable = { readonly [K in ResourceKind]: KindRead<K> };
/** One entry per resource kind: a kind added to model/kinds.ts fails to compile until it has one. */
export type LiveTable = { readonly [K in ResourceKind]: LiveKind<K> };

// ─── Wire objects → the live model ───────────────────────────────────────────────────────────────────────────────
// The one mapping of each listing, checked field by field against the SDK's reading of the same answers
// (test/sdk/client-agrees.test.ts). Roles and statuses are interned (model/intern.ts): one string each, not one per
// user.

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
  const out: LiveApiKey = {
    id: k.id,
    name: k.name,
    status: k.status,
    workspaceId: apiKeyWorkspaceId(k),
    scope: k.scope?.type === 'organization' ? 'organization' : apiKeyWorkspaceId(k) !== null ? 'workspace' : 'default_workspace',
    createdByUserId: k.created_by?.id ?? null,
    partialKeyHint: k.partial_key_hint ?? null,
  };
  const account = serviceAccountPrincipal(k.principal);
  if (account !== undefined) out.serviceAccountId = account;
  return out;
}

/** The service account a key acts for, in either `principal` shape (`service_account_actor`, or `{id: svac_…}`). */
function serviceAccountPrincipal(p: WireApiKey['principal']): string | undefined {
  if (!p) return undefined;
  if ('service_account_id' in p) return p.service_account_id;
  if ('id' in p && typeof p.id === 'string' && p.id.startsWith('svac_')) return p.id;
  return undefined;
}

export function toLiveServiceAccount(a: WireServiceAccount): LiveServiceAccount {
  return {
    id: a.id,
    name: a.name,
    description: a.description ?? '',
    role: intern(a.organization_role),
    archived: a.archived_at !== null && a.archived_at !== undefined,
  };
}

export function toLiveServiceAccountWorkspace(m: WireServiceAccountWorkspaceMember): LiveServiceAccountWorkspace {
  return { serviceAccountId: m.service_account_id, workspaceId: m.workspace_id, role: intern(m.workspace_role) };
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

// ─── The listings, mapped to the live model, each read at most once per reader ───────────────────────────────────

/** Invites a plan reads: accepted ones are members already (§6.4 statuses[]). */
export const OPEN_INVITES = ['pending', 'expired'] as const;
/** Invites the saved-plan check reads: an invite accepted since the plan was made is not gone, it changed. */
export const LISTED_INVITES = ['pending', 'expired', 'accepted'] as const;
type InviteStatuses = typeof OPEN_INVITES | typeof LISTED_INVITES;

/** Every listing of the live API the kinds read (several kinds share the members, workspaces, groups and SCIM). */
export const listing = {
  users: (l: LiveListings): Promise<LiveUser[]> =>
    l.once('users', () => collect(l.src.admin.listUsers(undefined, l.opts), toLiveUser)),

  invites: (l: LiveListings, statuses: InviteStatuses = OPEN_INVITES): Promise<LiveInvite[]> =>
    l.once(`invites:${statuses.join(',')}`, () => collect(l.src.admin.listInvites({ statuses: [...statuses] }, l.opts), toLiveInvite)),

  /** Every workspace, archived ones included. */
  workspaces: (l: LiveListings): Promise<LiveWorkspace[]> =>
    l.once('workspaces', async () => (await l.src.admin.listAllWorkspaces({ include_archived: true }, l.opts)).map(toLiveWorkspace)),

  /** One workspace's explicit members. */
  workspaceMembers: (l: LiveListings, workspaceId: string): Promise<LiveWorkspaceMember[]> =>
    l.once(`ws:${workspaceId}`, () =>
      collect(l.src.admin.listWorkspaceMembers(workspaceId, l.opts), (m) => toLiveWorkspaceMember(m, workspaceId))),

  /** Active API keys. */
  activeApiKeys: (l: LiveListings): Promise<LiveApiKey[]> =>
    l.once('api_keys', async () => (await l.src.admin.listAllApiKeys({ status: 'active' }, l.opts)).map(toLiveApiKey)),

  groups: (l: LiveListings): Promise<LiveGroup[]> =>
    l.once('groups', async () => (await l.src.admin.listAllRbacGroups(l.opts)).map(toLiveGroup)),

  /** One RBAC group's members. */
  groupMembers: (l: LiveListings, groupId: string): Promise<LiveGroupMember[]> =>
    l.once(`group:${groupId}`, () => collect(l.src.admin.listRbacGroupMembers(groupId, l.opts), (m) => toLiveGroupMember(m, groupId))),

  /**
   * The RBAC roles. A 403 (no `read:members`) or 400 `organization_type_not_supported` makes them unreadable, with
   * why: the plan then says the roles of its groups are unknown, and the apply still reports an owner-access
   * refusal as manual.
   */
  roles: (l: LiveListings): Promise<LiveRole[] | Unreadable> =>
    l.once('roles', async () => {
      try {
        return (await l.src.admin.listAllRbacRoles(l.opts)).map(toLiveRole);
      } catch (err) {
        if (err instanceof ApiError && (err.status === 403 || err.errorCode === 'organization_type_not_supported')) {
          const why = err.status === 403 ? 'the admin key lacks the scope read:members' : 'the organization has no RBAC roles';
          return { unavailable: true as const, reason: `${why} (${err.request.method} ${err.request.path} answered ${err.status})` };
        }
        throw err;
      }
    }),

  /**
   * Every service account, archived ones included, or why they cannot be read: no OAuth token (the only credential
   * their endpoints take), or the token refused (401/403).
   */
  serviceAccounts: (l: LiveListings): Promise<LiveServiceAccount[] | Unreadable> =>
    l.once('service_accounts', async () => {
      const admin = l.src.admin;
      if (admin.hasOAuthToken === false || !admin.listAllServiceAccounts) {
        return { unavailable: true as const, reason: l.src.oauthMissing ?? 'no OAuth token with the org:admin scope is set' };
      }
      try {
        return (await admin.listAllServiceAccounts({ include_archived: true }, l.opts)).map(toLiveServiceAccount);
      } catch (err) {
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
          return {
            unavailable: true as const,
            reason: `the OAuth token was refused (${err.request.method} ${route(err)} answered ${err.status}); it needs the org:admin scope`,
          };
        }
        throw err;
      }
    }),

  /** One service account's explicit workspace memberships (the implicit Default Workspace one left out). */
  serviceAccountWorkspaces: (l: LiveListings, serviceAccountId: string): Promise<LiveServiceAccountWorkspace[]> =>
    l.once(`svac:${serviceAccountId}`, async () => {
      const list = l.src.admin.listServiceAccountWorkspaces;
      if (!list) return [];
      const all = await collect(list.call(l.src.admin, serviceAccountId, l.opts), (m) => m);
      return all.filter((m) => m.implicit !== true).map(toLiveServiceAccountWorkspace);
    }),

  /** The SCIM directory, or why it cannot be read. */
  scim: (l: LiveListings): Promise<LiveScim> =>
    l.once('scim', () => (l.src.scim ? l.src.scim() : Promise.resolve<LiveScim>({ available: false, reason: 'the SCIM directory is not configured' }))),
};

// ─── The listings indexed as the saved-plan check looks them up, each index built once per check ─────────────────

interface ScimIndex {
  available: true;
  usersById: Map<string, LiveScimUser>;
  usersByName: Map<string, LiveScimUser>;
  groupsById: Map<string, { group: LiveScimGroup; members: Set<string> }>;
  groups: LiveScimGroup[];
}

const indexed = {
  /** Members by id and by email key. */
  users: (s: Snap): Promise<{ byId: Map<string, LiveUser>; byEmail: Map<string, LiveUser> }> =>
    s.index('users', async () => {
      const users = await listing.users(s.listings);
      return { byId: new Map(users.map((u) => [u.id, u])), byEmail: new Map(users.map((u) => [emailKey(u.email), u])) };
    }),

  /** Pending, expired and accepted invites (everything the API lists; withdrawn ones it does not): by id, and the
   * pending ones by email key. */
  invites: (s: Snap): Promise<{ byId: Map<string, LiveInvite>; pendingByEmail: Map<string, LiveInvite> }> =>
    s.index('invites', async () => {
      const invites = await listing.invites(s.listings, LISTED_INVITES);
      const now = (s.now ?? new Date()).getTime();
      return {
        byId: new Map(invites.map((i) => [i.id, i])),
        // as the planner counts them (planner/context.ts): pending and not past expires_at
        pendingByEmail: new Map(invites.filter((i) => i.status === 'pending' && Date.parse(i.expiresAt) > now).map((i) => [emailKey(i.email), i])),
      };
    }),

  /** One workspace's explicit members, by user id. */
  workspaceMembers: (s: Snap, workspaceId: string): Promise<Map<string, LiveWorkspaceMember>> =>
    s.index(`ws:${workspaceId}`, async () => byUser(await listing.workspaceMembers(s.listings, workspaceId))),

  /** Active API keys by id. */
  activeApiKeys: (s: Snap): Promise<Map<string, LiveApiKey>> =>
    s.index('api_keys', async () => new Map((await listing.activeApiKeys(s.listings)).map((k) => [k.id, k]))),

  /** One RBAC group's members, by user id. */
  groupMembers: (s: Snap, groupId: string): Promise<Map<string, LiveGroupMember>> =>
    s.index(`group:${groupId}`, async () => byUser(await listing.groupMembers(s.listings, groupId))),

  /** The service accounts by id (archived ones included), or why they cannot be read. */
  serviceAccounts: (s: Snap): Promise<{ byId: Map<string, LiveServiceAccount>; all: LiveServiceAccount[] } | Unreadable> =>
    s.index('service_accounts', async () => {
      const all = await listing.serviceAccounts(s.listings);
      if (!Array.isArray(all)) return all;
      return { byId: new Map(all.map((a) => [a.id, a])), all };
    }),

  /** One service account's explicit memberships, by workspace id. */
  serviceAccountWorkspaces: (s: Snap, serviceAccountId: string): Promise<Map<string, LiveServiceAccountWorkspace>> =>
    s.index(`svac:${serviceAccountId}`, async () =>
      new Map((await listing.serviceAccountWorkspaces(s.listings, serviceAccountId)).map((m) => [m.workspaceId, m]))),

  /** The SCIM directory indexed: users by id and by lower-cased userName, groups by id; or why it cannot be read. */
  scim: (s: Snap): Promise<ScimIndex | { available: false; reason: string }> =>
    s.index('scim', async () => {
      const d = await listing.scim(s.listings);
      if (!d.available) return d;
      return {
        available: true as const,
        usersById: new Map(d.users.map((u) => [u.id, u])),
        usersByName: new Map(d.users.map((u) => [emailKey(u.userName), u])),
        groupsById: new Map(d.groups.map((g) => [g.id, { group: g, members: new Set(g.members) }])),
        groups: d.groups,
      };
    }),
};

// ─── What the reads of several kinds share ───────────────────────────────────────────────────────────────────────

/** Whether the plan for this file needs the SCIM directory. */
export function needsScim(desired: Desired): boolean {
  return desired.organization.provisioning === 'scim' || desired.scim.groups.length > 0;
}

const consoleWith = (d: Desired): boolean => d.organization.kind === 'console' && d.workspaces.length > 0;
const withServiceAccounts = (d: Desired): boolean => d.organization.kind === 'console' && d.serviceAccounts.length > 0;
const enterpriseWith = (d: Desired): boolean => d.organization.kind === 'enterprise' && d.groups.length > 0;

/** The names of the declared service accounts whose workspace memberships the file manages. */
function managedAccounts(d: Desired): Set<string> {
  return new Set(d.serviceAccounts.filter((a) => a.workspaces && !a.archived).map((a) => a.name));
}

/** The groups a plan reads: a 403 makes them unreadable (the rest of the plan goes on). */
const plannedGroups = (l: LiveListings) => scoped(() => listing.groups(l), 'read:rbac_groups');

/**
 * The groups import reads: a 403 means the key lacks read:rbac_groups (§2.3), so the groups are left out, not
 * guessed; a 404 means a console organization imported with --kind enterprise (§2.1: groups are enterprise-only).
 */
async function importedGroups(l: LiveListings): Promise<LiveGroup[] | Unreadable> {
  try {
    return await plannedGroups(l);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
    throw new UsageError(
      `--kind enterprise, but ${err.request.method} ${route(err)} answered 404: only enterprise organizations ` +
        'have RBAC groups; use --kind console (or leave --kind out to detect it)',
    );
  }
}

/** The workspaces import reads: with --kind console, a refused listing is a clear error, not a guess. */
async function importedWorkspaces(l: LiveListings): Promise<LiveWorkspace[]> {
  try {
    return await listing.workspaces(l);
  } catch (err) {
    if (!refusedAsOtherKind(err)) throw err;
    throw new UsageError(
      `--kind console, but ${err.request.method} ${route(err)} answered ${err.status}: only console organizations ` +
        'have workspaces; use --kind enterprise (or leave --kind out to detect it)',
    );
  }
}

// the SCIM directory is one read (users and groups together): every SCIM kind needs all of it
const scimReads = {
  managed: (d: Desired, l: LiveListings): Part => (needsScim(d) ? listing.scim(l).then((scim) => ({ scim })) : undefined),
  touched: (_c: unknown, l: LiveListings): void => void listing.scim(l),
  everything: (l: LiveListings, kind: Promise<OrgKind>): Part => kind.then(async (k) => (k === 'enterprise' ? { scim: await listing.scim(l) } : {})),
};

const unreadableScim = (reason: string): Verdict => stale(`the SCIM directory cannot be read to check it: ${reason}`);

// ─── The table ───────────────────────────────────────────────────────────────────────────────────────────────────

export const LIVE_KINDS = {
  member: {
    managed: (_d, l) => listing.users(l).then((users) => ({ users })),
    touched: (_c, l) => void listing.users(l),
    everything: (l) => listing.users(l).then((users) => ({ users })),
    judge: async (c, snap) => {
      const u = (await indexed.users(snap)).byId.get(c.id ?? '');
      return judgeExisting(c, u, (x) => x.role === c.after?.role, c.action === 'delete');
    },
  },
  invite: {
    managed: (_d, l) => listing.invites(l, OPEN_INVITES).then((invites) => ({ invites })),
    // a create or replace is stale when the person became a member meanwhile
    touched: (_c, l) => {
      void listing.users(l);
      void listing.invites(l, LISTED_INVITES);
    },
    everything: (l) => listing.invites(l, OPEN_INVITES).then((invites) => ({ invites })),
    judge: async (c, snap) => {
      const invites = await indexed.invites(snap);
      const key = emailKey(c.key);
      if (c.action === 'delete') {
        return judgeExisting(c, invites.byId.get(c.id ?? ''), () => false, true);
      }
      if (c.action === 'replace') {
        const old = invites.byId.get(c.id ?? '');
        if (old && fingerprint(old) === c.fingerprint) return READY;
      }
      // create, or a replace whose old invite is gone: does someone hold or await access now?
      const member = (await indexed.users(snap)).byEmail.get(key);
      if (member) return stale(`${member.email} is a member now (${member.id}, role ${member.role})`);
      const pending = invites.pendingByEmail.get(key);
      if (pending && pending.role === c.after?.role) return done(`an invite as ${pending.role} is pending already (${pending.id})`, pending.id);
      if (pending) return stale(`an invite as ${pending.role} is pending now (${pending.id})`);
      return c.action === 'replace' ? stale('is gone since the plan was made') : READY;
    },
  },
  workspace: {
    // console orgs: every workspace, archived ones included
    managed: (d, l) => (consoleWith(d) ? listing.workspaces(l).then((workspaces) => ({ workspaces })) : undefined),
    touched: (_c, l) => void listing.workspaces(l),
    everything: (l, kind) => kind.then(async (k) => (k === 'console' ? { workspaces: await importedWorkspaces(l) } : {})),
    // Creates are judged too: a replayed `+ workspace["Sandbox2"]` or a workspace made by hand meanwhile would
    // otherwise be created a second time (names are not unique in the API).
    judge: async (c, snap) => {
      const a = c.after;
      const all = await listing.workspaces(snap.listings);
      if (c.action === 'create') {
        const known = new Set(c.known_ids ?? []);
        const fresh = all.filter((w) => w.name === a?.name && !known.has(w.id));
        if (fresh.length === 0) return READY;
        const active = fresh.filter((w) => !w.archived);
        if (fresh.length === 1 && active.length === 1) {
          const w = active[0]!;
          const color = text(a?.display_color);
          if (color === undefined || color.toLowerCase() === w.displayColor.toLowerCase()) return done(`exists already (${w.id})`, w.id);
          return stale(`a workspace with this name exists now (${w.id}) with colour ${w.displayColor}`);
        }
        if (active.length === 0) return stale(`a workspace with this name was created and archived since the plan was made (${fresh.map((w) => w.id).join(', ')})`);
        return stale(`${fresh.length} workspaces with this name appeared since the plan was made (${fresh.map((w) => w.id).join(', ')})`);
      }
      const w = all.find((x) => x.id === c.id);
      if (c.action === 'delete') {
        if (w?.archived) return done(`is archived already (${w.id})`);
        return judgeExisting(c, w, () => false, false);
      }
      return judgeExisting(c, w, (x) => (a?.name === undefined || x.name === a.name) &&
        (a?.display_color === undefined || x.displayColor === a.display_color), false);
    },
  },
  workspace_member: {
    // the explicit members of the active workspaces whose membership the file manages
    managed: (d, l) => {
      if (!consoleWith(d)) return undefined;
      const names = managedNames(d.workspaces);
      return membersOf(listing.workspaces(l), (w) => !w.archived && names.has(w.name), (w) => listing.workspaceMembers(l, w.id))
        .then((workspaceMembers) => ({ workspaceMembers: workspaceMembers ?? [] }));
    },
    touched: (c, l) => {
      const ws = containerOf(c, c.after?.workspace_id);
      if (ws !== undefined) void listing.workspaceMembers(l, ws);
    },
    // there is no file yet: every active workspace's members
    everything: (l, kind) => kind.then(async (k) => {
      if (k !== 'console') return {};
      const workspaceMembers = await membersOf(importedWorkspaces(l), (w) => !w.archived, (w) => listing.workspaceMembers(l, w.id));
      return { workspaceMembers: workspaceMembers ?? [] };
    }),
    judge: async (c, snap, made) => {
      if (c.action === 'create') {
        const ws = madeId(c, c.after?.workspace_id, 'workspace', made);
        if (ws === undefined) return READY; // the workspace is made by this plan: it has no members yet
        const m = (await indexed.workspaceMembers(snap, ws)).get(text(c.after?.user_id) ?? '');
        if (!m) return READY;
        return m.role === c.after?.role ? done(`is a member as ${m.role} already`) : stale(`is a member as ${m.role} now`);
      }
      const [ws, user] = splitId(c);
      const m = (await indexed.workspaceMembers(snap, ws)).get(user);
      return judgeExisting(c, m, (x) => x.role === c.after?.role, c.action === 'delete');
    },
  },
  api_key: {
    // read only when a plan removes someone from a console org (offboarding, issue 3): readActiveApiKeys, after a
    // first plan says so
    managed: () => undefined,
    touched: (_c, l) => void listing.activeApiKeys(l),
    // import declares no keys
    everything: () => undefined,
    judge: async (c, snap) => {
      // only deactivations are planned: a key that is no longer active needs nothing more
      const k = (await indexed.activeApiKeys(snap)).get(c.id ?? '');
      return judgeExisting(c, k, () => false, true);
    },
  },
  group: {
    // enterprise orgs: the RBAC groups (direct and scim), and their roles when a declared group carries any (one
    // listing; a plan without them costs nothing). Every declared group counts, not only those whose membership is
    // managed: deleting a group that grants owner access is as much a change the API refuses as adding a member.
    managed: (d, l) => {
      if (!enterpriseWith(d)) return undefined;
      return plannedGroups(l).then(async (groups) => {
        if (!Array.isArray(groups)) return { groups };
        const declared = new Set(d.groups.flatMap((g) => (g.renamedFrom ? [g.name, g.renamedFrom] : [g.name])));
        const withRoles = groups.some((g) => g.sourceType === 'direct' && declared.has(g.name) && g.roleIds && g.roleIds.length > 0);
        return withRoles ? { groups, roles: await listing.roles(l) } : { groups };
      });
    },
    touched: (_c, l) => void listing.groups(l),
    everything: (l, kind) => kind.then(async (k) => (k === 'enterprise' ? { groups: await importedGroups(l) } : {})),
    judge: async (c, snap) => {
      const all = await listing.groups(snap.listings);
      if (c.action === 'create') {
        const known = new Set(c.known_ids ?? []);
        const fresh = all.filter((g) => g.name === c.after?.name && !known.has(g.id));
        if (fresh.length === 0) return READY;
        if (fresh.length === 1 && fresh[0]!.sourceType === 'direct') return done(`exists already (${fresh[0]!.id})`, fresh[0]!.id);
        return stale(`${fresh.length === 1 ? 'a group' : `${fresh.length} groups`} with this name appeared since the plan was made (${fresh.map((g) => g.id).join(', ')})`);
      }
      const g = all.find((x) => x.id === c.id);
      return judgeExisting(c, g, (x) => x.name === c.after?.name, c.action === 'delete');
    },
  },
  group_member: {
    // the members of the direct groups whose membership the file manages
    managed: (d, l) => {
      if (!enterpriseWith(d)) return undefined;
      const names = managedNames(d.groups);
      return membersOf(plannedGroups(l), (g) => g.sourceType === 'direct' && names.has(g.name), (g) => listing.groupMembers(l, g.id))
        .then((groupMembers) => (groupMembers ? { groupMembers } : {}));
    },
    touched: (c, l) => {
      const group = containerOf(c, c.after?.group_id);
      if (group !== undefined) void listing.groupMembers(l, group);
    },
    // only direct groups can be declared under `groups`; scim-sourced ones are the directory's (§11.1, §13.2)
    everything: (l, kind) => kind.then(async (k) => {
      if (k !== 'enterprise') return {};
      const groupMembers = await membersOf(importedGroups(l), (g) => g.sourceType === 'direct', (g) => listing.groupMembers(l, g.id));
      return groupMembers ? { groupMembers } : {};
    }),
    judge: async (c, snap, made) => {
      if (c.action === 'create') {
        const group = madeId(c, c.after?.group_id, 'group', made);
        if (group === undefined) return READY;
        const m = (await indexed.groupMembers(snap, group)).get(text(c.after?.user_id) ?? '');
        return m ? done('is a member already') : READY;
      }
      const [group, user] = splitId(c);
      const m = (await indexed.groupMembers(snap, group)).get(user);
      return judgeExisting(c, m, () => false, true);
    },
  },
  scim_user: {
    ...scimReads,
    judge: async (c, snap) => {
      const s = await indexed.scim(snap);
      if (!s.available) return unreadableScim(s.reason);
      if (c.action === 'create') {
        const key = emailKey(text(c.after?.userName) ?? c.key);
        const u = s.usersByName.get(key);
        if (!u) return READY;
        return u.active ? done(`the SCIM user exists already (${u.id})`, u.id) : stale(`a deactivated SCIM user with this userName exists now (${u.id})`);
      }
      return judgeExisting<LiveScimUser>(c, s.usersById.get(c.id ?? ''), (x) => x.active === c.after?.active, c.action === 'delete');
    },
  },
  scim_group: {
    ...scimReads,
    judge: async (c, snap) => {
      const s = await indexed.scim(snap);
      if (!s.available) return unreadableScim(s.reason);
      const a = c.after;
      if (c.action === 'create') {
        const ext = text(a?.externalId);
        const name = (text(a?.displayName) ?? '').toLowerCase();
        const g = s.groups.find((x) => (ext !== undefined ? x.externalId === ext : x.displayName.toLowerCase() === name));
        if (!g) return READY;
        return g.displayName === a?.displayName ? done(`the SCIM group exists already (${g.id})`, g.id) : stale(`a SCIM group ${g.displayName} with this identity exists now (${g.id})`);
      }
      return judgeExisting<LiveScimGroup>(c, s.groupsById.get(c.id ?? '')?.group, (x) => x.displayName === a?.displayName, c.action === 'delete');
    },
  },
  scim_group_member: {
    ...scimReads,
    judge: async (c, snap, made) => {
      const s = await indexed.scim(snap);
      if (!s.available) return unreadableScim(s.reason);
      if (c.action === 'create') {
        const group = madeId(c, c.after?.group_id, 'scim_group', made);
        const user = madeId(c, c.after?.user_id, 'scim_user', made);
        if (group === undefined || user === undefined) return READY;
        return s.groupsById.get(group)?.members.has(user) ? done('is a member already') : READY;
      }
      const [group, user] = splitId(c);
      const present = s.groupsById.get(group)?.members.has(user) ?? false;
      return judgeExisting(c, present ? { group, user } : undefined, () => false, true);
    },
  },
  sign_out: {
    // planned from the member removals (planner/members.ts): the members listing, which `member` reads anyway
    managed: (d, l) => (d.policy.signOutOnRemoval ? listing.users(l).then((users) => ({ users })) : undefined),
    // ready while the member is still there; done once they are gone
    touched: (_c, l) => void listing.users(l),
    // import declares no sign-outs
    everything: () => undefined,
    // ready while the member is as the plan read them; a member gone since needs no sign-out (their removal is done)
    judge: async (c, snap) => judgeExisting(c, (await indexed.users(snap)).byId.get(c.id ?? ''), () => false, true),
  },
  service_account: {
    // console orgs whose file declares service accounts: all of them, archived ones included (an archived one keeps
    // its name); without the OAuth token, unreadable (their changes are unavailable, the rest of the plan goes on)
    managed: (d, l) => (withServiceAccounts(d) ? listing.serviceAccounts(l).then((serviceAccounts) => ({ serviceAccounts })) : undefined),
    touched: (_c, l) => void listing.serviceAccounts(l),
    // import reads them in console orgs: without a token they are left out, with why
    everything: (l, kind) => kind.then(async (k) => (k === 'console' ? { serviceAccounts: await listing.serviceAccounts(l) } : {})),
    judge: async (c, snap) => {
      const read = await indexed.serviceAccounts(snap);
      if ('unavailable' in read) return stale(`the service accounts cannot be read to check it: ${read.reason}`);
      const a = c.after;
      if (c.action === 'create') {
        const same = read.all.find((x) => x.name === a?.name);
        if (!same) return READY;
        if (!same.archived && same.role === a?.role && (a?.description === undefined || same.description === a.description)) {
          return done(`exists already (${same.id})`, same.id);
        }
        return stale(`a service account with this name exists now (${same.id})`);
      }
      const x = read.byId.get(c.id ?? '');
      if (c.action === 'delete') {
        if (x?.archived) return done(`is archived already (${x.id})`);
        return judgeExisting(c, x, () => false, false);
      }
      return judgeExisting(c, x, (o) => o.role === a?.role && (a?.description === undefined || o.description === a.description), false);
    },
  },
  service_account_workspace: {
    // the explicit memberships of the active declared accounts whose `workspaces` the file gives, and the
    // workspaces they name (by name in the file, by id in the API)
    managed: (d, l) => {
      if (!withServiceAccounts(d)) return undefined;
      const names = managedAccounts(d);
      if (names.size === 0) return undefined;
      return Promise.all([
        listing.workspaces(l),
        membersOf(listing.serviceAccounts(l), (a) => !a.archived && names.has(a.name), (a) => listing.serviceAccountWorkspaces(l, a.id)),
      ]).then(([workspaces, serviceAccountWorkspaces]) => ({ workspaces, serviceAccountWorkspaces: serviceAccountWorkspaces ?? [] }));
    },
    touched: (c, l) => {
      const account = c.action === 'create' ? c.after?.service_account_id : splitId(c)[0];
      if (account) void listing.serviceAccountWorkspaces(l, account);
    },
    everything: (l, kind) => kind.then(async (k) => {
      if (k !== 'console') return {};
      const serviceAccountWorkspaces = await membersOf(listing.serviceAccounts(l), (a) => !a.archived, (a) => listing.serviceAccountWorkspaces(l, a.id));
      return serviceAccountWorkspaces ? { serviceAccountWorkspaces } : {};
    }),
    judge: async (c, snap, made) => {
      if (c.action === 'create') {
        const account = madeId(c, c.after?.service_account_id, 'service_account', made);
        const ws = madeId(c, c.after?.workspace_id, 'workspace', made);
        if (account === undefined || ws === undefined) return READY; // made by this plan: no memberships yet
        const m = (await indexed.serviceAccountWorkspaces(snap, account)).get(ws);
        if (!m) return READY;
        return m.role === c.after?.role ? done(`is a member as ${m.role} already`) : stale(`is a member as ${m.role} now`);
      }
      const [account, ws] = splitId(c);
      const m = (await indexed.serviceAccountWorkspaces(snap, account)).get(ws);
      return judgeExisting(c, m, (x) => x.role === c.after?.role, c.action === 'delete');
    },
  },
} satisfies LiveTable;

/** The entry of a kind (TypeScript cannot relate `LIVE_KINDS[c.kind]` to `c`; the table's type does). */
export function liveKind(kind: ResourceKind): LiveKind<ResourceKind> {
  return LIVE_KINDS[kind] as unknown as LiveKind<ResourceKind>;
}
