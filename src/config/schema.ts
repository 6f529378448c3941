// JSON Schema validation of the plain data (schemas/claude-reconcile.schema.json, the same file editors use),
// with every ajv error turned into a diagnostic at the YAML line that caused it and a message a person reads
// without knowing JSON Schema.

import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { OrgKind } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { isGlob } from '../model/email.js';
import { checkDomain, checkEmail, editDistance } from '../model/email-rules.js';
import { declarableRoles } from '../model/roles.js';
import { CONFIG_CODES } from './codes.js';
import { domainMessage, emailMessage, PROTECTED_HINT } from './email-check.js';
import { describeValue, formatPath } from './path-format.js';
import type { PathSegment, PositionIndex } from './yaml-positions.js';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the whole module.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as
  unknown as (ajv: Ajv) => Ajv;

/** Where the schema lives: `schemas/` at the package root, two levels above both src/config and dist/config. */
export const SCHEMA_URL = new URL('../../schemas/claude-reconcile.schema.json', import.meta.url);

type JsonObject = Record<string, unknown>;

interface Compiled {
  validate: ValidateFunction;
  /** the `email` definition's pattern: email-check.ts leaves what fails it to the schema */
  email?: RegExp;
  /** pattern source → what it means, for messages */
  patterns: Map<string, { code: string; text: string }>;
}

let compiled: Compiled | undefined;

/** The schema file as a plain value. Throws only if the installation is broken (the file is missing). */
export function loadSchema(): JsonObject {
  return JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as JsonObject;
}

/**
 * A new ajv instance for this schema. `strict: true` so a typo in the schema itself fails loudly;
 * `allowUnionTypes` for the `["object", "null"]` of entries that may be written empty (`Research:`).
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true, verbose: true });
  addFormats(ajv);
  return ajv;
}

/**
 * The schema with every `#/definitions/…` reference replaced by the definition (siblings such as
 * `description` kept). Why: ajv compiles a referenced schema that itself holds a `$ref` into a separate
 * function and merges its errors with `vErrors.concat(…)`, once per map entry: quadratic in the number of
 * errors (100,000 members with a bad role took 45 s). Inlined, errors are pushed one by one. The file keeps
 * its definitions for editors; the schema is not recursive, so inlining terminates.
 */
export function inlineDefinitions(schema: JsonObject): JsonObject {
  const defs = (schema.definitions ?? {}) as Record<string, unknown>;
  const DATA = new Set(['enum', 'const', 'default', 'required', 'examples']);
  const MAPS = new Set(['properties', 'patternProperties']);
  const inline = (node: unknown, depth: number): unknown => {
    if (depth > 64) throw new Error('the schema is recursive; it cannot be inlined');
    if (Array.isArray(node)) return node.map((n) => inline(n, depth + 1));
    if (!node || typeof node !== 'object') return node;
    const { $ref, ...rest } = node as JsonObject;
    let out: JsonObject = {};
    if (typeof $ref === 'string' && $ref.startsWith('#/definitions/')) {
      const target = defs[$ref.slice('#/definitions/'.length)];
      if (target === undefined) throw new Error(`unknown reference ${$ref}`);
      out = { ...(inline(target, depth + 1) as JsonObject) };
    } else if ($ref !== undefined) {
      out.$ref = $ref;
    }
    for (const [k, v] of Object.entries(rest)) {
      if (k === 'definitions') continue;
      if (DATA.has(k) || !v || typeof v !== 'object') out[k] = v; // data, not a schema
      else if (MAPS.has(k)) {
        out[k] = Object.fromEntries(Object.entries(v as JsonObject).map(([name, sub]) => [name, inline(sub, depth + 1)]));
      } else out[k] = inline(v, depth + 1);
    }
    return out;
  };
  return inline(schema, 0) as JsonObject;
}

function getCompiled(): Compiled {
  if (compiled) return compiled;
  const schema = loadSchema();
  const validate = createAjv().compile(inlineDefinitions(schema));
  const defs = (schema.definitions ?? {}) as Record<string, JsonObject>;
  const patternOf = (s: JsonObject | undefined): string | undefined =>
    typeof s?.pattern === 'string' ? s.pattern : undefined;
  const patterns = new Map<string, { code: string; text: string }>();
  const add = (p: string | undefined, code: string, text: string): void => {
    if (p) patterns.set(p, { code, text });
  };
  add(patternOf(defs.email), CONFIG_CODES.invalidEmail, 'must be an email address');
  add(patternOf(defs.envName), CONFIG_CODES.schema,
    'must be the name of an environment variable (letters, digits and _, not starting with a digit)');
  const wsProps = (defs.workspace?.properties ?? {}) as Record<string, JsonObject>;
  add(patternOf(wsProps.display_color), CONFIG_CODES.schema, 'must be a colour written "#RRGGBB", for example "#6C5BB9"');
  const policyProps = (defs.policy?.properties ?? {}) as Record<string, JsonObject>;
  add(patternOf(policyProps.unmanaged?.items as JsonObject | undefined), CONFIG_CODES.schema, 'must not be empty');
  add(patternOf(policyProps.protected?.items as JsonObject | undefined), CONFIG_CODES.invalidEmail,
    'must be an email address or a glob such as "*@acme.com"');
  add(patternOf(policyProps.email_domains?.items as JsonObject | undefined), CONFIG_CODES.invalidDomain,
    'must be a domain name such as acme.com');
  const email = patternOf(defs.email);
  compiled = email ? { validate, patterns, email: new RegExp(email, 'u') } : { validate, patterns };
  return compiled;
}

