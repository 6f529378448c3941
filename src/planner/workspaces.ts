// Workspaces and workspace memberships (console orgs). Contract: desired-state.md "workspaces"; API: §3.2, §7, §8.
// Org admins are implicit workspace_admin everywhere and billing members implicit workspace_billing: they are never
// listed, so they never cause a diff; a billing member may be upgraded to workspace_admin.

import { address, emailKey } from '../model/address.js';
import type { DesiredWorkspace, DesiredWorkspaceMember } from '../model/desired.js';
import type { LiveUser, LiveWorkspace, LiveWorkspaceMember } from '../model/live.js';
import type { DraftEntry, Drafts, DraftSource, LeftOutView, SectionDraft, WorkspaceAttrs } from '../model/kinds.js';
import type { Change } from '../model/plan.js';
import { isWorkspaceDemotion } from '../model/removals.js';
import { KEEP_ONLY_ROLES } from '../model/roles.js';
import { change, diag, groupBy } from './changes.js';
import type { Container, PlanContext } from './context.js';
import { byEmail, byText, changedBefore, declaredPeople, emptyDraft, nameOk, notManaged, sharedNames, skip, WORKSPACE_ROLES } from './drafting.js';
import type { Outlook } from './outlook.js';
import { PHASE } from './phases.js';
import { resolveDeclared, type Resolved } from './resolve.js';

/** §3.2: roles that make someone an implicit member of every workspace. */
function implicitRole(orgRole: string | undefined): 'workspace_admin' | 'workspace_billing' | undefined {
  if (!orgRole) return undefined;
  if (orgRole === 'admin' || KEEP_ONLY_ROLES.console.includes(orgRole)) return 'workspace_admin';
  if (orgRole === 'billing') return 'workspace_billing';
  return undefined;
}

function wsAttrs(w: LiveWorkspace) {
  return { name: w.name, display_color: w.displayColor, archived: w.archived };
}

const WORKSPACE_WORDS = { plural: 'active workspaces', where: 'the console', fixMany: 'rename one in the console' };

/** The live workspace a declaration refers to (an archived one, for a workspace declared archived). */
function resolve(ctx: PlanContext, byName: Map<string, LiveWorkspace[]>, w: DesiredWorkspace): Resolved<LiveWorkspace> | undefined {
  const r = resolveDeclared(ctx, 'workspace', w, (n) => (byName.get(n) ?? []).filter((x) => !x.archived), WORKSPACE_WORDS);
  if (r && !r.live && !r.renameFrom && w.archived) {
    const archived = (byName.get(w.name) ?? []).filter((x) => x.archived);
    if (archived.length > 0) return { live: archived[0]! };
  }
  return r;
}

export function planWorkspaces(ctx: PlanContext, outlook: Map<string, Outlook>): Change[] {
  const out: Change[] = [];
  const liveWorkspaces = ctx.live.workspaces ?? [];
  const byName = groupBy(liveWorkspaces, (w) => w.name);
  const membersByWorkspace = groupBy(ctx.live.workspaceMembers ?? [], (m) => m.workspaceId);

  let activeAfter = liveWorkspaces.filter((w) => !w.archived).length;
  for (const w of ctx.desired.workspaces) {
    const r = resolve(ctx, byName, w);
    if (!r) continue;
    const live = r.live ?? r.renameFrom;
    let created: Change | undefined;
    if (w.archived) {
      if (live && !live.archived) {
        activeAfter -= 1;
        out.push(change({
          kind: 'workspace', key: w.name, action: 'delete', phase: PHASE.containerRemovals, id: live.id, pos: w.pos,
          reason: 'archive the workspace: permanent, and every API key in it is deactivated', before: wsAttrs(live),
          after: null, touches: live,
        }));
      }
      continue;
    }
    if (!live) {
      activeAfter += 1;
      const after: WorkspaceAttrs = { name: w.name };
      if (w.displayColor) after.display_color = w.displayColor;
      // archived workspaces may carry the same name: the client tells the new one from them by id
      const knownIds = (byName.get(w.name) ?? []).map((x) => x.id);
      created = change({ kind: 'workspace', key: w.name, action: 'create', phase: PHASE.containers, pos: w.pos, reason: 'new workspace', after, knownIds });
      out.push(created);
    } else {
      const wantColor = w.displayColor && w.displayColor.toLowerCase() !== live.displayColor.toLowerCase();
      const rename = r.renameFrom !== undefined;
      if (wantColor || rename) {
        const after: WorkspaceAttrs = { ...wsAttrs(live) };
        if (rename) after.name = w.name;
        if (wantColor) after.display_color = w.displayColor;
        out.push(change({
          kind: 'workspace', key: w.name, action: 'update', phase: PHASE.containers, id: live.id, pos: w.pos,
          reason: rename ? `rename from "${live.name}"` : 'display colour', before: wsAttrs(live), after, touches: live,
        }));
      }
    }
    if (w.members) planWorkspaceMembers(ctx, outlook, w, { live, created, members: membersByWorkspace.get(live?.id ?? '') ?? [] }, out);
  }
  // The file manages the workspaces it declares some of: an active one it does not name is drift (issue 14).
  if (ctx.desired.workspaces.length > 0) {
    const named = new Set(ctx.desired.workspaces.flatMap((w) => (w.renamedFrom ? [w.name, w.renamedFrom] : [w.name])));
    for (const w of liveWorkspaces) {
      if (w.archived || named.has(w.name)) continue;
      ctx.drift(address('workspace', w.name), `workspace "${w.name}" (${w.id}) is not in the file: declare it, or declare it with archived: true`);
    }
  }
  if (activeAfter > 100) {
    ctx.diagnostics.push(diag('error', 'workspace_limit',
      `after this plan the organization would have ${activeAfter} active workspaces; the API allows 100 (archive some first)`));
  }
  return out;
}

