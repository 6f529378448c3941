// A deterministic corpus of malformed or schema-violating desired-state files (issue 6 item 4). A seeded PRNG
// builds a valid random document, then one mutation from a category breaks it, at the data level (then written
// with `yaml`) or at the text level (syntax). Nothing is stored in git: the same seed always gives the same files.
// Every mutation is built so that the result is invalid; the test fails if one is not.

import { stringify } from 'yaml';

export interface BadFile {
  /** stable name: `<index>-<category>-<variant>` */
  name: string;
  category: Category;
  variant: string;
  content: string | Buffer;
  /** worst cases (size, depth, aliases): also run as a child process with a small heap */
  heavy: boolean;
}

export const CATEGORIES = [
  'wrong type',
  'unknown key',
  'bad email',
  'duplicate key',
  'duplicate email by case',
  'yaml syntax',
  'huge file',
  'deep nesting',
  'alias bomb',
  'invalid date',
  'role of the wrong org kind',
  'section of the wrong org kind',
  'protected and departed',
  'unmanaged and declared',
  'too many workspaces',
  'cross-reference',
  'missing or empty',
  'encoding',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** mulberry32: small, fast, good enough to pick mutations. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type R = () => number;
const int = (r: R, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const word = (r: R, n = 6): string => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz'[int(r, 0, 25)]).join('');

type Obj = Record<string, unknown>;
type Kind = 'console' | 'enterprise';

const ORG_ID = '8f4c1a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b';
const ROLES: Record<Kind, string[]> = { console: ['user', 'developer', 'billing', 'claude_code_user'], enterprise: ['user', 'managed'] };
const WRONG_ROLES: Record<Kind, string[]> = { console: ['managed', 'membership_admin'], enterprise: ['developer', 'billing', 'claude_code_user', 'admin'] };

interface Base {
  doc: Obj;
  kind: Kind;
  members: string[];
  departed: string[];
}

/** A valid document: 3–12 members, 1–3 departed, workspaces (console) or groups and SCIM groups (enterprise). */
export function baseDoc(r: R): Base {
  const kind: Kind = r() < 0.5 ? 'console' : 'enterprise';
  const domain = `${word(r, 5)}.example.com`;
  const members = Array.from({ length: int(r, 3, 12) }, (_, i) => `${word(r, 4)}${i}@${domain}`);
  const departed = Array.from({ length: int(r, 1, 3) }, (_, i) => `gone${i}.${word(r, 3)}@${domain}`);
  const memberMap: Obj = {};
  for (const m of members) {
    const role = pick(r, ROLES[kind]);
    memberMap[m] = r() < 0.3 ? { role, name: `${word(r)} ${word(r)}`, ...(r() < 0.5 ? { expires: '2031-06-30' } : {}) } : role;
  }
  const doc: Obj = {
    version: 1,
    organization: { id: ORG_ID, kind, ...(kind === 'enterprise' && r() < 0.5 ? { provisioning: 'scim' } : {}) },
    policy: { removals: pick(r, ['declared', 'prune', 'never']), max_removals: int(r, 0, 50), protected: [members[0]] },
    members: memberMap,
    departed: Object.fromEntries(departed.map((d) => [d, r() < 0.5 ? null : { date: '2026-01-15', reason: 'left' }])),
  };
  const some = (): string[] => members.slice(1, 1 + int(r, 1, Math.min(4, members.length - 1)));
  if (kind === 'console') {
    doc.workspaces = {
      [`Team ${word(r, 4)}`]: { display_color: '#6C5BB9', members: Object.fromEntries(some().map((m) => [m, 'workspace_user'])) },
      [`Old ${word(r, 4)}`]: { archived: true },
    };
  } else {
    doc.groups = { [`Group ${word(r, 4)}`]: { members: some() } };
    doc.scim = { deprovision: 'deactivate', groups: { [`Dir ${word(r, 4)}`]: { external_id: word(r), members: some() } } };
  }
  return { doc, kind, members, departed };
}

export function toYaml(doc: unknown): string {
  return stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 });
}

const obj = (v: unknown): Obj => v as Obj;

