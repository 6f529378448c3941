// Where things are written in the YAML file. One walk over the parsed document builds a per-mapping key index;
// afterwards any path of the plain data (as ajv's instancePath or normalize's own walk names it) is turned into
// a 1-based line and column in O(depth). The same walk finds what the plain data would silently lose:
// duplicate keys, keys that are collections, aliases that are unresolved or point at their own ancestor.

import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  visit,
  type Document,
  type LineCounter,
  type Pair,
  type YAMLMap,
} from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import type { SourcePos } from '../model/desired.js';
import { CONFIG_CODES } from './codes.js';

export type PathSegment = string | number;

/** The string a mapping key becomes in plain data, exactly as `yaml`'s toJS makes it (null → ""). */
function keyString(key: unknown, doc: Document): string | undefined {
  let k = key;
  if (isAlias(k)) k = k.resolve(doc);
  if (k === null || k === undefined) return '';
  if (isScalar(k)) return k.value === null || k.value === undefined ? '' : String(k.value);
  return undefined; // a collection used as a key
}

function startOf(node: unknown): number | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const r = (node as { range?: [number, number, number] | null }).range;
    if (r) return r[0];
  }
  return undefined;
}

/** A value written as nothing (`key:` or `key: # comment`): point at its key instead. */
function isEmptyValue(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  if (!isScalar(node)) return false;
  const r = node.range;
  return node.value === null && (!r || r[0] === r[1]);
}

export class PositionIndex {
  readonly file: string;
  private readonly doc: Document;
  private readonly lines: LineCounter;
  private readonly maps: Map<YAMLMap, Map<string, Pair>>;

  constructor(file: string, doc: Document, lines: LineCounter, maps: Map<YAMLMap, Map<string, Pair>>) {
    this.file = file;
    this.doc = doc;
    this.lines = lines;
    this.maps = maps;
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
    if (found.complete && !isEmptyValue(found.node)) {
      const start = startOf(found.node);
      if (start !== undefined) return this.at(start);
    }
    return this.at(startOf(found.keyNode) ?? startOf(found.node) ?? startOf(this.doc.contents));
  }

  /** Where the key that ends `path` is written; for the root or a list item, where the value is. */
  key(path: readonly PathSegment[]): SourcePos {
    const found = this.walk(path);
    if (found.complete && found.keyNode) return this.at(startOf(found.keyNode));
    return this.value(path);
  }

  /** The keys of the mapping at `path` in file order (first occurrence of each), or [] when it is not one. */
  keys(path: readonly PathSegment[]): string[] {
    const found = this.walk(path);
    if (!found.complete) return [];
    const node = this.deref(found.node);
    if (!isMap(node)) return [];
    return [...(this.maps.get(node)?.keys() ?? [])];
  }

  private deref(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  private walk(path: readonly PathSegment[]): { node: unknown; keyNode?: unknown; complete: boolean } {
    let node: unknown = this.doc.contents;
    let keyNode: unknown;
    for (const seg of path) {
      const cur = this.deref(node);
      if (isMap(cur)) {
        const pair = this.maps.get(cur)?.get(String(seg));
        if (!pair) return { node: cur, keyNode, complete: false };
        keyNode = pair.key;
        node = pair.value;
      } else if (isSeq(cur)) {
        const i = typeof seg === 'number' ? seg : Number(seg);
        const item: unknown = Number.isInteger(i) ? cur.items[i] : undefined;
        if (item === undefined) return { node: cur, keyNode, complete: false };
        keyNode = undefined;
        node = item;
      } else {
        return { node: cur, keyNode, complete: false };
      }
    }
    return { node, keyNode, complete: true };
  }
}

/**
 * Walks a parsed document once: builds the key index and reports duplicate keys (we do not use `yaml`'s
 * `uniqueKeys`: its check is a linear scan per key, quadratic in the size of a mapping, about 8 s for a
 * 16,000-member file), collection keys, and unresolved or self-containing aliases (the latter would make
 * the plain data circular).
 */
export function indexDocument(
  doc: Document,
  lines: LineCounter,
  file: string,
): { index: PositionIndex; diagnostics: Diagnostic[] } {
  const maps = new Map<YAMLMap, Map<string, Pair>>();
  const diagnostics: Diagnostic[] = [];
  const index = new PositionIndex(file, doc, lines, maps);
  const report = (code: string, message: string, offset: number | undefined): void => {
    const pos = index.at(offset);
    diagnostics.push({ severity: 'error', code, message, file, line: pos.line, column: pos.column });
  };

  visit(doc, {
    Map(_key, map) {
      const keys = new Map<string, Pair>();
      for (const item of map.items) {
        if (!isPair(item)) continue;
        const k = keyString(item.key, doc);
        if (k === undefined) {
          report(CONFIG_CODES.complexKey, 'a key must be a plain value, not a list or a mapping', startOf(item.key));
          continue;
        }
        const first = keys.get(k);
        if (first) {
          const firstLine = index.at(startOf(first.key)).line;
          report(
            CONFIG_CODES.duplicateKey,
            `duplicate key ${JSON.stringify(k)} (first written on line ${firstLine}); keys must be unique`,
            startOf(item.key),
          );
          continue;
        }
        keys.set(k, item);
      }
      maps.set(map, keys);
    },
    Alias(_key, alias, path) {
      const target = alias.resolve(doc);
      if (!target) {
        report(CONFIG_CODES.yamlAlias, `alias *${alias.source} names no anchor defined before it`, startOf(alias));
      } else if ((path as readonly unknown[]).includes(target)) {
        report(CONFIG_CODES.yamlAlias, `alias *${alias.source} refers to a value that contains it`, startOf(alias));
      }
    },
  });
  return { index, diagnostics };
}

/** The offset of the first alias in the document (where an alias-count error is reported). */
export function firstAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, alias) {
      offset = startOf(alias);
      return visit.BREAK;
    },
  });
  return offset;
}
