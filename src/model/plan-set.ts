// Several organizations in one repository (orgs/*.yaml): one plan per file, and one hash over all of them, which
// is what a pull request shows and what `apply -f orgs/ --expect-plan-hash` checks.

import { canonicalJson, sha256 } from './fingerprint.js';
import { PLAN_FORMAT_VERSION, type Plan } from './plan.js';

export interface PlanSetEntry {
  /** the desired-state file, as given on the command line */
  file: string;
  plan: Plan;
}

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
