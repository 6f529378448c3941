// Text → plain data plus positions, or diagnostics. Every YAML problem becomes a diagnostic with its line and
// column; nothing here throws for bad input.

import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import { CONFIG_CODES } from './codes.js';
import { loadSchema } from './schema.js';
import { checkYamlBounds, MAX_BYTES, MAX_DEPTH, MAX_TOKENS, type GuardViolation } from './yaml-guards.js';
import { firstAliasOffset, indexDocument, PositionIndex } from './yaml-positions.js';
import { parseSegmented, SegmentScanner, type BlockCut, type YamlParseOptions } from './yaml-segments.js';

export const PARSE_OPTIONS: YamlParseOptions = {
  // YAML 1.2 core schema: `no`/`yes` stay strings and `2027-03-31` stays a string (only the 1.1 schema
  // has timestamps). resolveKnownTags: false so an explicit `!!timestamp` cannot make a Date either.
  version: '1.2',
  schema: 'core',
  resolveKnownTags: false,
  merge: false,
  uniqueKeys: false, // checked in indexDocument, in linear time
  prettyErrors: false,
  strict: true,
  logLevel: 'error', // no process warnings on stderr: everything is a diagnostic
};

/** Aliases may be used for repetition, but expanding them may not multiply the data beyond this. */
export const MAX_ALIAS_COUNT = 100;

export interface YamlRead {
  /** present only when the YAML itself has no error */
  data?: unknown;
  index?: PositionIndex;
  diagnostics: Diagnostic[];
  /** the file is not a desired-state file: `diagnostics` is the one notDesiredFile error, and nothing else counts */
  notDesired?: boolean;
}

function at(file: string, pos: { line: number; col: number } | undefined): Pick<Diagnostic, 'file' | 'line' | 'column'> {
  return { file, line: pos?.line ?? 1, column: pos?.col ?? 1 };
}

function yamlErrorCode(code: string): string {
  if (code === 'DUPLICATE_KEY') return CONFIG_CODES.duplicateKey;
  if (code === 'MULTIPLE_DOCS') return CONFIG_CODES.multipleDocuments;
  return CONFIG_CODES.yamlSyntax;
}

/**
 * Our own words for each of the parser's errors, never its message: some of those quote the file (`Unresolved
 * tag: !…`, an alias's name), and a file that is not ours must not be shown. Line and column say where.
 */
const YAML_MESSAGES: Record<string, string> = {
  ALIAS_PROPS: 'an alias cannot have an anchor or a tag',
  BAD_ALIAS: 'this alias is not valid',
  BAD_COLLECTION_TYPE: 'this tag does not fit the collection it is on',
  BAD_DIRECTIVE: 'this directive is not valid',
  BAD_DQ_ESCAPE: 'this escape sequence in a double-quoted string is not valid',
  BAD_INDENT: 'the indentation here is not valid',
  BAD_PROP_ORDER: 'an anchor and a tag are in the wrong order here',
  BAD_SCALAR_START: 'a plain value cannot start with this character; quote the value',
  BLOCK_AS_IMPLICIT_KEY: 'a nested mapping cannot start on the line of its key',
  BLOCK_IN_FLOW: 'a block value cannot be written inside [ ] or { }',
  DUPLICATE_KEY: 'this key is already written in the same mapping; keys must be unique',
  IMPOSSIBLE: 'the YAML cannot be read here',
  KEY_OVER_1024_CHARS: 'a key written on one line may be at most 1024 characters',
  MISSING_CHAR: 'a closing quote or bracket is missing',
  MULTILINE_IMPLICIT_KEY: 'a key must be on one line (a missing ":", or a value continued on the next line?)',
  MULTIPLE_ANCHORS: 'a value can have only one anchor',
  MULTIPLE_DOCS: 'the file must hold exactly one YAML document; a second one starts here',
  MULTIPLE_TAGS: 'a value can have only one tag',
  NON_STRING_KEY: 'a key must be a plain value',
  RESOURCE_EXHAUSTION: 'the YAML expands to too much data here',
  TAB_AS_INDENT: 'a tab is used for indentation here; YAML indents with spaces',
  TAG_RESOLVE_FAILED: 'this tag is not known; it is ignored and the value read as written',
  UNEXPECTED_TOKEN: 'unexpected text here (a missing ":" or "-", or the wrong indentation?)',
};

