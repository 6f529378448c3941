// plan(desired, live, {now}) → Plan. Pure and synchronous: no I/O, no clock (the caller passes `now`), no colour.

import type { Desired } from '../model/desired.js';
import type { DeclaredBy, Importer, KindTable } from '../model/kinds.js';
import type { Live } from '../model/live.js';
import { emailKey } from '../model/address.js';
import { emptySummary, PLAN_FORMAT_VERSION, type AccessRemains, type Change, type Plan } from '../model/plan.js';
import { planHash } from '../model/plan-hash.js';
import { blockedReason, computeGuard, guardBlocks, isRemoval, peopleLeaving, type Population } from '../model/removals.js';
import { planApiKeys } from './api-keys.js';
import { diag } from './changes.js';
import { buildContext, type PlanContext } from './context.js';
import { draftGroups, planGroups } from './groups.js';
import { draftMembers, planMembers } from './members.js';
import { buildOutlook, type Outlook } from './outlook.js';
import { PHASE } from './phases.js';
import { draftScimGroups, planScimGroups } from './scim-groups.js';
import { draftServiceAccounts, planServiceAccounts } from './service-accounts.js';
import { draftWorkspaces, planWorkspaces } from './workspaces.js';

export { removedUserIds } from './api-keys.js';
export { archivedServiceAccountIds } from './service-accounts.js';
export { planHash } from '../model/plan-hash.js';

export interface PlanOptions {
  now: Date;
  /** `--allow-removals N`: the removal limit for this run only, instead of policy.max_removals */
  allowRemovals?: number | undefined;
  /** `--allow-mass-removal`: lets a plan that removes most of the organization through the mass-removal guard */
  allowMassRemoval?: boolean | undefined;
}

/**
 * What the differs after the first one see: the changes planned before them (the people's first, so a differ reads
 * the kinds it needs: API keys follow removed members and archived service accounts), and each person's outlook.
 */
interface People {
  changes: readonly Change[];
  outlook: Map<string, Outlook>;
}

/** A differ plans one or more kinds (a container and its memberships): desired against live, into changes. */
type Differ = (ctx: PlanContext, people: People) => Change[];

/**
 * The differs, in the order they run. `people` runs first and alone: everyone else plans from what happens to the
 * people (who joins, who leaves, whose role changes).
 */
const DIFFERS = {
  people: (ctx) => planMembers(ctx),
  workspaces: (ctx, p) => planWorkspaces(ctx, p.outlook),
  // before apiKeys: the keys of the accounts it archives are offboarded like a removed person's
  serviceAccounts: (ctx) => planServiceAccounts(ctx),
  apiKeys: (ctx, p) => planApiKeys(ctx, p.changes),
  groups: (ctx, p) => planGroups(ctx, p.outlook),
  scimGroups: (ctx, p) => planScimGroups(ctx, p.outlook, p.changes),
} satisfies Record<string, Differ>;

/**
 * Which differ plans each kind (issue 16: one entry per resource kind, checked against every kind). A differ that
 * emits a kind not given to it here is a bug the planner refuses at once (`plan` checks every change).
 */
const DIFFER_OF = {
  member: 'people',
  invite: 'people',
  scim_user: 'people',
  workspace: 'workspaces',
  workspace_member: 'workspaces',
  api_key: 'apiKeys',
  group: 'groups',
  group_member: 'groups',
  scim_group: 'scimGroups',
  scim_group_member: 'scimGroups',
  sign_out: 'people',
  service_account: 'serviceAccounts',
  service_account_workspace: 'serviceAccounts',
} as const satisfies KindTable<keyof typeof DIFFERS>;

/**
 * Import (issue 16): which declaration of an imported file a change of each kind is about, one entry per resource
 * kind: a person (left out whole), a container of a file section (left out whole), a container's membership (left
 * unmanaged), or none (import declares no API keys; deactivating one, or a sign-out, follows a person's removal).
 */
const DECLARED_BY = {
  member: 'person',
  invite: 'person',
  scim_user: 'person',
  workspace: { section: 'workspaces' },
  group: { section: 'groups' },
  scim_group: { section: 'scim' },
  workspace_member: { of: 'workspace' },
  group_member: { of: 'group' },
  scim_group_member: { of: 'scim_group' },
  api_key: 'none',
  sign_out: 'none',
  service_account: { section: 'service_accounts' },
  service_account_workspace: { of: 'service_account' },
} as const satisfies KindTable<DeclaredBy>;

