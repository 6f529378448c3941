// The comment a reviewer reads (issue 14, item 4): every removal is named, grouped by what happens and why, or
// exactly counted with where the full list is; undeclared objects (drift) likewise; paths relative to the
// repository. Plans come from the real planner over builders, except `undeclared`, which is set by hand.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Live } from '../../src/model/live.js';
import type { Plan, UndeclaredItem } from '../../src/model/plan.js';
import { plan } from '../../src/planner/index.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { destructiveGroups, naturalCompare, reasonClass, renderNameGroups, undeclaredGroups } from '../../src/render/markdown-names.js';
import { repoPath } from '../../src/render/repo-path.js';
import { renderPlanText } from '../../src/render/text.js';
import { desiredOf, invite, keeper, KEEPER_MEMBER, liveOf, NOW, user, workspace, type DesiredSpec } from '../builders.js';
import { namedIn, sectionOf } from './named.js';
import { meanLength, personEmail } from './people.js';

const HINT = 'The full plan is saved as plan.json (attached to the workflow run).';
const LIMIT = 60_000;

function run(spec: DesiredSpec, live: Live): Plan {
  return plan(desiredOf(spec), live, { now: NOW, allowRemovals: 100_000, allowMassRemoval: true });
}

/** `n` live members nobody declares, removed under prune (plus the keeper, so the organization keeps a member). */
function pruneMany(n: number, email = personEmail, extra: DesiredSpec = {}): { plan: Plan; removed: string[] } {
  const removed = Array.from({ length: n }, (_, i) => email(i));
  const p = run({ removals: 'prune', ...extra, members: { ...KEEPER_MEMBER, ...extra.members } },
    liveOf({ users: [...removed.map((e) => user(e, 'user')), keeper()] }));
  return { plan: p, removed };
}

const destructiveOf = (t: string) => namedIn(sectionOf(t, '⚠️ Destructive changes'));

