// The live state: what the APIs returned, mapped out of wire shapes by live/. Plain data, read only by the
// planner. Enums stay open (`string`): the API may grow new roles or statuses, and the planner must not crash.

export interface LiveOrganization {
  id: string;
  name: string;
}

export interface LiveUser {
  id: string;
  email: string;
  name: string;
  role: string;
}

export interface LiveInvite {
  id: string;
  email: string;
  role: string;
  /** pending | accepted | expired | deleted (open set) */
  status: string;
  invitedAt: string;
  expiresAt: string;
}

export interface LiveWorkspace {
  id: string;
  name: string;
  displayColor: string;
  archived: boolean;
}

/** An explicit workspace membership as listed (org admins and billing members are implicit and never listed). */
export interface LiveWorkspaceMember {
  workspaceId: string;
  userId: string;
  role: string;
}

export interface LiveApiKey {
  id: string;
  name: string;
  status: string;
  /** the service account the key acts for (`principal`), when it is one's */
  serviceAccountId?: string;
  /** the key's workspace (2026-10-21: the Default Workspace's real id too); null for the two cases below */
  workspaceId: string | null;
  /**
   * `organization`: a principal-bound key with no workspace (2026-10-21); `default_workspace`: a key an older API
   * version placed in the Default Workspace without giving its id. Absent: read from `workspaceId` (null = Default).
   */
  scope?: 'workspace' | 'organization' | 'default_workspace';
  createdByUserId: string | null;
  partialKeyHint: string | null;
}

export interface LiveGroup {
  id: string;
  name: string;
  /** direct | scim (open set) */
  sourceType: string;
  /**
   * The RBAC roles attached to the group (read-only through the API). `null`: the API said the role data was
   * temporarily unavailable; absent: not read (an older answer without the field, or a test that does not care).
   */
  roleIds?: string[] | null;
}

/** An RBAC role (read-only through the API): what a group's `roleIds` grant. */
export interface LiveRole {
  id: string;
  /** For a built-in role, Anthropic's name for the access the role grants (it may change; the id does not). */
  displayName: string;
  /** `source.type === "built_in"`: provisioned by Anthropic; custom roles are the organization's own */
  builtIn: boolean;
}

export interface LiveGroupMember {
  groupId: string;
  userId: string;
}

/** A service account (console orgs), archived ones included. */
export interface LiveServiceAccount {
  id: string;
  name: string;
  description: string;
  /** developer | admin (open set) */
  role: string;
  archived: boolean;
}

/** An explicit workspace membership of a service account (the implicit Default Workspace one is never kept). */
export interface LiveServiceAccountWorkspace {
  serviceAccountId: string;
  workspaceId: string;
  role: string;
}

/** A part of the live state that could not be read, and why (a missing scope, an API the org does not have). */
export interface Unreadable {
  unavailable: true;
  reason: string;
}

export interface LiveScimUser {
  id: string;
  userName: string;
  active: boolean;
  externalId?: string;
  givenName?: string;
  familyName?: string;
}

export interface LiveScimGroup {
  id: string;
  displayName: string;
  externalId?: string;
  /** SCIM user ids */
  members: string[];
}

/** The SCIM directory as read, or why it could not be read (not configured, 401/403: no Enterprise directory). */
export type LiveScim =
  | { available: true; users: LiveScimUser[]; groups: LiveScimGroup[] }
  | { available: false; reason: string };

export interface Live {
  organization: LiveOrganization;
  users: LiveUser[];
  /** pending and expired invites; accepted ones are not read (they are members now) */
  invites: LiveInvite[];
  /** read only when the file needs the directory (provisioning scim or scim groups) */
  scim?: LiveScim;
  /** console orgs: every workspace, archived ones included */
  workspaces?: LiveWorkspace[];
  /** explicit memberships of the workspaces whose membership the file manages */
  workspaceMembers?: LiveWorkspaceMember[];
  /** console orgs: active API keys, read only when the plan removes someone */
  apiKeys?: LiveApiKey[];
  /** enterprise orgs: RBAC groups (direct and scim), or why they could not be read */
  groups?: LiveGroup[] | Unreadable;
  /** members of the groups whose membership the file manages */
  groupMembers?: LiveGroupMember[];
  /**
   * enterprise orgs: the RBAC roles, read only when a declared group carries any (so a plan without them costs no
   * request), or why they could not be read
   */
  roles?: LiveRole[] | Unreadable;
  /**
   * console orgs: the service accounts, archived ones included, read only when the file declares some; unreadable
   * without the OAuth token (the only credential their endpoints take)
   */
  serviceAccounts?: LiveServiceAccount[] | Unreadable;
  /** the explicit workspace memberships of the active service accounts the file declares with `workspaces` */
  serviceAccountWorkspaces?: LiveServiceAccountWorkspace[];
}
