// RBAC groups and their members (§11.1, §11.2): Enterprise orgs only (a Console org gets 404, §14.2). Groups the
// directory sync pushed (`source_type: "scim"`) are read-only here: rename, delete and membership changes are 400s
// (§11.2, §13.2). Scopes per §2.3: `read:rbac_groups` (or `read:org_audit`, which grants every user-management GET)
// for reads, `write:rbac_groups` for writes.
//
// A group one of whose roles grants owner access (roles/records.ts `grantsOwnerAccess`) cannot be changed through the
// API (SDK 1.17: 400 `rbac_group_grants_owner_access` on member add/remove and group delete; renaming is allowed).
// The RBAC Groups API is Enterprise-only and a Console org gets 404 here (the SDK declares
// `organization_type_not_supported` only for RBAC roles and spend limits, not for groups).

import { badRequest, found, notFound } from '../../failure.js';
import { parseTokenPageRequest } from '../../page-token.js';
import { objectBody, requiredString } from '../../params.js';
import { renderTokenPage } from '../../render.js';
import type { ApiRoute } from '../../router.js';
import type { EmulatorStore } from '../../store.js';
import { groupGrantsOwnerAccess } from '../roles/store.js';
import type { RbacGroupRecord } from './records.js';
import { renderGroup, renderGroupMember, renderGroupMemberDeleted } from './render.js';

export const READ_RBAC_GROUPS = ['read:rbac_groups', 'read:org_audit'] as const;
export const WRITE_RBAC_GROUPS = ['write:rbac_groups'] as const;

/** §11.1: names are 1–255 characters and not unique. */
export const GROUP_NAME_MAX = 255;

const ENTERPRISE = ['enterprise'] as const;

function findGroup(store: EmulatorStore, id: string): RbacGroupRecord {
  return found(store.groups.get(id), 'RBAC group', id);
}

/** The group, to `action`: §11.2, a `scim` group belongs to the identity provider; the Admin API answers 400 to any change. */
function directGroup(store: EmulatorStore, id: string, action: string): RbacGroupRecord {
  const group = findGroup(store, id);
  if (group.sourceType === 'scim') {
    throw badRequest(
      `Cannot ${action} RBAC group ${group.id}: it is provisioned by SCIM (source_type 'scim'); change it in your identity provider`,
    );
  }
  return group;
}

/** SDK 1.17 RBACGroupGrantsOwnerAccessError: "a person must make the change in the admin settings". */
export function assertNoOwnerAccess(store: EmulatorStore, group: RbacGroupRecord, action: string): void {
  if (groupGrantsOwnerAccess(store.roles, group)) {
    throw badRequest(
      `Cannot ${action} RBAC group ${group.id}: a role attached to it grants owner access; make the change in the ` +
        "organization's admin settings in Claude",
      'rbac_group_grants_owner_access',
    );
  }
}

function groupName(input: Record<string, unknown>): string {
  const name = requiredString(input, 'name');
  if (name.length < 1 || name.length > GROUP_NAME_MAX) {
    throw badRequest(`name: String should have between 1 and ${GROUP_NAME_MAX} characters, got ${name.length}`);
  }
  return name;
}

