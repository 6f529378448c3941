// Control endpoints for what a person does in the Console and the API cannot: give a member any org role (admin,
// owner…), by user id or by email. Implicit workspace memberships follow from the new role by themselves
// (workspaces/roles.ts).

import type { WireUser } from '../../../clients/wire.js';
import { emailKey } from '../../emails.js';
import { badRequest, notFound } from '../../failure.js';
import { objectBody, requiredString } from '../../params.js';
import { canHold } from '../../roles.js';
import type { ControlRoute } from '../../router.js';
import type { EmulatorStore } from '../../store.js';
import type { UserRecord } from './records.js';

function setRole(store: EmulatorStore, user: UserRecord, role: string): WireUser {
  const kind = store.organization.kind;
  if (!canHold(kind, role)) throw badRequest(`role: '${role}' is not a role of a ${kind} organization (§3.1)`);
  return store.userToWire(store.setUserRole(user.id, role));
}

export const userControlRoutes: ControlRoute[] = [
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
];
