// One handler per resource kind (issue 16): the API calls a change of that kind makes, reading the change's typed
// attributes. The table is checked against every kind: a kind added to model/kinds.ts fails to compile until it
// has a handler here. A handler returns the remote id the change created or acted on, when there is one.

import type { ResourceKind } from '../model/kinds.js';
import type { Change, ChangeCommon, ChangeOf } from '../model/plan.js';
import type { WireInviteCreate } from '../clients/wire.js';

// The writes the handlers need from the API clients (the clients implement them, tests fake them): a kind's
// handler and the calls it makes are declared in this one file.

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

export interface HandlerContext {
  admin: AdminWriter;
  /** the SCIM client; throws when the directory is not configured */
  scim(c: Change): ScimWriter;
  /** the id of the `kind` object made earlier in this run by one of `c.depends_on` */
  made(c: ChangeCommon, kind: 'workspace' | 'group' | 'scim_user' | 'scim_group' | 'service_account'): string;
}

type Handler<K extends ResourceKind> = (c: ChangeOf<K>, x: HandlerContext) => Promise<string | undefined>;

function unsupported(c: Change): never {
  throw new Error(`${c.address}: ${c.action} of ${c.kind} is not something this tool can execute`);
}

/** The remote id the change acts on. */
function id(c: Change): string {
  if (!c.id) throw new Error(`${c.address}: the plan has no remote id for this ${c.action}`);
  return c.id;
}

/** A value the plan must carry for this action (the plan's schema allows it to be absent for others). */
function need<T>(v: T | undefined | null, what: string, c: Pick<ChangeCommon, 'address' | 'action'>): T {
  if (v === undefined || v === null || v === '') throw new Error(`${c.address}: the plan has no ${what} for this ${c.action}`);
  return v;
}

/**
 * The container and the user a membership change acts on (`after`, or `before` for a removal): the ids the plan
 * read, or, for an object created in this run, the id its create made (found through `depends_on`). `userKind`:
 * the user may be created in this run too (a SCIM user); otherwise the plan must carry the user's id.
 */
function membership<K extends 'workspace_member' | 'group_member' | 'scim_group_member' | 'service_account_workspace'>(
  c: ChangeOf<K>,
  x: HandlerContext,
  containerKind: 'workspace' | 'group' | 'scim_group',
  ids: (a: NonNullable<ChangeOf<K>['after']>) => [string | undefined, string | undefined],
  userKind?: 'scim_user' | 'service_account',
): [string, string] {
  // `before` and `after` of a membership have the same shape (model/kinds.ts)
  const [container, user] = ids(need(c.after ?? c.before, 'attributes', c) as NonNullable<ChangeOf<K>['after']>);
  return [container ?? x.made(c, containerKind), user ?? (userKind ? x.made(c, userKind) : need<string>(user, 'user_id', c))];
}

