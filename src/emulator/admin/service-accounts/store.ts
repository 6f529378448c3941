// Service accounts of a Console org and their explicit workspace memberships (SDK 1.17
// resources/organization/service-accounts/*.d.ts, workspaces/service-accounts.d.ts). Like the other stores it
// enforces only integrity (unique ids and names, one membership per workspace); the API rules (the OAuth-only
// credential, the interactive rule for `admin`, archived accounts and workspaces) live in routes.ts.
//
// The implicit membership ("every service account is already an implicit `workspace_user` member of the default
// workspace") is never stored: it is what an account without an explicit Default Workspace row has, so adding such
// a row overrides it and removing the row brings it back, as the SDK describes. Archiving keeps the memberships;
// the routes hide them while the account is archived.

import { newId } from '../../ids.js';
import type { MemberLookup } from '../users/records.js';
import type { WorkspaceStore } from '../workspaces/store.js';
import type {
  NewServiceAccount,
  ServiceAccountChanges,
  ServiceAccountMembershipRecord,
  ServiceAccountPage,
  ServiceAccountRecord,
} from './records.js';
import { renderServiceAccount, renderServiceAccountMember } from './render.js';
import type { SeedServiceAccount } from './seed.js';

/** What the store reads of the organization: its clock and its workspaces (EmulatorStore is one). */
export interface ServiceAccountHost {
  readonly clock: MemberLookup['clock'];
  readonly workspaces: Pick<WorkspaceStore, 'seededNamed' | 'workspace' | 'defaultWorkspace'>;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Up to `limit` of `list` (sorted by seq, ascending when `ascending`) past `afterSeq`. */
function pageOf<T extends { seq: number }>(list: readonly T[], limit: number, afterSeq: number | undefined, ascending: boolean): ServiceAccountPage<T> {
  const past = afterSeq === undefined ? list : list.filter((r) => (ascending ? r.seq > afterSeq : r.seq < afterSeq));
  const items = past.slice(0, limit);
  return { items, hasMore: past.length > limit, lastSeq: items[items.length - 1]?.seq };
}

export class ServiceAccountStore {
  /** Oldest first. */
  private accounts: ServiceAccountRecord[] = [];
  private byId = new Map<string, ServiceAccountRecord>();
  private names = new Map<string, ServiceAccountRecord>();
  /** Explicit memberships, oldest first. */
  private memberships: ServiceAccountMembershipRecord[] = [];
  private seq = 0;

  constructor(private readonly host: ServiceAccountHost) {}

  /** Replaces every service account and membership with the seed's; workspaces must be loaded first. */
  load(seeded: readonly SeedServiceAccount[], now: number): void {
    this.accounts = [];
    this.byId.clear();
    this.names.clear();
    this.memberships = [];
    this.seq = 0;
    const workspaces = this.host.workspaces;
    seeded.forEach((s, i) => {
      const createdAt = s.created_at ?? iso(now - (seeded.length - 1 - i) * 1000);
      const account = this.create(
        {
          name: s.name,
          description: s.description ?? null,
          role: s.role ?? 'developer',
          ...(s.id !== undefined && { id: s.id }),
          createdAt,
          archivedAt: s.archived ? (s.archived_at ?? iso(Math.max(now, Date.parse(createdAt)))) : null,
          ...(s.federation_rules !== undefined && { federationRules: s.federation_rules }),
        },
        null,
      );
      for (const m of s.workspaces ?? []) {
        const ws = m.workspace !== undefined ? workspaces.seededNamed(m.workspace) : workspaces.workspace(m.workspace_id ?? '');
        if (!ws) throw new Error(`seed service account ${s.name}: unknown workspace`);
        this.setMembership(account.id, ws.id, m.role, null);
      }
    });
  }

  get(id: string): ServiceAccountRecord | undefined {
    return this.byId.get(id);
  }

  /** Names are unique among all service accounts, archived ones included. */
  byName(name: string): ServiceAccountRecord | undefined {
    return this.names.get(name);
  }

  create(input: NewServiceAccount, actor: string | null): ServiceAccountRecord {
    if (input.id !== undefined && this.byId.has(input.id)) throw new Error(`duplicate service account id ${input.id}`);
    if (this.names.has(input.name)) throw new Error(`duplicate service account name ${input.name}`);
    const createdAt = input.createdAt ?? this.host.clock.nowIso();
    const account: ServiceAccountRecord = {
      id: input.id ?? newId('svac', (id) => this.byId.has(id)),
      name: input.name,
      description: input.description ?? null,
      role: input.role ?? 'developer',
      createdAt,
      updatedAt: createdAt,
      archivedAt: input.archivedAt ?? null,
      createdBy: actor,
      updatedBy: actor,
      archivedBy: null,
      federationRules: input.federationRules ?? 0,
      seq: ++this.seq,
    };
    this.accounts.push(account);
    this.byId.set(account.id, account);
    this.names.set(account.name, account);
    return account;
  }

