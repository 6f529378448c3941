import { applyPlan } from '../../apply/run.js';
import { createExecutor } from '../../executor/index.js';
import { hasErrors } from '../../model/diagnostic.js';
import { hasApiChanges } from '../../model/plan.js';
import { renderApplySummary, renderPlanText, renderResultLine } from '../../render/text.js';
import { EXIT, useColor, type CliIO } from '../io.js';
import { loadValid, makePlan, openSession } from '../session.js';

export interface ApplyFlags {
  file: string;
  autoApprove?: boolean;
  allowRemovals?: number;
  concurrency: number;
  verbose?: boolean;
}

export async function applyCommand(o: ApplyFlags, io: CliIO): Promise<number> {
  const color = useColor(io);
  if (!o.autoApprove && !io.stdinIsTTY) {
    io.stderr.write('error: apply asks for confirmation, and there is no terminal to ask on; review the plan and pass --auto-approve\n');
    return EXIT.error;
  }
  const loaded = await loadValid(o.file, io);
  if (!loaded) return EXIT.error;
  const session = openSession(loaded.desired, io);
  try {
    const p = await makePlan(session, loaded.diagnostics, io, { allowRemovals: o.allowRemovals });
    io.stdout.write(`${renderPlanText(p, { color, verbose: o.verbose ?? false })}\n`);
    if (hasErrors(p.diagnostics)) {
      io.stderr.write('error: the plan has errors; nothing was applied\n');
      return EXIT.error;
    }
    if (p.blocked) {
      io.stderr.write('error: the plan is blocked by a safety guard; nothing was applied\n');
      return EXIT.blocked;
    }
    if (!hasApiChanges(p)) {
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
    io.stdout.write('\n');
    const executor = createExecutor({ admin: session.admin, scim: session.scimClient });
    const results = await applyPlan(p, executor, {
      concurrency: o.concurrency,
      signal: io.interrupt,
      hooks: {
        onResult: (r) => {
          if (r.status !== 'no_op') io.stdout.write(`${renderResultLine(r, { color })}\n`);
        },
      },
    });
    io.stdout.write(`${renderApplySummary(results, { color })}\n`);
    const incomplete = results.some((r) => r.status === 'failed' || r.status === 'skipped' || r.status === 'not_started');
    return incomplete ? EXIT.error : EXIT.ok;
  } finally {
    await session.close();
  }
}
