// The writes the executor needs from the API clients: the clients implement them, tests fake them.

import type { WireInviteCreate } from '../clients/wire.js';

type Id = { id: string };

/** The writes the executor needs from the Admin API client. */
export interface AdminWriter {
  updateUser(id: string, role: string): Promise<unknown>;
  deleteUser(id: string): Promise<unknown>;
  createInvite(body: WireInviteCreate): Promise<Id & { role?: string }>;
  deleteInvite(id: string): Promise<unknown>;
  createWorkspace(body: { name: string; display_color?: string }, opts?: { knownIds?: readonly string[] }): Promise<Id>;
  updateWorkspace(id: string, body: { name?: string; display_color?: string }): Promise<unknown>;
  archiveWorkspace(id: string): Promise<unknown>;
  addWorkspaceMember(workspaceId: string, userId: string, role: string): Promise<unknown>;
  updateWorkspaceMember(workspaceId: string, userId: string, role: string): Promise<unknown>;
  removeWorkspaceMember(workspaceId: string, userId: string): Promise<unknown>;
  updateApiKey(id: string, body: { status?: 'active' | 'inactive' | 'archived'; name?: string }): Promise<unknown>;
  createRbacGroup(name: string, opts?: { knownIds?: readonly string[] }): Promise<Id>;
  renameRbacGroup(id: string, name: string): Promise<unknown>;
  deleteRbacGroup(id: string): Promise<unknown>;
  addRbacGroupMember(groupId: string, userId: string): Promise<unknown>;
  removeRbacGroupMember(groupId: string, userId: string): Promise<unknown>;
  signOutUser(userId: string): Promise<unknown>;
  createServiceAccount(body: { name: string; description?: string | null; organization_role?: 'admin' | 'developer' }): Promise<Id>;
  updateServiceAccount(id: string, body: { description?: string | null; organization_role?: 'admin' | 'developer' | null }): Promise<unknown>;
  archiveServiceAccount(id: string): Promise<unknown>;
  addServiceAccountWorkspace(serviceAccountId: string, workspaceId: string, role: string): Promise<unknown>;
  removeServiceAccountWorkspace(serviceAccountId: string, workspaceId: string): Promise<unknown>;
}

/** The writes the executor needs from the SCIM client. */
export interface ScimWriter {
  createUser(body: {
    userName: string;
    emails: Array<{ value: string; type: string; primary: boolean }>;
    active: boolean;
    name?: { givenName?: string; familyName?: string };
  }): Promise<Id>;
  setUserActive(id: string, active: boolean): Promise<unknown>;
  deleteUser(id: string): Promise<unknown>;
  createGroup(body: { displayName: string; externalId?: string }): Promise<Id>;
  renameGroup(id: string, displayName: string): Promise<unknown>;
  deleteGroup(id: string): Promise<unknown>;
  addGroupMembers(groupId: string, userIds: string[]): Promise<unknown>;
  removeGroupMember(groupId: string, userId: string): Promise<unknown>;
}
