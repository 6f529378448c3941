// The pull-request view of a plan: one comment a reviewer reads before merging (issue 5). Markdown for GitHub,
// deterministic (no timestamps: the same plan renders the same text, so a sticky comment only changes when the plan
// does), and bounded: GitHub refuses comments over 65,536 characters, so detail is dropped by priority, never the
// summary line, and the destructive changes last of all.

import type { Diagnostic } from '../model/diagnostic.js';
import { API_ACTIONS, hasApiChanges, NON_API_ACTIONS, type Change, type GroupRoles, type Plan } from '../model/plan.js';
import { clip, codeSpan, escapeText, formatCount, plural } from './markdown-escape.js';
import { groupChanges, type Entry } from './markdown-groups.js';
import { destructiveGroups, renderNameGroups, undeclaredGroups, type NameGroup } from './markdown-names.js';
import { repoPath } from './repo-path.js';
import { describeAttrs } from './text.js';

export interface MarkdownOptions {
  /** the whole comment stays at or under this many characters (default 60,000; GitHub's limit is 65,536) */
  maxChars?: number;
  /** where the full plan is, said when detail is left out; rendered as plain text */
  fullPlanHint?: string;
  /** the heading's first words (default "claude-reconcile plan"); rendered as plain text */
  title?: string;
  /**
   * Paths (the desired file, a diagnostic's file) are shown relative to this directory when they are inside it, and
   * never as an absolute path of the machine (default: the working directory; a workflow runs at the repository root).
   */
  cwd?: string;
  /**
   * The hash line names the organization: `plan_hash for organization `<id>`: `<hash>``, for a comment with one
   * section per organization that ends with the hash of all plans.
   */
  organizationHash?: boolean;
}

/**
 * The hidden marker a workflow searches for to update one sticky comment in place instead of adding one per push.
 * Exact forms (the first line of the comment):
 *   `<!-- claude-reconcile:plan -->`            no organization (PLAN_COMMENT_MARKER; e.g. a comment for several)
 *   `<!-- claude-reconcile:plan org=<id> -->`  one organization; the id keeps only [A-Za-z0-9._:-], other
 *                                              characters become `_` and runs of `-` become one, so the comment
 *                                              can never be closed early
 * Every form starts with `<!-- claude-reconcile:plan`: search for that prefix to find any plan comment.
 */
export const PLAN_COMMENT_MARKER = '<!-- claude-reconcile:plan -->';

export function planCommentMarker(orgId?: string): string {
  if (orgId === undefined) return PLAN_COMMENT_MARKER;
  const safe = orgId.replace(/[^A-Za-z0-9._:-]/g, '_').replace(/-{2,}/g, '-');
  return `<!-- claude-reconcile:plan org=${safe} -->`;
}

export const DEFAULT_MAX_CHARS = 60_000;
/** Warnings listed per code; the rest of a code is counted (e.g. thousands of `undeclared_member`). */
const WARNINGS_PER_CODE = 20;
/** Info notes are listed when there are at most this many, otherwise counted per code. */
const INFO_LIST_MAX = 10;
/** Room kept for the "… more not shown" lines and the shortening note, whose numbers are known only at the end. */
const NOTE_RESERVE = 800;

function linesCost(lines: readonly string[]): number {
  let cost = 0;
  for (const l of lines) cost += l.length + 1;
  return cost;
}

/** Charges lines (each with its newline) against what is left of maxChars. */
class Budget {
  constructor(private left: number) {}
  get room(): number {
    return Math.max(0, this.left);
  }
  take(lines: readonly string[]): boolean {
    return this.charge(linesCost(lines));
  }
  charge(cost: number): boolean {
    if (cost > this.left) return false;
    this.left -= cost;
    return true;
  }
}

