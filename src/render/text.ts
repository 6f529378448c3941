// Terminal views of a plan and of apply results, in the Terraform manner. The only place chalk is used.
// Colour is decided by the caller (cli reads NO_COLOR and whether stdout is a terminal) and passed in.
// Every value that comes from the API or the desired-state file (addresses, attribute values, reasons, messages,
// names, ids, paths) goes through `visible`: no value can start a line or move the terminal's cursor.

import { Chalk, type ChalkInstance } from 'chalk';
import deepDiff from 'deep-diff';
import { assertNever } from '../model/address.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { AccessRemains, Action, ApplyResult, Attrs, Change, Plan } from '../model/plan.js';
import { hasApiChanges } from '../model/plan.js';
import { visible, visibleValue } from './visible.js';

export interface TextOptions {
  color: boolean;
  /** list every info note instead of grouping them when there are many */
  verbose?: boolean;
}

const SYMBOL: Record<Action, string> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
  deferred: '…',
  manual: '!',
  unavailable: '?',
};

function paint(c: ChalkInstance, action: Action): (s: string) => string {
  switch (action) {
    case 'create': return c.green;
    case 'update': return c.yellow;
    case 'replace': return c.magenta;
    case 'delete': return c.red;
    case 'deferred': return c.cyan;
    case 'manual': return c.blue;
    case 'unavailable': return c.gray;
    default: return assertNever(action, 'action');
  }
}

// Attributes already named by the address (the email, the workspace or group name) or remote ids: the JSON plan
// carries them, the terminal view leaves them out.
const IDENTITY_KEYS = new Set(['email', 'userName', 'workspace', 'group', 'user']);
const shownKey = (k: string): boolean => !IDENTITY_KEYS.has(k) && !k.endsWith('_id');

function value(v: unknown): string {
  return visibleValue(v);
}

/** `role: user → developer`, from a deep diff of before and after; or the attributes for creates and deletes. */
export function describeAttrs(c: Pick<Change, 'before' | 'after' | 'action'>): string {
  const { before, after } = c;
  if (before && after) {
    // Only what the change sets: the identity is in the address, and read-only fields (status, dates) are not set.
    const shown = Object.keys(after).filter(shownKey);
    const pick = (o: Attrs) => Object.fromEntries(shown.map((k) => [k, o[k]]));
    const diffs = deepDiff.diff(pick(before), pick(after)) ?? [];
    const parts = diffs.map((d) => {
      const path = visible((d.path ?? []).join('.'));
      if (d.kind === 'E') return `${path}: ${value(d.lhs)} → ${value(d.rhs)}`;
      if (d.kind === 'N') return `${path}: → ${value(d.rhs)}`;
      if (d.kind === 'D') return `${path}: ${value(d.lhs)} → (none)`;
      return `${path}: changed`;
    });
    return parts.join(', ');
  }
  const attrs: Attrs | null = after ?? before;
  if (!attrs) return '';
  return Object.entries(attrs)
    .filter(([k]) => shownKey(k))
    .map(([k, v]) => `${visible(k)}: ${value(v)}`)
    .join(', ');
}

function changeLine(c: Change, ch: ChalkInstance): string {
  const color = paint(ch, c.action);
  const sym = SYMBOL[c.action].padStart(3);
  const nonApi = c.action === 'deferred' || c.action === 'manual' || c.action === 'unavailable';
  const label = nonApi ? ` (${c.action})` : '';
  const attrs = describeAttrs(c);
  return `${color(`${sym} ${visible(c.address)}`)}${label}${attrs ? `  ${attrs}` : ''}${ch.dim(`  # ${visible(c.reason)}`)}`;
}

export function renderDiagnostic(d: Diagnostic, ch: ChalkInstance): string {
  const where = d.file ? `${visible(d.file)}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}: ` : '';
  const sev = d.severity === 'error' ? ch.red.bold('error') : d.severity === 'warning' ? ch.yellow('warning') : ch.cyan('note');
  return `${where}${sev}: ${visible(d.message)}`;
}