/** The schema's email pattern (undefined if the schema cannot be loaded: that is reported on its own). */
export function schemaEmailPattern(): RegExp | undefined {
  try {
    return getCompiled().email;
  } catch {
    return undefined;
  }
}

/** JSON Pointer → segments, numbers where the data at that level is a list. */
function pointerToPath(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return [];
  const out: PathSegment[] = [];
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const i = Number(seg);
      out.push(i);
      cur = cur[i];
    } else {
      out.push(seg);
      cur = cur && typeof cur === 'object' ? (cur as JsonObject)[seg] : undefined;
    }
  }
  return out;
}

function suggest(word: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const a of allowed) {
    const d = editDistance(word.toLowerCase(), a.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.min(3, Math.floor(word.length / 3))) ? best : undefined;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
};

function typeWords(t: unknown): string {
  const list = Array.isArray(t) ? t : String(t).split(',');
  return list.map((x) => TYPE_WORDS[String(x)] ?? String(x)).join(' or ');
}

function orgKindOf(data: unknown): OrgKind | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const org = (data as JsonObject).organization;
  const kind = org && typeof org === 'object' ? (org as JsonObject).kind : undefined;
  return kind === 'console' || kind === 'enterprise' ? kind : undefined;
}

/** `members.<email>` or `members.<email>.role` */
function isMemberRolePath(path: readonly PathSegment[]): boolean {
  return path[0] === 'members' && (path.length === 2 || (path.length === 3 && path[2] === 'role'));
}

function isWorkspaceMemberPath(path: readonly PathSegment[]): boolean {
  return path.length === 4 && path[0] === 'workspaces' && path[2] === 'members';
}

interface Translated {
  code: string;
  path: PathSegment[];
  /** point at the key that ends `path` rather than at its value */
  atKey: boolean;
  message: string;
}

