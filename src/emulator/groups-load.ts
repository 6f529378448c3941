// Loading the Enterprise parts of a seed into a store: direct RBAC groups (`rbac_groups`) and the SCIM directory
// (`scim`), then the optional first sync (`scim.synced`) and the automatic sync timer. Called by
// `EmulatorStore.load` after users and invites, so group members can be resolved by email.

import { startAutoSync, stopAutoSync, syncDirectory } from './scim/sync.js';
import { ScimDirectory } from './scim/directory.js';
import type { Seed } from './seed.js';
import type { EmulatorStore } from './store.js';
import { newId } from './ids.js';

export function loadGroupsAndDirectory(store: EmulatorStore, seed: Seed): void {
  stopAutoSync(store.scim);
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
  store.scim = seed.scim ? new ScimDirectory(seed.scim, () => store.clock.nowIso()) : undefined;
  if (seed.scim?.synced) syncDirectory(store);
  if (store.scimAutoSync) startAutoSync(store);
}

/** Turns the automatic directory sync on (the server does, for as long as it runs) or off. */
export function setScimAutoSync(store: EmulatorStore, on: boolean): void {
  store.scimAutoSync = on;
  if (on) startAutoSync(store);
  else stopAutoSync(store.scim);
}
