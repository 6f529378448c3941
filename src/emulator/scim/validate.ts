// What WorkOS checks on a User or Group body before it stores anything (scim.md §3.17, reference §13.4, §13.5),
// ahead of SCIMMY's own schema coercion, with WorkOS's status, scimType and wording:
//   - `null` anywhere → 400 invalidSyntax "'<attr>' is expected <type>, received null";
//   - strict JSON types ("'active' is expected boolean, received string"), checked against the RFC 7643 schema;
//   - userName required and non-blank → 400 invalidValue "'userName' is required";
//   - a usable email, or an email-shaped userName that is then backfilled as the primary work address → otherwise
//     400 "Required attributes missing: emails" (invalidValue on create, invalidSyntax on a replace);
//   - creating an inactive user while soft-delete is off → a bare 400;
//   - Group displayName required → 400 invalidValue "'displayName' is required"; an empty member value → 400.
// Uniqueness (409) needs the directory and is checked by the resource handlers. Attributes the schema does not
// know are dropped (WorkOS keeps them as raw attributes, which no API reads back); readOnly ones (`id`, `meta`,
// `groups`) are ignored as RFC 7644 §3.3 allows.

import SCIMMY from 'scimmy';
import { ScimFailure, fromScimmy } from './failure.js';
import { DirectoryGroupSchema, DirectoryUserSchema, definitionOf, storedAttributes, type Attribute, type Obj, type ResourceKind, type SchemaDefinition } from './schemas.js';
import { backfilledEmails, hasUsableEmail, isEmailShaped } from './user-emails.js';


function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function syntax(detail: string): ScimFailure {
  return new ScimFailure(400, detail, { scimType: 'invalidSyntax' });
}

export function requireObject(body: unknown): Obj {
  if (!isObj(body)) throw syntax('The request body must be a JSON object');
  return body;
}

/** The key of `obj` that names `name`, ignoring case (RFC 7643 §2.1: attribute names are case-insensitive). */
export function keyOf(obj: Obj, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === wanted);
}