/**
 * What `import` drafts for each section of the file (the differs' inverse, each beside its differ), and what each
 * kind's change is about; the caller hands it to import with `plan`.
 */
export const IMPORTER: Importer = {
  declaredBy: DECLARED_BY,
  drafters: {
    members: draftMembers,
    workspaces: draftWorkspaces,
    service_accounts: draftServiceAccounts,
    groups: draftGroups,
    scim: draftScimGroups,
  },
};

function runDiffer(name: keyof typeof DIFFERS, ctx: PlanContext, people: People): Change[] {
  const out = DIFFERS[name](ctx, people);
  for (const c of out) {
    if (DIFFER_OF[c.kind] !== name) throw new Error(`planner: the ${name} differ planned ${c.address}, a kind it is not registered for`);
  }
  return out;
}

export function plan(desired: Desired, live: Live, opts: PlanOptions): Plan {
  const ctx = buildContext(desired, live, opts.now);
  const peopleChanges = runDiffer('people', ctx, { changes: [], outlook: new Map() });
  const people: People = { changes: peopleChanges, outlook: buildOutlook(ctx, peopleChanges) };
  const rest = (Object.keys(DIFFERS) as Array<keyof typeof DIFFERS>).filter((n) => n !== 'people');
  const planned: Change[] = [...peopleChanges];
  for (const n of rest) planned.push(...runDiffer(n, ctx, { ...people, changes: planned.slice() }));
  const changes = orderChanges(planned);
  explainUnavailableScim(ctx, changes);
  keepLastMember(ctx, changes);
  noteManagedScope(ctx, changes);

  // Which changes count as removals is derived from the changes alone, the same way `apply PLANFILE` recounts it.
  const leaving = peopleLeaving(changes);
  for (const c of changes) c.removal = isRemoval(c, leaving);

  const summary = emptySummary();
  for (const c of changes) summary[c.action] += 1;

  const removals = computeGuard(changes, {
    limit: opts.allowRemovals ?? desired.policy.maxRemovals,
    overridden: opts.allowRemovals !== undefined,
    population: population(ctx),
    maxShare: desired.policy.maxRemovalShare,
    massAllowed: opts.allowMassRemoval ?? false,
  });
  const blocked = guardBlocks(removals);
  const out: Plan = {
    format_version: PLAN_FORMAT_VERSION,
    organization: {
      id: live.organization.id,
      name: live.organization.name,
      kind: desired.organization.kind,
      provisioning: desired.organization.provisioning,
      credentials: {
        admin_key_env: desired.organization.credentials.adminKeyEnv,
        base_url_env: desired.organization.credentials.baseUrlEnv,
        scim_url_env: desired.organization.credentials.scimUrlEnv,
        scim_token_env: desired.organization.credentials.scimTokenEnv,
        oauth_token_env: desired.organization.credentials.oauthTokenEnv,
      },
    },
    desired: { file: desired.file, sha256: desired.sha256 },
    changes,
    diagnostics: ctx.diagnostics,
    summary,
    removals,
    blocked,
    access_remains: accessRemains(ctx, changes),
    plan_hash: '',
  };
  if (ctx.groupRoles.length > 0) out.group_roles = ctx.groupRoles;
  if (ctx.undeclared.length > 0) out.undeclared = ctx.undeclared;
  const reason = blockedReason(removals);
  if (reason !== undefined) out.blocked_reason = reason;
  out.plan_hash = planHash(out);
  return out;
}

/**
 * The people of the organization as read, one per email key: members, pending invites and active SCIM users; and
 * of them those the tool could remove at all (not keep-only, protected or unmanaged). For the mass-removal guard.
 */
function population(ctx: PlanContext): Population {
  const all = new Map<string, { email: string; keepOnly: boolean }>();
  for (const [key, u] of ctx.users) all.set(key, { email: u.email, keepOnly: ctx.isKeepOnly(u.role) });
  for (const [key, p] of ctx.pendingInvites) if (!all.has(key)) all.set(key, { email: p.email, keepOnly: false });
  for (const [key, s] of ctx.scimUsers) if (s.active && !all.has(key)) all.set(key, { email: s.userName, keepOnly: false });
  let removable = 0;
  for (const [key, p] of all) {
    if (!p.keepOnly && !ctx.isProtected(key) && !ctx.isUnmanaged(p.email)) removable += 1;
  }
  return { total: all.size, removable };
}

