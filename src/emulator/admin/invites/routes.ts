// Invites (§6): create (sends an email), list, get, withdraw. Console and Enterprise alike.

import type { WireInviteDeleted } from '../../../clients/wire.js';
import { isWellFormedEmail } from '../../emails.js';
import { badRequest, found } from '../../failure.js';
import { parsePageRequest } from '../../pagination.js';
import { arrayParam, emailParam, objectBody, requiredString, rolesParam } from '../../params.js';
import { assertAssignable } from '../../roles.js';
import { READ_MEMBERS, WRITE_MEMBERS, type ApiRoute } from '../../router.js';
import type { EmulatorStore } from '../../store.js';
import { groupGrantsOwnerAccess } from '../roles/store.js';
import type { InviteRecord, ListableInviteStatus } from './records.js';

function findInvite(store: EmulatorStore, id: string): InviteRecord {
  return found(store.invite(id), 'invite', id);
}

/**
 * Scopes an Enterprise key needs all of for this invite (SDK 1.17 InviteCreateParams): inviting as `managed`, or
 * with a non-empty `rbac_group_ids`, needs `write:rbac_groups` in addition to `write:members`.
 */
export function inviteScopes(body: unknown): string[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { role?: unknown; rbac_group_ids?: unknown };
  const groups = Array.isArray(b.rbac_group_ids) && b.rbac_group_ids.length > 0;
  return b.role === 'managed' || groups ? ['write:members', 'write:rbac_groups'] : undefined;
}

/**
 * §6.3: a non-empty `rbac_group_ids` needs an Enterprise org and groups that exist, are not SCIM's, and grant no
 * owner access (SDK 400 `rbac_group_grants_owner_access`). The scope rule is `inviteScopes`, in the pipeline.
 */
function checkGroups(store: EmulatorStore, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw badRequest('rbac_group_ids: Input should be a valid list of strings');
  }
  const ids = value as string[];
  if (ids.length === 0) return [];
  if (store.organization.kind !== 'enterprise') {
    throw badRequest('rbac_group_ids: groups are only available to Enterprise organizations');
  }
  for (const id of ids) {
    const group = store.groups.get(id);
    if (!group) throw badRequest(`rbac_group_ids: no group with id '${id}'`);
    // §11.2: membership of a `scim` group is the identity provider's; the Admin API cannot add anyone to it.
    if (group.sourceType === 'scim') throw badRequest(`rbac_group_ids: group '${id}' is provisioned by SCIM`);
    if (groupGrantsOwnerAccess(store.roles, group)) {
      throw badRequest(
        `rbac_group_ids: a role attached to group '${id}' grants owner access; add people to it in the organization's admin settings in Claude`,
        'rbac_group_grants_owner_access',
      );
    }
  }
  return ids;
}

const LISTABLE: readonly ListableInviteStatus[] = ['pending', 'accepted', 'expired'];

/** `statuses[]` on invites (§6.4): a subset of pending, accepted, expired. */
export function statusesParam(query: URLSearchParams): ListableInviteStatus[] | undefined {
  const statuses = arrayParam(query, 'statuses');
  for (const s of statuses ?? []) {
    if (!(LISTABLE as readonly string[]).includes(s)) {
      throw badRequest(`statuses: '${s}' is not a valid status filter (allowed: ${LISTABLE.join(', ')})`);
    }
  }
  return statuses as ListableInviteStatus[] | undefined;
}

export const inviteRoutes: ApiRoute[] = [
  {
    method: 'POST',
    template: '/v1/organizations/invites',
    scopes: WRITE_MEMBERS,
    bucket: 'invites',
    allScopes: inviteScopes,
    handle: ({ store, body }) => {
      const input = objectBody(body, ['email', 'role', 'rbac_group_ids']);
      const email = requiredString(input, 'email');
      const role = requiredString(input, 'role');
      if (!isWellFormedEmail(email)) throw badRequest(`email: '${email}' is not a valid email address`);
      assertAssignable(store.organization.kind, role);
      // §6.3, §13.2: orgs whose identity provider provisions users (JIT or SCIM) cannot create invites.
      const mode = store.organization.provisioning;
      if (mode !== 'invite') {
        throw badRequest(
          `This organization provisions users automatically (${mode.toUpperCase()}); invites cannot be created through the API`,
        );
      }
      const rbacGroupIds = checkGroups(store, input.rbac_group_ids);
      // §6.3: both 400s "name the existing resource"; SDK 1.17 codes `already_member`, `invite_already_exists`.
      const member = store.userByEmail(email);
      if (member) throw badRequest(`${email} is already a member of this organization (${member.id})`, 'already_member');
      const pending = store.pendingInviteFor(email);
      if (pending) throw badRequest(`A pending invite for ${email} already exists (${pending.id})`, 'invite_already_exists');
      const invite = store.addInvite({ email, role, rbacGroupIds });
      store.recordInvitationEmail(email); // §6.2: creating an invite sends an invitation email
      return { body: store.inviteToWire(invite) };
    },
  },
  {
    method: 'GET',
    template: '/v1/organizations/invites',
    scopes: READ_MEMBERS,
    handle: ({ store, query }) => {
      const page = parsePageRequest(query);
      const roles = rolesParam(query, store.organization.kind);
      const statuses = statusesParam(query);
      const email = emailParam(query);
      return {
        body: store.listInvites({
          page,
          ...(roles && { roles }),
          ...(statuses && { statuses }),
          ...(email !== undefined && { email }),
        }),
      };
    },
  },
  {
    method: 'GET',
    template: '/v1/organizations/invites/{invite_id}',
    scopes: READ_MEMBERS,
    // A withdrawn invite still reads, as `deleted` (§16 q3 leaves 404 open; the status enum has `deleted`).
    handle: ({ store, params }) => ({ body: store.inviteToWire(findInvite(store, params.invite_id!)) }),
  },
  {
    method: 'DELETE',
    template: '/v1/organizations/invites/{invite_id}',
    scopes: WRITE_MEMBERS,
    handle: ({ store, params }) => {
      const invite = findInvite(store, params.invite_id!);
      const status = store.inviteStatus(invite);
      // §6.6: only a pending invite can be withdrawn; accepted → "remove the member instead"; expired → 400.
      if (status === 'accepted') {
        throw badRequest(`Invite ${invite.id} has been accepted and cannot be withdrawn; remove the member instead`);
      }
      if (status !== 'pending') throw badRequest(`Invite ${invite.id} is ${status}; only a pending invite can be withdrawn`);
      store.setInviteStatus(invite.id, 'deleted');
      const deleted: WireInviteDeleted = { id: invite.id, type: 'invite_deleted' };
      return { body: deleted };
    },
  },
];
