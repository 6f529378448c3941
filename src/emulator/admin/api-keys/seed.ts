// The `api_keys` section of a seed: the Console org's API keys (§9), referring to seeded workspaces and users. Called
// from `validateSeed` (emulator/seed.ts) after the workspaces' seed, whose resolved references it uses, so every problem is
// reported at once with its path. The store resolves names and emails to ids when it loads.

import type { WireOrgKind } from '../../../clients/wire.js';
import { emailKey } from '../../emails.js';
import { looksLikeId } from '../../ids.js';
import { eachMapping, seedChecks, type Bad, type Obj } from '../../seed-check.js';
import type { ServiceAccountRefs } from '../service-accounts/seed.js';
import { charLength, consoleOnly, type SeedRefs } from '../workspaces/seed.js';
import { API_KEY_NAME_MAX, API_KEY_STATUSES } from './records.js';

export type SeedApiKeyStatus = 'active' | 'inactive' | 'archived' | 'expired';

export interface SeedApiKey {
  /** 1–500 characters (§9.4). */
  name: string;
  /** Email of a seeded user; or `created_by_user_id` (any user id, e.g. of a departed member, §5.5). Neither: `created_by: null` (legacy key, §9.1). */
  created_by?: string;
  created_by_user_id?: string;
  /** The workspace's name, or `workspace_id`; neither = the Default Workspace. */
  workspace?: string;
  workspace_id?: string;
  /** Default `active`. A key in an archived workspace cannot be `active` (§7.7). */
  status?: SeedApiKeyStatus;
  /**
   * SDK 1.17 `principal`: the key acts as this seeded user (`{type:"user_actor", user_id}`), or as a seeded service
   * account, by name (`principal_service_account`) or id (`principal_service_account_id`, `svac_…`):
   * `{type:"service_account_actor", service_account_id}`. None: no principal. An archived service account may be one.
   */
  principal_user?: string;
  principal_service_account?: string;
  principal_service_account_id?: string;
  /** SDK 1.17 `scope: {type:"organization"}`: a principal-bound key with no workspace. Needs a principal. */
  organization_scope?: boolean;
  /** Default: a new random `apikey_01…` id. */
  id?: string;
  /** Default: a random hint such as `sk-ant-api03-R2D...igAA` (§9.1). */
  partial_key_hint?: string;
  /** RFC 3339. Default: one second apart in seed order, ending at load time. */
  created_at?: string;
}

/** Checks `api_keys` (Console orgs only, §2.1); `refs` is what the workspaces' seed resolved (none in other kinds). */
export function validateApiKeysSeed(
  value: Obj,
  ctx: { kind: WireOrgKind; bad: Bad; refs: SeedRefs | undefined; serviceAccounts: ServiceAccountRefs },
): SeedApiKey[] | undefined {
  const { bad, refs } = ctx;
  if (consoleOnly(value, ['api_keys'], ctx.kind, bad) || !refs) return undefined;
  const { str, time, list } = seedChecks(bad, value);
  const { uniqueId, workspaceRef, userRef, usersByEmail } = refs;
  const keys: SeedApiKey[] = [];
  eachMapping(list('api_keys'), 'api_keys', [ 'name', 'created_by', 'created_by_user_id', 'workspace', 'workspace_id', 'status', 'id', 'partial_key_hint', 'created_at', 'principal_user', 'principal_service_account', 'principal_service_account_id', 'organization_scope', ], '{name, created_by?, workspace?, status?, id?, partial_key_hint?, created_at?}', bad, (item, path) => {
    const name = str(item, 'name', path, true);
    if (name !== undefined && charLength(name) > API_KEY_NAME_MAX) {
      bad(`${path}.name`, `longer than ${API_KEY_NAME_MAX} characters (§9.4)`);
    }
    const key: SeedApiKey = { name: name ?? '' };
    const creator = userRef(item, path, 'created_by', 'created_by_user_id', false);
    if (typeof creator === 'string') {
      if (looksLikeId('user', creator)) key.created_by_user_id = creator;
      else bad(`${path}.created_by_user_id`, `'${creator}' is not a user_… id (§2.10)`);
    } else if (creator) key.created_by = creator.email;
    const ws = workspaceRef(item, path, false);
    if (typeof item.workspace === 'string' && item.workspace !== '') key.workspace = item.workspace;
    if (typeof item.workspace_id === 'string' && item.workspace_id !== '') key.workspace_id = item.workspace_id;
    const status = str(item, 'status', path, false);
    if (status !== undefined) {
      if ((API_KEY_STATUSES as readonly string[]).includes(status)) key.status = status as SeedApiKeyStatus;
      else bad(`${path}.status`, `'${status}' must be active, inactive, archived or expired (§9.1)`);
    }
    if (ws && ws !== 'default' && ws.archived && (key.status ?? 'active') === 'active') {
      bad(`${path}.status`, 'a key in an archived workspace cannot be active: archiving deactivates its keys (§7.7)');
    }
    const id = uniqueId(item, path, 'apikey');
    if (id !== undefined) key.id = id;
    const hint = str(item, 'partial_key_hint', path, false);
    if (hint !== undefined) key.partial_key_hint = hint;
    const created = time(item, 'created_at', path);
    if (created !== undefined) key.created_at = created;
    const principalUser = str(item, 'principal_user', path, false);
    const principalSaName = str(item, 'principal_service_account', path, false);
    const principalSaId = str(item, 'principal_service_account_id', path, false);
    const principals = [principalUser, principalSaName, principalSaId].filter((p) => p !== undefined).length;
    const principalSa = principalSaName ?? principalSaId;
    if (principals > 1) {
      bad(path, 'give one of principal_user, principal_service_account, principal_service_account_id');
    } else if (principalUser !== undefined) {
      if (!usersByEmail.has(emailKey(principalUser))) bad(`${path}.principal_user`, `'${principalUser}' is not a seeded user`);
      else key.principal_user = principalUser;
    } else if (principalSaName !== undefined) {
      if (!ctx.serviceAccounts.names.has(principalSaName)) {
        bad(`${path}.principal_service_account`, `'${principalSaName}' is not a seeded service account (list it under service_accounts)`);
      } else key.principal_service_account = principalSaName;
    } else if (principalSaId !== undefined) {
      // SDK 1.17: service account ids are `svac_…`; a principal is a service account of this organization.
      if (!looksLikeId('svac', principalSaId)) bad(`${path}.principal_service_account_id`, `'${principalSaId}' is not a svac_… id`);
      else if (!ctx.serviceAccounts.ids.has(principalSaId)) {
        bad(`${path}.principal_service_account_id`, `no seeded service account has id '${principalSaId}'`);
      } else key.principal_service_account_id = principalSaId;
    }
    if (item.organization_scope !== undefined && item.organization_scope !== null) {
      if (typeof item.organization_scope !== 'boolean') bad(`${path}.organization_scope`, 'must be a boolean');
      else if (item.organization_scope) {
        if (principalUser === undefined && principalSa === undefined) {
          bad(`${path}.organization_scope`, 'only a principal-bound key (principal_user or a principal service account) can have the organization scope');
        }
        if (item.workspace !== undefined || item.workspace_id !== undefined) bad(`${path}.organization_scope`, 'an organization-scoped key has no workspace');
        key.organization_scope = true;
      }
    }
    keys.push(key);
  });
  return value.api_keys !== undefined && value.api_keys !== null ? keys : undefined;
}
