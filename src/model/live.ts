// The live state: what the APIs returned, mapped out of wire shapes by live/. Plain data, read only by the
// planner. Enums stay open (`string`): the API may grow new roles or statuses, and the planner must not crash.

import type { LiveSections } from './kinds.js';

// What the API holds of each kind is declared beside the kind, in model/kinds.ts (issue 16); the names stay
// importable from here.
export type {
  LiveApiKey,
  LiveGroup,
  LiveGroupMember,
  LiveInvite,
  LiveRole,
  LiveScim,
  LiveScimGroup,
  LiveScimUser,
  LiveSections,
  LiveServiceAccount,
  LiveServiceAccountWorkspace,
  LiveUser,
  LiveWorkspace,
  LiveWorkspaceMember,
  Unreadable,
} from './kinds.js';

export interface LiveOrganization {
  id: string;
  name: string;
}

/** What was read: the organization here, and each kind's objects in `LiveSections` (model/kinds.ts). */
export interface Live extends LiveSections {
  organization: LiveOrganization;
}