function planWorkspaceMembers(ctx: PlanContext, outlook: Map<string, Outlook>, w: DesiredWorkspace, target: Container<LiveWorkspace, LiveWorkspaceMember>, out: Change[]): void {
  const { live, created, members: liveMembers } = target;
  const declared = new Set<string>();
  const liveByUser = new Map(liveMembers.map((m) => [m.userId, m]));
  const base = (email: string) => ({ kind: 'workspace_member', key: `${w.name}/${email}` } as const);

  for (const dm of w.members ?? []) {
    declared.add(dm.key);
    const o = outlook.get(dm.key);
    const addr = address('workspace_member', `${w.name}/${dm.email}`);
    if (!o || o.leaving) continue; // config guarantees a declared member; a leaving one loses memberships anyway
    if (!o.user) {
      out.push(change({ ...base(dm.email), action: 'deferred', phase: PHASE.memberships, pos: dm.pos,
        reason: o.waiting ?? 'not a member yet', after: { workspace: w.name, role: dm.role } }));
      continue;
    }
    if (o.manualRoleChange && implicitRole(o.user.role)) {
      out.push(change({ ...base(dm.email), action: 'deferred', phase: PHASE.memberships, pos: dm.pos,
        reason: `waits for a person to change ${dm.email}'s org role (${o.user.role}) in the console`,
        after: { workspace: w.name, role: dm.role } }));
      continue;
    }
    const implicit = implicitRole(o.roleAfter);
    if (implicit === 'workspace_admin' || (implicit === 'workspace_billing' && dm.role !== 'workspace_admin')) {
      ctx.diagnostics.push(diag('warning', 'implicit_workspace_member',
        `${dm.email} is an org ${o.roleAfter} member and so implicitly ${implicit} in every workspace; ` +
        `the declared ${dm.role} in "${w.name}" is ignored`, { address: addr, pos: dm.pos }));
      continue;
    }
    const current = liveByUser.get(o.user.id);
    const deps = [...(created ? [created.address] : []), ...(o.roleChange ? [o.roleChange.address] : [])];
    const ids = { workspace_id: live?.id, user_id: o.user.id };
    if (!current) {
      out.push(change({ ...base(dm.email), action: 'create', phase: PHASE.memberships, pos: dm.pos, depends_on: deps,
        reason: implicit === 'workspace_billing' ? 'upgrade a billing member to workspace_admin' : `add to "${w.name}"`,
        after: { ...ids, workspace: w.name, role: dm.role } }));
    } else if (current.role !== dm.role) {
      const demotion = isWorkspaceDemotion(current.role, dm.role);
      if (demotion && ctx.isProtected(dm.key)) {
        ctx.diagnostics.push(diag('warning', 'protected_demotion',
          `${dm.email} is protected: the change of workspace role ${current.role} → ${dm.role} in "${w.name}" is not planned`,
          { address: addr, pos: dm.pos }));
        continue;
      }
      out.push(change({ ...base(dm.email), action: 'update', phase: PHASE.memberships, pos: dm.pos, depends_on: deps,
        id: `${current.workspaceId}/${current.userId}`,
        reason: `${demotion ? 'demotion: ' : ''}workspace role ${current.role} → ${dm.role}`, touches: current,
        before: { ...ids, workspace: w.name, role: current.role }, after: { ...ids, workspace: w.name, role: dm.role } }));
    }
  }

  if (!live || ctx.desired.policy.removals === 'never') return;
  for (const m of liveMembers) {
    const u = ctx.usersById.get(m.userId);
    if (!u) continue;
    const key = emailKey(u.email);
    if (declared.has(key) || ctx.isUnmanaged(u.email) || ctx.scheduled.has(key)) continue;
    const o = outlook.get(key);
    if (o?.leaving) continue; // removing them from the organization removes their memberships (§5.5)
    const addr = address('workspace_member', `${w.name}/${u.email}`);
    if (ctx.isProtected(key)) {
      ctx.diagnostics.push(diag('warning', 'protected_membership',
        `${u.email} is protected and stays in "${w.name}" although the workspace's members do not list them`, { address: addr, pos: w.pos }));
      continue;
    }
    out.push(change({ kind: 'workspace_member', key: `${w.name}/${u.email}`, action: 'delete', phase: PHASE.membershipRemovals,
      id: `${m.workspaceId}/${m.userId}`, pos: w.pos, touches: m,
      reason: `not among the members of "${w.name}"`,
      before: { workspace_id: m.workspaceId, user_id: m.userId, workspace: w.name, role: m.role } }));
  }
}

