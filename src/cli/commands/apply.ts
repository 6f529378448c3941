// `apply`: either plan the file(s) again and apply after confirmation (or `--auto-approve`, optionally only when
// the new plan has the hash a reviewer approved), or apply saved plans exactly, after checking that nothing they
// touch has changed since they were made. Either way under the lock of each organization (cli/lock.ts), so two
// applies of one organization on this machine never interleave.
//
// Approvals are per organization (issue 14): `--expect-plan-hash ORG_ID=HASH` (repeatable), a combined hash backed by
// the approved plan (`--approved-plan plan.json`), or the approved plan alone. Each organization whose new plan has
// its approved hash is applied; each other one is refused on its own line, saying which changes differ from the
// approved plan, by address; the run then exits 1. A saved plan applied again says it was already applied.

import { applyPlan, leftForNextRun } from '../../apply/run.js';
import { OrganizationMismatchError, UsageError } from '../../errors.js';
import { createExecutor } from '../../executor/index.js';
import { checkSavedPlan, type DoneObject } from '../../live/stale.js';
import { hasErrors } from '../../model/diagnostic.js';
import { hasApiChanges, isApiAction, type Action, type ApplyResult, type Change, type Plan } from '../../model/plan.js';
import { containedIn } from '../../model/plan-contained.js';
import { planDifference, planSetHash, type ChangeDifference } from '../../model/plan-set.js';
import { formatDuration, renderStoppedSummary } from '../../render/progress.js';
import { describeAttrs, renderAccessRemains, renderApplySummary, renderPlanText, renderResultLine } from '../../render/text.js';
import { visible } from '../../render/visible.js';
import { planCredentials } from '../credentials.js';
import { ApplyProgress, PROGRESS_EVERY_MS } from '../progress.js';
import { EXIT, useColor, type CliIO } from '../io.js';
import { journaledChanges, journalWriter } from '../journal.js';
import { lockOrganization, lockOrganizations, type OrgLock } from '../lock.js';
import { readPlanFile } from '../plan-file.js';
import { openSession } from '../session.js';
import { planAll } from './plan.js';

export interface ApplyFlags {
  file: string;
  /** saved plans (`plan --out`) to apply exactly */
  planFiles: string[];
  autoApprove?: boolean;
  allowRemovals?: number;
  allowMassRemoval?: boolean;
  concurrency: number;
  verbose?: boolean;
  /** approved hashes: one bare hash (the plan's, or the combined hash of several), or `ORG_ID=HASH` each */
  expectPlanHash?: string[];
  /** the plan the review showed (`plan --out`): what a refusal is explained against */
  approvedPlan?: string;
  /** the time budget of the run (ms, `--max-duration 5h30m`): no change starts when less than `finishMargin` is left */
  maxDuration?: number;
  /** how long the changes in flight may need to finish (ms, `--finish-margin`); default FINISH_MARGIN_MS */
  finishMargin?: number;
  /** the interval of the progress line when stderr is not a terminal (ms, `--progress-every`) */
  progressEvery?: number;
}

/**
 * The default finish margin: the longest a change in flight can take once started — a write and its lookup, each
 * up to the request deadline (30 s) over 5 attempts, with the waits between them — rounded up to 5 minutes.
 */
export const FINISH_MARGIN_MS = 5 * 60_000;

/** The run's time budget: when it ends (performance.now() clock), and what the messages call it. */
interface Budget {
  deadline: number;
  marginMs: number;
  text: string;
}

function budgetOf(o: ApplyFlags, startedAt: number): Budget | undefined {
  if (o.maxDuration === undefined) return undefined;
  const marginMs = o.finishMargin ?? FINISH_MARGIN_MS;
  if (marginMs >= o.maxDuration) {
    throw new UsageError(`--max-duration ${formatDuration(o.maxDuration)} leaves no time to apply anything: it must be longer than ` +
      `--finish-margin ${formatDuration(marginMs)}, the time kept for the changes in flight to finish`);
  }
  return { deadline: startedAt + o.maxDuration, marginMs, text: `--max-duration ${formatDuration(o.maxDuration)}` };
}

