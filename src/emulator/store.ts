// The emulated organization's whole state, its indexes and its clock. Routes read and change it only through
// these methods, which keep the indexes in step. API rules (roles, provisioning, scopes) live in the routes; the
// store enforces only integrity (unique ids, one member per address) so control endpoints and seeds can build
// states the API itself would refuse to create.
//
// Admin keys are kept as SHA-256 digests: the store, its snapshot and its logs never hold a key in clear text.

import { createHash, randomUUID } from 'node:crypto';
import type { IdPage, WireInvite, WireInviteStatus, WireOrgKind, WireUser } from '../clients/wire.js';
import { ApiKeyStore } from './admin/api-keys/store.js';
import { loadRbacGroups } from './admin/groups/load.js';
import { RbacGroupStore } from './admin/groups/store.js';
import {
  INVITE_LIFETIME_MS,
  type InviteListQuery,
  type InviteRecord,
  type NewInvite,
} from './admin/invites/records.js';
import { RbacRoleStore } from './admin/roles/store.js';
import type { NewUser, UserListQuery, UserRecord } from './admin/users/records.js';
import { WorkspaceStore } from './admin/workspaces/store.js';
import { EmulatorClock } from './clock.js';
import { defaultName, emailKey, emailMatchKey } from './emails.js';
import { badRequest } from './failure.js';
import { newId } from './ids.js';
import { readPage, toIdPage } from './pagination.js';
import { RequestLog } from './request-log.js';
import type { ScimDirectory } from './scim/directory.js';
import { directorySnapshot } from './scim/snapshot.js';
import { loadDirectory } from './scim/sync.js';
import { DEFAULT_ADMIN_KEY, DEFAULT_ORGANIZATION, defaultSeed, type Provisioning, type Seed } from './seed.js';
import { PartitionedIndex, SortedIndex, compareKeys, type IndexEntry, type SortKey } from './sorted-index.js';

export interface OrganizationState {
  id: string;
  name: string;
  kind: WireOrgKind;
  provisioning: Provisioning;
}

/** What the emulator knows of an admin key besides its digest. `scopes: null` = full access (Console key, §2.2). */
export interface AdminKeyInfo {
  name: string;
  scopes: readonly string[] | null;
}

export interface RateLimitSettings {
  requestsPerMinute?: number;
  invitesPerHour?: number;
}

const DAY_MS = 24 * 3600 * 1000;

function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function addTo(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(id);
  map.set(key, set);
}

function removeFrom(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) map.delete(key);
}

const SEP = '\u0001';

export class EmulatorStore {
  clock = new EmulatorClock();
  organization: OrganizationState = { ...DEFAULT_ORGANIZATION };
  /** Effective limits: the seed's `rate_limits`, overridden by the options given at start. */
  rateLimits: RateLimitSettings = {};
  requests = new RequestLog();
  /** Increases on every `load`; the server rebuilds its rate limiter when it changes. */
  generation = 0;

  private keys = new Map<string, AdminKeyInfo>();
  private users = new Map<string, UserRecord>();
  /** Sort keys of removed users, so a cursor taken before a removal still works. */
  private removedUsers = new Map<string, SortKey>();
  private userIndex = new PartitionedIndex();
  private userMatch = new Map<string, Set<string>>();
  private invites = new Map<string, InviteRecord>();
  private inviteIndex = new PartitionedIndex();
  private inviteMatch = new Map<string, Set<string>>();
  private emailsSent = new Map<string, number>();
  private seq = 0;
  /** Console workspaces and explicit workspace memberships (§7, §8); see admin/workspaces/store.ts. */
  readonly workspaces: WorkspaceStore = new WorkspaceStore(this);
  /** Console API keys (§9); see admin/api-keys/store.ts. */
  readonly apiKeys: ApiKeyStore = new ApiKeyStore(this);
  /** Enterprise RBAC groups and their members (§11); see admin/groups/store.ts. */
  readonly groups: RbacGroupStore = new RbacGroupStore(() => this.clock.now());
  /** Enterprise RBAC roles, read-only (built-in and seeded custom ones); see admin/roles/store.ts. */
  readonly roles: RbacRoleStore = new RbacRoleStore();
  /** The SCIM directory (§13) when the seed has a `scim` section; see scim/directory.ts. */
  scim: ScimDirectory | undefined;
  /** Whether the directory sync runs on its timer (the server turns it on); see scim/sync.ts. */
  scimAutoSync = false;

