// The saved-plan check (issues 5 and 12): before `apply PLANFILE` runs, the live collections the plan touches are
// listed again (whole listings, never one GET per object) and each API change of the plan is judged:
//
// - `ready`: the world is as the plan saw it (the touched object has the fingerprint the planner took; for a
//   create, nothing with that identity has appeared since);
// - `done`: what the change would do is already so (the object the create would make exists with the planned
//   attributes, the role already is the planned one, the object to delete is gone) — an earlier apply of this plan,
//   or a person, got there first; the change is skipped, never repeated;
// - `stale`: anything else (the object changed, is gone, or an object with the identity a create would take exists
//   in another shape): the whole apply is refused.
//
// Creates are judged too: a replayed `+ workspace["Sandbox2"]` or a workspace made by hand meanwhile would otherwise
// be created a second time (names are not unique in the API). What no listing can show — an invite sent and then
// withdrawn, which the API no longer lists — is caught by the journal of applied plans (cli/journal.ts).

import { emailKey } from '../model/address.js';
import { fingerprint } from '../model/fingerprint.js';
import type {
  LiveApiKey,
  LiveGroup,
  LiveGroupMember,
  LiveInvite,
  LiveScimGroup,
  LiveScimUser,
  LiveServiceAccount,
  LiveServiceAccountWorkspace,
  LiveUser,
  LiveWorkspace,
  LiveWorkspaceMember,
} from '../model/live.js';
import type { ResourceKind } from '../model/kinds.js';
import { dependencyOf, isApiAction, type Change, type ChangeOf, type Plan } from '../model/plan.js';
import { LISTED_INVITES, LiveReader, splitId, type Listings, type LiveSources } from './read.js';

export interface StaleObject {
  address: string;
  /** the live id the change names, or `new` for a create */
  id: string;
  why: string;
}

export interface DoneObject {
  address: string;
  why: string;
  /** for a create: the id of the object that already exists (its dependents use it) */
  id?: string;
}

export interface SavedPlanCheck {
  stale: StaleObject[];
  done: DoneObject[];
}

export interface StaleSources extends LiveSources {
  /** the clock: a pending invite whose `expires_at` has passed is expired, as the planner counts it */
  now?: Date;
}

type Verdict = { state: 'ready' } | { state: 'done'; why: string; id?: string } | { state: 'stale'; why: string };

const READY: Verdict = { state: 'ready' };
const done = (why: string, id?: string): Verdict => (id === undefined ? { state: 'done', why } : { state: 'done', why, id });
const stale = (why: string): Verdict => ({ state: 'stale', why });

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The listings the reader read for the plan (live/read.ts, scope `touched`), indexed as the judging looks them up. */
class Snapshot {
  readonly #l: Listings;
  readonly #now: Date | undefined;
  readonly #memo = new Map<string, Promise<unknown>>();
  constructor(l: Listings, now: Date | undefined) {
    this.#l = l;
    this.#now = now;
  }

