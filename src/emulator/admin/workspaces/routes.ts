// Workspaces (§7): create, list, get, update, archive. Console orgs only: on an Enterprise org every route is a 404
// `not_found_error` (§2.1 "no", §14.2 "Org type").

import type { WireOrgKind } from '../../../clients/wire.js';
import { badRequest, found } from '../../failure.js';
import { parsePageRequest } from '../../pagination.js';
import type { ApiRoute } from '../../router.js';
import type { EmulatorStore } from '../../store.js';
import {
  booleanParam,
  dataResidencyForCreate,
  dataResidencyForUpdate,
  displayColor,
  externalKeyId,
  tagsInput,
  workspaceName,
} from './input.js';
import { MAX_ACTIVE_WORKSPACES } from './seed.js';
import type { WorkspaceChanges, WorkspaceRecord } from './records.js';
import { arrayParam, objectBody } from '../../params.js';
import { renderIdPage } from '../../render.js';
import { renderWorkspace } from './render.js';

export const CONSOLE_ONLY: readonly WireOrgKind[] = ['console'];

const BODY_FIELDS = ['name', 'display_color', 'data_residency', 'external_key_id', 'tags', 'user_profile_id'] as const;

/** SDK 1.17 WorkspaceListParams `ids`: "at most 100". */
export const MAX_IDS_FILTER = 100;

/**
 * SDK 1.17 `user_profile_id`: a user profile's id (user profiles themselves are not emulated, so any non-empty
 * string names one). Create takes a string or null; update takes a string.
 */
function userProfileId(value: unknown, nullable: boolean): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) {
    if (nullable) return null;
    throw badRequest('user_profile_id: Input should be a valid string');
  }
  if (typeof value !== 'string' || value === '') throw badRequest('user_profile_id: Input should be a non-empty string');
  return value;
}

export function findWorkspace(store: EmulatorStore, id: string): WorkspaceRecord {
  return found(store.workspaces.workspace(id), 'workspace', id);
}

function assertNotArchived(ws: WorkspaceRecord, action: string): void {
  if (ws.archivedAt !== null) throw badRequest(`Cannot ${action} workspace ${ws.id}: it was archived at ${ws.archivedAt}`);
}

