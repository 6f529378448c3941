// `filter=` on GET /Users and /Groups (RFC 7644 §3.4.2.2; scim.md §3.4). SCIMMY's Filter does the parsing and the
// matching; this module is the thin layer around it that SCIMMY does not provide:
//   - an allow-list of filterable attributes (unknown ones → 400 invalidFilter) and of operators: eq ne co sw ew pr,
//     with and, or, not, grouping and value paths such as `members[value eq "…"]` (the subset scim.md §3.4
//     recommends); gt/ge/lt/le → 400 invalidFilter;
//   - case rules: SCIMMY compares strings exactly, but userName, displayName, emails and names are caseExact=false
//     (RFC 7643 §4.1.1), so both the filter values and the projected resources of those attributes are lower-cased;
//     `id`, `externalId` and `members.value` stay exact;
//   - checks SCIMMY skips (a comparison with no value, a value of the wrong type) and one it gets wrong: it rewrites
//     `not (a and b)` as `not a and not b`, so `not` over a compound group is refused rather than answered wrongly.
// A filter that matches nothing is a 200 with totalResults 0 (RFC 7644 §3.4.2), decided by the caller.

import SCIMMY from 'scimmy';
import { ScimFailure, fromScimmy } from './failure.js';
import type { ResourceKind } from './schemas.js';

interface FilterAttribute {
  name: string;
  type: 'string' | 'boolean' | 'complex';
  caseExact?: boolean;
  subs?: Record<string, FilterAttribute>;
}

function table(list: FilterAttribute[]): Record<string, FilterAttribute> {
  return Object.fromEntries(list.map((a) => [a.name.toLowerCase(), a]));
}

const str = (name: string, caseExact = false): FilterAttribute => ({ name, type: 'string', caseExact });

const USER_ATTRIBUTES = table([
  str('id', true),
  str('externalId', true),
  str('userName'),
  str('displayName'),
  { name: 'active', type: 'boolean' },
  { name: 'emails', type: 'complex', subs: table([str('value'), str('type'), { name: 'primary', type: 'boolean' }]) },
  { name: 'name', type: 'complex', subs: table([str('givenName'), str('familyName'), str('formatted')]) },
]);

const GROUP_ATTRIBUTES = table([
  str('id', true),
  str('externalId', true),
  str('displayName'),
  { name: 'members', type: 'complex', subs: table([str('value', true), str('display'), str('type')]) },
]);

const OPERATORS = ['eq', 'ne', 'co', 'sw', 'ew', 'pr'];

function invalid(detail: string): ScimFailure {
  return new ScimFailure(400, detail, { scimType: 'invalidFilter' });
}

/** The attributes a filter can see, with caseExact=false values lower-cased (see the module comment). */
export type Projection = Record<string, unknown>;

const lower = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);

export function userProjection(id: string, data: Record<string, unknown>): Projection {
  const name = (data.name ?? {}) as Record<string, unknown>;
  const emails = Array.isArray(data.emails) ? (data.emails as Array<Record<string, unknown>>) : [];
  return {
    id,
    externalId: data.externalId,
    userName: lower(data.userName),
    displayName: lower(data.displayName),
    active: data.active !== false,
    emails: emails.map((e) => ({ value: lower(e.value), type: lower(e.type), primary: e.primary })),
    name: { givenName: lower(name.givenName), familyName: lower(name.familyName), formatted: lower(name.formatted) },
  };
}

export function groupProjection(id: string, data: Record<string, unknown>): Projection {
  const members = Array.isArray(data.members) ? (data.members as Array<Record<string, unknown>>) : [];
  return {
    id,
    externalId: data.externalId,
    displayName: lower(data.displayName),
    members: members.map((m) => ({ value: m.value, display: lower(m.display), type: lower(m.type) })),
  };
}

