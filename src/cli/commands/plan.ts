import { hasErrors } from '../../model/diagnostic.js';
import { hasApiChanges, type Plan } from '../../model/plan.js';
import { renderPlanJson } from '../../render/json.js';
import { renderPlanText } from '../../render/text.js';
import { EXIT, useColor, type CliIO } from '../io.js';
import { loadValid, makePlan, openSession } from '../session.js';

export interface PlanFlags {
  file: string;
  format: 'text' | 'json';
  detailedExitcode?: boolean;
  allowRemovals?: number;
  verbose?: boolean;
}

/** The exit code a plan earns: errors 1, blocked 3, changes 2 (only when asked), else 0. */
export function planExitCode(p: Plan, detailed: boolean): number {
  if (hasErrors(p.diagnostics)) return EXIT.error;
  if (p.blocked) return EXIT.blocked;
  if (detailed && hasApiChanges(p)) return EXIT.changes;
  return EXIT.ok;
}

export async function planCommand(o: PlanFlags, io: CliIO): Promise<number> {
  const loaded = await loadValid(o.file, io);
  if (!loaded) return EXIT.error;
  const session = openSession(loaded.desired, io);
  try {
    const p = await makePlan(session, loaded.diagnostics, io, { allowRemovals: o.allowRemovals });
    io.stdout.write(o.format === 'json' ? renderPlanJson(p) : `${renderPlanText(p, { color: useColor(io), verbose: o.verbose ?? false })}\n`);
    return planExitCode(p, o.detailedExitcode ?? false);
  } finally {
    await session.close();
  }
}
