// Workspaces and explicit workspace memberships of a Console org (§7, §8), with the indexes that keep every listing
// O(log n + page). Like the main store, it enforces only integrity; the API rules (name length, the 100 limit,
// implicit members, archived workspaces) live in the routes. Implicit memberships are never stored: they follow
// from the user's org role when a request reads them (roles.ts).
//
// Ordering (§14.2 says only "by creation"): workspaces and memberships are listed newest first, like users and
// invites, so every ID-cursor listing of the emulator reads the same way.

import { randomUUID } from 'node:crypto';
import type { IdPage, WireWorkspaceMember } from '../../../clients/wire.js';
import { newId } from '../../ids.js';
import { cursorKey, readPage, toIdPage, type PageRequest } from '../../pagination.js';
import { PartitionedIndex, SortedIndex, compareKeys, type SortKey } from '../../sorted-index.js';
import type { MemberLookup } from '../users/records.js';
import {
  defaultDataResidency,
  type MembershipRecord,
  type NewWorkspace,
  type WorkspaceChanges,
  type WorkspaceListQuery,
  type WorkspaceRecord,
} from './records.js';
import { memberToWire, renderWorkspace, type LegacyWorkspace } from './render.js';
import { explicitMembershipVisible } from './roles.js';
import type { WorkspaceSeedFields } from './seed.js';

/** Colours handed out to workspaces created without one (the Console picks one; which is undocumented). */
const PALETTE = ['#6C5BB9', '#D97757', '#3B82F6', '#10B981', '#F59E0B', '#EC4899', '#14B8A6', '#8B5CF6'];

type Part = 'active' | 'archived' | 'default';

interface MemberTable {
  index: SortedIndex;
  byUser: Map<string, MembershipRecord>;
  /** Positions of removed memberships, so a cursor taken before a removal still works. */
  removed: Map<string, SortKey>;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function partOf(ws: WorkspaceRecord): Part {
  if (ws.isDefault) return 'default';
  return ws.archivedAt === null ? 'active' : 'archived';
}

export class WorkspaceStore {
  private workspaces = new Map<string, WorkspaceRecord>();
  private index = new PartitionedIndex();
  private members = new Map<string, MemberTable>();
  /** user id → workspaces where they have an explicit membership (removing a user drops them all, §5.5). */
  private byUser = new Map<string, Set<string>>();
  private seq = 0;
  private active = 0;
  private defaultWs!: WorkspaceRecord;
  /** The first seeded workspace of each name: seeds refer to workspaces by name (seed.ts). */
  private seedByName = new Map<string, WorkspaceRecord>();

  constructor(private readonly host: MemberLookup) {}

  /**
   * Replaces every workspace and membership with the seed's (validated by seed.ts; users loaded first). The seed's
   * API keys count only for their creation times: the Default Workspace is older than all of them.
   */
  load(seed: WorkspaceSeedFields & { api_keys?: ReadonlyArray<{ created_at?: string }> }, now: number): void {
    this.workspaces.clear();
    this.members.clear();
    this.byUser.clear();
    this.seq = 0;
    this.active = 0;

    const seeded = seed.workspaces ?? [];
    // Missing timestamps: one second apart, ending now, in seed order (the last listed is the newest). The Default
    // Workspace is older than all of them: it exists from the org's creation (§7.1).
    const times = seeded.map((w, i) => (w.created_at ? Date.parse(w.created_at) : now - (seeded.length - 1 - i) * 1000));
    let defaultMs = now - seeded.length * 1000;
    for (const t of times) defaultMs = Math.min(defaultMs, t);
    for (const k of seed.api_keys ?? []) if (k.created_at) defaultMs = Math.min(defaultMs, Date.parse(k.created_at));
    defaultMs -= 1000; // strictly older, so the listing order with include_default=true is plain
    this.defaultWs = this.materialize({ name: 'Default', id: seed.default_workspace_id, createdAt: iso(defaultMs) }, true);

    const byName = this.seedByName;
    byName.clear();
    seeded.forEach((w, i) => {
      const ws = this.materialize(
        {
          name: w.name,
          id: w.id,
          displayColor: w.display_color,
          createdAt: w.created_at ?? iso(times[i]!),
          archivedAt: w.archived ? (w.archived_at ?? iso(Math.max(now, times[i]!))) : null,
          tags: w.tags,
        },
        false,
      );
      if (!byName.has(ws.name)) byName.set(ws.name, ws);
    });
    this.index.load([...this.workspaces.values()].map((ws) => ({ part: partOf(ws), entry: ws })));

    // Memberships: all at load time, in seed order (the last listed is the newest of its workspace).
    const grouped = new Map<string, MembershipRecord[]>();
    for (const m of seed.workspace_members ?? []) {
      const ws = m.workspace !== undefined ? byName.get(m.workspace) : this.workspaces.get(m.workspace_id ?? '');
      const user = m.email !== undefined ? this.host.userByEmail(m.email) : this.host.user(m.user_id ?? '');
      if (!ws || ws.isDefault || !user) throw new Error(`seed membership ${JSON.stringify(m)} does not resolve`);
      const record: MembershipRecord = { id: user.id, workspaceId: ws.id, role: m.role, key: { ms: now, seq: ++this.seq } };
      const table = this.table(ws.id);
      if (table.byUser.has(user.id)) throw new Error(`${user.email} is twice a member of ${ws.name}`);
      table.byUser.set(user.id, record);
      this.trackUser(user.id, ws.id);
      const list = grouped.get(ws.id);
      if (list) list.push(record);
      else grouped.set(ws.id, [record]);
    }
    for (const [wsId, records] of grouped) this.table(wsId).index.load(records);
  }

