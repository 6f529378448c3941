// SCIM groups in the enterprise directory. Contract: desired-state.md "scim"; protocol: scim.md; WorkOS rules §13.5.
// A group is found by external_id when the file gives one (so a changed name is a rename), else by displayName,
// compared without case as SCIM does. Members are resolved to SCIM user ids by userName.

import { address, emailKey } from '../model/address.js';
import type { DesiredGroupMember, DesiredScimGroup } from '../model/desired.js';
import type { DraftEntry, Drafts, DraftSource, LeftOutView, SectionDraft } from '../model/kinds.js';
import type { LiveScimGroup } from '../model/live.js';
import type { Change } from '../model/plan.js';
import { appendTo, change, diag } from './changes.js';
import type { PlanContext } from './context.js';
import { byEmailText, byText, changedBefore, declaredPeople, emptyDraft, GROUP_NAME_MAX, nameOk, notManaged, sharedNames, skip } from './drafting.js';
import type { Outlook } from './outlook.js';
import { PHASE } from './phases.js';

/** Live SCIM groups by lower-cased displayName and by externalId, built once (not one scan per declared group). */
interface ScimGroupIndex {
  byName: Map<string, LiveScimGroup[]>;
  byExternalId: Map<string, LiveScimGroup[]>;
}

function indexGroups(groups: readonly LiveScimGroup[]): ScimGroupIndex {
  const index: ScimGroupIndex = { byName: new Map(), byExternalId: new Map() };
  for (const x of groups) {
    appendTo(index.byName, x.displayName.toLowerCase(), x);
    if (x.externalId !== undefined) appendTo(index.byExternalId, x.externalId, x);
  }
  return index;
}

function resolve(index: ScimGroupIndex, g: DesiredScimGroup): { live?: LiveScimGroup; rename?: boolean; error?: string } {
  const byName = (n: string) => index.byName.get(n.toLowerCase()) ?? [];
  if (g.externalId !== undefined) {
    const byExt = index.byExternalId.get(g.externalId) ?? [];
    if (byExt.length > 1) return { error: `${byExt.length} SCIM groups have externalId "${g.externalId}"` };
    if (byExt.length === 1) return { live: byExt[0]!, rename: byExt[0]!.displayName !== g.name };
  }
  const current = byName(g.name);
  if (current.length > 1) return { error: `${current.length} SCIM groups are named "${g.name}"` };
  if (current.length === 1) {
    const found = current[0]!;
    if (g.externalId !== undefined && found.externalId !== undefined && found.externalId !== g.externalId) {
      return { error: `the SCIM group "${found.displayName}" has externalId "${found.externalId}", not "${g.externalId}"; a group's identity cannot change (§13.5)` };
    }
    return { live: found, rename: found.displayName !== g.name };
  }
  if (g.renamedFrom) {
    const old = byName(g.renamedFrom);
    if (old.length > 1) return { error: `${old.length} SCIM groups are named "${g.renamedFrom}" (renamed_from)` };
    if (old.length === 1) return { live: old[0]!, rename: true };
  }
  return {};
}

export function planScimGroups(ctx: PlanContext, outlook: Map<string, Outlook>, memberChanges: readonly Change[]): Change[] {
  const declaredGroups = ctx.desired.scim.groups;
  if (declaredGroups.length === 0) return [];
  const out: Change[] = [];
  const scim = ctx.live.scim;
  if (!scim || !scim.available) {
    const why = scim && !scim.available ? scim.reason : 'the SCIM directory was not read';
    for (const g of declaredGroups) {
      out.push(change({ kind: 'scim_group', key: g.name, action: 'unavailable', phase: PHASE.containers, pos: g.pos, reason: why }));
    }
    return out;
  }
  const scimUserCreates = new Map(
    memberChanges.filter((c) => c.kind === 'scim_user' && c.action === 'create').map((c) => [emailKey(c.key), c]),
  );
  const usersById = new Map(scim.users.map((u) => [u.id, u]));
  const groupIndex = indexGroups(scim.groups);

  for (const g of declaredGroups) {
    const addr = address('scim_group', g.name);
    const r = resolve(groupIndex, g);
    if (r.error) {
      ctx.diagnostics.push(diag('error', 'ambiguous_scim_group', r.error, { address: addr, pos: g.pos }));
      continue;
    }
    const live = r.live;
    const attrs = (x: LiveScimGroup) => ({ displayName: x.displayName, ...(x.externalId !== undefined ? { externalId: x.externalId } : {}) });
    if (g.delete) {
      if (live) {
        out.push(change({ kind: 'scim_group', key: g.name, action: 'delete', phase: PHASE.containerRemovals, id: live.id, pos: g.pos,
          reason: 'delete the SCIM group (its Claude group goes at the next directory sync)', before: attrs(live), touches: live }));
      }
      continue;
    }
    let created: Change | undefined;
    if (!live) {
      created = change({ kind: 'scim_group', key: g.name, action: 'create', phase: PHASE.containers, pos: g.pos, reason: 'new SCIM group',
        after: { displayName: g.name, ...(g.externalId !== undefined ? { externalId: g.externalId } : {}) } });
      out.push(created);
    } else if (r.rename) {
      out.push(change({ kind: 'scim_group', key: g.name, action: 'update', phase: PHASE.containers, id: live.id, pos: g.pos,
        reason: `rename from "${live.displayName}"`, before: attrs(live), after: { ...attrs(live), displayName: g.name }, touches: live }));
    }
    if (!g.members) continue;

    const declared = new Set<string>();
    const liveMemberIds = new Set(live?.members ?? []);
    for (const dm of g.members) {
      declared.add(dm.key);
      const key = `${g.name}/${dm.email}`;
      const su = ctx.scimUsers.get(dm.key);
      const pendingCreate = scimUserCreates.get(dm.key);
      if (su && liveMemberIds.has(su.id)) continue;
      if (!su && !pendingCreate) {
        ctx.diagnostics.push(diag('warning', 'not_in_directory',
          `${dm.email} has no SCIM user in the directory, so they cannot be a member of the SCIM group "${g.name}"` +
          (ctx.desired.organization.provisioning === 'scim' ? '' : ' (provisioning is not scim: the identity provider must provision them)'),
          { address: address('scim_group_member', key), pos: dm.pos }));
        continue;
      }
      const deps = [...(created ? [created.address] : []), ...(pendingCreate ? [pendingCreate.address] : [])];
      out.push(change({ kind: 'scim_group_member', key, action: 'create', phase: PHASE.memberships, pos: dm.pos, depends_on: deps,
        reason: `add to SCIM group "${g.name}"`,
        after: { group: g.name, group_id: live?.id, user: pendingCreate?.key ?? dm.email, user_id: su?.id } }));
    }
    if (!live || ctx.desired.policy.removals === 'never') continue;
    for (const id of live.members) {
      const su = usersById.get(id);
      if (!su) continue;
      const ukey = emailKey(su.userName);
      if (declared.has(ukey) || ctx.isUnmanaged(su.userName) || ctx.scheduled.has(ukey)) continue;
      const addr2 = address('scim_group_member', `${g.name}/${su.userName}`);
      if (ctx.isProtected(ukey)) {
        ctx.diagnostics.push(diag('warning', 'protected_membership',
          `${su.userName} is protected and stays in SCIM group "${g.name}" although its members do not list them`, { address: addr2, pos: g.pos }));
        continue;
      }
      // Removing someone who leaves the organization is part of that removal, already counted once.
      const leaving = outlook.get(ukey)?.leaving ?? false;
      out.push(change({ kind: 'scim_group_member', key: `${g.name}/${su.userName}`, action: 'delete', phase: PHASE.membershipRemovals,
        id: `${live.id}/${su.id}`, pos: g.pos, touches: { group: live.id, user: su.id },
        reason: leaving ? `part of removing ${su.userName}` : `not among the members of SCIM group "${g.name}"`,
        before: { group: g.name, group_id: live.id, user: su.userName, user_id: su.id } }));
    }
  }
  return out;
}

