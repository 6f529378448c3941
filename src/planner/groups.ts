// RBAC groups through the Admin API (enterprise orgs). Contract: desired-state.md "groups"; API: §11.
// Names are not unique in the API, so a declared name that matches two live groups is an error. Groups pushed by
// the identity provider (source_type scim) cannot be changed through the Admin API: declaring one is an error that
// points to scim.groups.

import { address, emailKey } from '../model/address.js';
import type { DesiredGroup, DesiredGroupMember } from '../model/desired.js';
import type { DraftEntry, Drafts, DraftSource, LeftOutView, SectionDraft } from '../model/kinds.js';
import type { LiveGroup, LiveGroupMember, LiveRole } from '../model/live.js';
import type { Change, GroupRoles } from '../model/plan.js';
import { change, diag, groupBy } from './changes.js';
import type { Container, PlanContext } from './context.js';
import { byEmailText, byText, changedBefore, declaredPeople, emptyDraft, GROUP_NAME_MAX, nameOk, notManaged, sharedNames, skip } from './drafting.js';
import type { Outlook } from './outlook.js';
import { PHASE } from './phases.js';
import { resolveDeclared } from './resolve.js';

/**
 * A built-in role's display name is Anthropic's name for the access it grants (SDK 1.17 `RBACRole.display_name`),
 * so a built-in role named as an owner grants owner access. The API refuses to add or remove members of a group
 * carrying one, or to delete it (`rbac_group_grants_owner_access`): such a change is `manual`. A custom role that
 * grants owner access cannot be told from its name; the apply reports that refusal as manual (executor/).
 */
const OWNER_NAME = /\bowners?\b/i;

export function grantsOwnerAccess(role: LiveRole): boolean {
  return role.builtIn && OWNER_NAME.test(role.displayName);
}

/** What the declared group `name` grants, as far as the live read says, and the role that grants owner access. */
function groupRoles(ctx: PlanContext, name: string, g: LiveGroup, rolesById: Map<string, LiveRole> | undefined): { shown: GroupRoles; owner?: LiveRole } {
  if (g.roleIds === null) {
    return { shown: { group: name, roles: null, owner_access: false, unknown_reason: 'the API said its role data is temporarily unavailable' } };
  }
  const ids = g.roleIds ?? [];
  if (ids.length === 0) return { shown: { group: name, roles: [], owner_access: false } };
  if (!rolesById) {
    const roles = ctx.live.roles;
    const why = roles && !Array.isArray(roles) ? roles.reason : 'the RBAC roles were not read';
    return { shown: { group: name, roles: null, owner_access: false, unknown_reason: why } };
  }
  const owner = ids.map((id) => rolesById.get(id)).find((r): r is LiveRole => r !== undefined && grantsOwnerAccess(r));
  const shown: GroupRoles = { group: name, roles: ids.map((id) => rolesById.get(id)?.displayName ?? id), owner_access: owner !== undefined };
  return owner ? { shown, owner } : { shown };
}

/** The change a person must make instead, because the group grants owner access. */
function ownerManual(c: Change, groupName: string, owner: LiveRole): Change {
  c.action = 'manual';
  c.reason = `${c.reason}: group "${groupName}" grants owner access (role "${owner.displayName}"), which the API does not ` +
    'change (rbac_group_grants_owner_access); make this change in Claude\'s admin settings';
  return c;
}

const GROUP_WORDS = {
  plural: 'RBAC groups',
  where: 'claude.ai',
  fixMany: 'group names are not unique in the API, so rename one in claude.ai first',
};

