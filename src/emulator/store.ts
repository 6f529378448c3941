// The emulated organization's whole state and its clock: the organization, its admin keys and rate limits here,
// each resource in its own store (admin/<resource>/store.ts, the SCIM directory in scim/). Routes read and change
// members and invites through these methods, which also carry what one resource's change does to the others (a
// member leaving drops their workspace and group memberships; an accepted invite joins its groups). API rules
// (roles, provisioning, scopes) live in the routes; the stores enforce only integrity (unique ids, one member per
// address) so control endpoints and seeds can build states the API itself would refuse to create.
//
// Admin keys and OAuth tokens are kept as SHA-256 digests: the store, its snapshot and its logs never hold a key or a
// token in clear text.

import { createHash, randomUUID } from 'node:crypto';
import type { IdPage, WireInvite, WireInviteStatus, WireOrgKind, WireUser } from '../clients/wire.js';
import { ApiKeyStore } from './admin/api-keys/store.js';
import { loadRbacGroups } from './admin/groups/load.js';
import { RbacGroupStore } from './admin/groups/store.js';
import type { InviteListQuery, InviteRecord, NewInvite } from './admin/invites/records.js';
import { InviteStore } from './admin/invites/store.js';
import { RbacRoleStore } from './admin/roles/store.js';
import { ServiceAccountStore } from './admin/service-accounts/store.js';
import type { NewUser, UserListQuery, UserRecord } from './admin/users/records.js';
import { UserStore } from './admin/users/store.js';
import { WorkspaceStore } from './admin/workspaces/store.js';
import { EmulatorClock } from './clock.js';
import { ORG_ADMIN_SCOPE } from './oauth-tokens.js';
import { RequestLog } from './request-log.js';
import type { ScimDirectory } from './scim/directory.js';
import { directorySnapshot } from './scim/snapshot.js';
import { loadDirectory } from './scim/sync.js';
import { DEFAULT_ADMIN_KEY, DEFAULT_ORGANIZATION, defaultSeed, type Provisioning, type Seed } from './seed.js';

export interface OrganizationState {
  id: string;
  name: string;
  kind: WireOrgKind;
  provisioning: Provisioning;
}

/**
 * What the emulator knows of a credential besides its digest: an admin key, or (with `oauth`) an OAuth bearer token.
 * `scopes` are Enterprise key scopes (§2.3), `null` = full access (a Console key, and an `org:admin` token).
 */
export interface AdminKeyInfo {
  name: string;
  scopes: readonly string[] | null;
  /** Email of the member the credential acts for (seed `user`), if known. */
  user?: string;
  /** Set for an OAuth token: its OAuth scopes and whether it is a user's (interactive) token; see oauth-tokens.ts. */
  oauth?: { scopes: readonly string[]; interactive: boolean };
}

/** A member signed out everywhere (`POST /v1/organizations/users/{id}/sign_out`), for `GET /_emulator/state`. */
export interface SignOutRecord {
  user_id: string;
  email: string;
  /** Emulator clock, RFC 3339. */
  at: string;
  /** Name of the admin key or OAuth token that asked (never the credential itself). */
  by: string;
}

