// SDK conformance, Enterprise organization: users, invites with RBAC groups, RBAC groups and their members, RBAC
// roles and their permissions, driven by the official SDK 1.17.0 and checked against the SDK's own types
// (schemas.ts). Covers the owner-access refusals, the all-of scope rules for `managed` and invite groups, and a
// group-member listing whose middle page is empty but not last (the SDK's PageCursor must go on).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, PermissionDeniedError } from '@anthropic-ai/sdk';
import {
  RBACGroupGrantsOwnerAccessError,
  RBACGroupOwnerAccessUnconfirmedError,
} from '@anthropic-ai/sdk/resources/organization/rbac-groups/rbac-groups';
import { RBACRoleNotFoundError } from '@anthropic-ai/sdk/resources/organization/organization';
import { BUILT_IN_ROLE_IDS, type Seed } from '../../src/emulator/index.js';
import { all, checkCursorPage, checkIdPage, clientFor, expectSdkError, rawBody, startRig, type SdkRig } from './helpers.js';
import { loadSdkSchemas, type SdkSchemas } from './schemas.js';

const FULL = 'Hx4Tq8Zr2Vn6Lp0Wd3Ks';
const MEMBERS_ONLY = 'Jc5Ry9Mb1Xf7Qt3Gv8Nw';

const SEED: Seed = {
  organization: { kind: 'enterprise', name: 'Vektrona' },
  admin_keys: [
    { key: FULL, name: 'ke1', scopes: ['read:members', 'write:members', 'read:rbac_groups', 'write:rbac_groups'] },
    { key: MEMBERS_ONLY, name: 'ke2', scopes: ['read:members', 'write:members'] },
  ],
  users: [
    { email: 'own@vk.example', role: 'primary_owner' },
    { email: 'mia@vk.example', role: 'user' },
    { email: 'moe@vk.example', role: 'user' },
    { email: 'mux@vk.example', role: 'user' },
    { email: 'mal@vk.example', role: 'managed' },
  ],
  rbac_roles: [
    {
      id: 'rbac_role_01CustomEditors',
      display_name: 'Editors',
      permissions: [
        { action: 'chat', resource: { type: 'organization' } },
        { action: 'use', resource: { type: 'connector_tool', connector_id: 'conn_01Zq', tool_name: 'search' } },
        { action: 'grant', resource: { type: 'connector_scope', connector_id: 'conn_01Zq', scope: 'scope_ab12' } },
        { action: 'interactive', resource: { type: 'connector', connector_id: 'conn_01Zq' } },
        { action: 'always_allow', resource: { type: 'all_connectors' } },
      ],
    },
    { id: 'rbac_role_01CustomRoot', display_name: 'Root', owner_access: true },
  ],
  rbac_groups: [
    { id: 'rbac_group_01Owners', name: 'Owners', role_ids: [BUILT_IN_ROLE_IDS.owner], members: ['own@vk.example'] },
    { id: 'rbac_group_01Eng', name: 'Eng', role_ids: ['rbac_role_01CustomEditors'], members: ['mia@vk.example', 'moe@vk.example', 'mux@vk.example'] },
    { id: 'rbac_group_01Roots', name: 'Roots', role_ids: ['rbac_role_01CustomRoot'] },
    { id: 'rbac_group_01Bare', name: 'Bare' },
  ],
};

let rig: SdkRig;
let s: SdkSchemas;

beforeAll(async () => {
  s = loadSdkSchemas();
  rig = await startRig(SEED, FULL);
}, 60_000);

afterAll(async () => {
  await rig?.emu.close();
});

async function userId(email: string): Promise<string> {
  const [u] = await all(rig.client.organization.users.list({ email }));
  return u!.id;
}

