// The project's client and the official SDK read the same emulator, and must agree: everything the planner gets
// from our client (through the live mappers of live/kinds.ts) is what the SDK reads from the same answers, field by
// field, in the SDK's own terms (`rbac_group_id`, `role_ids`, an API key's `scope`, a role's `display_name` and
// `source`). The SDK is the oracle; the two clients share nothing but the emulator. Our client is run twice: as it
// ships (2026-10-21), and sending 2023-06-01, to which the emulator answers with the older shapes (`group_id`,
// `roles`, a top-level `workspace_id`, a role's `name`): a server that answers the older way must read the same.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../src/clients/admin.js';
import { BUILT_IN_ROLE_IDS, type Seed } from '../../src/emulator/index.js';
import {
  toLiveApiKey,
  toLiveGroup,
  toLiveGroupMember,
  toLiveInvite,
  toLiveRole,
  toLiveUser,
  toLiveWorkspace,
  toLiveWorkspaceMember,
} from '../../src/live/kinds.js';
import { all, startRig, type SdkRig } from './helpers.js';

const CONSOLE_KEY = 'Wk3nRv8pQx2mTz7bLc4h';
const ENTERPRISE_KEY = 'Hd6qMz1sVw9kPy3rNb8f';

const CONSOLE: Seed = {
  organization: { kind: 'console', name: 'Orvale' },
  admin_keys: [{ key: CONSOLE_KEY, name: 'kc' }],
  users: [
    { email: 'ana@ov.example', role: 'admin' },
    { email: 'dan@ov.example', role: 'developer' },
    { email: 'uma@ov.example', role: 'user' },
  ],
  invites: [{ email: 'pia@ov.example', role: 'user' }, { email: 'pol@ov.example', role: 'developer' }],
  workspaces: [{ name: 'Alpha' }, { name: 'Beta', archived: true }],
  workspace_members: [
    { workspace: 'Alpha', email: 'dan@ov.example', role: 'workspace_developer' },
    { workspace: 'Alpha', email: 'uma@ov.example', role: 'workspace_user' },
  ],
  api_keys: [
    { name: 'in-alpha', workspace: 'Alpha', created_by: 'dan@ov.example' },
    { name: 'in-default', created_by: 'ana@ov.example' },
    { name: 'org-scoped', principal_user: 'uma@ov.example', organization_scope: true, created_by: 'uma@ov.example' },
  ],
};

const ENTERPRISE: Seed = {
  organization: { kind: 'enterprise', name: 'Kestrel' },
  admin_keys: [{ key: ENTERPRISE_KEY, name: 'ke', scopes: ['read:members', 'write:members', 'read:rbac_groups', 'write:rbac_groups'] }],
  users: [
    { email: 'own@ks.example', role: 'primary_owner' },
    { email: 'mia@ks.example', role: 'user' },
    { email: 'max@ks.example', role: 'managed' },
  ],
  rbac_roles: [{ id: 'rbac_role_01Editors', display_name: 'Editors' }],
  rbac_groups: [
    { name: 'Owners', role_ids: [BUILT_IN_ROLE_IDS.owner], members: ['own@ks.example'] },
    { name: 'Eng', role_ids: ['rbac_role_01Editors', BUILT_IN_ROLE_IDS.member], members: ['mia@ks.example', 'max@ks.example'] },
    { name: 'Empty' },
  ],
};

const byId = <T extends { id: string }>(xs: T[]): T[] => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));

function ours(rig: SdkRig, key: string, version: string): AdminClient {
  return new AdminClient({ credential: { kind: 'x-api-key', value: key }, baseUrl: rig.emu.url, retry: { retries: 0 }, anthropicVersion: version });
}

const VERSIONS = ['2026-10-21', '2023-06-01'] as const;

