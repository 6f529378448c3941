// Service accounts (`svac_…`) and their workspace memberships, as SDK 1.17 declares them:
//   resources/organization/service-accounts/service-accounts.d.ts  create, retrieve, update, list, archive
//   resources/organization/service-accounts/workspaces.d.ts        list, add, remove (from the account's side)
//   resources/organization/workspaces/service-accounts.d.ts        retrieve, update, list, add, remove (workspace side)
// Console orgs only (reference §2.1; an Enterprise org gets 404 like the other Console resources). Every route takes
// only an OAuth token with `org:admin` (`oauthOnly`, checked in the pipeline: an admin key gets 403). Lists are token
// pages (`{data, next_page}`, SDK PageCursor).
//
// Where the SDK gives no status, the emulator's choice is written beside the check. Federation rules are not
// emulated, so archiving is never refused for a live rule that targets the account.

import { ApiFailure, badRequest, found, notFound } from '../../failure.js';
import { parseTokenPageRequest } from '../../page-token.js';
import { objectBody, requiredString } from '../../params.js';
import { renderTokenPage } from '../../render.js';
import type { ApiContext, ApiRoute } from '../../router.js';
import type { AdminKeyInfo, EmulatorStore } from '../../store.js';
import { booleanParam } from '../workspaces/input.js';
import { isAssignableWorkspaceRole } from '../workspaces/roles.js';
import type { WorkspaceRecord } from '../workspaces/records.js';
import { CONSOLE_ONLY, findWorkspace } from '../workspaces/routes.js';
import { SERVICE_ACCOUNT_NAME, SERVICE_ACCOUNT_ROLES, type ServiceAccountRecord, type ServiceAccountRole } from './records.js';
import { renderServiceAccount, renderServiceAccountMember, renderServiceAccountMemberDeleted } from './render.js';

const BASE = '/v1/organizations/service_accounts';
const ON_WORKSPACE = '/v1/organizations/workspaces/{workspace_id}/service_accounts';

function findAccount(store: EmulatorStore, id: string): ServiceAccountRecord {
  return found(store.serviceAccounts.get(id), 'service account', id);
}

/** SDK: "Archived service accounts cannot be updated; this returns 400" (and "cannot be added … are rejected"). */
function activeAccount(store: EmulatorStore, id: string, action: string): ServiceAccountRecord {
  const account = findAccount(store, id);
  if (account.archivedAt !== null) throw badRequest(`Cannot ${action} service account ${account.id}: it is archived`);
  return account;
}

/** SDK: "Archived workspaces return 400" on every membership endpoint. */
function openWorkspace(store: EmulatorStore, id: string): WorkspaceRecord {
  const ws = findWorkspace(store, id);
  if (ws.archivedAt !== null) throw badRequest(`Workspace ${ws.id} is archived; its service accounts can no longer be read or changed here`);
  return ws;
}

function roleInput(value: unknown, field: string, nullable: boolean): ServiceAccountRole | undefined {
  if (value === undefined || (nullable && value === null)) return undefined;
  if (typeof value !== 'string' || !(SERVICE_ACCOUNT_ROLES as readonly string[]).includes(value)) {
    throw badRequest(`${field}: Input should be 'admin' or 'developer'`);
  }
  return value as ServiceAccountRole;
}

/**
 * SDK: creating an `admin`-role service account, or setting `organization_role` to `admin` "(even when unchanged)",
 * "requires an interactive credential (a user OAuth token or a Console session)". The SDK gives no status or code:
 * the emulator answers 403 `permission_error`. An interactive token is one the seed marks `interactive: true`.
 */
function assertInteractive(key: AdminKeyInfo, what: string): void {
  if (!key.oauth?.interactive) {
    throw new ApiFailure(
      403,
      `${what} requires an interactive credential (a user OAuth token from 'ant auth login' or a Console session); ` +
        'a workload identity may only create developer-role service accounts',
    );
  }
}