/** Asked before each change starts: a reason once less than the finish margin is left of the budget. */
function budgetStop(b: Budget | undefined): (() => string | undefined) | undefined {
  if (!b) return undefined;
  return () => {
    const left = b.deadline - performance.now();
    return left < b.marginMs
      ? `the time budget (${b.text}) has ${formatDuration(left)} left, less than the ${formatDuration(b.marginMs)} kept for the changes in flight to finish`
      : undefined;
  };
}

export async function applyCommand(o: ApplyFlags, io: CliIO): Promise<number> {
  // the budget counts from the start of the run: reading and planning spend it too
  const budget = budgetOf(o, performance.now());
  if (o.planFiles.length > 0) return applySaved(o, io, budget);
  // approvals are read before anything else: a mistyped hash or an unreadable approved plan stops the run at once
  const approvals: Approvals & { plans?: Plan[] } = parseApprovals(o.expectPlanHash ?? []);
  if (o.approvedPlan !== undefined) approvals.plans = readPlanFile(o.approvedPlan);
  if (!o.autoApprove && !io.stdinIsTTY) {
    io.stderr.write('error: apply asks for confirmation, and there is no terminal to ask on; review the plan and pass --auto-approve\n');
    return EXIT.error;
  }
  const locks: OrgLock[] = [];
  try {
    return await planAndApply(o, approvals, io, locks, budget);
  } finally {
    for (const l of locks.reverse()) l.release();
  }
}

async function planAndApply(o: ApplyFlags, approvals: Approvals & { plans?: Plan[] }, io: CliIO, locks: OrgLock[], budget: Budget | undefined): Promise<number> {
  const color = useColor(io);
  const orgs = await planAll(o.file, io, {
    allowRemovals: o.allowRemovals,
    allowMassRemoval: o.allowMassRemoval,
    // the lock is taken before the organization is read, so the plan sees what any other apply did
    beforeRead: (desired) => locks.push(lockOrganization(io.env, desired.organization.id, `apply -f ${o.file}`)),
  });
  const many = orgs.length > 1;
  for (const x of orgs) {
    if (many) io.stdout.write(`\n═══ ${visible(x.file)}\n\n`);
    if (x.plan) io.stdout.write(`${renderPlanText(x.plan, { color, verbose: o.verbose ?? false })}\n`);
  }
  const plans = orgs.flatMap((x) => (x.plan ? [x.plan] : []));
  const refusal = refuse(plans, orgs.length, io);
  if (refusal !== undefined) return refusal;
  const gate = approvalGate(o, approvals, plans, io);
  if (typeof gate === 'number') return gate;
  const todo = plans.filter((p) => gate.get(p.organization.id)?.kind === 'apply');
  const refused = plans.filter((p) => gate.get(p.organization.id)?.kind === 'refused');
  const outcome = new Map<string, string>();
  for (const p of plans) outcome.set(p.organization.id, gate.get(p.organization.id)?.kind === 'refused' ? 'refused (see above); nothing was applied to it' : 'nothing to apply');
  if (todo.length === 0) {
    if (refused.length === 0) io.stdout.write('\nNothing to apply.\n');
    return finish(plans, refused, outcome, gate.approvals || many, io, EXIT.ok);
  }
  if (!o.autoApprove) {
    const answer = await io.prompt('\nDo you want to perform these actions? Only "yes" will be accepted: ');
    if (answer.trim() !== 'yes') {
      io.stdout.write('Apply cancelled; nothing was changed.\n');
      return EXIT.error;
    }
  }
  const run = new RunOutcome();
  for (const x of orgs) {
    if (!x.plan || !x.desired || !todo.includes(x.plan)) continue;
    if (many) io.stdout.write(`\n═══ applying ${visible(x.file)}\n`);
    const ended = await execute(x.plan, o, io, budget, many);
    outcome.set(x.plan.organization.id, run.add(ended, x.plan));
  }
  return finish(plans, refused, outcome, gate.approvals || many, io, run.code());
}

