// The desired state: the YAML file after schema validation and normalization. Plain data, produced only by
// config/, read only by the planner. Emails appear twice: `email` as the file spells it (for display) and
// `key`, trimmed and lower-cased (for identity). Every entry keeps where it was written, for diagnostics.

import type { OrgKind } from './roles.js';

export type { OrgKind };
export type Provisioning = 'invite' | 'jit' | 'scim';
export type RemovalsMode = 'declared' | 'prune' | 'never';

/** A place in the desired-state file, 1-based. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

export interface Credentials {
  /** Names of environment variables, never their values. */
  adminKeyEnv: string;
  scimUrlEnv: string;
  scimTokenEnv: string;
  baseUrlEnv: string;
  /** the OAuth bearer token (`org:admin`) the service-account endpoints take instead of an admin key */
  oauthTokenEnv: string;
}

export interface DesiredOrganization {
  id: string;
  kind: OrgKind;
  provisioning: Provisioning;
  credentials: Credentials;
  pos?: SourcePos;
}

export interface DesiredPolicy {
  removals: RemovalsMode;
  maxRemovals: number;
  /**
   * Who is never removed or demoted: email keys, and globs (lower-case, domains in ASCII), matched like
   * `unmanaged` (model/email.ts globMatcher)
   */
  protected: string[];
  /** globs matched case-insensitively against emails */
  unmanaged: string[];
  /** `policy.email_domains`: the domains people may have, in ASCII (punycode) lower case; absent: any domain */
  emailDomains?: string[];
  apiKeysOfRemovedMembers: 'report' | 'deactivate';
  /** a plan removing more than this share of the people (0..1) is a mass removal (model/removals.ts) */
  maxRemovalShare: number;
  /** undeclared live objects are drift (the default) or only a warning */
  undeclared: 'drift' | 'warn';
  /** expired invites of one address after which no new invite is sent (the person becomes manual) */
  maxReinvites: number;
  /** `policy.sign_out_on_removal`: a member the API removes is signed out everywhere first (beta, enterprise) */
  signOutOnRemoval: boolean;
}

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

export interface DesiredWorkspaceMember {
  email: string;
  key: string;
  role: string;
  pos?: SourcePos;
}

export interface DesiredWorkspace {
  name: string;
  renamedFrom?: string;
  displayColor?: string;
  archived: boolean;
  /** undefined: membership of this workspace is not managed */
  members?: DesiredWorkspaceMember[];
  pos?: SourcePos;
}

export interface DesiredGroupMember {
  email: string;
  key: string;
  pos?: SourcePos;
}

export interface DesiredGroup {
  name: string;
  renamedFrom?: string;
  delete: boolean;
  /** undefined: membership of this group is not managed */
  members?: DesiredGroupMember[];
  pos?: SourcePos;
}

export interface DesiredScimGroup {
  name: string;
  externalId?: string;
  renamedFrom?: string;
  delete: boolean;
  members?: DesiredGroupMember[];
  pos?: SourcePos;
}

/** A service account's explicit membership of a workspace, by the workspace's name. */
export interface DesiredServiceAccountWorkspace {
  workspace: string;
  role: string;
  pos?: SourcePos;
}

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

export interface DesiredScim {
  deprovision: 'deactivate' | 'delete';
  groups: DesiredScimGroup[];
}

export interface Desired {
  file: string;
  /** sha256 (hex) of the file's bytes */
  sha256: string;
  version: 1;
  organization: DesiredOrganization;
  policy: DesiredPolicy;
  members: DesiredMember[];
  departed: DepartedEntry[];
  workspaces: DesiredWorkspace[];
  groups: DesiredGroup[];
  scim: DesiredScim;
  /** console orgs: the service accounts (empty: the section is absent, and none are read) */
  serviceAccounts: DesiredServiceAccount[];
}