export const groupRoutes: ApiRoute[] = [
  {
    method: 'GET',
    template: '/v1/organizations/rbac_groups',
    scopes: READ_RBAC_GROUPS,
    kinds: ENTERPRISE,
    handle: ({ store, query, version }) => {
      const req = parseTokenPageRequest(query, 'rbac_groups');
      const raw = store.groups.page(req.limit, req.afterSeq);
      return { body: renderTokenPage(raw.items.map((g) => renderGroup(g, version)), 'rbac_groups', raw, version) };
    },
  },
  {
    method: 'POST',
    template: '/v1/organizations/rbac_groups',
    scopes: WRITE_RBAC_GROUPS,
    kinds: ENTERPRISE,
    handle: ({ store, body, version }) => {
      const name = groupName(objectBody(body, ['name']));
      // §11.2: an API-created group is `direct`, has no roles and no members.
      return { body: renderGroup(store.groups.create({ name, sourceType: 'direct' }), version) };
    },
  },
  {
    method: 'GET',
    template: '/v1/organizations/rbac_groups/{group_id}',
    scopes: READ_RBAC_GROUPS,
    kinds: ENTERPRISE,
    handle: ({ store, params, version }) => ({ body: renderGroup(findGroup(store, params.group_id!), version) }),
  },
  {
    method: 'POST',
    template: '/v1/organizations/rbac_groups/{group_id}',
    scopes: WRITE_RBAC_GROUPS,
    kinds: ENTERPRISE,
    handle: ({ store, params, body, version }) => {
      const group = directGroup(store, params.group_id!, 'rename');
      const input = objectBody(body, ['name']);
      // §11.2: `{name: string|null}`, the only mutable field; null (or no name) leaves the group as it is.
      if (input.name === undefined || input.name === null) return { body: renderGroup(group, version) };
      return { body: renderGroup(store.groups.rename(group.id, groupName(input)), version) };
    },
  },
  {
    method: 'DELETE',
    template: '/v1/organizations/rbac_groups/{group_id}',
    scopes: WRITE_RBAC_GROUPS,
    kinds: ENTERPRISE,
    handle: ({ store, params }) => {
      const group = directGroup(store, params.group_id!, 'delete');
      assertNoOwnerAccess(store, group, 'delete');
      // §11.2: members stay in their orgs; only the group and its memberships go.
      store.groups.delete(group.id);
      return { body: { id: group.id, type: 'rbac_group_deleted' } };
    },
  },
  {
    method: 'GET',
    template: '/v1/organizations/rbac_groups/{group_id}/members',
    scopes: READ_RBAC_GROUPS,
    kinds: ENTERPRISE,
    handle: ({ store, params, query, version }) => {
      const group = findGroup(store, params.group_id!);
      const listing = `rbac_groups/${group.id}/members`;
      const req = parseTokenPageRequest(query, listing);
      const raw = store.groups.memberPage(group.id, req.limit, req.afterSeq);
      // §11.2: "Only current members of the enterprise's orgs are returned, so a page can hold fewer than `limit`
      // items while `has_more` is true": departed records are read (they use up the page) but not returned. A page
      // can so come out empty with a `next_page` (the SDK's PageCursor goes on).
      const data = [];
      for (const record of raw.items) {
        const user = store.user(record.userId);
        if (!record.departed && user) data.push(renderGroupMember(group.id, record, user.email, version));
      }
      return { body: renderTokenPage(data, listing, raw, version) };
    },
  },
  {
    method: 'POST',
    template: '/v1/organizations/rbac_groups/{group_id}/members',
    scopes: WRITE_RBAC_GROUPS,
    kinds: ENTERPRISE,
    handle: ({ store, params, body, version }) => {
      const group = directGroup(store, params.group_id!, 'add members to');
      const userId = requiredString(objectBody(body, ['user_id']), 'user_id');
      assertNoOwnerAccess(store, group, 'add members to');
      // §11.2: "User not in any enterprise org → 404. Already in the group → 400."
      const user = store.user(userId);
      if (!user) throw notFound(`No user with id '${userId}' in this organization`);
      if (store.groups.isMember(group.id, user.id)) {
        throw badRequest(`User ${user.id} is already a member of RBAC group ${group.id}`);
      }
      const record = store.groups.addMember(group.id, user.id);
      return { body: renderGroupMember(group.id, record, user.email, version) };
    },
  },
  {
    method: 'DELETE',
    template: '/v1/organizations/rbac_groups/{group_id}/members/{user_id}',
    scopes: WRITE_RBAC_GROUPS,
    kinds: ENTERPRISE,
    handle: ({ store, params, version }) => {
      const group = directGroup(store, params.group_id!, 'remove members from');
      assertNoOwnerAccess(store, group, 'remove members from');
      const userId = params.user_id!;
      // §11.2: "User not in the group → 404"; the user stays an org member.
      if (!store.groups.isMember(group.id, userId)) {
        throw notFound(`User ${userId} is not a member of RBAC group ${group.id}`);
      }
      store.groups.removeMember(group.id, userId);
      return { body: renderGroupMemberDeleted(group.id, userId, version) };
    },
  },
];