  constructor(
    seed: Seed = defaultSeed(),
    private readonly limitOverrides: RateLimitSettings = {},
  ) {
    this.load(seed);
  }

  /** Replaces the whole state (organization, keys, members, invites, clock, counters) with a validated seed. */
  load(seed: Seed): void {
    this.generation++;
    this.clock = new EmulatorClock();
    this.requests = new RequestLog();
    this.keys.clear();
    this.users.clear();
    this.removedUsers.clear();
    this.userMatch.clear();
    this.invites.clear();
    this.inviteMatch.clear();
    this.emailsSent.clear();

    const org = seed.organization;
    this.organization = org
      ? {
          id: org.id ?? randomUUID(),
          name: org.name ?? DEFAULT_ORGANIZATION.name,
          kind: org.kind ?? 'console',
          provisioning: org.provisioning ?? 'invite',
        }
      : { ...DEFAULT_ORGANIZATION };

    const keys = seed.admin_keys ?? [DEFAULT_ADMIN_KEY];
    keys.forEach((k, i) => {
      const key = typeof k === 'string' ? { key: k } : k;
      this.keys.set(digest(key.key), { name: key.name ?? `admin-key-${i + 1}`, scopes: key.scopes ?? null });
    });

    const limits = seed.rate_limits ?? {};
    this.rateLimits = {};
    const rpm = this.limitOverrides.requestsPerMinute ?? limits.requests_per_minute;
    const iph = this.limitOverrides.invitesPerHour ?? limits.invites_per_hour;
    if (rpm !== undefined) this.rateLimits.requestsPerMinute = rpm;
    if (iph !== undefined) this.rateLimits.invitesPerHour = iph;

    // Missing timestamps: one second apart, ending now, in the seed's order (the last listed is the newest), so
    // the listing order is plain from the timestamps alone.
    const now = this.clock.now();
    const users = seed.users ?? [];
    users.forEach((u, i) => {
      const addedAt = u.added_at ?? iso(now - (users.length - 1 - i) * 1000);
      this.materializeUser({ email: u.email, role: u.role, name: u.name, addedAt, id: u.id }, now);
    });
    const invites = seed.invites ?? [];
    invites.forEach((inv, i) => {
      const sentAt = now - (invites.length - 1 - i) * 1000;
      const stored = inv.status ?? 'pending';
      const expiresMs = inv.expires_at ? Date.parse(inv.expires_at) : undefined;
      const invitedMs = inv.invited_at
        ? Date.parse(inv.invited_at)
        : expiresMs !== undefined
          ? expiresMs - INVITE_LIFETIME_MS
          : stored === 'expired'
            ? sentAt - INVITE_LIFETIME_MS - DAY_MS
            : sentAt;
      this.materializeInvite({
        email: inv.email,
        role: inv.role,
        stored,
        invitedAt: inv.invited_at ?? iso(invitedMs),
        expiresAt: inv.expires_at ?? iso(invitedMs + INVITE_LIFETIME_MS),
        acceptedAt: stored === 'accepted' ? (inv.accepted_at ?? inv.invited_at ?? iso(invitedMs)) : null,
        id: inv.id,
      });
    });
    this.userIndex.load([...this.users.values()].map((u) => ({ part: u.role, entry: u })));
    this.inviteIndex.load(
      [...this.invites.values()]
        .filter((i) => i.stored !== 'deleted')
        .map((i) => ({ part: inviteSlot(i), entry: i })),
    );
    // Workspaces need the users (members are seeded by email), keys need both.
    this.workspaces.load(seed, now);
    this.apiKeys.load(seed, now);
    // RBAC roles and groups (members by email), then the SCIM directory and its optional first sync.
    loadRbacGroups(this, seed);
    loadDirectory(this, seed.scim);
  }

