// The JSON Schema file itself, and every schema error mapped to its YAML line and a plain message.

import { describe, expect, it } from 'vitest';
import { parseDesired } from '../../src/config/load.js';
import { createAjv, inlineDefinitions, loadSchema } from '../../src/config/schema.js';
import { desiredTopKeys, readYaml } from '../../src/config/yaml-read.js';
import { dump, file, posOf } from './helpers.js';

type Json = Record<string, unknown>;

describe('schemas/claude-reconcile.schema.json', () => {
  it('compiles in ajv strict mode and is a valid draft-07 schema', () => {
    const schema = loadSchema();
    const ajv = createAjv();
    expect(ajv.opts.strict).toBe(true);
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('inlines to an equivalent schema without references (what the loader compiles)', () => {
    const inlined = inlineDefinitions(loadSchema());
    expect(JSON.stringify(inlined)).not.toContain('$ref');
    expect(inlined.definitions).toBeUndefined();
    const ajv = createAjv();
    const validate = ajv.compile(inlined);
    const ok = { version: 1, organization: { id: '8f4c1a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b', kind: 'console' }, members: { 'a@b.co': 'user' } };
    expect(validate(ok)).toBe(true);
    expect(validate({ ...ok, members: { 'a@b.co': { role: 'user', expires: '2027-02-30' } } })).toBe(false);
    expect(validate.errors?.map((e) => e.keyword)).toContain('format');
  });

  it('the top-level keys that make a file a desired-state file are the schema\'s own', () => {
    const keys = Object.keys(loadSchema().properties as Json);
    expect([...desiredTopKeys()].sort()).toEqual([...keys].sort());
    // a file holding any one of them alone is read as a desired-state file (its errors shown), never refused whole
    for (const k of keys) expect(readYaml(`${k === '$schema' ? '"$schema"' : k}: {}\n`, 'one.yaml').notDesired, k).toBeUndefined();
    expect(readYaml('services: {}\n', 'one.yaml').notDesired).toBe(true);
  });

  it('gives every property a description and closes every object', () => {
    const schema = loadSchema();
    const defs = schema.definitions as Record<string, Json>;
    const described = (s: Json): boolean => {
      if (typeof s.description === 'string' && s.description.length > 0) return true;
      const ref = typeof s.$ref === 'string' ? s.$ref.replace('#/definitions/', '') : undefined;
      return ref !== undefined && defs[ref] !== undefined && described(defs[ref]!);
    };
    const missing: string[] = [];
    const open: string[] = [];
    const walk = (s: unknown, where: string): void => {
      if (!s || typeof s !== 'object') return;
      const o = s as Json;
      if (o.properties) {
        if (o.additionalProperties !== false) open.push(where);
        for (const [k, v] of Object.entries(o.properties as Json)) {
          if (!described(v as Json)) missing.push(`${where}.${k}`);
          walk(v, `${where}.${k}`);
        }
      }
      for (const [k, v] of Object.entries(o)) if (k !== 'properties') walk(v, `${where}/${k}`);
    };
    walk(schema, '#');
    expect(missing).toEqual([]);
    expect(open).toEqual([]);
  });
});

interface Case {
  name: string;
  kind?: 'console' | 'enterprise';
  yaml: string;
  /** code, the snippet the diagnostic must point at (with occurrence), and a part of its message */
  expect: { code: string; at: string; nth?: number; msg?: string | RegExp }[];
}

const cases: Case[] = [
  {
    name: 'unknown top-level key, with a suggestion',
    yaml: 'member:\n  alice@acme.com: user\n',
    expect: [{ code: 'unknown_key', at: 'member:', msg: 'member: unknown key; did you mean "members"?' }],
  },
  {
    name: 'unknown policy key',
    yaml: 'policy:\n  max_removal: 3\n',
    expect: [{ code: 'unknown_key', at: 'max_removal', msg: 'policy.max_removal: unknown key; did you mean "max_removals"?' }],
  },
  {
    name: 'misspelt role key: unknown key and missing role',
    yaml: 'members:\n  alice@acme.com:\n    rol: user\n',
    expect: [
      { code: 'missing_key', at: 'alice@acme.com', msg: 'members["alice@acme.com"].role: required key is missing' },
      { code: 'unknown_key', at: 'rol:', msg: 'did you mean "role"?' },
    ],
  },
  {
    name: 'a second version key is a duplicate key (and nothing else is checked)',
    yaml: 'members: {}\nversion: 2\n',
    expect: [{ code: 'duplicate_key', at: 'version: 2' }],
  },
  {
    name: 'shorthand role not in the list, named for the kind',
    yaml: 'members:\n  alice@acme.com: superuser\n',
    expect: [{
      code: 'schema',
      at: 'superuser',
      msg: 'members["alice@acme.com"]: must be one of user, developer, billing, claude_code_user, admin, owner, ' +
        'primary_owner for a console organization (got "superuser")',
    }],
  },
  {
    name: 'role in the mapping form',
    kind: 'enterprise',
    yaml: 'members:\n  alice@acme.com:\n    role: boss\n',
    expect: [{ code: 'schema', at: 'boss', msg: 'must be one of user, managed, owner, membership_admin, primary_owner for an enterprise organization' }],
  },
  {
    name: 'member value of the wrong type',
    yaml: 'members:\n  alice@acme.com: 42\n',
    expect: [{ code: 'schema', at: '42', msg: 'must be a role (for example developer) or a mapping with role, name and expires (got 42)' }],
  },
  {
    name: 'member with nothing',
    yaml: 'members:\n  alice@acme.com:\n',
    expect: [{ code: 'schema', at: 'alice@acme.com', msg: '(got nothing)' }],
  },
  {
    name: 'member mapping without role',
    yaml: 'members:\n  alice@acme.com: { name: Alice }\n',
    expect: [{ code: 'missing_key', at: 'alice@acme.com' }],
  },
  {
    name: 'member key that is not an email',
    yaml: 'members:\n  alice: user\n',
    expect: [{ code: 'invalid_email', at: 'alice:', msg: 'members.alice: not one plain email address: it has no @' }],
  },
  {
    name: 'expires not a calendar date',
    yaml: 'members:\n  alice@acme.com: { role: user, expires: 2027-02-30 }\n  bob@acme.com: { role: user, expires: 2027-3-1 }\n',
    expect: [
      { code: 'invalid_date', at: '2027-02-30', msg: 'members["alice@acme.com"].expires: must be a real calendar date written YYYY-MM-DD (got "2027-02-30")' },
      { code: 'invalid_date', at: '2027-3-1' },
    ],
  },
  {
    name: 'departed date and an unknown departed key',
    yaml: 'departed:\n  dave@acme.com:\n    date: 2026-13-01\n    when: yesterday\n',
    expect: [
      { code: 'invalid_date', at: '2026-13-01' },
      { code: 'unknown_key', at: 'when:' },
    ],
  },
  {
    name: 'policy fields',
    yaml: [
      'policy:',
      '  removals: all',
      '  max_removals: -1',
      '  protected: [owner]',
      '  unmanaged: ["", "  "]',
      '  api_keys_of_removed_members: delete',
      '',
    ].join('\n'),
    expect: [
      { code: 'schema', at: 'all', msg: 'policy.removals: must be one of declared, prune, never (got "all")' },
      { code: 'schema', at: '-1\n', msg: 'policy.max_removals: must be at least 0 (got -1)' },
      { code: 'invalid_email', at: 'owner]', msg: 'policy.protected[0]: "owner" is not one plain email address: it has no @ (policy.protected takes addresses, and globs such as "*@acme.com")' },
      { code: 'schema', at: '""', msg: 'policy.unmanaged[0]: must not be empty' },
      { code: 'schema', at: '"  "', msg: 'policy.unmanaged[1]: must not be empty' },
      { code: 'schema', at: 'delete', msg: 'must be one of report, deactivate' },
    ],
  },
  {
    name: 'max_removals must be a whole number; protected must be a list',
    yaml: 'policy:\n  max_removals: 1.5\n  protected: owner@acme.com\n',
    expect: [
      { code: 'schema', at: '1.5', msg: 'policy.max_removals: must be a whole number (got 1.5)' },
      { code: 'schema', at: 'owner@acme.com', msg: 'policy.protected: must be a list (got "owner@acme.com")' },
    ],
  },
  {
    name: 'display_color unquoted (a YAML comment) and malformed',
    yaml: 'workspaces:\n  A:\n    display_color: #6C5BB9\n  B:\n    display_color: purple\n',
    expect: [
      { code: 'schema', at: 'display_color', msg: 'workspaces.A.display_color: must be a colour written "#RRGGBB" in quotes: an unquoted # starts a YAML comment' },
      { code: 'schema', at: 'purple', msg: 'must be a colour written "#RRGGBB"' },
    ],
  },
  {
    name: 'archived: yes is a string in YAML 1.2',
    yaml: 'workspaces:\n  A:\n    archived: yes\n',
    expect: [{ code: 'schema', at: 'yes', msg: 'workspaces.A.archived: must be true or false (got "yes")' }],
  },
  {
    name: 'workspace roles',
    yaml: [
      'members:',
      '  alice@acme.com: billing',
      '  bob@acme.com: user',
      'workspaces:',
      '  Research:',
      '    members:',
      '      alice@acme.com: workspace_billing',
      '      bob@acme.com: workspace_owner',
      '      carol: workspace_user',
      '',
    ].join('\n'),
    expect: [
      {
        code: 'workspace_billing_not_assignable',
        at: 'workspace_billing',
        msg: 'workspaces.Research.members["alice@acme.com"]: workspace_billing cannot be assigned; it is inherited from the org billing role',
      },
      { code: 'schema', at: 'workspace_owner', msg: 'must be one of workspace_admin, workspace_developer, workspace_restricted_developer, workspace_user' },
      { code: 'invalid_email', at: 'carol:' },
      { code: 'not_a_member', at: 'carol:' },
    ],
  },
  {
    name: 'group members must be a list of emails',
    kind: 'enterprise',
    yaml: 'members:\n  alice@acme.com: user\ngroups:\n  A:\n    members: alice@acme.com\n  B:\n    members: [alice]\n',
    expect: [
      { code: 'schema', at: 'alice@acme.com', nth: 2, msg: 'groups.A.members: must be a list' },
      { code: 'invalid_email', at: 'alice]' },
      { code: 'not_a_member', at: 'alice]' },
    ],
  },
  {
    name: 'scim fields',
    kind: 'enterprise',
    yaml: 'scim:\n  deprovision: remove\n  groups:\n    Eng:\n      externalId: eng\n',
    expect: [
      { code: 'schema', at: 'remove', msg: 'scim.deprovision: must be one of deactivate, delete' },
      { code: 'unknown_key', at: 'externalId', msg: 'scim.groups.Eng.externalId: unknown key; did you mean "external_id"?' },
    ],
  },
];

describe('schema errors: code, line, column, message', () => {
  for (const c of cases) {
    it(c.name, () => {
      const text = file(c.kind ?? 'console', c.yaml);
      const r = parseDesired(text, 'f.yaml');
      expect(r.desired).toBeUndefined();
      const got = r.diagnostics.map((d) => ({ severity: d.severity, code: d.code, line: d.line, column: d.column }));
      const want = c.expect.map((e) => ({ severity: 'error', code: e.code, ...posOf(text, e.at, e.nth) }));
      expect(got, dump(r.diagnostics)).toEqual(want);
      c.expect.forEach((e, i) => {
        if (e.msg === undefined) return;
        const m = r.diagnostics[i]!.message;
        if (typeof e.msg === 'string') expect(m).toContain(e.msg);
        else expect(m).toMatch(e.msg);
      });
      for (const d of r.diagnostics) expect(d.message).not.toMatch(/must NOT have|must match "(then|else)"|allowed values/);
    });
  }

  it('organization: every field is checked, all at once', () => {
    const text = [
      'version: 2',
      'organization:',
      '  id: acme',
      '  kind: consol',
      '  provisioning: email',
      '  credentials:',
      '    admin_key_env: 1KEY',
      '    token: abc',
      '',
    ].join('\n');
    const r = parseDesired(text, 'f.yaml');
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ['schema', ...Object.values(posOf(text, '2'))],
      ['schema', ...Object.values(posOf(text, 'acme'))],
      ['schema', ...Object.values(posOf(text, 'consol'))],
      ['schema', ...Object.values(posOf(text, 'email'))],
      ['schema', ...Object.values(posOf(text, '1KEY'))],
      ['unknown_key', ...Object.values(posOf(text, 'token'))],
    ]);
    expect(r.diagnostics[0]!.message).toBe('version: must be 1 (got 2)');
    expect(r.diagnostics[1]!.message).toContain("organization.id: must be the organization's UUID");
    expect(r.diagnostics[4]!.message).toContain('must be the name of an environment variable');
  });

  it('a missing organization is reported, and kind-dependent checks are skipped', () => {
    const text = 'version: 1\ngroups:\n  A: {}\n';
    const r = parseDesired(text, 'f.yaml');
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['missing_key', 'organization: required key is missing'],
    ]);
  });

  it('a file that is not a mapping is not a desired-state file, and nothing of it is quoted', () => {
    const r = parseDesired('- a\n- b\n', 'f.yaml');
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['not_desired_state', 1, 1]]);
    expect(r.diagnostics[0]!.message).toBe(
      'f.yaml is not a claude-reconcile desired-state file (expected a YAML mapping with `version: 1`); nothing of it is shown');
  });

  it('a mapping with version or any key of the format is read as one (and its own values are quoted)', () => {
    const r = parseDesired('members:\n  a@acme.com: wizard\n', 'f.yaml');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['missing_key', 'missing_key', 'schema']);
    expect(r.diagnostics[2]!.message).toContain('(got "wizard")');
  });
});

describe('a file with very many schema problems', () => {
  it('reports the first 1,000 one by one and counts the rest', () => {
    const members = Array.from({ length: 1500 }, (_, i) => `  u${i}@acme.com: wizard`).join('\n');
    const text = `version: 1\norganization:\n  id: 8f4c1a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b\n  kind: console\nmembers:\n${members}\n`;
    const { desired, diagnostics } = parseDesired(text, 'many.yaml');
    expect(desired).toBeUndefined();
    expect(diagnostics.filter((d) => d.message.includes('must be one of'))).toHaveLength(1000);
    expect(diagnostics.filter((d) => d.message.startsWith('… and more schema problems'))).toHaveLength(1);
  });
});
