// The Admin API versions the emulator speaks (`anthropic-version`, §2.4) and which shapes each one gets.
//
// Two shape sets exist (render.ts keeps every difference in one place):
// - `legacy`: 2023-06-01 and the deprecated 2023-01-01, and a request without the header when the emulator does not
//   require it. The August reference's shapes (RBAC group `roles`, group member `group_id`, API key `workspace_id`,
//   token pages with `has_more`, RBAC role `name`, no `user_profile_id`, error bodies without `details`).
// - `2026-10-21`: what the official SDK 1.17.0 sends by default and declares (its resources/organization/*.d.ts).
//
// The versions are spelt here rather than taken from the client's wire module: the client may move to another
// version on its own schedule, and the emulator keeps serving both.

export const LEGACY_VERSION = '2023-06-01';
export const SDK_VERSION = '2026-10-21';

/** §2.4: the versions the API knows (2023-01-01 is deprecated but still accepted). */
export const KNOWN_VERSIONS: readonly string[] = [SDK_VERSION, LEGACY_VERSION, '2023-01-01'];

export type ShapeVersion = 'legacy' | '2026-10-21';

/** The shape set for an accepted `anthropic-version` value (undefined: no header). */
export function shapeVersion(header: string | undefined): ShapeVersion {
  return header === SDK_VERSION ? '2026-10-21' : 'legacy';
}
