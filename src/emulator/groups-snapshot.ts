// The Enterprise part of `GET /_emulator/state`: RBAC groups with their current members, and the SCIM directory
// (users and groups as the SCIM endpoint returns them, the sync links and the last sync report). Never the token.

import { directoryBase, groupResource, userResource } from './scim/render.js';
import { grantsOwnerAccess } from './rbac-roles.js';
import type { EmulatorStore } from './store.js';

/** Resource locations in the snapshot are relative to the server (`/scim/v2.0/<directory>/…`). */
export function enterpriseSnapshot(store: EmulatorStore): Record<string, unknown> {
  const dir = store.scim;
  const base = dir ? directoryBase('', dir) : '';
  return {
    rbac_groups: store.groups.all().map((g) => ({
      ...store.groups.toWire(g),
      members: store.groups.memberIds(g.id).map((id) => ({ user_id: id, email: store.user(id)?.email ?? null })),
    })),
    // Roles with their internal owner-access flag (rbac-roles.ts), which the API itself never shows.
    rbac_roles:
      store.organization.kind === 'enterprise'
        ? store.roles.all().map((r) => ({
            id: r.id,
            display_name: r.displayName,
            source: r.source,
            owner_access: grantsOwnerAccess(r),
            permissions: r.permissions.length,
          }))
        : [],
    scim: dir
      ? {
          directory: dir.key,
          path: base,
          settings: {
            forbidden: dir.settings.forbidden,
            soft_delete: dir.settings.softDelete,
            default_count: dir.settings.defaultCount,
            max_count: dir.settings.maxCount,
            sync_interval_ms: dir.settings.syncIntervalMs,
            requests_per_minute: dir.settings.requestsPerMinute ?? null,
            string_booleans: dir.settings.stringBooleans,
          },
          users: [...dir.users.values()].map((u) => ({ ...userResource(u, base), synced_user_id: dir.userLinks.get(u.id) ?? null })),
          groups: [...dir.groups.values()].map((g) => ({
            ...groupResource(g, base, dir),
            identity: g.identity,
            synced_group_id: dir.groupLinks.get(g.id) ?? null,
          })),
          pending_deletions: dir.deletedUsers.map((d) => d.scimId),
          last_sync: dir.lastSync,
        }
      : null,
  };
}
