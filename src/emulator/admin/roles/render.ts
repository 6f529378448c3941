// RBAC roles and their permission rows as served, for the request's version (see emulator/render.ts).

import type { ShapeVersion } from '../../api-version.js';
import type { RbacPermission, RbacRoleRecord } from './records.js';

interface RoleCommon {
  id: string;
  type: 'rbac_role';
  created_at: string;
  updated_at: string;
}
export type LegacyRbacRole = RoleCommon & { name: string };
export type SdkRbacRole = RoleCommon & { display_name: string; source: { type: 'built_in' | 'custom' } };

export function renderRole(r: RbacRoleRecord, v: ShapeVersion): LegacyRbacRole | SdkRbacRole {
  const common: RoleCommon = { id: r.id, type: 'rbac_role', created_at: r.createdAt, updated_at: r.updatedAt };
  return v === '2026-10-21'
    ? { ...common, display_name: r.displayName, source: { type: r.source } }
    : { ...common, name: r.displayName };
}

/** The same in both versions. */
export function renderPermission(p: RbacPermission): RbacPermission & { type: 'rbac_role_permission' } {
  return { type: 'rbac_role_permission', action: p.action, resource: { ...p.resource } };
}