  #index<T>(key: string, build: () => Promise<T>): Promise<T> {
    let p = this.#memo.get(key) as Promise<T> | undefined;
    if (!p) this.#memo.set(key, (p = build()));
    return p;
  }

  /** Members by id and by email key. */
  users(): Promise<{ byId: Map<string, LiveUser>; byEmail: Map<string, LiveUser> }> {
    return this.#index('users', async () => {
      const users = await this.#l.users();
      return { byId: new Map(users.map((u) => [u.id, u])), byEmail: new Map(users.map((u) => [emailKey(u.email), u])) };
    });
  }

  /** Pending, expired and accepted invites (everything the API lists; withdrawn ones it does not): by id, and the
   * pending ones by email key. */
  invites(): Promise<{ byId: Map<string, LiveInvite>; pendingByEmail: Map<string, LiveInvite> }> {
    return this.#index('invites', async () => {
      const invites = await this.#l.invites(LISTED_INVITES);
      const now = (this.#now ?? new Date()).getTime();
      return {
        byId: new Map(invites.map((i) => [i.id, i])),
        // as the planner counts them (planner/context.ts): pending and not past expires_at
        pendingByEmail: new Map(invites.filter((i) => i.status === 'pending' && Date.parse(i.expiresAt) > now).map((i) => [emailKey(i.email), i])),
      };
    });
  }

  workspaces(): Promise<LiveWorkspace[]> {
    return this.#l.workspaces();
  }

  /** One workspace's explicit members, by user id. */
  workspaceMembers(workspaceId: string): Promise<Map<string, LiveWorkspaceMember>> {
    return this.#index(`ws:${workspaceId}`, async () => byUser(await this.#l.workspaceMembers(workspaceId)));
  }

  /** Active API keys by id. */
  activeApiKeys(): Promise<Map<string, LiveApiKey>> {
    return this.#index('api_keys', async () => new Map((await this.#l.activeApiKeys()).map((k) => [k.id, k])));
  }

  groups(): Promise<LiveGroup[]> {
    return this.#l.groups();
  }

  /** One RBAC group's members, by user id. */
  groupMembers(groupId: string): Promise<Map<string, LiveGroupMember>> {
    return this.#index(`group:${groupId}`, async () => byUser(await this.#l.groupMembers(groupId)));
  }

  /** The service accounts by id (archived ones included), or why they cannot be read. */
  serviceAccounts(): Promise<{ byId: Map<string, LiveServiceAccount>; all: LiveServiceAccount[] } | { unavailable: true; reason: string }> {
    return this.#index('service_accounts', async () => {
      const all = await this.#l.serviceAccounts();
      if (!Array.isArray(all)) return all;
      return { byId: new Map(all.map((a) => [a.id, a])), all };
    });
  }

  /** One service account's explicit memberships, by workspace id. */
  serviceAccountWorkspaces(serviceAccountId: string): Promise<Map<string, LiveServiceAccountWorkspace>> {
    return this.#index(`svac:${serviceAccountId}`, async () =>
      new Map((await this.#l.serviceAccountWorkspaces(serviceAccountId)).map((m) => [m.workspaceId, m])));
  }

  /** The SCIM directory indexed: users by id and by lower-cased userName, groups by id; or why it cannot be read. */
  scim(): Promise<ScimIndex | { available: false; reason: string }> {
    return this.#index('scim', async () => {
      const s = await this.#l.scim();
      if (!s.available) return s;
      return {
        available: true as const,
        usersById: new Map(s.users.map((u) => [u.id, u])),
        usersByName: new Map(s.users.map((u) => [emailKey(u.userName), u])),
        groupsById: new Map(s.groups.map((g) => [g.id, { group: g, members: new Set(g.members) }])),
        groups: s.groups,
      };
    });
  }
}

function byUser<M extends { userId: string }>(members: readonly M[]): Map<string, M> {
  return new Map(members.map((m) => [m.userId, m]));
}

/** The usual judgement of a change that names a live object: unchanged, already as planned, or stale. */
function judgeExisting<T extends object>(c: Change, obj: T | undefined, atAfter: (o: T) => boolean, goneIsDone: boolean): Verdict {
  if (!obj) return goneIsDone ? done('is gone already') : stale('is gone since the plan was made');
  if (fingerprint(obj) === c.fingerprint) return READY;
  if (c.action !== 'delete' && atAfter(obj)) return done('is already as planned');
  return stale('changed since the plan was made');
}

interface ScimIndex {
  available: true;
  usersById: Map<string, LiveScimUser>;
  usersByName: Map<string, LiveScimUser>;
  groupsById: Map<string, { group: LiveScimGroup; members: Set<string> }>;
  groups: LiveScimGroup[];
}

type Made = ReadonlyMap<string, string>;

/**
 * How a change of one kind is judged (issue 16: one entry per resource kind, checked against every kind). The
 * listings it is judged against are started at once by the reader (live/read.ts READS, scope `touched`); the
 * judging goes in plan order, so the listings of many touched workspaces or groups are read concurrently.
 */
interface KindCheck<K extends ResourceKind> {
  judge(c: ChangeOf<K>, snap: Snapshot, made: Made): Promise<Verdict>;
}

/** The id of the `kind` object a create depends on: known at plan time, or found done by this check. */
function madeId(c: Change, known: string | undefined, kind: ResourceKind, made: Made): string | undefined {
  if (known !== undefined && known !== '') return known;
  const dep = dependencyOf(c, kind);
  return dep === undefined ? undefined : made.get(dep);
}

const unreadableScim = (reason: string): Verdict => stale(`the SCIM directory cannot be read to check it: ${reason}`);

