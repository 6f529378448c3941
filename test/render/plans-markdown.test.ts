// The comment for one or several organizations (`plan --format markdown`, src/render/plans-markdown.ts; issue 14, item 4):
// the room shared by need so that a large plan still names its removals, each organization's own plan_hash, the
// hash of all plans last, an invalid file's diagnostics, and paths relative to the repository.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPlansMarkdown, shareRoom, type CommentOrg } from '../../src/render/plans-markdown.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import type { Plan } from '../../src/model/plan.js';
import { planSet } from '../../src/model/plan-set.js';
import { plan } from '../../src/planner/index.js';
import { desiredOf, keeper, KEEPER_MEMBER, liveOf, NOW, user } from '../builders.js';
import { namedIn, sectionOf } from './named.js';
import { personEmail } from './people.js';

const LIMIT = 60_000;
const cwd = process.cwd();

/** A plan of organization `id` removing `n` undeclared members (prune) and inviting `joining` people. */
function orgPlan(id: string, n: number, joining = 0, file = 'org.yaml'): { plan: Plan; removed: string[] } {
  const removed = Array.from({ length: n }, (_, i) => personEmail(i));
  const members = { ...KEEPER_MEMBER, ...Object.fromEntries(Array.from({ length: joining }, (_, i) => [`new${i}@acme.com`, 'user'])) };
  const p = plan({ ...desiredOf({ removals: 'prune', members }), file }, liveOf({ users: [...removed.map((e) => user(e, 'user')), keeper()] }),
    { now: NOW, allowRemovals: 100_000, allowMassRemoval: true });
  return { plan: { ...p, organization: { ...p.organization, id } }, removed };
}

/** The section of one organization: from its `#### `file`` heading to the next one or the hash of all plans. */
function orgSection(t: string, file: string): string {
  const start = t.indexOf(`#### \`${file}\``);
  expect(start, file).toBeGreaterThanOrEqual(0);
  const rest = t.slice(start);
  const end = rest.indexOf('\n---\n\n####', 1);
  const all = rest.indexOf('\n---\n\nplan_hash of all');
  const stop = [end, all].filter((i) => i > 0);
  return stop.length > 0 ? rest.slice(0, Math.min(...stop)) : rest;
}

const lastHash = (md: string) => [...md.matchAll(/`([0-9a-f]{64})`/g)].pop()?.[1];

describe('several organizations in one comment', () => {
  it('5,000 removals in one of two: under 60,000 characters, each removal named or counted exactly, the other whole', () => {
    const big = orgPlan('org-big', 5_000, 0, join(cwd, 'orgs', 'big.yaml'));
    const small = orgPlan('org-small', 2, 3, join(cwd, 'orgs', 'small.yaml'));
    const orgs: CommentOrg[] = [{ file: join(cwd, 'orgs', 'big.yaml'), plan: big.plan }, { file: join(cwd, 'orgs', 'small.yaml'), plan: small.plan }];
    const t = renderPlansMarkdown(orgs, { outFile: join(cwd, 'plan.json') });
    expect(t.length).toBeLessThanOrEqual(LIMIT);
    const named = namedIn(sectionOf(orgSection(t, 'orgs/big.yaml'), '⚠️ Destructive changes'));
    expect(new Set(named.names).size).toBe(named.names.length);
    expect(named.names.every((e) => big.removed.includes(e))).toBe(true);
    expect(named.names.length + named.notNamed).toBe(5_000);
    // the small organization takes what it needs, the large one all the rest
    expect(named.names.length).toBeGreaterThan(3_000);
    expect(t).toContain(`of 5,000 destructive changes not named here. The full plan is saved as plan.json (attached to the workflow run).`);
    const other = orgSection(t, 'orgs/small.yaml');
    expect(other).not.toContain('Shortened');
    expect(namedIn(sectionOf(other, '⚠️ Destructive changes')).names.sort()).toEqual([...small.removed].sort());
    expect(other).toContain('<details><summary><code>new0@acme.com</code>: invited as user</summary>');
    // each organization's own hash in its section, one line, in code spans; the hash of all plans last
    expect(orgSection(t, 'orgs/big.yaml')).toContain(`\nplan_hash for organization \`org-big\`: \`${big.plan.plan_hash}\`\n`);
    expect(other).toContain(`\nplan_hash for organization \`org-small\`: \`${small.plan.plan_hash}\`\n`);
    expect(lastHash(t)).toBe(planSet([big.plan, small.plan]).plan_hash);
    expect(t).not.toContain(cwd);
  });

  it('3,000 removals in one of two are all named: the room is shared by need, not in halves', () => {
    const big = orgPlan('org-big', 3_000);
    const small = orgPlan('org-small', 1, 1);
    const t = renderPlansMarkdown([{ file: 'orgs/big.yaml', plan: big.plan }, { file: 'orgs/small.yaml', plan: small.plan }]);
    expect(t.length).toBeLessThanOrEqual(LIMIT);
    const named = namedIn(sectionOf(orgSection(t, 'orgs/big.yaml'), '⚠️ Destructive changes'));
    expect([...named.names].sort()).toEqual([...big.removed].sort());
    expect(t).not.toContain('not named');
  });

  it('5,000 removals in each of two: each named or counted exactly, under 60,000 characters', () => {
    const a = orgPlan('org-a', 5_000);
    const b = orgPlan('org-b', 5_000);
    const t = renderPlansMarkdown([{ file: 'orgs/a.yaml', plan: a.plan }, { file: 'orgs/b.yaml', plan: b.plan }]);
    expect(t.length).toBeLessThanOrEqual(LIMIT);
    for (const f of ['orgs/a.yaml', 'orgs/b.yaml']) {
      const named = namedIn(sectionOf(orgSection(t, f), '⚠️ Destructive changes'));
      expect(named.names.length + named.notNamed, f).toBe(5_000);
      expect(named.names.length, f).toBeGreaterThan(1_500);
    }
  });

  it('so many organizations that no section fits: one line each with its summary and hash, under 60,000 characters', () => {
    const one = orgPlan('org-x', 3, 2);
    const orgs: CommentOrg[] = Array.from({ length: 150 }, (_, i) => ({
      file: `orgs/o${i}.yaml`, plan: { ...one.plan, organization: { ...one.plan.organization, id: `org-${i}` } },
    }));
    const t = renderPlansMarkdown(orgs);
    expect(t.length).toBeLessThanOrEqual(LIMIT);
    expect(t).toContain('Too many organizations for one section each: one line each.');
    expect(t).toContain(`\n- \`orgs/o0.yaml\`: **Plan:** 2 to create, 3 to delete · removals 3/100,000 (--allow-removals) · people leaving 3 of 4 (--allow-mass-removal) · ✅ not blocked · plan_hash for organization \`org-0\`: \`${one.plan.plan_hash}\`\n`);
    expect(t).toContain('\n- `orgs/o149.yaml`: ');
    expect(lastHash(t)).toBe(planSet(orgs.map((x) => x.plan!)).plan_hash);
    const many = renderPlansMarkdown(Array.from({ length: 400 }, (_, i) => orgs[i % 150]!));
    expect(many.length).toBeLessThanOrEqual(LIMIT);
    expect(many).toMatch(/\n- … [\d,]+ more organizations not shown\. Run claude-reconcile plan for the full plan\.\n/);
  });

  it('shareRoom: what a section needs when it fits, the rest in equal parts', () => {
    expect(shareRoom([100, Infinity], 1_000)).toEqual([100, 900]);
    expect(shareRoom([Infinity, Infinity, 10], 1_000)).toEqual([495, 495, 10]);
    expect(shareRoom([300, 400], 1_000)).toEqual([300, 400]);
    expect(shareRoom([800, 900], 1_000)).toEqual([500, 500]);
  });
});

