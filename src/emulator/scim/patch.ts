// PATCH /Users/{id} and /Groups/{id} (RFC 7644 §3.5.2; scim.md §3.8–§3.10, reference §13.7). SCIMMY's PatchOp
// validates the message (schemas, op names in any case, `value` required on add, `path` required on remove →
// noTarget) and applies each operation: paths with value filters, no-path add/replace with dotted or URN keys,
// remove with a value array (Entra's legacy member removal), replace-all of a multi-valued attribute. In front of
// it, a thin normalization layer accepts the IdP forms SCIMMY refuses and adds the checks it lacks:
//   - Entra's `"True"`/`"False"` strings where a boolean is expected (when the directory's `string_booleans` is on);
//   - keys and paths prefixed with the core schema URN (`urn:…:core:2.0:User:userName`), which SCIMMY rejects;
//   - Okta's no-path group rename `{"id":"<same id>","displayName":…}`: an unchanged `id` is ignored;
//   - a value filter on a single-valued attribute → 400 invalidSyntax "Invalid SCIM Patch: Impossible to search on
//     a mono valued attribute." (WorkOS's answer to Entra, §13.6; SCIMMY would silently apply it);
//   - `null` values → 400 invalidSyntax, as WorkOS rejects nulls everywhere (§13.4);
//   - User `groups` is readOnly (RFC 7643 §4.1.2) → 400 mutability (SCIMMY would store it);
//   - a replace whose trailing value filter matches nothing → 400 noTarget (RFC 7644 §3.5.2.3; SCIMMY appends);
//   - member values must be non-empty; `$ref` is dropped; Entra's remove value is reduced to `{value}`.
// Operations apply in order, each on the result of the previous one, on a copy: any failure leaves the stored
// resource untouched (atomic, §3.5.2). Post-conditions (userName, emails, uniqueness, unknown members) belong to
// the resource handlers.

import SCIMMY from 'scimmy';
import { ScimFailure, fromScimmy } from './failure.js';
import { attributeAt, definitionOf, isAttribute, storedAttributes, schemaClass, type Attribute, type Obj, type ResourceKind, type SchemaDefinition } from './schemas.js';
import { field, memberInput, requireObject } from './validate.js';

type Operation = { op: string; path?: string; value?: unknown };

const PatchOp = SCIMMY.Messages.PatchOp;

export interface PatchOptions {
  /** Accept `"True"`/`"False"` for booleans (Entra without `aadOptscim062020`, scim.md §3.10). */
  stringBooleans: boolean;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function syntax(detail: string): ScimFailure {
  return new ScimFailure(400, detail, { scimType: 'invalidSyntax' });
}

const MONO_VALUED = 'Invalid SCIM Patch: Impossible to search on a mono valued attribute.';

/** `urn:ietf:params:scim:schemas:core:2.0:User:userName` → `userName` (the core URN is implied). */
function stripCoreUrn(kind: ResourceKind, path: string): string {
  const urn = `${definitionOf(kind).id}:`;
  return path.toLowerCase().startsWith(urn.toLowerCase()) ? path.slice(urn.length) : path;
}

/** `emails[type eq "work"].value` → `emails.value`: the attribute a path addresses, without its filters. */
function withoutFilters(path: string): string {
  return path.replace(/\[[^\]]*\]/g, '');
}

/** The part of `path` before its first value filter, when it has one. */
function filteredAttribute(path: string): string | undefined {
  const i = path.indexOf('[');
  return i > 0 ? path.slice(0, i) : undefined;
}

function findNull(v: unknown, path: string): string | undefined {
  if (v === null) return path;
  if (Array.isArray(v)) {
    for (const item of v) {
      const found = findNull(item, path);
      if (found) return found;
    }
  } else if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) {
      const found = findNull(x, `${path}.${k}`);
      if (found) return found;
    }
  }
  return undefined;
}

function typeName(a: Attribute | SchemaDefinition | undefined): string {
  if (!isAttribute(a)) return a ? 'object' : 'string';
  if (a.config.multiValued) return 'array';
  return a.type === 'complex' ? 'object' : a.type === 'boolean' ? 'boolean' : 'string';
}

function lookup(scope: Attribute | SchemaDefinition, key: string): Attribute | SchemaDefinition | undefined {
  if (isAttribute(scope)) return scope.subAttributes?.find((s) => s.name.toLowerCase() === key.toLowerCase());
  try {
    return scope.attribute<Attribute | SchemaDefinition>(key);
  } catch {
    return undefined;
  }
}

/** Entra's string booleans, converted wherever the schema says the target is a boolean. */
function coerceBooleans(v: unknown, target: Attribute | SchemaDefinition | undefined, element = false): unknown {
  if (!target) return v;
  if (isAttribute(target)) {
    if (target.config.multiValued && !element && Array.isArray(v)) return v.map((x) => coerceBooleans(x, target, true));
    if (target.type === 'boolean' && typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
    if (target.type !== 'complex' || !isObj(v)) return v;
  } else if (!isObj(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, coerceBooleans(x, lookup(target, k))]));
}