export interface RateLimitSettings {
  requestsPerMinute?: number;
  invitesPerHour?: number;
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export class EmulatorStore {
  clock = new EmulatorClock();
  organization: OrganizationState = { ...DEFAULT_ORGANIZATION };
  /** Effective limits: the seed's `rate_limits`, overridden by the options given at start. */
  rateLimits: RateLimitSettings = {};
  requests = new RequestLog();
  /** Increases on every `load`; the server rebuilds its rate limiter when it changes. */
  generation = 0;

  private keys = new Map<string, AdminKeyInfo>();
  /** The organization's members (§5); see admin/users/store.ts. */
  readonly users: UserStore = new UserStore();
  /** Invites and the invitation emails sent (§6); see admin/invites/store.ts. */
  readonly invites: InviteStore = new InviteStore(this);
  /** Console workspaces and explicit workspace memberships (§7, §8); see admin/workspaces/store.ts. */
  readonly workspaces: WorkspaceStore = new WorkspaceStore(this);
  /** Console API keys (§9); see admin/api-keys/store.ts. */
  readonly apiKeys: ApiKeyStore = new ApiKeyStore(this);
  /** Enterprise RBAC groups and their members (§11); see admin/groups/store.ts. */
  readonly groups: RbacGroupStore = new RbacGroupStore(() => this.clock.now());
  /** Enterprise RBAC roles, read-only (built-in and seeded custom ones); see admin/roles/store.ts. */
  readonly roles: RbacRoleStore = new RbacRoleStore();
  /** Console service accounts and their workspace memberships; see admin/service-accounts/store.ts. */
  readonly serviceAccounts: ServiceAccountStore = new ServiceAccountStore(this);
  /** Members signed out through the API, oldest first. */
  signOuts: SignOutRecord[] = [];
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
    this.signOuts = [];

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
      this.keys.set(digest(key.key), {
        name: key.name ?? `admin-key-${i + 1}`,
        scopes: key.scopes ?? null,
        ...(key.user !== undefined && { user: key.user }),
      });
    });
    (seed.oauth_tokens ?? []).forEach((t, i) => {
      this.keys.set(digest(t.token), {
        name: t.name ?? `oauth-token-${i + 1}`,
        scopes: null,
        ...(t.user !== undefined && { user: t.user }),
        oauth: { scopes: [...(t.scopes ?? [ORG_ADMIN_SCOPE])], interactive: t.interactive ?? false },
      });
    });

    const limits = seed.rate_limits ?? {};
    this.rateLimits = {};
    const rpm = this.limitOverrides.requestsPerMinute ?? limits.requests_per_minute;
    const iph = this.limitOverrides.invitesPerHour ?? limits.invites_per_hour;
    if (rpm !== undefined) this.rateLimits.requestsPerMinute = rpm;
    if (iph !== undefined) this.rateLimits.invitesPerHour = iph;

    // Missing timestamps: one second apart, ending now, in the seed's order (the last listed is the newest).
    const now = this.clock.now();
    this.users.load(seed.users ?? [], now);
    this.invites.load(seed.invites ?? [], now);
    // Workspaces need the users (members are seeded by email), keys need both.
    this.workspaces.load(seed, now);
    this.serviceAccounts.load(seed.service_accounts ?? [], now);
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

  /** The tagged id of the member a credential acts for (the `*_actor_id` of its changes), if it is still a member. */
  actorOf(key: AdminKeyInfo): string | null {
    return key.user !== undefined ? (this.userByEmail(key.user)?.id ?? null) : null;
  }

  // ---- users ----

  /** How many members the organization has now. */
  get userCount(): number {
    return this.users.count;
  }

  user(id: string): UserRecord | undefined {
    return this.users.get(id);
  }

  /** The member whose address equals `email`, case-insensitively (one member per address). */
  userByEmail(email: string): UserRecord | undefined {
    return this.users.byEmail(email);
  }

  addUser(input: NewUser): UserRecord {
    return this.users.add(input, this.clock.now());
  }

  setUserRole(id: string, role: string): UserRecord {
    return this.users.setRole(id, role);
  }

  removeUser(id: string): void {
    this.users.remove(id);
    this.workspaces.forgetUser(id); // §5.5 (inferred): memberships go with the member; API keys stay
    this.groups.userRemoved(id); // §11.2: a user who left the org is in no group
  }

  listUsers(q: UserListQuery): IdPage<WireUser> {
    return this.users.list(q);
  }

  userToWire(u: UserRecord): WireUser {
    return this.users.toWire(u);
  }

  // ---- invites ----

  invite(id: string): InviteRecord | undefined {
    return this.invites.get(id);
  }

  /** Status as the API reads it now: a pending invite past `expires_at` on the emulator clock is expired (§6.2). */
  inviteStatus(inv: InviteRecord): WireInviteStatus {
    return this.invites.status(inv);
  }

  /** The invite for `email` (case-insensitive) that is pending right now, if any. */
  pendingInviteFor(email: string): InviteRecord | undefined {
    return this.invites.pendingFor(email);
  }

  /** Every invite ever sent to `email` (case-insensitive), newest first, withdrawn ones included. */
  invitesFor(email: string): InviteRecord[] {
    return this.invites.allFor(email);
  }

  /** Whether an RBAC group (§11) with this id exists, direct or SCIM. */
  hasRbacGroup(id: string): boolean {
    return this.groups.get(id) !== undefined;
  }

  addInvite(input: NewInvite): InviteRecord {
    return this.invites.add(input);
  }

  /** Moves an invite to `accepted` or `deleted` (the only transitions the API and its users make, §6.2). */
  setInviteStatus(id: string, status: 'accepted' | 'deleted'): InviteRecord {
    const email = this.invites.get(id)?.email;
    const member = status === 'accepted' && email !== undefined ? this.userByEmail(email) : undefined;
    // one instant: the member was added when the invite was accepted
    const inv = this.invites.setStatus(id, status, member?.addedAt ?? this.clock.nowIso());
    if (status === 'accepted') {
      // §6.3: the new member joins the invite's `rbac_group_ids` (the direct groups that still exist).
      for (const groupId of inv.rbacGroupIds) {
        const group = this.groups.get(groupId);
        if (member && group?.sourceType === 'direct' && !this.groups.isMember(groupId, member.id)) {
          this.groups.addMember(groupId, member.id);
        }
      }
    }
    return inv;
  }

  listInvites(q: InviteListQuery): IdPage<WireInvite> {
    return this.invites.list(q);
  }

  inviteToWire(inv: InviteRecord): WireInvite {
    return this.invites.toWire(inv);
  }

  // ---- invitation emails (§6.2: creating an invite sends one) ----

  recordInvitationEmail(email: string): void {
    this.invites.recordEmail(email);
  }

  invitationEmails(email: string): number {
    return this.invites.emails(email);
  }

  // ---- the whole state, for GET /_emulator/state ----

  snapshot(): Record<string, unknown> {
    return {
      organization: { ...this.organization },
      now: this.clock.nowIso(),
      clock_offset_seconds: this.clock.offsetSeconds,
      // Names and scopes only: a key's value is never part of the state (COMMON rules).
      admin_keys: this.keyInfos()
        .filter((k) => !k.oauth)
        .map((k) => ({ name: k.name, scopes: k.scopes, ...(k.user !== undefined && { user: k.user }) })),
      oauth_tokens: this.keyInfos()
        .filter((k) => k.oauth)
        .map((k) => ({ name: k.name, scopes: k.oauth!.scopes, interactive: k.oauth!.interactive, user: k.user ?? null })),
      rate_limits: {
        requests_per_minute: this.rateLimits.requestsPerMinute ?? null,
        invites_per_hour: this.rateLimits.invitesPerHour ?? null,
      },
      users: this.users.snapshot(),
      ...this.invites.snapshot(),
      ...this.workspaces.snapshot(),
      ...this.apiKeys.snapshot(),
      ...this.serviceAccounts.snapshot(),
      sign_outs: this.signOuts.map((r) => ({ ...r })),
      rbac_groups: this.groups.snapshot((id) => this.user(id)?.email ?? null),
      // Roles with their internal owner-access flag (admin/roles/store.ts), which the API itself never shows.
      rbac_roles: this.organization.kind === 'enterprise' ? this.roles.snapshot() : [],
      scim: directorySnapshot(this.scim),
      requests: this.requests.counters(),
      rate_limited: this.requests.rateLimited,
    };
  }
}
