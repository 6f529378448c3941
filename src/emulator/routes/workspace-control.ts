// Control endpoints for what a person does in the Console and the API cannot: give any org role (admin, owner…)
// and create an API key (§9 "keys can only be created through the Claude Console"). Implicit workspace memberships
// follow from the new role by themselves (workspace-roles.ts).

import type { WireUser } from '../../clients/wire.js';
import type { ApiKeyStatus } from '../api-key-store.js';
import { emailKey } from '../emails.js';
import { badRequest, notFound } from '../failure.js';
import { canHold } from '../roles.js';
import type { RouteResult } from '../router.js';
import type { EmulatorStore, UserRecord } from '../store.js';
import { API_KEY_NAME_MAX, charLength } from '../workspace-seed.js';
import type { ControlContext, ControlRoute } from './control.js';
import { objectBody, requiredString } from './params.js';

function setRole(store: EmulatorStore, user: UserRecord, role: string): WireUser {
  const kind = store.organization.kind;
  if (!canHold(kind, role)) throw badRequest(`role: '${role}' is not a role of a ${kind} organization (§3.1)`);
  return store.userToWire(store.setUserRole(user.id, role));
}

function optionalString(input: Record<string, unknown>, field: string): string | undefined {
  return input[field] === undefined || input[field] === null ? undefined : requiredString(input, field);
}

/** `POST /_emulator/api_keys`: a key as a Console user would create it. */
function createApiKey({ store, body }: ControlContext): RouteResult {
  if (store.organization.kind !== 'console') throw badRequest('API keys exist only in console organizations (§2.1)');
  const input = objectBody(body, ['name', 'created_by', 'created_by_user_id', 'workspace_id', 'status', 'partial_key_hint']);
  const name = requiredString(input, 'name');
  if (charLength(name) < 1 || charLength(name) > API_KEY_NAME_MAX) throw badRequest(`name: must have 1 to ${API_KEY_NAME_MAX} characters`);
  const email = optionalString(input, 'created_by');
  const creatorId = optionalString(input, 'created_by_user_id');
  let createdBy: string | null = null;
  if (email !== undefined) {
    const user = store.userByEmail(email);
    if (!user) throw notFound(`No member ${emailKey(email)}`);
    createdBy = user.id;
  } else if (creatorId !== undefined) {
    if (!store.user(creatorId)) throw notFound(`No user with id '${creatorId}'`);
    createdBy = creatorId;
  }
  const workspaceId = optionalString(input, 'workspace_id') ?? store.workspaces.defaultWorkspace.id;
  const ws = store.workspaces.workspace(workspaceId);
  if (!ws) throw notFound(`No workspace with id '${workspaceId}'`);
  const status = (optionalString(input, 'status') ?? (ws.archivedAt === null ? 'active' : 'inactive')) as ApiKeyStatus;
  if (!['active', 'inactive', 'archived', 'expired'].includes(status)) {
    throw badRequest('status: must be active, inactive, archived or expired');
  }
  if (ws.archivedAt !== null && status === 'active') throw badRequest(`Workspace ${ws.id} is archived: its keys cannot be active`);
  const hint = optionalString(input, 'partial_key_hint');
  const key = store.apiKeys.addApiKey({ name, createdBy, workspaceId, status, ...(hint !== undefined && { partialKeyHint: hint }) });
  return { body: store.apiKeys.toWire(key) };
}

export const workspaceControlRoutes: ControlRoute[] = [
  {
    method: 'POST',
    template: '/_emulator/users/{user_id}/role',
    handle: ({ store, params, body }) => {
      const role = requiredString(objectBody(body, ['role']), 'role');
      const user = store.user(params.user_id!);
      if (!user) throw notFound(`No user with id '${params.user_id}'`);
      return { body: setRole(store, user, role) };
    },
  },
  {
    method: 'POST',
    template: '/_emulator/users/role',
    handle: ({ store, body }) => {
      const input = objectBody(body, ['email', 'role']);
      const email = requiredString(input, 'email');
      const role = requiredString(input, 'role');
      const user = store.userByEmail(email);
      if (!user) throw notFound(`No member ${emailKey(email)}`);
      return { body: setRole(store, user, role) };
    },
  },
  { method: 'POST', template: '/_emulator/api_keys', handle: createApiKey },
];
