// The one live reader (live/read.ts) over a recording fake Admin API: which listings each scope reads, that each is
// read once per reader whatever needs it, and the fail-closed and org-pin habits.

import { describe, expect, it } from 'vitest';
import type { WireRbacGroup, WireWorkspace } from '../../src/clients/wire.js';
import { ApiError, OrganizationMismatchError } from '../../src/errors.js';
import { LIVE_KINDS, listing } from '../../src/live/kinds.js';
import { LiveReader, type AdminReader } from '../../src/live/read.js';
import { RESOURCE_KINDS } from '../../src/model/kinds.js';
import type { Change, Plan } from '../../src/model/plan.js';
import { address } from '../../src/model/address.js';
import type { ResourceKind } from '../../src/model/kinds.js';
import { desiredOf, ORG_ID } from '../builders.js';

function apiError(status: number, path: string): ApiError {
  return new ApiError({ status, errorType: 'permission_error', apiMessage: 'no', request: { method: 'GET', path }, retryable: false });
}

const ws = (id: string, name: string, archived = false): WireWorkspace =>
  ({ id, type: 'workspace', name, display_color: '#000000', created_at: '', archived_at: archived ? '2025-01-01T00:00:00Z' : null }) as WireWorkspace;
const grp = (id: string, name: string, source_type = 'direct', role_ids: string[] = []): WireRbacGroup =>
  ({ id, type: 'rbac_group', name, source_type, role_ids, created_at: '', updated_at: '' }) as unknown as WireRbacGroup;

function fakeAdmin(over: Partial<AdminReader> = {}): AdminReader & { calls: string[] } {
  const calls: string[] = [];
  const items = <T>(name: string, list: T[]) => (async function* () {
    calls.push(name);
    yield* list;
  })();
  return {
    calls,
    getOrganization: async () => (calls.push('me'), { id: ORG_ID, type: 'organization', name: 'Acme' }),
    listUsers: () => items('users', [{ id: 'u1', type: 'user', email: 'a@acme.com', name: 'A', role: 'user', added_at: '' } as const]),
    listInvites: (q) => items(`invites ${q?.statuses?.join(',')}`, []),
    listAllWorkspaces: async () => (calls.push('workspaces'), [ws('w1', 'Lab'), ws('w2', 'Ops'), ws('w3', 'Old', true)]),
    listWorkspaceMembers: (id) => items(`ws-members ${id}`, [{ type: 'workspace_member', workspace_id: id, user_id: 'u1', workspace_role: 'workspace_user' } as const]),
    listAllApiKeys: async () => (calls.push('api-keys'), []),
    listAllRbacGroups: async () => (calls.push('groups'), [grp('g1', 'Eng', 'direct', ['r1']), grp('g2', 'Ops'), grp('g3', 'Idp', 'scim')]),
    listRbacGroupMembers: (id) => items(`group-members ${id}`, []),
    listAllRbacRoles: async () => (calls.push('roles'), []),
    ...over,
  };
}

