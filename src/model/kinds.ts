// The resource kinds (issue 16): the one place of the model a kind is named. Next to each kind stand the attributes
// a change of it carries, what the file declares of it (`Desired…`, when the file has a section for it) and what the
// API holds of it (`Live…`); `DesiredSections`/`LiveSections` give `Desired` (model/desired.ts) and `Live`
// (model/live.ts) their per-kind parts, and `REMOVAL_RULES` says how a change of each kind takes access away
// (model/removals.ts). Every layer keeps a table keyed by `ResourceKind` and checked with `satisfies KindTable<…>`, so
// a kind added to `RESOURCE_KINDS` fails to compile until the model, the planner, the executor, the renderers, the
// live reader, the saved-plan check and the importer all have it (docs/architecture.md, "Adding a resource kind").
//
// The attributes are what the planner read (`before`) and what it wants (`after`); apply reads them by these typed
// names, never by string keys. Ids the API gave (`workspace_id`, `user_id`, …) are present when the object already
// existed when the plan was made; an object created in the same run is found through `depends_on` instead.
//
// The desired types are the YAML file after schema validation and normalization (model/desired.ts); the live types
// are what the APIs returned, mapped out of wire shapes by live/, with enums left open (`string`) (model/live.ts).

import { isDemotion, isWorkspaceDemotion } from './roles.js';

export const RESOURCE_KINDS = [
  'member',
  'invite',
  'workspace',
  'workspace_member',
  'api_key',
  'group',
  'group_member',
  'scim_user',
  'scim_group',
  'scim_group_member',
  'sign_out',
  'service_account',
  'service_account_workspace',
] as const;

export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** A table with exactly one entry per resource kind: `const T = {…} satisfies KindTable<Entry>`. */
export type KindTable<Entry> = { readonly [K in ResourceKind]: Entry };

/** A place in the desired-state file, 1-based. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

/** A part of the live state that could not be read, and why (a missing scope, an API the org does not have). */
export interface Unreadable {
  unavailable: true;
  reason: string;
}

// ── member ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** A member of the organization. `email` and `name` are shown for removals; `role` is what an update sets. */
export type MemberAttrs = { role: string; email?: string; name?: string };

export interface DesiredMember {
  email: string;
  key: string;
  role: string;
  name?: string;
  /** YYYY-MM-DD: access ends after this day (UTC) */
  expires?: string;
  pos?: SourcePos;
}

export interface DepartedEntry {
  email: string;
  key: string;
  date?: string;
  reason?: string;
  pos?: SourcePos;
}

export interface LiveUser {
  id: string;
  email: string;
  name: string;
  role: string;
}

// ── invite ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** A pending invite; `status` and `expires_at` as read (before) only. */
export type InviteAttrs = { email: string; role: string; status?: string; expires_at?: string };

export interface LiveInvite {
  id: string;
  email: string;
  role: string;
  /** pending | accepted | expired | deleted (open set) */
  status: string;
  invitedAt: string;
  expiresAt: string;
}

// ── workspace ────────────────────────────────────────────────────────────────────────────────────────────────────

export type WorkspaceAttrs = { name: string; display_color?: string; archived?: boolean };

export interface DesiredWorkspace {
  name: string;
  renamedFrom?: string;
  displayColor?: string;
  archived: boolean;
  /** undefined: membership of this workspace is not managed */
  members?: DesiredWorkspaceMember[];
  pos?: SourcePos;
}

export interface LiveWorkspace {
  id: string;
  name: string;
  displayColor: string;
  archived: boolean;
}

// ── workspace_member ─────────────────────────────────────────────────────────────────────────────────────────────

/** `workspace` is the workspace's name (display, and the key); `workspace_id`/`user_id` when they existed at plan time. */
export type WorkspaceMemberAttrs = { workspace: string; role: string; workspace_id?: string; user_id?: string };

export interface DesiredWorkspaceMember {
  email: string;
  key: string;
  role: string;
  pos?: SourcePos;
}

/** An explicit workspace membership as listed (org admins and billing members are implicit and never listed). */
export interface LiveWorkspaceMember {
  workspaceId: string;
  userId: string;
  role: string;
}

// ── api_key ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** Only deactivations are planned: `status` is `inactive` after. `workspace` and `created_by` are for people. */
export type ApiKeyAttrs = { name: string; status: string; workspace: string; created_by: string };

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