/** How one organization's apply ended: every change applied, some not applied (failed, …), or some left by the budget. */
interface Ended {
  notApplied: number;
  left: number;
}

/** The outcomes of a run's organizations, and its exit code: 1 when any change was not applied, else 4 when the
 *  budget left some, else 0. */
class RunOutcome {
  #incomplete = false;
  #left = 0;

  add(e: Ended, plan: Plan): string {
    this.#incomplete ||= e.notApplied > 0;
    this.#left += e.left;
    if (e.notApplied > 0) return `incomplete: not every change was applied (see above)${e.left > 0 ? `; ${e.left} left for the next run` : ''}`;
    if (e.left > 0) return `stopped with work left: ${e.left} change${e.left === 1 ? '' : 's'} left for the next run (run apply again to continue)`;
    return `applied (plan_hash ${plan.plan_hash})`;
  }

  code(): number {
    return this.#incomplete ? EXIT.error : this.#left > 0 ? EXIT.unfinished : EXIT.ok;
  }
}

/** The end of a run: one line per organization (when there are several, or approvals), then the exit code. */
function finish(plans: readonly Plan[], refused: readonly Plan[], outcome: ReadonlyMap<string, string>, perOrg: boolean, io: CliIO, code: number): number {
  if (perOrg) {
    io.stdout.write('\n');
    for (const p of plans) io.stdout.write(`organization ${visible(p.organization.id)}: ${outcome.get(p.organization.id) ?? 'nothing to apply'}\n`);
  }
  const result = offboardingOutcome(plans.filter((p) => !refused.includes(p)), io, code);
  if (refused.length === 0) return result;
  io.stderr.write(
    `error: ${refused.length} of ${plans.length} organization${plans.length === 1 ? '' : 's'} refused (see above): ` +
      `${refused.map((p) => visible(p.organization.id)).join(', ')}; ${plans.length > refused.length ? 'the others were handled as shown' : 'nothing was applied'}.\n`,
  );
  return EXIT.error;
}

// ── approvals ───────────────────────────────────────────────────────────────────────────────────────────────────

interface Approvals {
  /** one bare hash: the one plan's, or the combined hash of several (model/plan-set.ts) */
  bare?: string;
  byOrg: Map<string, string>;
}

const HASH = /^[0-9a-f]{64}$/;

/** `--expect-plan-hash` values: either one bare hash, or `ORG_ID=HASH` each (an organization at most once). */
export function parseApprovals(values: readonly string[]): Approvals {
  const out: Approvals = { byOrg: new Map() };
  for (const raw of values) {
    const v = raw.trim();
    const eq = v.lastIndexOf('=');
    const hash = (eq < 0 ? v : v.slice(eq + 1)).trim().toLowerCase();
    if (!HASH.test(hash)) {
      throw new UsageError(`--expect-plan-hash takes a plan_hash (64 hexadecimal digits) or ORG_ID=HASH, not ${JSON.stringify(visible(v.slice(0, 100)))}`);
    }
    if (eq < 0) {
      if (out.bare !== undefined && out.bare !== hash) throw new UsageError('--expect-plan-hash: give one combined plan_hash, or one ORG_ID=HASH per organization');
      out.bare = hash;
      continue;
    }
    const org = v.slice(0, eq).trim();
    if (org === '') throw new UsageError('--expect-plan-hash ORG_ID=HASH: the organization id is missing');
    const had = out.byOrg.get(org);
    if (had !== undefined && had !== hash) throw new UsageError(`--expect-plan-hash: two hashes for organization ${visible(org)}`);
    out.byOrg.set(org, hash);
  }
  if (out.bare !== undefined && out.byOrg.size > 0) {
    throw new UsageError('--expect-plan-hash: give either one combined plan_hash or ORG_ID=HASH per organization, not both');
  }
  return out;
}

