// The desired state: the YAML file after schema validation and normalization. Plain data, produced only by
// config/, read only by the planner. Emails appear twice: `email` as the file spells it (for display) and
// `key`, trimmed and lower-cased (for identity). Every entry keeps where it was written, for diagnostics.

import type { DesiredSections, SourcePos } from './kinds.js';
import type { OrgKind } from './roles.js';

// What the file declares of each kind is declared beside the kind, in model/kinds.ts (issue 16); the names stay
// importable from here.
export type {
  DepartedEntry,
  DesiredGroup,
  DesiredGroupMember,
  DesiredMember,
  DesiredScim,
  DesiredScimGroup,
  DesiredSections,
  DesiredServiceAccount,
  DesiredServiceAccountWorkspace,
  DesiredWorkspace,
  DesiredWorkspaceMember,
  SourcePos,
} from './kinds.js';
export type { OrgKind };

export type Provisioning = 'invite' | 'jit' | 'scim';
export type RemovalsMode = 'declared' | 'prune' | 'never';

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

/** The file: its settings here, and its resources by kind in `DesiredSections` (model/kinds.ts). */
export interface Desired extends DesiredSections {
  file: string;
  /** sha256 (hex) of the file's bytes */
  sha256: string;
  version: 1;
  organization: DesiredOrganization;
  policy: DesiredPolicy;
}
