// Writes the per-kind part of schemas/plan.schema.json from the typed changes of src/model/kinds.ts (issue 16): the
// kinds (`$defs.kind`), each kind's attributes (`$defs.<kind>_attrs`) and the `allOf` that holds a change's
// `before`/`after` to its kind's. Everything else in the schema is written by hand and kept as it is.
//
//   npm run schemas           rewrite the file
//   npm run schemas -- --check  exit 1, naming what differs, when the file is not what kinds.ts says
//
// test/model/kinds-schema.test.ts checks the same agreement on every test run.

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

const root = new URL('../', import.meta.url);
const schemaPath = fileURLToPath(new URL('schemas/plan.schema.json', root));

/** `ServiceAccountWorkspaceAttrs` → `service_account_workspace_attrs` */
const defName = (typeName) => typeName.replace(/Attrs$/, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase() + '_attrs';

const generated = createGenerator({
  path: fileURLToPath(new URL('src/model/kinds.ts', root)),
  type: 'KindAttrs',
  skipTypeCheck: true,
  expose: 'export',
  topRef: false,
  additionalProperties: false,
  jsDoc: 'none',
}).createSchema('KindAttrs');

/** A generated `$ref` (`#/definitions/MemberAttrs`) as the plan schema names it (`#/$defs/member_attrs`). */
function refs(s) {
  const one = (x) => {
    if (typeof x.$ref !== 'string') throw new Error(`plan-schema: an attribute type must be a named, exported type: ${JSON.stringify(x)}`);
    return { $ref: `#/$defs/${defName(x.$ref.replace('#/definitions/', ''))}` };
  };
  return s.anyOf ? s.anyOf.map(one) : [one(s)];
}

const kinds = Object.keys(generated.properties);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
const defs = schema.$defs;
const next = { ...defs, kind: { ...defs.kind, enum: kinds } };
for (const name of Object.keys(next)) if (name.endsWith('_attrs')) delete next[name];
for (const [typeName, def] of Object.entries(generated.definitions)) next[defName(typeName)] = def;
next.change = {
  ...defs.change,
  allOf: kinds.map((kind) => {
    const { before, after } = generated.properties[kind].properties;
    return {
      if: { properties: { kind: { const: kind } } },
      then: {
        properties: {
          before: { anyOf: [{ type: 'null' }, ...refs(before)] },
          after: { anyOf: [{ type: 'null' }, ...refs(after)] },
        },
      },
    };
  }),
};
schema.$defs = next;
const text = `${JSON.stringify(schema, null, 2)}\n`;

if (process.argv.includes('--check')) {
  if (readFileSync(schemaPath, 'utf8') !== text) {
    console.error('schemas/plan.schema.json is not what src/model/kinds.ts says: run `npm run schemas`');
    process.exit(1);
  }
  console.log('schemas/plan.schema.json agrees with src/model/kinds.ts');
} else {
  writeFileSync(schemaPath, text);
  console.log(`schemas/plan.schema.json: ${kinds.length} kinds written from src/model/kinds.ts`);
}
