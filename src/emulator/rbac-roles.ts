// RBAC roles of an Enterprise organization (read-only through the Admin API: list, get, permissions list; the older
// reference's §11.3, and the SDK 1.17.0 `organization.rbacRoles`). Roles are what a group's `role_ids` grant.
//
// Every Enterprise org has the BUILT-IN roles below (fixed ids, `source: built_in`); a seed adds CUSTOM roles under
// `rbac_roles` (roles-seed in this file). A role the legacy seed format names only from a group's `roles` list
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

import type { Bad, Obj } from './seed-check.js';
import { isObj } from './seed-check.js';

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
  /** Internal: members of a group with this role hold owner access (see the header). */
  ownerAccess: boolean;
  /** Rows whose organization resource is the org itself carry `organization_id: null` until loaded. */
  permissions: RbacPermission[];
  createdAt: string;
  updatedAt: string;
}

/** The single definition of "this role grants owner access" (see the header comment). */
export function grantsOwnerAccess(role: Pick<RbacRoleRecord, 'ownerAccess'>): boolean {
  return role.ownerAccess;
}

export const BUILT_IN_ROLE_IDS = {
  owner: 'rbac_role_01BuiltInOwner',
  admin: 'rbac_role_01BuiltInAdmin',
  member: 'rbac_role_01BuiltInMember',
} as const;

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

// ---- the seed's `rbac_roles` ----

export interface SeedRbacRole {
  display_name: string;
  /** Default: a new random `rbac_role_01…` id. */
  id?: string;
  /** Default `custom`; the built-in roles are always there and are not declared again. */
  source?: 'custom';
  /** Internal flag: a group with this role grants owner access (see rbac-roles.ts). Default false. */
  owner_access?: boolean;
  /** Permission rows as the API serves them, without `type`. Default: one `chat` row on the organization. */
  permissions?: Array<{ action: string; resource: Record<string, unknown> }>;
}

export const ROLE_ID = /^rbac_role_[0-9A-Za-z]{3,64}$/;
const ROLE_FIELDS = ['display_name', 'id', 'source', 'owner_access', 'permissions'];
const RESOURCE_FIELDS: Record<string, string[]> = {
  organization: [],
  connector_tool: ['connector_id', 'tool_name'],
  connector_scope: ['connector_id', 'scope'],
  connector: ['connector_id'],
  all_connectors: [],
};

/** Checks `rbac_roles` (Enterprise orgs only); returns the custom roles, or undefined when absent. */
export function validateRbacRolesSeed(value: unknown, kind: string, bad: Bad): SeedRbacRole[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    bad('rbac_roles', 'must be a list');
    return undefined;
  }
  if (kind !== 'enterprise' && value.length > 0) bad('rbac_roles', 'RBAC roles exist only in enterprise organizations');
  const ids = new Set<string>(Object.values(BUILT_IN_ROLE_IDS));
  const out: SeedRbacRole[] = [];
  value.forEach((item, i) => {
    const path = `rbac_roles[${i}]`;
    if (!isObj(item)) return bad(path, 'must be a mapping {display_name, id?, source?, owner_access?, permissions?}');
    for (const k of Object.keys(item)) if (!ROLE_FIELDS.includes(k)) bad(`${path}.${k}`, `unknown field (allowed: ${ROLE_FIELDS.join(', ')})`);
    const role: SeedRbacRole = { display_name: '' };
    if (typeof item.display_name !== 'string' || item.display_name === '') bad(`${path}.display_name`, 'must be a non-empty string');
    else role.display_name = item.display_name;
    if (item.id !== undefined && item.id !== null) {
      if (typeof item.id !== 'string' || !ROLE_ID.test(item.id)) bad(`${path}.id`, `'${String(item.id)}' is not an rbac_role_… id`);
      else if (ids.has(item.id)) bad(`${path}.id`, `duplicate id '${item.id}' (built-in ids are taken)`);
      else {
        ids.add(item.id);
        role.id = item.id;
      }
    }
    if (item.source !== undefined && item.source !== null) {
      if (item.source !== 'custom') bad(`${path}.source`, "must be 'custom' (the built-in roles are always present)");
      else role.source = 'custom';
    }
    if (item.owner_access !== undefined && item.owner_access !== null) {
      if (typeof item.owner_access !== 'boolean') bad(`${path}.owner_access`, 'must be a boolean');
      else role.owner_access = item.owner_access;
    }
    if (item.permissions !== undefined && item.permissions !== null) {
      if (!Array.isArray(item.permissions)) bad(`${path}.permissions`, 'must be a list');
      else {
        role.permissions = [];
        item.permissions.forEach((p, j) => {
          const ppath = `${path}.permissions[${j}]`;
          if (!isObj(p)) return bad(ppath, 'must be a mapping {action, resource}');
          for (const k of Object.keys(p)) if (k !== 'action' && k !== 'resource') bad(`${ppath}.${k}`, 'unknown field (allowed: action, resource)');
          if (typeof p.action !== 'string' || p.action === '') return bad(`${ppath}.action`, 'must be a non-empty string');
          const r = p.resource;
          if (!isObj(r) || typeof r.type !== 'string' || !(r.type in RESOURCE_FIELDS)) {
            return bad(`${ppath}.resource`, `must be a mapping whose type is one of ${Object.keys(RESOURCE_FIELDS).join(', ')}`);
          }
          const fields = RESOURCE_FIELDS[r.type]!;
          for (const k of Object.keys(r)) {
            if (k !== 'type' && !fields.includes(k) && !(r.type === 'organization' && k === 'organization_id')) {
              bad(`${ppath}.resource.${k}`, `unknown field for a ${r.type} resource`);
            }
          }
          for (const f of fields) if (typeof r[f] !== 'string' || r[f] === '') bad(`${ppath}.resource.${f}`, 'must be a non-empty string');
          role.permissions!.push({ action: p.action, resource: r as Obj });
        });
      }
    }
    out.push(role);
  });
  return out;
}

// ---- the store ----

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
