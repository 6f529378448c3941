// plan(desired, live, {now}) → Plan. Pure and synchronous: no I/O, no clock (the caller passes `now`), no colour.

import type { Desired } from '../model/desired.js';
import type { Live } from '../model/live.js';
import { canonicalJson, sha256 } from '../model/fingerprint.js';
import { emptySummary, PLAN_FORMAT_VERSION, type Change, type Plan, type RemovalGuard } from '../model/plan.js';
import { planApiKeys } from './api-keys.js';
import { diag } from './changes.js';
import { buildContext, type PlanContext } from './context.js';
import { planGroups } from './groups.js';
import { planMembers } from './members.js';
import { buildOutlook } from './outlook.js';
import { planScimGroups } from './scim-groups.js';
import { planWorkspaces } from './workspaces.js';

export { removedUserIds } from './api-keys.js';

export interface PlanOptions {
  now: Date;
  /** `--allow-removals N`: the removal limit for this run only, instead of policy.max_removals */
  allowRemovals?: number | undefined;
}

export function plan(desired: Desired, live: Live, opts: PlanOptions): Plan {
  const ctx = buildContext(desired, live, opts.now);
  const memberChanges = planMembers(ctx);
  const outlook = buildOutlook(ctx, memberChanges);
  const changes = orderChanges([
    ...memberChanges,
    ...planWorkspaces(ctx, outlook),
    ...planApiKeys(ctx, memberChanges),
    ...planGroups(ctx, outlook),
    ...planScimGroups(ctx, outlook, memberChanges),
  ]);
  explainUnavailableScim(ctx, changes);

  const summary = emptySummary();
  for (const c of changes) summary[c.action] += 1;

  const removals = removalGuard(changes, desired.policy.maxRemovals, opts.allowRemovals);
  const blocked = removals.count > removals.limit;
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
      },
    },
    desired: { file: desired.file, sha256: desired.sha256 },
    changes,
    diagnostics: ctx.diagnostics,
    summary,
    removals,
    blocked,
    plan_hash: planHash(live.organization.id, changes),
  };
  if (blocked) {
    out.blocked_reason =
      `the plan makes ${removals.count} removals, over the limit of ${removals.limit}` +
      `${removals.overridden ? ' (--allow-removals)' : ' (policy.max_removals)'}; review every removal listed and, ` +
      `if they are intended, run again with --allow-removals ${removals.count}`;
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

/** Phases in order; inside a phase by address, so the same inputs always give the same plan and hash. */
function orderChanges(changes: Change[]): Change[] {
  return changes.sort((a, b) => a.phase - b.phase || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

function removalGuard(changes: Change[], maxRemovals: number, allow: number | undefined): RemovalGuard {
  const counted = changes.filter((c) => c.removal);
  return {
    count: counted.length,
    limit: allow ?? maxRemovals,
    overridden: allow !== undefined,
    addresses: counted.map((c) => c.address),
  };
}

/** Hash of what the plan would do: the calls and the state they start from; not reasons, lines or times. */
export function planHash(organizationId: string, changes: readonly Change[]): string {
  return sha256(
    canonicalJson({
      organization_id: organizationId,
      changes: changes.map((c) => ({
        address: c.address,
        action: c.action,
        id: c.id,
        before: c.before,
        after: c.after,
        depends_on: c.depends_on,
        phase: c.phase,
        removal: c.removal,
      })),
    }),
  );
}
