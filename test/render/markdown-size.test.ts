// The pull-request view stays under GitHub's comment limit (65,536): detail is dropped in order (info notes, the
// <details> blocks, per-person lines) while the summary line and the destructive changes stay (issue 5, item 2);
// thousands of destructive changes are named in the compact form (issue 14; markdown-names.test.ts).

import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { emptySummary, type Change, type Plan } from '../../src/model/plan.js';
import { plan } from '../../src/planner/index.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { desiredOf, liveOf, looseChange, NOW, type LooseChange } from '../builders.js';
import { namedIn, sectionOf } from './named.js';

const HASH = 'a'.repeat(64);
const pad = (n: number) => String(n).padStart(5, '0');

/** A plan around the given changes; the rest (organization, desired file) from the planner, so it stays a real Plan. */
function planOf(changes: Change[], diagnostics: Diagnostic[] = []): Plan {
  const base = plan(desiredOf({}), liveOf(), { now: NOW });
  const summary = emptySummary();
  for (const c of changes) summary[c.action] += 1;
  const removals = changes.filter((c) => c.removal).map((c) => c.address);
  return {
    ...base,
    organization: { ...base.organization, id: 'org-1' },
    changes, diagnostics, summary,
    removals: { count: removals.length, limit: removals.length, overridden: true, addresses: removals, people: { leaving: 0, total: 0, removable: 0 }, max_share: 0.5, mass: false, mass_allowed: false },
    blocked: false,
    access_remains: [],
    plan_hash: HASH,
  };
}

function c(kind: Change['kind'], key: string, action: Change['action'], phase: number, extra: Partial<LooseChange> = {}): Change {
  return looseChange({ address: `${kind}[${JSON.stringify(key)}]`, kind, key, action, reason: 'new member', before: null, after: null, phase, depends_on: [], removal: false, ...extra });
}

/** `people` new people with five changes each, then `removed` people removed, in phase order like the planner. */
function bigPlan(people: number, removed: number, reason = 'not declared (policy.removals: prune)'): Plan {
  const changes: Change[] = [];
  for (let i = 0; i < people; i += 1) {
    const e = `user${pad(i)}@acme.com`;
    changes.push(c('invite', e, 'create', 1, { after: { email: e, role: 'developer' } }));
    changes.push(c('workspace_member', `Research/${e}`, 'deferred', 4, { after: { workspace: 'Research', role: 'workspace_developer' }, reason: 'joins after accepting the invite' }));
    changes.push(c('workspace_member', `Platform Team/${e}`, 'deferred', 4, { after: { workspace: 'Platform Team', role: 'workspace_user' }, reason: 'joins after accepting the invite' }));
    changes.push(c('group_member', `Engineering/${e}`, 'deferred', 4, { after: { group: 'Engineering' }, reason: 'not a member yet' }));
    changes.push(c('scim_group_member', `All Staff/${e}`, 'deferred', 4, { after: { group: 'All Staff' }, reason: 'not a member yet' }));
  }
  for (let i = 0; i < removed; i += 1) {
    const e = `gone${pad(i)}@acme.com`;
    changes.push(c('member', e, 'delete', 6, { before: { email: e, name: 'Gone', role: 'user' }, removal: true, reason }));
  }
  const infos: Diagnostic[] = Array.from({ length: 40 }, (_, i) => ({ severity: 'info', code: 'invited', message: `n${i}@acme.com is invited` }));
  return planOf(changes, infos);
}

const summaryOf = (t: string) => t.split('\n').find((l) => l.startsWith('**Plan:**'));
const destructiveListed = (t: string) => t.split('\n').filter((l) => /^- `member\["gone\d+@acme\.com"\]` \*\*delete\*\* — /.test(l));
const personLines = (t: string) => t.split('\n').filter((l) => /^- `user\d+@acme\.com`:|^<details><summary><code>user/.test(l));
const count = (s: string) => Number(s.replace(/,/g, ''));

