// The pull-request markdown view (issue 5, item 2): sections and their order, per-person lines, escaping, the
// marker, blocked and empty plans, determinism. Size limits are in markdown-size.test.ts. Plans come from the real
// planner over builders, so the view is tested against the changes it will actually receive.

import { describe, expect, it, vi } from 'vitest';
import type { Live, LiveScimGroup, LiveScimUser } from '../../src/model/live.js';
import type { Change, Plan } from '../../src/model/plan.js';
import { plan } from '../../src/planner/index.js';
import { PLAN_COMMENT_MARKER, planCommentMarker, renderPlanMarkdown } from '../../src/render/markdown.js';
import { codeSpan, escapeText } from '../../src/render/markdown-escape.js';
import { apiKey, desiredOf, group, invite, keeper, KEEPER_MEMBER, liveOf, looseChange, NOW, ORG_ID, user, workspace, type DesiredSpec, type LooseChange } from '../builders.js';

function run(spec: DesiredSpec, live: Live, allowRemovals?: number): Plan {
  return plan(desiredOf(spec), live, { now: NOW, allowRemovals });
}

/** A console plan with every kind of per-person change: roles, invites, removals, memberships, API keys. */
function consolePlan(): Plan {
  const alice = user('alice@acme.com', 'developer');
  const bob = user('bob@acme.com', 'developer');
  const frank = user('frank@acme.com', 'developer');
  const gina = user('gina@acme.com', 'developer');
  const root = user('root@acme.com', 'admin');
  const research = workspace('Research');
  const old = workspace('Old Project');
  return run({
    removals: 'prune',
    apiKeys: 'deactivate',
    protected: ['gina@acme.com'],
    members: {
      'alice@acme.com': 'user', 'carol@acme.com': 'developer', 'dave_x@acme.com': 'developer', 'frank@acme.com': 'developer',
      'gina@acme.com': 'user',
    },
    departed: { 'bob@acme.com': { reason: 'left the company' } },
    workspaces: {
      Research: { members: { 'alice@acme.com': 'workspace_developer' } },
      'Old Project': { archived: true },
      New: {},
    },
  }, liveOf({
    users: [alice, bob, frank, gina, root],
    invites: [invite('dave_x@acme.com', 'user'), invite('old@acme.com', 'user')],
    workspaces: [research, old],
    workspaceMembers: [{ workspaceId: research.id, userId: frank.id, role: 'workspace_user' }],
    apiKeys: [apiKey(bob, { name: "bob's CI key" })],
  }));
}

/** An enterprise plan with RBAC groups, SCIM users and SCIM groups. */
function enterprisePlan(): Plan {
  const su = (userName: string, id: string, active = true): LiveScimUser => ({ id, userName, active });
  const sg = (displayName: string, id: string, members: string[] = []): LiveScimGroup => ({ id, displayName, members });
  const alice = user('alice@acme.com', 'user');
  const dave = user('dave@acme.com', 'user');
  const platform = group('Platform');
  return run({
    kind: 'enterprise', provisioning: 'scim',
    members: { 'alice@acme.com': 'user', 'nina@acme.com': 'user' },
    departed: { 'dave@acme.com': null },
    groups: { Platform: { members: ['alice@acme.com'] }, Ops: {} },
    scimGroups: { Eng: { members: ['alice@acme.com'] } },
  }, liveOf({
    users: [alice, dave],
    groups: [platform],
    groupMembers: [],
    scim: { available: true, users: [su('alice@acme.com', 's-a'), su('dave@acme.com', 's-d')], groups: [sg('Eng', 'g1', ['s-d'])] },
  }));
}

/** The section of the text from a heading up to the next `### ` heading or the footer. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`### ${heading}`);
  expect(start, `section ${heading}`).toBeGreaterThanOrEqual(0);
  const rest = text.slice(start + 4);
  const end = rest.search(/\n### |\n---\n/);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The per-person line (list form or `<summary>` form) of one email. */
function personLine(text: string, email: string): string {
  const lines = text.split('\n').filter((l) => l.startsWith(`- ${codeSpan(email)}:`) || l.startsWith(`<details><summary><code>${escapeText(email)}</code>:`));
  expect(lines, email).toHaveLength(1);
  return lines[0]!;
}