/** A data-level mutation: returns the broken document and a variant name. */
type DataMutation = (r: R, b: Base) => [string, unknown];
/** A text-level mutation of the base document's YAML. */
type TextMutation = (r: R, b: Base, text: string) => [string, string];

function insertAfter(text: string, lineStart: string, insert: string): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l === lineStart || l.startsWith(`${lineStart} `));
  if (i < 0) throw new Error(`corpus: no line ${lineStart}`);
  lines.splice(i + 1, 0, insert);
  return lines.join('\n');
}

const WRONG_TYPE: DataMutation[] = [
  (r, b) => ['version-not-1', { ...b.doc, version: pick(r, ['1', 2, true, 1.5, null]) }],
  (r, b) => ['organization-scalar', { ...b.doc, organization: pick(r, ['acme', ['acme'], 42]) }],
  (r, b) => ['kind-invalid', { ...b.doc, organization: { ...obj(b.doc.organization), kind: pick(r, [5, 'Console', 'team', null, ['console']]) } }],
  (r, b) => ['id-invalid', { ...b.doc, organization: { ...obj(b.doc.organization), id: pick(r, [12345, 'not-a-uuid', true, '8f4c1a2e5b6d4e7f9a0b1c2d3e4f5a6b']) } }],
  (r, b) => ['members-list', { ...b.doc, members: pick(r, [b.members, b.members.join(','), 7]) }],
  (r, b) => ['member-role-type', { ...b.doc, members: { ...obj(b.doc.members), [b.members[0]!]: pick(r, [5, true, ['developer'], { role: 7 }, { role: ['user'] }]) } }],
  (r, b) => ['member-role-unknown', { ...b.doc, members: { ...obj(b.doc.members), [pick(r, b.members)]: pick(r, ['wizard', 'Developer', 'USER', 'root', '']) } }],
  (r, b) => ['member-name-type', { ...b.doc, members: { ...obj(b.doc.members), [b.members[0]!]: { role: 'user', name: pick(r, [42, ['a'], '', true]) } } }],
  (r, b) => ['departed-list', { ...b.doc, departed: pick(r, [b.departed, 'everyone']) }],
  (r, b) => ['departed-entry-type', { ...b.doc, departed: { ...obj(b.doc.departed), [b.departed[0]!]: pick(r, ['yesterday', 3, ['x'], true]) } }],
  (r, b) => ['max-removals', { ...b.doc, policy: { ...obj(b.doc.policy), max_removals: pick(r, ['10', -1, 2.5, null, 'all']) } }],
  (r, b) => ['removals-enum', { ...b.doc, policy: { ...obj(b.doc.policy), removals: pick(r, ['all', 'none', true, 3]) } }],
  (r, b) => ['protected-string', { ...b.doc, policy: { ...obj(b.doc.policy), protected: pick(r, [b.members[0], { a: 1 }, 5]) } }],
  (r, b) => ['unmanaged-type', { ...b.doc, policy: { ...obj(b.doc.policy), unmanaged: pick(r, [{ x: 1 }, '*@x.com', [5], ['  ']]) } }],
  (r, b) => ['api-keys-policy', { ...b.doc, policy: { ...obj(b.doc.policy), api_keys_of_removed_members: pick(r, ['delete', 'archive', false]) } }],
  (r, b) => ['policy-scalar', { ...b.doc, policy: pick(r, ['strict', 1, ['declared']]) }],
  (r, b) => ['root-not-mapping', pick(r, [['version', 1], 'version: 1', 42, true])],
  (r, b) => ['credentials-type', { ...b.doc, organization: { ...obj(b.doc.organization), credentials: pick(r, [{ admin_key_env: 42 }, { scim_url_env: '1BAD' }, 'ANTHROPIC_ADMIN_KEY', { base_url_env: 'has space' }]) } }],
  (r, b) => {
    if (b.kind === 'console') {
      const ws = obj(b.doc.workspaces);
      const name = Object.keys(ws)[0]!;
      const broken = pick(r, [{ archived: 'yes' }, { members: b.members }, { display_color: pick(r, ['red', 123, '#12345', '#GGGGGG']) }, { renamed_from: 7 }, 'Research']);
      return ['workspace-field-type', { ...b.doc, workspaces: { ...ws, [name]: broken } }];
    }
    const gs = obj(b.doc.groups);
    const name = Object.keys(gs)[0]!;
    return ['group-field-type', { ...b.doc, groups: { ...gs, [name]: pick(r, [{ members: { a: 1 } }, { delete: 'true' }, { members: 'all' }, ['x']]) } }];
  },
  (r, b) => (b.kind === 'console'
    ? ['workspaces-list', { ...b.doc, workspaces: pick(r, [['Research'], 'Research', 3]) }]
    : ['scim-field-type', { ...b.doc, scim: pick(r, [{ deprovision: 'remove' }, { groups: ['Eng'] }, 'on', { groups: { Eng: { external_id: 5 } } }]) }]),
  (r, b) => (b.kind === 'console'
    ? ['workspace-role', { ...b.doc, workspaces: { X: { members: { [b.members[1]!]: pick(r, ['developer', 'workspace_owner', 'admin', 5]) } } } }]
    : ['provisioning-enum', { ...b.doc, organization: { ...obj(b.doc.organization), provisioning: pick(r, ['sso', 'manual', true]) } }]),
];

