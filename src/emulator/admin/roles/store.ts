// RBAC roles of an Enterprise organization (read-only through the Admin API: list, get, permissions list; the older
// reference's §11.3, and the SDK 1.17.0 `organization.rbacRoles`). Roles are what a group's `role_ids` grant.
//
// Every Enterprise org has the BUILT-IN roles below (fixed ids, `source: built_in`); a seed adds CUSTOM roles under
// `rbac_roles` (seed.ts). A role the legacy seed format names only from a group's `roles` list
// (before roles were modelled) is registered as a custom role named after its id, so old seeds keep loading.
//
// OWNER ACCESS. Which roles grant owner access is part of the emulator's role data, as the internal flag
// `ownerAccess` (seed field `owner_access: true`; the built-in "Owner" role has it). It is not served over the API:
// the real API does not say which permission rows amount to owner access, it only refuses, with 400
// `rbac_group_grants_owner_access`, to add or remove members of a group with such a role, to delete such a group,
// or to invite into it. `grantsOwnerAccess(role)` and `groupGrantsOwnerAccess(store, groupId)` are the one
// definition; a planner that wants to predict the refusal should treat a group as owner-granting exactly when one of
// its `role_ids` names a role with that flag (in the emulator's seeds: the built-in Owner role,
// BUILT_IN_ROLE_IDS.owner, and any seeded role marked `owner_access: true`).

import { BUILT_IN_ROLE_IDS, grantsOwnerAccess, type RbacPermission, type RbacRoleRecord } from './records.js';
import type { SeedRbacRole } from './seed.js';

/** The built-in roles; their permission rows are on the organization itself. */
const BUILT_INS: ReadonlyArray<{ id: string; displayName: string; ownerAccess: boolean; actions: string[] }> = [
  {
    id: BUILT_IN_ROLE_IDS.owner,
    displayName: 'Owner',
    ownerAccess: true,
    actions: ['capability_access_all', 'permission_manage_members', 'permission_manage_billing', 'permission_manage_settings'],
  },
  { id: BUILT_IN_ROLE_IDS.admin, displayName: 'Admin', ownerAccess: false, actions: ['capability_access_all', 'permission_manage_members'] },
  { id: BUILT_IN_ROLE_IDS.member, displayName: 'Member', ownerAccess: false, actions: ['chat'] },
];

export class RbacRoleStore {
  private ordered: RbacRoleRecord[] = [];
  private byId = new Map<string, RbacRoleRecord>();

  /** Replaces every role: the built-ins, then the seed's custom roles, then roles named only by legacy group seeds. */
  load(orgId: string, createdAt: string, custom: readonly SeedRbacRole[], legacyIds: readonly string[], newRoleId: () => string): void {
    this.ordered = [];
    this.byId.clear();
    const orgRow = (action: string): RbacPermission => ({ action, resource: { type: 'organization', organization_id: orgId } });
    for (const b of BUILT_INS) {
      this.add({ id: b.id, displayName: b.displayName, source: 'built_in', ownerAccess: b.ownerAccess, permissions: b.actions.map(orgRow), createdAt, updatedAt: createdAt });
    }
    for (const r of custom) {
      const permissions = (r.permissions ?? [{ action: 'chat', resource: { type: 'organization' } }]).map((p) => {
        const res = p.resource as RbacPermission['resource'] & { organization_id?: string };
        return res.type === 'organization' ? { action: p.action, resource: { type: 'organization' as const, organization_id: res.organization_id ?? orgId } } : { action: p.action, resource: res };
      });
      this.add({ id: r.id ?? newRoleId(), displayName: r.display_name, source: 'custom', ownerAccess: r.owner_access ?? false, permissions, createdAt, updatedAt: createdAt });
    }
    for (const id of legacyIds) {
      if (!this.byId.has(id)) {
        this.add({ id, displayName: id, source: 'custom', ownerAccess: false, permissions: [orgRow('chat')], createdAt, updatedAt: createdAt });
      }
    }
  }

  get(id: string): RbacRoleRecord | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  all(): readonly RbacRoleRecord[] {
    return this.ordered;
  }

  /** The roles for `GET /_emulator/state`, with their internal owner-access flag, which the API itself never shows. */
  snapshot(): Array<Record<string, unknown>> {
    return this.ordered.map((r) => ({
      id: r.id,
      display_name: r.displayName,
      source: r.source,
      owner_access: grantsOwnerAccess(r),
      permissions: r.permissions.length,
    }));
  }

  private add(role: RbacRoleRecord): void {
    this.ordered.push(role);
    this.byId.set(role.id, role);
  }
}

/** Whether a role attached to the group grants owner access (`grantsOwnerAccess`); unknown role ids do not. */
export function groupGrantsOwnerAccess(roles: RbacRoleStore, group: { roles: readonly string[] }): boolean {
  return group.roles.some((id) => {
    const role = roles.get(id);
    return role !== undefined && grantsOwnerAccess(role);
  });
}
