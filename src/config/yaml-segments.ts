// A large desired-state file is parsed in pieces. The `yaml` parser first builds a concrete syntax tree of the
// whole text and only then the document: for a 2.9 MB file (50,000 members, 500 groups) that tree is 750,000
// objects and 140 MB of heap, about 50 bytes per byte of text, all alive at once, and the document is another
// 40 MB. So the file is cut, at the lexer's tokens, along its block collections: the top-level mapping into runs
// of entries, and an entry too large for one run (`members:`, `workspaces:`, one workspace's `members:`) into
// its key line and the runs of its own children, as deep as needed. Each piece is parsed alone, its plain data
// and its positions (yaml-positions.ts, at offsets in the file) are taken, and its nodes are dropped: only one
// piece's syntax tree is alive at a time.
//
// A block collection at indent n is its entries, each starting at indent n, and each entry's meaning depends
// only on its own text and n once nothing refers across entries. So the file is cut only where that holds: no
// anchor, alias, tag, directive, document marker or explicit key anywhere in it, a root that is a block mapping
// at column 0, and indentation that the scanner can follow. Every piece must then parse without an error or a
// warning into the shape expected of it; otherwise the caller parses the whole text as before, so every
// diagnostic of a broken file is the whole parser's own. test/config/yaml-segments.test.ts compares the two
// ways, value by value and position by position.

import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import { PositionRecorder, type PosMap, type PosSeq } from './yaml-positions.js';

/** A piece of the file: [start, end) character offsets, at line starts (or the end of the text). */
export interface Piece {
  start: number;
  end: number;
}

/** How one block collection is cut: runs of whole entries, and entries whose value is cut further. */
export interface BlockCut {
  kind: 'map' | 'seq';
  cuts: Cut[];
}

/**
 * A one-line flow sequence of scalars (`members: [a@x.io, b@x.io, …]`), cut at its commas: each run of items is
 * parsed as a sequence of its own, `[` + items + `]`. Its items are plain or quoted scalars and nothing else.
 */
export interface FlowCut {
  kind: 'flow';
  /** where its `[` is */
  open: number;
  /** the items' text between two of its commas (or the brackets), without either */
  runs: Piece[];
  /** from its `]` to the next entry: a comment, blank and comment lines; only their line breaks are read */
  trailer: Piece;
}

export type Cut =
  | { kind: 'run'; piece: Piece }
  /** one `key:` entry: its key, parsed alone, and its value, cut in turn */
  | { kind: 'split'; header: Piece; value: BlockCut | FlowCut };

/** Entries are gathered into runs of about this many characters; a larger entry is cut further when it can be. */
export const RUN_CHARS = 8 * 1024;

interface Block {
  kind: 'map' | 'seq';
  indent: number;
  /** a sequence written at its parent mapping's own indent (`key:\n- a`) */
  compact: boolean;
  children: Child[];
  end: number;
}

interface Child {
  start: number;
  /** the key line ends right after its `:`, so a block collection may follow on the next lines */
  header: boolean;
  value?: Block;
  /** its value is a flow sequence that starts on its key line */
  flow?: FlowSeq;
}

interface FlowSeq {
  open: number;
  commas: number[];
  close?: number;
  /** one line, only scalars, nothing after it but a comment */
  simple: boolean;
  /** an item was read since the `[` or the last comma */
  item: boolean;
}

// Lexer control tokens (yaml's cst.js): a document starts, a flow collection ends in error, a scalar follows.
const DOC_MODE = '\x02';
const FLOW_ERROR_END = '\x18';
const SCALAR = '\x1f';

/**
 * Fed every lexer token of the file in order with its start offset, it follows the block collections by their
 * indentation and finds where the file can be cut. It keeps its own line state, apart from the bounds check that
 * feeds it, so that each reads the tokens in its own way.
 */
export class SegmentScanner {
  private readonly stack: Block[] = [];
  private root: Block | undefined;
  private disqualified = false;
  private scalarNext = false;
  private blockScalarNext = false;
  private atLineStart = true;
  private lineOffset = 0;
  private indent = 0;
  private flow = 0;
  /** the entry begun on the current line, while its key line is read: 1 key, 2 `:`, 3 anything more */
  private headerOf: Child | undefined;
  private headerState = 0;
  /** a flow sequence that is an entry's value, followed to the end of its line */
  private flowSeq: FlowSeq | undefined;

