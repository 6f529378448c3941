import { errorText } from '../errors-text.js';
import type { Desired } from '../../model/desired.js';
import { hasErrors, type Diagnostic } from '../../model/diagnostic.js';
import { hasApiChanges, type Plan } from '../../model/plan.js';
import { planSet } from '../../model/plan-set.js';
import { renderPlanJson } from '../../render/json.js';
import { renderDiagnostics, renderPlanText } from '../../render/text.js';
import { safeJson, visible } from '../../render/visible.js';
import { duplicateOrganizations } from '../one-file-per-org.js';
import { EXIT, useColor, type CliIO } from '../io.js';
import { checkOutputTarget, writePlanFile } from '../plan-file.js';
import { loadValid, makePlan, openSession, type GuardOverrides } from '../session.js';
import { desiredFiles } from '../targets.js';

export interface PlanFlags {
  file: string;
  format: 'text' | 'json' | 'markdown';
  detailedExitcode?: boolean;
  allowRemovals?: number;
  allowMassRemoval?: boolean;
  verbose?: boolean;
  out?: string;
}

/** The exit code a plan earns: errors 1, blocked 3, changes 2 (only when asked), else 0. */
export function planExitCode(p: Plan, detailed: boolean): number {
  if (hasErrors(p.diagnostics)) return EXIT.error;
  if (p.blocked) return EXIT.blocked;
  // Drift is more than API changes: an offboarding not done (a departed person keeps access, issue 12); live
  // objects the file does not declare; and changes only a person can make, or that cannot be reached (issue 14).
  if (detailed && (hasApiChanges(p) || p.access_remains.length > 0 || (p.undeclared?.length ?? 0) > 0 ||
    p.changes.some((c) => c.action === 'manual' || c.action === 'unavailable'))) return EXIT.changes;
  return EXIT.ok;
}

/** Several organizations: the most serious outcome wins (error, then blocked, then changes). */
export function combineExitCodes(codes: readonly number[]): number {
  for (const c of [EXIT.error, EXIT.blocked, EXIT.changes]) if (codes.includes(c)) return c;
  return EXIT.ok;
}

export interface PlannedOrg {
  file: string;
  desired?: Desired;
  plan?: Plan;
  /** the file was invalid or the live state could not be read; already reported on stderr */
  failed?: boolean;
  /** an invalid file's diagnostics (or the duplicate-organization one), for the pull-request comment */
  diagnostics?: Diagnostic[];
  /** why a valid file's organization could not be planned (the live state could not be read) */
  error?: string;
}

export interface PlanAllOptions extends GuardOverrides {
  /**
   * Called for each organization after its file loaded and before anything is read (apply takes the
   * organization's lock here); a throw fails that organization like a read error would.
   */
  beforeRead?: ((desired: Desired) => void) | undefined;
}

/**
 * Plans every file named by -f (one file, or each file of a directory), reporting failures per organization.
 * Every file is loaded first: two files that declare one organization are both refused before anything is read.
 */
export async function planAll(file: string, io: CliIO, opts: PlanAllOptions): Promise<PlannedOrg[]> {
  const out: PlannedOrg[] = [];
  const files = desiredFiles(file);
  const loaded: Array<{ file: string; desired: Desired; diagnostics: Diagnostic[] } | { file: string; failed: true; diagnostics: Diagnostic[] }> = [];
  for (const f of files) {
    if (io.interrupt.aborted) break;
    const l = await loadValid(f, io);
    loaded.push(l.desired ? { file: f, desired: l.desired, diagnostics: l.diagnostics } : { file: f, failed: true, diagnostics: l.diagnostics });
  }
  const dup = duplicateOrganizations(loaded.flatMap((l) => ('desired' in l ? [l] : [])));
  if (dup.size > 0) io.stderr.write(`${renderDiagnostics([...dup.values()], { color: useColor(io), verbose: true })}\n`);
  for (const l of loaded) {
    if (!('desired' in l) || dup.has(l.file)) {
      const d = dup.get(l.file);
      out.push({ file: l.file, failed: true, diagnostics: d ? [d] : l.diagnostics });
      continue;
    }
    if (io.interrupt.aborted) break;
    try {
      opts.beforeRead?.(l.desired);
      const session = openSession(l.desired.organization.credentials, io);
      try {
        out.push({ file: l.file, desired: l.desired, plan: await makePlan(session, l.desired, l.diagnostics, io, opts) });
      } finally {
        await session.close();
      }
    } catch (err) {
      // one organization failing to read never hides another's plan; the run still exits 1
      io.stderr.write(`${files.length > 1 ? `${visible(l.file)}: ` : ''}error: ${errorText(err)}\n`);
      out.push({ file: l.file, failed: true, error: errorText(err) });
    }
  }
  return out;
}

export async function planCommand(o: PlanFlags, io: CliIO): Promise<number> {
  // --out naming a directory, a device or a FIFO is refused before anything is read or written
  if (o.out !== undefined) checkOutputTarget(o.out, { replace: true });
  const orgs = await planAll(o.file, io, { allowRemovals: o.allowRemovals, allowMassRemoval: o.allowMassRemoval });
  const plans = orgs.flatMap((x) => (x.plan ? [x.plan] : []));
  const many = orgs.length > 1;
  const color = useColor(io);

  if (o.format === 'json') {
    io.stdout.write(many ? `${safeJson(planSet(plans))}\n` : plans[0] ? renderPlanJson(plans[0]) : '');
  } else if (o.format === 'markdown') {
    const { renderPlansMarkdown } = await import('../../render/plans-markdown.js');
    io.stdout.write(renderPlansMarkdown(orgs, { outFile: o.out }));
  } else {
    for (const x of orgs) {
      if (many) io.stdout.write(`\n═══ ${visible(x.file)}\n\n`);
      if (x.plan) io.stdout.write(`${renderPlanText(x.plan, { color, verbose: o.verbose ?? false })}\n`);
      else if (many) io.stdout.write('(no plan: see the errors above)\n');
    }
    if (many && plans.length === orgs.length) io.stdout.write(`\nplan_hash of all ${orgs.length} organizations: ${planSet(plans).plan_hash}\n`);
  }

  if (o.out && plans.length === orgs.length && plans.length > 0) {
    writePlanFile(o.out, many ? planSet(plans) : plans[0]!);
    io.stderr.write(`Saved the plan to ${visible(o.out)}; apply exactly it with \`claude-reconcile apply ${visible(o.out)}\`.\n`);
  } else if (o.out) {
    io.stderr.write(`No plan was saved to ${visible(o.out)}: not every organization could be planned.\n`);
  }
  return combineExitCodes(orgs.map((x) => (x.plan ? planExitCode(x.plan, o.detailedExitcode ?? false) : EXIT.error)));
}