export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  const api = API_ACTIONS.filter((a) => s[a] > 0).map((a) => `${formatCount(s[a])} to ${a}`);
  const other = NON_API_ACTIONS.filter((a) => s[a] > 0).map((a) => `${formatCount(s[a])} ${a}`);
  let what: string;
  if (api.length === 0 && other.length === 0) what = 'no changes';
  else if (api.length === 0) what = `no API changes; ${other.join(', ')}`;
  else what = [...api, ...other].join(', ');
  const undeclared = plan.undeclared?.length ?? 0;
  if (undeclared > 0) what += ` · ${formatCount(undeclared)} undeclared`;
  const r = plan.removals;
  const removals = `removals ${formatCount(r.count)}/${formatCount(r.limit)}${r.overridden ? ' (--allow-removals)' : ''}`;
  const blocked = plan.blocked
    ? `⛔ **blocked**: ${escapeText(clip(plan.blocked_reason ?? 'a safety guard stopped this plan', 1_000))}`
    : '✅ not blocked';
  const people = r.people.leaving > 0
    ? ` · ${r.mass && !r.mass_allowed ? '**' : ''}people leaving ${formatCount(r.people.leaving)} of ${formatCount(r.people.total)}` +
      `${r.mass && !r.mass_allowed ? '**' : ''}${r.mass_allowed ? ' (--allow-mass-removal)' : ''}`
    : '';
  return `**Plan:** ${what} · ${r.count > r.limit ? `**${removals}**` : removals}${people} · ${blocked}`;
}

/** Departed people who keep access (issue 12): always shown, up to 20 by name, never folded into "no changes". */
function accessRemainsLines(plan: Plan): string[] {
  const r = plan.access_remains;
  if (r.length === 0) return [];
  const failed = r.filter((x) => x.state !== 'deferred').length;
  const lines = ['', failed > 0
    ? `### ⛔ Access remains for ${plural(r.length, 'departed person', 'departed people')}: offboarding is not complete`
    : `### ⏳ Access remains for ${plural(r.length, 'departed person', 'departed people')} until the directory sync`, ''];
  for (const x of r.slice(0, 20)) {
    const what = x.state === 'manual' ? 'a person must remove them in the console'
      : x.state === 'unavailable' ? 'the API that removes them cannot be reached' : 'removed at the next directory sync';
    lines.push(`- ${codeSpan(clip(x.email, 200))}: ${what} — ${escapeText(clip(x.why, 400))}`);
  }
  if (r.length > 20) lines.push(`- … ${plural(r.length - 20, 'more')} not shown`);
  return lines;
}

function destructiveLine(c: Change): string {
  return `- ${codeSpan(c.address)} **${c.action}** — ${escapeText(c.reason)}`;
}

function detailLine(c: Change): string {
  const attrs = describeAttrs(c);
  return `- ${codeSpan(c.address)} **${c.action}**${attrs ? ` · ${escapeText(attrs)}` : ''} — ${escapeText(c.reason)}`;
}

function entryLine(e: Entry): string {
  return `- ${e.labelMd}: ${escapeText(e.phrases.join('; '))}`;
}

/** An entry whose per-change detail folds away; the summary is the entry's line. Raw HTML: no markdown inside. */
function entryDetails(e: Entry, changes: readonly Change[]): string[] {
  return [
    `<details><summary>${e.labelHtml}: ${escapeText(e.phrases.join('; '))}</summary>`,
    '',
    ...e.changes.map((i) => detailLine(changes[i]!)),
    '',
    '</details>',
  ];
}

/**
 * `- ❌ **error** `orgs/acme.yaml:12`: message (`code`)`: the file relative to the repository (desiredFile is already
 * relative), the message on one line and escaped.
 */
export function diagnosticLine(d: Diagnostic, desiredFile: string, cwd?: string, maxMessage = 2_000): string {
  const label = d.severity === 'error' ? '❌ **error**' : d.severity === 'warning' ? '⚠️ warning' : 'ℹ️ note';
  // Planner diagnostics name a line of the desired file without repeating the file.
  const file = d.file !== undefined ? clip(repoPath(d.file, cwd), 400) : d.line !== undefined ? desiredFile : undefined;
  const where = file !== undefined ? `${codeSpan(d.line !== undefined ? `${file}:${d.line}` : file)}: ` : '';
  return `- ${label} ${where}${escapeText(clip(d.message, maxMessage))} (${codeSpan(clip(d.code, 100))})`;
}

