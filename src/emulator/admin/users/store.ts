// The organization's members (§5) and their indexes: by id, by role (the `roles[]` filter) and by address (the
// `email` filter), each listing O(log n + page), newest first (§5.2). Like the other stores it enforces only
// integrity (unique ids, one member per address); what leaving the org does to workspaces and groups is
// EmulatorStore's (store.ts), the API rules are the routes'.

import type { IdPage, WireUser } from '../../../clients/wire.js';
import { EmailIndex } from '../../email-index.js';
import { defaultName, emailKey } from '../../emails.js';
import { newId } from '../../ids.js';
import { cursorKey, readPage, toIdPage } from '../../pagination.js';
import { PartitionedIndex, compareKeys, type SortKey } from '../../sorted-index.js';
import type { NewUser, UserListQuery, UserRecord } from './records.js';
import type { SeedUser } from './seed.js';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export class UserStore {
  private users = new Map<string, UserRecord>();
  /** Sort keys of removed users, so a cursor taken before a removal still works. */
  private removed = new Map<string, SortKey>();
  private index = new PartitionedIndex();
  private match = new EmailIndex();
  private seq = 0;

  /** Replaces every member with the seed's. Missing timestamps: one second apart, ending `now`, in seed order. */
  load(seeded: readonly SeedUser[], now: number): void {
    this.users.clear();
    this.removed.clear();
    this.match.clear();
    // The last listed is the newest, so the listing order is plain from the timestamps alone.
    seeded.forEach((u, i) => {
      const addedAt = u.added_at ?? iso(now - (seeded.length - 1 - i) * 1000);
      this.materialize({ email: u.email, role: u.role, name: u.name, addedAt, id: u.id }, now);
    });
    this.index.load([...this.users.values()].map((u) => ({ part: u.role, entry: u })));
  }

  /** How many members the organization has now. */
  get count(): number {
    return this.users.size;
  }

  get(id: string): UserRecord | undefined {
    return this.users.get(id);
  }

  /** The member whose address equals `email`, case-insensitively (one member per address). */
  byEmail(email: string): UserRecord | undefined {
    const wanted = emailKey(email);
    for (const id of this.match.ids(email)) {
      const u = this.users.get(id);
      if (u && emailKey(u.email) === wanted) return u;
    }
    return undefined;
  }

  add(input: NewUser, now: number): UserRecord {
    const user = this.materialize(input, now);
    this.index.insert(user.role, user);
    return user;
  }

  setRole(id: string, role: string): UserRecord {
    const user = this.must(id);
    if (user.role === role) return user;
    this.index.remove(user.role, user);
    user.role = role;
    this.index.insert(user.role, user);
    return user;
  }

  remove(id: string): void {
    const user = this.must(id);
    this.index.remove(user.role, user);
    this.match.remove(user.email, id);
    this.users.delete(id);
    this.removed.set(id, user.key);
  }

  list(q: UserListQuery): IdPage<WireUser> {
    const roles = q.roles && q.roles.length > 0 ? new Set(q.roles) : undefined;
    const c = q.page.cursor;
    const cursor = c && {
      direction: c.direction,
      key: cursorKey(c.id, this.users.get(c.id)?.key ?? this.removed.get(c.id), c.direction),
    };
    const sources =
      q.email !== undefined
        ? [this.match.candidates(q.email, this.users)]
        : this.index.select((role) => !roles || roles.has(role));
    const accept = (id: string): boolean => {
      const u = this.users.get(id);
      return !!u && (!roles || roles.has(u.role));
    };
    const { ids, hasMore } = readPage(sources, q.page.limit, cursor, accept);
    return toIdPage(ids.map((id) => this.toWire(this.users.get(id)!)), hasMore);
  }

  toWire(u: UserRecord): WireUser {
    return { type: 'user', id: u.id, email: u.email, name: u.name, role: u.role, added_at: u.addedAt };
  }

  /** Every member in listing order, for `GET /_emulator/state`. */
  snapshot(): WireUser[] {
    return [...this.users.values()].sort((a, b) => compareKeys(a.key, b.key)).map((u) => this.toWire(u));
  }

  private must(id: string): UserRecord {
    const user = this.users.get(id);
    if (!user) throw new Error(`no user ${id}`);
    return user;
  }

  private materialize(input: NewUser, now: number): UserRecord {
    if (this.byEmail(input.email)) throw new Error(`${input.email} is already a member`);
    const addedAt = input.addedAt ?? iso(now);
    const user: UserRecord = {
      id: input.id ?? newId('user', (id) => this.users.has(id) || this.removed.has(id)),
      email: input.email,
      name: input.name ?? defaultName(input.email),
      role: input.role,
      addedAt,
      key: { ms: Date.parse(addedAt), seq: ++this.seq },
    };
    this.users.set(user.id, user);
    this.removed.delete(user.id);
    this.match.add(user.email, user.id);
    return user;
  }
}
