// `plan --format markdown`: one pull-request comment for one organization, or for every organization of a
// directory (one section each, the whole comment within GitHub's limit, and the hash of all plans last).

import type { Diagnostic } from '../model/diagnostic.js';
import type { Plan } from '../model/plan.js';
import { planSet } from '../model/plan-set.js';
import { diagnosticLine, planCommentMarker, renderPlanMarkdownResult, summaryLine, type MarkdownOptions } from './markdown.js';
import { clip, codeSpan, escapeText, plural } from './markdown-escape.js';
import { repoPath } from './repo-path.js';

/** GitHub refuses comments over 65,536 characters; keep a margin for the workflow's own lines. */
const COMMENT_LIMIT = 60_000;
/** An invalid file's diagnostics listed in the comment; the rest are counted (the job log and `validate` have all). */
const NO_PLAN_DIAGNOSTICS = 10;
/** Characters of one such diagnostic's message. */
const NO_PLAN_MESSAGE = 300;

/**
 * What the comment needs of one organization. `PlannedOrg` (commands/plan.ts) is one; `diagnostics` and `error` say
 * why an organization has no plan, when the caller knows.
 */
export interface CommentOrg {
  file: string;
  plan?: Plan | undefined;
  /** the file's diagnostics when it is invalid (schema errors, a duplicate organization): shown as file:line: message */
  diagnostics?: readonly Diagnostic[] | undefined;
  /** why the organization could not be planned when the file was valid (the live state could not be read) */
  error?: string | undefined;
}

export interface PlansMarkdownOptions {
  /** where `plan --out` saved the full plan, named in every "not shown" note */
  outFile?: string | undefined;
  /** paths inside it are shown relative to it (default: the working directory, the repository root in CI) */
  cwd?: string | undefined;
  /** the whole comment stays at or under this many characters (default 60,000) */
  maxChars?: number | undefined;
}

/** Why an organization has no plan: its errors first (file:line: message, escaped, bounded), or the read error. */
function noPlanLines(x: CommentOrg, cwd: string): string[] {
  const file = clip(repoPath(x.file, cwd), 400);
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const diags = [...(x.diagnostics ?? [])].filter((d) => d.severity !== 'info').sort((a, b) => rank[a.severity] - rank[b.severity]);
  if (diags.length > 0) {
    const lines = ['The file is invalid: nothing was read or changed.', ''];
    for (const d of diags.slice(0, NO_PLAN_DIAGNOSTICS)) lines.push(diagnosticLine(d, file, cwd, NO_PLAN_MESSAGE));
    if (diags.length > NO_PLAN_DIAGNOSTICS) {
      lines.push(`- … ${plural(diags.length - NO_PLAN_DIAGNOSTICS, 'more diagnostic')}: run ${codeSpan(`claude-reconcile validate -f ${file}`)}`);
    }
    return lines;
  }
  if (x.error !== undefined) return [`The organization could not be read: ${escapeText(clip(x.error, 1_000))}`];
  return ['The file is invalid or the organization could not be read; see the job log.'];
}

/**
 * Shares `room` characters between sections that need `needs[i]` (Infinity: more than any share): max-min fair, so
 * a small plan keeps all it needs and the rest goes to the large ones in equal parts.
 */
export function shareRoom(needs: readonly number[], room: number): number[] {
  const out = needs.map(() => 0);
  const order = needs.map((_, i) => i).sort((a, b) => needs[a]! - needs[b]!);
  let left = Math.max(0, room);
  order.forEach((i, k) => {
    const fair = Math.floor(left / (order.length - k));
    out[i] = Math.min(needs[i]!, fair);
    left -= out[i]!;
  });
  return out;
}