/** One operation in the form SCIMMY can apply, after the checks of the module comment. */
function normalizeOperation(kind: ResourceKind, id: string, raw: unknown, index: number, opts: PatchOptions): unknown {
  if (!isObj(raw) || typeof raw.op !== 'string') return raw; // SCIMMY's own messages for these
  const op: Operation = { op: raw.op.toLowerCase() };
  const where = `operation ${index}`;
  if (raw.path !== undefined) {
    if (typeof raw.path !== 'string') return raw;
    op.path = stripCoreUrn(kind, raw.path.trim());
    const filtered = filteredAttribute(op.path);
    if (filtered !== undefined) {
      const target = attributeAt(kind, filtered);
      if (isAttribute(target) && !target.config.multiValued) throw syntax(MONO_VALUED);
    }
    const root = withoutFilters(op.path).split('.')[0]!.toLowerCase();
    if (kind === 'User' && root === 'groups') {
      throw new ScimFailure(400, "Attribute 'groups' is readOnly: change memberships through /Groups (RFC 7643 §4.1.2)", {
        scimType: 'mutability',
      });
    }
  }
  if (!('value' in raw)) return op;
  let value = raw.value;
  if (op.op !== 'remove') {
    const nullAt = findNull(value, op.path ?? 'value');
    if (nullAt !== undefined) {
      const target = op.path !== undefined && nullAt === op.path ? attributeAt(kind, withoutFilters(op.path)) : undefined;
      throw syntax(`'${nullAt}' is expected ${typeName(target)}, received null`);
    }
  }
  if (op.path === undefined && isObj(value)) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) {
      const key = stripCoreUrn(kind, k);
      const lower = key.toLowerCase();
      // Okta repeats the resource's own id in a no-path replace (scim.md §3.9): ignore it when unchanged.
      if ((lower === 'id' && v === id) || lower === 'schemas' || lower === 'meta') continue;
      out[key] = opts.stringBooleans ? coerceBooleans(v, attributeAt(kind, key)) : v;
      if (kind === 'Group' && lower === 'members') out[key] = memberInput(v, `${where}.value.members`);
    }
    value = out;
  } else if (op.path !== undefined) {
    if (opts.stringBooleans) value = coerceBooleans(value, attributeAt(kind, withoutFilters(op.path)));
    if (kind === 'Group' && withoutFilters(op.path).toLowerCase() === 'members') {
      const members = memberInput(Array.isArray(value) ? value : [value], `${where}.value`);
      // Entra's legacy removal `{"op":"Remove","path":"members","value":[{"value":"id"}]}` matches on the id only.
      value = op.op === 'remove' ? members.map((m) => ({ value: field(m, 'value') })) : members;
    }
  }
  op.value = value;
  return op;
}

/** RFC 7644 §3.5.2.3: a replace whose value filter (at the end of the path) matches nothing is a 400 noTarget. */
function checkReplaceTarget(data: Obj, op: Operation, index: number): void {
  if (op.op !== 'replace' || op.path === undefined) return;
  const m = /^([^[]+)\[(.*)\]$/.exec(op.path);
  if (!m) return;
  const key = Object.keys(data).find((k) => k.toLowerCase() === m[1]!.toLowerCase());
  const values = key !== undefined && Array.isArray(data[key]) ? (data[key] as unknown[]) : [];
  let matches: unknown[];
  try {
    matches = new SCIMMY.Types.Filter(m[2]!).match(values);
  } catch (e) {
    throw new ScimFailure(400, `Invalid path '${op.path}' for operation ${index}: ${fromScimmy(e)?.message ?? 'bad filter'}`, {
      scimType: 'invalidPath',
    });
  }
  if (matches.length === 0) {
    throw new ScimFailure(400, `Filter '${op.path}' does not match any values for 'replace' op of operation ${index}`, {
      scimType: 'noTarget',
    });
  }
}

function rethrow(e: unknown, index: number): never {
  const failure = fromScimmy(e);
  if (!failure) throw e;
  throw new ScimFailure(failure.status, failure.message.replace(/operation 1 in/, `operation ${index} in`), {
    ...(failure.scimType !== undefined && { scimType: failure.scimType }),
  });
}

/**
 * Applies a PatchOp body to a resource's stored attributes and returns the new attributes (equal to `data` when
 * nothing changed). `data` is never modified.
 */
export async function applyPatch(
  kind: ResourceKind,
  id: string,
  data: Obj,
  body: unknown,
  opts: PatchOptions,
): Promise<Obj> {
  const request = requireObject(body);
  const rawOps = request.Operations;
  const operations = Array.isArray(rawOps) ? rawOps.map((o, i) => normalizeOperation(kind, id, o, i + 1, opts)) : rawOps;
  try {
    // Validates the message as a whole (schemas, op names, add without value, remove without path → noTarget).
    new PatchOp({ ...request, Operations: operations } as ConstructorParameters<typeof PatchOp>[0]);
  } catch (e) {
    rethrow(e, 1);
  }
  const Schema = schemaClass(kind);
  let current: Obj = data;
  for (const [i, op] of (operations as Operation[]).entries()) {
    checkReplaceTarget(current, op, i + 1);
    const resource = new Schema(
      { ...current, schemas: current.schemas ?? [definitionOf(kind).id], id, meta: { resourceType: kind } },
      'out',
    );
    let result: object | undefined;
    try {
      const single = new PatchOp({ schemas: [PatchOp.id], Operations: [op] } as ConstructorParameters<typeof PatchOp>[0]);
      result = await single.apply(resource);
    } catch (e) {
      rethrow(e, i + 1);
    }
    if (result !== undefined) current = storedAttributes(result);
  }
  return current;
}