const UNKNOWN_KEY: DataMutation[] = [
  (r, b) => ['root', { ...b.doc, [pick(r, ['memebers', 'departd', 'polcy', 'workspace', 'group', 'users', 'admins', word(r)])]: {} }],
  (r, b) => ['organization', { ...b.doc, organization: { ...obj(b.doc.organization), [pick(r, ['knd', 'name', 'admin_key', 'api_key', 'provision', word(r)])]: 'x' } }],
  (r, b) => ['policy', { ...b.doc, policy: { ...obj(b.doc.policy), [pick(r, ['max_removal', 'protect', 'removal', word(r)])]: 1 } }],
  (r, b) => ['member', { ...b.doc, members: { ...obj(b.doc.members), [b.members[0]!]: { role: 'user', [pick(r, ['rol', 'expiry', 'email', word(r)])]: 'x' } } }],
  (r, b) => ['departed-entry', { ...b.doc, departed: { ...obj(b.doc.departed), [b.departed[0]!]: { [pick(r, ['when', 'reasons', 'dat', word(r)])]: 'x' } } }],
  (r, b) => ['credentials', { ...b.doc, organization: { ...obj(b.doc.organization), credentials: { [pick(r, ['admin_key', 'scim_token', 'admin_key_environment', word(r)])]: 'X' } } }],
  (r, b) => (b.kind === 'console'
    ? ['workspace', { ...b.doc, workspaces: { Research: { [pick(r, ['member', 'color', 'archive', word(r)])]: true } } }]
    : ['group', { ...b.doc, groups: { Platform: { [pick(r, ['member', 'deleted', 'rename_from', word(r)])]: true } } }]),
  (r, b) => (b.kind === 'console'
    ? ['workspace-2', { ...b.doc, workspaces: { Research: { display_colour: '#6C5BB9' } } }]
    : ['scim', { ...b.doc, scim: { [pick(r, ['deprovisioning', 'group', 'users', word(r)])]: 'x' } }]),
];

const BAD_EMAILS = ['alice', 'alice@', '@acme.com', 'al ice@acme.com', 'alice@acme', 'alice@@acme.com', 'alice@acme.com extra', 'alice@.', 'a@b'];

const BAD_EMAIL: DataMutation[] = [
  (r, b) => ['member-key', { ...b.doc, members: { ...obj(b.doc.members), [pick(r, BAD_EMAILS)]: 'user' } }],
  (r, b) => ['departed-key', { ...b.doc, departed: { ...obj(b.doc.departed), [pick(r, BAD_EMAILS)]: null } }],
  (r, b) => ['protected-item', { ...b.doc, policy: { ...obj(b.doc.policy), protected: [pick(r, BAD_EMAILS)] } }],
  (r, b) => (b.kind === 'console'
    ? ['workspace-member-key', { ...b.doc, workspaces: { Research: { members: { [pick(r, BAD_EMAILS)]: 'workspace_user' } } } }]
    : ['group-member-item', { ...b.doc, groups: { Platform: { members: [b.members[0], pick(r, BAD_EMAILS)] } } }]),
  (r, b) => (b.kind === 'console'
    ? ['member-key-empty', { ...b.doc, members: { ...obj(b.doc.members), '': 'user' } }]
    : ['scim-group-member-item', { ...b.doc, scim: { groups: { Eng: { members: [pick(r, BAD_EMAILS)] } } } }]),
];

