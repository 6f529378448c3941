// Service accounts and their workspace memberships as served (SDK 1.17 `ServiceAccount`,
// `ServiceAccountWorkspaceMember`, `WorkspaceRemoveResponse` / `ServiceAccountRemoveResponse`). The SDK's types are
// the only description of these objects, so every API version gets these shapes (the August reference lists the
// endpoints, §12, but no fields: there is no older shape to keep).

import type { ServiceAccountMembershipRecord, ServiceAccountRecord } from './records.js';

export interface SdkServiceAccount {
  id: string;
  type: 'service_account';
  name: string;
  description: string | null;
  organization_role: 'admin' | 'developer';
  created_at: string;
  created_by_actor_id: string | null;
  updated_at: string;
  updated_by_actor_id: string | null;
  archived_at: string | null;
  archived_by_actor_id: string | null;
}

export interface SdkServiceAccountWorkspaceMember {
  type: 'service_account_workspace_member';
  service_account_id: string;
  workspace_id: string;
  workspace_role: string;
  implicit: boolean | null;
  created_by_actor_id: string | null;
}

export interface SdkServiceAccountWorkspaceMemberDeleted {
  type: 'service_account_workspace_member_deleted';
  service_account_id: string;
  workspace_id: string;
}

/** The SDK's implicit Default Workspace membership: "Implicit memberships have role `workspace_user`". */
export const IMPLICIT_WORKSPACE_ROLE = 'workspace_user';

export function renderServiceAccount(a: ServiceAccountRecord): SdkServiceAccount {
  return {
    id: a.id,
    type: 'service_account',
    name: a.name,
    description: a.description,
    organization_role: a.role,
    created_at: a.createdAt,
    created_by_actor_id: a.createdBy,
    updated_at: a.updatedAt,
    updated_by_actor_id: a.updatedBy,
    archived_at: a.archivedAt,
    archived_by_actor_id: a.archivedBy,
  };
}

/** An explicit membership, or (without a record) the implicit Default Workspace one. */
export function renderServiceAccountMember(
  serviceAccountId: string,
  workspaceId: string,
  m: ServiceAccountMembershipRecord | undefined,
): SdkServiceAccountWorkspaceMember {
  return {
    type: 'service_account_workspace_member',
    service_account_id: serviceAccountId,
    workspace_id: workspaceId,
    workspace_role: m ? m.role : IMPLICIT_WORKSPACE_ROLE,
    implicit: m === undefined,
    created_by_actor_id: m ? m.createdBy : null,
  };
}

export function renderServiceAccountMemberDeleted(serviceAccountId: string, workspaceId: string): SdkServiceAccountWorkspaceMemberDeleted {
  return { type: 'service_account_workspace_member_deleted', service_account_id: serviceAccountId, workspace_id: workspaceId };
}