  // ---- workspaces ----

  /** The seeded workspace a seed reference by name means (names a seed refers to are unique). */
  seededNamed(name: string): WorkspaceRecord | undefined {
    return this.seedByName.get(name);
  }

  workspace(id: string): WorkspaceRecord | undefined {
    return this.workspaces.get(id);
  }

  get defaultWorkspace(): WorkspaceRecord {
    return this.defaultWs;
  }

  /** Non-archived workspaces other than the Default Workspace (the ones §7.1's limit of 100 counts). */
  get activeCount(): number {
    return this.active;
  }

  addWorkspace(input: NewWorkspace): WorkspaceRecord {
    const ws = this.materialize({ ...input, createdAt: input.createdAt ?? this.host.clock.nowIso() }, false);
    this.index.insert(partOf(ws), ws);
    return ws;
  }

  updateWorkspace(id: string, changes: WorkspaceChanges): WorkspaceRecord {
    const ws = this.mustWorkspace(id);
    if (changes.name !== undefined) ws.name = changes.name;
    if (changes.displayColor !== undefined) ws.displayColor = changes.displayColor;
    if (changes.dataResidency !== undefined) ws.dataResidency = changes.dataResidency;
    if (changes.externalKeyId !== undefined) ws.externalKeyId = changes.externalKeyId;
    if (changes.userProfileId !== undefined) ws.userProfileId = changes.userProfileId;
    if (changes.tags !== undefined) {
      for (const [k, v] of Object.entries(changes.tags)) {
        if (v === null) delete ws.tags[k];
        else ws.tags[k] = v;
      }
    }
    return ws;
  }

  /** Sets `archived_at` (permanent, §7.7). API keys are the API key store's business. */
  archiveWorkspace(id: string): WorkspaceRecord {
    const ws = this.mustWorkspace(id);
    if (ws.archivedAt !== null || ws.isDefault) return ws;
    this.index.remove(partOf(ws), ws);
    ws.archivedAt = this.host.clock.nowIso();
    this.active--;
    this.index.insert(partOf(ws), ws);
    return ws;
  }

  /** One page of workspace records; the route renders them for the request's version. */
  listWorkspaces(q: WorkspaceListQuery): IdPage<WorkspaceRecord> {
    const c = q.page.cursor;
    const cursor = c && { direction: c.direction, key: cursorKey(c.id, this.workspaces.get(c.id)?.key, c.direction) };
    const sources = this.index.select(
      (part) => part === 'active' || (part === 'archived' && !!q.includeArchived) || (part === 'default' && !!q.includeDefault),
    );
    const wanted = q.ids;
    const { ids, hasMore } = readPage(sources, q.page.limit, cursor, wanted ? (id) => wanted.has(id) : undefined);
    return toIdPage(ids.map((id) => this.workspaces.get(id)!), hasMore);
  }

  /** The legacy shape, for the state snapshot (API answers go through render.ts with the request's version). */
  workspaceToWire(ws: WorkspaceRecord): LegacyWorkspace {
    return renderWorkspace(ws, 'legacy') as LegacyWorkspace;
  }

  // ---- explicit memberships ----

  /** The stored membership, visible or not (a hidden one belongs to a user who is now an implicit member). */
  membership(workspaceId: string, userId: string): MembershipRecord | undefined {
    return this.members.get(workspaceId)?.byUser.get(userId);
  }

  /** Creates the membership, or changes its role in place (it keeps its position in the listing). */
  setMembership(workspaceId: string, userId: string, role: string): MembershipRecord {
    this.mustWorkspace(workspaceId);
    const table = this.table(workspaceId);
    const existing = table.byUser.get(userId);
    if (existing) {
      existing.role = role;
      return existing;
    }
    const record: MembershipRecord = { id: userId, workspaceId, role, key: { ms: this.host.clock.now(), seq: ++this.seq } };
    table.byUser.set(userId, record);
    table.removed.delete(userId);
    table.index.insert(record);
    this.trackUser(userId, workspaceId);
    return record;
  }