export function renderDiagnostics(diags: readonly Diagnostic[], opts: TextOptions): string {
  const ch = new Chalk({ level: opts.color ? 1 : 0 });
  const lines: string[] = [];
  const shown = diags.filter((d) => d.severity !== 'info');
  for (const d of shown) lines.push(renderDiagnostic(d, ch));
  const infos = diags.filter((d) => d.severity === 'info');
  if (infos.length > 0 && (opts.verbose || infos.length <= 50)) {
    for (const d of infos) lines.push(renderDiagnostic(d, ch));
  } else if (infos.length > 0) {
    const byCode = new Map<string, number>();
    for (const d of infos) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
    for (const [code, n] of byCode) lines.push(`${ch.cyan('note')}: ${n} × ${visible(code)} (run with --verbose to list them)`);
  }
  return lines.join('\n');
}

function summaryLine(plan: Plan): string {
  const s = plan.summary;
  const api = `${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete`;
  const other = `${s.deferred} deferred, ${s.manual} manual, ${s.unavailable} unavailable`;
  return `Plan: ${api}; ${other}.`;
}

export function renderPlanText(plan: Plan, opts: TextOptions): string {
  const ch = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [];
  const org = plan.organization;
  out.push(ch.bold(`Organization ${visible(org.name)} (${visible(org.id)}), ${visible(org.kind)}, provisioning ${visible(org.provisioning)}`));
  out.push(ch.dim(`Desired state ${visible(plan.desired.file)} (sha256 ${visible(plan.desired.sha256.slice(0, 12))})`));
  out.push('');

  if (plan.changes.length === 0) {
    out.push(ch.green('No changes. The organization matches the desired state.'));
  } else {
    if (hasApiChanges(plan)) out.push('claude-reconcile will perform the following actions, in this order:');
    else out.push('No API changes; these items need time or a person:');
    out.push('');
    for (const c of plan.changes) out.push(changeLine(c, ch));
  }

  if (plan.group_roles && plan.group_roles.length > 0) {
    out.push('');
    out.push(ch.bold('Roles of the declared RBAC groups:'));
    for (const r of plan.group_roles) {
      const roles = r.roles === null ? ch.yellow(`unknown (${visible(r.unknown_reason ?? 'not read')})`) : r.roles.map(visible).join(', ');
      const owner = r.owner_access ? ch.red(' (grants owner access: its membership is changed by a person, not this tool)') : '';
      out.push(`  ${visible(r.group)}: ${roles}${owner}`);
    }
  }

  const undeclared = plan.undeclared ?? [];
  if (undeclared.length > 0) {
    out.push('');
    out.push(ch.yellow.bold(`Undeclared (drift): ${undeclared.length}`));
    for (const u of undeclared) out.push(`  ${visible(u.address)}: ${visible(u.why)}`);
  }

  const diags = renderDiagnostics(plan.diagnostics, opts);
  if (diags) {
    out.push('');
    out.push(diags);
  }

  out.push('');
  const r = plan.removals;
  const limitSource = r.overridden ? '--allow-removals' : 'policy.max_removals';
  const removalText = `Removals: ${r.count} (limit ${r.limit}, ${limitSource})`;
  out.push(r.count > r.limit ? ch.red.bold(removalText) : removalText);
  if (r.people.leaving > 0) {
    const share = r.people.total > 0 ? Math.round((r.people.leaving / r.people.total) * 100) : 100;
    const peopleText = `People leaving the organization: ${r.people.leaving} of ${r.people.total} (${share} %; ` +
      `mass-removal guard: more than ${Math.round(r.max_share * 100)} % or everyone removable` +
      `${r.mass_allowed ? ', lifted by --allow-mass-removal' : ''})`;
    out.push(r.mass && !r.mass_allowed ? ch.red.bold(peopleText) : peopleText);
  }
  out.push(ch.bold(summaryLine(plan)));
  if (plan.access_remains.length > 0) {
    out.push('');
    out.push(renderAccessRemains(plan.access_remains, opts));
  }
  if (plan.blocked) {
    out.push('');
    out.push(ch.red.bold(`Blocked: ${visible(plan.blocked_reason ?? 'a safety guard stopped this plan')}`));
    for (const a of r.addresses) out.push(ch.red(`  - ${visible(a)}`));
  }
  out.push(ch.dim(`plan_hash ${visible(plan.plan_hash)}`));
  return out.join('\n');
}