describe.each(VERSIONS)('console organization: our client (sending %s) reads what the SDK reads', (version) => {
  let rig: SdkRig;
  let client: AdminClient;
  beforeAll(async () => {
    rig = await startRig(CONSOLE, CONSOLE_KEY);
    client = ours(rig, CONSOLE_KEY, version);
  });
  afterAll(async () => {
    await client?.close();
    await rig?.emu.close();
  });

  it('users and invites', async () => {
    const sdkUsers = await all(rig.client.organization.users.list({ limit: 2 }));
    expect(byId((await client.listAllUsers()).map(toLiveUser))).toEqual(
      byId(sdkUsers.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role }))));
    const sdkInvites = await all(rig.client.organization.invites.list({ limit: 1 }));
    expect(byId((await client.listAllInvites()).map(toLiveInvite))).toEqual(
      byId(sdkInvites.map((i) => ({ id: i.id, email: i.email, role: i.role, status: i.status, invitedAt: i.invited_at, expiresAt: i.expires_at }))));
  });

  it('workspaces (archived too) and their members', async () => {
    const sdk = await all(rig.client.organization.workspaces.list({ include_archived: true }));
    const live = (await client.listAllWorkspaces({ include_archived: true })).map(toLiveWorkspace);
    expect(byId(live)).toEqual(byId(sdk.map((w) => ({ id: w.id, name: w.name, displayColor: w.display_color, archived: w.archived_at !== null }))));
    const alpha = sdk.find((w) => w.name === 'Alpha')!;
    const sdkMembers = await all(rig.client.organization.workspaces.members.list(alpha.id));
    const liveMembers = (await client.listAllWorkspaceMembers(alpha.id)).map((m) => toLiveWorkspaceMember(m));
    const key = (m: { userId: string }) => m.userId;
    expect(liveMembers.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      sdkMembers.map((m) => ({ workspaceId: m.workspace_id, userId: m.user_id, role: m.workspace_role })).sort((a, b) => key(a).localeCompare(key(b))));
  });

  it('API keys: the workspace from `scope` (the Default Workspace by its real id), an organization key has none', async () => {
    const sdk = await all(rig.client.organization.apiKeys.list());
    const live = (await client.listAllApiKeys()).map(toLiveApiKey);
    expect(byId(live).map((k) => ({ id: k.id, name: k.name, status: k.status, workspaceId: k.workspaceId, scope: k.scope, createdByUserId: k.createdByUserId })))
      .toEqual(byId(sdk.map((k) => ({
        id: k.id,
        name: k.name,
        status: k.status,
        workspaceId: k.scope.type === 'workspace' ? k.scope.workspace_id : null,
        scope: k.scope.type,
        createdByUserId: k.created_by?.id ?? null,
      }))));
    // the seed has all three kinds, so the comparison above covers each
    expect(new Set(sdk.map((k) => k.scope.type))).toEqual(new Set(['workspace', 'organization']));
    expect(live.find((k) => k.name === 'in-default')!.workspaceId).toMatch(/^wrkspc_/);
  });
});

describe.each(VERSIONS)('enterprise organization: our client (sending %s) reads what the SDK reads', (version) => {
  let rig: SdkRig;
  let client: AdminClient;
  beforeAll(async () => {
    rig = await startRig(ENTERPRISE, ENTERPRISE_KEY);
    client = ours(rig, ENTERPRISE_KEY, version);
  });
  afterAll(async () => {
    await client?.close();
    await rig?.emu.close();
  });

  it('RBAC groups with their role_ids, and their members by rbac_group_id', async () => {
    const sdk = await all(rig.client.organization.rbacGroups.list({ limit: 1 }));
    const live = (await client.listAllRbacGroups()).map(toLiveGroup);
    expect(byId(live)).toEqual(byId(sdk.map((g) => ({ id: g.id, name: g.name, sourceType: g.source_type, roleIds: g.role_ids }))));
    expect(live.find((g) => g.name === 'Eng')!.roleIds).toHaveLength(2);
    for (const g of sdk) {
      const sdkMembers = await all(rig.client.organization.rbacGroups.members.list(g.id, { limit: 1 }));
      // without the listing's id: the group is what the answer says (`rbac_group_id`)
      const liveMembers = (await client.listAllRbacGroupMembers(g.id)).map((m) => toLiveGroupMember(m));
      expect(liveMembers).toEqual(sdkMembers.map((m) => ({ groupId: m.rbac_group_id, userId: m.user_id })));
    }
  });

  it('RBAC roles: display_name, and built-in from source.type', async () => {
    const sdk = await all(rig.client.organization.rbacRoles.list({ limit: 2 }));
    const live = (await client.listAllRbacRoles()).map(toLiveRole);
    // The older shape has no `source`: no role is taken for built-in, so no group is predicted to grant owner
    // access (the apply still reports the API's refusal as manual).
    const legacy = version === '2023-06-01';
    expect(byId(live)).toEqual(byId(sdk.map((r) => ({ id: r.id, displayName: r.display_name, builtIn: !legacy && r.source.type === 'built_in' }))));
    expect(live.filter((r) => r.builtIn).map((r) => r.displayName).sort()).toEqual(legacy ? [] : ['Admin', 'Member', 'Owner']);
    expect(live.find((r) => r.id === 'rbac_role_01Editors')).toEqual({ id: 'rbac_role_01Editors', displayName: 'Editors', builtIn: false });
  });
});