const COLOR = /^#[0-9A-Fa-f]{6}$/;
/** §7.1 name length, as the config checks it (crossref-collections.ts). */
const WORKSPACE_NAME_MAX = 40;

function implicitMembers(users: readonly LiveUser[]): { admins: LiveUser[]; billing: LiveUser[] } {
  const sorted = [...users].sort(byEmail);
  return {
    admins: sorted.filter((u) => KEEP_ONLY_ROLES.console.includes(u.role)),
    billing: sorted.filter((u) => u.role === 'billing'),
  };
}

/** Import's drafting of `workspaces` (console): every active workspace with its explicit members. */
export function draftWorkspaces(src: DraftSource, _now: Date, left: LeftOutView, drafted: Partial<Drafts>): SectionDraft<DesiredWorkspace> {
  const draft = emptyDraft<DesiredWorkspace>();
  if (src.kind !== 'console') return draft;
  const entries: Array<DraftEntry<DesiredWorkspace>> = [];
  draft.entries = entries;
  const members = declaredPeople(drafted);
  const active = (src.workspaces ?? []).filter((w) => !w.archived);
  const archived = (src.workspaces ?? []).filter((w) => w.archived).length;
  if (archived > 0) draft.notes.push(`${archived} archived workspace${archived === 1 ? '' : 's'} (archiving is permanent: nothing left to manage)`);
  const shared = sharedNames(active.map((w) => w.name));
  const usersById = new Map(src.users.map((u) => [u.id, u]));
  const byWorkspace = groupBy(src.workspaceMembers ?? [], (m) => m.workspaceId);
  const implicit = implicitMembers(src.users);

  for (const w of [...active].sort((a, b) => byText(a.name, b.name))) {
    if (w.name.trim().toLowerCase() === 'default') {
      skip(draft, `"${w.name}": the Default Workspace cannot be declared`);
      continue;
    }
    if (shared.has(w.name.toLowerCase())) {
      skip(draft, `"${w.name}": another active workspace has this name (names are compared without case); rename one in the console, then import again`);
      continue;
    }
    if (!nameOk(w.name, WORKSPACE_NAME_MAX)) {
      skip(draft, `"${w.name}": a workspace name must be 1 to ${WORKSPACE_NAME_MAX} characters`);
      continue;
    }
    if (changedBefore(draft, left, 'workspace', w.name, `"${w.name}"`)) continue;
    const out: DraftEntry<DesiredWorkspace> = { item: { name: w.name, archived: false }, key: w.name, notes: [] };
    if (COLOR.test(w.displayColor)) out.item.displayColor = w.displayColor;
    else if (w.displayColor !== '') out.notes.push(`display_color ${JSON.stringify(w.displayColor)} is not #RRGGBB, so it is not declared`);

    const explicit = byWorkspace.get(w.id) ?? [];
    const declared: DesiredWorkspaceMember[] = [];
    const seen = new Set<string>();
    const problems = [...left.memberships('workspace', w.name)];
    const explicitUsers = new Set<string>();
    for (const m of explicit) {
      const u = usersById.get(m.userId);
      if (!u) continue; // not a listed member: the planner ignores it too (planWorkspaces)
      explicitUsers.add(u.id);
      const im = members.get(emailKey(u.email));
      if (!im) problems.push(`${u.email} is not declared above`);
      else if (!WORKSPACE_ROLES.has(m.role)) problems.push(`${u.email} holds ${m.role}, which cannot be declared`);
      else if (!seen.has(im.key)) {
        seen.add(im.key);
        declared.push({ email: im.email, key: im.key, role: m.role });
      }
    }
    // planWorkspaceMembers: `members` is the whole membership; leaving someone out would remove them.
    const why = notManaged('members', problems);
    if (why !== undefined) out.notes.push(why);
    else out.item.members = declared.sort(byEmail);
    // §3.2: org admins (and owners) are implicit workspace_admin, billing members implicit workspace_billing; they
    // are never listed, and declaring them would be a warning. A billing member listed explicitly (upgraded to
    // workspace_admin) is declared like anyone listed.
    const admins = implicit.admins.filter((u) => !explicitUsers.has(u.id)).map((u) => u.email);
    const billing = implicit.billing.filter((u) => !explicitUsers.has(u.id)).map((u) => u.email);
    if (admins.length > 0) out.notes.push(`implicit workspace_admin (org ${[...new Set(implicit.admins.map((u) => u.role))].sort(byText).join('/')}, never declared): ${admins.join(', ')}`);
    if (billing.length > 0) out.notes.push(`implicit workspace_billing (org billing, never declared): ${billing.join(', ')}`);
    entries.push(out);
  }
  return draft;
}
