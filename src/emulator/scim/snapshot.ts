// The SCIM part of `GET /_emulator/state`: the directory's users and groups as the SCIM endpoint returns them, the
// sync links and the last sync report. Never the token.

import type { ScimDirectory } from './directory.js';
import { directoryBase, groupResource, userResource } from './render.js';

/** Resource locations in the snapshot are relative to the server (`/scim/v2.0/<directory>/…`); null without a directory. */
export function directorySnapshot(dir: ScimDirectory | undefined): Record<string, unknown> | null {
  if (!dir) return null;
  const base = directoryBase('', dir);
  return {
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
  };
}