const HANDLERS = {
  member: async (c, { admin }) => {
    if (c.action === 'update') return void (await admin.updateUser(id(c), need(c.after?.role, 'role', c))), id(c);
    if (c.action === 'delete') return void (await admin.deleteUser(id(c))), id(c);
    return unsupported(c);
  },
  invite: async (c, { admin }) => {
    if (c.action === 'delete') return void (await admin.deleteInvite(id(c))), id(c);
    if (c.action === 'replace') {
      // Withdraw first: the API refuses a second pending invite for the same address (§6.3).
      await admin.deleteInvite(id(c));
    } else if (c.action !== 'create') {
      return unsupported(c);
    }
    const role = need(c.after?.role, 'role', c);
    const email = need(c.after?.email, 'email', c);
    const invite = await admin.createInvite({ email, role });
    // invite_already_exists (2026-10-21): the client returns the pending invite that exists instead of sending a
    // second email. One made since the plan with another role is not what was planned: say so, do not call it
    // applied (the next plan replaces it).
    if (invite.role !== undefined && invite.role !== role) {
      throw new Error(`a pending invite for ${email} as ${invite.role} exists (${invite.id}), made since the plan; ` +
        `no second invite was sent. The next plan replaces it with one as ${role}`);
    }
    return invite.id;
  },
  workspace: async (c, { admin }) => {
    if (c.action === 'create') {
      const after = need(c.after, 'attributes', c);
      const color = after.display_color;
      // the plan's own listing says which objects already had the name: no listing again before the POST
      return (await admin.createWorkspace({ name: need(after.name, 'name', c), ...(color ? { display_color: color } : {}) },
        { knownIds: c.known_ids ?? [] })).id;
    }
    if (c.action === 'update') {
      const body: { name?: string; display_color?: string } = {};
      if (c.after?.name !== c.before?.name) body.name = need(c.after?.name, 'name', c);
      if (c.after?.display_color !== c.before?.display_color) body.display_color = need(c.after?.display_color, 'display_color', c);
      return void (await admin.updateWorkspace(id(c), body)), id(c);
    }
    if (c.action === 'delete') return void (await admin.archiveWorkspace(id(c))), id(c);
    return unsupported(c);
  },
  workspace_member: async (c, x) => {
    const [ws, user] = membership(c, x, 'workspace', (a) => [a.workspace_id, a.user_id]);
    if (c.action === 'create') return void (await x.admin.addWorkspaceMember(ws, user, need(c.after?.role, 'role', c))), undefined;
    if (c.action === 'update') return void (await x.admin.updateWorkspaceMember(ws, user, need(c.after?.role, 'role', c))), undefined;
    if (c.action === 'delete') return void (await x.admin.removeWorkspaceMember(ws, user)), undefined;
    return unsupported(c);
  },
  api_key: async (c, { admin }) => {
    // Offboarding only ever deactivates (reversible); the tool never archives a key.
    if (c.action === 'update' && c.after?.status === 'inactive') return void (await admin.updateApiKey(id(c), { status: 'inactive' })), id(c);
    return unsupported(c);
  },
  group: async (c, { admin }) => {
    if (c.action === 'create') return (await admin.createRbacGroup(need(c.after?.name, 'name', c), { knownIds: c.known_ids ?? [] })).id;
    if (c.action === 'update') return void (await admin.renameRbacGroup(id(c), need(c.after?.name, 'name', c))), id(c);
    if (c.action === 'delete') return void (await admin.deleteRbacGroup(id(c))), id(c);
    return unsupported(c);
  },
  group_member: async (c, x) => {
    const [group, user] = membership(c, x, 'group', (a) => [a.group_id, a.user_id]);
    if (c.action === 'create') return void (await x.admin.addRbacGroupMember(group, user)), undefined;
    if (c.action === 'delete') return void (await x.admin.removeRbacGroupMember(group, user)), undefined;
    return unsupported(c);
  },
  scim_user: async (c, x) => {
    const s = x.scim(c);
    if (c.action === 'create') {
      const a = need(c.after, 'attributes', c);
      const { givenName: given, familyName: family } = a;
      const email = need(a.email, 'email', c);
      return (await s.createUser({
        userName: need(a.userName, 'userName', c),
        emails: [{ value: email, type: 'work', primary: true }],
        active: true,
        ...(given || family ? { name: { ...(given ? { givenName: given } : {}), ...(family ? { familyName: family } : {}) } } : {}),
      })).id;
    }
    if (c.action === 'update') return void (await s.setUserActive(id(c), c.after?.active === true)), id(c);
    if (c.action === 'delete') return void (await s.deleteUser(id(c))), id(c);
    return unsupported(c);
  },
  scim_group: async (c, x) => {
    const s = x.scim(c);
    if (c.action === 'create') {
      const ext = c.after?.externalId;
      return (await s.createGroup({ displayName: need(c.after?.displayName, 'displayName', c), ...(ext !== undefined ? { externalId: ext } : {}) })).id;
    }
    if (c.action === 'update') return void (await s.renameGroup(id(c), need(c.after?.displayName, 'displayName', c))), id(c);
    if (c.action === 'delete') return void (await s.deleteGroup(id(c))), id(c);
    return unsupported(c);
  },
  scim_group_member: async (c, x) => {
    const s = x.scim(c);
    const [group, user] = membership(c, x, 'scim_group', (a) => [a.group_id, a.user_id], 'scim_user');
    if (c.action === 'create') return void (await s.addGroupMembers(group, [user])), undefined;
    if (c.action === 'delete') return void (await s.removeGroupMember(group, user)), undefined;
    return unsupported(c);
  },
  sign_out: async (c, { admin }) => {
    if (c.action === 'create') return void (await admin.signOutUser(need(c.after?.user_id ?? c.id, 'user_id', c))), undefined;
    return unsupported(c);
  },
  service_account: async (c, { admin }) => {
    if (c.action === 'create') {
      const a = need(c.after, 'attributes', c);
      // the planner never creates an admin one (it needs an interactive credential): that change is manual
      if (a.role !== 'developer') throw new Error(`${c.address}: only developer service accounts are created by this tool`);
      return (await admin.createServiceAccount({
        name: need(a.name, 'name', c), organization_role: 'developer', ...(a.description !== undefined ? { description: a.description } : {}),
      })).id;
    }
    if (c.action === 'update') {
      const body: { description?: string; organization_role?: 'developer' } = {};
      if (c.after?.description !== undefined && c.after.description !== c.before?.description) body.description = c.after.description;
      if (c.after?.role !== c.before?.role) {
        if (c.after?.role !== 'developer') throw new Error(`${c.address}: raising a service account to admin needs an interactive credential`);
        body.organization_role = 'developer';
      }
      return void (await admin.updateServiceAccount(id(c), body)), id(c);
    }
    if (c.action === 'delete') return void (await admin.archiveServiceAccount(id(c))), id(c);
    return unsupported(c);
  },
  service_account_workspace: async (c, x) => {
    const [ws, account] = membership(c, x, 'workspace', (a) => [a.workspace_id, a.service_account_id], 'service_account');
    // adding replaces the role of an existing membership (SDK), so create and update are one call
    if (c.action === 'create' || c.action === 'update') {
      return void (await x.admin.addServiceAccountWorkspace(account, ws, need(c.after?.role, 'role', c))), undefined;
    }
    if (c.action === 'delete') return void (await x.admin.removeServiceAccountWorkspace(account, ws)), undefined;
    return unsupported(c);
  },
} satisfies { readonly [K in ResourceKind]: Handler<K> };

/** Makes the API calls of one change. */
export function handle(c: Change, x: HandlerContext): Promise<string | undefined> {
  // TypeScript cannot relate `HANDLERS[c.kind]` to `c` itself; the table's type says each entry takes its own kind
  const h = HANDLERS[c.kind] as (c: Change, x: HandlerContext) => Promise<string | undefined>;
  return h(c, x);
}
