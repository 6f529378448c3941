// RBAC groups of an Enterprise organization (§11.1, §11.2) and their membership records. Like the main store it
// enforces only integrity (unique ids, one live record per user and group); the API rules (scopes, `scim` groups
// are read-only, 404 on an unknown user) live in routes.ts, and the directory sync (scim/sync.ts) is
// the only writer of `scim` groups.
//
// Membership records outlive the org membership of their user: §11.2 says group member lists return "only current
// members of the enterprise's orgs, so a page can hold fewer than `limit` items while `has_more` is true". A record
// whose user left the org is marked `departed` and stays in the list (so pages come out short, as in the real API)
// but it no longer counts: the user is out of every group (ids are never reused, so it cannot come back).

import { newId } from '../../ids.js';
import type { GroupMembershipRecord, NewRbacGroup, RawPage, RbacGroupRecord } from './records.js';
import { renderGroup, renderGroupMember, type LegacyRbacGroup, type LegacyRbacGroupMember } from './render.js';

/** First index in `list` (sorted by seq) whose seq is greater than `after`. */
function firstAfter(list: ReadonlyArray<{ seq: number }>, after: number | undefined): number {
  if (after === undefined) return 0;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.seq <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class RbacGroupStore {
  /** Live groups, oldest first (the listing order: §11.2 is silent, creation order is the emulator's choice). */
  private ordered: RbacGroupRecord[] = [];
  private byId = new Map<string, RbacGroupRecord>();
  /** Ids ever used, deleted groups included, so an id never names two groups. */
  private usedIds = new Set<string>();
  /** Group id → membership records, oldest first (§11.2: "Oldest first"). */
  private members = new Map<string, GroupMembershipRecord[]>();
  /** Group id → ids of its current (not departed) members: `isMember` in O(1), so seeding a large group is linear. */
  private current = new Map<string, Set<string>>();
  private seq = 0;

  /** `now` is the emulator clock (timestamps follow `POST /_emulator/clock/advance`). */
  constructor(private readonly now: () => number) {}

  clear(): void {
    this.ordered = [];
    this.byId.clear();
    this.usedIds.clear();
    this.members.clear();
    this.current.clear();
  }

  get(id: string): RbacGroupRecord | undefined {
    return this.byId.get(id);
  }

  all(): readonly RbacGroupRecord[] {
    return this.ordered;
  }

  create(input: NewRbacGroup): RbacGroupRecord {
    if (input.id !== undefined && this.usedIds.has(input.id)) throw new Error(`duplicate rbac group id ${input.id}`);
    const createdAt = input.createdAt ?? new Date(this.now()).toISOString();
    const group: RbacGroupRecord = {
      id: input.id ?? newId('rbac_group', (id) => this.usedIds.has(id)),
      name: input.name,
      sourceType: input.sourceType,
      roles: [...(input.roles ?? [])],
      createdAt,
      updatedAt: createdAt,
      seq: ++this.seq,
    };
    this.ordered.push(group);
    this.byId.set(group.id, group);
    this.usedIds.add(group.id);
    this.members.set(group.id, []);
    this.current.set(group.id, new Set());
    return group;
  }

  rename(id: string, name: string): RbacGroupRecord {
    const group = this.must(id);
    if (group.name !== name) {
      group.name = name;
      group.updatedAt = new Date(this.now()).toISOString();
    }
    return group;
  }

  delete(id: string): void {
    const group = this.must(id);
    this.byId.delete(id);
    this.members.delete(id);
    this.current.delete(id);
    this.ordered.splice(this.ordered.indexOf(group), 1);
  }

  /** Up to `limit` groups after the one at `afterSeq`. */
  page(limit: number, afterSeq: number | undefined): RawPage<RbacGroupRecord> {
    const start = firstAfter(this.ordered, afterSeq);
    const items = this.ordered.slice(start, start + limit);
    return { items, hasMore: start + limit < this.ordered.length, lastSeq: items[items.length - 1]?.seq };
  }

  // ---- membership ----

  isMember(groupId: string, userId: string): boolean {
    return this.current.get(groupId)?.has(userId) ?? false;
  }

  /** Live member ids of a group, oldest membership first. */
  memberIds(groupId: string): string[] {
    return (this.members.get(groupId) ?? []).filter((m) => !m.departed).map((m) => m.userId);
  }

  addMember(groupId: string, userId: string, createdAt?: string): GroupMembershipRecord {
    this.must(groupId);
    if (this.isMember(groupId, userId)) throw new Error(`${userId} is already in ${groupId}`);
    const record: GroupMembershipRecord = {
      userId,
      createdAt: createdAt ?? new Date(this.now()).toISOString(),
      seq: ++this.seq,
      departed: false,
    };
    this.members.get(groupId)!.push(record);
    this.current.get(groupId)!.add(userId);
    return record;
  }

  removeMember(groupId: string, userId: string): void {
    const list = this.members.get(groupId) ?? [];
    const i = list.findIndex((m) => m.userId === userId && !m.departed);
    if (i < 0) throw new Error(`${userId} is not in ${groupId}`);
    list.splice(i, 1);
    this.current.get(groupId)?.delete(userId);
  }

  /**
   * Up to `limit` membership records after `afterSeq`, departed ones included: the caller skips them, which is
   * how a page comes out shorter than `limit` while `has_more` is true (§11.2).
   */
  memberPage(groupId: string, limit: number, afterSeq: number | undefined): RawPage<GroupMembershipRecord> {
    const list = this.members.get(groupId) ?? [];
    const start = firstAfter(list, afterSeq);
    const items = list.slice(start, start + limit);
    return { items, hasMore: start + limit < list.length, lastSeq: items[items.length - 1]?.seq };
  }

  /** The user left the organization: out of every group, records kept as departed. */
  userRemoved(userId: string): void {
    for (const list of this.members.values()) {
      for (const m of list) if (m.userId === userId) m.departed = true;
    }
    for (const ids of this.current.values()) ids.delete(userId);
  }

  /** Ids of the groups `userId` currently belongs to, oldest group first. */
  groupsOf(userId: string): string[] {
    return this.ordered.filter((g) => this.isMember(g.id, userId)).map((g) => g.id);
  }

  // ---- the legacy shapes, for the state snapshot (API answers go through render.ts) ----

  /** The groups for `GET /_emulator/state`, each with its current members. */
  snapshot(emailOf: (userId: string) => string | null): Array<Record<string, unknown>> {
    return this.ordered.map((g) => ({
      ...this.toWire(g),
      members: this.memberIds(g.id).map((id) => ({ user_id: id, email: emailOf(id) })),
    }));
  }

  toWire(group: RbacGroupRecord): LegacyRbacGroup {
    return renderGroup(group, 'legacy') as LegacyRbacGroup;
  }

  memberToWire(groupId: string, record: GroupMembershipRecord, email: string): LegacyRbacGroupMember {
    return renderGroupMember(groupId, record, email, 'legacy') as LegacyRbacGroupMember;
  }

  private must(id: string): RbacGroupRecord {
    const group = this.byId.get(id);
    if (!group) throw new Error(`no rbac group ${id}`);
    return group;
  }
}
