// Service accounts and their workspace memberships (console orgs; issue 17). Planned like members: a declared one
// is created or updated (description, role), archived when declared `archived: true`; an undeclared active one is
// drift, archived only under `removals: prune`. Their endpoints take only an OAuth token with `org:admin`: without
// one, every declared account is `unavailable`, with one diagnostic that says what to set.
//
// SDK 1.17 rules: creating an `admin` service account, or setting `organization_role: admin`, needs an interactive
// credential (a user's token or a Console session). The tool runs unattended, so such a change is `manual`, never a
// failed apply. A name stays taken by an archived account, which cannot be restored: also `manual`.

import { address } from '../model/address.js';
import type { DesiredServiceAccount } from '../model/desired.js';
import type { DraftEntry, Drafts, DraftSource, LeftOutView, SectionDraft, ServiceAccountAttrs } from '../model/kinds.js';
import type { LiveServiceAccount, LiveServiceAccountWorkspace, LiveWorkspace } from '../model/live.js';
import type { Change } from '../model/plan.js';
import { isWorkspaceDemotion } from '../model/removals.js';
import { change, diag, groupBy } from './changes.js';
import type { PlanContext } from './context.js';
import { byText, changedBefore, emptyDraft, notManaged, skip, WORKSPACE_ROLES } from './drafting.js';
import { PHASE } from './phases.js';

const INTERACTIVE =
  'the API accepts the admin role only from an interactive credential (a user\'s OAuth token or a Console session), ' +
  'and this tool runs with a workload\'s: a person must do it in the Console';

function attrs(a: LiveServiceAccount, withDescription: boolean): ServiceAccountAttrs {
  return { name: a.name, role: a.role, ...(withDescription ? { description: a.description } : {}), archived: a.archived };
}

/** Ids of the service accounts this plan archives: their API keys are read and offboarded like a person's. */
export function archivedServiceAccountIds(changes: readonly Change[]): string[] {
  return changes.filter((c) => c.kind === 'service_account' && c.action === 'delete' && c.id).map((c) => c.id!);
}

export function planServiceAccounts(ctx: PlanContext): Change[] {
  const declared = ctx.desired.serviceAccounts;
  if (declared.length === 0 || ctx.desired.organization.kind !== 'console') return [];
  const read = ctx.live.serviceAccounts;
  if (!Array.isArray(read)) return unavailable(ctx, read?.reason ?? 'the service accounts were not read');

  const out: Change[] = [];
  const byName = groupBy(read, (a) => a.name);
  const membersByAccount = groupBy(ctx.live.serviceAccountWorkspaces ?? [], (m) => m.serviceAccountId);
  for (const d of declared) {
    const same = byName.get(d.name) ?? [];
    const live = same.find((a) => !a.archived) ?? same[0];
    const created = planAccount(ctx, d, live, out);
    if (d.workspaces && !d.archived && (created || (live && !live.archived))) {
      planWorkspaces(ctx, d, live && !live.archived ? live : undefined, created, membersByAccount.get(live?.id ?? '') ?? [], out);
    }
  }

  // Undeclared active accounts: drift, or archived under prune.
  const names = new Set(declared.map((d) => d.name));
  for (const a of read) {
    if (a.archived || names.has(a.name)) continue;
    if (ctx.desired.policy.removals === 'prune') {
      out.push(change({
        kind: 'service_account', key: a.name, action: 'delete', phase: PHASE.containerRemovals, id: a.id,
        reason: 'not declared (removals: prune): archive the service account (permanent)', before: attrs(a, true), touches: a,
      }));
    } else {
      ctx.drift(address('service_account', a.name),
        `service account "${a.name}" (${a.id}, ${a.role}) is not in the file: declare it, or declare it with archived: true`);
    }
  }
  return out;
}

/** Without the OAuth token: every declared account is unavailable, and one diagnostic says what to set. */
function unavailable(ctx: PlanContext, why: string): Change[] {
  const env = ctx.desired.organization.credentials.oauthTokenEnv;
  const n = ctx.desired.serviceAccounts.length;
  ctx.diagnostics.push(diag('warning', 'service_accounts_unavailable',
    `${n} service account${n === 1 ? ' is' : 's are'} unavailable: ${why}. The service-account endpoints take only an ` +
    `OAuth access token with the org:admin scope, not an admin key: set ${env} to one (ant auth login --scope org:admin, ` +
    'or a workload identity federation rule); the rest of the plan is unaffected.'));
  return ctx.desired.serviceAccounts.map((d) => change({
    kind: 'service_account', key: d.name, action: 'unavailable', phase: PHASE.containers, pos: d.pos, reason: `not read: ${why}`,
    after: { name: d.name, role: d.role, ...(d.description !== undefined ? { description: d.description } : {}) },
  }));
}