describe('organization and users', () => {
  it('retrieves the organization and lists users both ways with Enterprise role filters', async () => {
    s.check('OrganizationInfo', await rig.client.organization.retrieve());
    const forward: string[] = [];
    for await (const page of (await rig.client.organization.users.list({ limit: 2 })).iterPages()) {
      forward.push(...checkIdPage(s, 'OrganizationUser', page).map((u) => u.id as string));
    }
    expect(forward.length).toBe(5);
    const backward = await all(rig.client.organization.users.list({ limit: 3, before_id: forward[4]! }));
    // Backward, each page in listing order, pages from the cursor towards the start: [1,2,3] then [0].
    expect(backward.map((u) => u.id)).toEqual([...forward.slice(1, 4), forward[0]]);
    const owners = await all(rig.client.organization.users.list({ roles: ['primary_owner', 'managed'] }));
    expect(owners.map((u) => u.role).sort()).toEqual(['managed', 'primary_owner']);
  });

  it('a role change to managed needs write:rbac_groups as well as write:members', async () => {
    const mux = await userId('mux@vk.example');
    const narrow = clientFor(rig, MEMBERS_ONLY);
    const denied = await expectSdkError(() => narrow.organization.users.update(mux, { role: 'managed' }), PermissionDeniedError, 403, null);
    expect(denied.message).toContain('write:members and write:rbac_groups');
    expect(rig.emu.store.user(mux)!.role).toBe('user');
    const ok = await rig.client.organization.users.update(mux, { role: 'managed' });
    s.check('OrganizationUser', ok);
    expect(ok.role).toBe('managed');
    s.check('OrganizationUser', await narrow.organization.users.update(mux, { role: 'user' }));
  });
});

describe('invites', () => {
  it('an invite naming RBAC groups records them; managed or groups need write:rbac_groups too', async () => {
    const inv = await rig.client.organization.invites.create({ email: 'new1@vk.example', role: 'user', rbac_group_ids: ['rbac_group_01Eng'] });
    s.check('OrganizationInvite', inv);
    expect(inv.rbac_group_ids).toEqual(['rbac_group_01Eng']);
    const narrow = clientFor(rig, MEMBERS_ONLY);
    const g = await expectSdkError(
      () => narrow.organization.invites.create({ email: 'new2@vk.example', role: 'user', rbac_group_ids: ['rbac_group_01Eng'] }),
      PermissionDeniedError,
      403,
      null,
    );
    expect(g.message).toContain('write:rbac_groups');
    await expectSdkError(() => narrow.organization.invites.create({ email: 'new3@vk.example', role: 'managed' }), PermissionDeniedError, 403, null);
    const plain = await narrow.organization.invites.create({ email: 'new4@vk.example', role: 'user', rbac_group_ids: [] });
    s.check('OrganizationInvite', plain);
    s.check('OrganizationInvite', await rig.client.organization.invites.create({ email: 'new5@vk.example', role: 'managed' }));
    const listed = await rig.client.organization.invites.list({ limit: 2 });
    for await (const page of listed.iterPages()) checkIdPage(s, 'OrganizationInvite', page);
    expect(rig.emu.store.invitationEmails('new2@vk.example') + rig.emu.store.invitationEmails('new3@vk.example')).toBe(0);
  });

  it('an invite into a group whose role grants owner access → RBACGroupGrantsOwnerAccessError', async () => {
    for (const group of ['rbac_group_01Owners', 'rbac_group_01Roots']) {
      await expectSdkError(
        () => rig.client.organization.invites.create({ email: 'new6@vk.example', role: 'user', rbac_group_ids: ['rbac_group_01Eng', group] }),
        RBACGroupGrantsOwnerAccessError,
        400,
        'rbac_group_grants_owner_access',
      );
    }
    expect(rig.emu.store.invitationEmails('new6@vk.example')).toBe(0);
  });
});

