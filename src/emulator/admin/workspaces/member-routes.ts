// Workspace members (§8): add, list, get, update, remove. Console orgs only.
//
// Implicit members (§3.2, §8.3): org admins (and Console owners) are `workspace_admin` everywhere, billing members
// `workspace_billing`; neither is listed nor can be changed or removed, except that a billing member can be upgraded
// to `workspace_admin`. The upgrade is stored as an explicit membership, which is listed; removing it (DELETE, or
// an update back to `workspace_billing`) returns the member to implicit billing (the emulator's reading; the
// reference documents only the upgrade).

import type { WireWorkspaceMemberDeleted } from '../../../clients/wire.js';
import { badRequest, found, notFound } from '../../failure.js';
import { parsePageRequest } from '../../pagination.js';
import type { ApiRoute } from '../../router.js';
import type { EmulatorStore } from '../../store.js';
import type { UserRecord } from '../users/records.js';
import {
  explicitMembershipVisible,
  implicitWorkspaceRole,
  isAssignableWorkspaceRole,
  isImplicitAdmin,
  isImplicitBilling,
  isWorkspaceRole,
} from './roles.js';
import type { WorkspaceRecord } from './records.js';
import { memberToWire } from './render.js';
import { CONSOLE_ONLY, findWorkspace } from './routes.js';
import { objectBody, requiredString } from '../../params.js';

/**
 * The workspace of a member endpoint. The Default Workspace "has no member list of its own" (§7.1) and an archived
 * workspace is deactivated (§7.7): both are 400s (statuses undocumented, §16 q1), reads included.
 */
function memberWorkspace(store: EmulatorStore, id: string): WorkspaceRecord {
  const ws = findWorkspace(store, id);
  if (ws.isDefault) {
    throw badRequest('The Default Workspace has no member list: access to it follows the organization role');
  }
  if (ws.archivedAt !== null) throw badRequest(`Workspace ${ws.id} is archived; its members can no longer be read or changed`);
  return ws;
}

/** §8.3: the user must be an org member; a missing one is a 404 (inferred, §16 q1). */
function orgUser(store: EmulatorStore, id: string): UserRecord {
  return found(store.user(id), 'user', id);
}

function implicitFailure(user: UserRecord, ws: WorkspaceRecord, action: string): never {
  const role = implicitWorkspaceRole(user.role);
  throw badRequest(
    `Cannot ${action} ${user.id} in workspace ${ws.id}: members with the organization role ${user.role} are implicit ` +
      `${role} members of every workspace` +
      (isImplicitBilling(user.role) ? ' (they can only be upgraded to workspace_admin)' : ''),
  );
}

/** The visible explicit membership of a user, if any. */
function visibleMembership(store: EmulatorStore, ws: WorkspaceRecord, user: UserRecord): string | undefined {
  const m = store.workspaces.membership(ws.id, user.id);
  return m && explicitMembershipVisible(user.role, m.role) ? m.role : undefined;
}

function workspaceRoleInput(body: unknown): string {
  const role = requiredString(objectBody(body, ['workspace_role']), 'workspace_role');
  if (!isWorkspaceRole(role)) {
    throw badRequest(
      "workspace_role: Input should be 'workspace_admin', 'workspace_billing', 'workspace_developer', " +
        "'workspace_restricted_developer' or 'workspace_user'",
    );
  }
  return role;
}