/** A change built by hand, for shapes the planner does not make today. */
function change(over: Partial<LooseChange> & Pick<LooseChange, 'kind' | 'key' | 'action'>): Change {
  return looseChange({
    address: `${over.kind}[${JSON.stringify(over.key)}]`, reason: 'because', before: null, after: null, phase: 1,
    depends_on: [], removal: false, ...over,
  });
}

function planOf(changes: Change[], over: Partial<Plan> = {}): Plan {
  const base = run({}, liveOf());
  const summary = { ...base.summary };
  for (const c of changes) summary[c.action] += 1;
  const removals = changes.filter((c) => c.removal).map((c) => c.address);
  return { ...base, changes, summary, removals: { count: removals.length, limit: 10, overridden: false, addresses: removals, people: { leaving: 0, total: 0, removable: 0 }, max_share: 0.5, mass: false, mass_allowed: false }, ...over };
}

// Built once: the builders number ids in sequence, so each call makes a plan with other ids.
const CONSOLE = consolePlan();
const ENTERPRISE = enterprisePlan();

describe('renderPlanMarkdown: layout', () => {
  const text = renderPlanMarkdown(CONSOLE);
  const lines = text.split('\n');

  it('starts with the hidden marker, then the heading with the organization, then one summary line', () => {
    expect(lines[0]).toBe(planCommentMarker(ORG_ID));
    expect(lines[1]).toBe(`## claude-reconcile plan: Acme (\`${ORG_ID}\`)`);
    expect(lines[2]).toBe('');
    expect(lines[3]).toBe('**Plan:** 3 to create, 2 to update, 1 to replace, 4 to delete · 1 undeclared · removals 5/10 · people leaving 2 of 7 · ✅ not blocked');
    expect(lines.filter((l) => l.startsWith('**Plan:**'))).toHaveLength(1);
  });

  it('orders the sections: destructive changes, people, workspaces and groups, diagnostics, then the plan hash last', () => {
    const at = (s: string) => text.indexOf(s);
    const order = ['### ⚠️ Destructive changes (5)', '### Changes per person', '### Workspaces and groups', '### Diagnostics', 'Plan hash'];
    for (const s of order) expect(at(s), s).toBeGreaterThan(at('**Plan:**'));
    expect(order.map(at)).toEqual([...order.map(at)].sort((a, b) => a - b));
    const p = CONSOLE;
    expect(lines.at(-1)).toBe('');
    expect(lines.at(-2)).toContain(`\`${p.plan_hash}\``);
    expect(lines.at(-2)).toContain('the merge applies only a plan with this hash');
  });

  it('lists every removal and every delete with its address and reason, outside any <details>', () => {
    const p = CONSOLE;
    const destructive = section(text, '⚠️ Destructive changes');
    const expected = p.changes.filter((c) => c.removal || c.action === 'delete');
    expect(expected.length).toBe(5);
    const listed = destructive.split('\n').filter((l) => l.startsWith('- '));
    expect(listed).toEqual(expected.map((c) => `- ${codeSpan(c.address)} **${c.action}** — ${escapeText(c.reason)}`));
    expect(destructive).not.toContain('<details>');
    expect(listed).toContain('- `invite["old@acme.com"]` **delete** — not declared (policy.removals: prune): withdraw the pending invite');
  });

  it('folds the per-change detail of each person into <details>, with before → after and the reason', () => {
    const people = section(text, 'Changes per person');
    expect(people).toContain('<details><summary><code>alice@acme.com</code>:');
    expect(people).toContain('- `member["alice@acme.com"]` **update** · role: developer → user — demotion: role developer → user');
    expect((people.match(/<details>/g) ?? []).length).toBe((people.match(/<\/details>/g) ?? []).length);
  });

  it('lists errors and warnings with file:line and counts info notes', () => {
    const diags = section(text, 'Diagnostics');
    expect(diags).toContain('- ⚠️ warning `org.yaml:14`: gina@acme.com is protected');
    expect(diags).toContain('(`protected_demotion`)');
    expect(diags).toContain('- ℹ️ note root@acme.com is not declared but holds admin');
  });
});

