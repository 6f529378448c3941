// `apply`: either plan the file(s) again and apply after confirmation (or `--auto-approve`, optionally only when
// the new plan has the hash a reviewer approved), or apply saved plans exactly, after checking that nothing they
// touch has changed since they were made.

import { applyPlan } from '../../apply/run.js';
import { OrganizationMismatchError } from '../../errors.js';
import { createExecutor } from '../../executor/index.js';
import { findStale } from '../../live/stale.js';
import { hasErrors } from '../../model/diagnostic.js';
import { hasApiChanges, type ApplyResult, type Plan } from '../../model/plan.js';
import { planSetHash } from '../../model/plan-set.js';
import { renderApplySummary, renderPlanText, renderResultLine } from '../../render/text.js';
import { visible } from '../../render/visible.js';
import { planCredentials } from '../credentials.js';
import { EXIT, useColor, type CliIO } from '../io.js';
import { readPlanFile } from '../plan-file.js';
import { openSession } from '../session.js';
import { planAll } from './plan.js';

export interface ApplyFlags {
  file: string;
  /** saved plans (`plan --out`) to apply exactly */
  planFiles: string[];
  autoApprove?: boolean;
  allowRemovals?: number;
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
  const color = useColor(io);
  const orgs = await planAll(o.file, io, { allowRemovals: o.allowRemovals });
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
    return EXIT.ok;
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
  return incomplete ? EXIT.error : EXIT.ok;
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

/** Applies one plan; true when every API change was applied. */
async function execute(plan: Plan, o: ApplyFlags, io: CliIO): Promise<boolean> {
  const color = useColor(io);
  const session = openSession(planCredentials(plan.organization.credentials), io);
  try {
    io.stdout.write('\n');
    const results: ApplyResult[] = await applyPlan(plan, createExecutor({ admin: session.admin, scim: session.scimClient }), {
      concurrency: o.concurrency,
      signal: io.interrupt,
      hooks: {
        onResult: (r) => {
          if (r.status !== 'no_op') io.stdout.write(`${renderResultLine(r, { color })}\n`);
        },
      },
    });
    io.stdout.write(`${renderApplySummary(results, { color })}\n`);
    return !results.some((r) => r.status === 'failed' || r.status === 'skipped' || r.status === 'not_started');
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
  // Every plan is checked before any is applied: a stale one stops the whole run.
  let stale = 0;
  for (const plan of plans) {
    const session = openSession(planCredentials(plan.organization.credentials), io);
    try {
      const me = await session.admin.getOrganization({ signal: io.interrupt });
      if (me.id !== plan.organization.id) throw new OrganizationMismatchError(plan.organization.id, me.id, me.name);
      const changed = await findStale(plan, { admin: session.admin, scim: session.scim, signal: io.interrupt });
      for (const s of changed) io.stderr.write(`  ${visible(s.address)} (${visible(s.id)}) ${visible(s.why)} since the plan was made\n`);
      stale += changed.length;
    } finally {
      await session.close();
    }
  }
  if (stale > 0) {
    io.stderr.write(
      `error: ${stale} object${stale === 1 ? '' : 's'} the saved plan touches changed since it was made; nothing was applied. ` +
        'Plan again and review the new plan.\n',
    );
    return EXIT.error;
  }
  let incomplete = false;
  for (const plan of plans) {
    io.stdout.write(`Applying the saved plan for ${visible(plan.organization.name)} (${visible(plan.organization.id)}), plan_hash ${visible(plan.plan_hash)}\n`);
    if (!hasApiChanges(plan)) {
      io.stdout.write('Nothing to apply.\n');
      continue;
    }
    incomplete = !(await execute(plan, o, io)) || incomplete;
  }
  return incomplete ? EXIT.error : EXIT.ok;
}
