// Test helpers for the desired-state loader: where a snippet is in a text, and compact views of diagnostics.

import type { Diagnostic } from '../../src/model/diagnostic.js';

/** 1-based line and column of the `nth` (1-based) occurrence of `needle` in `text`; throws if absent. */
export function posOf(text: string, needle: string, nth = 1): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i < nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(needle)} (occurrence ${nth}) not in text`);
  }
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - (before.lastIndexOf('\n') + 1) + 1 };
}

export interface Brief {
  severity: string;
  code: string;
  line?: number;
  column?: number;
}

export function brief(d: Diagnostic): Brief {
  return { severity: d.severity, code: d.code, line: d.line, column: d.column };
}

/** A readable dump for failure messages. */
export function dump(ds: readonly Diagnostic[]): string {
  return ds.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`).join('\n');
}

export const ORG_ID = '8f4c1a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b';

/** A minimal valid file of the given kind, followed by `rest` (top-level YAML). */
export function file(kind: 'console' | 'enterprise', rest = '', orgExtra = ''): string {
  return `version: 1\norganization:\n  id: ${ORG_ID}\n  kind: ${kind}\n${orgExtra}${rest}`;
}
