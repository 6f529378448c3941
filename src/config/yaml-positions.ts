// Where things are written in the YAML file. One walk over each parsed document (or piece of one, see
// yaml-segments.ts) records a compact tree of positions: a number for each scalar, a key index for each mapping,
// a list for each sequence; the parser's nodes can then be dropped. Afterwards any path of the plain data (as
// ajv's instancePath or normalize's own walk names it) is turned into a 1-based line and column in O(depth).
// The same walk finds what the plain data would silently lose: duplicate keys, keys that are collections,
// aliases that are unresolved or point at their own ancestor.

import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { visible } from '../model/char-name.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { SourcePos } from '../model/desired.js';
import { CONFIG_CODES } from './codes.js';

export type PathSegment = string | number;

/**
 * Where one node is written: for a scalar, its start offset (−1 − start when it is written as nothing, as in
 * `key:`); for a mapping, a sequence or an alias, an object; null where the parser made no node at all.
 */
export type PosNode = number | PosMap | PosSeq | PosAlias | null;

export interface PosEntry {
  /** where the key is written */
  key: number;
  value: PosNode;
}

export interface PosMap {
  start: number;
  /** the first occurrence of each key, in file order (a duplicate is an error of its own) */
  entries: Map<string, PosEntry>;
}

export interface PosSeq {
  start: number;
  items: PosNode[];
}

export interface PosAlias {
  start: number;
  /** the anchored node it names; undefined when no anchor of that name comes before it */
  target: PosNode | undefined;
}

function startOf(node: PosNode | undefined): number | undefined {
  if (node === null || node === undefined) return undefined;
  if (typeof node === 'number') return node >= 0 ? node : -1 - node;
  return node.start;
}

/** A value written as nothing (`key:` or `key: # comment`): point at its key instead. */
function isEmpty(node: PosNode | undefined): boolean {
  return node === null || node === undefined || (typeof node === 'number' && node < 0);
}

function isPosAlias(node: PosNode | undefined): node is PosAlias {
  return typeof node === 'object' && node !== null && 'target' in node;
}

function deref(node: PosNode | undefined): PosNode | undefined {
  return isPosAlias(node) ? node.target : node;
}

export class PositionIndex {
  readonly file: string;
  private readonly lines: LineCounter;
  private readonly root: PosNode;

  constructor(file: string, lines: LineCounter, root: PosNode) {
    this.file = file;
    this.lines = lines;
    this.root = root;
  }

  /** The 1-based position of a character offset. */
  at(offset: number | undefined): SourcePos {
    if (offset === undefined) return { file: this.file, line: 1, column: 1 };
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  /**
   * Where the value at `path` is written. An empty value is pointed at by its key; a path that does not exist
   * (a missing key) by the deepest part of it that does.
   */
  value(path: readonly PathSegment[]): SourcePos {
    const found = this.walk(path);
    if (found.complete && !isEmpty(found.node)) {
      const start = startOf(found.node);
      if (start !== undefined) return this.at(start);
    }
    return this.at(found.key ?? startOf(found.node) ?? startOf(this.root));
  }

  /** Where the key that ends `path` is written; for the root or a list item, where the value is. */
  key(path: readonly PathSegment[]): SourcePos {
    const found = this.walk(path);
    if (found.complete && found.key !== undefined) return this.at(found.key);
    return this.value(path);
  }

  /** The keys of the mapping at `path` in file order (first occurrence of each), or [] when it is not one. */
  keys(path: readonly PathSegment[]): string[] {
    const found = this.walk(path);
    if (!found.complete) return [];
    const node = deref(found.node);
    return typeof node === 'object' && node !== null && 'entries' in node ? [...node.entries.keys()] : [];
  }

  private walk(path: readonly PathSegment[]): { node: PosNode | undefined; key?: number; complete: boolean } {
    let node: PosNode | undefined = this.root;
    let key: number | undefined;
    for (const seg of path) {
      const cur = deref(node);
      if (typeof cur === 'object' && cur !== null && 'entries' in cur) {
        const entry = cur.entries.get(String(seg));
        if (!entry) return { node: cur, key, complete: false };
        key = entry.key;
        node = entry.value;
      } else if (typeof cur === 'object' && cur !== null && 'items' in cur) {
        const i = typeof seg === 'number' ? seg : Number(seg);
        const item = Number.isInteger(i) ? cur.items[i] : undefined;
        if (item === undefined) return { node: cur, key, complete: false };
        key = undefined;
        node = item;
      } else {
        return { node: cur, key, complete: false };
      }
    }
    return { node, key, complete: true };
  }
}

function rangeStart(node: unknown): number | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const r = (node as { range?: [number, number, number] | null }).range;
    if (r) return r[0];
  }
  return undefined;
}

/**
 * Records positions from parsed `yaml` nodes, `base` characters into the file (a piece's offsets are its own), and
 * reports duplicate keys (we do not use `yaml`'s `uniqueKeys`: its check is a linear scan per key, quadratic in the
 * size of a mapping, about 8 s for a 16,000-member file), collection keys, and unresolved or self-containing
 * aliases (the latter would make the plain data circular). Every node is visited once.
 */