describe('RBAC groups', () => {
  it('lists with for-await (PageCursor), retrieves, creates, updates and deletes', async () => {
    const first = await rig.client.organization.rbacGroups.list({ limit: 3 });
    const names: string[] = [];
    let pages = 0;
    for await (const page of first.iterPages()) {
      pages++;
      names.push(...checkCursorPage(s, 'RBACGroup', page).map((g) => g.name as string));
    }
    expect(pages).toBe(2);
    expect(names).toEqual(['Owners', 'Eng', 'Roots', 'Bare']);
    const eng = await rig.client.organization.rbacGroups.retrieve('rbac_group_01Eng');
    s.check('RBACGroup', eng);
    expect(eng).toMatchObject({ role_ids: ['rbac_role_01CustomEditors'], source_type: 'direct', type: 'rbac_group' });
    const created = await rig.client.organization.rbacGroups.create({ name: 'Ops' });
    s.check('RBACGroup', created);
    expect(created.role_ids).toEqual([]);
    const renamed = await rig.client.organization.rbacGroups.update(created.id, { name: 'Ops2' });
    s.check('RBACGroup', renamed);
    expect(renamed.name).toBe('Ops2');
    s.check('RBACGroup', await rig.client.organization.rbacGroups.update(created.id, {}));
    const deleted = await rig.client.organization.rbacGroups.delete(created.id);
    s.check('DeletedRBACGroup', deleted);
    expect(deleted).toEqual({ id: created.id, type: 'rbac_group_deleted' });
    await expectSdkError(() => rig.client.organization.rbacGroups.retrieve(created.id), NotFoundError, 404, null);
  });

  it('a group whose role grants owner access cannot be deleted or have members added or removed (renaming is allowed)', async () => {
    const mia = await userId('mia@vk.example');
    const own = await userId('own@vk.example');
    await expectSdkError(() => rig.client.organization.rbacGroups.delete('rbac_group_01Owners'), RBACGroupGrantsOwnerAccessError, 400, 'rbac_group_grants_owner_access');
    await expectSdkError(
      () => rig.client.organization.rbacGroups.members.add('rbac_group_01Roots', { user_id: mia }),
      RBACGroupGrantsOwnerAccessError,
      400,
      'rbac_group_grants_owner_access',
    );
    await expectSdkError(
      () => rig.client.organization.rbacGroups.members.remove(own, { rbac_group_id: 'rbac_group_01Owners' }),
      RBACGroupGrantsOwnerAccessError,
      400,
      'rbac_group_grants_owner_access',
    );
    expect(rig.emu.store.groups.isMember('rbac_group_01Owners', own)).toBe(true);
    expect(rig.emu.store.groups.get('rbac_group_01Owners')).toBeDefined();
    s.check('RBACGroup', await rig.client.organization.rbacGroups.update('rbac_group_01Roots', { name: 'Roots' }));
  });

  it('members: add and remove answer the SDK shapes', async () => {
    const mal = await userId('mal@vk.example');
    const added = await rig.client.organization.rbacGroups.members.add('rbac_group_01Bare', { user_id: mal });
    s.check('RBACGroupMember', added);
    expect(added).toMatchObject({ type: 'rbac_group_member', rbac_group_id: 'rbac_group_01Bare', user_id: mal, email: 'mal@vk.example' });
    const listed = await all(rig.client.organization.rbacGroups.members.list('rbac_group_01Bare'));
    expect(listed).toEqual([added]);
    const removed = await rig.client.organization.rbacGroups.members.remove(mal, { rbac_group_id: 'rbac_group_01Bare' });
    s.check('DeletedRBACGroupMember', removed);
    expect(removed).toEqual({ type: 'rbac_group_member_deleted', rbac_group_id: 'rbac_group_01Bare', user_id: mal });
    await expectSdkError(
      () => rig.client.organization.rbacGroups.members.remove(mal, { rbac_group_id: 'rbac_group_01Bare' }),
      NotFoundError,
      404,
      null,
    );
  });

  it('members: an empty page that is not the last carries next_page, and the SDK goes on past it', async () => {
    const moe = await userId('moe@vk.example');
    // moe leaves the organization: their membership record stays (read, not returned), so page 2 of 3 is empty.
    s.check('UserRemoveResponse', await rig.client.organization.users.remove(moe));
    const first = await rig.client.organization.rbacGroups.members.list('rbac_group_01Eng', { limit: 1 });
    const pages: Array<Record<string, unknown>[]> = [];
    const bodies: Array<Record<string, unknown>> = [];
    for await (const page of first.iterPages()) {
      bodies.push(rawBody(page));
      pages.push(checkCursorPage(s, 'RBACGroupMember', page));
    }
    expect(pages.map((p) => p.map((m) => m.email))).toEqual([['mia@vk.example'], [], ['mux@vk.example']]);
    expect(typeof bodies[1]!.next_page).toBe('string');
    expect(bodies[2]!.next_page).toBeNull();
    const emails = (await all(rig.client.organization.rbacGroups.members.list('rbac_group_01Eng', { limit: 1 }))).map((m) => m.email);
    expect(emails).toEqual(['mia@vk.example', 'mux@vk.example']);
  });
});