describe('destructive changes: every removal named', () => {
  it('5,000 removals of ~25-character addresses: under 60,000 characters, each named or counted exactly', () => {
    const { plan: p, removed } = pruneMany(5_000);
    expect(meanLength(removed)).toBeGreaterThan(24);
    expect(meanLength(removed)).toBeLessThan(28);
    expect(p.removals.count).toBe(5_000);
    const t = renderPlanMarkdown(p, { fullPlanHint: HINT });
    expect(t.length).toBeLessThanOrEqual(LIMIT);
    const named = destructiveOf(t);
    expect(named.full).toBe(false);
    // No name twice, no name that is not removed, and the rest counted exactly, per group and in all.
    expect(new Set(named.names).size).toBe(named.names.length);
    const set = new Set(removed);
    expect(named.names.filter((e) => !set.has(e))).toEqual([]);
    expect(named.names.length).toBeGreaterThan(3_000); // one line per removal named 600 of them
    expect(named.names.length + named.notNamed).toBe(5_000);
    expect(named.groupNotNamed).toBe(named.notNamed);
    const rest = (5_000 - named.names.length).toLocaleString('en-US');
    expect(t).toContain(`\n- … ${rest} of 5,000 destructive changes not named here. ${HINT}\n`);
    expect(t).toContain(`> ✂️ **Shortened** to fit one comment: ${rest} of 5,000 destructive changes not named; per-change detail left out. ${HINT}`);
    // Names are sorted within their domain, the domains in order.
    expect(t).toContain('- **Removed from the organization** (not declared; policy.removals: prune) — 5,000: `@acmecorp.io`: `alice.chen0, alice.chen1, ');
    expect(t.split('\n').at(-2)).toContain(p.plan_hash);
  });

  it('5,000 removals of short addresses are all named', () => {
    const { plan: p, removed } = pruneMany(5_000, (i) => `u${i}@acme.com`);
    const t = renderPlanMarkdown(p, { fullPlanHint: HINT });
    expect(t.length).toBeLessThanOrEqual(LIMIT);
    const named = destructiveOf(t);
    expect([...named.names].sort()).toEqual([...removed].sort());
    expect(named.notNamed).toBe(0);
    expect(t).not.toContain('not named');
  });

  it('1,500 removals in a 3,000-change plan are all named (the comment used to show 977)', () => {
    const joining = Array.from({ length: 1_500 }, (_, i) => personEmail(10_000 + i));
    const { plan: p, removed } = pruneMany(1_500, personEmail, { members: Object.fromEntries(joining.map((e) => [e, 'user'])) });
    expect(p.changes).toHaveLength(3_000);
    expect(p.summary).toMatchObject({ create: 1_500, delete: 1_500 });
    const t = renderPlanMarkdown(p, { fullPlanHint: HINT });
    expect(t.length).toBeLessThanOrEqual(LIMIT);
    const named = destructiveOf(t);
    expect([...named.names].sort()).toEqual([...removed].sort());
    expect(named.notNamed).toBe(0);
    expect(t).not.toContain('not named');
    // The room left goes to the people joining, whose changes the removals do not name.
    const joiningShown = joining.filter((e) => t.includes(`\n- \`${e}\`: invited as user`));
    expect(joiningShown.length).toBeGreaterThan(300);
    expect(t).not.toMatch(/^- `[^`]+`: removed from the organization$/m);
    const more = /^- … ([\d,]+) more people not shown$/m.exec(t);
    expect(Number(more![1]!.replace(/,/g, ''))).toBe(3_000 - joiningShown.length);
  });

  it('a small plan keeps one line per destructive change with its own reason', () => {
    const withGone = run({ removals: 'prune', members: KEEPER_MEMBER, departed: { 'gone@acme.com': { reason: 'left for a rival' } } },
      liveOf({ users: [...['p0', 'p1', 'p2', 'gone'].map((n) => user(`${n}@acme.com`, 'user')), keeper()] }));
    expect(withGone.changes.length).toBe(4);
    const t = renderPlanMarkdown(withGone);
    const named = destructiveOf(t);
    expect(named.full).toBe(true);
    expect(named.names.sort()).toEqual(['gone@acme.com', 'p0@acme.com', 'p1@acme.com', 'p2@acme.com']);
    expect(t).toContain('- `member["gone@acme.com"]` **delete** — departed: left for a rival');
    expect(t).not.toContain('Grouped by what happens');
  });

  it('groups by what happens and why: departed, expired, pruned, invites, memberships, archived workspaces', () => {
    const frank = user('frank@acme.com', 'developer');
    const research = workspace('Research');
    const old = workspace('@acme/old');
    const p = run({
      removals: 'prune',
      members: { ...KEEPER_MEMBER, 'frank@acme.com': 'developer', 'exp@acme.com': { role: 'user', expires: '2026-01-31' } },
      departed: { 'bob@acme.com': { reason: 'left' }, 'carl@beta.io': { date: '2026-10-01' } },
      workspaces: { Research: { members: {} }, '@acme/old': { archived: true } },
    }, liveOf({
      users: [keeper(), frank, user('bob@acme.com', 'user'), user('carl@beta.io', 'user'), user('exp@acme.com', 'user'), user('x_y@acme.com', 'user')],
      invites: [invite('inv@acme.com', 'user')],
      workspaces: [research, old],
      workspaceMembers: [{ workspaceId: research.id, userId: frank.id, role: 'workspace_user' }],
    }));
    const destructive = p.changes.flatMap((c, i) => (c.removal || c.action === 'delete' ? [i] : []));
    const r = renderNameGroups(destructiveGroups(p.changes, destructive), 10_000);
    expect(r.named).toBe(r.total);
    expect(r.lines).toEqual([
      '- **Removed from the organization** (departed) — 2: `@acme.com`: `bob` · `@beta.io`: `carl`',
      '- **Removed from the organization** (expired) — 1: `@acme.com`: `exp`',
      '- **Removed from the organization** (not declared; policy.removals: prune) — 1: `@acme.com`: `x_y`',
      '- **Invites withdrawn** (not declared; policy.removals: prune) — 1: `@acme.com`: `inv`',
      '- **Removed from workspace `Research`** (not declared there) — 1: `@acme.com`: `frank`',
      '- **Workspaces archived** (archive the workspace) — 1: `@acme/old`',
    ]);
    expect(reasonClass('departed 2026-10-01: left')).toBe('departed');
    expect(reasonClass('rename from "x"')).toBe('rename from "x"');
  });

  it('escapes in the compact form: odd names get their own code span, nothing pings, nothing is markup', () => {
    const names = ['a`b@acme.com', 'c, d@acme.com', '@team', 'e\u202e@acme.com', ' lead@acme.com', '<b>x</b>@acme.com'];
    const r = renderNameGroups([{ title: '**T** (why)', names, changes: [], rank: 0 }], 10_000);
    expect(r.named).toBe(6);
    const line = r.lines[0]!;
    expect(line).toContain('``a`b@acme.com``');
    expect(line).toContain('`c, d@acme.com`');
    expect(line).toContain('`  lead@acme.com `'); // CommonMark strips one space of each side
    expect(line).toContain('`@acme.com`: `<b>x</b>, e\\u202e`');
    expect(line).toContain('`@team`');
    expect(line).not.toMatch(/[\u202e]/);
    // outside code spans: only the title, separators and counts
    expect(line.replace(/``.*?``|`[^`]*`/g, '')).toBe('- **T** (why) — 6: :  ·  ·  ·  · ');
  });

  it('names in natural order within their domain, the same on every machine', () => {
    const names = ['temp10@acme.com', 'temp2@acme.com', 'Temp1@acme.com', 'temp01@acme.com', 'zed@beta.io', 'amy@beta.io', 'amy@acme.com'];
    const r = renderNameGroups([{ title: '**T**', names, changes: [], rank: 0 }], 10_000);
    expect(r.lines).toEqual(['- **T** — 7: `@acme.com`: `amy, Temp1, temp01, temp2, temp10` · `@beta.io`: `amy, zed`']);
    expect(['b10', 'b9', 'a', 'B9', 'b09'].sort(naturalCompare)).toEqual(['a', 'B9', 'b9', 'b09', 'b10']);
  });

  it('never takes more than the room it is given, and more room never names fewer', () => {
    const { plan: p } = pruneMany(300);
    const groups = destructiveGroups(p.changes, p.changes.map((_, i) => i));
    let previous = -1;
    for (let room = 0; room < 12_000; room += 61) {
      const r = renderNameGroups(groups, room);
      expect(r.cost, `room ${room}`).toBeLessThanOrEqual(room);
      expect(r.lines.join('\n').length + (r.lines.length > 0 ? 1 : 0)).toBe(r.cost);
      expect(r.named).toBeGreaterThanOrEqual(previous);
      previous = r.named;
    }
    expect(previous).toBe(300);
  });
});

describe('undeclared objects (drift)', () => {
  const items: UndeclaredItem[] = [
    { address: 'member["zed@acme.com"]', why: 'a member (developer) the file does not declare: declare them under members, departed or policy.unmanaged' },
    { address: 'invite["new_hire@acme.com"]', why: 'a pending invite as user the file does not declare' },
    { address: 'workspace["Old"]', why: 'a workspace the file does not declare: declare it, or archive it with archived: true' },
    { address: 'group["@acme/admins"]', why: 'an RBAC group the file does not declare' },
  ];
  const base = run({ members: { 'a@acme.com': 'user' } }, liveOf({ users: [user('a@acme.com', 'user')] }));
  const withDrift: Plan = { ...base, undeclared: items };

  it('markdown: counted in the summary line, listed one per line with why when it fits', () => {
    const t = renderPlanMarkdown(withDrift);
    expect(t.split('\n')[3]).toBe('**Plan:** no changes · 4 undeclared · removals 0/100,000 (--allow-removals) · ✅ not blocked');
    expect(t).toContain('No changes: every declared object matches; the organization also holds undeclared objects (drift, listed below).');
    const s = sectionOf(t, 'Undeclared (drift): 4');
    expect(s).toContain('- `member["zed@acme.com"]` — a member (developer) the file does not declare: declare them under members, departed or policy.unmanaged');
    expect(s).toContain('- `invite["new_hire@acme.com"]` — a pending invite as user the file does not declare');
    expect(namedIn(s).names).toEqual(['zed@acme.com', 'new_hire@acme.com', 'Old', '@acme/admins']);
    // the section sits after the destructive changes and before the diagnostics and the hash
    expect(t.indexOf('### Undeclared')).toBeLessThan(t.indexOf('Plan hash'));
    expect(renderPlanMarkdown(base)).not.toContain('undeclared');
  });

  it('markdown: grouped by kind when one line each does not fit, every one named or counted exactly', () => {
    const many: UndeclaredItem[] = [
      ...Array.from({ length: 4_000 }, (_, i) => ({ address: `member[${JSON.stringify(personEmail(i))}]`, why: 'not declared' })),
      ...Array.from({ length: 900 }, (_, i) => ({ address: `invite[${JSON.stringify(personEmail(20_000 + i))}]`, why: 'not declared' })),
      ...Array.from({ length: 100 }, (_, i) => ({ address: `workspace[${JSON.stringify(`Project ${i}`)}]`, why: 'not declared' })),
    ];
    const t = renderPlanMarkdown({ ...base, undeclared: many }, { fullPlanHint: HINT });
    expect(t.length).toBeLessThanOrEqual(LIMIT);
    expect(t.split('\n')[3]).toContain('· 5,000 undeclared ·');
    const named = namedIn(sectionOf(t, 'Undeclared (drift): 5,000'));
    expect(named.full).toBe(false);
    expect(new Set(named.names).size).toBe(named.names.length);
    expect(named.names.length).toBeGreaterThan(3_000);
    expect(named.names.length + named.notNamed).toBe(5_000);
    expect(t).toContain('\n- **Members** — 4,000: `@acmecorp.io`: `alice.chen0, ');
    expect(t).toMatch(/\n- \*\*Pending invites\*\* — 900: /);
    expect(t).toMatch(/\n- \*\*Workspaces\*\* — 100: /);
    expect(t).toContain(`of 5,000 undeclared objects not named here. ${HINT}`);
    expect(undeclaredGroups(many).map((g) => [g.title, g.names.length])).toEqual([['**Members**', 4_000], ['**Pending invites**', 900], ['**Workspaces**', 100]]);
  });

  it('text: a section with the count and each object with why', () => {
    const t = renderPlanText(withDrift, { color: false });
    const lines = t.split('\n');
    const at = lines.indexOf('Undeclared (drift): 4');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 5)).toEqual(items.map((u) => `  ${u.address}: ${u.why}`));
    expect(renderPlanText(base, { color: false })).not.toContain('Undeclared');
    expect(renderPlanText({ ...base, undeclared: [{ address: 'member["x\\n  - y@acme.com"]', why: 'a\u001b[2Kb' }] }, { color: false }))
      .toContain('  member["x\\n  - y@acme.com"]: a\\u001b[2Kb');
  });
});