/**
 * Departed and expired people whose removal this plan cannot make: their access remains (issue 12). A protected
 * person, or `removals: never`, keeps access by the file's own choice and is a warning, not listed here.
 */
function accessRemains(ctx: PlanContext, changes: readonly Change[]): AccessRemains[] {
  const out: AccessRemains[] = [];
  for (const c of changes) {
    if (c.phase !== PHASE.memberRemovals || (c.kind !== 'member' && c.kind !== 'scim_user')) continue;
    if (c.action !== 'manual' && c.action !== 'unavailable' && c.action !== 'deferred') continue;
    if (!ctx.departures.has(emailKey(c.key))) continue;
    out.push({ email: c.key, address: c.address, state: c.action, why: c.reason });
  }
  return out;
}

/** One diagnostic for every SCIM change that cannot be made, saying why and how to configure the directory. */
function explainUnavailableScim(ctx: PlanContext, changes: readonly Change[]): void {
  const scim = ctx.live.scim;
  const n = changes.filter((c) => c.action === 'unavailable' && c.kind.startsWith('scim_')).length;
  if (n === 0 || !scim || scim.available) return;
  const { scimUrlEnv, scimTokenEnv } = ctx.desired.organization.credentials;
  ctx.diagnostics.push(diag('warning', 'scim_unavailable',
    `${n} SCIM change${n === 1 ? ' is' : 's are'} unavailable: ${scim.reason}. The SCIM directory is a Claude Enterprise ` +
    `feature: set ${scimUrlEnv} to the directory's SCIM endpoint and ${scimTokenEnv} to its bearer token (claude.ai → ` +
    'Organization settings → Identity and access → SCIM); the rest of the plan is unaffected.'));
}

/**
 * The API refuses to remove an organization's only member (`cannot_remove_last_member`). A plan that would remove
 * every member keeps the last of them (in plan order): that removal is `manual`, and a departed person left so is
 * named under access_remains. The mass-removal guard usually stops such a plan first.
 */
function keepLastMember(ctx: PlanContext, changes: Change[]): void {
  const removed = changes.filter((c) => c.kind === 'member' && c.action === 'delete');
  if (removed.length === 0 || removed.length < ctx.users.size) return;
  const last = removed[removed.length - 1]!;
  last.action = 'manual';
  last.reason = `${last.reason}; not removed: the plan removes every member, and the API never removes an organization's ` +
    'last member (cannot_remove_last_member). Add a member first, or remove this one in the console';
  // a sign-out goes with a removal the API makes (planner/members.ts planSignOut): not with this one
  const signOut = changes.findIndex((c) => c.kind === 'sign_out' && c.id === last.id);
  if (signOut >= 0) changes.splice(signOut, 1);
  ctx.diagnostics.push(diag('warning', 'last_member_kept',
    `this plan would remove all ${removed.length} members of the organization; the API refuses to remove the last one, so ` +
    `the removal of ${last.key} is left to a person`, { address: last.address, ...(last.line !== undefined ? { line: last.line, file: ctx.desired.file } : {}) }));
}

/**
 * SDK 1.17 scope rule: granting `managed` (a member's role or an invite's) needs `write:rbac_groups` in addition to
 * `write:members` on an Enterprise key. The plan says so before the apply meets a 403.
 */
function noteManagedScope(ctx: PlanContext, changes: Change[]): void {
  if (ctx.desired.organization.kind !== 'enterprise') return;
  const managed = changes.filter((c) => (c.kind === 'member' || c.kind === 'invite') &&
    (c.action === 'update' || c.action === 'create' || c.action === 'replace') && c.after?.['role'] === 'managed');
  if (managed.length === 0) return;
  for (const c of managed) c.reason = `${c.reason} (needs write:rbac_groups)`;
  ctx.diagnostics.push(diag('info', 'managed_needs_rbac_scope',
    `${managed.length} change${managed.length === 1 ? ' sets' : 's set'} the role managed: the admin key needs the scope ` +
    'write:rbac_groups in addition to write:members, or the API answers 403', { address: managed[0]!.address }));
}

/** Phases in order; inside a phase by address, so the same inputs always give the same plan and hash. */
function orderChanges(changes: Change[]): Change[] {
  return changes.sort((a, b) => a.phase - b.phase || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}