type Verdict = { kind: 'apply' } | { kind: 'nothing' } | { kind: 'refused' };

/**
 * Decides, per organization, whether its new plan is the approved one. Refusals are written to stderr as they are
 * found, each organization on its own line with what differs. A number: the run stops (nothing was applied).
 */
function approvalGate(
  o: ApplyFlags,
  given: Approvals & { plans?: Plan[] },
  plans: readonly Plan[],
  io: CliIO,
): (Map<string, Verdict> & { approvals: boolean }) | number {
  const approvedPlans = given.plans;
  const verdicts = Object.assign(new Map<string, Verdict>(), { approvals: false });
  if (given.bare === undefined && given.byOrg.size === 0 && approvedPlans === undefined) {
    for (const p of plans) verdicts.set(p.organization.id, { kind: hasApiChanges(p) ? 'apply' : 'nothing' });
    return verdicts;
  }
  verdicts.approvals = true;
  const approvedById = new Map<string, Plan>();
  for (const a of approvedPlans ?? []) {
    if (approvedById.has(a.organization.id)) throw new UsageError(`${visible(o.approvedPlan!)} holds two plans for organization ${visible(a.organization.id)}`);
    approvedById.set(a.organization.id, a);
  }

  // the approved hash of each organization
  const wanted = new Map<string, string>();
  let source = '--expect-plan-hash';
  if (given.byOrg.size > 0) {
    for (const [id, h] of given.byOrg) wanted.set(id, h);
  } else if (given.bare !== undefined && plans.length === 1) {
    wanted.set(plans[0]!.organization.id, given.bare);
  } else if (given.bare !== undefined) {
    const combined = planSetHash(plans);
    if (combined === given.bare) {
      for (const p of plans) wanted.set(p.organization.id, p.plan_hash);
    } else if (approvedPlans !== undefined && planSetHash(approvedPlans) === given.bare) {
      for (const a of approvedPlans) wanted.set(a.organization.id, a.plan_hash);
    } else {
      io.stderr.write(
        `error: the plans are not the ones that were approved (expected the combined plan_hash ${given.bare}, these plans have ${combined}); ` +
          'the organizations or their files changed since the review. Nothing was applied. To apply the organizations that still match, ' +
          'pass each one\'s approved hash (--expect-plan-hash ORG_ID=HASH) or the approved plan (--approved-plan plan.json). This run\'s hashes:\n',
      );
      for (const p of plans) io.stderr.write(`  organization ${visible(p.organization.id)}: plan_hash ${p.plan_hash}\n`);
      return EXIT.error;
    }
  } else {
    source = '--approved-plan';
    for (const a of approvedPlans!) wanted.set(a.organization.id, a.plan_hash);
  }
  const known = new Set(plans.map((p) => p.organization.id));
  const unknown = [...wanted.keys()].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    io.stderr.write(`error: ${source} names organization ${unknown.map(visible).join(', ')}, which no file declares; nothing was applied\n`);
    return EXIT.error;
  }

  for (const p of plans) {
    const id = p.organization.id;
    const w = wanted.get(id);
    const ap = approvedById.get(id);
    // only the approved plan itself can show that a new plan is part of it; a hash cannot
    const part = w !== undefined && w !== p.plan_hash && ap?.plan_hash === w ? containedIn(ap, p) : undefined;
    if (!hasApiChanges(p)) verdicts.set(id, { kind: 'nothing' });
    else if (w === p.plan_hash) verdicts.set(id, { kind: 'apply' });
    else if (part?.contained) {
      // what an earlier run (stopped by its time budget) left: every change of it was approved, as it is
      verdicts.set(id, { kind: 'apply' });
      io.stderr.write(
        `organization ${visible(id)}: ${part.remaining} of ${part.approved} approved change${part.approved === 1 ? '' : 's'} remain; ` +
          `applying them under the approved plan (plan_hash ${w}): each is in it as approved, with the same organization, ` +
          'credentials and removal limits\n',
      );
    } else {
      verdicts.set(id, { kind: 'refused' });
      for (const line of refusalLines(p, w, approvedById.get(id))) io.stderr.write(`${line}\n`);
    }
  }
  return verdicts;
}