  token(tok: string, start: number): void {
    if (this.disqualified) return;
    if (tok.length === 0) {
      // an empty scalar (an empty block scalar's content, too)
      if (this.scalarNext) this.blockScalarNext = false;
      this.scalarNext = false;
      return;
    }
    if (tok.length === 1 && (tok === DOC_MODE || tok === FLOW_ERROR_END || tok === SCALAR)) {
      if (tok === SCALAR) this.scalarNext = true;
      else if (tok === FLOW_ERROR_END) this.disqualified = true;
      return;
    }
    const end = start + tok.length;
    if (this.scalarNext) {
      this.scalarNext = false;
      const block = this.blockScalarNext;
      this.blockScalarNext = false;
      if (block) this.atLineStart = false;
      else {
        this.followFlow(tok, start, true);
        this.content(tok, true);
      }
      // a block scalar's content is one token that ends with its last line break
      if (tok.endsWith('\n')) this.newLine(end);
      return;
    }
    if (tok === '\n' || tok === '\r\n') {
      this.newLine(end);
      return;
    }
    const c = tok.charCodeAt(0);
    if (c === 0x20 || c === 0x09) {
      if (this.atLineStart) {
        if (tok.includes('\t')) this.disqualified = true; // a tab in the indentation: the whole parser says where
        this.indent = tok.length;
      }
      return;
    }
    if (c === 0x23 /* # */) return;
    if (c === 0x26 /* & */ || c === 0x2a /* * */ || c === 0x21 /* ! */ || c === 0x25 /* % */ ||
      tok === '?' || tok === '---' || tok === '...') {
      // anchors, aliases, tags, directives, explicit keys and document markers reach across entries
      this.disqualified = true;
      return;
    }
    if (c === 0x7c /* | */ || c === 0x3e /* > */) this.blockScalarNext = true;
    this.followFlow(tok, start, false);
    this.content(tok, false);
    if (tok === '[' || tok === '{') this.flow++;
    else if ((tok === ']' || tok === '}') && this.flow > 0) this.flow--;
  }

  private newLine(at: number): void {
    if (this.flowSeq) {
      if (this.flowSeq.close === undefined) this.flowSeq.simple = false; // it goes on to another line
      this.flowSeq = undefined;
    }
    if (this.headerOf) {
      this.headerOf.header = this.headerState === 2;
      this.headerOf = undefined;
    }
    this.atLineStart = true;
    this.lineOffset = at;
    this.indent = 0;
  }

  /** Follows a flow sequence that is an entry's value: where its commas are, and whether it is simple. */
  private followFlow(tok: string, start: number, scalar: boolean): void {
    const f = this.flowSeq;
    if (!f) {
      if (tok === '[' && !scalar && this.flow === 0 && this.headerOf && this.headerState === 2) {
        this.flowSeq = { open: start, commas: [], simple: true, item: false };
        this.headerOf.flow = this.flowSeq;
      }
      return;
    }
    if (f.close !== undefined) {
      f.simple = false; // something after the `]` on its line
      return;
    }
    const c = tok.charCodeAt(0);
    if (scalar || c === 0x22 /* " */ || c === 0x27 /* ' */) {
      f.item = true;
      return;
    }
    // an empty item (`[a, , b]`, a trailing `,`) would leave a run with no item: such a sequence is parsed whole
    if ((tok === ',' || tok === ']') && this.flow === 1 && !f.item && (tok === ',' || f.commas.length > 0)) f.simple = false;
    if (tok === ',' && this.flow === 1) {
      f.commas.push(start);
      f.item = false;
    } else if (tok === ']' && this.flow === 1) f.close = start;
    else f.simple = false; // a nested collection, a `:`, …
  }

  private content(tok: string, scalar: boolean): void {
    if (!this.atLineStart) {
      if (this.headerOf) this.headerState = this.headerState === 1 && tok === ':' && !scalar ? 2 : 3;
      return;
    }
    this.atLineStart = false;
    if (this.flow > 0) return; // a line inside a flow collection that spans lines
    this.lineStart(tok === '-' && !scalar, !scalar && (tok === '[' || tok === '{' || tok === '|' || tok === '>'));
  }

  /** The first token of a line outside flow collections: where entries and collections begin and end. */
  private lineStart(seqItem: boolean, notKey: boolean): void {
    const i = this.indent;
    const at = this.lineOffset;
    if (!this.root) {
      if (i !== 0 || seqItem || notKey) {
        this.disqualified = true; // the root is indented, or is not a block mapping
        return;
      }
      this.root = { kind: 'map', indent: 0, compact: false, children: [], end: 0 };
      this.stack.push(this.root);
      this.addChild(this.root, 0, !seqItem);
      return;
    }
    for (;;) {
      const top = this.stack[this.stack.length - 1]!;
      if (this.stack.length === 1 || !(i < top.indent || (i === top.indent && top.compact && !seqItem))) break;
      top.end = at;
      this.stack.pop();
    }
    const top = this.stack[this.stack.length - 1]!;
    const cur = top.children[top.children.length - 1]!;
    if (i === top.indent) {
      if (top.kind === 'map' && !seqItem) this.addChild(top, at, true);
      else if (top.kind === 'seq' && seqItem) this.addChild(top, at, false);
      else if (top.kind === 'map' && cur.header && !cur.value) this.open(cur, 'seq', i, true, at);
      else this.disqualified = true;
    } else if (i > top.indent) {
      if (cur.value) this.disqualified = true; // deeper again after its collection ended: indentation we do not follow
      else if (cur.header && !notKey) this.open(cur, seqItem ? 'seq' : 'map', i, false, at);
      else {
        cur.header = false; // more of the entry's own value (a continued scalar, a flow collection)
        if (cur.flow) cur.flow.simple = false; // the flow sequence's pieces would not read this line
      }
    } else {
      this.disqualified = true; // less indented than the root: cannot happen, but never guess
    }
  }

