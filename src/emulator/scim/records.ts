// The SCIM directory's records (the WorkOS side, reference §13.1) and the report of a directory sync (sync.ts).

export interface ScimSettings {
  defaultCount: number;
  maxCount: number;
  softDelete: boolean;
  forbidden: boolean;
  requestsPerMinute: number | undefined;
  syncIntervalMs: number;
  stringBooleans: boolean;
}

/** A stored resource: its attributes as SCIMMY coerced them (no `id`, no `meta`) and the server-side metadata. */
export interface ScimRecord {
  id: string;
  data: Record<string, unknown>;
  created: string;
  lastModified: string;
  /** Creation order: the stable listing order paging relies on (scim.md §3.3, Okta needs it). */
  seq: number;
}

export interface ScimGroupRecord extends ScimRecord {
  /** §13.5: `externalId` if present at creation, else `displayName`; sticky across renames. */
  identity: string;
}

/** A SCIM user deleted since the last sync (§13.8: DELETE removes the member at the next sync). */
export interface DeletedScimUser {
  scimId: string;
  email: string | undefined;
  /** The org member it was linked to, if any. */
  userId: string | undefined;
  /** The last sync already saw it inactive (and removed its member): nothing left to do. */
  syncedInactive: boolean;
}

export interface SyncedMember {
  scim_user_id: string;
  user_id: string;
  email: string;
}

export interface SyncReport {
  at: string;
  /** Members created for active SCIM users. */
  members_created: SyncedMember[];
  /** Existing members adopted by an active SCIM user with the same email. */
  members_linked: SyncedMember[];
  members_removed: Array<SyncedMember & { reason: 'deactivated' | 'deleted' }>;
  groups_created: Array<{ scim_group_id: string; group_id: string; name: string }>;
  groups_renamed: Array<{ scim_group_id: string; group_id: string; from: string; to: string }>;
  groups_deleted: Array<{ scim_group_id: string; group_id: string; name: string }>;
  group_members_added: Array<{ group_id: string; user_id: string }>;
  group_members_removed: Array<{ group_id: string; user_id: string }>;
  /** SCIM users the sync could not act on, and why. */
  skipped: Array<{ scim_user_id: string; reason: string }>;
}
