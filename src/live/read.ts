// The one live reader (issue 16, item 3). Every read of the live API goes through here, with a scope:
//
// - `{ managed: desired }`: what a plan of that file is made from (cli plan, apply without a saved plan);
// - `{ touched: plan }`: what the changes of a saved plan are judged against (live/stale.ts);
// - `{ everything: true }`: all an organization holds, for `import` (import/read.ts).
//
// One set of listings, each read at most once per reader (memoized), serves the three, and one table (READS, one
// entry per resource kind, checked with `satisfies`) says, per kind and scope, which listings it needs: a kind added
// to model/kinds.ts fails to compile until it says how it is read.
//
// Habits kept from the three readers this replaces: fail closed (any error is thrown, never turned into an empty
// listing; a 403 on a scoped part makes that part `Unreadable`, with why); the organization pin is checked before
// anything else is read (a plan; import when given the id; a saved plan's apply checks it before its check); whole listings of 1000 per page, nothing a listing returned fetched again one by one; the
// large listings (users, invites, the members of a workspace or group) are read item by item and mapped as they
// arrive (`collect` with a mapper), so their wire objects die with their page; independent listings are read
// concurrently (the client paces them to the rate limit).

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
import { ApiError, OrganizationMismatchError, UsageError } from '../errors.js';
import type { Desired, OrgKind } from '../model/desired.js';
import type { ResourceKind } from '../model/kinds.js';
import type {
  Live,
  LiveApiKey,
  LiveGroup,
  LiveGroupMember,
  LiveInvite,
  LiveRole,
  LiveScim,
  LiveServiceAccount,
  LiveServiceAccountWorkspace,
  LiveUser,
  LiveWorkspace,
  LiveWorkspaceMember,
  Unreadable,
} from '../model/live.js';
import { isApiAction, type Change, type ChangeOf, type Plan } from '../model/plan.js';
import {
  toLiveApiKey,
  toLiveGroup,
  toLiveGroupMember,
  toLiveInvite,
  toLiveRole,
  toLiveServiceAccount,
  toLiveServiceAccountWorkspace,
  toLiveUser,
  toLiveWorkspace,
  toLiveWorkspaceMember,
} from './map.js';

type Opts = { signal?: AbortSignal | undefined };

/** The reads of the Admin API client the reader uses (the client has them all; a test fakes them). */
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

/** Invites a plan reads: accepted ones are members already (§6.4 statuses[]). */
export const OPEN_INVITES = ['pending', 'expired'] as const;
/** Invites the saved-plan check reads: an invite accepted since the plan was made is not gone, it changed. */
export const LISTED_INVITES = ['pending', 'expired', 'accepted'] as const;
type InviteStatuses = typeof OPEN_INVITES | typeof LISTED_INVITES;

/** Every listing of the live API, each read at most once (on first need), mapped to the live model. */
export class Listings {
  readonly #src: LiveSources;
  readonly #memo = new Map<string, Promise<unknown>>();
  constructor(src: LiveSources) {
    this.#src = src;
  }