describe('paths relative to the repository', () => {
  const cwd = process.cwd();

  it('repoPath: inside the working directory relative, outside only the file name, relative as given', () => {
    expect(repoPath(join(cwd, 'orgs', 'acme.yaml'))).toBe('orgs/acme.yaml');
    expect(repoPath('/home/runner/work/infra/infra/orgs/acme.yaml', '/home/runner/work/infra/infra')).toBe('orgs/acme.yaml');
    expect(repoPath('/tmp/other/acme.yaml', '/home/runner/work/infra/infra')).toBe('…/acme.yaml');
    expect(repoPath('/home/runner/work/infra/infra-2/a.yaml', '/home/runner/work/infra/infra')).toBe('…/a.yaml');
    expect(repoPath('/home/runner/work/infra/infra/..x/a.yaml', '/home/runner/work/infra/infra')).toBe('..x/a.yaml');
    expect(repoPath('orgs/acme.yaml', '/anywhere')).toBe('orgs/acme.yaml');
  });

  it('the desired file and a diagnostic file under the working directory are shown relative, never absolute', () => {
    const p = run({ members: { 'a@acme.com': 'user' } }, liveOf({ users: [user('a@acme.com', 'developer')] }));
    const file = join(cwd, 'orgs', 'acme.yaml');
    const q: Plan = {
      ...p,
      desired: { ...p.desired, file },
      diagnostics: [
        { severity: 'warning', code: 'w', message: 'from the planner', line: 12 },
        { severity: 'error', code: 'e', message: 'from a loader', file, line: 3 },
      ],
    };
    const t = renderPlanMarkdown(q);
    expect(t).toContain('Desired state `orgs/acme.yaml` (sha256');
    expect(t).toContain('- ⚠️ warning `orgs/acme.yaml:12`: from the planner (`w`)');
    expect(t).toContain('- ❌ **error** `orgs/acme.yaml:3`: from a loader (`e`)');
    expect(t).not.toContain(cwd);
    const outside = renderPlanMarkdown({ ...q, desired: { ...q.desired, file: '/opt/runner/tmp/x.yaml' } }, { cwd });
    expect(outside).toContain('Desired state `…/x.yaml`');
    expect(outside).not.toContain('/opt/runner');
  });
});
