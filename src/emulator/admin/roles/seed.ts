// The `rbac_roles` section of a seed: custom RBAC roles of an Enterprise org beside the built-in ones (store.ts).
// Called from `validateSeed` (emulator/seed.ts), which reports every problem at once with its path.

import { eachMapping, isObj, type Bad, type Obj } from '../../seed-check.js';
import { BUILT_IN_ROLE_IDS } from './records.js';

export interface SeedRbacRole {
  display_name: string;
  /** Default: a new random `rbac_role_01…` id. */
  id?: string;
  /** Default `custom`; the built-in roles are always there and are not declared again. */
  source?: 'custom';
  /** Internal flag: a group with this role grants owner access (see store.ts). Default false. */
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
  eachMapping(value, 'rbac_roles', ROLE_FIELDS, '{display_name, id?, source?, owner_access?, permissions?}', bad, (item, path) => {
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
