// What the member plan means for each person, read by the membership planners (workspaces, groups, SCIM groups):
// whether they are a member now, which org role they will hold after this plan, whether they are leaving, and
// which change their memberships must wait for.

import { emailKey } from '../model/address.js';
import type { LiveUser } from '../model/live.js';
import type { Change } from '../model/plan.js';
import { personLeaving } from '../model/removals.js';
import type { PlanContext } from './context.js';

export interface Outlook {
  /** the live member, when they are one now */
  user?: LiveUser;
  /** the org role after this plan: the declared role when the API changes it, else the current one */
  roleAfter?: string;
  /** the member update that changes their org role in this plan */
  roleChange?: Change;
  /** a person must change their org role in the console first */
  manualRoleChange: boolean;
  /** the plan removes them from the organization (or deprovisions them) */
  leaving: boolean;
  /** not a member yet, and why (invited, waiting for the directory sync, first sign-in) */
  waiting?: string;
}

export function buildOutlook(ctx: PlanContext, memberChanges: readonly Change[]): Map<string, Outlook> {
  const out = new Map<string, Outlook>();
  const get = (key: string): Outlook => {
    let o = out.get(key);
    if (!o) {
      o = { manualRoleChange: false, leaving: false };
      const u = ctx.users.get(key);
      if (u) {
        o.user = u;
        o.roleAfter = u.role;
      }
      out.set(key, o);
    }
    return o;
  };
  for (const key of ctx.users.keys()) get(key);
  for (const key of ctx.declared.keys()) get(key);

  for (const c of memberChanges) {
    const o = get(emailKey(c.key));
    // the one definition of a person leaving, shared with the removal guards (model/removals.ts)
    if (personLeaving(c) !== undefined) {
      o.leaving = true;
      continue;
    }
    if (c.kind === 'member' && c.action === 'update') {
      o.roleChange = c;
      o.roleAfter = String(c.after?.role ?? o.roleAfter);
    } else if (c.kind === 'member' && c.action === 'manual' && c.after) {
      o.manualRoleChange = true;
    }
  }

  for (const [key, m] of ctx.declared) {
    const o = get(key);
    if (o.user) continue;
    const p = ctx.pendingInvites.get(key);
    switch (ctx.desired.organization.provisioning) {
      case 'invite':
        o.waiting = p ? `waits for ${m.email} to accept the invite` : `waits for ${m.email} to accept the invite sent by this plan`;
        break;
      case 'jit':
        o.waiting = `waits for ${m.email} to sign in for the first time (provisioning jit)`;
        break;
      case 'scim':
        o.waiting = `waits for the directory sync to make ${m.email} a member`;
        break;
    }
  }
  return out;
}