export function field(obj: Obj, name: string): unknown {
  const k = keyOf(obj, name);
  return k === undefined ? undefined : obj[k];
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function expectedType(a: Attribute, element = false): string {
  if (a.config.multiValued && !element) return 'array';
  switch (a.type) {
    case 'complex':
      return 'object';
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'decimal':
      return 'number';
    default:
      return 'string'; // string, reference, dateTime, binary
  }
}

function isReadOnly(a: Attribute): boolean {
  return a.config.mutable === false || a.config.direction === 'out';
}

function mismatch(path: string, expected: string, value: unknown): ScimFailure {
  return syntax(`'${path}' is expected ${expected}, received ${jsonType(value)}`);
}

function subAttribute(a: Attribute, name: string): Attribute | undefined {
  return a.subAttributes?.find((s) => s.name.toLowerCase() === name.toLowerCase());
}

function checkValue(a: Attribute, v: unknown, path: string, element = false): void {
  const expected = expectedType(a, element);
  if (v === null) throw mismatch(path, expected, v);
  if (a.config.multiValued && !element) {
    if (!Array.isArray(v)) throw mismatch(path, expected, v);
    for (const item of v) checkValue(a, item, path, true);
    return;
  }
  if (jsonType(v) !== expected) throw mismatch(path, expected, v);
  if (a.type === 'complex') {
    for (const [k, sub] of Object.entries(v as Obj)) {
      const s = subAttribute(a, k);
      const subPath = `${path}.${k}`;
      if (!s) {
        if (sub === null) throw syntax(`'${subPath}' is expected string, received null`);
        continue;
      }
      if (isReadOnly(s)) continue;
      checkValue(s, sub, subPath);
    }
  }
}

/** Null and type checks of a whole body (see the module comment). */
export function checkShape(kind: ResourceKind, body: Obj): void {
  const definition = definitionOf(kind);
  for (const [k, v] of Object.entries(body)) {
    if (k.toLowerCase() === 'schemas') {
      if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw mismatch('schemas', 'array of strings', v);
      continue;
    }
    let target: Attribute | SchemaDefinition | undefined;
    try {
      target = definition.attribute<Attribute | SchemaDefinition>(k);
    } catch {
      target = undefined;
    }
    if (target instanceof SCIMMY.Types.SchemaDefinition) {
      if (!isObj(v)) throw mismatch(k, 'object', v);
      for (const [ek, ev] of Object.entries(v)) {
        let ea: Attribute | undefined;
        try {
          ea = target.attribute<Attribute>(ek);
        } catch {
          ea = undefined;
        }
        if (!ea) {
          if (ev === null) throw syntax(`'${k}:${ek}' is expected string, received null`);
          continue;
        }
        if (!isReadOnly(ea)) checkValue(ea, ev, `${k}:${ek}`);
      }
      continue;
    }
    if (!target) {
      if (v === null) throw syntax(`'${k}' is expected string, received null`);
      continue;
    }
    if (isReadOnly(target)) continue;
    checkValue(target, v, target.name);
  }
}

function coerce(kind: ResourceKind, body: Obj): Obj {
  try {
    return storedAttributes(kind === 'User' ? new DirectoryUserSchema(body, 'in') : new DirectoryGroupSchema(body, 'in'));
  } catch (e) {
    const failure = fromScimmy(e, 'invalidSyntax');
    if (failure) throw failure;
    throw e;
  }
}

/**
 * A POST or PUT User body, checked and coerced. Returns the attributes to store, `active` always set (absent means
 * true: RFC 7644 §3.5.1 lets the server default an omitted attribute, and `active` defaults to true at creation).
 */
export function userInput(body: unknown, mode: 'create' | 'replace', softDelete: boolean): Obj {
  const input = { ...requireObject(body) };
  checkShape('User', input);
  const userName = field(input, 'userName');
  if (typeof userName !== 'string' || userName.trim() === '') {
    throw new ScimFailure(400, "'userName' is required", { scimType: 'invalidValue' });
  }
  if (!hasUsableEmail(field(input, 'emails'))) {
    if (!isEmailShaped(userName)) {
      throw new ScimFailure(400, 'Required attributes missing: emails', {
        scimType: mode === 'create' ? 'invalidValue' : 'invalidSyntax',
      });
    }
    const k = keyOf(input, 'emails');
    if (k !== undefined) delete input[k];
    input.emails = backfilledEmails(userName);
  }
  // §13.4: "Creating with active:false is rejected with a bare 400 … when … soft-delete is off".
  if (mode === 'create' && field(input, 'active') === false && !softDelete) {
    throw new ScimFailure(400, '', { bare: true });
  }
  const data = coerce('User', input);
  if (data.active === undefined) data.active = true;
  return data;
}

/**
 * Group `members` from a request: each an object with a non-empty string `value` (§13.5: "An empty member value is
 * rejected"); `$ref` is dropped (the emulator writes its own). Unknown ids are dropped later, by the handler.
 */
export function memberInput(members: unknown, path = 'members'): Obj[] {
  if (members === undefined) return [];
  if (!Array.isArray(members)) throw mismatch(path, 'array', members);
  return members.map((m) => {
    if (!isObj(m)) throw mismatch(path, 'object', m);
    const value = field(m, 'value');
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ScimFailure(400, `'${path}.value' must be a non-empty id, received ${JSON.stringify(value ?? null)}`, {
        scimType: 'invalidValue',
      });
    }
    const out: Obj = {};
    for (const [k, v] of Object.entries(m)) if (k.toLowerCase() !== '$ref') out[k] = v;
    return out;
  });
}

/** A POST or PUT Group body, checked and coerced. */
export function groupInput(body: unknown): Obj {
  const input = { ...requireObject(body) };
  checkShape('Group', input);
  const displayName = field(input, 'displayName');
  if (typeof displayName !== 'string' || displayName.trim() === '') {
    throw new ScimFailure(400, "'displayName' is required", { scimType: 'invalidValue' });
  }
  const k = keyOf(input, 'members');
  if (k !== undefined) {
    const members = memberInput(input[k]);
    delete input[k];
    input.members = members;
  }
  return coerce('Group', input);
}