const SYMBOL: Record<Action, string> = { create: '+', update: '~', replace: '-/+', delete: '-', deferred: '…', manual: '!', unavailable: '?' };

function shown(c: Change): string {
  const attrs = describeAttrs(c);
  return `${SYMBOL[c.action]} ${visible(c.address)}${attrs ? ` ${attrs}` : ''}`;
}

/** One change that differs, on one line: every value through `visible` (describeAttrs escapes them). */
export function differenceLine(d: ChangeDifference): string {
  if (d.kind === 'added') return `${shown(d.fresh!)} (not in the approved plan)`;
  if (d.kind === 'dropped') return `${shown(d.approved!)} (in the approved plan, not in this one)`;
  const f = d.fresh!;
  const a = d.approved!;
  const same = f.action === a.action && describeAttrs(f) === describeAttrs(a);
  const approved = `${f.action === a.action ? '' : `${SYMBOL[a.action]} `}${describeAttrs(a) || '(no attributes)'}`;
  return `${shown(f)} (approved: ${approved}${same ? `; differs in ${d.fields!.join(', ')}` : ''})`;
}

/** Approved changes missing from a refused plan named one by one, at most. */
const DROPPED_NAMED = 10;

/** Why an organization's new plan is refused: what differs from the approved plan, and how to approve this one. */
function refusalLines(p: Plan, wanted: string | undefined, approved: Plan | undefined): string[] {
  const id = visible(p.organization.id);
  const approve = `  this plan has plan_hash ${p.plan_hash}; to apply it, review it and approve that hash: --expect-plan-hash ${id}=${p.plan_hash}`;
  if (wanted === undefined) return [`organization ${id}: refused: no approved plan_hash for it`, approve];
  if (approved === undefined || approved.plan_hash !== wanted) {
    const why = approved === undefined ? '' : ` (the approved plan file holds plan_hash ${approved.plan_hash} for it, not the approved one: it cannot say what differs)`;
    return [
      `organization ${id}: refused: the plan is not the one that was approved (approved plan_hash ${wanted}); the organization or its file changed since the review${why}`,
      approve,
    ];
  }
  const full = planDifference(approved, p);
  // a plan that an earlier run applied in part drops many approved changes: past DROPPED_NAMED they are counted
  const dropped = full.changes.filter((d) => d.kind === 'dropped');
  const diff = dropped.length > DROPPED_NAMED ? { ...full, changes: full.changes.filter((d) => d.kind !== 'dropped') } : full;
  const n = diff.changes.length;
  const lines: string[] = [];
  if (n === 1) lines.push(`organization ${id}: refused: 1 change differs from the approved plan: ${differenceLine(diff.changes[0]!)}`);
  else if (n > 1) {
    lines.push(`organization ${id}: refused: ${n} changes differ from the approved plan:`);
    for (const d of diff.changes) lines.push(`  ${differenceLine(d)}`);
  } else if (diff.order) lines.push(`organization ${id}: refused: the approved changes, in another order`);
  else if (diff.other.length > 0) lines.push(`organization ${id}: refused: the plan differs from the approved plan in: ${diff.other.join(', ')}`);
  else lines.push(`organization ${id}: refused: the plan is not the one that was approved (approved plan_hash ${wanted})`);
  if (n > 0 && diff.other.length > 0) lines.push(`  it also differs in: ${diff.other.join(', ')}`);
  if (diff !== full) {
    lines.push(`  and ${dropped.length} changes of the approved plan are not in this one (applied by an earlier run, or no longer needed)`);
  }
  // a plan that an earlier run applied in part, refused for what lies outside its changes: say so
  const c = dropped.length > 0 ? containedIn(approved, p) : undefined;
  if (c !== undefined && c.differing.length === 0 && c.other.length > 0) {
    lines.push(`  every change left is in the approved plan, but the plan differs from it in: ${c.other.join(', ')}; it cannot be applied under that approval`);
  }
  lines.push(approve);
  return lines;
}