/** Errors, then warnings with at most WARNINGS_PER_CODE of each code and a count of the rest, in plan order. */
function errorAndWarningLines(diags: readonly Diagnostic[], desiredFile: string, cwd: string): { lines: string[]; counts: number[] } {
  const lines: string[] = [];
  const counts: number[] = []; // how many diagnostics each line stands for
  const warned = new Map<string, number>();
  for (const d of diags) {
    if (d.severity === 'error') {
      lines.push(diagnosticLine(d, desiredFile, cwd));
      counts.push(1);
    }
  }
  for (const d of diags) {
    if (d.severity !== 'warning') continue;
    const n = (warned.get(d.code) ?? 0) + 1;
    warned.set(d.code, n);
    if (n <= WARNINGS_PER_CODE) {
      lines.push(diagnosticLine(d, desiredFile, cwd));
      counts.push(1);
    }
  }
  for (const [code, n] of warned) {
    if (n > WARNINGS_PER_CODE) {
      lines.push(`- ⚠️ … ${plural(n - WARNINGS_PER_CODE, 'more warning')} ${codeSpan(code)}`);
      counts.push(n - WARNINGS_PER_CODE);
    }
  }
  return { lines, counts };
}

function infoLines(infos: readonly Diagnostic[], desiredFile: string, cwd: string): string[] {
  if (infos.length <= INFO_LIST_MAX) return infos.map((d) => diagnosticLine(d, desiredFile, cwd));
  const byCode = new Map<string, number>();
  for (const d of infos) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
  const codes = [...byCode.keys()].sort();
  return [`- ℹ️ ${plural(infos.length, 'note')}: ${codes.map((c) => `${formatCount(byCode.get(c)!)} × ${codeSpan(c)}`).join(', ')}`];
}

function groupRolesLine(r: GroupRoles): string {
  const roles = r.roles === null
    ? `roles unknown (${escapeText(clip(r.unknown_reason ?? 'not read', 200))})`
    : r.roles.map((n) => escapeText(clip(n, 100))).join(', ');
  const owner = r.owner_access ? ' · 🔒 grants owner access: its membership is changed by a person, not this tool' : '';
  return `- ${escapeText(clip(r.group, 200))}: ${roles}${owner}`;
}

interface EntrySection {
  heading: string;
  entries: Entry[];
  /** how many entries are shown */
  shown: number;
  /** which entries are shown (shown in the order of `entries`) */
  picked: Uint8Array;
  /** the `<details>` blocks of every entry, when they fit */
  details?: string[][];
  noun: [string, string];
}

/**
 * A list that names every item when it can (destructive changes, undeclared objects). First the compact form
 * (markdown-names.ts): one line per group, what happens and why, the names joined, as many as fit and an exact
 * count of the rest. Later, when everything of higher priority fits, `upgrade` replaces it by one line per item with
 * its own reason (the form a small plan shows), if that fits too.
 */
interface NamedSection {
  lines: string[];
  /** items named, of total */
  named: number;
  total: number;
  /** change indices named (destructive changes) */
  namedChanges: number[];
  /** one line per item */
  full: boolean;
}

const NO_SECTION: NamedSection = { lines: [], named: 0, total: 0, namedChanges: [], full: false };

function compactSection(
  budget: Budget,
  total: number,
  groups: NameGroup[],
  intro: string | undefined,
  notNamedLine: (k: number) => string,
): NamedSection {
  const introLines = intro !== undefined ? [intro, ''] : [];
  const reserve = linesCost(introLines) + notNamedLine(total).length + 1;
  const r = renderNameGroups(groups, Math.max(0, budget.room - reserve));
  const lines = [...(r.named > 0 ? introLines : []), ...r.lines];
  if (r.named < total) lines.push(notNamedLine(total - r.named));
  // Not taken only when not even the count line fits: the Shortened note still counts every item.
  if (!budget.take(lines)) return { ...NO_SECTION, total };
  return { lines, named: r.named, total, namedChanges: r.namedChanges, full: false };
}

