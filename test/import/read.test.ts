// readForImport over a scripted AdminReader: kind detection, whole reads of every container's members, the org
// pin, and fail-closed errors. No HTTP: the reader is a plain object that records what was asked.

import { describe, expect, it } from 'vitest';
import { ApiError, OrganizationMismatchError, UsageError } from '../../src/errors.js';
import { readForImport } from '../../src/import/read.js';
import type { AdminReader } from '../../src/live/read.js';

const ORG = { id: 'org-1', type: 'organization' as const, name: 'Acme' };

function apiError(status: number, path: string): ApiError {
  return new ApiError({ status, errorType: status === 404 ? 'not_found_error' : 'permission_error', apiMessage: 'no', request: { method: 'GET', path }, retryable: false });
}

/** A listing the reader streams, from the items a scripted call returns. */
function stream<A extends unknown[], T>(list: (...args: A) => Promise<T[]>): (...args: A) => AsyncIterable<T> {
  return (...args) => (async function* () {
    yield* await list(...args);
  })();
}

function fakeAdmin(kind: 'console' | 'enterprise', over: Partial<AdminReader> = {}): AdminReader & { calls: string[] } {
  const calls: string[] = [];
  const admin: AdminReader & { calls: string[] } = {
    calls,
    getOrganization: async () => (calls.push('me'), ORG),
    listUsers: stream(async () => (calls.push('users'), [
      { id: 'u1', type: 'user', email: 'a@acme.com', name: 'A', role: 'user', added_at: '2025-01-01T00:00:00Z' } as const,
    ])),
    listInvites: stream(async (q?: { statuses?: string[] }) => (calls.push(`invites ${q?.statuses?.join(',')}`), [])),
    listAllWorkspaces: async (q) => {
      calls.push(`workspaces archived=${q?.include_archived}`);
      if (kind === 'enterprise') throw apiError(404, '/v1/organizations/workspaces');
      return [
        { id: 'w1', type: 'workspace', name: 'One', display_color: '#000000', created_at: '', archived_at: null },
        { id: 'w2', type: 'workspace', name: 'Two', display_color: '#000000', created_at: '', archived_at: null },
        { id: 'w3', type: 'workspace', name: 'Gone', display_color: '#000000', created_at: '', archived_at: '2025-01-01T00:00:00Z' },
      ];
    },
    listWorkspaceMembers: stream(async (id: string) => (calls.push(`ws-members ${id}`), [
      { type: 'workspace_member', workspace_id: id, user_id: 'u1', workspace_role: 'workspace_user' } as const,
    ])),
    listAllApiKeys: async () => (calls.push('api-keys'), []),
    listAllRbacGroups: async () => {
      calls.push('groups');
      if (kind === 'console') throw apiError(404, '/v1/organizations/rbac_groups');
      return [
        { id: 'g1', type: 'rbac_group', name: 'Direct', source_type: 'direct', roles: [], created_at: '', updated_at: '' },
        { id: 'g2', type: 'rbac_group', name: 'FromIdp', source_type: 'scim', roles: [], created_at: '', updated_at: '' },
      ];
    },
    listRbacGroupMembers: stream(async (id: string) => (calls.push(`group-members ${id}`), [
      { type: 'rbac_group_member', group_id: id, user_id: 'u1', email: 'a@acme.com', created_at: '' } as const,
    ])),
    listAllRbacRoles: async () => (calls.push('roles'), []),
    ...over,
  };
  return admin;
}

describe('readForImport', () => {
  it('detects a console org by the workspaces listing and reads the members of every active workspace', async () => {
    const admin = fakeAdmin('console');
    const src = await readForImport({ admin }, { provisioning: 'invite' });
    expect(src.kind).toBe('console');
    expect(src.kindSource).toBe('detected');
    expect(src.workspaces?.map((w) => [w.name, w.archived])).toEqual([['One', false], ['Two', false], ['Gone', true]]);
    expect(src.workspaceMembers?.map((m) => m.workspaceId)).toEqual(['w1', 'w2']);
    expect(admin.calls).toContain('workspaces archived=true');
    expect(admin.calls).toContain('invites pending,expired');
    expect(admin.calls).not.toContain('groups');
    expect(src.scim).toBeUndefined();
  });

  it('detects an enterprise org when the workspaces listing answers 404, and reads every direct group and the directory', async () => {
    const admin = fakeAdmin('enterprise');
    let scimReads = 0;
    const src = await readForImport(
      { admin, scim: async () => (scimReads++, { available: true, users: [], groups: [] }) },
      { provisioning: 'scim' },
    );
    expect(src.kind).toBe('enterprise');
    expect(src.groups).toEqual([
      { id: 'g1', name: 'Direct', sourceType: 'direct', roleIds: [] },
      { id: 'g2', name: 'FromIdp', sourceType: 'scim', roleIds: [] },
    ]);
    expect(admin.calls.filter((c) => c.startsWith('group-members'))).toEqual(['group-members g1']);
    expect(scimReads).toBe(1);
    expect(src.scim).toEqual({ available: true, users: [], groups: [] });
  });

  it('a 403 from the workspaces listing also means enterprise (the real status is undocumented, §16)', async () => {
    const admin = fakeAdmin('enterprise', { listAllWorkspaces: async () => { throw apiError(403, '/v1/organizations/workspaces'); } });
    const src = await readForImport({ admin }, { provisioning: 'invite' });
    expect(src.kind).toBe('enterprise');
  });

  it('with --kind enterprise, never asks for workspaces; a 403 on groups is kept as unreadable', async () => {
    const admin = fakeAdmin('enterprise', { listAllRbacGroups: async () => { throw apiError(403, '/v1/organizations/rbac_groups'); } });
    const src = await readForImport({ admin }, { kind: 'enterprise', provisioning: 'invite' });
    expect(src.kindSource).toBe('flag');
    expect(admin.calls.some((c) => c.startsWith('workspaces'))).toBe(false);
    expect(src.groups).toMatchObject({ unavailable: true, reason: expect.stringContaining('read:rbac_groups') });
  });

  it('with --kind console, a refused workspaces listing is a clear error, not a guess', async () => {
    await expect(readForImport({ admin: fakeAdmin('enterprise') }, { kind: 'console', provisioning: 'invite' }))
      .rejects.toThrow(UsageError);
  });

  it('any other failure is thrown (fail closed)', async () => {
    const admin = fakeAdmin('console', { listAllWorkspaces: async () => { throw apiError(500, '/v1/organizations/workspaces'); } });
    await expect(readForImport({ admin }, { provisioning: 'invite' })).rejects.toThrow(/500/);
  });

  it('stops after /me when the key belongs to another organization', async () => {
    const admin = fakeAdmin('console');
    await expect(readForImport({ admin }, { provisioning: 'invite', expectOrgId: 'org-2' })).rejects.toThrow(OrganizationMismatchError);
    expect(admin.calls).toEqual(['me']);
  });
});
