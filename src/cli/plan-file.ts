// Saved plans: `plan --out FILE` writes the plan value; `apply FILE` reads it back, checks it against
// schemas/plan.schema.json (a hand-edited or truncated plan is refused, never half-applied), and applies exactly it.

import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import Ajv2020Module from 'ajv/dist/2020.js';
import { UsageError } from '../errors.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../model/plan.js';
import { planSetHash, type PlanSet } from '../model/plan-set.js';
import { planHash } from '../model/plan-hash.js';
import { blockedReason, guardBlocks, isMassRemoval, isRemoval, peopleLeaving } from '../model/removals.js';

const PLAN_SCHEMA_URL = new URL('../../schemas/plan.schema.json', import.meta.url);

type Validator = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };
let validator: Validator | undefined;

function validate(): Validator {
  if (!validator) {
    const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
    const ajv = new (Ajv2020 as unknown as new (o: object) => { compile(s: unknown): Validator })({ allErrors: true, strict: false });
    validator = ajv.compile(JSON.parse(readFileSync(PLAN_SCHEMA_URL, 'utf8')));
  }
  return validator;
}

/** Writes atomically (temp file, then rename): an interrupted write never leaves half a plan behind. */
export function writePlanFile(path: string, value: Plan | PlanSet): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o644 });
  renameSync(tmp, path);
}

/** Reads a saved plan, or a plan set (several organizations); either way a list of plans, each checked. */
export function readPlanFile(path: string): Plan[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the plan file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not a plan: not valid JSON (write one with \`claude-reconcile plan --out ${path}\`)`);
  }
  const set = value as Partial<PlanSet> | null;
  if (set && typeof set === 'object' && Array.isArray(set.plans)) {
    const plans = set.plans.map((p, i) => checkPlan(p, `${path} plans[${i}]`));
    if (set.plan_hash !== planSetHash(plans)) throw new UsageError(`${path}: plan_hash does not match its plans; the file was changed after it was written`);
    return plans;
  }
  return [checkPlan(value, path)];
}

function checkPlan(value: unknown, path: string): Plan {
  const v = validate();
  if (!v(value)) {
    const problems = (v.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
    const version = (value as { format_version?: unknown })?.format_version;
    if (version !== undefined && version !== PLAN_FORMAT_VERSION) {
      throw new UsageError(`${path} has plan format_version ${JSON.stringify(version)}; this version reads ${PLAN_FORMAT_VERSION}`);
    }
    throw new UsageError(`${path} is not a valid plan (schemas/plan.schema.json): ${problems}`);
  }
  const plan = value as Plan;
  // The hash is recomputed from what apply reads: a plan edited by hand after review is refused, not applied.
  if (planHash(plan) !== plan.plan_hash) {
    throw new UsageError(`${path}: plan_hash does not match its contents; the plan was changed after it was written`);
  }
  recountGuard(plan);
  return plan;
}

/**
 * The removal guard is recomputed from the changes, never read from a field (issue 12): `count`, `addresses`,
 * each change's `removal` and `blocked` are overwritten with what the changes themselves say. The limits and the
 * mass-removal outcome are covered by the hash; the mass rule is also re-applied to the recounted people, so
 * a plan whose recorded outcome and changes disagree is blocked.
 */
function recountGuard(plan: Plan): void {
  const leaving = peopleLeaving(plan.changes);
  for (const c of plan.changes) c.removal = isRemoval(c, leaving);
  const g = plan.removals;
  g.addresses = plan.changes.filter((c) => c.removal).map((c) => c.address);
  g.count = g.addresses.length;
  g.people = { ...g.people, leaving: leaving.size };
  g.mass = g.mass || isMassRemoval(leaving.size, g.people, g.max_share);
  plan.blocked = guardBlocks(g);
  const reason = blockedReason(g);
  if (reason === undefined) delete plan.blocked_reason;
  else plan.blocked_reason = reason;
}