export function planGroups(ctx: PlanContext, outlook: Map<string, Outlook>): Change[] {
  if (ctx.desired.groups.length === 0) return [];
  const out: Change[] = [];
  const liveGroups = ctx.live.groups;
  if (!liveGroups || !Array.isArray(liveGroups)) {
    const why = liveGroups && !Array.isArray(liveGroups) ? liveGroups.reason : 'the RBAC groups were not read';
    ctx.diagnostics.push(diag('warning', 'groups_unavailable', `RBAC group changes are unavailable: ${why}`));
    for (const g of ctx.desired.groups) {
      out.push(change({ kind: 'group', key: g.name, action: 'unavailable', phase: PHASE.containers, pos: g.pos, reason: why }));
    }
    return out;
  }
  const byName = groupBy(liveGroups, (g) => g.name);
  const membersByGroup = groupBy(ctx.live.groupMembers ?? [], (m) => m.groupId);
  const rolesById = Array.isArray(ctx.live.roles) ? new Map(ctx.live.roles.map((r) => [r.id, r])) : undefined;

  for (const g of ctx.desired.groups) {
    const addr = address('group', g.name);
    const r = resolveDeclared(ctx, 'group', g, (n) => byName.get(n) ?? [], GROUP_WORDS);
    if (!r) continue;
    const live = r.live ?? r.renameFrom;
    if (live && live.sourceType !== 'direct') {
      ctx.diagnostics.push(diag('error', 'scim_group_under_groups',
        `"${live.name}" is a group pushed by the identity provider (source_type ${live.sourceType}); the Admin API cannot ` +
        'change it. Declare it under scim.groups instead of groups.', { address: addr, pos: g.pos }));
      continue;
    }
    const attrs = (x: LiveGroup) => ({ name: x.name, source_type: x.sourceType });
    const grants = live ? groupRoles(ctx, g.name, live, rolesById) : undefined;
    if (grants && (grants.shown.roles === null || grants.shown.roles.length > 0)) ctx.groupRoles.push(grants.shown);
    const owner = grants?.owner;
    if (g.delete) {
      if (live) {
        const del = change({ kind: 'group', key: g.name, action: 'delete', phase: PHASE.containerRemovals, id: live.id, pos: g.pos,
          reason: 'delete the group: its members stay in the organization but lose its roles', before: attrs(live), touches: live });
        out.push(owner ? ownerManual(del, live.name, owner) : del);
      }
      continue;
    }
    let created: Change | undefined;
    if (!live) {
      created = change({ kind: 'group', key: g.name, action: 'create', phase: PHASE.containers, pos: g.pos, reason: 'new group',
        after: { name: g.name }, knownIds: (byName.get(g.name) ?? []).map((x) => x.id) });
      out.push(created);
    } else if (r.renameFrom) {
      out.push(change({ kind: 'group', key: g.name, action: 'update', phase: PHASE.containers, id: live.id, pos: g.pos,
        reason: `rename from "${live.name}"`, before: attrs(live), after: { ...attrs(live), name: g.name }, touches: live }));
    }
    if (g.members) {
      const memberChanges: Change[] = [];
      planGroupMembers(ctx, outlook, g, { live, created, members: membersByGroup.get(live?.id ?? '') ?? [] }, memberChanges);
      for (const c of memberChanges) out.push(owner && c.action !== 'deferred' ? ownerManual(c, live!.name, owner) : c);
    }
  }
  // The file manages the RBAC groups it declares some of: a direct group it does not name is drift (issue 14).
  // Groups pushed by the identity provider (source scim) belong to scim.groups.
  const named = new Set(ctx.desired.groups.flatMap((g) => (g.renamedFrom ? [g.name, g.renamedFrom] : [g.name])));
  for (const g of liveGroups) {
    if (g.sourceType !== 'direct' || named.has(g.name)) continue;
    ctx.drift(address('group', g.name), `RBAC group "${g.name}" (${g.id}) is not in the file: declare it, or declare it with delete: true`);
  }
  return out;
}

function planGroupMembers(ctx: PlanContext, outlook: Map<string, Outlook>, g: DesiredGroup, target: Container<LiveGroup, LiveGroupMember>, out: Change[]): void {
  const { live, created, members: liveMembers } = target;
  const declared = new Set<string>();
  const liveUserIds = new Set(liveMembers.map((m) => m.userId));
  for (const dm of g.members ?? []) {
    declared.add(dm.key);
    const o = outlook.get(dm.key);
    if (!o || o.leaving) continue;
    const key = `${g.name}/${dm.email}`;
    if (!o.user) {
      out.push(change({ kind: 'group_member', key, action: 'deferred', phase: PHASE.memberships, pos: dm.pos,
        reason: o.waiting ?? 'not a member yet', after: { group: g.name } }));
      continue;
    }
    if (liveUserIds.has(o.user.id)) continue;
    out.push(change({ kind: 'group_member', key, action: 'create', phase: PHASE.memberships, pos: dm.pos,
      depends_on: created ? [created.address] : [], reason: `add to group "${g.name}"`,
      after: { group: g.name, group_id: live?.id, user_id: o.user.id } }));
  }
  if (!live || ctx.desired.policy.removals === 'never') return;
  for (const m of liveMembers) {
    const u = ctx.usersById.get(m.userId);
    if (!u) continue;
    const key = emailKey(u.email);
    if (declared.has(key) || ctx.isUnmanaged(u.email) || outlook.get(key)?.leaving || ctx.scheduled.has(key)) continue;
    const addr = address('group_member', `${g.name}/${u.email}`);
    if (ctx.isProtected(key)) {
      ctx.diagnostics.push(diag('warning', 'protected_membership',
        `${u.email} is protected and stays in group "${g.name}" although its members do not list them`, { address: addr, pos: g.pos }));
      continue;
    }
    out.push(change({ kind: 'group_member', key: `${g.name}/${u.email}`, action: 'delete', phase: PHASE.membershipRemovals,
      id: `${m.groupId}/${m.userId}`, pos: g.pos, touches: m, reason: `not among the members of group "${g.name}"`,
      before: { group: g.name, group_id: m.groupId, user_id: m.userId } }));
  }
}