/** Case variants of an address that are the same person. */
function recase(r: R, email: string): string {
  const variants = [email.toUpperCase(), email[0]!.toUpperCase() + email.slice(1), ` ${email.toUpperCase()} `, email.replace(/@.*/, (d) => d.toUpperCase())];
  const v = pick(r, variants);
  return v === email ? email.toUpperCase() : v;
}

const DUP_EMAIL: DataMutation[] = [
  (r, b) => {
    const m = pick(r, b.members);
    return ['members', { ...b.doc, members: { ...obj(b.doc.members), [recase(r, m)]: 'user' } }];
  },
  (r, b) => {
    const d = pick(r, b.departed);
    return ['departed', { ...b.doc, departed: { ...obj(b.doc.departed), [recase(r, d)]: null } }];
  },
  (r, b) => ['protected', { ...b.doc, policy: { ...obj(b.doc.policy), protected: [b.members[0], recase(r, b.members[0]!)] } }],
  (r, b) => (b.kind === 'console'
    ? ['workspace-members', { ...b.doc, workspaces: { Research: { members: { [b.members[1]!]: 'workspace_user', [recase(r, b.members[1]!)]: 'workspace_admin' } } } }]
    : ['group-members', { ...b.doc, groups: { Platform: { members: [b.members[1], recase(r, b.members[1]!)] } } }]),
  (r, b) => ['member-and-departed', { ...b.doc, departed: { ...obj(b.doc.departed), [recase(r, b.members[1]!)]: null } }],
];

const DUP_KEY: TextMutation[] = [
  (_r, _b, t) => ['version-twice', `${t}version: 1\n`],
  (_r, b, t) => ['organization-kind-twice', insertAfter(t, 'organization:', `  kind: ${b.kind}`)],
  (r, b, t) => {
    const m = pick(r, b.members.slice(1));
    return ['member-twice', insertAfter(t, 'members:', `  ${m}: user`)];
  },
  (r, b, t) => ['departed-twice', insertAfter(t, 'departed:', `  ${pick(r, b.departed)}: null`)],
  (_r, _b, t) => ['policy-twice', `${t}policy:\n  removals: never\n`],
  (_r, _b, t) => ['members-section-twice', `${t}members:\n  extra@example.org: user\n`],
];

const YAML_SYNTAX: TextMutation[] = [
  (r, _b, t) => {
    const lines = t.split('\n');
    const idx = lines.map((l, i) => (l.startsWith('  ') ? i : -1)).filter((i) => i >= 0);
    const i = pick(r, idx);
    lines[i] = `\t${lines[i]!.slice(2)}`;
    return ['tab-indentation', lines.join('\n')];
  },
  (r, _b, t) => ['unclosed-double-quote', insertAfter(t, 'members:', `  "${word(r)}@example.org: user`)],
  (r, _b, t) => ['unclosed-single-quote', insertAfter(t, 'members:', `  '${word(r)}@example.org': 'user`)],
  (r, b, t) => ['unclosed-bracket', insertAfter(t, 'policy:', `  protected: [${b.members[0]}, ${word(r)}@x.org`)],
  (r, _b, t) => ['unclosed-brace', `${t}departed: { ${word(r)}@x.org: { reason: left }\n`],
  (r, b, t) => ['bad-indentation', insertAfter(t, 'members:', `   ${word(r)}@example.org: user\n ${b.members[0]}x: user`)],
  (r, _b, t) => ['bad-dedent', insertAfter(t, 'organization:', `    ${word(r)}: 1\n  kind2: x\n   id2: y`)],
  (r, _b, t) => ['value-then-mapping', insertAfter(t, 'members:', `  ${word(r)}@example.org: user: developer`)],
  (_r, _b, t) => ['second-document', `${t}---\nversion: 1\n`],
  (_r, _b, t) => ['stray-closing-bracket', `${t}]\n`],
  (_r, _b, t) => ['stray-closing-brace', insertAfter(t, 'members:', '  }')],
  (r, _b, t) => ['invalid-escape', insertAfter(t, 'members:', `  "${word(r)}\\q@example.org": user`)],
  (r, _b, t) => ['sequence-in-mapping', insertAfter(t, 'members:', `  - ${word(r)}@example.org`)],
  (r, _b, t) => ['reserved-indicator-at', insertAfter(t, 'members:', `  ${word(r)}@example.org: @developer`)],
  (r, _b, t) => ['reserved-indicator-backtick', insertAfter(t, 'members:', `  ${word(r)}@example.org: \`user\``)],
  (_r, _b, t) => ['directive-after-content', `${t}%YAML 1.2\n---\n`],
  (r, _b, t) => ['unterminated-flow-in-block', insertAfter(t, 'members:', `  ${word(r)}@example.org: [user`)],
  (r, _b, t) => ['colon-less-key', insertAfter(t, 'members:', `  ${word(r)}@example.org user`)],
  (r, _b, t) => ['anchor-without-value', `${t}extra: &${word(r)}\n  - *\n`],
  (_r, _b, t) => ['truncated-mid-flow', `${t}workspaces: {Research: {members: {a@b.co: workspace_user`],
];