/** SDK NoBillingWorkspaceRole: "Service accounts cannot hold the `workspace_billing` role". */
function workspaceRoleInput(input: Record<string, unknown>): string {
  const role = requiredString(input, 'workspace_role');
  if (role === 'workspace_billing') throw badRequest('workspace_role: service accounts cannot hold the workspace_billing role');
  if (!isAssignableWorkspaceRole(role)) {
    throw badRequest(
      "workspace_role: Input should be 'workspace_admin', 'workspace_developer', 'workspace_restricted_developer' or 'workspace_user'",
    );
  }
  return role;
}

/** Add, from either side: a new explicit membership, or the role of the existing one replaced (SDK). */
function addMembership(ctx: ApiContext, serviceAccountId: string, workspaceId: string, role: string): { body: unknown } {
  const { store, key } = ctx;
  const ws = openWorkspace(store, workspaceId);
  const account = activeAccount(store, serviceAccountId, 'add to a workspace');
  const record = store.serviceAccounts.setMembership(account.id, ws.id, role, store.actorOf(key));
  return { body: renderServiceAccountMember(account.id, ws.id, record) };
}

/**
 * Remove, from either side. SDK: idempotent (200 when there is nothing to remove); on the implicit Default Workspace
 * membership a no-op; removing an explicit Default Workspace row brings the implicit one back. An unknown service
 * account is a 404 (the SDK is silent; nothing can be removed from an account that does not exist); an archived one
 * may lose its memberships (the SDK refuses archived accounts only on add and update).
 */
function removeMembership(store: EmulatorStore, serviceAccountId: string, workspaceId: string): { body: unknown } {
  const ws = openWorkspace(store, workspaceId);
  const account = findAccount(store, serviceAccountId);
  store.serviceAccounts.removeMembership(account.id, ws.id);
  return { body: renderServiceAccountMemberDeleted(account.id, ws.id) };
}

const common = { kinds: CONSOLE_ONLY, oauthOnly: true } as const;

