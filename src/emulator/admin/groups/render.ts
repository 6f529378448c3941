// RBAC groups and their members as served (§11.1, §11.2), for the request's version (see emulator/render.ts).

import type { ShapeVersion } from '../../api-version.js';
import type { GroupMembershipRecord, RbacGroupRecord } from './records.js';

interface GroupCommon {
  id: string;
  type: 'rbac_group';
  name: string;
  source_type: 'direct' | 'scim';
  created_at: string;
  updated_at: string;
}
export type LegacyRbacGroup = GroupCommon & { roles: string[] | null };
export type SdkRbacGroup = GroupCommon & { role_ids: string[] | null };

export function renderGroup(g: RbacGroupRecord, v: ShapeVersion): LegacyRbacGroup | SdkRbacGroup {
  const common: GroupCommon = {
    id: g.id,
    type: 'rbac_group',
    name: g.name,
    source_type: g.sourceType,
    created_at: g.createdAt,
    updated_at: g.updatedAt,
  };
  return v === '2026-10-21' ? { ...common, role_ids: [...g.roles] } : { ...common, roles: [...g.roles] };
}

export interface LegacyRbacGroupMember {
  type: 'rbac_group_member';
  group_id: string;
  user_id: string;
  email: string;
  created_at: string;
}
export interface SdkRbacGroupMember {
  type: 'rbac_group_member';
  rbac_group_id: string;
  user_id: string;
  email: string;
  created_at: string;
}

export function renderGroupMember(
  groupId: string,
  m: GroupMembershipRecord,
  email: string,
  v: ShapeVersion,
): LegacyRbacGroupMember | SdkRbacGroupMember {
  return v === '2026-10-21'
    ? { type: 'rbac_group_member', rbac_group_id: groupId, user_id: m.userId, email, created_at: m.createdAt }
    : { type: 'rbac_group_member', group_id: groupId, user_id: m.userId, email, created_at: m.createdAt };
}

export function renderGroupMemberDeleted(
  groupId: string,
  userId: string,
  v: ShapeVersion,
):
  | { type: 'rbac_group_member_deleted'; group_id: string; user_id: string }
  | { type: 'rbac_group_member_deleted'; rbac_group_id: string; user_id: string } {
  return v === '2026-10-21'
    ? { type: 'rbac_group_member_deleted', rbac_group_id: groupId, user_id: userId }
    : { type: 'rbac_group_member_deleted', group_id: groupId, user_id: userId };
}