/** The section in one line per item, when the extra characters fit; false when they do not. */
function upgrade(budget: Budget, s: NamedSection, fullLines: readonly string[], fullChanges: readonly number[]): boolean {
  if (s.total === 0 || s.full) return true;
  if (!budget.charge(linesCost(fullLines) - linesCost(s.lines))) return false;
  s.lines = [...fullLines];
  s.named = s.total;
  s.namedChanges = [...fullChanges];
  s.full = true;
  return true;
}

export interface MarkdownResult {
  text: string;
  /** something was left out to stay within maxChars */
  shortened: boolean;
}

/**
 * The pull-request comment for one plan. Order: marker, heading, summary line, destructive changes, undeclared
 * objects, changes per person, workspaces and groups, other changes, group roles, diagnostics, plan hash.
 * The room is given by priority: the summary line and the hash always; then the names of the destructive changes,
 * grouped by what happens and why with the names joined (markdown-names.ts), so that thousands of removals are
 * named, and past what fits the exact count of those not named and where the full plan is; then errors and
 * warnings; the names of undeclared objects; group roles; the per-person (and container) lines; then one line per
 * destructive change and undeclared object with its own reason in place of the groups (what a small plan shows);
 * the `<details>` blocks; info notes last. Every omission is counted in the text. Linear in the size of the plan:
 * each line is built once, measured, and joined once at the end.
 */
export function renderPlanMarkdown(plan: Plan, opts: MarkdownOptions = {}): string {
  return renderPlanMarkdownResult(plan, opts).text;
}