/** Plans that must not be applied: one that could not be made, one with errors, one blocked. */
function refuse(plans: Plan[], expected: number, io: CliIO): number | undefined {
  if (plans.length < expected || plans.some((p) => hasErrors(p.diagnostics))) {
    io.stderr.write('error: the plan has errors; nothing was applied\n');
    return EXIT.error;
  }
  if (plans.some((p) => p.blocked)) {
    io.stderr.write('error: the plan is blocked by a safety guard; nothing was applied\n');
    return EXIT.blocked;
  }
  return undefined;
}

/**
 * An offboarding the tool could not complete is never a success (issue 12): departed people whose removal is
 * manual or unavailable make the apply exit 1, after everything else was applied, with who and why; those removed
 * at the next directory sync are named but do not fail the run.
 */
function offboardingOutcome(plans: readonly Plan[], io: CliIO, code: number): number {
  const remains = plans.flatMap((p) => p.access_remains);
  if (remains.length === 0) return code;
  io.stderr.write(`\n${renderAccessRemains(remains, { color: useColor(io) })}\n`);
  const failed = remains.filter((r) => r.state !== 'deferred');
  if (failed.length === 0) return code;
  io.stderr.write(
    `error: offboarding incomplete: ${failed.length} departed ${failed.length === 1 ? 'person keeps' : 'people keep'} access ` +
      'that this tool could not remove (see above); the run fails until they are removed.\n',
  );
  return EXIT.error;
}

/** Applies one plan: how many API changes were not applied (failed, skipped, manual, interrupted), how many the
 *  time budget left for the next run. */
async function execute(
  plan: Plan,
  o: ApplyFlags,
  io: CliIO,
  budget: Budget | undefined,
  many: boolean,
  saved?: { inPlace: ReadonlyMap<string, { why: string; id?: string | undefined }>; journal: (r: ApplyResult) => void },
): Promise<Ended> {
  const color = useColor(io);
  const total = plan.changes.filter((c) => isApiAction(c.action) && !saved?.inPlace.has(c.address)).length;
  const progress = new ApplyProgress(io, {
    total,
    label: many ? plan.organization.id : undefined,
    everyMs: o.progressEvery ?? PROGRESS_EVERY_MS,
    deadline: budget?.deadline,
  });
  const session = openSession(planCredentials(plan.organization.credentials), io, { onWait: progress.onWait });
  const started = new Set<string>();
  const stopWhy = budgetStop(budget);
  let stopped: string | undefined;
  try {
    io.stdout.write('\n');
    progress.start();
    const executor = createExecutor({ admin: session.admin, scim: session.scimClient, existing: saved?.inPlace });
    const results: ApplyResult[] = await applyPlan(plan, executor, {
      concurrency: o.concurrency,
      signal: io.interrupt,
      ...(saved ? { inPlace: saved.inPlace } : {}),
      ...(stopWhy
        ? {
            stopStarting: () => {
              const why = stopWhy();
              if (why !== undefined && stopped === undefined) {
                stopped = why;
                progress.stopping();
              }
              return why;
            },
          }
        : {}),
      hooks: {
        onStart: (c) => {
          started.add(c.address);
          progress.onStart();
        },
        onResult: (r) => {
          saved?.journal(r);
          if (r.status === 'no_op') return;
          // a saved plan's change found in place before the run is not one of the `total` to do
          const held = r.status === 'in_place' && !started.has(r.address) && saved?.inPlace.has(r.address) === true;
          if (!held) progress.onResult(r, started.has(r.address));
          // what the budget left is listed once at the end, counted and bounded, not line by line
          if (!leftForNextRun(r)) progress.print(`${renderResultLine(r, { color })}\n`);
        },
      },
    });
    progress.stop();
    const left = results.filter(leftForNextRun).length;
    io.stdout.write(`${left > 0 ? renderStoppedSummary(results, leftForNextRun, stopped ?? 'the time budget', { color }) : renderApplySummary(results, { color })}\n`);
    if (left > 0) {
      io.stderr.write(`note: the time budget (${budget?.text ?? '--max-duration'}) stopped the apply of organization ${visible(plan.organization.id)} ` +
        `with ${left} of ${total} change${total === 1 ? '' : 's'} left for the next run; run apply again to continue\n`);
    }
    const notApplied = results.filter((r) => !leftForNextRun(r) && ['manual', 'failed', 'skipped', 'not_started'].includes(r.status)).length;
    return { notApplied, left };
  } finally {
    progress.stop();
    await session.close();
  }
}