  private addChild(block: Block, at: number, mayHaveHeader: boolean): void {
    const child: Child = { start: at, header: false };
    block.children.push(child);
    this.headerOf = mayHaveHeader ? child : undefined;
    this.headerState = 1;
  }

  private open(parent: Child, kind: 'map' | 'seq', indent: number, compact: boolean, at: number): void {
    const block: Block = { kind, indent, compact, children: [], end: 0 };
    parent.value = block;
    this.stack.push(block);
    this.addChild(block, at, kind === 'map');
  }

  /** The cut for a text of `length` characters, or undefined when the file must be parsed whole. */
  cut(length: number, runChars = RUN_CHARS): BlockCut | undefined {
    if (this.disqualified || !this.root) return undefined;
    for (const b of this.stack) b.end = length;
    return cutBlock(this.root, runChars);
  }
}

function cutBlock(block: Block, runChars: number): BlockCut {
  const cuts: Cut[] = [];
  const kids = block.children;
  let runStart: number | undefined;
  for (let k = 0; k < kids.length; k++) {
    const child = kids[k]!;
    const end = kids[k + 1]?.start ?? block.end;
    const inner = child.value;
    const flow = child.flow;
    if (end - child.start > runChars && block.kind === 'map' && flow?.simple && flow.close !== undefined && flow.commas.length > 0) {
      if (runStart !== undefined) cuts.push({ kind: 'run', piece: { start: runStart, end: child.start } });
      runStart = undefined;
      cuts.push({ kind: 'split', header: { start: child.start, end: flow.open }, value: cutFlow(flow, end, runChars) });
      continue;
    }
    if (end - child.start > runChars && block.kind === 'map' && inner && inner.children.length > 0 && inner.end === end) {
      if (runStart !== undefined) cuts.push({ kind: 'run', piece: { start: runStart, end: child.start } });
      runStart = undefined;
      cuts.push({ kind: 'split', header: { start: child.start, end: inner.children[0]!.start }, value: cutBlock(inner, runChars) });
      continue;
    }
    runStart ??= child.start;
    if (end - runStart >= runChars) {
      cuts.push({ kind: 'run', piece: { start: runStart, end } });
      runStart = undefined;
    }
  }
  if (runStart !== undefined) cuts.push({ kind: 'run', piece: { start: runStart, end: block.end } });
  return { kind: block.kind, cuts };
}

function cutFlow(flow: FlowSeq, end: number, runChars: number): FlowCut {
  const runs: Piece[] = [];
  let start = flow.open + 1;
  for (const comma of flow.commas) {
    if (comma - start >= runChars) {
      runs.push({ start, end: comma });
      start = comma + 1;
    }
  }
  runs.push({ start, end: flow.close! });
  return { kind: 'flow', open: flow.open, runs, trailer: { start: flow.close! + 1, end } };
}

export type YamlParseOptions = ParseOptions & DocumentOptions & SchemaOptions;

/** A file's plain data with the positions of everything in it, and what its structure would silently lose. */
export interface Composed {
  data: unknown;
  root: PosMap;
  lines: LineCounter;
  diagnostics: Diagnostic[];
}

/** `target[key] = value` as `yaml`'s toJS writes it: a key such as `__proto__` becomes an own property. */
function assign(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key in target) Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && node.source === '' && !node.tag && !node.anchor;
}

class Assembler {
  readonly lines = new LineCounter();
  readonly recorder: PositionRecorder;

  constructor(
    private readonly text: string,
    private readonly options: YamlParseOptions,
    file: string,
    private readonly maxAliasCount: number,
  ) {
    this.recorder = new PositionRecorder(file, this.lines);
  }

