// The views of a long apply (issue 18 items 3 and 4): the progress line (one updating line on a terminal, or a
// line every N seconds in CI), and the end of a run that the time budget stopped with work left (what is left,
// counted, its addresses bounded). Every value from the plan or the API goes through `visible`.

import { Chalk } from 'chalk';
import type { Action, ApplyResult } from '../model/plan.js';
import { renderResultLine, type TextOptions } from './text.js';
import { visible } from './visible.js';

/** `5h30m`, `45m`, `1m30s`, `12s`, `0s`: rounded down to whole seconds. */
export function formatDuration(ms: number): string {
  let s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 || (h === 0 && m === 0) ? `${s}s` : ''}`;
}

/** A wait under way: how long it has left, why (fixed text, numbers and routes), and the rate-limit bucket if known. */
export interface ProgressWait {
  leftMs: number;
  why: string;
  bucket?: string | undefined;
}

export interface ProgressState {
  /** the organization, when the run has several */
  label?: string | undefined;
  /** API changes this run applies (those already in place not counted) */
  total: number;
  /** changes with a result: applied, failed, skipped, manual, … */
  done: number;
  /** of `done`: not applied (failed, skipped, manual) */
  notApplied: number;
  inFlight: number;
  wait?: ProgressWait | undefined;
  /** what is left of the time budget (`--max-duration`), when there is one */
  budgetLeftMs?: number | undefined;
  /** the budget stopped starting new changes */
  stopping?: boolean | undefined;
}

/** One line, no newline: `apply: 37/120 done (2 not applied), 4 in flight · waiting 3s [invites] for … · budget 1h2m left`. */
export function renderProgressLine(s: ProgressState, opts: { width?: number | undefined } = {}): string {
  const parts: string[] = [];
  parts.push(`${s.label !== undefined ? `${visible(s.label)}: ` : ''}${s.done}/${s.total} changes done` +
    `${s.notApplied > 0 ? ` (${s.notApplied} not applied)` : ''}, ${s.inFlight} in flight`);
  if (s.wait) {
    const secs = s.wait.leftMs < 10_000 ? (s.wait.leftMs / 1000).toFixed(1) : formatDuration(s.wait.leftMs);
    parts.push(`waiting ${secs}${s.wait.leftMs < 10_000 ? ' s' : ''}${s.wait.bucket !== undefined ? ` [${visible(s.wait.bucket)}]` : ''} ${visible(s.wait.why)}`);
  }
  if (s.stopping) parts.push('time budget reached: finishing the changes in flight, starting no new one');
  else if (s.budgetLeftMs !== undefined) parts.push(`budget ${formatDuration(s.budgetLeftMs)} left`);
  const line = `apply: ${parts.join(' · ')}`;
  const width = opts.width;
  if (width === undefined || width < 20 || line.length <= width) return line;
  return `${line.slice(0, width - 1)}…`;
}

const SYMBOL: Record<Action, string> = { create: '+', update: '~', replace: '-/+', delete: '-', deferred: '…', manual: '!', unavailable: '?' };

/** How many addresses of what is left are named; the rest are counted. */
export const LEFT_SHOWN = 20;

/**
 * The end of an apply that the time budget stopped: what was not applied for another reason (each on its line),
 * then what is left for the next run (counted, at most LEFT_SHOWN addresses named), then the totals.
 */
export function renderStoppedSummary(results: readonly ApplyResult[], isLeft: (r: ApplyResult) => boolean, why: string, opts: TextOptions): string {
  const ch = new Chalk({ level: opts.color ? 1 : 0 });
  const left = results.filter(isLeft);
  const counts = { applied: 0, failed: 0, skipped: 0, manual: 0, not_started: 0, in_place: 0 };
  for (const r of results) if (r.status !== 'no_op' && !isLeft(r)) counts[r.status] += 1;
  const lines: string[] = [];
  const notDone = results.filter((r) => !isLeft(r) && ['manual', 'failed', 'skipped', 'not_started'].includes(r.status));
  if (notDone.length > 0) {
    lines.push('', ch.bold('Not applied:'));
    for (const r of notDone) lines.push(`  ${renderResultLine(r, opts)}`);
  }
  lines.push('', ch.bold(`Left for the next run: ${left.length} change${left.length === 1 ? '' : 's'} (${visible(why)}):`));
  for (const r of left.slice(0, LEFT_SHOWN)) lines.push(`  ${SYMBOL[r.action]} ${visible(r.address)}`);
  if (left.length > LEFT_SHOWN) lines.push(`  … and ${left.length - LEFT_SHOWN} more`);
  lines.push('');
  const failedToo = counts.failed + counts.skipped + counts.manual + counts.not_started > 0;
  const text = `Apply stopped with work left: ${counts.applied} applied, ${counts.failed} failed, ${counts.skipped} skipped, ` +
    `${counts.not_started} not started, ${left.length} left for the next run` +
    `${counts.manual > 0 ? `, ${counts.manual} left to a person` : ''}${counts.in_place > 0 ? `; ${counts.in_place} already in place` : ''}. ` +
    'Run apply again to continue.';
  lines.push(failedToo ? ch.red.bold(text) : ch.yellow.bold(text));
  return lines.join('\n');
}
