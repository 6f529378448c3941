// Turns one planned change into API calls. Built by the CLI from the clients and handed to the applier, so
// apply/ never imports a client. The switch is exhaustive over kinds and actions: a new kind fails to compile
// until it is executed here.

import type { WireInvite, WireInviteCreate, WireUser } from '../clients/wire.js';
import type { Executor } from '../apply/run.js';
import { assertNever } from '../model/address.js';
import type { Change } from '../model/plan.js';

/** The writes the executor needs from the Admin API client. */
export interface AdminWriter {
  updateUser(id: string, role: string): Promise<WireUser>;
  deleteUser(id: string): Promise<unknown>;
  createInvite(body: WireInviteCreate): Promise<WireInvite>;
  deleteInvite(id: string): Promise<unknown>;
}

export interface ExecutorDeps {
  admin: AdminWriter;
}

function str(attrs: Record<string, unknown> | null, name: string, c: Change): string {
  const v = attrs?.[name];
  if (typeof v !== 'string') throw new Error(`${c.address}: the plan has no ${name} for this ${c.action}`);
  return v;
}

function id(c: Change): string {
  if (!c.id) throw new Error(`${c.address}: the plan has no remote id for this ${c.action}`);
  return c.id;
}

function unsupported(c: Change): never {
  throw new Error(`${c.address}: ${c.action} of ${c.kind} is not something this tool can execute`);
}

export function createExecutor(deps: ExecutorDeps): Executor {
  const { admin } = deps;
  return {
    async execute(c: Change): Promise<{ id?: string } | void> {
      switch (c.kind) {
        case 'member':
          if (c.action === 'update') {
            await admin.updateUser(id(c), str(c.after, 'role', c));
            return { id: id(c) };
          }
          if (c.action === 'delete') {
            await admin.deleteUser(id(c));
            return { id: id(c) };
          }
          return unsupported(c);
        case 'invite': {
          if (c.action === 'delete') {
            await admin.deleteInvite(id(c));
            return { id: id(c) };
          }
          if (c.action === 'replace') {
            // Withdraw first: the API refuses a second pending invite for the same address (§6.3).
            await admin.deleteInvite(id(c));
          } else if (c.action !== 'create') {
            return unsupported(c);
          }
          const created = await admin.createInvite({ email: str(c.after, 'email', c), role: str(c.after, 'role', c) });
          return { id: created.id };
        }
        case 'workspace':
        case 'workspace_member':
        case 'api_key':
        case 'group':
        case 'group_member':
        case 'scim_user':
        case 'scim_group':
        case 'scim_group_member':
          return unsupported(c);
        default:
          return assertNever(c.kind, 'resource kind');
      }
    },
  };
}