describe('an organization without a plan', () => {
  const diags: Diagnostic[] = [
    { severity: 'warning', code: 'deprecated', message: 'old key', file: join(cwd, 'orgs', 'bad.yaml'), line: 2 },
    { severity: 'error', code: 'schema', message: 'members.alice@acme.com: must be one of <user|developer> @security-team', file: join(cwd, 'orgs', 'bad.yaml'), line: 7 },
  ];

  it('an invalid file: its diagnostics as file:line: message, errors first, escaped, relative to the repository', () => {
    const t = renderPlansMarkdown([{ file: join(cwd, 'orgs', 'bad.yaml'), diagnostics: diags }]);
    expect(t.split('\n')[0]).toBe('<!-- claude-reconcile:plan -->');
    expect(t).toContain('### claude-reconcile: no plan for `orgs/bad.yaml`');
    expect(t).toContain('The file is invalid: nothing was read or changed.');
    const error = '- ❌ **error** `orgs/bad.yaml:7`: members.alice@acme.com: must be one of &lt;user&#124;developer&gt; @&#8203;security-team (`schema`)';
    const warning = '- ⚠️ warning `orgs/bad.yaml:2`: old key (`deprecated`)';
    expect(t).toContain(error);
    expect(t.indexOf(error)).toBeLessThan(t.indexOf(warning));
    expect(t).not.toContain('see the job log');
    expect(t).not.toContain(cwd);
  });

  it('bounded: ten diagnostics, each message cut short, the rest counted', () => {
    const many: Diagnostic[] = Array.from({ length: 45 }, (_, i) => ({ severity: 'error', code: 'schema', message: `problem ${i} ${'x'.repeat(5_000)}`, file: 'orgs/bad.yaml', line: i + 1 }));
    const t = renderPlansMarkdown([{ file: 'orgs/bad.yaml', diagnostics: many }]);
    expect(t.length).toBeLessThan(5_000);
    expect(t).toContain('- ❌ **error** `orgs/bad.yaml:10`: problem 9 x');
    expect(t).not.toContain('problem 10 ');
    expect(t).toContain('- … 35 more diagnostics: run `claude-reconcile validate -f orgs/bad.yaml`');
  });

  it('among several: its section shows the diagnostics, the others their plans, and there is no hash of all plans', () => {
    const ok = orgPlan('org-ok', 2);
    const t = renderPlansMarkdown([{ file: 'orgs/ok.yaml', plan: ok.plan }, { file: join(cwd, 'orgs', 'bad.yaml'), diagnostics: diags }]);
    const bad = orgSection(t, 'orgs/bad.yaml');
    expect(bad).toContain('No plan. The file is invalid: nothing was read or changed.');
    expect(bad).toContain('`orgs/bad.yaml:7`: members.alice@acme.com: must be one of');
    expect(orgSection(t, 'orgs/ok.yaml')).toContain(`plan_hash for organization \`org-ok\`: \`${ok.plan.plan_hash}\``);
    expect(t).not.toContain('plan_hash of all organizations');
  });

  it('a read error is shown, escaped; with nothing known, the job log', () => {
    expect(renderPlansMarkdown([{ file: 'orgs/a.yaml', error: 'HTTP 401 <authentication_error>: invalid x-api-key' }]))
      .toContain('The organization could not be read: HTTP 401 &lt;authentication&#95;error&gt;: invalid x-api-key');
    expect(renderPlansMarkdown([{ file: 'orgs/a.yaml' }])).toContain('see the job log');
  });
});
