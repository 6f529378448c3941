// Normalization into Desired: shorthand and mapping forms, defaults, email identity, positions, file order.

import { describe, expect, it } from 'vitest';
import { parseDesired } from '../../src/config/load.js';
import { DEFAULTS } from '../../src/config/normalize.js';
import { dump, file, ORG_ID } from './helpers.js';

function load(text: string) {
  const r = parseDesired(text, 'f.yaml');
  expect(r.diagnostics, dump(r.diagnostics)).toEqual([]);
  expect(r.desired).toBeDefined();
  return r.desired!;
}

describe('normalize', () => {
  it('fills every default for a minimal file', () => {
    const d = load(file('console'));
    expect(d.organization).toEqual({
      id: ORG_ID,
      kind: 'console',
      provisioning: 'invite',
      credentials: {
        adminKeyEnv: 'ANTHROPIC_ADMIN_KEY',
        scimUrlEnv: 'CLAUDE_SCIM_URL',
        scimTokenEnv: 'CLAUDE_SCIM_TOKEN',
        baseUrlEnv: 'ANTHROPIC_BASE_URL',
        oauthTokenEnv: 'ANTHROPIC_ADMIN_OAUTH_TOKEN',
      },
      pos: { file: 'f.yaml', line: 2, column: 1 },
    });
    expect(d.policy).toEqual({ removals: 'declared', maxRemovals: 10, protected: [], unmanaged: [], apiKeysOfRemovedMembers: 'report', maxRemovalShare: 0.5, undeclared: 'drift', maxReinvites: 3, signOutOnRemoval: false });
    expect(d.members).toEqual([]);
    expect(d.departed).toEqual([]);
    expect(d.workspaces).toEqual([]);
    expect(d.groups).toEqual([]);
    expect(d.scim).toEqual({ deprovision: 'deactivate', groups: [] });
    expect(d.version).toBe(1);
    expect(DEFAULTS.maxRemovals).toBe(10);
  });

  it('overrides each default when written, including max_removals: 0 and base_url_env', () => {
    const d = load(file('enterprise', 'policy:\n  removals: never\n  max_removals: 0\n', '  provisioning: jit\n  credentials:\n    base_url_env: MY_URL\n'));
    expect(d.organization.provisioning).toBe('jit');
    expect(d.organization.credentials.baseUrlEnv).toBe('MY_URL');
    expect(d.organization.credentials.adminKeyEnv).toBe('ANTHROPIC_ADMIN_KEY');
    expect(d.policy.removals).toBe('never');
    expect(d.policy.maxRemovals).toBe(0);
  });

  it('shorthand and mapping forms give the same member', () => {
    const a = load(file('console', 'members:\n  alice@acme.com: developer\n'));
    const b = load(file('console', 'members:\n  alice@acme.com:\n    role: developer\n'));
    const c = load(file('console', 'members:\n  alice@acme.com: { role: developer }\n'));
    const strip = (m: object) => ({ ...m, pos: undefined });
    expect(strip(a.members[0]!)).toEqual({ email: 'alice@acme.com', key: 'alice@acme.com', role: 'developer', pos: undefined });
    expect(strip(b.members[0]!)).toEqual(strip(a.members[0]!));
    expect(strip(c.members[0]!)).toEqual(strip(a.members[0]!));
  });

  it('trims emails, lower-cases the key, keeps the spelling for display', () => {
    const d = load(file('console', [
      'policy:',
      '  protected: [" Owner@Acme.COM "]',
      'members:',
      '  "  Alice@Acme.com ": developer',
      'departed:',
      '  Dave@ACME.com:',
      'workspaces:',
      '  R:',
      '    members:',
      '      ALICE@acme.com: workspace_user',
      '',
    ].join('\n')));
    expect(d.policy.protected).toEqual(['owner@acme.com']);
    // protected globs are kept as patterns, lower-cased, with a Unicode domain in its punycode form
    const g = load(file('console', 'policy:\n  protected: [" *@Founders.Acme.COM ", "*@Bücher.de", jörg@Bücher.de]\n'));
    expect(g.policy.protected).toEqual(['*@founders.acme.com', '*@xn--bcher-kva.de', 'jörg@xn--bcher-kva.de']);
    expect(d.members[0]).toMatchObject({ email: 'Alice@Acme.com', key: 'alice@acme.com' });
    expect(d.departed[0]).toMatchObject({ email: 'Dave@ACME.com', key: 'dave@acme.com' });
    expect(d.workspaces[0]!.members![0]).toMatchObject({ email: 'ALICE@acme.com', key: 'alice@acme.com', role: 'workspace_user' });
  });

  it('empty entries are declared with defaults; membership is unmanaged unless members is written', () => {
    const d = load(file('console', 'members:\n  a@acme.com: user\nworkspaces:\n  Empty:\n  Open: {}\n  Closed:\n    members: {}\n'));
    expect(d.workspaces.map((w) => [w.name, w.archived, w.members])).toEqual([
      ['Empty', false, undefined],
      ['Open', false, undefined],
      ['Closed', false, []],
    ]);
    const e = load(file('enterprise', 'groups:\n  G:\n  H:\n    members: []\nscim:\n  groups:\n    S:\n'));
    expect(e.groups).toEqual([
      { name: 'G', delete: false, pos: { file: 'f.yaml', line: 6, column: 3 } },
      { name: 'H', delete: false, members: [], pos: { file: 'f.yaml', line: 7, column: 3 } },
    ]);
    expect(e.scim.groups).toEqual([{ name: 'S', delete: false, pos: { file: 'f.yaml', line: 11, column: 5 } }]);
  });

  it('keeps file order, also for names a plain object would reorder', () => {
    const d = load(file('console', 'members:\n  z@acme.com: user\n  a@acme.com: user\n  m@acme.com: user\n' +
      'workspaces:\n  Zeta: {}\n  "10": {}\n  "2": {}\n  Alpha: {}\n'));
    expect(d.members.map((m) => m.key)).toEqual(['z@acme.com', 'a@acme.com', 'm@acme.com']);
    expect(d.workspaces.map((w) => w.name)).toEqual(['Zeta', '10', '2', 'Alpha']);
  });

  it('a workspace name written as a number is its text', () => {
    const d = load(file('console', 'workspaces:\n  2024: { display_color: "#aabbcc" }\n'));
    expect(d.workspaces[0]).toMatchObject({ name: '2024', displayColor: '#aabbcc' });
  });

  it('a warning does not withhold Desired', () => {
    const r = parseDesired(file('console', 'members:\n  a@acme.com: !custom user\n'), 'f.yaml');
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'yaml_warning']]);
    expect(r.desired?.members[0]!.role).toBe('user');
  });

  it('positions point at the entry: the key for mappings, the item for lists', () => {
    const text = file('enterprise', 'members:\n  a@acme.com: user\ngroups:\n  G:\n    members:\n      - a@acme.com\n');
    const d = load(text);
    expect(d.members[0]!.pos).toEqual({ file: 'f.yaml', line: 6, column: 3 });
    expect(d.groups[0]!.members![0]!.pos).toEqual({ file: 'f.yaml', line: 10, column: 9 });
  });
});
