// Small helpers shared by the cross-checks: building a diagnostic at a position, and finding entries that are
// the same person (or the same name) written twice.

import { visible } from '../model/char-name.js';
import type { SourcePos } from '../model/desired.js';
import type { Diagnostic, Severity } from '../model/diagnostic.js';
import { CONFIG_CODES } from './codes.js';

export function diagAt(
  severity: Severity,
  code: string,
  message: string,
  pos: SourcePos | undefined,
  address?: string,
): Diagnostic {
  const d: Diagnostic = { severity, code, message };
  if (address !== undefined) d.address = address;
  if (pos) {
    d.file = pos.file;
    d.line = pos.line;
    d.column = pos.column;
  }
  return d;
}

export interface Keyed {
  /** as written (trimmed) */
  email: string;
  /** identity: trimmed, lower-cased */
  key: string;
  pos?: SourcePos;
}

/** Groups entries by `key`, in file order; only groups with more than one entry. */
export function repeated<T extends { key: string }>(entries: readonly T[]): T[][] {
  // the first entry of each key by its index; a list only for keys that repeat (a file of 50,000 members would
  // otherwise build 50,000 one-element arrays to find none)
  const first = new Map<string, number>();
  let lists: Map<number, T[]> | undefined;
  entries.forEach((e, i) => {
    const at = first.get(e.key);
    if (at === undefined) {
      first.set(e.key, i);
      return;
    }
    lists ??= new Map();
    const list = lists.get(at);
    if (list) list.push(e);
    else lists.set(at, [entries[at]!, e]);
  });
  return lists ? [...lists].sort((a, b) => a[0] - b[0]).map(([, l]) => l) : [];
}

/**
 * The same person twice in one list or mapping: one error at EVERY occurrence, each naming another one, so
 * the user sees both lines whichever they look at first. `where` names the entry (a mapping key, such as
 * `members["alice@acme.com"]`) or, with `inList`, the list (`policy.protected`), and then the email is quoted.
 */
export function duplicateEmails(entries: readonly Keyed[], where: (e: Keyed) => string, inList = false): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const group of repeated(entries)) {
    group.forEach((e, i) => {
      const other = group[i === 0 ? 1 : 0]!;
      const line = other.pos ? ` on line ${other.pos.line}` : '';
      const subject = inList ? `${where(e)}: ${visible(e.email)} is` : `${where(e)}:`;
      const message = other.email === e.email
        ? `${subject} listed more than once (also${line})`
        : `${subject} the same person as ${visible(other.email)}${line} ` +
          '(emails are compared without regard to case)';
      out.push(diagAt('error', CONFIG_CODES.duplicateEmail, message, e.pos));
    });
  }
  return out;
}