  // ---- keys ----

  authenticate(key: string): AdminKeyInfo | undefined {
    return this.keys.get(digest(key));
  }

  keyInfos(): AdminKeyInfo[] {
    return [...this.keys.values()];
  }

  // ---- users ----

  /** How many members the organization has now. */
  get userCount(): number {
    return this.users.size;
  }

  user(id: string): UserRecord | undefined {
    return this.users.get(id);
  }

  /** The member whose address equals `email`, case-insensitively (one member per address). */
  userByEmail(email: string): UserRecord | undefined {
    const wanted = emailKey(email);
    for (const id of this.userMatch.get(emailMatchKey(email)) ?? []) {
      const u = this.users.get(id);
      if (u && emailKey(u.email) === wanted) return u;
    }
    return undefined;
  }

  addUser(input: NewUser): UserRecord {
    const user = this.materializeUser(input, this.clock.now());
    this.userIndex.insert(user.role, user);
    return user;
  }

  setUserRole(id: string, role: string): UserRecord {
    const user = this.mustUser(id);
    if (user.role === role) return user;
    this.userIndex.remove(user.role, user);
    user.role = role;
    this.userIndex.insert(user.role, user);
    return user;
  }

  removeUser(id: string): void {
    const user = this.mustUser(id);
    this.userIndex.remove(user.role, user);
    removeFrom(this.userMatch, emailMatchKey(user.email), id);
    this.users.delete(id);
    this.removedUsers.set(id, user.key);
    this.workspaces.forgetUser(id); // §5.5 (inferred): memberships go with the member; API keys stay
    this.groups.userRemoved(id); // §11.2: a user who left the org is in no group
  }

  listUsers(q: UserListQuery): IdPage<WireUser> {
    const roles = q.roles && q.roles.length > 0 ? new Set(q.roles) : undefined;
    const c = q.page.cursor;
    const cursor = c && {
      direction: c.direction,
      key: this.cursorKey(c.id, this.users.get(c.id)?.key ?? this.removedUsers.get(c.id), c.direction),
    };
    const sources =
      q.email !== undefined
        ? [this.candidates(this.userMatch, q.email, this.users)]
        : this.userIndex.select((role) => !roles || roles.has(role));
    const accept = (id: string): boolean => {
      const u = this.users.get(id);
      return !!u && (!roles || roles.has(u.role));
    };
    const { ids, hasMore } = readPage(sources, q.page.limit, cursor, accept);
    return toIdPage(ids.map((id) => this.userToWire(this.users.get(id)!)), hasMore);
  }

  userToWire(u: UserRecord): WireUser {
    return { type: 'user', id: u.id, email: u.email, name: u.name, role: u.role, added_at: u.addedAt };
  }

  // ---- invites ----

  invite(id: string): InviteRecord | undefined {
    return this.invites.get(id);
  }

  /** Status as the API reads it now: a pending invite past `expires_at` on the emulator clock is expired (§6.2). */
  inviteStatus(inv: InviteRecord): WireInviteStatus {
    if (inv.stored === 'pending' && this.clock.now() >= inv.expiresMs) return 'expired';
    return inv.stored;
  }

  /** The invite for `email` (case-insensitive) that is pending right now, if any. */
  pendingInviteFor(email: string): InviteRecord | undefined {
    const wanted = emailKey(email);
    for (const id of this.inviteMatch.get(emailMatchKey(email)) ?? []) {
      const inv = this.invites.get(id);
      if (inv && emailKey(inv.email) === wanted && this.inviteStatus(inv) === 'pending') return inv;
    }
    return undefined;
  }

  /** Every invite ever sent to `email` (case-insensitive), newest first, withdrawn ones included. */
  invitesFor(email: string): InviteRecord[] {
    const wanted = emailKey(email);
    return [...(this.inviteMatch.get(emailMatchKey(email)) ?? [])]
      .map((id) => this.invites.get(id)!)
      .filter((inv) => emailKey(inv.email) === wanted)
      .sort((a, b) => compareKeys(a.key, b.key));
  }