  /** Applies the changes; `updated_at` and `updated_by_actor_id` move only when a value changes. */
  update(id: string, changes: ServiceAccountChanges, actor: string | null): ServiceAccountRecord {
    const account = this.must(id);
    let changed = false;
    if (changes.description !== undefined) {
      const description = changes.description ?? '';
      if (account.description !== description) {
        account.description = description;
        changed = true;
      }
    }
    if (changes.role !== undefined && account.role !== changes.role) {
      account.role = changes.role;
      changed = true;
    }
    if (changed) {
      account.updatedAt = this.host.clock.nowIso();
      account.updatedBy = actor;
    }
    return account;
  }

  /** Sets `archived_at` once; archiving again changes nothing (SDK: "re-archiving returns … its original `archived_at`"). */
  archive(id: string, actor: string | null): ServiceAccountRecord {
    const account = this.must(id);
    if (account.archivedAt !== null) return account;
    account.archivedAt = this.host.clock.nowIso();
    account.archivedBy = actor;
    account.updatedAt = account.archivedAt;
    account.updatedBy = actor;
    return account;
  }

  /** Newest first (SDK: "ordered by creation time, newest first"), up to `limit` past the account at `afterSeq`. */
  page(limit: number, afterSeq: number | undefined, includeArchived: boolean): ServiceAccountPage<ServiceAccountRecord> {
    const listed = [...this.accounts].reverse().filter((a) => includeArchived || a.archivedAt === null);
    return pageOf(listed, limit, afterSeq, false);
  }

  // ---- memberships ----

  membership(serviceAccountId: string, workspaceId: string): ServiceAccountMembershipRecord | undefined {
    return this.memberships.find((m) => m.serviceAccountId === serviceAccountId && m.workspaceId === workspaceId);
  }

  /** Adds the membership, or replaces the role of the existing one (which keeps its place and its creator). */
  setMembership(serviceAccountId: string, workspaceId: string, role: string, actor: string | null): ServiceAccountMembershipRecord {
    this.must(serviceAccountId);
    const existing = this.membership(serviceAccountId, workspaceId);
    if (existing) {
      existing.role = role;
      return existing;
    }
    const record: ServiceAccountMembershipRecord = { serviceAccountId, workspaceId, role, createdBy: actor, seq: ++this.seq };
    this.memberships.push(record);
    return record;
  }

  /** Removes the explicit membership; false when there was none. */
  removeMembership(serviceAccountId: string, workspaceId: string): boolean {
    const i = this.memberships.findIndex((m) => m.serviceAccountId === serviceAccountId && m.workspaceId === workspaceId);
    if (i < 0) return false;
    this.memberships.splice(i, 1);
    return true;
  }

  /** A service account's explicit memberships, oldest first. */
  membershipsOf(serviceAccountId: string): ServiceAccountMembershipRecord[] {
    return this.memberships.filter((m) => m.serviceAccountId === serviceAccountId);
  }

  /** A service account's explicit memberships, oldest first, past the one at `afterSeq`. */
  accountMemberPage(serviceAccountId: string, limit: number, afterSeq: number | undefined): ServiceAccountPage<ServiceAccountMembershipRecord> {
    return pageOf(this.membershipsOf(serviceAccountId), limit, afterSeq, true);
  }

  /** A workspace's explicit memberships of active service accounts, oldest first, past `afterSeq`. */
  workspaceMemberPage(workspaceId: string, limit: number, afterSeq: number | undefined): ServiceAccountPage<ServiceAccountMembershipRecord> {
    const listed = this.memberships.filter((m) => m.workspaceId === workspaceId && this.byId.get(m.serviceAccountId)?.archivedAt === null);
    return pageOf(listed, limit, afterSeq, true);
  }

  // ---- the whole state, for GET /_emulator/state ----

  snapshot(): Record<string, unknown> {
    const defaultId = this.host.workspaces.defaultWorkspace.id;
    return {
      service_accounts: this.accounts.map((a) => ({
        ...renderServiceAccount(a),
        // Every membership the account has now, the implicit Default Workspace one included (the API hides them all
        // while the account is archived; the state does not).
        workspaces: [
          ...(this.membership(a.id, defaultId) ? [] : [renderServiceAccountMember(a.id, defaultId, undefined)]),
          ...this.membershipsOf(a.id).map((m) => renderServiceAccountMember(a.id, m.workspaceId, m)),
        ],
      })),
    };
  }

  private must(id: string): ServiceAccountRecord {
    const account = this.byId.get(id);
    if (!account) throw new Error(`no service account ${id}`);
    return account;
  }
}
