// Organization members (§5): list, get, update role, remove. Console and Enterprise alike. And the beta sign-out
// (SDK 1.17 resources/beta/organization/users.d.ts `signOut`).

import type { WireUserDeleted } from '../../../clients/wire.js';
import { ApiFailure, badRequest, found } from '../../failure.js';
import { parsePageRequest } from '../../pagination.js';
import { assertAssignable, isKeepOnly } from '../../roles.js';
import { READ_MEMBERS, WRITE_MEMBERS, type ApiRoute } from '../../router.js';
import type { AdminKeyInfo, EmulatorStore } from '../../store.js';
import type { UserRecord } from './records.js';
import { emailParam, objectBody, requiredString, rolesParam } from '../../params.js';

function findUser(store: EmulatorStore, id: string): UserRecord {
  return found(store.user(id), 'user', id);
}

/** §5.4, §5.5: members holding a keep-only role "cannot be modified or removed through this API" (400). */
function assertNotKeepOnly(store: EmulatorStore, user: UserRecord, action: string): void {
  if (isKeepOnly(store.organization.kind, user.role)) {
    throw badRequest(`Cannot ${action} ${user.id}: members with the ${user.role} role cannot be modified or removed through the Admin API`);
  }
}

/** The beta the SDK's `client.beta.organization.users.signOut` sends in `anthropic-beta` (and a request must). */
export const SIGN_OUT_BETA = 'admin-user-sign-out-2026-10-08';

/**
 * The refusals the SDK declares for sign-out, in the order the emulator checks them. The SDK describes who may be
 * signed out only in words; where it leaves the rule open, the emulator's reading is written beside the check.
 */
function assertCanSignOut(store: EmulatorStore, key: AdminKeyInfo, user: UserRecord): void {
  // BetaCannotSignOutPrimaryOwnerError (400): "whom no API key or token can sign out".
  if (user.role === 'primary_owner') {
    throw badRequest(`Cannot sign out ${user.id}: the organization's primary owner cannot be signed out through the API`, 'cannot_sign_out_primary_owner');
  }
  // BetaCannotSignOutSelfError (400): "the user the API key or token belongs to" (seed `user` of the key or token).
  if (store.actorOf(key) === user.id) {
    throw badRequest(`Cannot sign out ${user.id}: they are the person this API key or token acts for`, 'cannot_sign_out_self');
  }
  // BetaCannotSignOutManagedMemberError (403): "this API key or token cannot sign them out. The error message says
  // which keys and tokens can." The SDK does not say which: the emulator's reading follows the rule for assigning
  // `managed` (UserUpdateParams), so an API key that also has `write:rbac_groups` (or a Console key, full access)
  // can, and an OAuth token cannot.
  if (user.role === 'managed' && (key.oauth !== undefined || (key.scopes !== null && !key.scopes.includes('write:rbac_groups')))) {
    throw new ApiFailure(
      403,
      `Cannot sign out ${user.id}: members with the managed role can be signed out only with an API key that has ` +
        'the write:members and write:rbac_groups scopes',
      { code: 'cannot_sign_out_managed_member' },
    );
  }
  // BetaCannotSignOutPrivilegedMemberError (403): "This OAuth token cannot sign out a membership admin or a member
  // whose roles grant owner …". The emulator reads the member's organization role (owner, membership_admin).
  if (key.oauth !== undefined && (user.role === 'owner' || user.role === 'membership_admin')) {
    throw new ApiFailure(
      403,
      `Cannot sign out ${user.id}: an OAuth token cannot sign out an owner or a membership admin; use an API key with write:members`,
      { code: 'cannot_sign_out_privileged_member' },
    );
  }
}

export const userRoutes: ApiRoute[] = [
  {
    method: 'GET',
    template: '/v1/organizations/users',
    scopes: READ_MEMBERS,
    handle: ({ store, query }) => {
      const page = parsePageRequest(query);
      const roles = rolesParam(query, store.organization.kind);
      const email = emailParam(query);
      return { body: store.listUsers({ page, ...(roles && { roles }), ...(email !== undefined && { email }) }) };
    },
  },
  {
    method: 'GET',
    template: '/v1/organizations/users/{user_id}',
    scopes: READ_MEMBERS,
    handle: ({ store, params }) => ({ body: store.userToWire(findUser(store, params.user_id!)) }),
  },
  {
    method: 'POST',
    template: '/v1/organizations/users/{user_id}',
    scopes: WRITE_MEMBERS,
    // SDK 1.17 UserUpdateParams: changing a role to `managed` needs `write:rbac_groups` in addition to `write:members`.
    allScopes: (body) =>
      typeof body === 'object' && body !== null && (body as { role?: unknown }).role === 'managed'
        ? ['write:members', 'write:rbac_groups']
        : undefined,
    handle: ({ store, params, body }) => {
      const role = requiredString(objectBody(body, ['role']), 'role');
      const user = findUser(store, params.user_id!);
      assertNotKeepOnly(store, user, 'update');
      assertAssignable(store.organization.kind, role);
      return { body: store.userToWire(store.setUserRole(user.id, role)) };
    },
  },
  {
    method: 'DELETE',
    template: '/v1/organizations/users/{user_id}',
    scopes: WRITE_MEMBERS,
    handle: ({ store, params }) => {
      const user = findUser(store, params.user_id!);
      // §13.2: "SCIM manages membership → DELETE /users/{id} returns 400".
      if (store.organization.provisioning === 'scim') {
        throw badRequest('Members of this organization are provisioned by SCIM; remove them in your identity provider');
      }
      // SDK 1.17 CannotRemoveLastMemberError: "The user is the organization's only member."
      if (store.userCount === 1) {
        throw badRequest(
          `Cannot remove ${user.id}: they are the organization's only member; add another member first`,
          'cannot_remove_last_member',
        );
      }
      assertNotKeepOnly(store, user, 'remove');
      store.removeUser(user.id);
      const deleted: WireUserDeleted = { id: user.id, type: 'user_deleted' };
      return { body: deleted };
    },
  },
  {
    // SDK 1.17 `client.beta.organization.users.signOut(userID)`: POST with no body, `?beta=true` (ignored) and the beta
    // header; answers the member (BetaOrganizationUser, the same shape as a user). "Sign-out is in beta for Claude
    // Enterprise organizations"; elsewhere "a request returns 400 with error_code organization_not_enrolled_in_beta":
    // the emulator enrols every Enterprise org and no Console org.
    method: 'POST',
    template: '/v1/organizations/users/{user_id}/sign_out',
    scopes: WRITE_MEMBERS,
    beta: SIGN_OUT_BETA,
    handle: ({ store, params, key }) => {
      if (store.organization.kind !== 'enterprise') {
        throw badRequest('Signing members out is in beta for Claude Enterprise organizations; this organization is not enrolled', 'organization_not_enrolled_in_beta');
      }
      const user = findUser(store, params.user_id!);
      assertCanSignOut(store, key, user);
      // The member keeps their role and membership; the emulator records the sign-out for `GET /_emulator/state`.
      store.signOuts.push({ user_id: user.id, email: user.email, at: store.clock.nowIso(), by: key.name });
      return { body: store.userToWire(user) };
    },
  },
];