/**
 * Departed people who keep access after this plan: never folded into "no changes" (issue 12). One line each, with
 * what must happen for the access to end.
 */
export function renderAccessRemains(remains: readonly AccessRemains[], opts: TextOptions): string {
  const ch = new Chalk({ level: opts.color ? 1 : 0 });
  const failed = remains.filter((r) => r.state !== 'deferred').length;
  const head = failed > 0
    ? `Access remains for ${remains.length} departed ${remains.length === 1 ? 'person' : 'people'}: offboarding is not complete`
    : `Access remains for ${remains.length} departed ${remains.length === 1 ? 'person' : 'people'} until the directory sync`;
  const lines = [failed > 0 ? ch.red.bold(head) : ch.yellow.bold(head)];
  for (const r of remains) {
    const what = r.state === 'manual' ? 'a person must remove them in the console'
      : r.state === 'unavailable' ? 'the tool cannot reach the API that removes them' : 'removed at the next directory sync';
    lines.push(`  ${r.state === 'deferred' ? ch.yellow('…') : ch.red('!')} ${visible(r.email)}: ${what} (${visible(r.why)})`);
  }
  return lines.join('\n');
}

export function renderResultLine(r: ApplyResult, opts: TextOptions): string {
  const ch = new Chalk({ level: opts.color ? 1 : 0 });
  const address = visible(r.address);
  const message = visible(r.message ?? '');
  switch (r.status) {
    case 'applied': return `${ch.green('applied')}     ${SYMBOL[r.action]} ${address}${r.id ? ch.dim(` (${visible(r.id)})`) : ''}`;
    case 'failed': return `${ch.red.bold('FAILED')}      ${SYMBOL[r.action]} ${address}: ${message}`;
    case 'manual': return `${ch.magenta.bold('MANUAL')}      ${SYMBOL[r.action]} ${address}: ${message}`;
    case 'skipped': return `${ch.yellow('skipped')}     ${SYMBOL[r.action]} ${address}: ${message}`;
    case 'not_started': return `${ch.yellow('not started')} ${SYMBOL[r.action]} ${address}`;
    case 'no_op': return `${ch.dim(`${r.action.padEnd(11)} ${SYMBOL[r.action]} ${address}`)}`;
    case 'in_place': return `${ch.cyan('in place')}    ${SYMBOL[r.action]} ${address}${r.id ? ch.dim(` (${visible(r.id)})`) : ''}: ${message}; not applied again`;
    default: return assertNever(r.status, 'apply status');
  }
}

export function renderApplySummary(results: readonly ApplyResult[], opts: TextOptions): string {
  const ch = new Chalk({ level: opts.color ? 1 : 0 });
  const counts = { applied: 0, manual: 0, failed: 0, skipped: 0, not_started: 0 };
  let inPlace = 0;
  for (const r of results) {
    if (r.status === 'in_place') inPlace += 1;
    else if (r.status !== 'no_op') counts[r.status] += 1;
  }
  const lines: string[] = [];
  const notDone = results.filter((r) => r.status === 'manual' || r.status === 'failed' || r.status === 'skipped' || r.status === 'not_started');
  if (notDone.length > 0) {
    lines.push('');
    lines.push(ch.bold('Not applied:'));
    for (const r of notDone) lines.push(`  ${renderResultLine(r, opts)}`);
  }
  lines.push('');
  const open = counts.manual + counts.failed + counts.skipped + counts.not_started;
  const text = `Apply ${open > 0 ? 'incomplete' : 'complete'}: ` +
    `${counts.applied} applied, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.not_started} not started` +
    `${counts.manual > 0 ? `, ${counts.manual} left to a person (the API refused them as changes only a person can make)` : ''}` +
    `${inPlace > 0 ? `; ${inPlace} already in place` : ''}.`;
  lines.push(open > 0 ? ch.red.bold(text) : ch.green.bold(text));
  return lines.join('\n');
}