const INVALID_DATES = ['2027-02-30', '2027-13-01', '2026-02-29', 'tomorrow', '2027-1-1', '2027-03-31T00:00:00Z', '31/03/2027', '2027-00-10', '2027-04-31', '99999-01-01', '2027-03-3l'];

const INVALID_DATE: DataMutation[] = [
  (r, b) => ['expires', { ...b.doc, members: { ...obj(b.doc.members), [b.members[1]!]: { role: ROLES[b.kind][0], expires: pick(r, INVALID_DATES) } } }],
  (r, b) => ['departed-date', { ...b.doc, departed: { ...obj(b.doc.departed), [b.departed[0]!]: { date: pick(r, INVALID_DATES) } } }],
  (r, b) => ['expires-number', { ...b.doc, members: { ...obj(b.doc.members), [b.members[1]!]: { role: ROLES[b.kind][0], expires: pick(r, [20270331, 2027, true]) } } }],
];

const WRONG_KIND_ROLE: DataMutation[] = [
  (r, b) => ['shorthand', { ...b.doc, members: { ...obj(b.doc.members), [pick(r, b.members)]: pick(r, WRONG_ROLES[b.kind]) } }],
  (r, b) => ['mapping', { ...b.doc, members: { ...obj(b.doc.members), [pick(r, b.members)]: { role: pick(r, WRONG_ROLES[b.kind]), name: 'X Y' } } }],
];

const WRONG_KIND_SECTION: DataMutation[] = [
  (r, b) => {
    if (b.kind === 'enterprise') return ['workspaces-on-enterprise', { ...b.doc, workspaces: { Research: null } }];
    return pick(r, [
      ['groups-on-console', { ...b.doc, groups: { Platform: { members: [b.members[1]] } } }],
      ['scim-on-console', { ...b.doc, scim: { deprovision: 'delete' } }],
      ['scim-provisioning-on-console', { ...b.doc, organization: { ...obj(b.doc.organization), provisioning: 'scim' } }],
    ] as Array<[string, unknown]>);
  },
];

const PROTECTED_DEPARTED: DataMutation[] = [
  (r, b) => {
    const d = pick(r, b.departed);
    return ['protected-departed', { ...b.doc, policy: { ...obj(b.doc.policy), protected: [r() < 0.5 ? d : d.toUpperCase()] } }];
  },
];

const UNMANAGED_DECLARED: DataMutation[] = [
  (r, b) => {
    const m = pick(r, b.members);
    const domain = m.split('@')[1]!;
    return ['member-matches-glob', { ...b.doc, policy: { ...obj(b.doc.policy), unmanaged: [pick(r, [`*@${domain}`, `*@${domain.toUpperCase()}`, m, `${m.split('@')[0]}*`])] } }];
  },
  (r, b) => ['departed-matches-glob', { ...b.doc, policy: { ...obj(b.doc.policy), unmanaged: [`${pick(r, b.departed).slice(0, 5)}*`] } }],
];