/**
 * Import's drafting of `groups` (enterprise): every direct RBAC group with its members. The groups the identity
 * provider pushes (source scim) are named after the notes: the Admin API cannot change them.
 */
export function draftGroups(src: DraftSource, _now: Date, left: LeftOutView, drafted: Partial<Drafts>): SectionDraft<DesiredGroup> {
  const draft = emptyDraft<DesiredGroup>();
  const groups = src.groups;
  if (src.kind !== 'enterprise' || !groups) return draft;
  if (!Array.isArray(groups)) {
    draft.unread.push(`RBAC groups: ${groups.reason}`);
    return draft;
  }
  const entries: Array<DraftEntry<DesiredGroup>> = [];
  draft.entries = entries;
  const members = declaredPeople(drafted);
  // planGroups resolves a declared name against every live group, whatever its source: a name two groups share is
  // ambiguous there, and the config compares declared names without case.
  const exact = new Map<string, number>();
  for (const g of groups) exact.set(g.name, (exact.get(g.name) ?? 0) + 1);
  const direct = groups.filter((g) => g.sourceType === 'direct');
  const shared = sharedNames(direct.map((g) => g.name));
  const usersById = new Map(src.users.map((u) => [u.id, u]));
  const byGroup = groupBy(src.groupMembers ?? [], (m) => m.groupId);

  for (const g of [...direct].sort((a, b) => byText(a.name, b.name) || byText(a.id, b.id))) {
    if ((exact.get(g.name) ?? 0) > 1 || shared.has(g.name.toLowerCase())) {
      skip(draft, `"${g.name}" (${g.id}): another group has this name, so it cannot be declared unambiguously; rename one in claude.ai, then import again`);
      continue;
    }
    if (!nameOk(g.name, GROUP_NAME_MAX)) {
      skip(draft, `"${g.name}" (${g.id}): a group name must be 1 to ${GROUP_NAME_MAX} characters`);
      continue;
    }
    if (changedBefore(draft, left, 'group', g.name, `"${g.name}" (${g.id})`)) continue;
    const out: DraftEntry<DesiredGroup> = { item: { name: g.name, delete: false }, key: g.name, notes: [] };
    const declared: DesiredGroupMember[] = [];
    const problems = [...left.memberships('group', g.name)];
    const seen = new Set<string>();
    for (const m of byGroup.get(g.id) ?? []) {
      const u = usersById.get(m.userId);
      if (!u) continue; // the planner ignores a member it cannot name (planGroupMembers)
      const im = members.get(emailKey(u.email));
      if (!im) problems.push(`${u.email} is not declared above`);
      else if (!seen.has(im.key)) {
        seen.add(im.key);
        declared.push({ email: im.email, key: im.key });
      }
    }
    const why = notManaged('members', problems);
    if (why !== undefined) out.notes.push(why);
    else out.item.members = declared.sort((a, b) => byEmailText(a.email, b.email));
    entries.push(out);
  }
  const pushed = groups.filter((g) => g.sourceType !== 'direct').map((g) => g.name).sort(byText);
  if (pushed.length > 0) {
    draft.after = [`Pushed by the identity provider (source scim: the Admin API cannot change them; see scim.groups): ${pushed.map((n) => JSON.stringify(n)).join(', ')}`];
  }
  return draft;
}