const CHECKS = {
  member: {
    judge: async (c, snap) => {
      const u = (await snap.users()).byId.get(c.id ?? '');
      return judgeExisting(c, u, (x) => x.role === c.after?.role, c.action === 'delete');
    },
  },
  invite: {
    judge: async (c, snap) => {
      const invites = await snap.invites();
      const key = emailKey(c.key);
      if (c.action === 'delete') {
        return judgeExisting(c, invites.byId.get(c.id ?? ''), () => false, true);
      }
      if (c.action === 'replace') {
        const old = invites.byId.get(c.id ?? '');
        if (old && fingerprint(old) === c.fingerprint) return READY;
      }
      // create, or a replace whose old invite is gone: does someone hold or await access now?
      const member = (await snap.users()).byEmail.get(key);
      if (member) return stale(`${member.email} is a member now (${member.id}, role ${member.role})`);
      const pending = invites.pendingByEmail.get(key);
      if (pending && pending.role === c.after?.role) return done(`an invite as ${pending.role} is pending already (${pending.id})`, pending.id);
      if (pending) return stale(`an invite as ${pending.role} is pending now (${pending.id})`);
      return c.action === 'replace' ? stale('is gone since the plan was made') : READY;
    },
  },
  workspace: {
    judge: async (c, snap) => {
      const a = c.after;
      const all = await snap.workspaces();
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
    judge: async (c, snap, made) => {
      if (c.action === 'create') {
        const ws = madeId(c, c.after?.workspace_id, 'workspace', made);
        if (ws === undefined) return READY; // the workspace is made by this plan: it has no members yet
        const m = (await snap.workspaceMembers(ws)).get(text(c.after?.user_id) ?? '');
        if (!m) return READY;
        return m.role === c.after?.role ? done(`is a member as ${m.role} already`) : stale(`is a member as ${m.role} now`);
      }
      const [ws, user] = splitId(c);
      const m = (await snap.workspaceMembers(ws)).get(user);
      return judgeExisting(c, m, (x) => x.role === c.after?.role, c.action === 'delete');
    },
  },
  api_key: {
    judge: async (c, snap) => {
      // only deactivations are planned: a key that is no longer active needs nothing more
      const k = (await snap.activeApiKeys()).get(c.id ?? '');
      return judgeExisting(c, k, () => false, true);
    },
  },
  group: {
    judge: async (c, snap) => {
      const all = await snap.groups();
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
    judge: async (c, snap, made) => {
      if (c.action === 'create') {
        const group = madeId(c, c.after?.group_id, 'group', made);
        if (group === undefined) return READY;
        const m = (await snap.groupMembers(group)).get(text(c.after?.user_id) ?? '');
        return m ? done('is a member already') : READY;
      }
      const [group, user] = splitId(c);
      const m = (await snap.groupMembers(group)).get(user);
      return judgeExisting(c, m, () => false, true);
    },
  },
  scim_user: {
    judge: async (c, snap) => {
      const s = await snap.scim();
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
    judge: async (c, snap) => {
      const s = await snap.scim();
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
    judge: async (c, snap, made) => {
      const s = await snap.scim();
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
    // ready while the member is as the plan read them; a member gone since needs no sign-out (their removal is done)
    judge: async (c, snap) => judgeExisting(c, (await snap.users()).byId.get(c.id ?? ''), () => false, true),
  },
  service_account: {
    judge: async (c, snap) => {
      const read = await snap.serviceAccounts();
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
    judge: async (c, snap, made) => {
      if (c.action === 'create') {
        const account = madeId(c, c.after?.service_account_id, 'service_account', made);
        const ws = madeId(c, c.after?.workspace_id, 'workspace', made);
        if (account === undefined || ws === undefined) return READY; // made by this plan: no memberships yet
        const m = (await snap.serviceAccountWorkspaces(account)).get(ws);
        if (!m) return READY;
        return m.role === c.after?.role ? done(`is a member as ${m.role} already`) : stale(`is a member as ${m.role} now`);
      }
      const [account, ws] = splitId(c);
      const m = (await snap.serviceAccountWorkspaces(account)).get(ws);
      return judgeExisting(c, m, (x) => x.role === c.after?.role, c.action === 'delete');
    },
  },
} satisfies { readonly [K in ResourceKind]: KindCheck<K> };

/** The check of a change's kind (TypeScript cannot relate `CHECKS[c.kind]` to `c`; the table's type does). */
function checkOf(c: Change): KindCheck<ResourceKind> {
  return CHECKS[c.kind] as unknown as KindCheck<ResourceKind>;
}

/**
 * Lists what the plan touches and judges every API change: stale ones make the apply refuse; done ones are
 * skipped (their ids are handed to the changes that depend on them).
 */
export async function checkSavedPlan(plan: Plan, src: StaleSources): Promise<SavedPlanCheck> {
  const snap = new Snapshot(await new LiveReader(src).read({ touched: plan }), src.now);
  const made = new Map<string, string>();
  const out: SavedPlanCheck = { stale: [], done: [] };
  const judged = plan.changes.filter((c) => isApiAction(c.action));
  // In plan order: a create judged done gives its id to the memberships judged after it.
  for (const c of judged) {
    const v = await checkOf(c).judge(c, snap, made);
    if (v.state === 'stale') out.stale.push({ address: c.address, id: c.id ?? 'new', why: v.why });
    else if (v.state === 'done') {
      out.done.push(v.id === undefined ? { address: c.address, why: v.why } : { address: c.address, why: v.why, id: v.id });
      if (v.id !== undefined) made.set(c.address, v.id);
    }
  }
  return out;
}
