// plan(desired, live, {now}) → Plan. Pure and synchronous: no I/O, no clock (the caller passes `now`), no colour.

import type { Desired } from '../model/desired.js';
import type { Live } from '../model/live.js';
import { canonicalJson, sha256 } from '../model/fingerprint.js';
import { emptySummary, PLAN_FORMAT_VERSION, type Change, type Plan, type RemovalGuard } from '../model/plan.js';
import { buildContext } from './context.js';
import { planMembers } from './members.js';

export interface PlanOptions {
  now: Date;
  /** `--allow-removals N`: the removal limit for this run only, instead of policy.max_removals */
  allowRemovals?: number | undefined;
}

export function plan(desired: Desired, live: Live, opts: PlanOptions): Plan {
  const ctx = buildContext(desired, live, opts.now);
  const changes = orderChanges([...planMembers(ctx)]);

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
