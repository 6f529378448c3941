// The `rbac_groups` section of a seed: direct RBAC groups of an Enterprise org (§11), with members named by the
// email of a seeded user. `scim` groups are not seeded here: they come from the directory sync (scim/sync.ts).
// Every problem is reported with its path, like the rest of the seed (emulator/seed.ts).

import type { WireOrgKind } from '../../../clients/wire.js';
import { emailKey } from '../../emails.js';
import { eachMapping, type Bad } from '../../seed-check.js';
import { BUILT_IN_ROLE_IDS } from '../roles/records.js';
import { ROLE_ID, type SeedRbacRole } from '../roles/seed.js';

export interface SeedRbacGroup {
  name: string;
  /** Default: a new random `rbac_group_01…` id. */
  id?: string;
  /** Only `direct` (the default): `scim` groups come from the directory sync. */
  source_type?: 'direct';
  /** Emails of seeded users (case-insensitive); they join the group in this order. */
  members?: string[];
  /**
   * `rbac_role_…` ids attached to the group (read-only through the API, §11.1; served as `roles` or, in 2026-10-21,
   * `role_ids`). The seed may spell it `role_ids` too. With a seed `rbac_roles` section every id must name a
   * built-in or seeded role; without one (the older seed format) an unknown id becomes a custom role of that name.
   * Default [].
   */
  roles?: string[];
  /** The same as `roles`, spelt as the 2026-10-21 API does; validation moves it to `roles`. */
  role_ids?: string[];
}

const GROUP_ID = /^rbac_group_[0-9A-Za-z]{3,64}$/;
const FIELDS = ['name', 'id', 'source_type', 'members', 'roles', 'role_ids'];

/**
 * Checks `rbac_groups`. `kind` is the seed's org kind (groups exist only in Enterprise orgs, §2.1); `userEmails`
 * holds the email key of every seeded user.
 */
export function validateRbacGroupsSeed(
  value: unknown,
  kind: WireOrgKind,
  userEmails: ReadonlySet<string>,
  bad: Bad,
  roles?: readonly SeedRbacRole[],
): SeedRbacGroup[] | undefined {
  const knownRoles = roles && new Set([...Object.values(BUILT_IN_ROLE_IDS), ...roles.flatMap((r) => (r.id ? [r.id] : []))]);
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    bad('rbac_groups', 'must be a list');
    return undefined;
  }
  if (kind !== 'enterprise' && value.length > 0) {
    bad('rbac_groups', 'RBAC groups exist only in enterprise organizations (§2.1); set organization.kind: enterprise');
  }
  const ids = new Set<string>();
  const out: SeedRbacGroup[] = [];
  eachMapping(value, 'rbac_groups', FIELDS, '{name, id?, source_type?, members?, roles?}', bad, (item, path) => {
    const group: SeedRbacGroup = { name: '' };
    const name = item.name;
    if (typeof name !== 'string' || name.length < 1 || name.length > 255) {
      bad(`${path}.name`, 'must be a string of 1 to 255 characters (§11.1)');
    } else group.name = name;
    if (item.id !== undefined && item.id !== null) {
      if (typeof item.id !== 'string' || !GROUP_ID.test(item.id)) bad(`${path}.id`, `'${String(item.id)}' is not an rbac_group_… id (§2.10)`);
      else if (ids.has(item.id)) bad(`${path}.id`, `duplicate id '${item.id}'`);
      else {
        ids.add(item.id);
        group.id = item.id;
      }
    }
    if (item.source_type !== undefined && item.source_type !== null) {
      if (item.source_type === 'scim') {
        bad(`${path}.source_type`, "scim groups come from the directory sync: declare them under scim.groups");
      } else if (item.source_type !== 'direct') bad(`${path}.source_type`, "must be 'direct'");
      else group.source_type = 'direct';
    }
    if (item.members !== undefined && item.members !== null) {
      if (!Array.isArray(item.members)) bad(`${path}.members`, 'must be a list of member emails');
      else {
        const seen = new Set<string>();
        const members: string[] = [];
        item.members.forEach((m, j) => {
          const mpath = `${path}.members[${j}]`;
          if (typeof m !== 'string' || m === '') return bad(mpath, 'must be the email of a seeded user');
          const key = emailKey(m);
          if (!userEmails.has(key)) return bad(mpath, `'${m}' is not a seeded user (list it under users)`);
          if (seen.has(key)) return bad(mpath, `'${m}' is listed twice`);
          seen.add(key);
          members.push(m);
        });
        group.members = members;
      }
    }
    const hasRoles = item.roles !== undefined && item.roles !== null;
    const hasRoleIds = item.role_ids !== undefined && item.role_ids !== null;
    if (hasRoles && hasRoleIds) bad(`${path}.role_ids`, 'give roles or role_ids, not both');
    const roleField = hasRoleIds ? 'role_ids' : 'roles';
    const roleList = item[roleField];
    if (roleList !== undefined && roleList !== null) {
      if (!Array.isArray(roleList) || roleList.some((r) => typeof r !== 'string' || !ROLE_ID.test(r))) {
        bad(`${path}.${roleField}`, 'must be a list of rbac_role_… ids');
      } else {
        roleList.forEach((r: string, j) => {
          if (knownRoles && !knownRoles.has(r)) bad(`${path}.${roleField}[${j}]`, `'${r}' is neither a built-in role nor one of rbac_roles (with an id)`);
        });
        group.roles = roleList as string[];
      }
    }
    out.push(group);
  });
  return out;
}
