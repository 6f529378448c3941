// Cross-checks: rules between parts of the file. Each case asserts code, severity, line and column of every
// diagnostic, in the order the loader sorts them (by position).

import { describe, expect, it } from 'vitest';
import { parseDesired } from '../../src/config/load.js';
import { dump, file, posOf } from './helpers.js';

interface Want {
  code: string;
  at: string;
  nth?: number;
  severity?: 'error' | 'warning';
  msg?: string;
}

interface Case {
  name: string;
  kind?: 'console' | 'enterprise';
  org?: string;
  yaml: string;
  expect: Want[];
}

const MEMBERS = 'members:\n  alice@acme.com: developer\n  bob@acme.com: user\n';
const EMEMBERS = 'members:\n  alice@acme.com: user\n  bob@acme.com: managed\n';
const long = (n: number): string => 'x'.repeat(n);

const cases: Case[] = [
  // the same person twice, reported at both lines
  {
    name: 'members differing only by case',
    yaml: 'members:\n  Alice@acme.com: user\n  bob@acme.com: user\n  alice@ACME.com: developer\n',
    expect: [
      { code: 'duplicate_email', at: 'Alice@acme.com', msg: 'members["Alice@acme.com"]: the same person as "alice@ACME.com" on line 8' },
      { code: 'duplicate_email', at: 'alice@ACME.com', msg: 'on line 6' },
    ],
  },
  {
    name: 'members differing only by surrounding spaces',
    yaml: 'members:\n  " alice@acme.com": user\n  alice@acme.com: user\n',
    expect: [
      { code: 'duplicate_email', at: '" alice' },
      { code: 'duplicate_email', at: 'alice@acme.com: user', msg: 'members["alice@acme.com"]: listed more than once (also on line 6)' },
    ],
  },
  {
    name: 'departed differing only by case',
    yaml: 'departed:\n  dave@acme.com:\n  Dave@acme.com: { reason: left }\n',
    expect: [
      { code: 'duplicate_email', at: 'dave@acme.com' },
      { code: 'duplicate_email', at: 'Dave@acme.com' },
    ],
  },
  {
    name: 'protected listed twice',
    yaml: 'policy:\n  protected:\n    - Owner@acme.com\n    - owner@ACME.com\n',
    expect: [
      { code: 'duplicate_email', at: 'Owner@acme.com', msg: 'policy.protected: "Owner@acme.com" is the same person as "owner@ACME.com"' },
      { code: 'duplicate_email', at: 'owner@ACME.com' },
    ],
  },
  {
    name: "a workspace's members differing only by case",
    yaml: `${MEMBERS}workspaces:\n  Research:\n    members:\n      alice@acme.com: workspace_user\n      ALICE@acme.com: workspace_admin\n`,
    expect: [
      { code: 'duplicate_email', at: 'alice@acme.com: workspace_user', msg: 'workspaces.Research.members["alice@acme.com"]: the same person' },
      { code: 'duplicate_email', at: 'ALICE@acme.com' },
    ],
  },
  {
    name: "a group's and a SCIM group's members listed twice",
    kind: 'enterprise',
    yaml: `${EMEMBERS}groups:\n  Platform:\n    members: [alice@acme.com, ALICE@acme.com]\n` +
      'scim:\n  groups:\n    Eng:\n      members:\n        - bob@acme.com\n        - bob@acme.com\n',
    expect: [
      { code: 'duplicate_email', at: 'alice@acme.com,' },
      { code: 'duplicate_email', at: 'ALICE@acme.com]' },
      { code: 'duplicate_email', at: 'bob@acme.com', nth: 2, msg: 'scim.groups.Eng.members: "bob@acme.com" is listed more than once (also on line 16)' },
      { code: 'duplicate_email', at: 'bob@acme.com', nth: 3 },
    ],
  },
  // people in two roles at once
  {
    name: 'a member who is also departed',
    yaml: `${MEMBERS}departed:\n  Alice@acme.com: { reason: left }\n`,
    expect: [{ code: 'member_departed', at: 'Alice@acme.com', msg: 'departed["Alice@acme.com"]: also declared under members (line 6)' }],
  },
  {
    name: 'protected and departed at once',
    yaml: 'policy:\n  protected: [dave@acme.com]\ndeparted:\n  DAVE@acme.com:\n',
    expect: [{ code: 'protected_departed', at: 'dave@acme.com', msg: 'policy.protected: "dave@acme.com" is also listed under departed (line 8)' }],
  },
  {
    name: 'a departed person matched by a protected glob (case-insensitive) would never be removed',
    yaml: 'policy:\n  protected: ["*@Founders.acme.com", owner@acme.com]\ndeparted:\n  zed@founders.ACME.com:\n  amy@acme.com:\n',
    expect: [{
      code: 'protected_departed',
      at: 'zed@',
      msg: 'departed["zed@founders.ACME.com"]: matches the protected pattern "*@Founders.acme.com" (line 6); a protected ' +
        'person is never removed, so this departure would never happen',
    }],
  },
  {
    name: 'a protected glob that matches everyone is refused, and one that cannot be read',
    yaml: 'policy:\n  protected: ["*", "**", "*@*", "*@acme.com", "*@\u0430cme.com", "*@con\u200btractors.acme.com"]\n',
    expect: [
      { code: 'invalid_glob', at: '"*"', msg: 'policy.protected[0]: "*" matches every address, so nobody could ever be removed' },
      { code: 'invalid_glob', at: '"**"' },
      { code: 'invalid_glob', at: '"*@*"' },
      { code: 'invalid_glob', at: '"*@\u0430', msg: 'policy.protected[4]: "*@\\u0430cme.com" is not a usable pattern: it contains U+0430 CYRILLIC SMALL LETTER A mixed with Latin letters' },
      { code: 'invalid_glob', at: '"*@con', msg: 'policy.protected[5]: "*@con\\u200btractors.acme.com" is not a usable pattern: it contains an invisible character U+200B ZERO WIDTH SPACE' },
    ],
  },
  {
    name: 'a protected glob must name its domain (wildcards before the @ or in subdomains)',
    yaml: 'policy:\n  protected: ["*@*.com", "*@acme.*", "*acme.com", "*@*.acme.com", "ceo+*@acme.com"]\n',
    expect: [
      { code: 'invalid_glob', at: '"*@*.com"', msg: 'policy.protected[0]: "*@*.com" does not name a domain: wildcards belong before the @ or in subdomains' },
      { code: 'invalid_glob', at: '"*@acme.*"' },
      { code: 'invalid_glob', at: '"*acme.com"', msg: 'policy.protected[2]: "*acme.com" has no single @ before a domain' },
    ],
  },
  {
    name: 'an unmanaged glob with an invisible character would hide nobody: refused',
    yaml: 'policy:\n  unmanaged: ["*@contractors.acme.com\u200b"]\n',
    expect: [{ code: 'invalid_glob', at: '"*@', msg: 'policy.unmanaged[0]: "*@contractors.acme.com\\u200b" is not a usable pattern: it contains an invisible character U+200B ZERO WIDTH SPACE' }],
  },
  {
    name: 'a declared member matching an unmanaged glob (case-insensitive), and a departed one',
    yaml: 'policy:\n  unmanaged: ["*@contractors.acme.com"]\nmembers:\n  Eve@Contractors.Acme.com: user\n' +
      'departed:\n  zed@contractors.acme.com:\n',
    expect: [
      { code: 'member_unmanaged', at: 'Eve@', msg: 'matches the unmanaged pattern "*@contractors.acme.com"' },
      { code: 'departed_unmanaged', at: 'zed@' },
    ],
  },
  // roles and kinds
  {
    name: 'a role of the other kind (shorthand, console)',
    yaml: 'members:\n  alice@acme.com: managed\n',
    expect: [{
      code: 'role_not_valid_for_kind',
      at: 'managed',
      msg: 'members["alice@acme.com"].role: managed is not a role of a console organization; valid roles: user, ' +
        'developer, billing, claude_code_user, admin, owner, primary_owner',
    }],
  },
  {
    name: 'a role of the other kind (mapping form, enterprise)',
    kind: 'enterprise',
    yaml: 'members:\n  alice@acme.com:\n    name: Alice\n    role: developer\n  bob@acme.com: admin\n',
    expect: [
      { code: 'role_not_valid_for_kind', at: 'developer', msg: 'valid roles: user, managed, owner, membership_admin, primary_owner' },
      { code: 'role_not_valid_for_kind', at: 'admin' },
    ],
  },
  {
    name: 'workspaces on an enterprise org',
    kind: 'enterprise',
    yaml: 'workspaces:\n  Research: {}\n',
    expect: [{ code: 'not_for_kind', at: 'workspaces:', msg: 'workspaces: only console organizations have workspaces' }],
  },
  {
    name: 'groups and scim on a console org, and scim provisioning',
    org: '  provisioning: scim\n',
    yaml: 'groups:\n  Platform: {}\nscim:\n  deprovision: delete\n',
    expect: [
      { code: 'not_for_kind', at: 'scim\n', msg: 'organization.provisioning: scim needs an enterprise organization' },
      { code: 'not_for_kind', at: 'groups:' },
      { code: 'not_for_kind', at: 'scim:' },
    ],
  },
  // workspaces
  {
    name: 'workspace names: empty, too long, Default in any case',
    yaml: `workspaces:\n  "": {}\n  ${long(41)}: {}\n  ${long(40)}: {}\n  DEFAULT:\n`,
    expect: [
      { code: 'invalid_name', at: '""', msg: 'a workspace name must be 1 to 40 characters (this one has 0)' },
      { code: 'invalid_name', at: long(41) },
      { code: 'default_workspace', at: 'DEFAULT', msg: 'the Default Workspace cannot be declared' },
    ],
  },
  {
    name: 'two workspaces with the same name in different case',
    yaml: 'workspaces:\n  Research: {}\n  research:\n',
    expect: [
      { code: 'duplicate_name', at: 'Research' },
      { code: 'duplicate_name', at: 'research', msg: 'workspaces.research: the same workspace as "Research" on line 6' },
    ],
  },
  {
    name: 'renamed_from: another declared workspace, itself, the same old name twice, the Default Workspace',
    yaml: 'workspaces:\n  Lab: {}\n  Research:\n    renamed_from: lab\n  Self:\n    renamed_from: Self\n' +
      '  A:\n    renamed_from: Old\n  B:\n    renamed_from: old\n  C:\n    renamed_from: Default\n',
    expect: [
      { code: 'rename_conflict', at: 'renamed_from', msg: 'workspaces.Research.renamed_from: "lab" is itself declared (line 6)' },
      { code: 'rename_conflict', at: 'renamed_from', nth: 2, msg: 'names the workspace itself' },
      { code: 'rename_conflict', at: 'renamed_from', nth: 3, msg: '"B" (line 13) is renamed from the same name' },
      { code: 'rename_conflict', at: 'renamed_from', nth: 4 },
      { code: 'default_workspace', at: 'renamed_from', nth: 5, msg: 'the Default Workspace cannot be renamed' },
    ],
  },
  {
    name: 'more than 100 non-archived workspaces',
    yaml: `workspaces:\n${Array.from({ length: 101 }, (_, i) => `  W${i}: {}\n`).join('')}`,
    expect: [{ code: 'too_many_workspaces', at: 'workspaces:', msg: 'workspaces: 101 workspaces are not archived; an organization can have at most 100' }],
  },
  {
    name: "a workspace's members must be declared; a departed one is named as such",
    yaml: `${MEMBERS}departed:\n  dave@acme.com:\nworkspaces:\n  Research:\n    members:\n      alice@acme.com: workspace_user\n` +
      '      Dave@acme.com: workspace_user\n      zed@acme.com: workspace_admin\n',
    expect: [
      { code: 'not_a_member', at: 'Dave@acme.com', msg: 'workspaces.Research.members["Dave@acme.com"]: is listed under departed (line 9); remove it here' },
      { code: 'not_a_member', at: 'zed@acme.com', msg: 'workspaces.Research.members["zed@acme.com"]: is not declared under members' },
    ],
  },
  // groups and SCIM groups
  {
    name: 'group names: empty and too long; 255 is fine',
    kind: 'enterprise',
    yaml: `groups:\n  "": {}\n  ${long(256)}: {}\n  ${long(255)}: {}\nscim:\n  groups:\n    ${long(256)}:\n`,
    expect: [
      { code: 'invalid_name', at: '""', msg: 'a group name must be 1 to 255 characters' },
      { code: 'invalid_name', at: long(256) },
      { code: 'invalid_name', at: long(256), nth: 2, msg: 'a SCIM group name must be 1 to 255 characters (this one has 256)' },
    ],
  },
  {
    name: 'group and SCIM group names equal but for case, and renames',
    kind: 'enterprise',
    yaml: 'groups:\n  Platform: {}\n  platform: {}\n  New:\n    renamed_from: PLATFORM\nscim:\n  groups:\n    Eng: {}\n    ENG: {}\n',
    expect: [
      { code: 'duplicate_name', at: 'Platform' },
      { code: 'duplicate_name', at: 'platform' },
      { code: 'rename_conflict', at: 'renamed_from' },
      { code: 'duplicate_name', at: 'Eng' },
      { code: 'duplicate_name', at: 'ENG', msg: 'the same SCIM group as "Eng"' },
    ],
  },
  {
    name: "group and SCIM group members must be declared",
    kind: 'enterprise',
    yaml: `${EMEMBERS}departed:\n  dave@acme.com:\ngroups:\n  Platform:\n    members: [alice@acme.com, dave@acme.com]\n` +
      'scim:\n  groups:\n    Eng:\n      members: [zed@acme.com]\n',
    expect: [
      { code: 'not_a_member', at: 'dave@acme.com]', msg: 'groups.Platform.members: "dave@acme.com" is listed under departed (line 9)' },
      { code: 'not_a_member', at: 'zed@acme.com', msg: 'scim.groups.Eng.members: "zed@acme.com" is not declared under members' },
    ],
  },
  {
    name: 'a deleted group or SCIM group with members',
    kind: 'enterprise',
    yaml: `${EMEMBERS}groups:\n  Old:\n    delete: true\n    members: [alice@acme.com]\n` +
      'scim:\n  groups:\n    Gone:\n      delete: true\n      members: []\n',
    expect: [
      { code: 'delete_with_members', at: 'members: [alice', msg: 'groups.Old.members: a group marked delete: true cannot list members' },
      { code: 'delete_with_members', at: 'members: []' },
    ],
  },
  {
    name: 'an archived workspace with members is a warning',
    yaml: `${MEMBERS}workspaces:\n  Old:\n    archived: true\n    members:\n      alice@acme.com: workspace_user\n`,
    expect: [{ code: 'archived_with_members', severity: 'warning', at: 'members:', nth: 2, msg: 'workspaces.Old.members: ignored, because the workspace is archived' }],
  },
];

