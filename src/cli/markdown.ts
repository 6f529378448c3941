// `plan --format markdown`: one pull-request comment for one organization, or for every organization of a
// directory (one section each, the whole comment within GitHub's limit, and the hash of all plans last).

import { planSet } from '../model/plan-set.js';
import { planCommentMarker, renderPlanMarkdown } from '../render/markdown.js';
import { clip, codeSpan } from '../render/markdown-escape.js';
import type { PlannedOrg } from './commands/plan.js';

/** GitHub refuses comments over 65,536 characters; keep a margin for the workflow's own lines. */
const COMMENT_LIMIT = 60_000;

export function renderPlansMarkdown(orgs: readonly PlannedOrg[], opts: { outFile?: string | undefined }): string {
  const fullPlanHint = opts.outFile
    ? `the full plan is saved as \`${clip(opts.outFile, 400)}\` (attached to the workflow run)`
    : 'run `claude-reconcile plan` to see the full plan';
  if (orgs.length === 1) {
    const only = orgs[0]!;
    if (only.plan) return `${renderPlanMarkdown(only.plan, { maxChars: COMMENT_LIMIT, fullPlanHint })}\n`;
    return `${planCommentMarker()}\n### claude-reconcile: no plan for ${codeSpan(clip(only.file, 400))}\n\nThe file is invalid or the organization could not be read; see the job log.\n`;
  }
  const share = Math.floor((COMMENT_LIMIT - 2_000) / orgs.length);
  const parts = [planCommentMarker(), `## claude-reconcile: ${orgs.length} organizations`, ''];
  for (const x of orgs) {
    parts.push(`---\n\n#### ${codeSpan(clip(x.file, 400))}\n`);
    parts.push(x.plan ? renderPlanMarkdown(x.plan, { maxChars: share, fullPlanHint }) : 'No plan: the file is invalid or the organization could not be read; see the job log.');
    parts.push('');
  }
  const plans = orgs.flatMap((x) => (x.plan ? [x.plan] : []));
  if (plans.length === orgs.length) {
    parts.push(`---\n\nplan_hash of all organizations: \`${planSet(plans).plan_hash}\` — the merge applies only a plan with this hash.`);
  }
  return `${parts.join('\n')}\n`;
}
