// The `service_accounts` section of a seed: a Console org's service accounts (`svac_…`) and their explicit workspace
// memberships (reference §2.1: service accounts are a Console-only resource, like workspaces). Called from
// `validateSeed` (emulator/seed.ts) after the workspaces' seed, whose references it resolves; it hands the names and
// ids it saw to the API keys' seed, whose `principal` may name a service account.

import type { WireOrgKind } from '../../../clients/wire.js';
import { looksLikeId } from '../../ids.js';
import { eachMapping, seedChecks, type Bad, type Obj } from '../../seed-check.js';
import { isAssignableWorkspaceRole } from '../workspaces/roles.js';
import { consoleOnly, type SeedRefs } from '../workspaces/seed.js';
import { SERVICE_ACCOUNT_NAME, SERVICE_ACCOUNT_ROLES, type ServiceAccountRole } from './records.js';

export interface SeedServiceAccountMembership {
  /** A seeded workspace's name, or `workspace_id` (which may be the Default Workspace's `default_workspace_id`). */
  workspace?: string;
  workspace_id?: string;
  /** One of the four assignable workspace roles (SDK NoBillingWorkspaceRole). */
  role: string;
}

export interface SeedServiceAccount {
  /** Slug: lowercase letters, digits and hyphens; unique in the organization. */
  name: string;
  /** Default: a new random `svac_01…` id. */
  id?: string;
  description?: string;
  /** SDK `organization_role`; default `developer`. */
  role?: ServiceAccountRole;
  /** Explicit memberships. Every service account is also an implicit `workspace_user` of the Default Workspace. */
  workspaces?: SeedServiceAccountMembership[];
  /** Archived service accounts are listed only with `include_archived=true`. */
  archived?: boolean;
  /** RFC 3339; implies `archived: true`. Default for an archived one: load time. */
  archived_at?: string;
  /** RFC 3339. Default: one second apart in seed order, the last listed created at load time (newest). */
  created_at?: string;
  /** Live federation rules that target it (the emulator serves no rules; see records.ts). Default 0. */
  federation_rules?: number;
}

/** What the API keys' seed may refer to: service accounts by name and by explicit id. */
export interface ServiceAccountRefs {
  names: ReadonlySet<string>;
  ids: ReadonlySet<string>;
}

/** Checks `service_accounts` (Console orgs only); `refs` is what the workspaces' seed resolved (none in other kinds). */
export function validateServiceAccountsSeed(
  value: Obj,
  ctx: { kind: WireOrgKind; bad: Bad; refs: SeedRefs | undefined },
): { accounts: SeedServiceAccount[] | undefined; refs: ServiceAccountRefs } {
  const { bad, refs } = ctx;
  const names = new Set<string>();
  const ids = new Set<string>();
  if (consoleOnly(value, ['service_accounts'], ctx.kind, bad) || !refs) return { accounts: undefined, refs: { names, ids } };
  const { str, list, lifecycle } = seedChecks(bad, value);
  const accounts: SeedServiceAccount[] = [];
  const fields = ['name', 'id', 'description', 'role', 'workspaces', 'archived', 'archived_at', 'created_at', 'federation_rules'];
  eachMapping(list('service_accounts'), 'service_accounts', fields, '{name, id?, description?, role?, workspaces?, archived?, created_at?, federation_rules?}', bad, (item, path) => {
    const name = str(item, 'name', path, true);
    if (name !== undefined) {
      if (!SERVICE_ACCOUNT_NAME.test(name)) bad(`${path}.name`, `'${name}' is not a slug (lowercase letters, digits, hyphens; 1–64)`);
      else if (names.has(name)) bad(`${path}.name`, `duplicate service account name '${name}'`);
      names.add(name);
    }
    const account: SeedServiceAccount = { name: name ?? '' };
    const id = str(item, 'id', path, false);
    if (id !== undefined) {
      if (!looksLikeId('svac', id)) bad(`${path}.id`, `'${id}' is not a svac_… id`);
      else if (ids.has(id)) bad(`${path}.id`, `duplicate id '${id}'`);
      ids.add(id);
      account.id = id;
    }
    if (item.description !== undefined && item.description !== null) {
      if (typeof item.description !== 'string') bad(`${path}.description`, 'must be a string');
      else account.description = item.description;
    }
    const role = str(item, 'role', path, false);
    if (role !== undefined) {
      if ((SERVICE_ACCOUNT_ROLES as readonly string[]).includes(role)) account.role = role as ServiceAccountRole;
      else bad(`${path}.role`, `'${role}' must be developer or admin`);
    }
    lifecycle(item, path, account);
    if (item.federation_rules !== undefined) {
      const n = item.federation_rules;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) bad(`${path}.federation_rules`, 'must be a whole number ≥ 0');
      else account.federation_rules = n;
    }

    if (item.workspaces !== undefined && item.workspaces !== null) {
      if (!Array.isArray(item.workspaces)) bad(`${path}.workspaces`, 'must be a list of {workspace | workspace_id, role}');
      else {
        const memberships: SeedServiceAccountMembership[] = [];
        const seen = new Set<unknown>();
        eachMapping(item.workspaces, `${path}.workspaces`, ['workspace', 'workspace_id', 'role'], '{workspace | workspace_id, role}', bad, (m, mpath) => {
          // The Default Workspace is allowed here (unlike users' memberships): an explicit row gives it another role.
          const ws = refs.workspaceRef(m, mpath, true);
          const wsRole = str(m, 'role', mpath, true);
          if (wsRole !== undefined && !isAssignableWorkspaceRole(wsRole)) {
            bad(`${mpath}.role`, `'${wsRole}' must be workspace_admin, workspace_developer, workspace_restricted_developer or workspace_user`);
          }
          if (ws !== undefined) {
            if (seen.has(ws)) bad(mpath, 'the same workspace twice');
            seen.add(ws);
          }
          const membership: SeedServiceAccountMembership = { role: wsRole ?? '' };
          if (typeof m.workspace === 'string' && m.workspace !== '') membership.workspace = m.workspace;
          if (typeof m.workspace_id === 'string' && m.workspace_id !== '') membership.workspace_id = m.workspace_id;
          memberships.push(membership);
        });
        account.workspaces = memberships;
      }
    }
    accounts.push(account);
  });
  return { accounts: value.service_accounts !== undefined && value.service_accounts !== null ? accounts : undefined, refs: { names, ids } };
}