export function renderPlanMarkdownResult(plan: Plan, opts: MarkdownOptions = {}): MarkdownResult {
  const maxChars = opts.maxChars ?? DEFAULT_MAX_CHARS;
  const cwd = opts.cwd ?? process.cwd();
  const changes = plan.changes;
  const org = plan.organization;
  const g = groupChanges(changes);
  const shown = new Uint8Array(changes.length);
  const desiredFile = clip(repoPath(plan.desired.file, cwd), 400);
  const undeclared = plan.undeclared ?? [];

  // The parts that always appear.
  // The values of the parts that always appear are cut short (clip): the budget below cannot drop them.
  const orgLabel = org.name ? `${escapeText(clip(org.name, 200))} (${codeSpan(clip(org.id, 100))})` : codeSpan(clip(org.id, 100));
  const head = [planCommentMarker(clip(org.id, 100)), `## ${escapeText(clip(opts.title ?? 'claude-reconcile plan', 200))}: ${orgLabel}`, '', summaryLine(plan)];
  head.push(...accessRemainsLines(plan));
  if (changes.length === 0) {
    head.push('', undeclared.length > 0
      ? 'No changes: every declared object matches; the organization also holds undeclared objects (drift, listed below).'
      : 'No changes: the organization matches the desired state.');
  } else if (!hasApiChanges(plan)) head.push('', 'No API changes: applying this plan calls no API. The items below wait for a directory sync or a person.');
  const destructiveHead = g.destructive.length > 0 ? ['', `### ⚠️ Destructive changes (${formatCount(g.destructive.length)})`, ''] : [];
  const undeclaredHead = undeclared.length > 0 ? ['', `### Undeclared (drift): ${formatCount(undeclared.length)}`, ''] : [];
  const hint = opts.fullPlanHint !== undefined ? escapeText(clip(opts.fullPlanHint, 600)) : `Run ${codeSpan('claude-reconcile plan')} for the full plan.`;
  const hashLine = opts.organizationHash
    ? `plan_hash for organization ${codeSpan(clip(org.id, 100))}: ${codeSpan(clip(plan.plan_hash, 100))}`
    : `Plan hash ${codeSpan(clip(plan.plan_hash, 100))}: the merge applies only a plan with this hash; a plan that differs from ` +
      'the one shown here is not applied.';
  const foot = [
    '',
    '---',
    '',
    `Desired state ${codeSpan(desiredFile)} (sha256 ${codeSpan(clip(plan.desired.sha256.slice(0, 12), 12))}) · ` +
      `${escapeText(clip(org.kind, 40))} organization, provisioning ${escapeText(clip(org.provisioning, 40))}`,
    '',
    hashLine,
  ];
  const fixed = [...head, ...destructiveHead, ...undeclaredHead, ...foot].reduce((n, l) => n + l.length + 1, 0);
  const budget = new Budget(maxChars - fixed - NOTE_RESERVE - hint.length);
  let complete = true;

  // 1. Destructive changes: every one named when it can be.
  let destructive: NamedSection = NO_SECTION;
  if (g.destructive.length > 0) {
    destructive = compactSection(
      budget,
      g.destructive.length,
      destructiveGroups(changes, g.destructive),
      'Grouped by what happens and why; an email is listed as its name under its `@domain`.',
      (k) => `- … ${formatCount(k)} of ${plural(g.destructive.length, 'destructive change')} not named here. ${hint}`,
    );
    if (destructive.named < destructive.total) complete = false;
    for (const i of destructive.namedChanges) shown[i] = 1;
  }

  // 2. Errors and warnings.
  const diagHead = ['', '### Diagnostics', ''];
  let diagHeadTaken = false;
  const diagLines: string[] = [];
  const ew = errorAndWarningLines(plan.diagnostics, desiredFile, cwd);
  let ewOmitted = 0;
  ew.lines.forEach((line, k) => {
    const cost = diagHeadTaken ? [line] : [...diagHead, line];
    if (complete && budget.take(cost)) {
      diagHeadTaken = true;
      diagLines.push(line);
    } else {
      complete = false;
      ewOmitted += ew.counts[k]!;
    }
  });

  // 2b. Undeclared live objects (drift), named like the destructive changes.
  let drift: NamedSection = { ...NO_SECTION, total: undeclared.length };
  if (undeclared.length > 0 && complete) {
    drift = compactSection(
      budget,
      undeclared.length,
      undeclaredGroups(undeclared),
      undefined,
      (k) => `- … ${formatCount(k)} of ${plural(undeclared.length, 'undeclared object')} not named here. ${hint}`,
    );
  }
  if (drift.named < drift.total) complete = false;

  // 2c. What each declared RBAC group grants (few lines: one per group with roles).
  const rolesHead = ['', '### Group roles', ''];
  const rolesLines = (plan.group_roles ?? []).map(groupRolesLine);
  let rolesShown = 0;
  for (const line of rolesLines) {
    if (!complete || !budget.take(rolesShown === 0 ? [...rolesHead, line] : [line])) {
      complete = false;
      break;
    }
    rolesShown += 1;
  }

  // 3. One line per person, container, or other change. Containers are few and structural: they go first.
  const sections: Record<'people' | 'containers' | 'other', EntrySection> = {
    people: { heading: `### Changes per person (${plural(g.people.length, 'person', 'people')})`, entries: g.people, shown: 0, picked: new Uint8Array(0), noun: ['more person', 'more people'] },
    containers: { heading: '### Workspaces and groups', entries: g.containers, shown: 0, picked: new Uint8Array(0), noun: ['more workspace or group', 'more workspaces and groups'] },
    other: { heading: '### Other changes', entries: g.other, shown: 0, picked: new Uint8Array(0), noun: ['more change', 'more changes'] },
  };
  const byPriority = [sections.containers, sections.other, sections.people];
  // An entry with a change not named above comes before one whose changes all are (a person named among the
  // removals, with nothing else): the room goes to what the comment does not say yet.
  for (const s of byPriority) {
    s.picked = new Uint8Array(s.entries.length);
    const fresh: number[] = [];
    const named: number[] = [];
    s.entries.forEach((e, k) => (e.changes.some((i) => shown[i] === 0) ? fresh : named).push(k));
    for (const k of [...fresh, ...named]) {
      const e = s.entries[k]!;
      const line = entryLine(e);
      if (!complete || !budget.take(s.shown === 0 ? ['', s.heading, '', line] : [line])) {
        complete = false;
        break;
      }
      s.shown += 1;
      s.picked[k] = 1;
      for (const i of e.changes) shown[i] = 1;
    }
  }

  // 4. One line per destructive change and per undeclared object, with its own reason, instead of the groups.
  if (complete && !upgrade(budget, destructive, g.destructive.map((i) => destructiveLine(changes[i]!)), g.destructive)) complete = false;
  if (complete && !upgrade(budget, drift, undeclared.map((u) => `- ${codeSpan(clip(u.address, 400))} — ${escapeText(clip(u.why, 400))}`), [])) {
    complete = false;
  }
  for (const i of destructive.namedChanges) shown[i] = 1;

  // 5. Per-change detail, folded per entry; a section has all of it or none.
  if (complete) {
    for (const s of byPriority) {
      if (s.entries.length === 0) continue;
      const blocks = s.entries.map((e) => entryDetails(e, changes));
      // The blocks replace the section's plain lines, whose cost was already charged.
      const extra = blocks.reduce((n, b) => n + linesCost(b), 0) - s.entries.reduce((n, e) => n + entryLine(e).length + 1, 0);
      if (budget.charge(extra)) s.details = blocks;
    }
  }
  const detailDropped = byPriority.some((s) => s.entries.length > 0 && !s.details);

  // 6. Info notes, last and first to go.
  const infos = plan.diagnostics.filter((d) => d.severity === 'info');
  let infosOmitted = 0;
  if (infos.length > 0) {
    const lines = infoLines(infos, desiredFile, cwd);
    if (complete && !detailDropped && budget.take(diagHeadTaken ? lines : [...diagHead, ...lines])) {
      diagHeadTaken = true;
      diagLines.push(...lines);
    } else {
      infosOmitted = infos.length;
    }
  }

  // Assemble in reading order.
  const out: string[] = [...head];
  if (g.destructive.length > 0) {
    out.push(...destructiveHead, ...destructive.lines);
    if (destructive.lines.length === 0) out.push(`- … ${plural(g.destructive.length, 'destructive change')} not named here`);
  }
  if (undeclared.length > 0) {
    out.push(...undeclaredHead, ...drift.lines);
    if (drift.lines.length === 0) out.push(`- … ${plural(undeclared.length, 'undeclared object')} not named here`);
  }
  for (const s of [sections.people, sections.containers, sections.other]) {
    if (s.shown === 0) continue;
    out.push('', s.heading, '');
    if (s.details) for (const b of s.details) out.push(...b);
    else s.entries.forEach((e, k) => s.picked[k] === 1 && out.push(entryLine(e)));
    const missing = s.entries.length - s.shown;
    if (missing > 0) out.push(`- … ${plural(missing, s.noun[0], s.noun[1])} not shown`);
  }
  if (rolesShown > 0) {
    out.push(...rolesHead, ...rolesLines.slice(0, rolesShown));
    if (rolesShown < rolesLines.length) out.push(`- … ${plural(rolesLines.length - rolesShown, 'more group')} not shown`);
  }
  if (diagLines.length > 0) out.push(...diagHead, ...diagLines);

  // Changes in no shown line; the destructive ones not named are counted on their own.
  let notShown = 0;
  for (const v of shown) if (v === 0) notShown += 1;
  const unnamed = destructive.total - destructive.named;
  notShown -= unnamed;
  const left: string[] = [];
  if (unnamed > 0) left.push(`${formatCount(unnamed)} of ${plural(destructive.total, 'destructive change')} not named`);
  if (notShown > 0) left.push(`… ${plural(notShown, 'more change')} not shown`);
  if (detailDropped) left.push('per-change detail left out');
  if (drift.named < drift.total) left.push(`${formatCount(drift.total - drift.named)} of ${plural(drift.total, 'undeclared object')} not named`);
  if (ewOmitted > 0) left.push(`${plural(ewOmitted, 'error or warning', 'errors and warnings')} not shown`);
  if (infosOmitted > 0) left.push(`${plural(infosOmitted, 'info note')} not shown`);
  if (left.length > 0) {
    out.push('', `> ✂️ **Shortened** to fit one comment: ${left.join('; ')}. ${hint}`);
  }
  out.push(...foot);
  return { text: `${out.join('\n')}\n`, shortened: left.length > 0 };
}