function yamlErrorMessage(code: string): string {
  return YAML_MESSAGES[code] ?? `the YAML cannot be read here (${code})`;
}

let topKeys: ReadonlySet<string> | undefined;

/** The top-level keys of a desired-state file: the schema's `properties` (a section added there is known here). */
export function desiredTopKeys(): ReadonlySet<string> {
  topKeys ??= new Set(Object.keys(loadSchema().properties as Record<string, unknown>));
  return topKeys;
}

/**
 * A file is taken for a desired-state file when its top level is a mapping with `version` or another key of the
 * format. Anything else — /etc/passwd, a credentials file, an INI file, a JSON list — gets one diagnostic that
 * shows nothing of it: no "got …", no key, no line (a symlink or a mistyped -f must not print another file).
 */
function looksDesired(keys: Iterable<unknown> | undefined): boolean {
  if (!keys) return false;
  for (const k of keys) if (typeof k === 'string' && desiredTopKeys().has(k)) return true;
  return false;
}

function topKeysOfData(data: unknown): Iterable<unknown> | undefined {
  return data !== null && typeof data === 'object' && !Array.isArray(data) ? Object.keys(data) : undefined;
}

function topKeysOfDoc(doc: Document): Iterable<unknown> | undefined {
  const c = doc.contents;
  if (!isMap(c)) return undefined;
  return c.items.map((p) => (isScalar(p.key) ? p.key.value : undefined));
}

export function notDesiredFile(file: string): Diagnostic {
  return {
    severity: 'error',
    code: CONFIG_CODES.notDesiredState,
    message: `${file} is not a claude-reconcile desired-state file (expected a YAML mapping with \`version: 1\`); nothing of it is shown`,
    file,
    line: 1,
    column: 1,
  };
}

/** How the text is parsed; only tests and diagnosis choose (the default: in pieces where the file allows it). */
export interface ReadOptions {
  /** false: always parse the whole text as one document */
  pieces?: boolean;
  /** the run size of yaml-segments.ts (tests make it small to cut small files deeply) */
  runChars?: number;
}

export function readYaml(text: string, file: string, opts: ReadOptions = {}): YamlRead {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_BYTES) {
    return {
      diagnostics: [{
        severity: 'error',
        code: CONFIG_CODES.fileTooLarge,
        message: `the file is ${bytes} bytes; at most ${MAX_BYTES} bytes (5 MB) are read`,
        ...at(file, undefined),
      }],
    };
  }

  const controls = controlCharacters(text, file);
  if (controls.length > 0) return { diagnostics: controls };

  const { violation, cut } = scan(text, opts);
  if (violation) {
    // The line counter is filled by the parser; for a file we refuse to parse, count the lines ourselves.
    const before = text.slice(0, violation.offset);
    const line = before.split('\n').length;
    const column = violation.offset - (before.lastIndexOf('\n') + 1) + 1;
    const message = violation.kind === 'depth'
      ? `values are nested more than ${MAX_DEPTH} levels deep here; a desired-state file needs about 5`
      : `the file has more than ${MAX_TOKENS} keys, values and separators; it is not read further`;
    return {
      diagnostics: [{
        severity: 'error',
        code: violation.kind === 'depth' ? CONFIG_CODES.nestingTooDeep : CONFIG_CODES.tooManyValues,
        message,
        file,
        line,
        column,
      }],
    };
  }

  try {
    // In pieces when the file allows it (far less memory for a large file: yaml-segments.ts), else whole.
    const pieces = cut && parseSegmented(text, cut, PARSE_OPTIONS, file, MAX_ALIAS_COUNT);
    if (pieces) {
      if (!looksDesired(topKeysOfData(pieces.data))) return { diagnostics: [notDesiredFile(file)], notDesired: true };
      if (pieces.diagnostics.length > 0) return { diagnostics: pieces.diagnostics };
      return { data: pieces.data, index: new PositionIndex(file, pieces.lines, pieces.root), diagnostics: [] };
    }
    return readWhole(text, file);
  } catch (e) {
    return { diagnostics: [unexpected(file, e)] };
  }
}