describe('renderPlanMarkdown: size', () => {
  it('a 10,000-change plan with 300 removals stays under 60,000 characters and names every removal', () => {
    const p = bigPlan(1940, 300);
    expect(p.changes).toHaveLength(10_000);
    const t = renderPlanMarkdown(p, { fullPlanHint: 'the full plan is attached to the workflow run as plan.json' });
    expect(t.length).toBeLessThanOrEqual(60_000);
    expect(summaryOf(t)).toBe('**Plan:** 1,940 to create, 300 to delete, 7,760 deferred · removals 300/300 (--allow-removals) · ✅ not blocked');
    // One line per removal would leave less room for people: the removals are named in groups.
    expect(destructiveListed(t)).toEqual([]);
    const named = namedIn(sectionOf(t, '⚠️ Destructive changes'));
    expect(named.names).toEqual(p.removals.addresses.map((a) => JSON.parse(a.slice('member['.length, -1)) as string));
    expect(t).toContain('- **Removed from the organization** (not declared; policy.removals: prune) — 300: `@acme.com`: `gone00000, gone00001, ');
    expect(t).not.toContain('<details>');
    // As many people as fit, in email order, and the rest counted; the people named among the removals with
    // nothing else to say come last, and here do not fit.
    const people = personLines(t);
    expect(people.length).toBeGreaterThan(50);
    expect(people[0]).toBe('- `user00000@acme.com`: invited as developer; to be added to workspace Research as workspace&#95;developer later; ' +
      'to be added to workspace Platform Team as workspace&#95;user later; to be added to group Engineering later; to be added to SCIM group All Staff later');
    const more = /^- … ([\d,]+) more people not shown$/m.exec(t);
    expect(count(more![1]!) + people.length).toBe(1940 + 300);
    expect(t).not.toMatch(/^- `gone/m);
    // Every change not in a shown line is counted; the full plan is pointed to.
    const shortened = /^> ✂️ \*\*Shortened\*\* to fit one comment: … ([\d,]+) more changes not shown; per-change detail left out; 40 info notes not shown\. (.*)$/m.exec(t);
    expect(count(shortened![1]!)).toBe(5 * (1940 - people.length));
    expect(shortened![2]).toBe('the full plan is attached to the workflow run as plan.json');
    expect(t.split('\n').at(-2)).toContain(HASH);
  });

  it('a plan whose removals would exceed the limit one line each names each of them, grouped', () => {
    const p = bigPlan(10, 3000, 'departed: left the company on the last day of the quarter, see the HR ticket for the details');
    const t = renderPlanMarkdown(p);
    expect(t.length).toBeLessThanOrEqual(60_000);
    expect(summaryOf(t)).toContain('**Plan:** 10 to create, 3,000 to delete, 40 deferred');
    // One line per change would not fit: the compact form names every one, under its reason.
    expect(destructiveListed(t)).toEqual([]);
    const named = namedIn(sectionOf(t, '⚠️ Destructive changes'));
    expect(named.full).toBe(false);
    expect(named.names).toEqual(p.removals.addresses.map((a) => JSON.parse(a.slice('member['.length, -1)) as string));
    expect(named.notNamed).toBe(0);
    expect(t).toContain('\n- **Removed from the organization** (departed) — 3,000: `@acme.com`: `gone00000, gone00001, ');
    // The room left goes first to the people whose changes are not named above.
    expect(personLines(t)).toHaveLength(10);
    expect(t).toContain('> ✂️ **Shortened** to fit one comment: per-change detail left out; 40 info notes not shown. Run `claude-reconcile plan` for the full plan.');
  });

  it('drops info notes first, then the <details> blocks, then per-person lines; never the summary or the hash', () => {
    const p = bigPlan(40, 12);
    p.diagnostics = p.diagnostics.slice(0, 5); // few enough to be listed one by one
    const full = renderPlanMarkdown(p, { maxChars: 1_000_000 });
    expect(full).not.toContain('Shortened');
    expect(full).toContain('<details>');
    let previous = -1;
    for (let max = 1_000; max <= full.length + 1_000; max += 97) {
      const t = renderPlanMarkdown(p, { maxChars: max });
      const infos = t.includes('ℹ️');
      const details = t.includes('<details>');
      const people = personLines(t).length;
      const removals = namedIn(sectionOf(t, '⚠️ Destructive changes')).names.length;
      expect(summaryOf(t), `max ${max}`).toBeDefined();
      expect(t.split('\n').at(-2)).toContain(HASH);
      expect(t.length, `max ${max}`).toBeLessThanOrEqual(Math.max(max, 2_000));
      if (infos) expect(details, `max ${max}: info notes kept while details dropped`).toBe(true);
      if (details) expect(people, `max ${max}`).toBe(40);
      if (people > 0) expect(removals, `max ${max}`).toBe(12);
      if (!details && people === 40) expect(t, `max ${max}`).toContain('per-change detail left out');
      if (!infos) expect(t, `max ${max}`).toContain('5 info notes not shown');
      if (t.length < full.length) expect(t).toContain('**Shortened**');
      else expect(t).toBe(full);
      // More room never shows less.
      const shown = removals + people + (details ? 1 : 0) + (infos ? 1 : 0);
      expect(shown).toBeGreaterThanOrEqual(previous);
      previous = shown;
    }
    expect(previous).toBe(12 + 40 + 2);
  });

  it('keeps the summary line even when nothing else fits', () => {
    const t = renderPlanMarkdown(bigPlan(5, 5), { maxChars: 100 });
    expect(summaryOf(t)).toBe('**Plan:** 5 to create, 5 to delete, 20 deferred · removals 5/5 (--allow-removals) · ✅ not blocked');
    expect(t).toContain('- … 5 destructive changes not named here');
    expect(t).toContain('5 of 5 destructive changes not named; … 25 more changes not shown');
  });

  it('renders a 100,000-change plan (linear work, no quadratic string building)', () => {
    const t = renderPlanMarkdown(bigPlan(19_000, 5_000));
    expect(t.length).toBeLessThanOrEqual(60_000);
    expect(summaryOf(t)).toContain('19,000 to create, 5,000 to delete, 76,000 deferred');
  });
});
