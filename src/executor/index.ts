// Turns one planned change into API calls. Built by the CLI from the clients and handed to the applier, so
// apply/ never imports a client. The switch is exhaustive over kinds: a new kind fails to compile until it is
// executed here. Objects created earlier in the same run (a workspace, a group, a SCIM user) are found by the
// address of the change that created them: the applier runs that change first (depends_on).

import type { ExecuteOutcome, Executor } from '../apply/run.js';
import type { WireInviteCreate } from '../clients/wire.js';
import { ApiError } from '../errors.js';
import { address, assertNever } from '../model/address.js';
import type { Attrs, Change } from '../model/plan.js';

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

export interface ExecutorDeps {
  admin: AdminWriter;
  /** absent when the SCIM directory is not configured (then no SCIM change is planned as an API action) */
  scim?: ScimWriter | undefined;
  /** creates of a saved plan found already in place (live/stale.ts), by address: their ids serve their dependents */
  existing?: ReadonlyMap<string, { id?: string | undefined }> | undefined;
}

function str(attrs: Attrs | null, name: string, c: Change): string {
  const v = attrs?.[name];
  if (typeof v !== 'string' || v === '') throw new Error(`${c.address}: the plan has no ${name} for this ${c.action}`);
  return v;
}

function opt(attrs: Attrs | null, name: string): string | undefined {
  const v = attrs?.[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function id(c: Change): string {
  if (!c.id) throw new Error(`${c.address}: the plan has no remote id for this ${c.action}`);
  return c.id;
}

/**
 * Refusals that mean a person must make the change (SDK 1.17 error codes, by `error.details.error_code`): the
 * change is reported `manual` with what to do, not as a failure of the tool. Only for the kinds the API names.
 */
const PERSON_MUST: Readonly<Record<string, { kinds: readonly Change['kind'][]; why: string }>> = {
  rbac_group_grants_owner_access: {
    kinds: ['group', 'group_member', 'invite'],
    why: 'a role of the group grants owner access, which the API does not change (rbac_group_grants_owner_access); ' +
      'make this change in Claude\'s admin settings',
  },
  rbac_group_owner_access_unconfirmed: {
    kinds: ['group', 'group_member', 'invite'],
    why: 'the API could not confirm whether the group grants owner access and made no change ' +
      '(rbac_group_owner_access_unconfirmed); make this change in Claude\'s admin settings',
  },
  cannot_remove_last_member: {
    kinds: ['member'],
    why: 'the API never removes an organization\'s last member (cannot_remove_last_member); add a member first, or ' +
      'remove this one in the console',
  },
};

/** The `error_code` of an API refusal, when the error carries one. */
function errorCodeOf(err: unknown): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  return err.errorCode;
}

function unsupported(c: Change): never {
  throw new Error(`${c.address}: ${c.action} of ${c.kind} is not something this tool can execute`);
}

export function createExecutor(deps: ExecutorDeps): Executor {
  const { admin } = deps;
  /** remote ids of objects created in this run, by the address of the change that created them */
  const created = new Map<string, string>();
  for (const [addr, e] of deps.existing ?? []) if (e.id) created.set(addr, e.id);

  /** The remote id in `attrs[idName]`, else the id created earlier in this run by `kind["attrs[nameKey]"]`. */
  const ref = (c: Change, attrs: Attrs | null, idName: string, kind: 'workspace' | 'group' | 'scim_group' | 'scim_user', nameKey: string): string => {
    const known = opt(attrs, idName);
    if (known) return known;
    const addr = address(kind, str(attrs, nameKey, c));
    const made = created.get(addr);
    if (!made) throw new Error(`${c.address}: ${addr} was not created in this run`);
    return made;
  };

  const scim = (c: Change): ScimWriter => {
    if (!deps.scim) throw new Error(`${c.address}: the SCIM directory is not configured`);
    return deps.scim;
  };

  async function run(c: Change): Promise<string | undefined> {
    switch (c.kind) {
      case 'member':
        if (c.action === 'update') return void (await admin.updateUser(id(c), str(c.after, 'role', c))), id(c);
        if (c.action === 'delete') return void (await admin.deleteUser(id(c))), id(c);
        return unsupported(c);
      case 'invite':
        if (c.action === 'delete') return void (await admin.deleteInvite(id(c))), id(c);
        if (c.action === 'replace') {
          // Withdraw first: the API refuses a second pending invite for the same address (§6.3).
          await admin.deleteInvite(id(c));
        } else if (c.action !== 'create') {
          return unsupported(c);
        }
        {
          const role = str(c.after, 'role', c);
          const invite = await admin.createInvite({ email: str(c.after, 'email', c), role });
          // invite_already_exists (2026-10-21): the client returns the pending invite that exists instead of sending
          // a second email. One made since the plan with another role is not what was planned: say so, do not
          // call it applied (the next plan replaces it).
          if (invite.role !== undefined && invite.role !== role) {
            throw new Error(`a pending invite for ${str(c.after, 'email', c)} as ${invite.role} exists (${invite.id}), made since the plan; ` +
              `no second invite was sent. The next plan replaces it with one as ${role}`);
          }
          return invite.id;
        }
      case 'workspace': {
        if (c.action === 'create') {
          const color = opt(c.after, 'display_color');
          // the plan's own listing says which objects already had the name: no listing again before the POST
          return (await admin.createWorkspace({ name: str(c.after, 'name', c), ...(color ? { display_color: color } : {}) }, { knownIds: c.known_ids ?? [] })).id;
        }
        if (c.action === 'update') {
          const body: { name?: string; display_color?: string } = {};
          if (c.after?.name !== c.before?.name) body.name = str(c.after, 'name', c);
          if (c.after?.display_color !== c.before?.display_color) body.display_color = str(c.after, 'display_color', c);
          return void (await admin.updateWorkspace(id(c), body)), id(c);
        }
        if (c.action === 'delete') return void (await admin.archiveWorkspace(id(c))), id(c);
        return unsupported(c);
      }
      case 'workspace_member': {
        const attrs = c.after ?? c.before;
        const ws = ref(c, attrs, 'workspace_id', 'workspace', 'workspace');
        const user = str(attrs, 'user_id', c);
        if (c.action === 'create') return void (await admin.addWorkspaceMember(ws, user, str(c.after, 'role', c))), undefined;
        if (c.action === 'update') return void (await admin.updateWorkspaceMember(ws, user, str(c.after, 'role', c))), undefined;
        if (c.action === 'delete') return void (await admin.removeWorkspaceMember(ws, user)), undefined;
        return unsupported(c);
      }
      case 'api_key':
        // Offboarding only ever deactivates (reversible); the tool never archives a key.
        if (c.action === 'update' && c.after?.status === 'inactive') return void (await admin.updateApiKey(id(c), { status: 'inactive' })), id(c);
        return unsupported(c);
      case 'group':
        if (c.action === 'create') return (await admin.createRbacGroup(str(c.after, 'name', c), { knownIds: c.known_ids ?? [] })).id;
        if (c.action === 'update') return void (await admin.renameRbacGroup(id(c), str(c.after, 'name', c))), id(c);
        if (c.action === 'delete') return void (await admin.deleteRbacGroup(id(c))), id(c);
        return unsupported(c);
      case 'group_member': {
        const attrs = c.after ?? c.before;
        const group = ref(c, attrs, 'group_id', 'group', 'group');
        const user = str(attrs, 'user_id', c);
        if (c.action === 'create') return void (await admin.addRbacGroupMember(group, user)), undefined;
        if (c.action === 'delete') return void (await admin.removeRbacGroupMember(group, user)), undefined;
        return unsupported(c);
      }
      case 'scim_user': {
        const s = scim(c);
        if (c.action === 'create') {
          const a = c.after;
          const given = opt(a, 'givenName');
          const family = opt(a, 'familyName');
          const email = str(a, 'email', c);
          return (await s.createUser({
            userName: str(a, 'userName', c),
            emails: [{ value: email, type: 'work', primary: true }],
            active: true,
            ...(given || family ? { name: { ...(given ? { givenName: given } : {}), ...(family ? { familyName: family } : {}) } } : {}),
          })).id;
        }
        if (c.action === 'update') return void (await s.setUserActive(id(c), c.after?.active === true)), id(c);
        if (c.action === 'delete') return void (await s.deleteUser(id(c))), id(c);
        return unsupported(c);
      }
      case 'scim_group': {
        const s = scim(c);
        if (c.action === 'create') {
          const ext = opt(c.after, 'externalId');
          return (await s.createGroup({ displayName: str(c.after, 'displayName', c), ...(ext !== undefined ? { externalId: ext } : {}) })).id;
        }
        if (c.action === 'update') return void (await s.renameGroup(id(c), str(c.after, 'displayName', c))), id(c);
        if (c.action === 'delete') return void (await s.deleteGroup(id(c))), id(c);
        return unsupported(c);
      }
      case 'scim_group_member': {
        const s = scim(c);
        const attrs = c.after ?? c.before;
        const group = ref(c, attrs, 'group_id', 'scim_group', 'group');
        const user = ref(c, attrs, 'user_id', 'scim_user', 'user');
        if (c.action === 'create') return void (await s.addGroupMembers(group, [user])), undefined;
        if (c.action === 'delete') return void (await s.removeGroupMember(group, user)), undefined;
        return unsupported(c);
      }
      default:
        return assertNever(c.kind, 'resource kind');
    }
  }

  return {
    async execute(c: Change): Promise<ExecuteOutcome | void> {
      let made: string | undefined;
      try {
        made = await run(c);
      } catch (err) {
        const code = errorCodeOf(err);
        const person = code !== undefined ? PERSON_MUST[code] : undefined;
        if (person && person.kinds.includes(c.kind)) return { manual: person.why, ...(c.id ? { id: c.id } : {}) };
        // The person joined since the plan was made (the client never sends a second invite on it): nothing to send.
        if (code === 'already_member' && c.kind === 'invite' && c.action !== 'delete') {
          return { inPlace: 'already a member (joined since the plan was made); the next plan checks their role' };
        }
        throw err;
      }
      if (made === undefined) return;
      if (c.action === 'create' || c.action === 'replace') created.set(c.address, made);
      return { id: made };
    },
  };
}
