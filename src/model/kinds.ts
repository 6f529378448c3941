// The resource kinds, and the attributes a change of each kind carries (issue 16): the one place a kind is named.
// Every layer keeps a table keyed by `ResourceKind` and checked with `satisfies KindTable<…>`, so a kind added to
// `RESOURCE_KINDS` fails to compile until the planner, the executor, the renderers, the live reader, the saved-plan
// check and the importer all have it (docs/architecture.md, "Adding a resource kind").
//
// The attributes are what the planner read (`before`) and what it wants (`after`); apply reads them by these typed
// names, never by string keys. Ids the API gave (`workspace_id`, `user_id`, …) are present when the object already
// existed when the plan was made; an object created in the same run is found through `depends_on` instead.

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

/** A member of the organization. `email` and `name` are shown for removals; `role` is what an update sets. */
export type MemberAttrs = { role: string; email?: string; name?: string };

/** A pending invite; `status` and `expires_at` as read (before) only. */
export type InviteAttrs = { email: string; role: string; status?: string; expires_at?: string };

export type WorkspaceAttrs = { name: string; display_color?: string; archived?: boolean };

/** `workspace` is the workspace's name (display, and the key); `workspace_id`/`user_id` when they existed at plan time. */
export type WorkspaceMemberAttrs = { workspace: string; role: string; workspace_id?: string; user_id?: string };

/** Only deactivations are planned: `status` is `inactive` after. `workspace` and `created_by` are for people. */
export type ApiKeyAttrs = { name: string; status: string; workspace: string; created_by: string };

export type GroupAttrs = { name: string; source_type?: string };

export type GroupMemberAttrs = { group: string; group_id?: string; user_id?: string };

/** A SCIM user: `userName` is the email; `givenName`/`familyName`/`email` are sent on create. */
export type ScimUserAttrs = { userName: string; active: boolean; email?: string; givenName?: string; familyName?: string };

export type ScimGroupAttrs = { displayName: string; externalId?: string };

/** `user` is the member's userName (the key of the SCIM user change that creates them, when one does). */
export type ScimGroupMemberAttrs = { group: string; user?: string; group_id?: string; user_id?: string };

/**
 * A departing member signed out everywhere before their removal (policy.sign_out_on_removal): a `create` with
 * `before` null. `user_id` is the member's id as read.
 */
export type SignOutAttrs = { email: string; user_id?: string };

/**
 * A service account (console orgs): `name` is its slug (the key); `role` its organization role (`developer` |
 * `admin`); `description` as declared (absent: not managed). `archived` as read (before) only.
 */
export type ServiceAccountAttrs = { name: string; role: string; description?: string; archived?: boolean };

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
