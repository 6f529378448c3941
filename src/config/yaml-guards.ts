// Bounds checked BEFORE the YAML parser runs, so a hostile or broken file costs bounded time and memory.
// Measured with yaml 2.9 on Node 20: 2.5 million levels of `[` make the parser exhaust the heap (a fatal,
// uncatchable out-of-memory), and a 5 MB flow list of 2.5 million numbers takes 16 s and 2.5 GB. The lexer,
// by contrast, is a flat generator: scanning its tokens is linear and allocates almost nothing.

import { Lexer } from 'yaml';

/** Largest file we read: far beyond any real organization, small enough to parse quickly. */
export const MAX_BYTES = 5 * 1024 * 1024;
/** Deepest nesting accepted; a real file nests 5 levels (workspaces → name → members → email → role). */
export const MAX_DEPTH = 64;
/**
 * Most YAML tokens (keys, values, indicators such as `:` `-` `,`) accepted: about 300,000 member lines, and
 * about 2 s and 600 MB in the parser's worst case (a flow list).
 */
export const MAX_TOKENS = 1_000_000;

export type GuardViolation =
  | { kind: 'depth'; offset: number }
  | { kind: 'tokens'; offset: number };

// The lexer's control tokens mark where a document or scalar starts; they are not characters of the source.
const CONTROL = new Set(['\x02', '\x18', '\x1f']);

/**
 * Scans the lexer's tokens once. The nesting it reports is an upper bound of the parser's: block levels come
 * from the stack of indentations still open, plus the `-`, `?`, `:` indicators on the current line (a compact
 * `- - - x` nests without indenting), plus the open `[` and `{`. `sink`, when given, is handed every token with
 * its start offset: the same pass finds where a large file is cut (yaml-segments.ts).
 */
export function checkYamlBounds(text: string, sink?: { token(tok: string, start: number): void }): GuardViolation | undefined {
  const indents: number[] = [];
  let offset = 0;
  let flow = 0;
  let lineStart = true;
  let indent = 0;
  let indicators = 0;
  let tokens = 0;
  for (const tok of new Lexer().lex(text)) {
    sink?.token(tok, offset);
    if (tok.length === 0 || (tok.length === 1 && CONTROL.has(tok))) continue;
    const start = offset;
    offset += tok.length;
    if (tok === '\n' || tok === '\r\n') {
      lineStart = true;
      indent = 0;
      indicators = 0;
      continue;
    }
    const c = tok.charCodeAt(0);
    if (c === 0x20 || c === 0x09) {
      if (lineStart) indent = tok.length;
      continue;
    }
    if (c === 0x23 /* # comment */) continue;
    if (++tokens > MAX_TOKENS) return { kind: 'tokens', offset: start };
    if (lineStart) {
      lineStart = false;
      if (flow === 0) {
        while (indents.length > 0 && indents[indents.length - 1]! > indent) indents.pop();
        if (indents.length === 0 || indents[indents.length - 1]! < indent) indents.push(indent);
      }
    }
    if (flow === 0 && (tok === '-' || tok === '?' || tok === ':')) indicators++;
    else if (tok === '[' || tok === '{') flow++;
    else if ((tok === ']' || tok === '}') && flow > 0) flow--;
    if (indents.length + indicators + flow > MAX_DEPTH) return { kind: 'depth', offset: start };
    // a block scalar's content is one token that ends with its last line break
    if (tok.endsWith('\n')) {
      lineStart = true;
      indent = 0;
      indicators = 0;
    }
  }
  return undefined;
}
