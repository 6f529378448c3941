// `apply`: either plan the file(s) again and apply after confirmation (or `--auto-approve`, optionally only when
// the new plan has the hash a reviewer approved), or apply saved plans exactly, after checking that nothing they
// touch has changed since they were made. Either way under the lock of each organization (cli/lock.ts), so two
// applies of one organization on this machine never interleave.

import { applyPlan } from '../../apply/run.js';
import { OrganizationMismatchError } from '../../errors.js';
import { createExecutor } from '../../executor/index.js';
import { checkSavedPlan, type DoneObject } from '../../live/stale.js';
import { hasErrors } from '../../model/diagnostic.js';
import { hasApiChanges, isApiAction, type ApplyResult, type Plan } from '../../model/plan.js';
import { planSetHash } from '../../model/plan-set.js';
import { renderAccessRemains, renderApplySummary, renderPlanText, renderResultLine } from '../../render/text.js';
import { visible } from '../../render/visible.js';
import { planCredentials } from '../credentials.js';
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
  expectPlanHash?: string;
}

export async function applyCommand(o: ApplyFlags, io: CliIO): Promise<number> {
  if (o.planFiles.length > 0) return applySaved(o, io);
  if (!o.autoApprove && !io.stdinIsTTY) {
    io.stderr.write('error: apply asks for confirmation, and there is no terminal to ask on; review the plan and pass --auto-approve\n');
    return EXIT.error;
  }
  const locks: OrgLock[] = [];
  try {
    return await planAndApply(o, io, locks);
  } finally {
    for (const l of locks.reverse()) l.release();
  }
}

