// The state of the organization's SCIM directory, the WorkOS side of reference §13.1: users and groups as the
// identity provider wrote them, plus the bookkeeping of the directory sync into the organization (links from SCIM
// users to org members and from SCIM groups to `scim` RBAC groups, and deletions not yet synced). The directory is
// a separate store, as in the real product: a write here is visible in Claude only after a sync (§13.1).
//
// The bearer token is kept as a SHA-256 digest, never in clear text (COMMON rules).

import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { SCIM_SCHEMAS } from '../../clients/wire.js';
import { emailKey } from '../emails.js';
import { DirectoryGroupSchema, DirectoryUserSchema, storedAttributes } from './schemas.js';
import { SCIM_DEFAULT_COUNT, SCIM_MAX_COUNT, seedUserEmails, type SeedScim } from './seed.js';
import type { DeletedScimUser, ScimGroupRecord, ScimRecord, ScimSettings, SyncReport } from './records.js';
import { primaryEmail } from './user-emails.js';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** A random directory key, like WorkOS's generated endpoint keys. */
function generatedKey(): string {
  return [...randomBytes(24)].map((b) => BASE58[b % 58]).join('');
}

export class ScimDirectory {
  readonly key: string;
  readonly settings: ScimSettings;
  readonly users = new Map<string, ScimRecord>();
  readonly groups = new Map<string, ScimGroupRecord>();
  /** SCIM user id → org user id it was matched with or created as. */
  readonly userLinks = new Map<string, string>();
  /** SCIM group id → the `scim` RBAC group that mirrors it. */
  readonly groupLinks = new Map<string, string>();
  /** SCIM user id → whether the last sync saw it active; removal happens once, on the change to inactive. */
  readonly syncedActive = new Map<string, boolean>();
  deletedUsers: DeletedScimUser[] = [];
  lastSync: SyncReport | null = null;
  /** The automatic sync timer, when one runs (scim/sync.ts). */
  timer: ReturnType<typeof setInterval> | undefined;
  private readonly tokenDigest: Buffer | undefined;
  private seq = 0;

  constructor(seed: SeedScim, private readonly nowIso: () => string) {
    this.key = seed.directory ?? generatedKey();
    this.tokenDigest = seed.token !== undefined ? digest(seed.token) : undefined;
    this.settings = {
      defaultCount: seed.default_count ?? Math.min(SCIM_DEFAULT_COUNT, seed.max_count ?? SCIM_MAX_COUNT),
      maxCount: seed.max_count ?? SCIM_MAX_COUNT,
      softDelete: seed.soft_delete ?? true,
      forbidden: seed.forbidden ?? false,
      requestsPerMinute: seed.requests_per_minute,
      syncIntervalMs: seed.sync_interval_ms ?? 0,
      stringBooleans: seed.string_booleans ?? true,
    };
    const idsByUserName = new Map<string, string>();
    for (const u of seed.users ?? []) {
      const data = storedAttributes(
        new DirectoryUserSchema(
          {
            schemas: [SCIM_SCHEMAS.user],
            userName: u.userName,
            ...(u.externalId !== undefined && { externalId: u.externalId }),
            ...(u.name !== undefined && { name: u.name }),
            ...(u.displayName !== undefined && { displayName: u.displayName }),
            emails: seedUserEmails(u),
            active: u.active ?? true,
          },
          'in',
        ),
      );
      const rec = this.addUser(data, u.id);
      idsByUserName.set(u.userName.toLowerCase(), rec.id);
    }
    for (const g of seed.groups ?? []) {
      const members = (g.members ?? []).map((m) => ({ value: idsByUserName.get(m.toLowerCase())! }));
      const data = storedAttributes(
        new DirectoryGroupSchema(
          {
            schemas: [SCIM_SCHEMAS.group],
            displayName: g.displayName,
            ...(g.externalId !== undefined && { externalId: g.externalId }),
            members,
          },
          'in',
        ),
      );
      data.members = members; // stored as a list even when empty, like every other write
      this.addGroup(data, g.externalId ?? g.displayName, g.id);
    }
  }