/** The account's own change; returns the create when this plan makes it. */
function planAccount(ctx: PlanContext, d: DesiredServiceAccount, live: LiveServiceAccount | undefined, out: Change[]): Change | undefined {
  const base = { kind: 'service_account', key: d.name, pos: d.pos } as const;
  const managed = d.description !== undefined;
  if (d.archived) {
    if (live && !live.archived) {
      out.push(change({ ...base, action: 'delete', phase: PHASE.containerRemovals, id: live.id, touches: live,
        reason: 'archive the service account: permanent; its API keys are reported or deactivated (policy.api_keys_of_removed_members)',
        before: attrs(live, true) }));
    }
    return undefined;
  }
  const after: ServiceAccountAttrs = { name: d.name, role: d.role, ...(managed ? { description: d.description } : {}) };
  if (!live) {
    if (d.role === 'admin') {
      out.push(change({ ...base, action: 'manual', phase: PHASE.containers, after, reason: `create as admin: ${INTERACTIVE}` }));
      return undefined;
    }
    const created = change({ ...base, action: 'create', phase: PHASE.containers, after, reason: 'new service account' });
    out.push(created);
    return created;
  }
  if (live.archived) {
    out.push(change({ ...base, action: 'manual', phase: PHASE.containers, id: live.id, after, before: attrs(live, managed),
      reason: `the name is held by an archived service account (${live.id}), which cannot be restored: declare it archived, or choose another name` }));
    return undefined;
  }
  const roleChange = live.role !== d.role;
  const descChange = managed && live.description !== d.description;
  if (!roleChange && !descChange) return undefined;
  const what = [roleChange ? `role ${live.role} → ${d.role}` : '', descChange ? 'description' : ''].filter(Boolean).join(', ');
  if (roleChange && d.role === 'admin') {
    out.push(change({ ...base, action: 'manual', phase: PHASE.containers, id: live.id, touches: live, before: attrs(live, managed), after,
      reason: `${what}: ${INTERACTIVE}` }));
    return undefined;
  }
  out.push(change({ ...base, action: 'update', phase: PHASE.containers, id: live.id, touches: live, before: attrs(live, managed), after,
    reason: roleChange && live.role === 'admin' ? `demotion: ${what}` : what }));
  if (roleChange && live.role === 'admin') {
    // SDK 1.17 ServiceAccount.organization_role: "A rule granting `org:admin` whose target is later demoted to
    // `developer` is rejected at token exchange": the workloads that act as it through such a rule stop working.
    ctx.diagnostics.push(diag('warning', 'service_account_demotion',
      `${d.name} goes from admin to developer: a workload identity federation rule that grants it org:admin is rejected ` +
      'at token exchange from then on, so the workloads using such a rule stop working; check its rules in the Console',
      { address: address('service_account', d.name), pos: d.pos }));
  }
  return undefined;
}

/** A workspace the file names: its live id, or the change that creates or renames it in this plan. */
function workspaceOf(ctx: PlanContext, name: string): { live?: LiveWorkspace; dependsOn?: string } | undefined {
  const live = (ctx.live.workspaces ?? []).filter((w) => !w.archived && w.name === name);
  if (live.length === 1) return { live: live[0]! };
  const declared = ctx.desired.workspaces.find((w) => w.name === name && !w.archived);
  if (live.length === 0 && declared) {
    const old = declared.renamedFrom ? (ctx.live.workspaces ?? []).find((w) => !w.archived && w.name === declared.renamedFrom) : undefined;
    return old ? { live: old, dependsOn: address('workspace', name) } : { dependsOn: address('workspace', name) };
  }
  return undefined;
}

