// Several organizations in one repository (orgs/*.yaml): one plan per file, and one hash over all of them, which
// is what a pull request shows and what `apply -f orgs/ --expect-plan-hash` checks.

import { canonicalJson, sha256 } from './fingerprint.js';
import { planHash, type HashedPlan } from './plan-hash.js';
import { PLAN_FORMAT_VERSION, type Change, type Plan } from './plan.js';

export interface PlanSet {
  format_version: typeof PLAN_FORMAT_VERSION;
  /** sha256 over each file's organization id and plan_hash, in file order */
  plan_hash: string;
  plans: Plan[];
}

export function planSetHash(plans: readonly Plan[]): string {
  return sha256(canonicalJson(plans.map((p) => ({ organization_id: p.organization.id, plan_hash: p.plan_hash }))));
}

export function planSet(plans: Plan[]): PlanSet {
  return { format_version: PLAN_FORMAT_VERSION, plan_hash: planSetHash(plans), plans };
}

/**
 * What differs between the plan a reviewer approved and a fresh plan of the same organization (issue 14): by
 * address, by the fields plan_hash covers. Equality is decided by plan_hash itself (a plan holding just that
 * change, or just the parts outside the changes), so this never disagrees with the hash about what counts.
 */
export interface ChangeDifference {
  address: string;
  /** added: only in the fresh plan; dropped: only in the approved one; altered: in both, with other hashed fields */
  kind: 'added' | 'dropped' | 'altered';
  fresh?: Change;
  approved?: Change;
  /** for altered: the hashed fields that differ (`action`, `before`, `after`, `fingerprint`, …) */
  fields?: string[];
}

export interface PlanDifference {
  changes: ChangeDifference[];
  /** the same changes in another order */
  order: boolean;
  /** hashed parts outside the changes that differ: `organization`, `removal guard`, `errors`, `access remains` */
  other: string[];
}

/** The fields of a change that plan_hash covers, for naming which differ (equality itself is the hash's). */
const HASHED_CHANGE_FIELDS = ['action', 'kind', 'key', 'id', 'before', 'after', 'depends_on', 'phase', 'removal', 'fingerprint', 'known_ids'] as const;

function only(p: Plan, parts: Partial<HashedPlan>): string {
  return planHash({ organization: p.organization, changes: [], removals: p.removals, diagnostics: [], access_remains: [], ...parts });
}

export function planDifference(approved: Plan, fresh: Plan): PlanDifference {
  const before = new Map(approved.changes.map((c) => [c.address, c]));
  const after = new Map(fresh.changes.map((c) => [c.address, c]));
  const changes: ChangeDifference[] = [];
  for (const c of fresh.changes) {
    const a = before.get(c.address);
    if (!a) {
      changes.push({ address: c.address, kind: 'added', fresh: c });
      continue;
    }
    if (only(approved, { changes: [a] }) === only(approved, { changes: [c] })) continue;
    const fields = HASHED_CHANGE_FIELDS.filter((f) => canonicalJson(a[f] ?? null) !== canonicalJson(c[f] ?? null));
    changes.push({ address: c.address, kind: 'altered', fresh: c, approved: a, fields: fields.length > 0 ? [...fields] : ['(other)'] });
  }
  for (const a of approved.changes) if (!after.has(a.address)) changes.push({ address: a.address, kind: 'dropped', approved: a });
  const same = (x: Plan, y: Plan, parts: (p: Plan) => Partial<HashedPlan>) => only(x, parts(x)) === only(y, parts(y));
  const other: string[] = [];
  if (!same(approved, fresh, () => ({}))) {
    // organization and guard are both in the base: split them
    if (!same(approved, fresh, (p) => ({ removals: approved.removals, organization: p.organization }))) other.push('organization');
    if (!same(approved, fresh, (p) => ({ organization: approved.organization, removals: p.removals }))) other.push('removal guard');
  }
  if (!same(approved, fresh, (p) => ({ organization: approved.organization, removals: approved.removals, diagnostics: p.diagnostics }))) other.push('errors');
  if (!same(approved, fresh, (p) => ({ organization: approved.organization, removals: approved.removals, access_remains: p.access_remains }))) other.push('access remains');
  const order = changes.length === 0 && approved.changes.map((c) => c.address).join('\n') !== fresh.changes.map((c) => c.address).join('\n');
  return { changes, order, other };
}