const TOO_MANY_WORKSPACES: DataMutation[] = [
  (r, b) => {
    const n = int(r, 101, 160);
    const ws = Object.fromEntries(Array.from({ length: n }, (_, i) => [`Team ${i} ${word(r, 3)}`, null]));
    return [`${n}-active`, { ...b.doc, organization: { id: ORG_ID, kind: 'console' }, groups: undefined, scim: undefined, workspaces: ws }];
  },
];

const CROSS_REF: DataMutation[] = [
  (r, b) => (b.kind === 'console'
    ? ['workspace-member-undeclared', { ...b.doc, workspaces: { Research: { members: { [`${word(r)}@nowhere.org`]: 'workspace_user' } } } }]
    : ['group-member-undeclared', { ...b.doc, groups: { Platform: { members: [`${word(r)}@nowhere.org`] } } }]),
  (_r, b) => (b.kind === 'console'
    ? ['workspace-member-departed', { ...b.doc, workspaces: { Research: { members: { [b.departed[0]!]: 'workspace_user' } } } }]
    : ['scim-group-member-departed', { ...b.doc, scim: { groups: { Eng: { members: [b.departed[0]] } } } }]),
  (r, b) => (b.kind === 'console'
    ? ['default-workspace', { ...b.doc, workspaces: { [pick(r, ['Default', 'default', ' DEFAULT '])]: null } }]
    : ['group-delete-with-members', { ...b.doc, groups: { Platform: { delete: true, members: [b.members[1]] } } }]),
  (r, b) => (b.kind === 'console'
    ? ['workspace-name-too-long', { ...b.doc, workspaces: { ['W'.repeat(int(r, 41, 80))]: null } }]
    : ['group-name-too-long', { ...b.doc, groups: { ['G'.repeat(int(r, 256, 300))]: null } }]),
  (r, b) => {
    const name = `Team ${word(r, 4)}`;
    return b.kind === 'console'
      ? ['workspace-duplicate-by-case', { ...b.doc, workspaces: { [name]: null, [name.toUpperCase()]: null } }]
      : ['group-duplicate-by-case', { ...b.doc, groups: { [name]: null, [name.toLowerCase()]: null } }];
  },
  (_r, b) => (b.kind === 'console'
    ? ['renamed-from-self', { ...b.doc, workspaces: { Research: { renamed_from: 'research' } } }]
    : ['scim-renamed-from-declared', { ...b.doc, scim: { groups: { Eng: null, Engineering: { renamed_from: 'Eng' } } } }]),
  (_r, b) => (b.kind === 'console'
    ? ['workspace-billing', { ...b.doc, workspaces: { Research: { members: { [b.members[1]!]: 'workspace_billing' } } } }]
    : ['scim-delete-with-members', { ...b.doc, scim: { groups: { Eng: { delete: true, members: [b.members[1]] } } } }]),
];

const MISSING: Array<(r: R, b: Base) => [string, string | Buffer]> = [
  () => ['empty', ''],
  () => ['whitespace', '   \n\n  \n'],
  (r) => ['comments-only', `# ${word(r)}\n# nothing here\n`],
  () => ['null-document', '~\n'],
  () => ['document-marker-only', '---\n...\n'],
  (_r, b) => ['no-version', toYaml({ ...b.doc, version: undefined })],
  (_r, b) => ['no-organization', toYaml({ ...b.doc, organization: undefined })],
  (_r, b) => ['no-id', toYaml({ ...b.doc, organization: { kind: b.kind } })],
  (_r, b) => ['no-kind', toYaml({ ...b.doc, organization: { id: ORG_ID } })],
  (_r, b) => ['member-mapping-without-role', toYaml({ ...b.doc, members: { ...obj(b.doc.members), [b.members[0]!]: { name: 'No Role' } } })],
];

