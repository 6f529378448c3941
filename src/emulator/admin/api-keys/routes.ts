// API keys (§9): list, get, update. There is no create endpoint ("New API keys can only be created through the
// Claude Console", §9); tests create keys through the seed or `POST /_emulator/api_keys`. Console orgs only.

import { badRequest, found } from '../../failure.js';
import { looksLikeId } from '../../ids.js';
import { parsePageRequest } from '../../pagination.js';
import type { ApiRoute } from '../../router.js';
import type { EmulatorStore } from '../../store.js';
import { objectBody } from '../../params.js';
import { renderIdPage } from '../../render.js';
import { CONSOLE_ONLY } from '../workspaces/routes.js';
import { charLength } from '../workspaces/seed.js';
import { API_KEY_NAME_MAX, API_KEY_STATUSES, type ApiKeyRecord, type ApiKeyStatus } from './records.js';
import { renderApiKey } from './render.js';

function findKey(store: EmulatorStore, id: string): ApiKeyRecord {
  return found(store.apiKeys.apiKey(id), 'API key', id);
}

/** §9.2 filters. A value that names nothing the API knows is a 400 (the emulator's choice; §16 q1). */
function listFilters(store: EmulatorStore, query: URLSearchParams): { status?: ApiKeyStatus; workspaceId?: string; createdBy?: string } {
  const out: { status?: ApiKeyStatus; workspaceId?: string; createdBy?: string } = {};
  const status = query.get('status');
  if (status !== null) {
    if (!(API_KEY_STATUSES as readonly string[]).includes(status)) {
      throw badRequest(`status: Input should be 'active', 'inactive', 'archived' or 'expired'`);
    }
    out.status = status as ApiKeyStatus;
  }
  const workspaceId = query.get('workspace_id');
  if (workspaceId !== null) {
    // Any workspace of the org, archived or Default (whose keys read `workspace_id: null` but carry its real id in
    // `scope`, §9.1).
    if (!store.workspaces.workspace(workspaceId)) throw badRequest(`workspace_id: no workspace with id '${workspaceId}'`);
    out.workspaceId = workspaceId;
  }
  const creator = query.get('created_by_user_id');
  if (creator !== null) {
    // A departed member's id stays valid while their keys exist (§5.5 "API keys persist").
    if (!looksLikeId('user', creator) || (!store.user(creator) && !store.apiKeys.hasCreator(creator))) {
      throw badRequest(`created_by_user_id: no user with id '${creator}'`);
    }
    out.createdBy = creator;
  }
  return out;
}

/**
 * §9.4: `status` may be set to active, inactive or archived; `expired` cannot be set. `inactive` is reversible;
 * `archived` and `expired` are terminal (§9.4: reactivating → 400, presumed). The emulator also allows archiving an
 * expired key (archiving is not reactivation; the reference is silent) and keeps an unchanged status a no-op.
 * A key of an archived workspace stays deactivated (§7.7): setting it `active` is a 400.
 */
function checkTransition(store: EmulatorStore, key: ApiKeyRecord, to: ApiKeyStatus): void {
  const from = key.status;
  if (to === from) return;
  if (from === 'archived') throw badRequest(`API key ${key.id} is archived; archiving cannot be undone`);
  if (from === 'expired' && to !== 'archived') throw badRequest(`API key ${key.id} has expired and cannot be reactivated`);
  if (to === 'active') {
    const ws = key.workspaceId !== null ? store.workspaces.workspace(key.workspaceId) : undefined;
    if (ws && ws.archivedAt !== null) {
      throw badRequest(`API key ${key.id} belongs to the archived workspace ${ws.id} and cannot be reactivated`);
    }
  }
}

export const apiKeyRoutes: ApiRoute[] = [
  {
    method: 'GET',
    template: '/v1/organizations/api_keys',
    kinds: CONSOLE_ONLY,
    handle: ({ store, query, version }) => {
      const page = parsePageRequest(query);
      const defaultId = store.workspaces.defaultWorkspace.id;
      return { body: renderIdPage(store.apiKeys.list({ page, ...listFilters(store, query) }), (k) => renderApiKey(k, defaultId, version)) };
    },
  },
  {
    method: 'GET',
    template: '/v1/organizations/api_keys/{api_key_id}',
    kinds: CONSOLE_ONLY,
    handle: ({ store, params, version }) => ({
      body: renderApiKey(findKey(store, params.api_key_id!), store.workspaces.defaultWorkspace.id, version),
    }),
  },
  {
    method: 'POST',
    template: '/v1/organizations/api_keys/{api_key_id}',
    kinds: CONSOLE_ONLY,
    handle: ({ store, params, body, version }) => {
      // Both fields optional and nullable (§9.4): null or absent = unchanged.
      const input = objectBody(body ?? {}, ['name', 'status']);
      const changes: { name?: string; status?: ApiKeyStatus } = {};
      if (input.name !== undefined && input.name !== null) {
        if (typeof input.name !== 'string') throw badRequest('name: Input should be a valid string');
        const n = charLength(input.name);
        if (n < 1) throw badRequest('name: String should have at least 1 character');
        if (n > API_KEY_NAME_MAX) throw badRequest(`name: String should have at most ${API_KEY_NAME_MAX} characters`);
        changes.name = input.name;
      }
      if (input.status !== undefined && input.status !== null) {
        if (input.status === 'expired') throw badRequest("status: 'expired' cannot be set; a key expires on its own");
        if (input.status !== 'active' && input.status !== 'inactive' && input.status !== 'archived') {
          throw badRequest("status: Input should be 'active', 'inactive' or 'archived'");
        }
        changes.status = input.status;
      }
      const key = findKey(store, params.api_key_id!);
      if (changes.status !== undefined) checkTransition(store, key, changes.status);
      return { body: renderApiKey(store.apiKeys.update(key.id, changes), store.workspaces.defaultWorkspace.id, version) };
    },
  },
];
