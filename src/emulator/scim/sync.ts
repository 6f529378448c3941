// The directory sync: what Claude does when it polls WorkOS (reference §13.1 "polls … every minute and processes
// them in a queue", §13.2, §13.8). Writes to the SCIM endpoint change only the directory; the organization follows
// at the next sync, run every `scim.sync_interval_ms` (real time) and on demand by `POST /_emulator/scim/sync`.
//
// Members (§13.2: SCIM "handles user additions and deletions"; email is the join key, §13.2 last bullet):
//   - an active SCIM user with a usable email becomes a member: matched with the existing member of that address
//     (case-insensitive; an invited or seeded member is adopted, never duplicated), else created with the role
//     `user` (new members join as User, §13.2) and the SCIM name. This is re-checked at every sync;
//   - a SCIM user deactivated (or created inactive) since the last sync, and a deleted one, loses its member (and
//     so every group membership, §13.8: "both deactivation and DELETE remove the member"). This happens once, on
//     the change, so a member who joins later by other means is not removed again. The primary owner is never
//     removed (§13.2: even "resetting SCIM deletes every … account except the Primary Owner");
//   - members who never had a SCIM user (invites, seed) are never touched.
// Groups (§13.2, §13.5, §11.1): every SCIM group is an RBAC group with `source_type: "scim"`, named after its
// `displayName` (renames follow), whose members are the org members of its active SCIM users; a deleted SCIM
// group deletes its RBAC group. The org's provisioning mode does not gate the sync: a seed with a `scim` section
// is an org whose directory is connected.

import type { RbacGroupStore } from '../admin/groups/store.js';
import type { MemberLookup, NewUser, UserRecord } from '../admin/users/records.js';
import { ScimDirectory } from './directory.js';
import type { SyncReport } from './records.js';
import type { SeedScim } from './seed.js';

/** What the sync reads and changes of the organization: its members, its RBAC groups, its directory (EmulatorStore is one). */
export interface SyncHost extends MemberLookup {
  scim: ScimDirectory | undefined;
  /** Whether the sync runs on its timer (the server turns it on for as long as it runs). */
  scimAutoSync: boolean;
  readonly groups: RbacGroupStore;
  addUser(input: NewUser): UserRecord;
  removeUser(id: string): void;
}

/** The member's name from the SCIM name; undefined leaves the store's default (the address's local part). */
function displayName(data: Record<string, unknown>): string | undefined {
  const name = (data.name ?? {}) as Record<string, unknown>;
  const parts = [name.givenName, name.familyName].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  if (parts.length > 0) return parts.join(' ');
  if (typeof name.formatted === 'string' && name.formatted.trim() !== '') return name.formatted;
  if (typeof data.displayName === 'string' && data.displayName.trim() !== '') return data.displayName;
  return undefined;
}

/** One sync of the directory into the organization; returns what it did. A no-op when the org has no directory. */
export function syncDirectory(store: SyncHost): SyncReport {
  const report: SyncReport = {
    at: store.clock.nowIso(),
    members_created: [],
    members_linked: [],
    members_removed: [],
    groups_created: [],
    groups_renamed: [],
    groups_deleted: [],
    group_members_added: [],
    group_members_removed: [],
    skipped: [],
  };
  const dir = store.scim;
  if (!dir) return report;

  type Reason = 'deactivated' | 'deleted';
  const remove = (scimId: string, userId: string | undefined, email: string | undefined, reason: Reason): void => {
    const member =
      (userId !== undefined ? store.user(userId) : undefined) ?? (email !== undefined ? store.userByEmail(email) : undefined);
    if (!member) return;
    if (member.role === 'primary_owner') {
      const why = `${member.email} is the primary owner and is never removed by the sync`;
      report.skipped.push({ scim_user_id: scimId, reason: why });
      return;
    }
    store.removeUser(member.id);
    report.members_removed.push({ scim_user_id: scimId, user_id: member.id, email: member.email, reason });
  };

  // Users: deletions first, so an address freed by a deleted user can be taken by an active one.
  for (const gone of dir.deletedUsers.splice(0)) {
    if (!gone.syncedInactive) remove(gone.scimId, gone.userId, gone.email, 'deleted');
  }
  for (const rec of dir.users.values()) {
    const email = dir.email(rec);
    const linked = dir.userLinks.get(rec.id);
    if (!dir.isActive(rec)) {
      if (dir.syncedActive.get(rec.id) !== false) remove(rec.id, linked, email, 'deactivated');
      dir.userLinks.delete(rec.id);
      dir.syncedActive.set(rec.id, false);
      continue;
    }
    dir.syncedActive.set(rec.id, true);
    // A linked member stays linked even if the SCIM address changes later (the member's address cannot change).
    if (linked !== undefined && store.user(linked)) continue;
    if (email === undefined) {
      report.skipped.push({ scim_user_id: rec.id, reason: 'no well-formed email address to join on' });
      continue;
    }
    const existing = store.userByEmail(email);
    if (existing) {
      dir.userLinks.set(rec.id, existing.id);
      report.members_linked.push({ scim_user_id: rec.id, user_id: existing.id, email: existing.email });
      continue;
    }
    const name = displayName(rec.data);
    const user = store.addUser({ email, role: 'user', ...(name !== undefined && { name }) });
    dir.userLinks.set(rec.id, user.id);
    report.members_created.push({ scim_user_id: rec.id, user_id: user.id, email: user.email });
  }

  syncGroups(store, dir, report);
  dir.lastSync = report;
  return report;
}