  /** One block collection from its cut: its positions and its plain data, or undefined to parse whole. */
  block(cut: BlockCut): { pos: PosMap | PosSeq; js: Record<string, unknown> | unknown[] } | undefined {
    let pos: PosMap | PosSeq | undefined;
    let js: Record<string, unknown> | unknown[] | undefined;
    const make = (start: number): PosMap | PosSeq => (cut.kind === 'map' ? { start, entries: new Map() } : { start, items: [] });
    for (const c of cut.cuts) {
      const piece = c.kind === 'run' ? c.piece : c.header;
      const doc = this.parse(this.text.slice(piece.start, piece.end), piece.start, true);
      if (!doc) return undefined;
      const coll = this.collection(doc, c.kind === 'run' ? cut.kind : 'map');
      if (!coll) return undefined;
      pos ??= make(coll.range![0] + piece.start);
      const part = doc.toJS({ maxAliasCount: this.maxAliasCount }) as Record<string, unknown> | unknown[];
      if (c.kind === 'run') {
        this.recorder.items(pos, coll, doc, piece.start);
        js = this.merge(js, part);
        continue;
      }
      const pair = coll.items[0];
      if (coll.items.length !== 1 || !isPair(pair) || !isEmptyScalar(pair.value)) return undefined;
      const value = c.value.kind === 'flow' ? this.flow(c.value) : this.block(c.value);
      if (!value) return undefined;
      this.recorder.entry(pos as PosMap, pair, doc, piece.start, value.pos);
      const keys = Object.keys(part);
      if (keys.length !== 1 || Array.isArray(js)) return undefined;
      js ??= {};
      assign(js, keys[0]!, value.js);
    }
    return pos && js ? { pos, js } : undefined;
  }

  /** A one-line flow sequence from its runs of items, each parsed as `[` + items + `]`. */
  private flow(cut: FlowCut): { pos: PosSeq; js: unknown[] } | undefined {
    const pos: PosSeq = { start: cut.open, items: [] };
    const js: unknown[] = [];
    for (const run of cut.runs) {
      // the `[` stands where the comma before the run (or the real `[`) is, so every offset stays the file's
      const base = run.start - 1;
      const doc = this.parse(`[${this.text.slice(run.start, run.end)}]`, base, false);
      const seq = doc?.contents;
      if (!doc || !isSeq(seq) || !seq.flow || seq.items.length === 0) return undefined;
      this.recorder.items(pos, seq, doc, base);
      for (const item of doc.toJS({ maxAliasCount: this.maxAliasCount }) as unknown[]) js.push(item);
    }
    // nothing to parse after the `]` (the scanner saw to it), but its line breaks are the file's line starts
    const starts = this.lines.lineStarts;
    for (let i = this.text.indexOf('\n', cut.trailer.start); i !== -1 && i < cut.trailer.end; i = this.text.indexOf('\n', i + 1)) {
      starts.push(i + 1);
    }
    return { pos, js };
  }

  /**
   * Parses one piece whose first character is at `base` in the file, and adds its line starts to the file's;
   * `lineStart`: the piece starts a line (the parser counts its offset 0 as one).
   */
  private parse(text: string, base: number, lineStart: boolean): Document.Parsed | undefined {
    const lines = new LineCounter();
    const doc = parseDocument(text, { ...this.options, lineCounter: lines });
    if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
    const starts = this.lines.lineStarts;
    for (const s of lines.lineStarts) {
      if (s === 0 && !lineStart) continue;
      const at = s + base;
      if (starts.length === 0 || starts[starts.length - 1]! < at) starts.push(at);
    }
    return doc;
  }

  private collection(doc: Document.Parsed, kind: 'map' | 'seq'): YAMLMap | YAMLSeq | undefined {
    const contents = doc.contents;
    const c = kind === 'map' ? (isMap(contents) ? contents : undefined) : (isSeq(contents) ? contents : undefined);
    return c && !c.flow && c.items.length > 0 ? c : undefined;
  }

  private merge(
    into: Record<string, unknown> | unknown[] | undefined,
    part: Record<string, unknown> | unknown[],
  ): Record<string, unknown> | unknown[] {
    if (into === undefined) return part;
    if (Array.isArray(into)) {
      for (const item of part as unknown[]) into.push(item);
    } else {
      const obj = part as Record<string, unknown>;
      for (const k of Object.keys(obj)) assign(into, k, obj[k]);
    }
    return into;
  }
}

/**
 * Parses `text` along `cut`, one piece at a time: each piece's plain data and positions are taken and its parsed
 * nodes dropped. Undefined when any piece does not parse cleanly into its expected shape (the caller then parses
 * the whole text, whose diagnostics are the parser's own).
 */
export function parseSegmented(
  text: string,
  cut: BlockCut,
  options: YamlParseOptions,
  file: string,
  maxAliasCount: number,
): Composed | undefined {
  const a = new Assembler(text, options, file, maxAliasCount);
  const root = a.block(cut);
  if (!root || !('entries' in root.pos)) return undefined;
  return { data: root.js, root: root.pos, lines: a.lines, diagnostics: a.recorder.diagnostics };
}
