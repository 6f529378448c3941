// A plan contained in an approved plan (issue 18 item 3): a large change applied over several runs. After a run
// stopped by its time budget, the next run plans again; its plan holds what is left, not what was approved, so its
// plan_hash differs. It is applied under the approval when every API change it holds is one of the approved plan's
// changes, equal in everything plan_hash covers (address, kind, key, action, id, before, after, depends_on, phase,
// removal, fingerprint, known_ids: decided by plan_hash itself, as planDifference does), and nothing outside the
// changes widens what the approval allowed: the same organization and credential variables, the same removal
// limits (no --allow-removals or --allow-mass-removal that the review did not see), no more removals than approved,
// nobody keeping access whom the approved plan did not name, no errors, an approved plan that was not blocked.

import { canonicalJson } from './fingerprint.js';
import { planHash, type HashedPlan } from './plan-hash.js';
import { isApiAction, type Change, type Plan } from './plan.js';
import type { ChangeDifference } from './plan-set.js';

export interface Containment {
  contained: boolean;
  /** the fresh plan's API changes (all in the approved plan when contained) */
  remaining: number;
  /** the approved plan's API changes */
  approved: number;
  /** fresh API changes that are not in the approved plan (`added`), or are there with other hashed fields (`altered`) */
  differing: ChangeDifference[];
  /** what else keeps the fresh plan from the approval: `organization`, `removal guard`, `errors`, `access remains`, `approved plan blocked` */
  other: string[];
}

const HASHED_CHANGE_FIELDS = ['action', 'kind', 'key', 'id', 'before', 'after', 'depends_on', 'phase', 'removal', 'fingerprint', 'known_ids'] as const;

/** plan_hash of a plan made only of `parts` over a fixed base: equal exactly when the parts hash the same. */
function only(base: Plan, parts: Partial<HashedPlan>): string {
  return planHash({ organization: base.organization, changes: [], removals: base.removals, diagnostics: [], access_remains: [], ...parts });
}

function errors(p: Plan): number {
  return p.diagnostics.filter((d) => d.severity === 'error').length;
}

export function containedIn(approved: Plan, fresh: Plan): Containment {
  const other: string[] = [];
  if (approved.blocked) other.push('approved plan blocked');
  if (only(approved, {}) !== only(approved, { organization: fresh.organization })) other.push('organization');
  const a = approved.removals;
  const f = fresh.removals;
  if (a.limit !== f.limit || a.overridden !== f.overridden || a.max_share !== f.max_share || a.mass_allowed !== f.mass_allowed ||
      (f.mass && !a.mass) || f.count > a.count || fresh.blocked) {
    other.push('removal guard');
  }
  if (errors(approved) > 0 || errors(fresh) > 0) other.push('errors');
  const remainsApproved = new Set(approved.access_remains.map((r) => r.address));
  if (fresh.access_remains.some((r) => !remainsApproved.has(r.address))) other.push('access remains');

  const byAddress = new Map<string, Change>();
  for (const c of approved.changes) if (isApiAction(c.action)) byAddress.set(c.address, c);
  const differing: ChangeDifference[] = [];
  const seen = new Set<string>();
  let remaining = 0;
  for (const c of fresh.changes) {
    if (!isApiAction(c.action)) continue;
    remaining += 1;
    const ap = byAddress.get(c.address);
    if (!ap || seen.has(c.address)) {
      differing.push({ address: c.address, kind: 'added', fresh: c });
      continue;
    }
    seen.add(c.address);
    if (only(approved, { changes: [ap] }) === only(approved, { changes: [c] })) continue;
    const fields = HASHED_CHANGE_FIELDS.filter((k) => canonicalJson(ap[k] ?? null) !== canonicalJson(c[k] ?? null));
    differing.push({ address: c.address, kind: 'altered', fresh: c, approved: ap, fields: fields.length > 0 ? [...fields] : ['(other)'] });
  }
  return { contained: differing.length === 0 && other.length === 0, remaining, approved: byAddress.size, differing, other };
}
