// The desired-state loader: file → YAML (with positions and resource bounds) → JSON Schema → normalized
// Desired → cross-checks. Every problem is collected as a diagnostic with file, line and column; nothing
// throws for bad input. `desired` is handed out only when no diagnostic is an error.

import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { redact } from '../errors.js';
import type { Desired } from '../model/desired.js';
import { hasErrors, type Diagnostic } from '../model/diagnostic.js';
import { CONFIG_CODES } from './codes.js';
import { anthropicKeysInText, secretsAsEnvNames } from './credential-check.js';
import { crossCheck } from './crossref.js';
import { normalize, type Normalized } from './normalize.js';
import { validateSchema } from './schema.js';
import { MAX_BYTES } from './yaml-guards.js';
import { readYaml } from './yaml-read.js';

export interface LoadResult {
  /** present only when `diagnostics` holds no error */
  desired?: Desired;
  /** sorted by line, then column; file-level ones first */
  diagnostics: Diagnostic[];
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

function fileError(file: string, code: string, message: string): LoadResult {
  return { diagnostics: [{ severity: 'error', code, message, file, line: 1, column: 1 }] };
}

/**
 * Messages quote values from the file ("got …"); a credential pasted into the file must not be printed back
 * (issue 6 item 5), so every message is scrubbed of key-shaped text and of the secrets this process knows.
 */
function scrubbed(diagnostics: Diagnostic[]): Diagnostic[] {
  for (const d of diagnostics) d.message = redact(d.message);
  return diagnostics;
}

/**
 * YAML, schema and normalization. The plain data and its positions live only in here: for a large file they are
 * tens of MB, garbage once Desired is built, and better not kept alive through the cross-checks.
 */
function readAndNormalize(text: string, file: string, hash: string): LoadResult | (Normalized & { diagnostics: Diagnostic[] }) {
  const read = readYaml(text, file);
  // not a desired-state file: its one diagnostic, and nothing that would point into it (not even a key's line)
  if (read.notDesired) return { diagnostics: read.diagnostics };
  const keys = anthropicKeysInText(text, file);
  if (read.index === undefined) return { diagnostics: scrubbed([...keys, ...read.diagnostics]).sort(byPosition) };
  const diagnostics = [...keys, ...read.diagnostics, ...validateSchema(read.data, read.index)];
  diagnostics.push(...secretsAsEnvNames(read.data, read.index));
  return { ...normalize(read.data, read.index, hash), diagnostics };
}

function parseWithHash(text: string, file: string, hash: string): LoadResult {
  try {
    const normalized = readAndNormalize(text, file, hash);
    if (!('facts' in normalized)) return normalized;
    const { desired, facts, diagnostics } = normalized;
    diagnostics.push(...crossCheck(desired, facts));
    // the contract: every diagnostic of this loader names a place, at worst the start of the file
    for (const d of diagnostics) {
      d.file ??= file;
      d.line ??= 1;
      d.column ??= 1;
    }
    scrubbed(diagnostics).sort(byPosition);
    return hasErrors(diagnostics) ? { diagnostics } : { desired, diagnostics };
  } catch (e) {
    // a bug of ours, not the user's input: still a diagnostic, never a stack trace
    const why = e instanceof Error ? e.message : String(e);
    return fileError(file, CONFIG_CODES.internal, redact(`internal error while reading the file: ${why}`));
  }
}

/** Parses desired-state text. `sha256` is taken over the text's UTF-8 bytes. */
export function parseDesired(text: string, file: string): LoadResult {
  return parseWithHash(text, file, sha256(Buffer.from(text, 'utf8')));
}

/** True when `path` is `root` or below it (both already resolved by realpath). */
function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

export interface LoadOptions {
  /**
   * The directory tree the file must stay in once symbolic links are resolved: by default the directory that holds
   * `path` as named (for `-f dir`, the files listed in it are in `dir`).
   */
  root?: string;
}

/**
 * Reads and parses a desired-state file. `sha256` is taken over the file's bytes as stored. A symbolic link is
 * followed only when it resolves inside the tree of `root` (realpath on both sides): `-f link.yaml` pointing at
 * /etc/shadow or ~/.git-credentials is refused without reading it, and named only by the path given.
 */
export async function loadDesiredFile(path: string, opts: LoadOptions = {}): Promise<LoadResult> {
  let bytes: Buffer;
  try {
    const root = opts.root ?? dirname(path);
    const [realRoot, real] = await Promise.all([realpath(root), realpath(path)]);
    if (!isWithin(realRoot, real)) {
      return fileError(path, CONFIG_CODES.fileOutsideTree,
        `${path} is a symbolic link that leads outside ${root === '.' ? 'the current directory' : root}; it is not read ` +
        '(links are followed only within the directory of the file)');
    }
    // read what was checked, not the name again (a link swapped in between is not followed)
    const st = await stat(real);
    if (!st.isFile()) return fileError(path, CONFIG_CODES.fileUnreadable, `${path} is not a regular file`);
    // refuse before reading: a huge file is not even loaded into memory
    if (st.size > MAX_BYTES) {
      return fileError(path, CONFIG_CODES.fileTooLarge, `the file is ${st.size} bytes; at most ${MAX_BYTES} bytes (5 MB) are read`);
    }
    bytes = await readFile(real);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied'
      : code === 'ELOOP' ? 'too many levels of symbolic links' : code === 'ENOTDIR' ? 'a part of the path is not a directory'
        : `the file system answered ${code ?? 'an error'}`;
    return fileError(path, CONFIG_CODES.fileUnreadable, `cannot read ${path}: ${why}`);
  }
  if (bytes.length > MAX_BYTES) {
    return fileError(path, CONFIG_CODES.fileTooLarge, `the file is ${bytes.length} bytes; at most ${MAX_BYTES} bytes (5 MB) are read`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fileError(path, CONFIG_CODES.fileEncoding, 'the file is not valid UTF-8');
  }
  return parseWithHash(text, path, sha256(bytes));
}