describe('renderPlanMarkdown: one line per person', () => {
  const text = renderPlanMarkdown(CONSOLE);

  it('summarises members, invites, workspace memberships and API keys per person, sorted by email', () => {
    expect(personLine(text, 'alice@acme.com')).toContain(': role developer → user; added to workspace Research as workspace&#95;developer</summary>');
    expect(personLine(text, 'bob@acme.com')).toContain(': API key "bob\'s CI key" deactivated; removed from the organization</summary>');
    expect(personLine(text, 'carol@acme.com')).toContain(': invited as developer</summary>');
    expect(personLine(text, 'dave_x@acme.com')).toContain(': invite re-sent as developer (was user)</summary>');
    expect(personLine(text, 'frank@acme.com')).toContain(': removed from workspace Research</summary>');
    expect(personLine(text, 'old@acme.com')).toContain(': invite withdrawn</summary>');
    const order = ['alice', 'bob', 'carol', 'dave&#95;x', 'frank', 'old'].map((n) => text.indexOf(`<summary><code>${n}@acme.com`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(section(text, 'Changes per person')).toContain('(6 people)');
  });

  it('summarises RBAC group, SCIM user and SCIM group memberships', () => {
    const t = renderPlanMarkdown(ENTERPRISE);
    expect(personLine(t, 'alice@acme.com')).toContain(': added to group Platform; added to SCIM group Eng</summary>');
    expect(personLine(t, 'dave@acme.com')).toContain(': removed from SCIM group Eng; SCIM user deactivated</summary>');
    expect(personLine(t, 'nina@acme.com')).toContain(': SCIM user created</summary>');
  });

  it('puts workspaces and groups in their own group, not among people', () => {
    const containers = section(text, 'Workspaces and groups');
    expect(containers).toContain('<summary>workspace <code>New</code>: created</summary>');
    expect(containers).toContain('<summary>workspace <code>Old Project</code>: archived</summary>');
    expect(section(text, 'Changes per person')).not.toContain('workspace["New"]');
    expect(section(renderPlanMarkdown(ENTERPRISE), 'Workspaces and groups')).toContain('<summary>group <code>Ops</code>: created</summary>');
  });

  it('counts one person once, whatever the spelling of the email, and takes the email after the last / of a membership', () => {
    const t = renderPlanMarkdown(planOf([
      change({ kind: 'member', key: 'Alice@Acme.com', action: 'update', before: { role: 'developer' }, after: { role: 'user' } }),
      change({ kind: 'workspace_member', key: 'R&D/2025/alice@acme.com', action: 'delete', removal: true }),
      change({ kind: 'group_member', key: 'Ops/alice@acme.com', action: 'create', after: { group: 'Ops' } }),
    ]));
    expect(personLine(t, 'Alice@Acme.com')).toBe('<details><summary><code>Alice@Acme.com</code>: role developer → user; ' +
      'removed from workspace R&amp;D/2025; added to group Ops</summary>');
    expect(section(t, 'Changes per person')).toContain('(1 person)');
  });

  it('an API key whose creator cannot be told goes under Other changes', () => {
    const t = renderPlanMarkdown(planOf([
      change({ kind: 'api_key', key: 'apikey_1', action: 'update', before: { name: 'ci', status: 'active' }, after: { name: 'ci', status: 'inactive' }, reason: 'rotate' }),
      change({ kind: 'api_key', key: 'apikey_2', action: 'update', after: { name: 'k', status: 'inactive', created_by: 'zed@acme.com' } }),
    ]));
    expect(section(t, 'Other changes')).toContain('<summary><code>api&#95;key&#91;"apikey&#95;1"&#93;</code>: API key "ci" deactivated</summary>');
    expect(personLine(t, 'zed@acme.com')).toContain('API key "k" deactivated');
  });
});

describe('renderPlanMarkdown: escaping', () => {
  const evil = '<script>|x';
  const p = run({
    members: { 'first_last@acme.com': 'user' },
    workspaces: { [evil]: { members: { 'first_last@acme.com': 'workspace_user' } } },
  }, liveOf({ users: [user('first_last@acme.com', 'user')] }));
  const text = renderPlanMarkdown(p);

  it('escapes a workspace named <script>|x everywhere outside code', () => {
    expect(p.changes.map((c) => c.address)).toEqual([`workspace["${evil}"]`, `workspace_member["${evil}/first_last@acme.com"]`]);
    const outsideCode = text.replace(/`[^`]*`/g, '');
    expect(outsideCode).not.toContain('<script');
    expect(outsideCode).not.toMatch(/\|x/);
    expect(text).toContain('added to workspace &lt;script&gt;&#124;x as workspace&#95;user');
    expect(text).toContain('<summary>workspace <code>&lt;script&gt;&#124;x</code>: created</summary>');
    // In a code span the name is literal, and safe.
    expect(text).toContain('`workspace["<script>|x"]`');
  });

  it('an email with _ is never emphasis and never a link', () => {
    const outsideCode = text.replace(/`[^`]*`/g, '').replace(/<code>[^<]*<\/code>/g, '');
    expect(outsideCode).not.toContain('first_last');
    expect(text).toContain('<code>first&#95;last@acme.com</code>');
    expect(text).not.toMatch(/\]\(mailto:|<mailto:|<first/);
  });

  it('escapes markdown, HTML and line breaks in reasons, names and diagnostics', () => {
    const t = renderPlanMarkdown(planOf([
      change({ kind: 'member', key: '[boss@acme.com](mailto:evil@x.com)', action: 'delete', removal: true,
        reason: 'see [here](https://evil.example) *now* & <b>bold</b> `x` ~~y~~ $z$ \\&#42;\n\n## heading' }),
    ], { diagnostics: [{ severity: 'warning', code: 'w', message: '<img src=x onerror=alert(1)> _a_' }] }));
    expect(t).toContain('see &#91;here&#93;(https://evil.example) &#42;now&#42; &amp; &lt;b&gt;bold&lt;/b&gt; &#96;x&#96; ' +
      '&#126;&#126;y&#126;&#126; &#36;z&#36; &#92;&amp;#42;&#92;n&#92;n## heading');
    expect(t).not.toContain('\n## heading');
    expect(t).toContain('&lt;img src=x onerror=alert(1)&gt; &#95;a&#95;');
    expect(t).toContain('- `member["[boss@acme.com](mailto:evil@x.com)"]` **delete**');
    expect(t).toContain('<code>&#91;boss@acme.com&#93;(mailto:evil@x.com)</code>');
    expect(t.replace(/`[^`]*`/g, '')).not.toContain('](mailto:');
  });

  it('code spans survive backticks and the org id cannot close the marker', () => {
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`a')).toBe('`` `a ``');
    // a line break is shown as `\n` (issue 12: made visible, no longer collapsed to a space)
    expect(codeSpan('a\nb')).toBe('`a\\nb`');
    expect(planCommentMarker('x --> <b>hi</b>')).toBe('<!-- claude-reconcile:plan org=x_-___b_hi__b_ -->');
  });
});

describe('renderPlanMarkdown: plan states', () => {
  it('a blocked plan says so in the summary line, with the reason', () => {
    const p = run({ removals: 'prune', maxRemovals: 1, members: KEEPER_MEMBER }, liveOf({ users: [user('a@acme.com', 'user'), user('b@acme.com', 'user'), keeper()] }));
    expect(p.blocked).toBe(true);
    const t = renderPlanMarkdown(p);
    const summary = t.split('\n')[3]!;
    expect(summary).toBe(`**Plan:** 2 to delete · **removals 2/1** · **people leaving 2 of 3** · ⛔ **blocked**: ${escapeText(p.blocked_reason!)}`);
    expect(summary).toContain('run again with --allow-removals 2');
    expect(section(t, '⚠️ Destructive changes (2)')).toContain('`member["a@acme.com"]`');
    expect(renderPlanMarkdown(run({ removals: 'prune', maxRemovals: 1, members: KEEPER_MEMBER }, liveOf({ users: [user('a@acme.com', 'user'), keeper()] }), 5)).split('\n')[3])
      .toBe('**Plan:** 1 to delete · removals 1/5 (--allow-removals) · people leaving 1 of 2 · ✅ not blocked');
  });

  it('a plan without changes says so plainly and has no change sections', () => {
    const p = run({ members: { 'a@acme.com': 'user' } }, liveOf({ users: [user('a@acme.com', 'user')] }));
    const t = renderPlanMarkdown(p);
    expect(t.split('\n').slice(3, 6)).toEqual(['**Plan:** no changes · removals 0/10 · ✅ not blocked', '', 'No changes: the organization matches the desired state.']);
    expect(t).not.toContain('###');
    expect(t).toContain(p.plan_hash);
  });

  it('a plan with only deferred items says it makes no API changes', () => {
    const p = run({ provisioning: 'scim', members: { 'a@acme.com': 'user' } },
      liveOf({ scim: { available: true, users: [{ id: 's1', userName: 'a@acme.com', active: true }], groups: [] } }));
    expect(p.changes.map((c) => c.action)).toEqual(['deferred']);
    const t = renderPlanMarkdown(p);
    expect(t.split('\n')[3]).toBe('**Plan:** no API changes; 1 deferred · removals 0/10 · ✅ not blocked');
    expect(t).toContain('No API changes: applying this plan calls no API.');
    expect(personLine(t, 'a@acme.com')).toContain('joins at the next directory sync');
  });

  it('uses the title and names the marker forms', () => {
    expect(PLAN_COMMENT_MARKER).toBe('<!-- claude-reconcile:plan -->');
    expect(planCommentMarker()).toBe(PLAN_COMMENT_MARKER);
    expect(planCommentMarker(ORG_ID)).toBe(`<!-- claude-reconcile:plan org=${ORG_ID} -->`);
    expect(planCommentMarker(ORG_ID).startsWith('<!-- claude-reconcile:plan')).toBe(true);
    const t = renderPlanMarkdown(CONSOLE, { title: 'Staging *org*' });
    expect(t.split('\n')[1]).toBe(`## Staging &#42;org&#42;: Acme (\`${ORG_ID}\`)`);
  });

  it('renders the same plan to the same text, with no time in it', () => {
    const a = renderPlanMarkdown(CONSOLE);
    expect(renderPlanMarkdown(structuredClone(CONSOLE))).toBe(a);
    // No clock: rendering at another time gives the same text.
    vi.useFakeTimers();
    try {
      vi.setSystemTime(new Date('2031-05-06T07:08:09Z'));
      expect(renderPlanMarkdown(CONSOLE)).toBe(a);
    } finally {
      vi.useRealTimers();
    }
    expect(a).not.toContain('2031');
    expect(renderPlanMarkdown(structuredClone(ENTERPRISE))).toBe(renderPlanMarkdown(ENTERPRISE));
    // The same changes in another plan object (ids and all) give the same text; another plan gives another.
    expect(renderPlanMarkdown(ENTERPRISE)).not.toBe(a);
  });
});

describe('renderPlanMarkdown: diagnostics', () => {
  const d = (severity: 'error' | 'warning' | 'info', code: string, i: number) => ({ severity, code, message: `${code} ${i}`, file: 'org.yaml', line: i + 1 });

  it('lists every error, at most 20 warnings per code with a count of the rest, and lists few info notes', () => {
    const diagnostics = [
      d('error', 'schema', 0),
      ...Array.from({ length: 25 }, (_, i) => d('warning', 'undeclared_member', i)),
      d('warning', 'other', 0),
      ...Array.from({ length: 3 }, (_, i) => d('info', 'invited', i)),
    ];
    const t = section(renderPlanMarkdown(planOf([], { diagnostics })), 'Diagnostics');
    expect(t).toContain('- ❌ **error** `org.yaml:1`: schema 0 (`schema`)');
    expect(t).toContain('- ⚠️ warning `org.yaml:20`: undeclared&#95;member 19 (`undeclared_member`)');
    expect(t).not.toContain('undeclared&#95;member 20 ');
    expect(t).toContain('- ⚠️ … 5 more warnings `undeclared_member`');
    expect(t).toContain('other 0');
    expect(t).toContain('- ℹ️ note `org.yaml:3`: invited 2 (`invited`)');
  });

  it('counts info notes per code when there are many', () => {
    const diagnostics = [
      ...Array.from({ length: 12 }, (_, i) => d('info', 'invited', i)),
      ...Array.from({ length: 2 }, (_, i) => d('info', 'awaiting_first_sign_in', i)),
    ];
    const t = section(renderPlanMarkdown(planOf([], { diagnostics })), 'Diagnostics');
    expect(t).toContain('- ℹ️ 14 notes: 2 × `awaiting_first_sign_in`, 12 × `invited`');
    expect(t).not.toContain('invited 3');
  });
});

describe('GitHub mentions', () => {
  it('an @name at the start of a word never pings a user or team; an email is left as it is', () => {
    expect(escapeText('@acme/admins and (@bob)')).toBe('@&#8203;acme/admins and (@&#8203;bob)');
    expect(escapeText('alice@acme.com')).toBe('alice@acme.com');
  });
});