/** Import's drafting of `scim` (enterprise): the SCIM groups of the directory, when it was read. */
export function draftScimGroups(src: DraftSource, _now: Date, left: LeftOutView, drafted: Partial<Drafts>): SectionDraft<DesiredScimGroup> {
  const draft = emptyDraft<DesiredScimGroup>();
  if (src.kind !== 'enterprise') return draft;
  const scim = src.scim;
  if (!scim || !scim.available) {
    draft.unread.push(`the SCIM directory (${scim && !scim.available ? scim.reason : 'not configured'}), so no SCIM groups are declared`);
    return draft;
  }
  const entries: Array<DraftEntry<DesiredScimGroup>> = [];
  draft.entries = entries;
  const members = declaredPeople(drafted);
  const shared = sharedNames(scim.groups.map((g) => g.displayName));
  const extCount = new Map<string, number>();
  for (const g of scim.groups) if (g.externalId !== undefined) extCount.set(g.externalId, (extCount.get(g.externalId) ?? 0) + 1);
  const usersById = new Map(scim.users.map((u) => [u.id, u]));

  for (const g of [...scim.groups].sort((a, b) => byText(a.displayName, b.displayName) || byText(a.id, b.id))) {
    // planScimGroups: found by externalId when declared, else by displayName without case.
    if (shared.has(g.displayName.toLowerCase())) {
      skip(draft, `"${g.displayName}" (${g.id}): another SCIM group has this name (compared without case), so it cannot be declared unambiguously`);
      continue;
    }
    if (g.externalId !== undefined && (extCount.get(g.externalId) ?? 0) > 1) {
      skip(draft, `"${g.displayName}" (${g.id}): another SCIM group has the externalId ${JSON.stringify(g.externalId)}`);
      continue;
    }
    if (!nameOk(g.displayName, GROUP_NAME_MAX) || (g.externalId !== undefined && g.externalId === '')) {
      skip(draft, `"${g.displayName}" (${g.id}): its name or externalId cannot be written in the file`);
      continue;
    }
    if (changedBefore(draft, left, 'scim_group', g.displayName, `"${g.displayName}" (${g.id})`)) continue;
    const out: DraftEntry<DesiredScimGroup> = { item: { name: g.displayName, delete: false }, key: g.displayName, notes: [] };
    if (g.externalId !== undefined) out.item.externalId = g.externalId;
    const declared: DesiredGroupMember[] = [];
    const problems = [...left.memberships('scim_group', g.displayName)];
    const seen = new Set<string>();
    for (const id of g.members) {
      const s = usersById.get(id);
      if (!s) continue; // the planner ignores an id it cannot name
      const key = emailKey(s.userName);
      if (!members.has(key)) {
        problems.push(`${s.userName} is not declared above${s.active ? (src.provisioning === 'scim' ? '' : ` (not a member; provisioning ${src.provisioning})`) : ' (deactivated SCIM user)'}`);
      } else if (!seen.has(key)) {
        seen.add(key);
        declared.push({ email: s.userName, key });
      }
    }
    // Every email of a membership must be a declared member (config), and a listed member left out would be removed.
    const why = notManaged('members', problems);
    if (why !== undefined) out.notes.push(why);
    else out.item.members = declared.sort((a, b) => byEmailText(a.email, b.email));
    entries.push(out);
  }
  return draft;
}
