// Console API keys as the store keeps them (§9.1). The store holds no key material: only the partial hint the API
// itself shows (`sk-ant-api03-R2D...igAA`).

import type { PageRequest } from '../../pagination.js';
import type { SortKey } from '../../sorted-index.js';

/** §9.4: a key's name has 1 to 500 characters. */
export const API_KEY_NAME_MAX = 500;

export type ApiKeyStatus = 'active' | 'inactive' | 'archived' | 'expired';

export type ApiKeyPrincipal = { type: 'user_actor'; user_id: string } | { type: 'service_account_actor'; service_account_id: string };

export const API_KEY_STATUSES: readonly ApiKeyStatus[] = ['active', 'inactive', 'archived', 'expired'];

export interface ApiKeyRecord {
  id: string;
  name: string;
  createdAt: string;
  /** The creator's user id; they may have left the org since (§5.5: keys persist). Null: a legacy key (§9.1). */
  createdBy: string | null;
  /**
   * The real workspace id, the Default Workspace's included (the legacy wire shows null there, §9.1); null for an
   * organization-scoped key (SDK 1.17 `scope: {type:"organization"}`, principal-bound keys only).
   */
  workspaceId: string | null;
  /** SDK 1.17 `principal`: whom the key acts as; null when it is bound to no principal. */
  principal: ApiKeyPrincipal | null;
  status: ApiKeyStatus;
  partialKeyHint: string;
  key: SortKey;
}

export interface NewApiKey {
  name: string;
  createdBy?: string | null;
  /** Default: the Default Workspace; null: the organization scope. */
  workspaceId?: string | null;
  principal?: ApiKeyPrincipal | null;
  status?: ApiKeyStatus;
  id?: string;
  partialKeyHint?: string;
  createdAt?: string;
}

export interface ApiKeyListQuery {
  page: PageRequest;
  status?: ApiKeyStatus;
  workspaceId?: string;
  createdBy?: string;
}