describe('LiveReader: scope managed (a plan)', () => {
  it('checks the org pin first, then reads the members of the managed workspaces only', async () => {
    const admin = fakeAdmin();
    const live = await new LiveReader({ admin }).read({ managed: desiredOf({ workspaces: { Lab: { members: {} }, Ops: {} } }) });
    expect(admin.calls[0]).toBe('me');
    expect([...admin.calls].sort()).toEqual(['invites pending,expired', 'me', 'users', 'workspaces', 'ws-members w1']);
    expect(live.workspaces?.map((w) => w.id)).toEqual(['w1', 'w2', 'w3']);
    expect(live.workspaceMembers).toEqual([{ workspaceId: 'w1', userId: 'u1', role: 'workspace_user' }]);
    expect(live.groups).toBeUndefined();
    expect(live.scim).toBeUndefined();
  });

  it('enterprise: groups, the members of managed direct groups, the roles only when a declared group carries any', async () => {
    const admin = fakeAdmin();
    const live = await new LiveReader({ admin }).read({ managed: desiredOf({ kind: 'enterprise', groups: { Ops: { members: [] } } }) });
    expect(admin.calls).toContain('group-members g2');
    expect(admin.calls).not.toContain('roles');
    expect(live.roles).toBeUndefined();
    const withRoles = fakeAdmin();
    await new LiveReader({ admin: withRoles }).read({ managed: desiredOf({ kind: 'enterprise', groups: { Eng: {} } }) });
    expect(withRoles.calls).toContain('roles');
    expect(withRoles.calls.filter((c) => c.startsWith('group-members'))).toEqual([]);
  });

  it('a 403 on groups makes them unreadable, with no member listing; any other failure is thrown', async () => {
    const admin = fakeAdmin({ listAllRbacGroups: async () => { throw apiError(403, '/v1/organizations/rbac_groups'); } });
    const live = await new LiveReader({ admin }).read({ managed: desiredOf({ kind: 'enterprise', groups: { Ops: { members: [] } } }) });
    expect(live.groups).toMatchObject({ unavailable: true, reason: expect.stringContaining('read:rbac_groups') });
    expect(live.groupMembers).toBeUndefined();
    const failing = fakeAdmin({ listAllWorkspaces: async () => { throw apiError(500, '/v1/organizations/workspaces'); } });
    await expect(new LiveReader({ admin: failing }).read({ managed: desiredOf({ workspaces: { Lab: {} } }) })).rejects.toThrow(ApiError);
  });

  it('another organization: nothing but /me is read', async () => {
    const admin = fakeAdmin({ getOrganization: async () => ({ id: 'other', type: 'organization', name: 'Other' }) as never });
    await expect(new LiveReader({ admin }).read({ managed: desiredOf() })).rejects.toThrow(OrganizationMismatchError);
    expect(admin.calls).toEqual([]);
  });

  it('one reader reads each listing once: the API keys after a plan, the workspaces for both kinds', async () => {
    const admin = fakeAdmin();
    const reader = new LiveReader({ admin });
    await reader.read({ managed: desiredOf({ workspaces: { Lab: { members: {} } } }) });
    await reader.listings.activeApiKeys();
    await reader.listings.activeApiKeys();
    expect(admin.calls.filter((c) => c === 'workspaces' || c === 'api-keys')).toEqual(['workspaces', 'api-keys']);
  });
});

describe('LiveReader: scope touched (a saved plan)', () => {
  it('starts the listings of what the API changes touch, and nothing for the others', async () => {
    const admin = fakeAdmin();
    const change = (kind: ResourceKind, key: string, over: object) =>
      ({ address: address(kind, key), kind, key, reason: '', phase: 0, before: null, after: null, depends_on: [], removal: false, ...over }) as unknown as Change;
    const changes: Change[] = [
      change('workspace_member', 'Lab/a@acme.com', { action: 'update', id: 'w1/u1' }),
      change('group_member', 'Ops/a@acme.com', { action: 'create', after: { group: 'Ops', group_id: 'g2', user_id: 'u1' } }),
      change('member', 'b@acme.com', { action: 'manual' }),
    ];
    const listings = await new LiveReader({ admin }).read({ touched: { changes } as unknown as Plan });
    await Promise.all([listing.workspaceMembers(listings, 'w1'), listing.groupMembers(listings, 'g2')]);
    expect([...admin.calls].sort()).toEqual(['group-members g2', 'ws-members w1']);
  });
});

describe('LiveReader: scope everything (import)', () => {
  it('detects a console org with one workspaces listing, used by the probe and the read', async () => {
    const admin = fakeAdmin();
    const r = await new LiveReader({ admin }).read({ everything: true });
    expect(r.kind).toBe('console');
    expect(admin.calls.filter((c) => c === 'workspaces')).toEqual(['workspaces']);
    expect(r.live.workspaceMembers?.map((m) => m.workspaceId)).toEqual(['w1', 'w2']);
    expect(r.live.apiKeys).toBeUndefined();
  });
});

it('the read table has one entry per resource kind, and no other', () => {
  expect(Object.keys(LIVE_KINDS).sort()).toEqual([...RESOURCE_KINDS].sort());
});