export class PositionRecorder {
  readonly diagnostics: Diagnostic[] = [];
  private readonly anchored = new Map<unknown, PosNode>();
  private readonly open: unknown[] = [];

  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  /** The positions of `node` and everything under it. */
  node(node: unknown, doc: Document, base: number): PosNode {
    if (node === null || node === undefined) return null;
    let out: PosNode;
    if (isMap(node) || isSeq(node)) {
      const start = (rangeStart(node) ?? 0) + base;
      const coll: PosMap | PosSeq = isMap(node) ? { start, entries: new Map() } : { start, items: [] };
      out = coll;
      this.remember(node, out);
      this.open.push(node);
      this.items(coll, node, doc, base);
      this.open.pop();
    } else if (isAlias(node)) {
      const start = (rangeStart(node) ?? 0) + base;
      const target = node.resolve(doc);
      if (!target) {
        this.report(CONFIG_CODES.yamlAlias, `alias ${visible(`*${node.source}`)} names no anchor defined before it`, start);
      } else if (this.open.includes(target)) {
        this.report(CONFIG_CODES.yamlAlias, `alias ${visible(`*${node.source}`)} refers to a value that contains it`, start);
      }
      out = { start, target: target ? this.anchored.get(target) : undefined };
    } else {
      const r = isScalar(node) ? node.range : undefined;
      const start = (r?.[0] ?? 0) + base;
      out = isScalar(node) && node.value === null && (!r || r[0] === r[1]) ? -1 - start : start;
      this.remember(node, out);
    }
    return out;
  }

  /** Adds the items of a parsed collection to `target` (a mapping's pairs to a mapping, a sequence's to a sequence). */
  items(target: PosMap | PosSeq, coll: YAMLMap | YAMLSeq, doc: Document, base: number): void {
    if ('entries' in target) {
      for (const item of coll.items) if (isPair(item)) this.entry(target, item, doc, base);
    } else {
      for (const item of coll.items) target.items.push(this.node(item, doc, base));
    }
  }

  /**
   * Adds one key: value pair to `map`: the first occurrence of its key, or a diagnostic. `value`, when given, is
   * the value's positions, recorded apart (yaml-segments.ts joins a large value from pieces).
   */
  entry(map: PosMap, pair: Pair, doc: Document, base: number, value?: PosNode): void {
    const keyAt = (rangeStart(pair.key) ?? 0) + base;
    const k = keyString(pair.key, doc);
    if (value === undefined) value = this.node(pair.value, doc, base);
    if (isAlias(pair.key)) this.node(pair.key, doc, base); // its own alias checks
    if (k === undefined) {
      this.report(CONFIG_CODES.complexKey, 'a key must be a plain value, not a list or a mapping', keyAt);
      return;
    }
    const first = map.entries.get(k);
    if (first) {
      this.report(
        CONFIG_CODES.duplicateKey,
        `duplicate key ${visible(k)} (first written on line ${this.lines.linePos(first.key).line}); keys must be unique`,
        keyAt,
      );
      return;
    }
    map.entries.set(k, { key: keyAt, value });
  }

  private remember(node: unknown, pos: PosNode): void {
    if ((node as { anchor?: string }).anchor) this.anchored.set(node, pos);
  }

  private report(code: string, message: string, offset: number): void {
    const { line, col } = this.lines.linePos(offset);
    this.diagnostics.push({ severity: 'error', code, message, file: this.file, line, column: col });
  }
}

/** The string a mapping key becomes in plain data, exactly as `yaml`'s toJS makes it (null → ""). */
function keyString(key: unknown, doc: Document): string | undefined {
  let k = key;
  if (isAlias(k)) k = k.resolve(doc);
  if (k === null || k === undefined) return '';
  if (isScalar(k)) return k.value === null || k.value === undefined ? '' : String(k.value);
  return undefined; // a collection used as a key
}

/** The positions of a whole parsed document, and what its structure would silently lose. */
export function indexDocument(
  doc: Document,
  lines: LineCounter,
  file: string,
): { index: PositionIndex; diagnostics: Diagnostic[] } {
  const recorder = new PositionRecorder(file, lines);
  const root = recorder.node(doc.contents, doc, 0);
  return { index: new PositionIndex(file, lines, root), diagnostics: recorder.diagnostics };
}

/** The offset of the first alias in the document (where an alias-count error is reported). */
export function firstAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  const find = (node: unknown): void => {
    if (offset !== undefined || node === null || typeof node !== 'object') return;
    if (isAlias(node)) offset = rangeStart(node);
    else if (isPair(node)) {
      find(node.key);
      find(node.value);
    } else if (isMap(node) || isSeq(node)) for (const item of node.items as unknown[]) find(item);
  };
  find(doc.contents);
  return offset;
}