  #once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let p = this.#memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read();
      // started ahead (a prefetch, a concurrent scope): its failure surfaces where it is awaited, never unhandled
      p.catch(() => undefined);
      this.#memo.set(key, p);
    }
    return p;
  }

  get #opts(): Opts {
    return { signal: this.#src.signal };
  }

  organization(): Promise<WireOrganization> {
    return this.#once('me', () => this.#src.admin.getOrganization(this.#opts));
  }

  users(): Promise<LiveUser[]> {
    return this.#once('users', () => collect(this.#src.admin.listUsers(undefined, this.#opts), toLiveUser));
  }

  invites(statuses: InviteStatuses = OPEN_INVITES): Promise<LiveInvite[]> {
    return this.#once(`invites:${statuses.join(',')}`, () =>
      collect(this.#src.admin.listInvites({ statuses: [...statuses] }, this.#opts), toLiveInvite));
  }

  /** Every workspace, archived ones included. */
  workspaces(): Promise<LiveWorkspace[]> {
    return this.#once('workspaces', async () =>
      (await this.#src.admin.listAllWorkspaces({ include_archived: true }, this.#opts)).map(toLiveWorkspace));
  }

  /** One workspace's explicit members. */
  workspaceMembers(workspaceId: string): Promise<LiveWorkspaceMember[]> {
    return this.#once(`ws:${workspaceId}`, () =>
      collect(this.#src.admin.listWorkspaceMembers(workspaceId, this.#opts), (m) => toLiveWorkspaceMember(m, workspaceId)));
  }

  /** Active API keys. */
  activeApiKeys(): Promise<LiveApiKey[]> {
    return this.#once('api_keys', async () =>
      (await this.#src.admin.listAllApiKeys({ status: 'active' }, this.#opts)).map(toLiveApiKey));
  }

  groups(): Promise<LiveGroup[]> {
    return this.#once('groups', async () => (await this.#src.admin.listAllRbacGroups(this.#opts)).map(toLiveGroup));
  }

  /** One RBAC group's members. */
  groupMembers(groupId: string): Promise<LiveGroupMember[]> {
    return this.#once(`group:${groupId}`, () =>
      collect(this.#src.admin.listRbacGroupMembers(groupId, this.#opts), (m) => toLiveGroupMember(m, groupId)));
  }

  /**
   * The RBAC roles. A 403 (no `read:members`) or 400 `organization_type_not_supported` makes them unreadable, with
   * why: the plan then says the roles of its groups are unknown, and the apply still reports an owner-access
   * refusal as manual.
   */
  roles(): Promise<LiveRole[] | Unreadable> {
    return this.#once('roles', async () => {
      try {
        return (await this.#src.admin.listAllRbacRoles(this.#opts)).map(toLiveRole);
      } catch (err) {
        if (err instanceof ApiError && (err.status === 403 || err.errorCode === 'organization_type_not_supported')) {
          const why = err.status === 403 ? 'the admin key lacks the scope read:members' : 'the organization has no RBAC roles';
          return { unavailable: true as const, reason: `${why} (${err.request.method} ${err.request.path} answered ${err.status})` };
        }
        throw err;
      }
    });
  }

  /**
   * Every service account, archived ones included, or why they cannot be read: no OAuth token (the only credential
   * their endpoints take), or the token refused (401/403).
   */
  serviceAccounts(): Promise<LiveServiceAccount[] | Unreadable> {
    return this.#once('service_accounts', async () => {
      const admin = this.#src.admin;
      if (admin.hasOAuthToken === false || !admin.listAllServiceAccounts) {
        return { unavailable: true as const, reason: this.#src.oauthMissing ?? 'no OAuth token with the org:admin scope is set' };
      }
      try {
        return (await admin.listAllServiceAccounts({ include_archived: true }, this.#opts)).map(toLiveServiceAccount);
      } catch (err) {
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
          return {
            unavailable: true as const,
            reason: `the OAuth token was refused (${err.request.method} ${route(err)} answered ${err.status}); it needs the org:admin scope`,
          };
        }
        throw err;
      }
    });
  }

  /** One service account's explicit workspace memberships (the implicit Default Workspace one left out). */
  serviceAccountWorkspaces(serviceAccountId: string): Promise<LiveServiceAccountWorkspace[]> {
    return this.#once(`svac:${serviceAccountId}`, async () => {
      const list = this.#src.admin.listServiceAccountWorkspaces;
      if (!list) return [];
      const all = await collect(list.call(this.#src.admin, serviceAccountId, this.#opts), (m) => m);
      return all.filter((m) => m.implicit !== true).map(toLiveServiceAccountWorkspace);
    });
  }

  /** The SCIM directory, or why it cannot be read. */
  scim(): Promise<LiveScim> {
    return this.#once('scim', () =>
      this.#src.scim ? this.#src.scim() : Promise.resolve<LiveScim>({ available: false, reason: 'the SCIM directory is not configured' }));
  }
}

/** A 403 on a listing means the key lacks a scope: that part is unavailable, the rest goes on (issue 4). */
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

/** The request path without its query (page size, cursor), for a message. */
function route(err: ApiError): string {
  return err.request.path.split('?')[0] ?? err.request.path;
}

/** §2.1: workspaces are console-only; an enterprise key gets 404 from the emulator and 404 or 403 from the real API. */
function refusedAsOtherKind(err: unknown): err is ApiError {
  return err instanceof ApiError && (err.status === 404 || err.status === 403);
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

const consoleWith = (d: Desired): boolean => d.organization.kind === 'console' && d.workspaces.length > 0;
const withServiceAccounts = (d: Desired): boolean => d.organization.kind === 'console' && d.serviceAccounts.length > 0;

/** The names of the declared service accounts whose workspace memberships the file manages. */
function managedAccounts(d: Desired): Set<string> {
  return new Set(d.serviceAccounts.filter((a) => a.workspaces && !a.archived).map((a) => a.name));
}

/** The service accounts import reads: without a token they are left out, with why. */
const importedServiceAccounts = (l: Listings, kind: Promise<OrgKind>): Part =>
  kind.then(async (k) => (k === 'console' ? { serviceAccounts: await l.serviceAccounts() } : {}));
const enterpriseWith = (d: Desired): boolean => d.organization.kind === 'enterprise' && d.groups.length > 0;

/** The groups a plan reads: a 403 makes them unreadable (the rest of the plan goes on). */
const plannedGroups = (l: Listings) => scoped(() => l.groups(), 'read:rbac_groups');

/**
 * The groups import reads: a 403 means the key lacks read:rbac_groups (§2.3), so the groups are left out, not
 * guessed; a 404 means a console organization imported with --kind enterprise (§2.1: groups are enterprise-only).
 */
async function importedGroups(l: Listings): Promise<LiveGroup[] | Unreadable> {
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
async function importedWorkspaces(l: Listings): Promise<LiveWorkspace[]> {
  try {
    return await l.workspaces();
  } catch (err) {
    if (!refusedAsOtherKind(err)) throw err;
    throw new UsageError(
      `--kind console, but ${err.request.method} ${route(err)} answered ${err.status}: only console organizations ` +
        'have workspaces; use --kind enterprise (or leave --kind out to detect it)',
    );
  }
}

async function membersOf<C, M>(containers: Promise<C[] | Unreadable>, keep: (c: C) => boolean, list: (c: C) => Promise<M[]>): Promise<M[] | undefined> {
  const all = await containers;
  if (!Array.isArray(all)) return undefined;
  return (await Promise.all(all.filter(keep).map(list))).flat();
}

/** The part of Live one kind is read into, or nothing read for it in this scope. */
type Part = Promise<Partial<Live>> | undefined;

/** A membership's id, `container/user`, in its two parts. */
export function splitId(c: Change): [string, string] {
  const id = c.id ?? '';
  const i = id.indexOf('/');
  return i < 0 ? [id, ''] : [id.slice(0, i), id.slice(i + 1)];
}

/** The id of the container a membership change names: the one it was planned against, or none yet (a create). */
function containerOf(c: Change, known: unknown): string | undefined {
  if (c.action === 'create') return typeof known === 'string' && known !== '' ? known : undefined;
  return splitId(c)[0];
}

/**
 * How one kind is read, per scope:
 * `managed`: the Live fields a plan of this file reads for the kind (only as far as the file manages it);
 * `touched`: starts, at once, the listings a saved change of this kind is judged against (live/stale.ts judges);
 * `everything`: all the organization holds of the kind, for import (`kind` resolves once the org kind is known).
 */
export interface KindRead<K extends ResourceKind> {
  managed(d: Desired, l: Listings): Part;
  touched(c: ChangeOf<K>, l: Listings): void;
  everything(l: Listings, kind: Promise<OrgKind>): Part;
}

/** One way of reading per resource kind: a kind added to model/kinds.ts fails to compile until it has one. */
export type ReadTable = { readonly [K in ResourceKind]: KindRead<K> };

const scimPart = {
  managed: (d: Desired, l: Listings): Part => (needsScim(d) ? l.scim().then((scim) => ({ scim })) : undefined),
  touched: (_c: Change, l: Listings): void => void l.scim(),
  everything: (l: Listings, kind: Promise<OrgKind>): Part => kind.then(async (k) => (k === 'enterprise' ? { scim: await l.scim() } : {})),
};

export const READS = {
  member: {
    managed: (_d, l) => l.users().then((users) => ({ users })),
    touched: (_c, l) => void l.users(),
    everything: (l) => l.users().then((users) => ({ users })),
  },
  invite: {
    managed: (_d, l) => l.invites(OPEN_INVITES).then((invites) => ({ invites })),
    // a create or replace is stale when the person became a member meanwhile
    touched: (_c, l) => {
      void l.users();
      void l.invites(LISTED_INVITES);
    },
    everything: (l) => l.invites(OPEN_INVITES).then((invites) => ({ invites })),
  },
  workspace: {
    // console orgs: every workspace, archived ones included
    managed: (d, l) => (consoleWith(d) ? l.workspaces().then((workspaces) => ({ workspaces })) : undefined),
    touched: (_c, l) => void l.workspaces(),
    everything: (l, kind) => kind.then(async (k) => (k === 'console' ? { workspaces: await importedWorkspaces(l) } : {})),
  },
  workspace_member: {
    // the explicit members of the active workspaces whose membership the file manages
    managed: (d, l) => {
      if (!consoleWith(d)) return undefined;
      const names = managedNames(d.workspaces);
      return membersOf(l.workspaces(), (w) => !w.archived && names.has(w.name), (w) => l.workspaceMembers(w.id))
        .then((workspaceMembers) => ({ workspaceMembers: workspaceMembers ?? [] }));
    },
    touched: (c, l) => {
      const ws = containerOf(c, c.after?.workspace_id);
      if (ws !== undefined) void l.workspaceMembers(ws);
    },
    // there is no file yet: every active workspace's members
    everything: (l, kind) => kind.then(async (k) => {
      if (k !== 'console') return {};
      const workspaceMembers = await membersOf(importedWorkspaces(l), (w) => !w.archived, (w) => l.workspaceMembers(w.id));
      return { workspaceMembers: workspaceMembers ?? [] };
    }),
  },
  api_key: {
    // read only when a plan removes someone from a console org (offboarding, issue 3): readActiveApiKeys, after a
    // first plan says so
    managed: () => undefined,
    touched: (_c, l) => void l.activeApiKeys(),
    // import declares no keys
    everything: () => undefined,
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
        return withRoles ? { groups, roles: await l.roles() } : { groups };
      });
    },
    touched: (_c, l) => void l.groups(),
    everything: (l, kind) => kind.then(async (k) => (k === 'enterprise' ? { groups: await importedGroups(l) } : {})),
  },
  group_member: {
    // the members of the direct groups whose membership the file manages
    managed: (d, l) => {
      if (!enterpriseWith(d)) return undefined;
      const names = managedNames(d.groups);
      return membersOf(plannedGroups(l), (g) => g.sourceType === 'direct' && names.has(g.name), (g) => l.groupMembers(g.id))
        .then((groupMembers) => (groupMembers ? { groupMembers } : {}));
    },
    touched: (c, l) => {
      const group = containerOf(c, c.after?.group_id);
      if (group !== undefined) void l.groupMembers(group);
    },
    // only direct groups can be declared under `groups`; scim-sourced ones are the directory's (§11.1, §13.2)
    everything: (l, kind) => kind.then(async (k) => {
      if (k !== 'enterprise') return {};
      const groupMembers = await membersOf(importedGroups(l), (g) => g.sourceType === 'direct', (g) => l.groupMembers(g.id));
      return groupMembers ? { groupMembers } : {};
    }),
  },
  // the SCIM directory is one read (users and groups together): every SCIM kind needs all of it
  scim_user: scimPart,
  scim_group: scimPart,
  scim_group_member: scimPart,
  sign_out: {
    // planned from the member removals (planner/members.ts): the members listing, which `member` reads anyway
    managed: (d, l) => (d.policy.signOutOnRemoval ? l.users().then((users) => ({ users })) : undefined),
    // ready while the member is still there; done once they are gone
    touched: (_c, l) => void l.users(),
    // import declares no sign-outs
    everything: () => undefined,
  },
  service_account: {
    // console orgs whose file declares service accounts: all of them, archived ones included (an archived one keeps
    // its name); without the OAuth token, unreadable (their changes are unavailable, the rest of the plan goes on)
    managed: (d, l) => (withServiceAccounts(d) ? l.serviceAccounts().then((serviceAccounts) => ({ serviceAccounts })) : undefined),
    touched: (_c, l) => void l.serviceAccounts(),
    everything: importedServiceAccounts,
  },
  service_account_workspace: {
    // the explicit memberships of the active declared accounts whose `workspaces` the file gives, and the
    // workspaces they name (by name in the file, by id in the API)
    managed: (d, l) => {
      if (!withServiceAccounts(d)) return undefined;
      const names = managedAccounts(d);
      if (names.size === 0) return undefined;
      return Promise.all([
        l.workspaces(),
        membersOf(l.serviceAccounts(), (a) => !a.archived && names.has(a.name), (a) => l.serviceAccountWorkspaces(a.id)),
      ]).then(([workspaces, serviceAccountWorkspaces]) => ({ workspaces, serviceAccountWorkspaces: serviceAccountWorkspaces ?? [] }));
    },
    touched: (c, l) => {
      const account = c.action === 'create' ? c.after?.service_account_id : splitId(c)[0];
      if (account) void l.serviceAccountWorkspaces(account);
    },
    everything: (l, kind) => kind.then(async (k) => {
      if (k !== 'console') return {};
      const serviceAccountWorkspaces = await membersOf(l.serviceAccounts(), (a) => !a.archived, (a) => l.serviceAccountWorkspaces(a.id));
      return serviceAccountWorkspaces ? { serviceAccountWorkspaces } : {};
    }),
  },
} satisfies ReadTable;

/** The read of a change's kind (TypeScript cannot relate `READS[c.kind]` to `c`; the table's type does). */
function readOf(kind: ResourceKind): KindRead<ResourceKind> {
  return READS[kind] as unknown as KindRead<ResourceKind>;
}

const KINDS = Object.keys(READS) as ResourceKind[];

/**
 * The parts every kind read, merged into one Live (a field no kind read stays absent). Members and invites are read
 * in every scope that makes a Live: a table that forgot them would plan against nobody, so it fails here instead.
 */
async function gather(organization: WireOrganization, parts: Part[]): Promise<Live> {
  const read: Partial<Live> = {};
  for (const p of await Promise.all(parts)) if (p) Object.assign(read, p);
  const { users, invites } = read;
  if (!users || !invites) throw new Error('live reader: the members and invites were not read');
  return { organization: { id: organization.id, name: organization.name }, ...read, users, invites };
}

export type LiveScope =
  | { managed: Desired }
  | { touched: Plan }
  | { everything: true; /** undefined: detect it */ kind?: OrgKind | undefined; /** the org pin, when given */ expectOrgId?: string | undefined };

/** What an `everything` read found: the live state, and the org kind (given, or detected). */
export interface EverythingRead {
  live: Live;
  kind: OrgKind;
}

/**
 * The org kind is in no response (§4.1 `/me` has only id, type, name). Detected from the console-only workspaces
 * listing: an answer means console, 404/403 means enterprise (the real API's status is undocumented, §16); any other
 * failure is thrown. The listing is memoized: the console read uses the answer of the probe.
 */
async function detectKind(l: Listings): Promise<OrgKind> {
  try {
    await l.workspaces();
    return 'console';
  } catch (err) {
    if (refusedAsOtherKind(err)) return 'enterprise';
    throw err;
  }
}

/** One reader over one set of listings: each is read at most once, whatever scopes are asked of it. */
export class LiveReader {
  readonly listings: Listings;
  constructor(sources: LiveSources) {
    this.listings = new Listings(sources);
  }

  /** The live state a plan of this file is made from; the org pin is checked before anything else is read. */
  async read(scope: { managed: Desired }): Promise<Live>;
  /** Everything the org holds, for import; with `expectOrgId`, nothing else is read unless the key is that org's. */
  async read(scope: { everything: true; kind?: OrgKind | undefined; expectOrgId?: string | undefined }): Promise<EverythingRead>;
  /** Starts the listings the API changes of a saved plan are judged against (judging awaits them). */
  async read(scope: { touched: Plan }): Promise<Listings>;
  async read(scope: LiveScope): Promise<Live | EverythingRead | Listings> {
    const l = this.listings;
    if ('touched' in scope) {
      for (const c of scope.touched.changes) if (isApiAction(c.action)) readOf(c.kind).touched(c, l);
      return l;
    }
    const org = await l.organization();
    if ('managed' in scope) {
      if (org.id !== scope.managed.organization.id) throw new OrganizationMismatchError(scope.managed.organization.id, org.id, org.name);
      return gather(org, KINDS.map((k) => readOf(k).managed(scope.managed, l)));
    }
    if (scope.expectOrgId !== undefined && org.id !== scope.expectOrgId) throw new OrganizationMismatchError(scope.expectOrgId, org.id, org.name);
    // With the kind given, the reads of that kind start at once; when detecting, only after the probe answered.
    const kind = scope.kind !== undefined ? Promise.resolve(scope.kind) : detectKind(l);
    kind.catch(() => undefined);
    const live = await gather(org, KINDS.map((k) => readOf(k).everything(l, kind)));
    return { live, kind: await kind };
  }
}

/** The live state a plan of this file reads (one reader, one scope; the benchmark's plan child calls it). */
export function readLive(desired: Desired, sources: LiveSources): Promise<Live> {
  return new LiveReader(sources).read({ managed: desired });
}

/** Active API keys, read only when a plan removes someone from a console org (offboarding, issue 3). */
export function readActiveApiKeys(admin: AdminReader, signal?: AbortSignal): Promise<LiveApiKey[]> {
  return new Listings({ admin, signal }).activeApiKeys();
}
