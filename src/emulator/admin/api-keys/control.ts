// Control endpoint for what a person does in the Console and the API cannot: create an API key (§9 "keys can only
// be created through the Claude Console").

import { emailKey } from '../../emails.js';
import { badRequest, notFound } from '../../failure.js';
import { objectBody, requiredString } from '../../params.js';
import type { ControlContext, ControlRoute, RouteResult } from '../../router.js';
import { charLength } from '../workspaces/seed.js';
import { API_KEY_NAME_MAX, type ApiKeyStatus } from './records.js';

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

export const apiKeyControlRoutes: ControlRoute[] = [
  { method: 'POST', template: '/_emulator/api_keys', handle: createApiKey },
];