function planWorkspaces(
  ctx: PlanContext,
  d: DesiredServiceAccount,
  live: LiveServiceAccount | undefined,
  created: Change | undefined,
  members: readonly LiveServiceAccountWorkspace[],
  out: Change[],
): void {
  const byWorkspace = new Map(members.map((m) => [m.workspaceId, m]));
  const kept = new Set<string>();
  const key = (ws: string) => `${d.name}/${ws}`;
  for (const m of d.workspaces ?? []) {
    const ws = workspaceOf(ctx, m.workspace);
    const addr = address('service_account_workspace', key(m.workspace));
    if (!ws) {
      ctx.diagnostics.push(diag('error', 'unknown_workspace',
        `service account ${d.name}: no active workspace is named "${m.workspace}" (declare it under workspaces, or fix the name)`,
        { address: addr, pos: m.pos }));
      continue;
    }
    const ids = { service_account_id: live?.id, workspace_id: ws.live?.id };
    const deps = [...(created ? [created.address] : []), ...(ws.dependsOn ? [ws.dependsOn] : [])];
    const attrsOf = (role: string) => ({ ...ids, service_account: d.name, workspace: m.workspace, role });
    const current = ws.live ? byWorkspace.get(ws.live.id) : undefined;
    if (ws.live) kept.add(ws.live.id);
    if (!current) {
      out.push(change({ kind: 'service_account_workspace', key: key(m.workspace), action: 'create', phase: PHASE.memberships, pos: m.pos,
        depends_on: deps, reason: `add to "${m.workspace}"`, after: attrsOf(m.role) }));
    } else if (current.role !== m.role) {
      const demotion = isWorkspaceDemotion(current.role, m.role);
      out.push(change({ kind: 'service_account_workspace', key: key(m.workspace), action: 'update', phase: PHASE.memberships, pos: m.pos,
        depends_on: deps, id: `${current.serviceAccountId}/${current.workspaceId}`, touches: current,
        reason: `${demotion ? 'demotion: ' : ''}workspace role ${current.role} → ${m.role}`,
        before: attrsOf(current.role), after: attrsOf(m.role) }));
    }
  }
  if (!live || ctx.desired.policy.removals === 'never') return;
  const names = new Map((ctx.live.workspaces ?? []).map((w) => [w.id, w]));
  for (const m of members) {
    const w = names.get(m.workspaceId);
    // the Default Workspace (never listed among workspaces) cannot be declared; archived workspaces keep nothing
    if (kept.has(m.workspaceId) || !w || w.archived) continue;
    out.push(change({ kind: 'service_account_workspace', key: key(w.name), action: 'delete', phase: PHASE.membershipRemovals,
      id: `${m.serviceAccountId}/${m.workspaceId}`, pos: d.pos, touches: m,
      reason: `not among the workspaces of ${d.name}`,
      before: { service_account_id: m.serviceAccountId, workspace_id: m.workspaceId, service_account: d.name, workspace: w.name, role: m.role } }));
  }
}

/** Schema definitions.serviceAccountName */
const SERVICE_ACCOUNT_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Import's drafting of `service_accounts` (console orgs): the active ones, read with the OAuth token; without it
 * they are not read, and the file says so. Memberships are declared only when every workspace they name is
 * declared in the section drafted before.
 */
export function draftServiceAccounts(src: DraftSource, _now: Date, left: LeftOutView, drafted: Partial<Drafts>): SectionDraft<DesiredServiceAccount> {
  const draft = emptyDraft<DesiredServiceAccount>();
  const read = src.serviceAccounts;
  if (src.kind !== 'console' || read === undefined) return draft;
  if (!Array.isArray(read)) {
    draft.unread.push(`service accounts: ${read.reason}`);
    return draft;
  }
  const out: Array<DraftEntry<DesiredServiceAccount>> = [];
  const archived = read.filter((a) => a.archived).length;
  if (archived > 0) draft.notes.push(`${archived} archived service account${archived === 1 ? '' : 's'} (archiving is permanent: nothing left to manage)`);
  const workspaces = new Map((src.workspaces ?? []).map((w) => [w.id, w]));
  const declared = new Set((drafted.workspaces?.entries ?? []).map((w) => w.item.name));
  const byAccount = groupBy(src.serviceAccountWorkspaces ?? [], (m) => m.serviceAccountId);
  for (const a of read.filter((x) => !x.archived).sort((x, y) => byText(x.name, y.name))) {
    if (!SERVICE_ACCOUNT_NAME.test(a.name) || (a.role !== 'admin' && a.role !== 'developer')) {
      skip(draft, `"${a.name}": its name or role (${a.role}) is not one the file format takes`);
      continue;
    }
    if (changedBefore(draft, left, 'service_account', a.name, `"${a.name}"`)) continue;
    const item: DesiredServiceAccount = { name: a.name, role: a.role, archived: false, ...(a.description !== '' ? { description: a.description } : {}) };
    const entry: DraftEntry<DesiredServiceAccount> = { item, key: a.name, notes: [] };
    const problems = [...left.memberships('service_account', a.name)];
    const ms: Array<{ workspace: string; role: string }> = [];
    for (const m of byAccount.get(a.id) ?? []) {
      const w = workspaces.get(m.workspaceId);
      if (!w) continue; // the Default Workspace: never declared, and never removed by the planner
      if (!declared.has(w.name)) problems.push(`workspace "${w.name}" is not declared above`);
      else if (!WORKSPACE_ROLES.has(m.role)) problems.push(`it holds ${m.role} in "${w.name}", which cannot be declared`);
      else ms.push({ workspace: w.name, role: m.role });
    }
    const why = notManaged('workspaces', problems);
    if (why !== undefined) entry.notes.push(why);
    else item.workspaces = ms.sort((x, y) => byText(x.workspace, y.workspace));
    out.push(entry);
  }
  draft.entries = out;
  return draft;
}
