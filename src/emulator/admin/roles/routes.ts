// RBAC roles, read-only (older reference §11.3; SDK 1.17.0 `organization.rbacRoles`): list, get, and the
// permissions a role grants. Both listings use the `page`/`next_page` cursor (SDK PageCursor).
//
// Enterprise orgs only; on any other org the SDK declares 400 `organization_type_not_supported` (not the 404 of
// the RBAC group routes), so these routes serve every org kind and refuse in the handler. An unknown role id is
// 404 `rbac_role_not_found`. Scope: `read:members` (§11.3), or `read:org_audit`, which grants every
// user-management GET (§2.3).

import { badRequest, notFound } from '../../failure.js';
import { parseTokenPageRequest } from '../../page-token.js';
import { renderTokenPage } from '../../render.js';
import type { RbacRoleRecord } from './records.js';
import { renderPermission, renderRole } from './render.js';
import { READ_MEMBERS, type ApiRoute } from '../../router.js';
import type { EmulatorStore } from '../../store.js';

function assertEnterprise(store: EmulatorStore): void {
  if (store.organization.kind !== 'enterprise') {
    throw badRequest(
      `The RBAC Roles API is available to Claude Enterprise organizations only; this is a ${store.organization.kind} organization`,
      'organization_type_not_supported',
    );
  }
}

function findRole(store: EmulatorStore, id: string): RbacRoleRecord {
  assertEnterprise(store);
  const role = store.roles.get(id);
  if (!role) throw notFound(`No RBAC role with id '${id}' in this organization`, 'rbac_role_not_found');
  return role;
}

/** A page of `items` by position: the token holds the 1-based position of the last item served. */
function slice<T>(items: readonly T[], limit: number, afterSeq: number | undefined): { items: T[]; hasMore: boolean; lastSeq: number | undefined } {
  const start = afterSeq ?? 0;
  const page = items.slice(start, start + limit);
  return { items: page, hasMore: start + limit < items.length, lastSeq: page.length > 0 ? start + page.length : undefined };
}

export const roleRoutes: ApiRoute[] = [
  {
    method: 'GET',
    template: '/v1/organizations/rbac_roles',
    scopes: READ_MEMBERS,
    handle: ({ store, query, version }) => {
      assertEnterprise(store);
      const req = parseTokenPageRequest(query, 'rbac_roles');
      const raw = slice(store.roles.all(), req.limit, req.afterSeq);
      return { body: renderTokenPage(raw.items.map((r) => renderRole(r, version)), 'rbac_roles', raw, version) };
    },
  },
  {
    method: 'GET',
    template: '/v1/organizations/rbac_roles/{role_id}',
    scopes: READ_MEMBERS,
    handle: ({ store, params, version }) => ({ body: renderRole(findRole(store, params.role_id!), version) }),
  },
  {
    method: 'GET',
    template: '/v1/organizations/rbac_roles/{role_id}/permissions',
    scopes: READ_MEMBERS,
    handle: ({ store, params, query, version }) => {
      const role = findRole(store, params.role_id!);
      const listing = `rbac_roles/${role.id}/permissions`;
      const req = parseTokenPageRequest(query, listing);
      const raw = slice(role.permissions, req.limit, req.afterSeq);
      return { body: renderTokenPage(raw.items.map(renderPermission), listing, raw, version) };
    },
  },
];
