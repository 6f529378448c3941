// Where the two shape sets of the Admin API differ (api-version.ts): each object the emulator serves is rendered
// from its record, for the version the request asked for, by its resource's render.ts (admin/<resource>/render.ts),
// and pages are rendered here. Routes never build these shapes themselves. The 2026-10-21 shapes are those the
// official SDK 1.17.0 declares (resources/organization/**.d.ts); test/sdk checks every answer against JSON Schemas
// generated from those types.
//
// Shapes that differ (legacy → 2026-10-21):
// - RBAC group: `roles` → `role_ids`.
// - RBAC group member (list item, add answer) and its deletion: `group_id` → `rbac_group_id`.
// - API key: the deprecated `workspace_id` (null for the Default Workspace) is dropped; `scope` carries the real id.
// - Workspace: `user_profile_id` is added.
// - Token pages (`page`/`next_page`): `has_more` is dropped (SDK PageCursor: `{data, next_page}`).
// - RBAC role: `name` → `display_name`, and `source` is added.
// - Errors: `error.details.error_code` is sent (pipeline; failure.ts).

import type { ShapeVersion } from './api-version.js';
import { encodePageToken } from './page-token.js';

// ---- token pages (§2.9 scheme 2; SDK PageCursor) ----

export interface LegacyTokenPage<T> {
  data: T[];
  has_more: boolean;
  next_page: string | null;
}
export interface SdkTokenPage<T> {
  data: T[];
  next_page: string | null;
}

/**
 * `next_page` is set exactly when records exist past the page, even when this page's `data` is empty (records read
 * but filtered out): the SDK's PageCursor goes on while `next_page` is set, whatever the page holds.
 */
export function renderTokenPage<T>(
  data: T[],
  listing: string,
  raw: { hasMore: boolean; lastSeq: number | undefined },
  v: ShapeVersion,
): LegacyTokenPage<T> | SdkTokenPage<T> {
  const more = raw.hasMore && raw.lastSeq !== undefined;
  const next_page = more ? encodePageToken(listing, raw.lastSeq!) : null;
  return v === '2026-10-21' ? { data, next_page } : { data, has_more: more, next_page };
}

/** An ID-cursor page of rendered items (§2.9 scheme 1; SDK Page): the same in both versions. */
export function renderIdPage<R, T>(
  page: { data: R[]; has_more: boolean; first_id: string | null; last_id: string | null },
  render: (item: R) => T,
): { data: T[]; has_more: boolean; first_id: string | null; last_id: string | null } {
  return { ...page, data: page.data.map(render) };
}