function translate(e: ErrorObject, data: unknown, c: Compiled): Translated | undefined {
  const path = pointerToPath(e.instancePath, data);
  const p = e.params as Record<string, unknown>;
  // A value under organization.credentials is never quoted: it should be a variable's name, and when it is not,
  // it may be the credential itself (issue 6 item 5).
  const got = path[0] === 'organization' && path[1] === 'credentials' ? 'a value that is not shown' : describeValue(e.data);
  const where = (segs: readonly PathSegment[]): string => (segs.length ? `${formatPath(segs)}: ` : '');

  switch (e.keyword) {
    case 'if':
    case 'propertyNames':
      // `if` only says which branch failed, and `propertyNames` repeats its inner error: both say nothing new
      return undefined;
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const props = Object.keys((e.parentSchema?.properties ?? {}) as JsonObject).filter((k) => !k.startsWith('$'));
      const near = suggest(key, props);
      const hint = near ? `did you mean "${near}"?` : props.length ? `expected one of: ${props.join(', ')}` : '';
      const full = [...path, key];
      return {
        code: CONFIG_CODES.unknownKey,
        path: full,
        atKey: true,
        message: `${formatPath(full)}: unknown key${hint ? `; ${hint}` : ''}`,
      };
    }
    case 'required': {
      const missing = String(p.missingProperty);
      return {
        code: CONFIG_CODES.missingKey,
        path,
        atKey: true,
        message: `${formatPath([...path, missing])}: required key is missing`,
      };
    }
    case 'enum': {
      if (isWorkspaceMemberPath(path) && e.data === 'workspace_billing') {
        return {
          code: CONFIG_CODES.workspaceBillingNotAssignable,
          path,
          atKey: false,
          message: `${where(path)}workspace_billing cannot be assigned; it is inherited from the org billing role`,
        };
      }
      let allowed = (p.allowedValues as unknown[]).map(String);
      let note = '';
      const kind = orgKindOf(data);
      if (isMemberRolePath(path) && kind) {
        allowed = declarableRoles(kind);
        note = ` for ${kind === 'enterprise' ? 'an' : 'a'} ${kind} organization`;
      }
      return {
        code: CONFIG_CODES.schema,
        path,
        atKey: false,
        message: `${where(path)}must be one of ${allowed.join(', ')}${note} (got ${got})`,
      };
    }
    case 'const':
      return {
        code: CONFIG_CODES.schema,
        path,
        atKey: false,
        message: `${where(path)}must be ${JSON.stringify(p.allowedValue)} (got ${got})`,
      };
    case 'type': {
      let message = `must be ${typeWords(p.type)} (got ${got})`;
      if (path.length === 0) {
        message = `the file must be a mapping with version, organization, members, … (got ${got})`;
      } else if (path[0] === 'members' && path.length === 2) {
        message = `must be a role (for example developer) or a mapping with role, name and expires (got ${got})`;
      } else if (path[path.length - 1] === 'display_color' && e.data === null) {
        message = 'must be a colour written "#RRGGBB" in quotes: an unquoted # starts a YAML comment';
      }
      return { code: CONFIG_CODES.schema, path, atKey: e.data === null, message: `${where(path)}${message}` };
    }
    case 'pattern': {
      const known = c.patterns.get(String(p.pattern));
      // An address or a domain: the message names the problem with the rules of email-check.ts, which reports
      // what passes this pattern and still breaks a rule.
      const value = e.propertyName ?? e.data;
      if (typeof value === 'string' && known?.code === CONFIG_CODES.invalidEmail) {
        const full = e.propertyName !== undefined ? [...path, e.propertyName] : path;
        const isProtected = path[0] === 'policy' && path[1] === 'protected';
        const problem = checkEmail(value).problem ?? { text: 'is not an address' };
        return {
          code: known.code,
          path: full,
          atKey: e.propertyName !== undefined,
          message: emailMessage(full, value, problem, e.propertyName !== undefined, isProtected && !isGlob(value) ? PROTECTED_HINT : ''),
        };
      }
      if (typeof value === 'string' && known?.code === CONFIG_CODES.invalidDomain) {
        const problem = checkDomain(value.trim()).problem ?? { text: 'is not a domain name' };
        return { code: known.code, path, atKey: false, message: domainMessage(path, value, problem) };
      }
      if (e.propertyName !== undefined) {
        // a key of the mapping at `path` (propertyNames): point at the key itself
        const full = [...path, e.propertyName];
        return {
          code: known?.code ?? CONFIG_CODES.schema,
          path: full,
          atKey: true,
          message: `${formatPath(full)}: the key ${known?.text ?? `must match ${String(p.pattern)}`}`,
        };
      }
      const text = known?.text ?? `must match ${String(p.pattern)}`;
      return {
        code: known?.code ?? CONFIG_CODES.schema,
        path,
        atKey: false,
        message: `${where(path)}${text}${text === 'must not be empty' ? '' : ` (got ${got})`}`,
      };
    }
    case 'format': {
      if (p.format === 'date') {
        return {
          code: CONFIG_CODES.invalidDate,
          path,
          atKey: false,
          message: `${where(path)}must be a real calendar date written YYYY-MM-DD (got ${got})`,
        };
      }
      if (p.format === 'uuid') {
        return {
          code: CONFIG_CODES.schema,
          path,
          atKey: false,
          message: `${where(path)}must be the organization's UUID, like 8f4c1a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b (got ${got})`,
        };
      }
      break;
    }
    case 'minimum':
      return { code: CONFIG_CODES.schema, path, atKey: false, message: `${where(path)}must be at least ${String(p.limit)} (got ${got})` };
    case 'maxLength':
      return { code: CONFIG_CODES.schema, path, atKey: false, message: `${where(path)}must be at most ${String(p.limit)} characters` };
    case 'minLength':
      return { code: CONFIG_CODES.schema, path, atKey: false, message: `${where(path)}must not be empty` };
    default:
      break;
  }
  return {
    code: CONFIG_CODES.schema,
    path,
    atKey: false,
    message: `${where(path)}${e.message ?? 'is not valid'}`,
  };
}

/**
 * Validates plain data against the schema. Every error is reported (allErrors), once, at its line: unknown
 * keys and invalid email keys at the key, everything else at the value (or its key when the value is empty).
 */
/** Schema problems reported one by one before the rest are counted. */
export const MAX_SCHEMA_DIAGNOSTICS = 1000;

export function validateSchema(data: unknown, index: PositionIndex): Diagnostic[] {
  let c: Compiled;
  try {
    c = getCompiled();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return [{
      severity: 'error',
      code: CONFIG_CODES.internal,
      message: `the JSON Schema of the desired-state file could not be loaded (${why}); the installation is broken`,
      file: index.file,
      line: 1,
      column: 1,
    }];
  }
  if (c.validate(data)) return [];
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const errors = c.validate.errors ?? [];
  for (const e of errors) {
    // A file with hundreds of thousands of bad values would otherwise cost memory and time for a report nobody reads.
    if (out.length >= MAX_SCHEMA_DIAGNOSTICS) {
      out.push({ severity: 'error', code: CONFIG_CODES.schema, message: `… and more schema problems, not shown after the first ${MAX_SCHEMA_DIAGNOSTICS}; fix the ones above first`,
        file: index.file, line: out[out.length - 1]!.line ?? 1, column: 1 });
      break;
    }
    const t = translate(e, data, c);
    if (!t) continue;
    const pos = t.atKey ? index.key(t.path) : index.value(t.path);
    const id = `${t.code}|${pos.line}|${pos.column}|${t.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ severity: 'error', code: t.code, message: t.message, file: pos.file, line: pos.line, column: pos.column });
  }
  return out;
}
