// API keys as served (§9.1), for the request's version (see emulator/render.ts).

import type { ShapeVersion } from '../../api-version.js';
import type { ApiKeyRecord } from './records.js';

interface ApiKeyCommon {
  id: string;
  type: 'api_key';
  name: string;
  created_at: string;
  created_by: { id: string; type: 'user' | 'service_account' } | null;
  expires_at: string | null;
  partial_key_hint: string | null;
  status: 'active' | 'inactive' | 'archived' | 'expired';
  principal: { type: 'user_actor'; user_id: string } | { type: 'service_account_actor'; service_account_id: string } | null;
  scope: { type: 'workspace'; workspace_id: string } | { type: 'organization' };
}
export type LegacyApiKey = ApiKeyCommon & { workspace_id: string | null };
export type SdkApiKey = ApiKeyCommon;

/**
 * `principal` is the seeded one (a user or a service account) or null; a principal-bound key may have the
 * organization scope (no workspace). `expires_at` is null (no expiry).
 */
export function renderApiKey(k: ApiKeyRecord, defaultWorkspaceId: string, v: ShapeVersion): LegacyApiKey | SdkApiKey {
  const common: ApiKeyCommon = {
    type: 'api_key',
    id: k.id,
    name: k.name,
    created_at: k.createdAt,
    created_by: k.createdBy === null ? null : { id: k.createdBy, type: 'user' },
    expires_at: null,
    partial_key_hint: k.partialKeyHint,
    principal: k.principal && { ...k.principal },
    status: k.status,
    scope: k.workspaceId === null ? { type: 'organization' } : { type: 'workspace', workspace_id: k.workspaceId },
  };
  if (v === '2026-10-21') return common;
  // Legacy: the deprecated `workspace_id` beside `scope`, null for the Default Workspace (§9.1).
  return { ...common, workspace_id: k.workspaceId === null || k.workspaceId === defaultWorkspaceId ? null : k.workspaceId };
}