  /** Constant-time check of a bearer token against the directory's. */
  authenticate(token: string): boolean {
    if (!this.tokenDigest) return false;
    return timingSafeEqual(digest(token), this.tokenDigest);
  }

  now(): string {
    return this.nowIso();
  }

  // ---- users ----

  isActive(user: ScimRecord): boolean {
    return user.data.active !== false;
  }

  userName(user: ScimRecord): string {
    return String(user.data.userName ?? '');
  }

  email(user: ScimRecord): string | undefined {
    return primaryEmail(user.data.emails);
  }

  /** §13.4: userName is unique ignoring case ("WorkOS lowercases it into the unique identifier"). */
  userWithUserName(userName: string, exceptId?: string): ScimRecord | undefined {
    const wanted = userName.toLowerCase();
    for (const u of this.users.values()) {
      if (u.id !== exceptId && this.userName(u).toLowerCase() === wanted) return u;
    }
    return undefined;
  }

  /** §13.4: no two active users share an email (case-insensitive); compared on the primary address. */
  activeUserWithEmail(email: string, exceptId?: string): ScimRecord | undefined {
    const wanted = emailKey(email);
    for (const u of this.users.values()) {
      if (u.id === exceptId || !this.isActive(u)) continue;
      const other = this.email(u);
      if (other !== undefined && emailKey(other) === wanted) return u;
    }
    return undefined;
  }

  /** A new record's common fields: its id (given, or a new one), timestamps and listing order. */
  #fresh(id: string | undefined, data: Record<string, unknown>): ScimRecord {
    const now = this.nowIso();
    return { id: id ?? this.newId(), data, created: now, lastModified: now, seq: ++this.seq };
  }

  /** Replaces a user's or group's attributes; `lastModified` moves only when something changed (RFC 7644 §3.5.2.1). */
  replaceData(rec: ScimRecord, data: Record<string, unknown>): boolean {
    if (sameJson(rec.data, data)) return false;
    rec.data = data;
    rec.lastModified = this.nowIso();
    return true;
  }

  addUser(data: Record<string, unknown>, id?: string): ScimRecord {
    const rec = this.#fresh(id, data);
    this.users.set(rec.id, rec);
    return rec;
  }

  /** DELETE /Users/{id}: gone from the directory and from every group; the next sync removes the member. */
  deleteUser(rec: ScimRecord): void {
    this.users.delete(rec.id);
    for (const g of this.groups.values()) {
      const members = Array.isArray(g.data.members) ? (g.data.members as Array<{ value?: unknown }>) : [];
      const kept = members.filter((m) => m.value !== rec.id);
      if (kept.length !== members.length) this.replaceData(g, { ...g.data, members: kept });
    }
    this.deletedUsers.push({
      scimId: rec.id,
      email: this.email(rec),
      userId: this.userLinks.get(rec.id),
      syncedInactive: this.syncedActive.get(rec.id) === false,
    });
    this.userLinks.delete(rec.id);
    this.syncedActive.delete(rec.id);
  }

  // ---- groups ----

  groupWithIdentity(identity: string): ScimGroupRecord | undefined {
    for (const g of this.groups.values()) if (g.identity === identity) return g;
    return undefined;
  }

  addGroup(data: Record<string, unknown>, identity: string, id?: string): ScimGroupRecord {
    const rec: ScimGroupRecord = { ...this.#fresh(id, data), identity };
    this.groups.set(rec.id, rec);
    return rec;
  }

  deleteGroup(rec: ScimGroupRecord): void {
    this.groups.delete(rec.id);
  }

  /** Member ids of a group, in stored order. */
  memberIds(rec: ScimGroupRecord): string[] {
    const members = Array.isArray(rec.data.members) ? (rec.data.members as Array<{ value?: unknown }>) : [];
    return members.map((m) => m.value).filter((v): v is string => typeof v === 'string');
  }

  private newId(): string {
    for (;;) {
      const id = randomUUID();
      if (!this.users.has(id) && !this.groups.has(id)) return id;
    }
  }
}

/** Structural equality of two JSON values, ignoring key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
