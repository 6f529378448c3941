// Writing a desired-state file with comments, through the `yaml` Document API: the nodes import builds a file of
// (each section is written beside its reading, in normalize.ts).

import { Pair, Scalar, YAMLMap } from 'yaml';
import type { DraftEntry, SectionDraft } from '../model/kinds.js';

/** A comment text as the yaml package wants it: one leading space per line, no control characters. */
export function comment(lines: readonly string[]): string {
  return lines.map((l) => ` ${l.replace(/[\u0000-\u001f\u007f]+/g, ' ')}`).join('\n');
}

export function key(text: string, opts: { before?: readonly string[]; space?: boolean } = {}): Scalar {
  const k = new Scalar(text);
  if (opts.before && opts.before.length > 0) k.commentBefore = comment(opts.before);
  if (opts.space) k.spaceBefore = true;
  return k;
}

export function scalar(value: unknown, trailing?: string): Scalar {
  const s = new Scalar(value);
  if (trailing) s.comment = comment([trailing]);
  return s;
}

export function map(flow = false): YAMLMap {
  const m = new YAMLMap();
  m.flow = flow;
  return m;
}

/** `title` and the notes under it, indented; nothing when there are no notes. */
export function notesBlock(title: string, notes: readonly string[]): string[] {
  return notes.length === 0 ? [] : [title, ...notes.map((n) => `  ${n}`)];
}

/** `name: role` entries (a workspace's members, a service account's workspaces); `{}` when there are none. */
export function roleMap(entries: ReadonlyArray<readonly [string, string]>): YAMLMap {
  const m = map(entries.length === 0);
  for (const [name, role] of entries) m.items.push(new Pair(key(name), scalar(role)));
  return m;
}

/** The comment lines above a drafted section: its notes under `title`, then the lines after them. */
export function sectionNotes(title: string, draft: SectionDraft<unknown>): string[] {
  return [...notesBlock(title, draft.notes), ...(draft.after ?? [])];
}

/** A mapping of the drafted entries under `name`, its notes above it; `{}` when it has none. */
export function section<T>(name: string, entries: ReadonlyArray<DraftEntry<T>>, toPair: (e: DraftEntry<T>) => Pair, notes: string[]): Pair {
  const m = map(entries.length === 0);
  for (const e of entries) m.items.push(toPair(e));
  return new Pair(key(name, { before: notes, space: true }), m);
}