/**
 * The bounds check, and where the file can be cut (one pass of the lexer). The scanner's per-line records are
 * dropped on return: only the cut, a few objects per piece, is kept through the parse.
 */
function scan(text: string, opts: ReadOptions): { violation?: GuardViolation; cut?: BlockCut } {
  const scanner = new SegmentScanner();
  const violation = checkYamlBounds(text, scanner);
  if (violation) return { violation };
  const cut = opts.pieces === false ? undefined : scanner.cut(text.length, opts.runChars);
  return cut ? { cut } : {};
}

/** Parses the text as one document: every file the pieces do not take, and every file with an error. */
function readWhole(text: string, file: string): YamlRead {
  const lines = new LineCounter();
  const doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter: lines });
  const diagnostics: Diagnostic[] = [];
  // an empty file (or only comments) is reported as such below; anything else must look like ours, errors or not
  if (doc.contents !== null && !looksDesired(topKeysOfDoc(doc))) return { diagnostics: [notDesiredFile(file)], notDesired: true };
  for (const e of doc.errors) {
    diagnostics.push({
      severity: 'error',
      code: yamlErrorCode(e.code),
      message: yamlErrorMessage(e.code),
      ...at(file, lines.linePos(e.pos[0])),
    });
  }
  for (const w of doc.warnings) {
    diagnostics.push({
      severity: 'warning',
      code: CONFIG_CODES.yamlWarning,
      message: yamlErrorMessage(w.code),
      ...at(file, lines.linePos(w.pos[0])),
    });
  }
  if (doc.errors.length > 0) return { diagnostics };

  const { index, diagnostics: structural } = indexDocument(doc, lines, file);
  diagnostics.push(...structural);
  if (structural.length > 0) return { diagnostics };

  if (doc.contents === null) {
    diagnostics.push({
      severity: 'error',
      code: CONFIG_CODES.emptyFile,
      message: 'the file is empty; it must be a mapping with at least `version` and `organization`',
      ...at(file, undefined),
    });
    return { diagnostics };
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof ReferenceError && /alias/i.test(e.message)) {
      const pos = index.at(firstAliasOffset(doc));
      diagnostics.push({
        severity: 'error',
        code: CONFIG_CODES.aliasLimit,
        message: `aliases expand to too much data (more than ${MAX_ALIAS_COUNT} times an anchor's size); ` +
          'write the values out or use fewer aliases',
        file,
        line: pos.line,
        column: pos.column,
      });
      return { diagnostics };
    }
    return { diagnostics: [...diagnostics, unexpected(file, e)] };
  }
  return { data, index, diagnostics };
}

/**
 * YAML 1.2 §5.1: a stream holds only printable characters (tab, line breaks, and no C0/C1 control, DEL, U+FFFE or
 * U+FFFF). The parser does not check it, so a NUL or a BEL inside a plain scalar would reach an email address and
 * from there the API; each one is an error at its place (at most MAX_CONTROL_REPORTS, a binary file has thousands).
 */
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/g;
const MAX_CONTROL_REPORTS = 10;

function controlCharacters(text: string, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  for (const m of text.matchAll(NON_PRINTABLE)) {
    for (let i = text.indexOf('\n', scanned); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    scanned = m.index;
    const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    out.push({
      severity: 'error',
      code: CONFIG_CODES.yamlSyntax,
      message: `a control character (U+${code}) is not allowed in a YAML file; only printable characters, tabs and line breaks are`,
      file,
      line,
      column: m.index - lineStart + 1,
    });
    if (out.length >= MAX_CONTROL_REPORTS) break;
  }
  return out;
}

/** A failure of the parser itself; its message may quote the file, so only its kind is said. */
function unexpected(file: string, e: unknown): Diagnostic {
  const kind = e instanceof Error ? e.name : typeof e;
  return { severity: 'error', code: CONFIG_CODES.yamlSyntax, message: `the YAML could not be read (${kind})`, ...at(file, undefined) };
}