/** `apply PLANFILE…`: exactly the saved plans, no prompt; an organization is refused if anything its plan touches changed. */
async function applySaved(o: ApplyFlags, io: CliIO, budget: Budget | undefined): Promise<number> {
  if (o.approvedPlan !== undefined) {
    io.stderr.write('error: --approved-plan is for `apply -f`; a saved plan is itself the plan that was approved (pin it with --expect-plan-hash). Nothing was applied.\n');
    return EXIT.error;
  }
  const given = parseApprovals(o.expectPlanHash ?? []);
  const plans = o.planFiles.flatMap((f) => readPlanFile(f));
  const refusal = refuse(plans, plans.length, io);
  if (refusal !== undefined) return refusal;
  if (given.bare !== undefined) {
    const actual = plans.length > 1 ? planSetHash(plans) : plans[0]!.plan_hash;
    if (actual !== given.bare) {
      io.stderr.write(`error: the saved plan has plan_hash ${actual}, not the expected ${given.bare}; nothing was applied\n`);
      return EXIT.error;
    }
  }
  // one organization, one plan per run: the second would have been checked against a state the first changes
  const orgIds = plans.map((p) => p.organization.id);
  const twice = orgIds.filter((id, i) => orgIds.indexOf(id) !== i);
  if (twice.length > 0) {
    io.stderr.write(`error: the saved plans hold more than one plan for organization ${visible(twice[0]!)}; apply one plan per organization. Nothing was applied.\n`);
    return EXIT.error;
  }
  const unknown = [...given.byOrg.keys()].filter((id) => !orgIds.includes(id));
  if (unknown.length > 0) {
    io.stderr.write(`error: --expect-plan-hash names organization ${unknown.map(visible).join(', ')}, which the saved plans do not hold; nothing was applied\n`);
    return EXIT.error;
  }
  // per organization: a saved plan whose hash is not the approved one is refused, the others go on
  const refused: Plan[] = [];
  if (given.byOrg.size > 0) {
    for (const p of plans) {
      const w = given.byOrg.get(p.organization.id);
      if (w === p.plan_hash || !hasApiChanges(p)) continue;
      refused.push(p);
      io.stderr.write(
        `organization ${visible(p.organization.id)}: refused: the saved plan has plan_hash ${p.plan_hash}, ` +
          `${w === undefined ? 'and no approved plan_hash was given for it' : `not the approved ${w}`}\n`,
      );
    }
  }
  const lock = lockOrganizations(io.env, orgIds, `apply ${o.planFiles.join(' ')}`);
  try {
    return await checkAndApplySaved(plans, refused, given.byOrg.size > 0 || given.bare !== undefined, o, io, budget);
  } finally {
    lock.release();
  }
}