describe('RBAC roles', () => {
  it('lists (PageCursor) the built-in and custom roles and retrieves each', async () => {
    const roles: Array<Record<string, unknown>> = [];
    let pages = 0;
    for await (const page of (await rig.client.organization.rbacRoles.list({ limit: 2 })).iterPages()) {
      pages++;
      roles.push(...checkCursorPage(s, 'RBACRole', page));
    }
    expect(pages).toBe(3);
    expect(roles.map((r) => [r.display_name, (r.source as { type: string }).type])).toEqual([
      ['Owner', 'built_in'],
      ['Admin', 'built_in'],
      ['Member', 'built_in'],
      ['Editors', 'custom'],
      ['Root', 'custom'],
    ]);
    for (const r of roles) {
      const got = await rig.client.organization.rbacRoles.retrieve(r.id as string);
      s.check('RBACRole', got);
      expect(got).toEqual(r);
    }
  });

  it('lists a role’s permissions (PageCursor), every resource variant in the SDK shape', async () => {
    const perms: Array<Record<string, unknown>> = [];
    for await (const page of (await rig.client.organization.rbacRoles.permissions.list('rbac_role_01CustomEditors', { limit: 2 })).iterPages()) {
      perms.push(...checkCursorPage(s, 'RBACRolePermission', page));
    }
    expect(perms.map((p) => (p.resource as { type: string }).type)).toEqual([
      'organization',
      'connector_tool',
      'connector_scope',
      'connector',
      'all_connectors',
    ]);
    expect(perms[0]!.resource).toEqual({ type: 'organization', organization_id: rig.emu.store.organization.id });
    const owner = await all(rig.client.organization.rbacRoles.permissions.list(BUILT_IN_ROLE_IDS.owner));
    expect(owner.length).toBeGreaterThan(0);
    for (const p of owner) s.check('RBACRolePermission', p);
  });

  it('an unknown role → RBACRoleNotFoundError (404 rbac_role_not_found)', async () => {
    await expectSdkError(() => rig.client.organization.rbacRoles.retrieve('rbac_role_01Missing'), RBACRoleNotFoundError, 404, 'rbac_role_not_found');
    const err = await expectSdkError(
      () => rig.client.organization.rbacRoles.permissions.list('rbac_role_01Missing'),
      RBACRoleNotFoundError,
      404,
      'rbac_role_not_found',
    );
    expect(err).toBeInstanceOf(NotFoundError);
  });
});

describe('the checks themselves', () => {
  it('the 2023-06-01 shapes fail the SDK schemas (so a server answering with the old shapes is caught)', async () => {
    const legacy = async (path: string) => {
      const res = await fetch(`${rig.emu.url}${path}`, {
        headers: { 'anthropic-version': '2023-06-01', 'x-api-key': FULL },
        signal: AbortSignal.timeout(10_000),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { data: unknown[]; has_more?: boolean };
    };
    const groups = await legacy('/v1/organizations/rbac_groups');
    expect(() => s.check('RBACGroup', groups.data[0])).toThrow(/role_ids|roles/);
    const members = await legacy('/v1/organizations/rbac_groups/rbac_group_01Eng/members');
    expect(() => s.check('RBACGroupMember', members.data[0])).toThrow(/rbac_group_id|group_id/);
    const roles = await legacy('/v1/organizations/rbac_roles');
    expect(() => s.check('RBACRole', roles.data[0])).toThrow(/display_name|name/);
    expect(groups).toHaveProperty('has_more');
    // The same objects in 2026-10-21 pass.
    s.check('RBACGroup', await rig.client.organization.rbacGroups.retrieve((groups.data[0] as { id: string }).id));
  });

  it('an injected 400 rbac_group_owner_access_unconfirmed arrives as its SDK class, and nothing changes', async () => {
    const res = await fetch(`${rig.emu.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'DELETE', path: '/v1/organizations/rbac_groups/rbac_group_01Bare', status: 400, error_code: 'rbac_group_owner_access_unconfirmed' }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(res.status).toBe(200);
    await expectSdkError(
      () => rig.client.organization.rbacGroups.delete('rbac_group_01Bare'),
      RBACGroupOwnerAccessUnconfirmedError,
      400,
      'rbac_group_owner_access_unconfirmed',
    );
    expect(rig.emu.store.groups.get('rbac_group_01Bare')).toBeDefined();
  });
});

describe('Console-only endpoints on an Enterprise org', () => {
  it('workspaces and API keys answer 404 without a code', async () => {
    await expectSdkError(() => rig.client.organization.workspaces.list(), NotFoundError, 404, null);
    await expectSdkError(() => rig.client.organization.apiKeys.list(), NotFoundError, 404, null);
  });
});