export const serviceAccountRoutes: ApiRoute[] = [
  {
    method: 'POST',
    template: BASE,
    ...common,
    handle: ({ store, body, key }) => {
      const input = objectBody(body, ['name', 'description', 'organization_role']);
      const name = requiredString(input, 'name');
      if (!SERVICE_ACCOUNT_NAME.test(name)) {
        throw badRequest(`name: '${name}' is not a slug: lowercase letters, digits and hyphens, 1 to 64 characters`);
      }
      if (input.description !== undefined && input.description !== null && typeof input.description !== 'string') {
        throw badRequest('description: Input should be a valid string');
      }
      const role = roleInput(input.organization_role, 'organization_role', false) ?? 'developer';
      if (role === 'admin') assertInteractive(key, 'Creating an admin-role service account');
      // SDK ServiceAccountCreateParams.name: "Unique within the organization; a duplicate name returns 409". Archived
      // accounts keep their names (the SDK is silent; names of archived accounts stay taken).
      if (store.serviceAccounts.byName(name)) {
        throw new ApiFailure(409, `A service account named '${name}' already exists in this organization`);
      }
      const account = store.serviceAccounts.create(
        { name, description: (input.description as string | null | undefined) ?? null, role },
        store.actorOf(key),
      );
      return { body: renderServiceAccount(account) };
    },
  },
  {
    method: 'GET',
    template: BASE,
    ...common,
    handle: ({ store, query, version }) => {
      const req = parseTokenPageRequest(query, 'service_accounts');
      const includeArchived = booleanParam(query, 'include_archived') ?? false;
      const raw = store.serviceAccounts.page(req.limit, req.afterSeq, includeArchived);
      return { body: renderTokenPage(raw.items.map(renderServiceAccount), 'service_accounts', raw, version) };
    },
  },
  {
    method: 'GET',
    template: `${BASE}/{service_account_id}`,
    ...common,
    handle: ({ store, params }) => ({ body: renderServiceAccount(findAccount(store, params.service_account_id!)) }),
  },
  {
    method: 'POST',
    template: `${BASE}/{service_account_id}`,
    ...common,
    handle: ({ store, params, body, key }) => {
      const input = objectBody(body, ['description', 'organization_role', 'name']);
      // SDK: "Only `description` and `organization_role` are mutable; `name` cannot be changed" (the status is not
      // given: 400, like any other refused field).
      if (input.name !== undefined) throw badRequest('name: a service account cannot be renamed');
      const account = activeAccount(store, params.service_account_id!, 'update');
      if (input.description !== undefined && input.description !== null && typeof input.description !== 'string') {
        throw badRequest('description: Input should be a valid string');
      }
      const role = roleInput(input.organization_role, 'organization_role', true);
      if (role === 'admin') assertInteractive(key, "Setting a service account's organization_role to admin");
      const updated = store.serviceAccounts.update(
        account.id,
        {
          ...(input.description !== undefined && { description: input.description as string | null }),
          ...(role !== undefined && { role }),
        },
        store.actorOf(key),
      );
      return { body: renderServiceAccount(updated) };
    },
  },
  {
    method: 'POST',
    template: `${BASE}/{service_account_id}/archive`,
    ...common,
    handle: ({ store, params, key }) => {
      const account = findAccount(store, params.service_account_id!);
      // SDK: "Rejected with 400 if any live (non-archived) federation rule still targets this service account, same
      // as issuer archival; archive those rules first or change their target to another service account". Re-archiving
      // is idempotent and is not refused. No error code is documented.
      if (account.archivedAt === null && account.federationRules > 0) {
        throw badRequest(`Cannot archive service account ${account.id}: ${account.federationRules} live federation rule(s) still target it; ` +
          'archive those rules first or change their target to another service account');
      }
      return { body: renderServiceAccount(store.serviceAccounts.archive(account.id, store.actorOf(key))) };
    },
  },

  // ---- memberships, from the service account's side ----
  {
    method: 'GET',
    template: `${BASE}/{service_account_id}/workspaces`,
    ...common,
    handle: ({ store, params, query, version }) => {
      const account = findAccount(store, params.service_account_id!);
      const listing = `service_accounts/${account.id}/workspaces`;
      const req = parseTokenPageRequest(query, listing);
      const active = account.archivedAt === null;
      if (req.afterSeq !== undefined) {
        // SDK: "A `page` cursor that does not match an active membership returns a 400 invalid-request error. A
        // cursor stops matching when the membership is removed, the workspace is deleted, or the service account is
        // archived. Restart pagination from the first page to recover."
        const matches = active && store.serviceAccounts.membershipsOf(account.id).some((m) => m.seq === req.afterSeq);
        if (!matches) {
          throw badRequest('page: the cursor no longer matches an active membership of this service account; restart from the first page');
        }
      }
      // SDK: "Without a `page` cursor, an archived service account returns an empty list."
      if (!active) return { body: renderTokenPage([], listing, { hasMore: false, lastSeq: undefined }, version) };
      const raw = store.serviceAccounts.accountMemberPage(account.id, req.limit, req.afterSeq);
      const data = raw.items.map((m) => renderServiceAccountMember(account.id, m.workspaceId, m));
      // SDK: with no explicit Default Workspace row, "the implicit (`implicit: true`) membership is returned as the
      // first entry on the first page; with `limit=1` the first page may return up to 2 entries".
      const defaultId = store.workspaces.defaultWorkspace.id;
      if (req.afterSeq === undefined && !store.serviceAccounts.membership(account.id, defaultId)) {
        data.unshift(renderServiceAccountMember(account.id, defaultId, undefined));
      }
      return { body: renderTokenPage(data, listing, raw, version) };
    },
  },
  {
    method: 'POST',
    template: `${BASE}/{service_account_id}/workspaces`,
    ...common,
    handle: (ctx) => {
      const input = objectBody(ctx.body, ['workspace_id', 'workspace_role']);
      const workspaceId = requiredString(input, 'workspace_id');
      return addMembership(ctx, ctx.params.service_account_id!, workspaceId, workspaceRoleInput(input));
    },
  },
  {
    method: 'DELETE',
    template: `${BASE}/{service_account_id}/workspaces/{workspace_id}`,
    ...common,
    handle: ({ store, params }) => removeMembership(store, params.service_account_id!, params.workspace_id!),
  },

  // ---- memberships, from the workspace's side ----
  {
    method: 'GET',
    template: ON_WORKSPACE,
    ...common,
    handle: ({ store, params, query, version }) => {
      const ws = openWorkspace(store, params.workspace_id!);
      const listing = `workspaces/${ws.id}/service_accounts`;
      const req = parseTokenPageRequest(query, listing);
      // SDK: "The implicit default-workspace membership is not included in this list. Memberships of archived
      // service accounts are omitted from the results."
      const raw = store.serviceAccounts.workspaceMemberPage(ws.id, req.limit, req.afterSeq);
      const data = raw.items.map((m) => renderServiceAccountMember(m.serviceAccountId, ws.id, m));
      return { body: renderTokenPage(data, listing, raw, version) };
    },
  },
  {
    method: 'POST',
    template: ON_WORKSPACE,
    ...common,
    handle: (ctx) => {
      const input = objectBody(ctx.body, ['service_account_id', 'workspace_role']);
      const serviceAccountId = requiredString(input, 'service_account_id');
      return addMembership(ctx, serviceAccountId, ctx.params.workspace_id!, workspaceRoleInput(input));
    },
  },
  {
    method: 'GET',
    template: `${ON_WORKSPACE}/{service_account_id}`,
    ...common,
    handle: ({ store, params }) => {
      const ws = openWorkspace(store, params.workspace_id!);
      const account = findAccount(store, params.service_account_id!);
      // SDK: "An archived service account returns 404."
      if (account.archivedAt !== null) throw notFound(`Service account ${account.id} is archived`);
      const record = store.serviceAccounts.membership(account.id, ws.id);
      if (!record && !ws.isDefault) throw notFound(`Service account ${account.id} is not a member of workspace ${ws.id}`);
      return { body: renderServiceAccountMember(account.id, ws.id, record) };
    },
  },
  {
    method: 'POST',
    template: `${ON_WORKSPACE}/{service_account_id}`,
    ...common,
    handle: ({ store, params, body }) => {
      const ws = openWorkspace(store, params.workspace_id!);
      const role = workspaceRoleInput(objectBody(body, ['workspace_role']));
      const account = activeAccount(store, params.service_account_id!, 'update the workspace role of');
      const record = store.serviceAccounts.membership(account.id, ws.id);
      if (!record) {
        // SDK: "Only explicit memberships can be updated; to set a role on the implicit default-workspace membership,
        // add the service account explicitly". The status is not given: 400 for the implicit one, 404 otherwise.
        if (ws.isDefault) {
          throw badRequest(
            `Service account ${account.id} is an implicit member of the Default Workspace; add it explicitly ` +
              `(POST ${ON_WORKSPACE.replace('{workspace_id}', ws.id)}) to give it another role`,
          );
        }
        throw notFound(`Service account ${account.id} is not a member of workspace ${ws.id}`);
      }
      const updated = store.serviceAccounts.setMembership(account.id, ws.id, role, record.createdBy);
      return { body: renderServiceAccountMember(account.id, ws.id, updated) };
    },
  },
  {
    method: 'DELETE',
    template: `${ON_WORKSPACE}/{service_account_id}`,
    ...common,
    handle: ({ store, params }) => removeMembership(store, params.service_account_id!, params.workspace_id!),
  },
];