const ENCODING: Array<(r: R, b: Base) => [string, string | Buffer]> = [
  (_r, b) => ['latin1-bytes', Buffer.concat([Buffer.from(toYaml(b.doc)), Buffer.from([0x6d, 0xe9, 0x3a, 0x20, 0xff, 0xfe, 0x0a])])],
  () => ['binary', Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 37) % 256))],
  () => ['utf16le-bom', Buffer.from('\ufeffversion: 1\n', 'utf16le')],
  (_r, b) => ['nul-in-text', insertAfter(toYaml(b.doc), 'members:', '  nul\u0000@example.org: user')],
  (_r, b) => ['control-char', insertAfter(toYaml(b.doc), 'members:', '  bell\u0007@example.org: user')],
];

/** Heavy files: sizes and depths far past the guards. Built from the PRNG so they vary a little. */
const HUGE: Array<(r: R, b: Base) => [string, string]> = [
  (r, b) => ['padded-comment', `${toYaml(b.doc)}# ${'x'.repeat(5 * 1024 * 1024 + int(r, 1, 50_000))}\n`],
  (r, b) => {
    // ~40 bytes a line: 140,000 lines are 5.6 MB
    const n = 140_000 + int(r, 0, 1000);
    const lines = Array.from({ length: n }, (_, i) => `  person${i}@bulk.example.org: wizard`);
    return ['many-members', `${toYaml({ ...b.doc, members: undefined })}members:\n${lines.join('\n')}\n`];
  },
  (r) => ['one-long-scalar', `version: 1\norganization: {id: ${ORG_ID}, kind: console}\nnote: "${'y'.repeat(5 * 1024 * 1024 + int(r, 1, 1000))}"\n`],
  (r) => ['flow-list-over-token-limit', `version: 1\norganization: {id: ${ORG_ID}, kind: console}\nmembers: [${Array.from({ length: 800_000 + int(r, 0, 1000) }, () => 'a').join(',')}]\n`],
];

const DEEP: Array<(r: R, b: Base) => [string, string]> = [
  (r, b) => {
    const d = int(r, 65, 400);
    return ['flow-sequences', `${toYaml(b.doc)}extra: ${'['.repeat(d)}x${']'.repeat(d)}\n`];
  },
  (r, b) => {
    const d = int(r, 65, 300);
    return ['flow-mappings', insertAfter(toYaml(b.doc), 'members:', `  deep@example.org: ${'{a: '.repeat(d)}x${'}'.repeat(d)}`)];
  },
  (r, b) => {
    const d = int(r, 65, 200);
    const lines = Array.from({ length: d }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`);
    return ['block-mappings', `${toYaml(b.doc)}nested:\n${lines.join('\n')} leaf\n`];
  },
  (r, b) => {
    const d = int(r, 65, 500);
    return ['compact-sequences', `${toYaml(b.doc)}nested:\n  ${'- '.repeat(d)}x\n`];
  },
  (r) => ['unbalanced-brackets', `version: 1\norganization: {id: ${ORG_ID}, kind: console}\nmembers: ${'['.repeat(int(r, 100_000, 200_000))}\n`],
];

const ALIAS_BOMB: Array<(r: R, b: Base) => [string, string]> = [
  (r, b) => {
    const levels = int(r, 6, 9);
    const lines = ['lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= levels; i++) lines.push(`lol${i}: &l${i} [${Array.from({ length: 10 }, () => `*l${i - 1}`).join(', ')}]`);
    return ['billion-laughs', `${toYaml(b.doc)}${lines.join('\n')}\n`];
  },
  (r, b) => {
    const levels = int(r, 6, 12);
    const lines = ['a0: &a0 {x: 1, y: 2}'];
    for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} {p: *a${i - 1}, q: *a${i - 1}, r: *a${i - 1}}`);
    return ['mapping-bomb', insertAfter(toYaml(b.doc), 'members:', `  bomb@example.org: developer`) + `\n${lines.join('\n')}\n`];
  },
  (r, b) => {
    const big = Array.from({ length: 1000 }, (_, i) => `x${i}`).join(', ');
    const uses = Array.from({ length: int(r, 200, 600) }, (_, i) => `  u${i}: *big`).join('\n');
    return ['many-aliases-of-a-big-anchor', `${toYaml(b.doc)}anchor: &big [${big}]\nuses:\n${uses}\n`];
  },
  (r, b) => ['undefined-alias', insertAfter(toYaml(b.doc), 'members:', `  ${word(r)}@example.org: *${word(r)}`)],
  (_r, b) => ['self-reference', `${toYaml(b.doc)}loop: &loop [1, *loop]\n`],
  (_r, b) => ['merge-key', insertAfter(toYaml(b.doc), 'members:', `  <<: *base`).replace(/^members:$/m, 'base: &base {x@y.org: user}\nmembers:')],
];

