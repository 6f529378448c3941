// Loading the RBAC parts of a seed into a store: the roles (built-in, the seed's `rbac_roles`, and roles named only
// by legacy group seeds), then the direct RBAC groups (`rbac_groups`) with their members. Called by
// `EmulatorStore.load` after users and invites, so group members can be resolved by email.

import { newId } from '../../ids.js';
import type { RbacRoleStore } from '../roles/store.js';
import type { SeedRbacRole } from '../roles/seed.js';
import type { MemberLookup } from '../users/records.js';
import type { SeedRbacGroup } from './seed.js';
import type { RbacGroupStore } from './store.js';

/** What loading groups reads and fills of the organization (EmulatorStore is one). */
export interface GroupsHost extends MemberLookup {
  readonly organization: { readonly id: string };
  readonly groups: RbacGroupStore;
  readonly roles: RbacRoleStore;
}

export function loadRbacGroups(store: GroupsHost, seed: { rbac_groups?: SeedRbacGroup[]; rbac_roles?: SeedRbacRole[] }): void {
  store.groups.clear();
  // Like seeded users: one second apart, in seed order, the last one created at load time.
  const now = store.clock.now();
  const groups = seed.rbac_groups ?? [];
  // Roles first: the built-ins, the seed's custom roles, and (legacy seeds) role ids named only by a group.
  const legacyRoleIds = groups.flatMap((g) => g.roles ?? []);
  const usedRoleIds = new Set<string>();
  store.roles.load(
    store.organization.id,
    new Date(now - (groups.length + 1) * 1000).toISOString(),
    seed.rbac_roles ?? [],
    legacyRoleIds,
    () => {
      const id = newId('rbac_role', (c) => usedRoleIds.has(c) || store.roles.has(c));
      usedRoleIds.add(id);
      return id;
    },
  );
  groups.forEach((g, i) => {
    const createdAt = new Date(now - (groups.length - 1 - i) * 1000).toISOString();
    const group = store.groups.create({
      name: g.name,
      sourceType: 'direct',
      createdAt,
      ...(g.roles !== undefined && { roles: g.roles }),
      ...(g.id !== undefined && { id: g.id }),
    });
    for (const email of g.members ?? []) {
      const user = store.userByEmail(email);
      if (user) store.groups.addMember(group.id, user.id, createdAt);
    }
  });
}
