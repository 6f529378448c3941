// Wire objects → the live model (model/live.ts): the one mapping of each listing, used by the live reader (read.ts)
// and checked field by field against the SDK's reading of the same answers (test/sdk/client-agrees.test.ts).

import { apiKeyWorkspaceId, rbacGroupIdOf } from '../clients/admin-parse.js';
import type { WireApiKey, WireInvite, WireRbacGroup, WireRbacGroupMember, WireRbacRole, WireServiceAccount, WireServiceAccountWorkspaceMember, WireUser, WireWorkspace, WireWorkspaceMember } from '../clients/wire.js';
import { intern } from '../model/intern.js';
import type { LiveApiKey, LiveGroup, LiveGroupMember, LiveInvite, LiveRole, LiveServiceAccount, LiveServiceAccountWorkspace, LiveUser, LiveWorkspace, LiveWorkspaceMember } from '../model/live.js';

// Roles and statuses are interned (model/intern.ts): one string each, not one per user.
export function toLiveUser(u: WireUser): LiveUser {
  return { id: u.id, email: u.email, name: u.name ?? '', role: intern(u.role) };
}

export function toLiveInvite(i: WireInvite): LiveInvite {
  return { id: i.id, email: i.email, role: intern(i.role), status: intern(i.status), invitedAt: i.invited_at, expiresAt: i.expires_at };
}

export function toLiveWorkspace(w: WireWorkspace): LiveWorkspace {
  return { id: w.id, name: w.name, displayColor: w.display_color ?? '', archived: w.archived_at !== null && w.archived_at !== undefined };
}

/** `workspaceId`: the id the listing was asked for, when known (one string for all its members, not a copy each). */
export function toLiveWorkspaceMember(m: WireWorkspaceMember, workspaceId: string = m.workspace_id): LiveWorkspaceMember {
  return { workspaceId, userId: m.user_id, role: intern(m.workspace_role) };
}

export function toLiveApiKey(k: WireApiKey): LiveApiKey {
  // §15 item 2: the creator is `created_by.id` in every shape. The workspace comes from the client's one reading
  // of `scope` (2026-10-21) or the legacy `workspace_id`: null for an organization key or the old Default Workspace.
  const out: LiveApiKey = {
    id: k.id,
    name: k.name,
    status: k.status,
    workspaceId: apiKeyWorkspaceId(k),
    scope: k.scope?.type === 'organization' ? 'organization' : apiKeyWorkspaceId(k) !== null ? 'workspace' : 'default_workspace',
    createdByUserId: k.created_by?.id ?? null,
    partialKeyHint: k.partial_key_hint ?? null,
  };
  const account = serviceAccountPrincipal(k.principal);
  if (account !== undefined) out.serviceAccountId = account;
  return out;
}

/** The service account a key acts for, in either `principal` shape (`service_account_actor`, or `{id: svac_…}`). */
function serviceAccountPrincipal(p: WireApiKey['principal']): string | undefined {
  if (!p) return undefined;
  if ('service_account_id' in p) return p.service_account_id;
  if ('id' in p && typeof p.id === 'string' && p.id.startsWith('svac_')) return p.id;
  return undefined;
}

export function toLiveServiceAccount(a: WireServiceAccount): LiveServiceAccount {
  return {
    id: a.id,
    name: a.name,
    description: a.description ?? '',
    role: intern(a.organization_role),
    archived: a.archived_at !== null && a.archived_at !== undefined,
  };
}

export function toLiveServiceAccountWorkspace(m: WireServiceAccountWorkspaceMember): LiveServiceAccountWorkspace {
  return { serviceAccountId: m.service_account_id, workspaceId: m.workspace_id, role: intern(m.workspace_role) };
}

export function toLiveGroup(g: WireRbacGroup): LiveGroup {
  const out: LiveGroup = { id: g.id, name: g.name, sourceType: g.source_type };
  // the client normalizes `role_ids` (older versions: `roles`); null: role data temporarily unavailable
  const roleIds = 'role_ids' in g ? g.role_ids : 'roles' in g ? g.roles : undefined;
  if (roleIds !== undefined) out.roleIds = roleIds;
  return out;
}

export function toLiveRole(r: WireRbacRole): LiveRole {
  return { id: r.id, displayName: r.display_name, builtIn: r.source?.type === 'built_in' };
}

/** `groupId`: the id the listing was asked for, when known (one string for all its members, not a copy each). */
export function toLiveGroupMember(m: WireRbacGroupMember, groupId: string = rbacGroupIdOf(m)): LiveGroupMember {
  return { groupId, userId: m.user_id };
}