export function renderPlansMarkdown(orgs: readonly CommentOrg[], opts: PlansMarkdownOptions = {}): string {
  const cwd = opts.cwd ?? process.cwd();
  const limit = opts.maxChars ?? COMMENT_LIMIT;
  const base: MarkdownOptions = { cwd };
  if (opts.outFile) base.fullPlanHint = `The full plan is saved as ${clip(repoPath(opts.outFile, cwd), 400)} (attached to the workflow run).`;
  if (orgs.length === 1) {
    const only = orgs[0]!;
    if (only.plan) return `${renderPlanMarkdownResult(only.plan, { ...base, maxChars: limit }).text}\n`;
    const file = clip(repoPath(only.file, cwd), 400);
    return `${[planCommentMarker(), `### claude-reconcile: no plan for ${codeSpan(file)}`, '', ...noPlanLines(only, cwd)].join('\n')}\n`;
  }

  // Everything but the plans' sections, then the plans' sections in the room left, each given what it needs when
  // that fits and the large ones sharing the rest.
  const plans = orgs.flatMap((x) => (x.plan ? [x.plan] : []));
  const head = [planCommentMarker(), `## claude-reconcile: ${orgs.length} organizations`, ''];
  const headings = orgs.map((x) => `---\n\n#### ${codeSpan(clip(repoPath(x.file, cwd), 400))}\n`);
  const noPlan = orgs.map((x) => (x.plan ? '' : `No plan. ${noPlanLines(x, cwd).join('\n')}`));
  const tail = plans.length === orgs.length
    ? [`---\n\nplan_hash of all organizations: \`${planSet(plans).plan_hash}\` — the merge applies only a plan with this hash.`]
    : [];
  // parts are joined with '\n' and the comment ends with one more
  const partCount = head.length + orgs.length * 3 + tail.length;
  const fixed = [...head, ...headings, ...noPlan, ...tail].reduce((n, p) => n + p.length, 0) + partCount;
  const room = limit - fixed;
  const withPlan = orgs.flatMap((x, i) => (x.plan ? [i] : []));
  const sectionOpts: MarkdownOptions = { ...base, organizationHash: true };
  const whole = withPlan.map((i) => renderPlanMarkdownResult(orgs[i]!.plan!, { ...sectionOpts, maxChars: Math.max(room, 0) }));
  const shares = shareRoom(whole.map((r) => (r.shortened ? Infinity : r.text.length)), room);
  const texts = new Map<number, string>();
  withPlan.forEach((i, k) => {
    const r = whole[k]!;
    texts.set(i, !r.shortened && shares[k]! >= r.text.length ? r.text : renderPlanMarkdownResult(orgs[i]!.plan!, { ...sectionOpts, maxChars: shares[k]! }).text);
  });

  const parts = [...head];
  orgs.forEach((x, i) => {
    parts.push(headings[i]!);
    // a section's text ends with a line break; the empty part after it makes the one blank line between sections
    parts.push(x.plan ? texts.get(i)!.replace(/\n$/, '') : noPlan[i]!);
    parts.push('');
  });
  parts.push(...tail);
  const text = `${parts.join('\n')}\n`;
  return text.length <= limit ? text : oneLinePerOrganization(orgs, head, tail, limit, cwd, base.fullPlanHint);
}

/**
 * So many organizations that even their shortest sections do not fit: one line each, with its summary line and its
 * plan_hash, as many as fit, the rest counted; the hash of all plans stays last.
 */
function oneLinePerOrganization(
  orgs: readonly CommentOrg[], head: string[], tail: string[], limit: number, cwd: string, hint: string | undefined,
): string {
  const note = (n: number) => `- … ${plural(n, 'more organization')} not shown. ${escapeText(hint ?? 'Run claude-reconcile plan for the full plan.')}`;
  const intro = ['Too many organizations for one section each: one line each.', ''];
  let left = limit - [...head, ...intro, ...tail].reduce((n, p) => n + p.length + 1, 0) - note(orgs.length).length - 2;
  const lines: string[] = [];
  for (const x of orgs) {
    const file = codeSpan(clip(repoPath(x.file, cwd), 200));
    const line = x.plan
      ? `- ${file}: ${summaryLine(x.plan)} · plan_hash for organization ${codeSpan(clip(x.plan.organization.id, 100))}: ${codeSpan(clip(x.plan.plan_hash, 100))}`
      : `- ${file}: no plan (the file is invalid or the organization could not be read)`;
    if (line.length + 1 > left) break;
    left -= line.length + 1;
    lines.push(line);
  }
  if (lines.length < orgs.length) lines.push(note(orgs.length - lines.length));
  return `${[...head, ...intro, ...lines, '', ...tail].join('\n')}\n`;
}