  /** Whether an RBAC group (§11) with this id exists, direct or SCIM. */
  hasRbacGroup(id: string): boolean {
    return this.groups.get(id) !== undefined;
  }

  addInvite(input: NewInvite): InviteRecord {
    const now = this.clock.now();
    const inv = this.materializeInvite({
      ...input,
      invitedAt: input.invitedAt ?? iso(now),
      expiresAt: input.expiresAt ?? iso(Date.parse(input.invitedAt ?? iso(now)) + INVITE_LIFETIME_MS),
    });
    if (inv.stored !== 'deleted') this.inviteIndex.insert(inviteSlot(inv), inv);
    return inv;
  }

  /** Moves an invite to `accepted` or `deleted` (the only transitions the API and its users make, §6.2). */
  setInviteStatus(id: string, status: 'accepted' | 'deleted'): InviteRecord {
    const inv = this.invites.get(id);
    if (!inv) throw new Error(`no invite ${id}`);
    if (inv.stored !== 'deleted') this.inviteIndex.remove(inviteSlot(inv), inv);
    inv.stored = status;
    if (status === 'accepted') {
      // §6.3: the new member joins the invite's `rbac_group_ids` (the direct groups that still exist).
      const member = this.userByEmail(inv.email);
      // one instant: the member was added when the invite was accepted
      inv.acceptedAt = member?.addedAt ?? this.clock.nowIso();
      for (const groupId of inv.rbacGroupIds) {
        const group = this.groups.get(groupId);
        if (member && group?.sourceType === 'direct' && !this.groups.isMember(groupId, member.id)) {
          this.groups.addMember(groupId, member.id);
        }
      }
    }
    if (inv.stored !== 'deleted') this.inviteIndex.insert(inviteSlot(inv), inv);
    return inv;
  }

  listInvites(q: InviteListQuery): IdPage<WireInvite> {
    const roles = q.roles && q.roles.length > 0 ? new Set(q.roles) : undefined;
    const statuses = new Set<WireInviteStatus>(
      q.statuses && q.statuses.length > 0 ? q.statuses : ['pending', 'accepted', 'expired'],
    );
    // A stored `pending` invite may read as pending or expired, so its partition serves both statuses.
    const storedWanted = (stored: string): boolean =>
      stored === 'pending' ? statuses.has('pending') || statuses.has('expired') : statuses.has(stored as WireInviteStatus);
    const c = q.page.cursor;
    const cursor = c && { direction: c.direction, key: this.cursorKey(c.id, this.invites.get(c.id)?.key, c.direction) };
    const sources =
      q.email !== undefined
        ? [this.candidates(this.inviteMatch, q.email, this.invites)]
        : this.inviteIndex.select((slot) => {
            const [role, stored] = slot.split(SEP) as [string, string];
            return (!roles || roles.has(role)) && storedWanted(stored);
          });
    const accept = (id: string): boolean => {
      const inv = this.invites.get(id);
      return !!inv && (!roles || roles.has(inv.role)) && statuses.has(this.inviteStatus(inv));
    };
    const { ids, hasMore } = readPage(sources, q.page.limit, cursor, accept);
    return toIdPage(ids.map((id) => this.inviteToWire(this.invites.get(id)!)), hasMore);
  }

  inviteToWire(inv: InviteRecord): WireInvite {
    return {
      type: 'invite',
      id: inv.id,
      email: inv.email,
      role: inv.role,
      invited_at: inv.invitedAt,
      expires_at: inv.expiresAt,
      accepted_at: inv.acceptedAt,
      status: this.inviteStatus(inv),
      rbac_group_ids: [...inv.rbacGroupIds],
    };
  }

  // ---- invitation emails (§6.2: creating an invite sends one) ----

  recordInvitationEmail(email: string): void {
    const k = emailKey(email);
    this.emailsSent.set(k, (this.emailsSent.get(k) ?? 0) + 1);
  }

  invitationEmails(email: string): number {
    return this.emailsSent.get(emailKey(email)) ?? 0;
  }

  // ---- the whole state, for GET /_emulator/state ----

