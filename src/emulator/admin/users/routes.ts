// Organization members (§5): list, get, update role, remove. Console and Enterprise alike.

import type { WireUserDeleted } from '../../../clients/wire.js';
import { badRequest, notFound } from '../../failure.js';
import { parsePageRequest } from '../../pagination.js';
import { assertAssignable, isKeepOnly } from '../../roles.js';
import { READ_MEMBERS, WRITE_MEMBERS, type ApiRoute } from '../../router.js';
import type { EmulatorStore } from '../../store.js';
import type { UserRecord } from './records.js';
import { emailParam, objectBody, requiredString, rolesParam } from '../../params.js';

function findUser(store: EmulatorStore, id: string): UserRecord {
  const user = store.user(id);
  if (!user) throw notFound(`No user with id '${id}' in this organization`);
  return user;
}

/** §5.4, §5.5: members holding a keep-only role "cannot be modified or removed through this API" (400). */
function assertNotKeepOnly(store: EmulatorStore, user: UserRecord, action: string): void {
  if (isKeepOnly(store.organization.kind, user.role)) {
    throw badRequest(`Cannot ${action} ${user.id}: members with the ${user.role} role cannot be modified or removed through the Admin API`);
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
];
