// Workspaces and explicit workspace memberships as the store keeps them (§7, §8).

import type { PageRequest } from '../../pagination.js';
import type { SortKey } from '../../sorted-index.js';

export interface DataResidency {
  allowed_inference_geos: string[] | 'unrestricted';
  default_inference_geo: string;
  workspace_geo: string;
}

/** §7.2/§7.3 defaults: `workspace_geo="us"`, `allowed_inference_geos="unrestricted"`, `default_inference_geo="global"`. */
export function defaultDataResidency(): DataResidency {
  return { allowed_inference_geos: 'unrestricted', default_inference_geo: 'global', workspace_geo: 'us' };
}

export interface WorkspaceRecord {
  id: string;
  name: string;
  displayColor: string;
  createdAt: string;
  archivedAt: string | null;
  dataResidency: DataResidency;
  compartmentId: string;
  externalKeyId: string | null;
  tags: Record<string, string>;
  /** The attached user profile (SDK 1.17 `user_profile_id`); write-once, never on the Default Workspace. */
  userProfileId: string | null;
  /** The org's hidden Default Workspace (§7.1): never archived, no member list, name "Default". */
  isDefault: boolean;
  key: SortKey;
}

/** An explicit membership; `id` is the user id (the member listing's cursor, §8.2). */
export interface MembershipRecord {
  id: string;
  workspaceId: string;
  role: string;
  key: SortKey;
}

export interface NewWorkspace {
  name: string;
  id?: string;
  displayColor?: string;
  createdAt?: string;
  archivedAt?: string | null;
  dataResidency?: DataResidency;
  externalKeyId?: string | null;
  tags?: Record<string, string>;
  userProfileId?: string | null;
}

export interface WorkspaceChanges {
  name?: string;
  displayColor?: string;
  dataResidency?: DataResidency;
  externalKeyId?: string;
  /** Merged into the current tags; `null` deletes a tag (§7.6). */
  tags?: Record<string, string | null>;
  userProfileId?: string;
}

export interface WorkspaceListQuery {
  page: PageRequest;
  includeArchived?: boolean;
  includeDefault?: boolean;
  /** SDK 1.17 `ids[]`: only these workspaces (the other filters still apply). */
  ids?: ReadonlySet<string>;
}