function textOf(mutation: TextMutation): (r: R, b: Base) => [string, string] {
  return (r, b) => mutation(r, b, toYaml(b.doc));
}

function dataOf(mutation: DataMutation): (r: R, b: Base) => [string, string] {
  return (r, b) => {
    const [variant, doc] = mutation(r, b);
    return [variant, toYaml(doc)];
  };
}

type Maker = (r: R, b: Base) => [string, string | Buffer];

const MAKERS: Record<Category, { makers: Maker[]; heavy: boolean; weight: number }> = {
  'wrong type': { makers: WRONG_TYPE.map(dataOf), heavy: false, weight: 10 },
  'unknown key': { makers: UNKNOWN_KEY.map(dataOf), heavy: false, weight: 6 },
  'bad email': { makers: BAD_EMAIL.map(dataOf), heavy: false, weight: 6 },
  'duplicate key': { makers: DUP_KEY.map(textOf), heavy: false, weight: 5 },
  'duplicate email by case': { makers: DUP_EMAIL.map(dataOf), heavy: false, weight: 5 },
  'yaml syntax': { makers: YAML_SYNTAX.map(textOf), heavy: false, weight: 10 },
  'huge file': { makers: HUGE, heavy: true, weight: 0 },
  'deep nesting': { makers: DEEP, heavy: true, weight: 0 },
  'alias bomb': { makers: ALIAS_BOMB, heavy: true, weight: 0 },
  'invalid date': { makers: INVALID_DATE.map(dataOf), heavy: false, weight: 4 },
  'role of the wrong org kind': { makers: WRONG_KIND_ROLE.map(dataOf), heavy: false, weight: 4 },
  'section of the wrong org kind': { makers: WRONG_KIND_SECTION.map(dataOf), heavy: false, weight: 3 },
  'protected and departed': { makers: PROTECTED_DEPARTED.map(dataOf), heavy: false, weight: 2 },
  'unmanaged and declared': { makers: UNMANAGED_DECLARED.map(dataOf), heavy: false, weight: 2 },
  'too many workspaces': { makers: TOO_MANY_WORKSPACES.map(dataOf), heavy: false, weight: 1 },
  'cross-reference': { makers: CROSS_REF.map(dataOf), heavy: false, weight: 5 },
  'missing or empty': { makers: MISSING, heavy: false, weight: 3 },
  encoding: { makers: ENCODING, heavy: false, weight: 2 },
};

/**
 * The corpus: every variant of the heavy categories once (they are expensive and gain nothing from repetition),
 * the light categories drawn by weight until `size` files exist, and each light maker at least once.
 */
export function generateCorpus(seed = 0x5eed_c0de, size = 1200): BadFile[] {
  const r = prng(seed);
  const out: BadFile[] = [];
  const add = (category: Category, make: Maker): void => {
    const [variant, content] = make(r, baseDoc(r));
    out.push({ name: `${String(out.length).padStart(4, '0')}-${category.replace(/\W+/g, '-')}-${variant}`, category, variant, content, heavy: MAKERS[category].heavy });
  };
  for (const category of CATEGORIES) for (const make of MAKERS[category].makers) add(category, make);
  const light = CATEGORIES.filter((c) => MAKERS[c].weight > 0);
  const total = light.reduce((n, c) => n + MAKERS[c].weight, 0);
  while (out.length < size) {
    let x = r() * total;
    const category = light.find((c) => (x -= MAKERS[c].weight) < 0) ?? light[0]!;
    add(category, pick(r, MAKERS[category].makers));
  }
  return out;
}