function syncGroups(store: SyncHost, dir: ScimDirectory, report: SyncReport): void {
  for (const [scimId, groupId] of [...dir.groupLinks]) {
    if (dir.groups.has(scimId)) continue;
    const group = store.groups.get(groupId);
    if (group) {
      store.groups.delete(groupId);
      report.groups_deleted.push({ scim_group_id: scimId, group_id: groupId, name: group.name });
    }
    dir.groupLinks.delete(scimId);
  }
  for (const rec of dir.groups.values()) {
    const name = String(rec.data.displayName);
    const linked = dir.groupLinks.get(rec.id);
    let group = linked !== undefined ? store.groups.get(linked) : undefined;
    if (!group) {
      group = store.groups.create({ name, sourceType: 'scim' });
      dir.groupLinks.set(rec.id, group.id);
      report.groups_created.push({ scim_group_id: rec.id, group_id: group.id, name });
    } else if (group.name !== name) {
      report.groups_renamed.push({ scim_group_id: rec.id, group_id: group.id, from: group.name, to: name });
      store.groups.rename(group.id, name);
    }
    // Sets, not Array.includes: a directory group of the whole organization would make the sync quadratic.
    const wanted = new Set<string>();
    for (const scimUserId of dir.memberIds(rec)) {
      const user = dir.users.get(scimUserId);
      const userId = user && dir.isActive(user) ? dir.userLinks.get(scimUserId) : undefined;
      if (userId !== undefined && store.user(userId)) wanted.add(userId);
    }
    const current = new Set(store.groups.memberIds(group.id));
    for (const userId of current) {
      if (wanted.has(userId)) continue;
      store.groups.removeMember(group.id, userId);
      report.group_members_removed.push({ group_id: group.id, user_id: userId });
    }
    for (const userId of wanted) {
      if (current.has(userId)) continue;
      store.groups.addMember(group.id, userId);
      report.group_members_added.push({ group_id: group.id, user_id: userId });
    }
  }
}

/** (Re)starts the automatic sync of the current directory, when its `sync_interval_ms` is above 0. */
export function startAutoSync(store: SyncHost, onError?: (e: unknown) => void): void {
  const dir = store.scim;
  if (!dir || dir.timer !== undefined || dir.settings.syncIntervalMs <= 0) return;
  dir.timer = setInterval(() => {
    try {
      if (store.scim === dir) syncDirectory(store);
    } catch (e) {
      onError?.(e);
    }
  }, dir.settings.syncIntervalMs);
  dir.timer.unref();
}

export function stopAutoSync(dir: ScimDirectory | undefined): void {
  if (dir?.timer !== undefined) {
    clearInterval(dir.timer);
    dir.timer = undefined;
  }
}

/**
 * Replaces the directory with the seed's `scim` section (none: the org has no directory), then runs the optional
 * first sync (`scim.synced`) and restarts the timer if it runs. Called by `EmulatorStore.load` after the groups.
 */
export function loadDirectory(store: SyncHost, seed: SeedScim | undefined): void {
  stopAutoSync(store.scim);
  store.scim = seed ? new ScimDirectory(seed, () => store.clock.nowIso()) : undefined;
  if (seed?.synced) syncDirectory(store);
  if (store.scimAutoSync) startAutoSync(store);
}

/** Turns the automatic directory sync on (the server does, for as long as it runs) or off. */
export function setScimAutoSync(store: SyncHost, on: boolean): void {
  store.scimAutoSync = on;
  if (on) startAutoSync(store);
  else stopAutoSync(store.scim);
}
