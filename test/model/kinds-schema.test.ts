// The typed change of each kind (src/model/kinds.ts) and the plan's JSON Schema agree (issue 16): the schema's
// per-kind `before`/`after` are what ts-json-schema-generator makes of `KindAttrs`, so a kind added to the model
// without its schema, or an attribute changed on one side only, fails here. And the schema checks them: a saved
// plan whose attributes do not fit its kind is refused before anything reads them.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { createGenerator } from 'ts-json-schema-generator';
import { describe, expect, it } from 'vitest';
import { RESOURCE_KINDS } from '../../src/model/kinds.js';
import { plan } from '../../src/planner/index.js';
import { desiredOf, invite, keeper, KEEPER_MEMBER, liveOf, NOW, user, workspace } from '../builders.js';

type Schema = Record<string, unknown>;

const planSchema = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')) as { $defs: Record<string, Schema> };

/** The schema with every local `$ref` replaced by what it names. */
function resolveRefs(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(resolveRefs);
  if (s === null || typeof s !== 'object') return s;
  const ref = (s as { $ref?: string }).$ref;
  if (ref !== undefined) return resolveRefs(planSchema.$defs[ref.replace('#/$defs/', '')]);
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, resolveRefs(v)]));
}

/** `before`/`after` of a kind, as the plan schema constrains them. */
function schemaOf(kind: string): { before: unknown; after: unknown } | undefined {
  const entries = (planSchema.$defs.change!.allOf ?? []) as Array<{ if: { properties: { kind: { const: string } } }; then: { properties: { before: unknown; after: unknown } } }>;
  const e = entries.find((x) => x.if.properties.kind.const === kind);
  return e ? (resolveRefs(e.then.properties) as { before: unknown; after: unknown }) : undefined;
}

describe('the plan schema and model/kinds.ts', () => {
  const generated = createGenerator({
    path: new URL('../../src/model/kinds.ts', import.meta.url).pathname,
    type: 'KindAttrs',
    skipTypeCheck: true,
    expose: 'none',
    topRef: false,
    additionalProperties: false,
    jsDoc: 'none',
  }).createSchema('KindAttrs') as { properties: Record<string, { properties: { before: Schema; after: Schema } }> };

  const nullOr = (s: Schema) => ({ anyOf: [{ type: 'null' }, ...((s.anyOf as Schema[] | undefined) ?? [s])] });

  it.each(RESOURCE_KINDS)('%s: the schema holds the attributes of the typed change', (kind) => {
    const g = generated.properties[kind];
    expect(g, `KindAttrs has no ${kind}`).toBeDefined();
    expect(schemaOf(kind), `schemas/plan.schema.json has no before/after for ${kind}`).toEqual({ before: nullOr(g!.properties.before), after: nullOr(g!.properties.after) });
  }, 60_000);

  it('is byte for byte what `npm run schemas` writes from the model', () => {
    const script = new URL('../../scripts/plan-schema.mjs', import.meta.url).pathname;
    // exits 1 (and execFileSync throws) when the committed file differs from what the script would write
    expect(execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8', timeout: 60_000 })).toContain('agrees');
  }, 90_000);

  it('names no kind the model does not have', () => {
    const entries = (planSchema.$defs.change!.allOf ?? []) as Array<{ if: { properties: { kind: { const: string } } } }>;
    expect(entries.map((e) => e.if.properties.kind.const).sort()).toEqual([...RESOURCE_KINDS].sort());
  });
});

describe('the plan schema checks each kind\'s attributes', () => {
  const validate = new Ajv2020.default({ strict: true, allErrors: true }).compile(planSchema);
  const p = JSON.parse(JSON.stringify(plan(
    desiredOf({ members: { ...KEEPER_MEMBER, 'a@acme.com': 'developer', 'n@acme.com': 'user' },
      workspaces: { Research: { members: { 'a@acme.com': 'workspace_developer' } } } }),
    liveOf({ users: [keeper(), user('a@acme.com', 'user')], invites: [invite('x@acme.com', 'user')], workspaces: [workspace('Research')], workspaceMembers: [] }),
    { now: NOW },
  ))) as { changes: Array<{ kind: string; after: Record<string, unknown> | null }> };

  it('a plan as the planner makes it is valid', () => {
    expect(p.changes.map((c) => c.kind)).toEqual(expect.arrayContaining(['member', 'invite', 'workspace_member']));
    expect(validate(p), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['a role that is not a string', (c: { after: Record<string, unknown> }) => { c.after.role = 5; }],
    ['an attribute the kind does not have', (c: { after: Record<string, unknown> }) => { c.after.rol = 'admin'; }],
    ['a required attribute missing', (c: { after: Record<string, unknown> }) => { delete c.after.role; }],
  ])('%s is refused', (_what, edit) => {
    const bad = structuredClone(p);
    const c = bad.changes.find((x) => x.kind === 'member' && x.after)!;
    edit(c as { after: Record<string, unknown> });
    expect(validate(bad)).toBe(false);
  });
});