  snapshot(): Record<string, unknown> {
    const byKey = <T extends IndexEntry>(a: T, b: T): number => compareKeys(a.key, b.key);
    return {
      organization: { ...this.organization },
      now: this.clock.nowIso(),
      clock_offset_seconds: this.clock.offsetSeconds,
      // Names and scopes only: a key's value is never part of the state (COMMON rules).
      admin_keys: this.keyInfos().map((k) => ({ name: k.name, scopes: k.scopes })),
      rate_limits: {
        requests_per_minute: this.rateLimits.requestsPerMinute ?? null,
        invites_per_hour: this.rateLimits.invitesPerHour ?? null,
      },
      users: [...this.users.values()].sort(byKey).map((u) => this.userToWire(u)),
      invites: [...this.invites.values()].sort(byKey).map((i) => this.inviteToWire(i)),
      invitation_emails: Object.fromEntries([...this.emailsSent].sort(([a], [b]) => a.localeCompare(b))),
      ...this.workspaces.snapshot(),
      ...this.apiKeys.snapshot(),
      rbac_groups: this.groups.snapshot((id) => this.user(id)?.email ?? null),
      // Roles with their internal owner-access flag (admin/roles/store.ts), which the API itself never shows.
      rbac_roles: this.organization.kind === 'enterprise' ? this.roles.snapshot() : [],
      scim: directorySnapshot(this.scim),
      requests: this.requests.counters(),
      rate_limited: this.requests.rateLimited,
    };
  }

  // ---- internals ----

  private mustUser(id: string): UserRecord {
    const user = this.users.get(id);
    if (!user) throw new Error(`no user ${id}`);
    return user;
  }

  private cursorKey(id: string, key: SortKey | undefined, direction: 'after' | 'before'): SortKey {
    // §16 q1: the status of an unknown cursor is undocumented; 400 is the emulator's choice.
    if (!key) throw badRequest(`${direction}_id: no object with id '${id}' in this listing`);
    return key;
  }

  /** The objects whose address matches `email` under §5.2's rules, as a small ad-hoc index. */
  private candidates<T extends IndexEntry>(
    match: Map<string, Set<string>>,
    email: string,
    objects: Map<string, T>,
  ): SortedIndex {
    const index = new SortedIndex();
    const found = [...(match.get(emailMatchKey(email)) ?? [])].map((id) => objects.get(id)).filter((o) => !!o);
    index.load(found as T[]);
    return index;
  }

  private materializeUser(input: NewUser, now: number): UserRecord {
    if (this.userByEmail(input.email)) throw new Error(`${input.email} is already a member`);
    const addedAt = input.addedAt ?? iso(now);
    const user: UserRecord = {
      id: input.id ?? newId('user', (id) => this.users.has(id) || this.removedUsers.has(id)),
      email: input.email,
      name: input.name ?? defaultName(input.email),
      role: input.role,
      addedAt,
      key: { ms: Date.parse(addedAt), seq: ++this.seq },
    };
    this.users.set(user.id, user);
    this.removedUsers.delete(user.id);
    addTo(this.userMatch, emailMatchKey(user.email), user.id);
    return user;
  }

  private materializeInvite(input: NewInvite & { invitedAt: string; expiresAt: string }): InviteRecord {
    const inv: InviteRecord = {
      id: input.id ?? newId('invite', (id) => this.invites.has(id)),
      email: input.email,
      role: input.role,
      invitedAt: input.invitedAt,
      expiresAt: input.expiresAt,
      expiresMs: Date.parse(input.expiresAt),
      acceptedAt: input.acceptedAt ?? null,
      stored: input.stored ?? 'pending',
      rbacGroupIds: [...(input.rbacGroupIds ?? [])],
      key: { ms: Date.parse(input.invitedAt), seq: ++this.seq },
    };
    this.invites.set(inv.id, inv);
    addTo(this.inviteMatch, emailMatchKey(inv.email), inv.id);
    return inv;
  }
}

function inviteSlot(inv: InviteRecord): string {
  return `${inv.role}${SEP}${inv.stored}`;
}
