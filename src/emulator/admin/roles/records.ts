// RBAC roles as the store keeps them, the built-in ones' ids, and the one definition of owner access (store.ts).

export type RbacRoleSource = 'built_in' | 'custom';

/** A permission row, as served (`type: "rbac_role_permission"` is added when rendered). */
export interface RbacPermission {
  action: string;
  resource:
    | { type: 'organization'; organization_id: string }
    | { type: 'connector_tool'; connector_id: string; tool_name: string }
    | { type: 'connector_scope'; connector_id: string; scope: string }
    | { type: 'connector'; connector_id: string }
    | { type: 'all_connectors' };
}

export interface RbacRoleRecord {
  id: string;
  displayName: string;
  source: RbacRoleSource;
  /** Internal: members of a group with this role hold owner access (see store.ts). */
  ownerAccess: boolean;
  /** Rows whose organization resource is the org itself carry `organization_id: null` until loaded. */
  permissions: RbacPermission[];
  createdAt: string;
  updatedAt: string;
}

/** The single definition of "this role grants owner access" (see store.ts). */
export function grantsOwnerAccess(role: Pick<RbacRoleRecord, 'ownerAccess'>): boolean {
  return role.ownerAccess;
}

export const BUILT_IN_ROLE_IDS = {
  owner: 'rbac_role_01BuiltInOwner',
  admin: 'rbac_role_01BuiltInAdmin',
  member: 'rbac_role_01BuiltInMember',
} as const;