async function planAndApply(o: ApplyFlags, io: CliIO, locks: OrgLock[]): Promise<number> {
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
  if (o.expectPlanHash !== undefined) {
    const actual = many ? planSetHash(plans) : plans[0]!.plan_hash;
    if (actual !== o.expectPlanHash.trim()) {
      io.stderr.write(
        `error: the plan is not the one that was approved (expected plan_hash ${visible(o.expectPlanHash.trim())}, this plan has ${actual}); ` +
          'the organization or the file changed since the review. Nothing was applied; plan again and review the new plan.\n',
      );
      return EXIT.error;
    }
  }
  if (!plans.some(hasApiChanges)) {
    io.stdout.write('\nNothing to apply.\n');
    return offboardingOutcome(plans, io, EXIT.ok);
  }
  if (!o.autoApprove) {
    const answer = await io.prompt('\nDo you want to perform these actions? Only "yes" will be accepted: ');
    if (answer.trim() !== 'yes') {
      io.stdout.write('Apply cancelled; nothing was changed.\n');
      return EXIT.error;
    }
  }
  let incomplete = false;
  for (const x of orgs) {
    if (!x.plan || !x.desired || !hasApiChanges(x.plan)) continue;
    if (many) io.stdout.write(`\n═══ applying ${visible(x.file)}\n`);
    incomplete = !(await execute(x.plan, o, io)) || incomplete;
  }
  return offboardingOutcome(plans, io, incomplete ? EXIT.error : EXIT.ok);
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

/** Applies one plan; true when every API change was applied (or, for a saved plan, already in place). */
async function execute(
  plan: Plan,
  o: ApplyFlags,
  io: CliIO,
  saved?: { inPlace: ReadonlyMap<string, { why: string; id?: string | undefined }>; journal: (r: ApplyResult) => void },
): Promise<boolean> {
  const color = useColor(io);
  const session = openSession(planCredentials(plan.organization.credentials), io);
  try {
    io.stdout.write('\n');
    const executor = createExecutor({ admin: session.admin, scim: session.scimClient, existing: saved?.inPlace });
    const results: ApplyResult[] = await applyPlan(plan, executor, {
      concurrency: o.concurrency,
      signal: io.interrupt,
      ...(saved ? { inPlace: saved.inPlace } : {}),
      hooks: {
        onResult: (r) => {
          saved?.journal(r);
          if (r.status !== 'no_op') io.stdout.write(`${renderResultLine(r, { color })}\n`);
        },
      },
    });
    io.stdout.write(`${renderApplySummary(results, { color })}\n`);
    return !results.some((r) => r.status === 'manual' || r.status === 'failed' || r.status === 'skipped' || r.status === 'not_started');
  } finally {
    await session.close();
  }
}

/** `apply PLANFILE…`: exactly the saved plans, no prompt, refused if anything they touch changed. */
async function applySaved(o: ApplyFlags, io: CliIO): Promise<number> {
  const plans = o.planFiles.flatMap((f) => readPlanFile(f));
  const refusal = refuse(plans, plans.length, io);
  if (refusal !== undefined) return refusal;
  if (o.expectPlanHash !== undefined) {
    const actual = plans.length > 1 ? planSetHash(plans) : plans[0]!.plan_hash;
    if (actual !== o.expectPlanHash.trim()) {
      io.stderr.write(`error: the saved plan has plan_hash ${actual}, not the expected ${visible(o.expectPlanHash.trim())}; nothing was applied\n`);
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
  const lock = lockOrganizations(io.env, orgIds, `apply ${o.planFiles.join(' ')}`);
  try {
    return await checkAndApplySaved(plans, o, io);
  } finally {
    lock.release();
  }
}

async function checkAndApplySaved(plans: Plan[], o: ApplyFlags, io: CliIO): Promise<number> {
  // Every plan is checked before any is applied: a stale one stops the whole run.
  const inPlace: Array<Map<string, { why: string; id?: string | undefined }>> = [];
  let stale = 0;
  for (const plan of plans) {
    const session = openSession(planCredentials(plan.organization.credentials), io);
    try {
      const me = await session.admin.getOrganization({ signal: io.interrupt });
      if (me.id !== plan.organization.id) throw new OrganizationMismatchError(plan.organization.id, me.id, me.name);
      const held = new Map<string, { why: string; id?: string | undefined }>();
      // The journal first: what this machine applied from this very plan is never applied again, whatever the
      // live state shows (a withdrawn invite is not listed by the API).
      for (const [addr, j] of journaledChanges(io.env, plan)) held.set(addr, { why: `applied by an earlier run of this plan at ${j.at}`, id: j.id });
      const check = await checkSavedPlan(plan, { admin: session.admin, scim: session.scim, signal: io.interrupt, now: io.now() });
      for (const d of check.done) if (!held.has(d.address)) held.set(d.address, inPlaceOf(d));
      const changed = check.stale.filter((s) => !held.has(s.address));
      for (const s of changed) io.stderr.write(`  ${visible(s.address)} (${visible(s.id)}): ${visible(s.why)}\n`);
      stale += changed.length;
      inPlace.push(held);
    } finally {
      await session.close();
    }
  }
  if (stale > 0) {
    io.stderr.write(
      `error: ${stale} change${stale === 1 ? '' : 's'} of the saved plan no longer fit${stale === 1 ? 's' : ''} the organization ` +
        '(what they touch changed, is gone, or was made meanwhile); nothing was applied. Plan again and review the new plan.\n',
    );
    return EXIT.error;
  }
  let incomplete = false;
  for (const [i, plan] of plans.entries()) {
    const held = inPlace[i]!;
    const age = plan.created_at ? `, made ${visible(plan.created_at)}` : '';
    io.stdout.write(`Applying the saved plan for ${visible(plan.organization.name)} (${visible(plan.organization.id)}), plan_hash ${visible(plan.plan_hash)}${age}\n`);
    const todo = plan.changes.filter((c) => isApiAction(c.action) && !held.has(c.address));
    if (todo.length === 0) {
      for (const c of plan.changes) {
        const h = held.get(c.address);
        if (h) io.stdout.write(`${renderResultLine({ address: c.address, action: c.action, status: 'in_place', message: h.why, ...(h.id ? { id: h.id } : {}) }, { color: useColor(io) })}\n`);
      }
      io.stdout.write(
        hasApiChanges(plan)
          ? `Nothing to apply: all ${held.size} change${held.size === 1 ? ' is' : 's are'} already in place.\n`
          : 'Nothing to apply.\n',
      );
      continue;
    }
    incomplete = !(await execute(plan, o, io, { inPlace: held, journal: journalWriter(io.env, plan, io.now) })) || incomplete;
  }
  return offboardingOutcome(plans, io, incomplete ? EXIT.error : EXIT.ok);
}

function inPlaceOf(d: DoneObject): { why: string; id?: string } {
  return d.id === undefined ? { why: d.why } : { why: d.why, id: d.id };
}
