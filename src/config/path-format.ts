// How a place in the file is named in messages: `members["alice@acme.com"].role`, `policy.protected[0]`. Names and
// values from the file are quoted with every invisible, control or bidi character escaped (`"al\u200bice@…"`):
// a message never prints them raw, and the reader sees what is really there.

import { visible } from '../model/char-name.js';
import type { PathSegment } from './yaml-positions.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `flag`, when given, picks more characters to escape in the quoted segments (look-alike letters, say). */
export function formatPath(path: readonly PathSegment[], flag?: (cp: number) => boolean): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${visible(seg, flag)}]`;
  }
  return out;
}

/** A short description of a value found in the file, for "got …" in messages. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return visible(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  return String(v);
}