describe('cross-checks', () => {
  for (const c of cases) {
    it(c.name, () => {
      const text = file(c.kind ?? 'console', c.yaml, c.org);
      const r = parseDesired(text, 'f.yaml');
      const got = r.diagnostics.map((d) => ({ severity: d.severity, code: d.code, line: d.line, column: d.column, file: d.file }));
      const want = c.expect.map((e) => ({
        severity: e.severity ?? 'error',
        code: e.code,
        ...posOf(text, e.at, e.nth),
        file: 'f.yaml',
      }));
      expect(got, dump(r.diagnostics)).toEqual(want);
      c.expect.forEach((e, i) => {
        if (e.msg !== undefined) expect(r.diagnostics[i]!.message).toContain(e.msg);
      });
      const errors = c.expect.some((e) => (e.severity ?? 'error') === 'error');
      expect(r.desired === undefined).toBe(errors);
    });
  }

  it('a malformed members section does not make every membership "not a member" too', () => {
    const text = file('console', 'members: [alice@acme.com]\nworkspaces:\n  R:\n    members:\n      alice@acme.com: workspace_user\n');
    const r = parseDesired(text, 'f.yaml');
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['schema', 5]]);
  });

  it('keep-only roles may be declared for their kind', () => {
    const c = parseDesired(file('console', 'members:\n  a@acme.com: admin\n  b@acme.com: owner\n  c@acme.com: primary_owner\n'), 'f');
    expect(c.diagnostics).toEqual([]);
    const e = parseDesired(file('enterprise', 'members:\n  a@acme.com: owner\n  b@acme.com: membership_admin\n  c@acme.com: managed\n'), 'f');
    expect(e.diagnostics).toEqual([]);
  });

  it('100 active workspaces plus archived ones are fine', () => {
    const ws = Array.from({ length: 100 }, (_, i) => `  W${i}: {}\n`).join('') +
      Array.from({ length: 5 }, (_, i) => `  Gone${i}: { archived: true }\n`).join('');
    const r = parseDesired(file('console', `workspaces:\n${ws}`), 'f');
    expect(r.diagnostics).toEqual([]);
    expect(r.desired!.workspaces).toHaveLength(105);
  });

  it('an archived workspace keeps no members in Desired', () => {
    const r = parseDesired(file('console', `${MEMBERS}workspaces:\n  Old:\n    archived: true\n    members:\n      alice@acme.com: workspace_user\n`), 'f');
    expect(r.desired!.workspaces[0]).toEqual({ name: 'Old', archived: true, pos: { file: 'f', line: 9, column: 3 } });
  });

  it('a leap day is a date, 29 February of another year is not', () => {
    const ok = parseDesired(file('console', 'members:\n  a@acme.com: { role: user, expires: 2028-02-29 }\n'), 'f');
    expect(ok.diagnostics).toEqual([]);
    const bad = parseDesired(file('console', 'members:\n  a@acme.com: { role: user, expires: 2027-02-29 }\n'), 'f');
    expect(bad.diagnostics.map((d) => d.code)).toEqual(['invalid_date']);
  });

  it('collects every problem of a file in one run, schema and cross-checks together', () => {
    const text = file('console', [
      'policy:',
      '  max_removal: 3',
      'members:',
      '  alice@acme.com: superuser',
      '  Alice@acme.com: user',
      '  bob@acme.com: { role: user, expires: 2027-13-01 }',
      'departed:',
      '  bob@acme.com:',
      'groups:',
      '  Platform: {}',
      'workspaces:',
      '  Research:',
      '    members:',
      '      carol@acme.com: workspace_billing',
      '',
    ].join('\n'));
    const r = parseDesired(text, 'f.yaml');
    expect(r.desired).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual([
      'unknown_key',
      'duplicate_email',
      'schema',
      'duplicate_email',
      'invalid_date',
      'member_departed',
      'not_for_kind',
      'not_a_member', // same line as the next, sorted by column
      'workspace_billing_not_assignable',
    ]);
  });
});