async function checkAndApplySaved(plans: Plan[], refused: Plan[], approvals: boolean, o: ApplyFlags, io: CliIO, budget: Budget | undefined): Promise<number> {
  // Every plan is checked before any is applied; a stale one refuses its organization, the others go on.
  const inPlace = new Map<Plan, Map<string, { why: string; id?: string | undefined }>>();
  const journaled = new Map<Plan, number>();
  for (const plan of plans) {
    if (refused.includes(plan)) continue;
    const session = openSession(planCredentials(plan.organization.credentials), io);
    try {
      const me = await session.admin.getOrganization({ signal: io.interrupt });
      if (me.id !== plan.organization.id) throw new OrganizationMismatchError(plan.organization.id, me.id, me.name);
      const held = new Map<string, { why: string; id?: string | undefined }>();
      // The journal first: what this machine applied from this very plan is never applied again, whatever the
      // live state shows (a withdrawn invite is not listed by the API).
      const journal = journaledChanges(io.env, plan);
      for (const [addr, j] of journal) held.set(addr, { why: `applied by an earlier run of this plan at ${j.at}`, id: j.id });
      journaled.set(plan, journal.size);
      const check = await checkSavedPlan(plan, { admin: session.admin, scim: session.scim, oauthMissing: session.oauthMissing, signal: io.interrupt, now: io.now() });
      for (const d of check.done) if (!held.has(d.address)) held.set(d.address, inPlaceOf(d));
      const changed = check.stale.filter((s) => !held.has(s.address));
      if (changed.length > 0) {
        const n = changed.length;
        io.stderr.write(
          `organization ${visible(plan.organization.id)}: refused: ${n} change${n === 1 ? '' : 's'} of the saved plan no longer fit${n === 1 ? 's' : ''} ` +
            'the organization (what they touch changed, is gone, or was made meanwhile); nothing was applied to it. Plan again and review the new plan.\n',
        );
        for (const s of changed) io.stderr.write(`  ${visible(s.address)} (${visible(s.id)}): ${visible(s.why)}\n`);
        refused.push(plan);
      }
      inPlace.set(plan, held);
    } finally {
      await session.close();
    }
  }
  const outcome = new Map<string, string>();
  const run = new RunOutcome();
  for (const plan of plans) {
    const id = plan.organization.id;
    if (refused.includes(plan)) {
      outcome.set(id, 'refused (see above); nothing was applied to it');
      continue;
    }
    const held = inPlace.get(plan)!;
    const age = plan.created_at ? `, made ${visible(plan.created_at)}` : '';
    io.stdout.write(`Applying the saved plan for ${visible(plan.organization.name)} (${visible(id)}), plan_hash ${visible(plan.plan_hash)}${age}\n`);
    const todo = plan.changes.filter((c) => isApiAction(c.action) && !held.has(c.address));
    if (todo.length === 0) {
      for (const c of plan.changes) {
        const h = held.get(c.address);
        if (h) io.stdout.write(`${renderResultLine({ address: c.address, action: c.action, status: 'in_place', message: h.why, ...(h.id ? { id: h.id } : {}) }, { color: useColor(io) })}\n`);
      }
      const n = plan.changes.filter((c) => isApiAction(c.action)).length;
      const all = `all ${n} change${n === 1 ? ' is' : 's are'} already in place`;
      if (n > 0 && (journaled.get(plan) ?? 0) > 0) {
        // the journal says this very plan was applied here: say so, and write nothing
        io.stdout.write(`Already applied: this saved plan was applied by an earlier run on this machine (${all}); nothing was written.\n`);
        outcome.set(id, `already applied (plan_hash ${plan.plan_hash}); nothing was written`);
      } else {
        io.stdout.write(n > 0 ? `Nothing to apply: ${all}.\n` : 'Nothing to apply.\n');
        outcome.set(id, n > 0 ? `nothing to apply: ${all}` : 'nothing to apply');
      }
      continue;
    }
    const ended = await execute(plan, o, io, budget, plans.length > 1, { inPlace: held, journal: journalWriter(io.env, plan, io.now) });
    outcome.set(id, run.add(ended, plan));
  }
  return finish(plans, refused, outcome, approvals || plans.length > 1, io, run.code());
}

function inPlaceOf(d: DoneObject): { why: string; id?: string } {
  return d.id === undefined ? { why: d.why } : { why: d.why, id: d.id };
}