export const workspaceRoutes: ApiRoute[] = [
  {
    method: 'POST',
    template: '/v1/organizations/workspaces',
    kinds: CONSOLE_ONLY,
    handle: ({ store, body, version }) => {
      const input = objectBody(body, BODY_FIELDS);
      const name = workspaceName(input.name);
      const color = displayColor(input.display_color);
      const dataResidency = dataResidencyForCreate(input.data_residency);
      const tags = tagsInput(input.tags, false) as Record<string, string> | undefined;
      const ekey = externalKeyId(input.external_key_id);
      const profile = userProfileId(input.user_profile_id, true);
      // §7.1: at most 100 workspaces; archived ones (and, by the emulator's reading, the Default one) don't count.
      // The status is inferred (§7.3 "presumably fails with 400").
      if (store.workspaces.activeCount >= MAX_ACTIVE_WORKSPACES) {
        throw badRequest(
          `This organization already has ${MAX_ACTIVE_WORKSPACES} active workspaces, the maximum; archive one before creating another`,
        );
      }
      // Names are not documented as unique, so a duplicate name is accepted (the planner must cope with ambiguity).
      const ws = store.workspaces.addWorkspace({
        name,
        ...(color !== undefined && { displayColor: color }),
        ...(dataResidency && { dataResidency }),
        ...(tags && { tags }),
        ...(ekey !== undefined && { externalKeyId: ekey }),
        ...(profile !== undefined && { userProfileId: profile }),
      });
      return { body: renderWorkspace(ws, version) };
    },
  },
  {
    method: 'GET',
    template: '/v1/organizations/workspaces',
    kinds: CONSOLE_ONLY,
    handle: ({ store, query, version }) => {
      const page = parsePageRequest(query);
      // §7.4: archived excluded unless include_archived=true; the Default Workspace only with include_default=true
      // (newer SDK parameter, §15 item 4).
      const includeArchived = booleanParam(query, 'include_archived') ?? false;
      const includeDefault = booleanParam(query, 'include_default') ?? false;
      // SDK 1.17 `ids[]`: only these workspaces, at most 100; the other filters still apply, and ids the org does not
      // have are left out (not an error).
      const idList = arrayParam(query, 'ids');
      if (idList && idList.length > MAX_IDS_FILTER) {
        throw badRequest(`ids: at most ${MAX_IDS_FILTER} workspace ids, got ${idList.length}`);
      }
      const ids = idList && new Set(idList);
      const raw = store.workspaces.listWorkspaces({ page, includeArchived, includeDefault, ...(ids && { ids }) });
      return { body: renderIdPage(raw, (ws) => renderWorkspace(ws, version)) };
    },
  },
  {
    method: 'GET',
    template: '/v1/organizations/workspaces/{workspace_id}',
    kinds: CONSOLE_ONLY,
    // §7.5: the Default Workspace's id works here and reads `name: "Default"`; archived workspaces read too.
    handle: ({ store, params, version }) => ({ body: renderWorkspace(findWorkspace(store, params.workspace_id!), version) }),
  },
  {
    method: 'POST',
    template: '/v1/organizations/workspaces/{workspace_id}',
    kinds: CONSOLE_ONLY,
    handle: ({ store, params, body, version }) => {
      // An empty body changes nothing and returns the workspace (all fields are optional, §7.6).
      const input = objectBody(body ?? {}, BODY_FIELDS);
      const ws = findWorkspace(store, params.workspace_id!);
      // §7.1: archiving "deactivates the workspace"; the status of a later update is undocumented: 400.
      assertNotArchived(ws, 'update');
      const changes: WorkspaceChanges = {};
      if (input.name !== undefined && input.name !== null) {
        const name = workspaceName(input.name);
        // §7.1 "cannot be renamed"; status inferred (§7.6 "400 is likely"). Sending its own name is not a rename.
        if (ws.isDefault && name !== ws.name) throw badRequest('The Default Workspace cannot be renamed');
        changes.name = name;
      }
      const color = displayColor(input.display_color);
      if (color !== undefined) changes.displayColor = color;
      const dataResidency = dataResidencyForUpdate(ws.dataResidency, input.data_residency);
      if (dataResidency) changes.dataResidency = dataResidency;
      const tags = tagsInput(input.tags, true);
      if (tags) changes.tags = tags;
      const ekey = externalKeyId(input.external_key_id);
      // §7.6: write-once: "once attached it cannot be detached or replaced".
      if (ekey !== undefined && ekey !== ws.externalKeyId) {
        if (ws.externalKeyId !== null) {
          throw badRequest(`external_key_id: workspace ${ws.id} already uses ${ws.externalKeyId}; it cannot be detached or replaced`);
        }
        if (ekey !== null) changes.externalKeyId = ekey;
      }
      // SDK 1.17: write-once ("sending the same ID again changes nothing"); never on the Default Workspace.
      const profile = userProfileId(input.user_profile_id, false);
      if (profile != null && profile !== ws.userProfileId) {
        if (ws.isDefault) throw badRequest('user_profile_id: the Default Workspace cannot have a user profile');
        if (ws.userProfileId !== null) {
          throw badRequest(`user_profile_id: workspace ${ws.id} already has user profile ${ws.userProfileId}; it cannot be replaced`);
        }
        changes.userProfileId = profile;
      }
      return { body: renderWorkspace(store.workspaces.updateWorkspace(ws.id, changes), version) };
    },
  },
  {
    method: 'POST',
    template: '/v1/organizations/workspaces/{workspace_id}/archive',
    kinds: CONSOLE_ONLY,
    // §7.7: no body. A body, if any, is ignored (the SDK sends none).
    handle: ({ store, params, version }) => {
      const ws = findWorkspace(store, params.workspace_id!);
      if (ws.isDefault) throw badRequest('The Default Workspace cannot be archived');
      // Archiving is permanent (§7.1); archiving again is refused rather than repeated (status inferred).
      assertNotArchived(ws, 'archive');
      store.workspaces.archiveWorkspace(ws.id);
      // §7.1/§7.7: archiving deactivates all its API keys. They read `inactive` (§16 leaves inactive vs archived
      // open; `inactive` keeps the keys' own terminal states meaningful) and cannot be reactivated (api-keys/routes.ts).
      for (const key of store.apiKeys.keysIn(ws.id, 'active')) store.apiKeys.update(key.id, { status: 'inactive' });
      return { body: renderWorkspace(ws, version) };
    },
  },
];
