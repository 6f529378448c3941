// Stale-plan detection for saved plans (issue 5): before `apply PLANFILE` runs, the live collections the plan
// touches are listed again (whole listings, never one GET per object) and every touched object is fingerprinted
// the way the planner did. Objects the plan does not touch may change freely; a touched one that changed or is gone
// makes the apply refuse.

import { fingerprint } from '../model/fingerprint.js';
import type { LiveScim } from '../model/live.js';
import { isApiAction, type Change, type Plan } from '../model/plan.js';
import type { AdminReader } from './read.js';
import {
  toLiveApiKey,
  toLiveGroup,
  toLiveGroupMember,
  toLiveInvite,
  toLiveUser,
  toLiveWorkspace,
  toLiveWorkspaceMember,
} from './read.js';

export interface StaleObject {
  address: string;
  id: string;
  why: string;
}

export interface StaleSources {
  admin: AdminReader;
  /** reads the SCIM directory (needed when the plan touches SCIM objects) */
  scim?: () => Promise<LiveScim>;
  signal?: AbortSignal;
}

type Current = Map<string, object>;

function byId<T>(items: T[], id: (t: T) => string): Current {
  return new Map(items.map((t) => [id(t), t as object]));
}

/** The current objects of one kind, keyed the way the plan's `id` names them. */
async function current(kind: Change['kind'], touched: Change[], src: StaleSources, scim: () => Promise<LiveScim>): Promise<Current> {
  const { admin, signal } = src;
  const opts = { signal };
  const prefixes = (sep = '/') => [...new Set(touched.map((c) => c.id!.split(sep)[0]!))];
  switch (kind) {
    case 'member':
      return byId((await admin.listAllUsers(undefined, opts)).map(toLiveUser), (u) => u.id);
    case 'invite':
      return byId((await admin.listAllInvites({ statuses: ['pending', 'expired'] }, opts)).map(toLiveInvite), (i) => i.id);
    case 'workspace':
      return byId((await admin.listAllWorkspaces({ include_archived: true }, opts)).map(toLiveWorkspace), (w) => w.id);
    case 'workspace_member': {
      const lists = await Promise.all(prefixes().map((ws) => admin.listAllWorkspaceMembers(ws, opts)));
      return byId(lists.flat().map((m) => toLiveWorkspaceMember(m)), (m) => `${m.workspaceId}/${m.userId}`);
    }
    case 'api_key':
      return byId((await admin.listAllApiKeys({ status: 'active' }, opts)).map(toLiveApiKey), (k) => k.id);
    case 'group':
      return byId((await admin.listAllRbacGroups(opts)).map(toLiveGroup), (g) => g.id);
    case 'group_member': {
      const lists = await Promise.all(prefixes().map((g) => admin.listAllRbacGroupMembers(g, opts)));
      return byId(lists.flat().map((m) => toLiveGroupMember(m)), (m) => `${m.groupId}/${m.userId}`);
    }
    case 'scim_user': {
      const s = await scim();
      return s.available ? byId(s.users, (u) => u.id) : new Map();
    }
    case 'scim_group': {
      const s = await scim();
      return s.available ? byId(s.groups, (g) => g.id) : new Map();
    }
    case 'scim_group_member': {
      const s = await scim();
      const out: Current = new Map();
      if (s.available) for (const g of s.groups) for (const u of g.members) out.set(`${g.id}/${u}`, { group: g.id, user: u });
      return out;
    }
  }
}

/** Lists what the plan touches and returns every touched object that changed or is gone since the plan was made. */
export async function findStale(plan: Plan, src: StaleSources): Promise<StaleObject[]> {
  const touched = plan.changes.filter((c) => isApiAction(c.action) && c.fingerprint && c.id);
  const byKind = new Map<Change['kind'], Change[]>();
  for (const c of touched) byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), c]);

  // The SCIM directory is read once even when three kinds need it.
  let scimRead: Promise<LiveScim> | undefined;
  const scim = () => (scimRead ??= src.scim ? src.scim() : Promise.resolve<LiveScim>({ available: false, reason: 'the SCIM directory is not configured' }));

  const kinds = [...byKind.keys()];
  const found = await Promise.all(kinds.map((k) => current(k, byKind.get(k)!, src, scim)));
  const stale: StaleObject[] = [];
  kinds.forEach((kind, i) => {
    const now = found[i]!;
    for (const c of byKind.get(kind)!) {
      const obj = now.get(c.id!);
      if (!obj) stale.push({ address: c.address, id: c.id!, why: 'is gone' });
      else if (fingerprint(obj) !== c.fingerprint) stale.push({ address: c.address, id: c.id!, why: 'changed' });
    }
  });
  return stale;
}