  removeMembership(workspaceId: string, userId: string): void {
    const table = this.members.get(workspaceId);
    const record = table?.byUser.get(userId);
    if (!table || !record) return;
    table.index.remove(record);
    table.byUser.delete(userId);
    table.removed.set(userId, record.key);
    const set = this.byUser.get(userId);
    set?.delete(workspaceId);
    if (set && set.size === 0) this.byUser.delete(userId);
  }

  /** A user left the org: every explicit membership goes (§5.5, inferred; §14.2 "removes workspace memberships"). */
  forgetUser(userId: string): void {
    for (const wsId of [...(this.byUser.get(userId) ?? [])]) this.removeMembership(wsId, userId);
  }

  /** One page of the listed members: explicit memberships that are visible under the user's current org role. */
  listMembers(workspaceId: string, page: PageRequest): IdPage<WireWorkspaceMember> {
    const table = this.table(workspaceId);
    const c = page.cursor;
    const cursor = c && {
      direction: c.direction,
      key: cursorKey(c.id, table.byUser.get(c.id)?.key ?? table.removed.get(c.id), c.direction),
    };
    // Hidden memberships (org admins; billing members without the workspace_admin upgrade) are skipped here; they
    // are few (admins), so a page stays O(page) in practice.
    const accept = (userId: string): boolean => {
      const user = this.host.user(userId);
      const record = table.byUser.get(userId);
      return !!user && !!record && explicitMembershipVisible(user.role, record.role);
    };
    const { ids, hasMore } = readPage([table.index], page.limit, cursor, accept);
    // A member has no `id` of its own: the cursors are user ids (§8.2).
    return {
      data: ids.map((id) => memberToWire(workspaceId, id, table.byUser.get(id)!.role)),
      has_more: hasMore,
      first_id: ids[0] ?? null,
      last_id: ids[ids.length - 1] ?? null,
    };
  }

  // ---- the whole state, for GET /_emulator/state ----

  snapshot(): Record<string, unknown> {
    const all = [...this.workspaces.values()].sort((a, b) => compareKeys(a.key, b.key));
    const members: unknown[] = [];
    for (const ws of all) {
      const table = this.members.get(ws.id);
      if (!table) continue;
      for (const userId of table.index.ids()) {
        const record = table.byUser.get(userId)!;
        const user = this.host.user(userId);
        members.push({
          ...memberToWire(ws.id, userId, record.role),
          email: user?.email ?? null,
          // Kept but not listed while the org role makes the user an implicit member (§3.2).
          hidden: !user || !explicitMembershipVisible(user.role, record.role),
        });
      }
    }
    return {
      default_workspace_id: this.defaultWs.id,
      workspaces: all.map((ws) => ({ ...this.workspaceToWire(ws), default: ws.isDefault })),
      workspace_members: members,
    };
  }

  // ---- internals ----

  private mustWorkspace(id: string): WorkspaceRecord {
    const ws = this.workspaces.get(id);
    if (!ws) throw new Error(`no workspace ${id}`);
    return ws;
  }

  private table(workspaceId: string): MemberTable {
    let table = this.members.get(workspaceId);
    if (!table) {
      table = { index: new SortedIndex(), byUser: new Map(), removed: new Map() };
      this.members.set(workspaceId, table);
    }
    return table;
  }

  private trackUser(userId: string, workspaceId: string): void {
    const set = this.byUser.get(userId) ?? new Set<string>();
    set.add(workspaceId);
    this.byUser.set(userId, set);
  }

  private materialize(input: NewWorkspace & { createdAt: string }, isDefault: boolean): WorkspaceRecord {
    const id = input.id ?? newId('wrkspc', (candidate) => this.workspaces.has(candidate));
    if (this.workspaces.has(id)) throw new Error(`duplicate workspace id ${id}`);
    const seq = ++this.seq;
    const ws: WorkspaceRecord = {
      id,
      name: input.name,
      displayColor: input.displayColor ?? PALETTE[(seq - 1) % PALETTE.length]!,
      createdAt: input.createdAt,
      archivedAt: input.archivedAt ?? null,
      dataResidency: input.dataResidency ?? defaultDataResidency(),
      // §7.2 shows a UUID; the emulator gives every workspace one (CMEK itself is not emulated).
      compartmentId: randomUUID(),
      externalKeyId: input.externalKeyId ?? null,
      tags: { ...(input.tags ?? {}) },
      userProfileId: input.userProfileId ?? null,
      isDefault,
      key: { ms: Date.parse(input.createdAt), seq },
    };
    this.workspaces.set(ws.id, ws);
    if (!isDefault && ws.archivedAt === null) this.active++;
    return ws;
  }
}