// ── group ────────────────────────────────────────────────────────────────────────────────────────────────────────

export type GroupAttrs = { name: string; source_type?: string };

export interface DesiredGroup {
  name: string;
  renamedFrom?: string;
  delete: boolean;
  /** undefined: membership of this group is not managed */
  members?: DesiredGroupMember[];
  pos?: SourcePos;
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

// ── group_member ─────────────────────────────────────────────────────────────────────────────────────────────────

export type GroupMemberAttrs = { group: string; group_id?: string; user_id?: string };

export interface DesiredGroupMember {
  email: string;
  key: string;
  pos?: SourcePos;
}

export interface LiveGroupMember {
  groupId: string;
  userId: string;
}

// ── scim_user ────────────────────────────────────────────────────────────────────────────────────────────────────

/** A SCIM user: `userName` is the email; `givenName`/`familyName`/`email` are sent on create. */
export type ScimUserAttrs = { userName: string; active: boolean; email?: string; givenName?: string; familyName?: string };

export interface LiveScimUser {
  id: string;
  userName: string;
  active: boolean;
  externalId?: string;
  givenName?: string;
  familyName?: string;
}

// ── scim_group ───────────────────────────────────────────────────────────────────────────────────────────────────

export type ScimGroupAttrs = { displayName: string; externalId?: string };

export interface DesiredScimGroup {
  name: string;
  externalId?: string;
  renamedFrom?: string;
  delete: boolean;
  members?: DesiredGroupMember[];
  pos?: SourcePos;
}

export interface DesiredScim {
  deprovision: 'deactivate' | 'delete';
  groups: DesiredScimGroup[];
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

// ── scim_group_member ────────────────────────────────────────────────────────────────────────────────────────────

/** `user` is the member's userName (the key of the SCIM user change that creates them, when one does). */
export type ScimGroupMemberAttrs = { group: string; user?: string; group_id?: string; user_id?: string };

// ── sign_out ─────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * A departing member signed out everywhere before their removal (policy.sign_out_on_removal): a `create` with
 * `before` null. `user_id` is the member's id as read.
 */
export type SignOutAttrs = { email: string; user_id?: string };

// ── service_account ──────────────────────────────────────────────────────────────────────────────────────────────

/**
 * A service account (console orgs): `name` is its slug (the key); `role` its organization role (`developer` |
 * `admin`); `description` as declared (absent: not managed). `archived` as read (before) only.
 */
export type ServiceAccountAttrs = { name: string; role: string; description?: string; archived?: boolean };

/** A service account (console orgs), keyed by its name (the slug). */
export interface DesiredServiceAccount {
  name: string;
  /** undefined: not managed */
  description?: string;
  /** `developer` (the default) | `admin` */
  role: string;
  archived: boolean;
  /** undefined: its workspace memberships are not managed */
  workspaces?: DesiredServiceAccountWorkspace[];
  pos?: SourcePos;
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

// ── service_account_workspace ────────────────────────────────────────────────────────────────────────────────────

/**
 * An explicit workspace membership of a service account, keyed `account/Workspace`: `service_account` and
 * `workspace` are names (display); the ids when they existed at plan time (else found through `depends_on`).
 */
export type ServiceAccountWorkspaceAttrs = {
  service_account: string;
  workspace: string;
  role: string;
  service_account_id?: string;
  workspace_id?: string;
};

/** A service account's explicit membership of a workspace, by the workspace's name. */
export interface DesiredServiceAccountWorkspace {
  workspace: string;
  role: string;
  pos?: SourcePos;
}

/** An explicit workspace membership of a service account (the implicit Default Workspace one is never kept). */
export interface LiveServiceAccountWorkspace {
  serviceAccountId: string;
  workspaceId: string;
  role: string;
}

// ── the per-kind parts of the model ──────────────────────────────────────────────────────────────────────────────

/** The sections of the desired-state file that declare resources: `Desired` (model/desired.ts) extends this. */
export interface DesiredSections {
  members: DesiredMember[];
  departed: DepartedEntry[];
  workspaces: DesiredWorkspace[];
  groups: DesiredGroup[];
  scim: DesiredScim;
  /** console orgs: the service accounts (empty: the section is absent, and none are read) */
  serviceAccounts: DesiredServiceAccount[];
}

/** What was read of each kind: `Live` (model/live.ts) extends this. */
export interface LiveSections {
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

/**
 * What `before` and `after` hold, per kind. A SCIM deprovisioning that cannot be made (the directory is
 * unavailable) shows the member as read: its `before` is the member's attributes.
 */
export type KindAttrs = {
  member: Same<MemberAttrs>;
  invite: Same<InviteAttrs>;
  workspace: Same<WorkspaceAttrs>;
  workspace_member: Same<WorkspaceMemberAttrs>;
  api_key: Same<ApiKeyAttrs>;
  group: Same<GroupAttrs>;
  group_member: Same<GroupMemberAttrs>;
  scim_user: { before: ScimUserAttrs | MemberAttrs; after: ScimUserAttrs };
  scim_group: Same<ScimGroupAttrs>;
  scim_group_member: Same<ScimGroupMemberAttrs>;
  sign_out: Same<SignOutAttrs>;
  service_account: Same<ServiceAccountAttrs>;
  service_account_workspace: Same<ServiceAccountWorkspaceAttrs>;
};

type Same<A> = { before: A; after: A };

// A kind in RESOURCE_KINDS without attributes above, or attributes for a kind that is not listed, fails here.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const kindsHaveAttrs: Exact<keyof KindAttrs, ResourceKind> = true;
void kindsHaveAttrs;

// ── what takes access away ───────────────────────────────────────────────────────────────────────────────────────

/**
 * A change of kind K as the removal rules read it: the fields of a plan's `ChangeOf<K>` (model/plan.ts) they need.
 * Only changes that call an API reach a rule (model/removals.ts checks), so `action` is `create`, `update`,
 * `replace` or `delete`.
 */
export interface KindChange<K extends ResourceKind> {
  action: string;
  key: string;
  before: KindAttrs[K]['before'] | null;
  after: KindAttrs[K]['after'] | null;
}

/**
 * How a change of kind K takes access away, derived from the change alone (model/removals.ts, issue 12).
 * `leaves`: the email of the person whose access to the organization the change ends (a member removed, a pending
 * invite withdrawn, a SCIM user deleted or deactivated); absent: a change of this kind never ends anyone's.
 * `removes`: the change counts against `policy.max_removals`; `leaving(email)` tells whether that person leaves the
 * organization in the same plan.
 */
export interface RemovalRule<K extends ResourceKind> {
  leaves?: (c: KindChange<K>) => string | undefined;
  removes: (c: KindChange<K>, leaving: (email: string) => boolean) => boolean;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

const deleted = (c: { action: string }): boolean => c.action === 'delete';

const keyIfDeleted = (c: { action: string; key: string }): string | undefined => (deleted(c) ? c.key : undefined);

type WithRole = { action: string; before: { role?: unknown } | null; after: { role?: unknown } | null };

/** Deleted, or updated to a role `lowered` says gives less access than the one it had. */
function deletedOrLowered(lowered: (from: string, to: string) => boolean): (c: WithRole) => boolean {
  return (c) => deleted(c) || (c.action === 'update' && lowered(text(c.before?.role), text(c.after?.role)));
}

/** A SCIM user deleted, or deactivated (active before, inactive after). */
function scimUserLeaves(c: KindChange<'scim_user'>): string | undefined {
  if (deleted(c)) return c.key;
  return c.action === 'update' && c.before !== null && 'active' in c.before && c.before.active && c.after?.active === false
    ? c.key
    : undefined;
}

/**
 * What counts as a removal, per kind (contract "removals"): removals of members, withdrawn invites, SCIM
 * deprovisioning, membership removals, demotions (org and workspace roles), archived workspaces and deleted groups;
 * archived service accounts, a service account lowered from admin, and service-account workspace memberships removed
 * or lowered. Removing a leaving person from a SCIM group is part of their removal and is not counted twice (the
 * directory keeps the membership, so it is removed explicitly).
 */
export const REMOVAL_RULES = {
  member: { leaves: keyIfDeleted, removes: deletedOrLowered(isDemotion) },
  invite: { leaves: keyIfDeleted, removes: deleted },
  scim_user: { leaves: scimUserLeaves, removes: (c) => scimUserLeaves(c) !== undefined },
  workspace: { removes: deleted },
  group: { removes: deleted },
  group_member: { removes: deleted },
  scim_group: { removes: deleted },
  workspace_member: { removes: deletedOrLowered(isWorkspaceDemotion) },
  scim_group_member: { removes: (c, leaving) => deleted(c) && !leaving(text(c.before?.user)) },
  // archived (permanent), or lowered from admin to developer
  service_account: { removes: deletedOrLowered((from, to) => from === 'admin' && to !== 'admin') },
  service_account_workspace: { removes: deletedOrLowered(isWorkspaceDemotion) },
  // deactivating a removed member's key is part of their offboarding, never a removal of its own
  api_key: { removes: () => false },
  // signing a removed member out is part of their offboarding too (it ends no one's access by itself either)
  sign_out: { removes: () => false },
} satisfies { readonly [K in ResourceKind]: RemovalRule<K> };

// ---- import (issue 16): the file's sections, and what import drafts for each from the live state ----
// A section's drafting (live → its declared items, and notes of what was left out) sits beside its differ in
// planner/; its YAML writing beside its reading in config/normalize.ts; import/ iterates FILE_SECTIONS only.

/** The sections of a desired-state file import drafts, in the order they are drafted and written. */
export const FILE_SECTIONS = ['members', 'workspaces', 'service_accounts', 'groups', 'scim'] as const;

export type FileSection = (typeof FILE_SECTIONS)[number];

/** What each section declares, as the file writes it (an email as the organization spells it, untrimmed). */
export type SectionItems = {
  members: import('./desired.js').DesiredMember;
  workspaces: import('./desired.js').DesiredWorkspace;
  service_accounts: import('./desired.js').DesiredServiceAccount;
  groups: import('./desired.js').DesiredGroup;
  scim: import('./desired.js').DesiredScimGroup;
};

/** One declared item, with the comments written with it. */
export interface DraftEntry<Item> {
  item: Item;
  /**
   * The key of the change declaring it would plan (`c.key`: a container's name, a person's email as written), set by
   * the drafter beside the differ that keys those changes: import matches what the planner said by it.
   */
  key: string;
  /** comment lines written above it */
  notes: string[];
  /** a trailing comment (`invited, expires …`) */
  note?: string;
  /** a person: how they are named in a note if the planner would change their declaration */
  subject?: string;
  /** a person: invited (a pending invite), or awaiting the directory sync (a SCIM user not a member yet) */
  state?: 'invited' | 'awaiting_sync';
}

/** What import drafts for one section. */
export interface SectionDraft<Item> {
  /** undefined: the section is not written (another kind of organization, or it could not be read) */
  entries?: Array<DraftEntry<Item>>;
  /** what was not declared, and why: one line each, in a comment block above the section */
  notes: string[];
  /** comment lines after that block */
  after?: string[];
  /** parts of the organization that could not be read, and why */
  unread: string[];
  /** how many of the notes are things left out (people, workspaces, groups, service accounts) */
  skipped: number;
}

export type Drafts = { [S in FileSection]: SectionDraft<SectionItems[S]> };

/** What import reads: the live state, with the facts no response carries. */
export type DraftSource = import('./live.js').Live & {
  kind: import('./desired.js').OrgKind;
  provisioning: import('./desired.js').Provisioning;
};

/** What the plans of earlier drafts said they would change: each is left out of the next draft, with why. */
export interface LeftOutView {
  /** why this person (by email key) is left out; undefined: they are not */
  person(key: string): string | undefined;
  /** why this workspace, group, … is left out; undefined: it is not */
  container(kind: ResourceKind, name: string): string | undefined;
  /** why the membership of this container is left unmanaged (empty: it is not) */
  memberships(kind: ResourceKind, name: string): readonly string[];
}

/** Drafts one section from the live state; `drafted` holds the sections drafted before it (FILE_SECTIONS order). */
export type Drafter<S extends FileSection> = (src: DraftSource, now: Date, left: LeftOutView, drafted: Partial<Drafts>) => SectionDraft<SectionItems[S]>;

/**
 * Which declaration of an imported file a change of a kind is about: a person (left out whole), a container of a
 * section (left out whole), a container's membership (left unmanaged), or none.
 */
export type DeclaredBy = 'person' | 'none' | { section: FileSection } | { of: ResourceKind };

/** What import takes from the planner besides `plan`: the drafters, and what each kind's change is about. */
export interface Importer {
  declaredBy: KindTable<DeclaredBy>;
  drafters: { readonly [S in FileSection]: Drafter<S> };
}