export const workspaceMemberRoutes: ApiRoute[] = [
  {
    method: 'POST',
    template: '/v1/organizations/workspaces/{workspace_id}/members',
    kinds: CONSOLE_ONLY,
    handle: ({ store, params, body }) => {
      const ws = memberWorkspace(store, params.workspace_id!);
      const input = objectBody(body, ['user_id', 'workspace_role']);
      const userId = requiredString(input, 'user_id');
      const role = requiredString(input, 'workspace_role');
      // §8.2: the create body "Cannot be workspace_billing" (BetaNoBillingWorkspaceRole).
      if (role === 'workspace_billing') {
        throw badRequest('workspace_role: workspace_billing cannot be assigned; it is inherited from the organization billing role');
      }
      if (!isAssignableWorkspaceRole(role)) {
        throw badRequest(
          "workspace_role: Input should be 'workspace_admin', 'workspace_developer', 'workspace_restricted_developer' or 'workspace_user'",
        );
      }
      const user = orgUser(store, userId);
      if (isImplicitAdmin(user.role)) implicitFailure(user, ws, 'add');
      if (isImplicitBilling(user.role) && role !== 'workspace_admin') implicitFailure(user, ws, 'add');
      // Duplicate add: 400 (§14.2, inferred). A hidden membership (kept from before a promotion to billing) is not
      // a duplicate from the caller's view: the upgrade replaces it.
      const existing = visibleMembership(store, ws, user);
      if (existing !== undefined) {
        throw badRequest(`User ${user.id} is already a member of workspace ${ws.id} (${existing}); update the member instead`);
      }
      store.workspaces.setMembership(ws.id, user.id, role);
      return { body: memberToWire(ws.id, user.id, role) };
    },
  },
  {
    method: 'GET',
    template: '/v1/organizations/workspaces/{workspace_id}/members',
    kinds: CONSOLE_ONLY,
    handle: ({ store, params, query }) => {
      const ws = memberWorkspace(store, params.workspace_id!);
      // §8.2 ID cursors are user ids; §8.3 implicit members are never listed.
      return { body: store.workspaces.listMembers(ws.id, parsePageRequest(query)) };
    },
  },
  {
    method: 'GET',
    template: '/v1/organizations/workspaces/{workspace_id}/members/{user_id}',
    kinds: CONSOLE_ONLY,
    handle: ({ store, params }) => {
      const ws = memberWorkspace(store, params.workspace_id!);
      const user = orgUser(store, params.user_id!);
      // An implicit member reads with the inherited role: they are members, only unlisted (§3.2; the emulator's
      // choice, the reference does not say what a get on them returns).
      const role = visibleMembership(store, ws, user) ?? implicitWorkspaceRole(user.role);
      if (role === undefined) throw notFound(`User ${user.id} is not a member of workspace ${ws.id}`);
      return { body: memberToWire(ws.id, user.id, role) };
    },
  },
  {
    method: 'POST',
    template: '/v1/organizations/workspaces/{workspace_id}/members/{user_id}',
    kinds: CONSOLE_ONLY,
    handle: ({ store, params, body }) => {
      const ws = memberWorkspace(store, params.workspace_id!);
      const role = workspaceRoleInput(body);
      const user = orgUser(store, params.user_id!);
      if (isImplicitAdmin(user.role)) implicitFailure(user, ws, 'change the workspace role of');
      if (isImplicitBilling(user.role)) {
        // §3.2 the exception: a billing member can be upgraded to workspace_admin (§15 item 3: workspace_billing is
        // accepted only for billing members; here it undoes the upgrade).
        if (role === 'workspace_admin') store.workspaces.setMembership(ws.id, user.id, role);
        else if (role === 'workspace_billing') {
          if (visibleMembership(store, ws, user) !== undefined) store.workspaces.removeMembership(ws.id, user.id);
        } else implicitFailure(user, ws, 'change the workspace role of');
        return { body: memberToWire(ws.id, user.id, role) };
      }
      // §15 item 3: "Workspace Billing cannot be manually assigned; it's inherited" → 400 for everyone else.
      if (role === 'workspace_billing') {
        throw badRequest('workspace_role: workspace_billing cannot be assigned; it is inherited from the organization billing role');
      }
      if (visibleMembership(store, ws, user) === undefined) {
        throw notFound(`User ${user.id} is not a member of workspace ${ws.id}`);
      }
      store.workspaces.setMembership(ws.id, user.id, role);
      return { body: memberToWire(ws.id, user.id, role) };
    },
  },
  {
    method: 'DELETE',
    template: '/v1/organizations/workspaces/{workspace_id}/members/{user_id}',
    kinds: CONSOLE_ONLY,
    handle: ({ store, params }) => {
      const ws = memberWorkspace(store, params.workspace_id!);
      const user = orgUser(store, params.user_id!);
      const explicit = visibleMembership(store, ws, user);
      if (isImplicitAdmin(user.role)) implicitFailure(user, ws, 'remove');
      // A billing member's upgrade can be removed; without one they are implicit only (§8.3).
      if (isImplicitBilling(user.role) && explicit === undefined) implicitFailure(user, ws, 'remove');
      if (explicit === undefined) throw notFound(`User ${user.id} is not a member of workspace ${ws.id}`);
      // §8.3: the org membership is untouched; so are the user's API keys (§8.3, §5.5).
      store.workspaces.removeMembership(ws.id, user.id);
      const deleted: WireWorkspaceMemberDeleted = { type: 'workspace_member_deleted', user_id: user.id, workspace_id: ws.id };
      return { body: deleted };
    },
  },
];