/** Refuses `not ( … and|or … )`, which SCIMMY evaluates wrongly (it distributes `not` without De Morgan). */
function rejectCompoundNot(expression: string): void {
  const bare = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const re = /\bnot\s*\(/gi;
  for (let m = re.exec(bare); m; m = re.exec(bare)) {
    let depth = 0;
    let end = bare.length;
    for (let i = m.index + m[0].length - 1; i < bare.length; i++) {
      if (bare[i] === '(') depth++;
      else if (bare[i] === ')' && --depth === 0) {
        end = i;
        break;
      }
    }
    if (/\b(and|or)\b/i.test(bare.slice(m.index + m[0].length, end))) {
      throw invalid("'not' over a group that contains 'and' or 'or' is not supported; apply 'not' to each comparison");
    }
  }
}

type Leaf = unknown[];

function normalizeLeaf(leaf: Leaf, attr: FilterAttribute, path: string): Leaf {
  const negate = typeof leaf[0] === 'string' && leaf[0].toLowerCase() === 'not';
  const [rawOp, value] = negate ? leaf.slice(1) : leaf;
  const op = typeof rawOp === 'string' ? rawOp.toLowerCase() : '';
  if (!OPERATORS.includes(op)) {
    throw invalid(`Operator '${String(rawOp)}' is not supported (supported: ${OPERATORS.join(', ')}, and, or, not)`);
  }
  let out: unknown = value;
  if (op === 'pr') {
    if (value !== undefined) throw invalid(`'pr' takes no value (on '${path}')`);
  } else if (value === undefined) {
    throw invalid(`Missing comparison value for '${path} ${op}'`);
  } else if (attr.type === 'boolean') {
    const isBool = typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value));
    if (!isBool || (op !== 'eq' && op !== 'ne')) throw invalid(`'${path}' is a boolean: use eq or ne with true or false`);
  } else if (typeof value !== 'string' && !(value === null && (op === 'eq' || op === 'ne'))) {
    throw invalid(`'${path}' is a string: compare it with a quoted value`);
  } else if (!attr.caseExact) out = lower(value);
  const tail = op === 'pr' ? [op] : [op, out];
  return negate ? ['not', ...tail] : tail;
}

function normalizeBranch(
  branch: Record<string, unknown>,
  attributes: Record<string, FilterAttribute>,
  prefix: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, expr] of Object.entries(branch)) {
    const path = `${prefix}${key}`;
    const attr = attributes[key.toLowerCase()];
    if (!attr) throw invalid(`Filtering on '${path}' is not supported`);
    if (Array.isArray(expr)) {
      if (attr.type === 'complex') throw invalid(`'${path}' is complex: filter on a sub-attribute, e.g. ${path}[value eq "…"]`);
      const nested = expr.every(Array.isArray);
      const leaves = (nested ? expr : [expr]) as Leaf[];
      const normalized = leaves.map((l) => normalizeLeaf(l, attr, path));
      out[attr.name] = nested ? normalized : normalized[0];
    } else if (expr && typeof expr === 'object') {
      if (attr.type !== 'complex' || !attr.subs) throw invalid(`'${path}' has no sub-attributes`);
      out[attr.name] = normalizeBranch(expr as Record<string, unknown>, attr.subs, `${path}.`);
    } else {
      throw invalid(`Cannot read the filter at '${path}'`);
    }
  }
  return out;
}

/** Compiles `filter=`; every problem is a 400 `invalidFilter`. */
export function compileFilter(expression: string, kind: ResourceKind): (p: Projection) => boolean {
  if (expression.trim() === '') throw invalid('The filter is empty');
  rejectCompoundNot(expression);
  let parsed: SCIMMY.Types.Filter;
  try {
    parsed = new SCIMMY.Types.Filter(expression);
  } catch (e) {
    throw invalid(fromScimmy(e)?.message ?? `Cannot parse the filter '${expression}'`);
  }
  const attributes = kind === 'User' ? USER_ATTRIBUTES : GROUP_ATTRIBUTES;
  const branches = [...parsed].map((b) => normalizeBranch(b as Record<string, unknown>, attributes, ''));
  let filter: SCIMMY.Types.Filter;
  try {
    filter = new SCIMMY.Types.Filter(branches);
  } catch (e) {
    throw invalid(fromScimmy(e)?.message ?? `Cannot use the filter '${expression}'`);
  }
  return (p) => {
    try {
      return filter.match([p]).length > 0;
    } catch {
      return false;
    }
  };
}
