// Issue 12, part 2: every value from the API or the file is printed with control, bidi and invisible characters
// made visible, in every view (text, markdown, JSON, apply results). These tests build plans with the real planner
// from live objects whose names carry those characters; test/robustness/spoof.test.ts does the same through the
// CLI against a server that sends them.

import { describe, expect, it } from 'vitest';
import type { ApplyResult, Plan } from '../../src/model/plan.js';
import { plan } from '../../src/planner/index.js';
import { renderPlanJson } from '../../src/render/json.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { renderApplySummary, renderPlanText, renderResultLine } from '../../src/render/text.js';
import { escapeJsonText, safeJson, visible } from '../../src/render/visible.js';
import { desiredOf, liveOf, NOW, user, workspace } from '../builders.js';

/** Every character class of the issue, one or more of each. */
export const NASTY: Array<[string, string]> = [
  ['line feed', '\n'],
  ['carriage return', '\r'],
  ['tab', '\t'],
  ['NUL', '\u0000'],
  ['ESC sequences', '\u001b[2K\u001b[1A\u001b]8;;https://evil.example\u0007'],
  ['DEL', '\u007f'],
  ['C1 (CSI, NEL)', '\u009b2K\u0085'],
  ['bidi overrides and embeddings', '\u202a\u202b\u202c\u202d\u202e'],
  ['bidi isolates', '\u2066\u2067\u2068\u2069'],
  ['bidi marks', '\u200e\u200f\u061c'],
  ['zero-width', '\u200b\u200c\u200d\u2060'],
  ['byte order mark', '\ufeff'],
  ['line and paragraph separators', '\u2028\u2029'],
  ['tag characters', '\u{E0041}\u{E007F}'],
  ['a lone surrogate', '\ud800x'],
];

/** Any raw character of the classes, except the line feed that separates the output's own lines. */
export const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]|\udb40[\udc00-\udc7f]|[\ud800-\udbff](?![\udc00-\udfff])/;

const SPOOF_NAME = 'Dave\n  - member["ceo@acme.com"]  name: CEO, role: admin  # departed 2026-11-01';
const ERASER = 'x\r\u001b[2K\u001b[1A\u009b2K\u202e';

function spoofPlan(): Plan {
  const dave = user('dave@acme.com', 'developer', { name: SPOOF_NAME });
  const eve = user('eve@acme.com', 'user', { name: ERASER });
  const lab = workspace('Lab\u202etcejorp\u2066 admin\u2069');
  return plan(
    desiredOf({
      members: { 'eve@acme.com': 'developer' },
      departed: { 'dave@acme.com': { reason: `left\r\u001b[2K  + member["ok@acme.com"]` } },
      workspaces: { Research: { renamedFrom: lab.name } },
    }),
    liveOf({ organization: { id: '11111111-2222-4333-8444-555555555555', name: 'Acme\u202e\u001b[31m' }, users: [dave, eve], workspaces: [lab] } as never),
    { now: NOW },
  );
}

/** No raw character, no line of the output that starts with a spoofed plan line. */
function expectSafe(text: string, label: string): void {
  const raw = RAW.exec(text);
  expect(raw, `${label}: raw U+${raw?.[0].codePointAt(0)?.toString(16)} in ${JSON.stringify(text.slice(Math.max(0, (raw?.index ?? 0) - 40), (raw?.index ?? 0) + 40))}`).toBeNull();
  expect(text, label).not.toMatch(/^\s*[-+~!?…]+\s*`?member\["(ceo|ok)@acme\.com"\]/m);
}

describe('visible', () => {
  it.each(NASTY)('%s is escaped, on one line', (_label, chars) => {
    const out = visible(`a${chars}b`);
    expect(out).not.toMatch(RAW);
    expect(out).not.toContain('\n');
    expect(out.startsWith('a') && out.endsWith('b')).toBe(true);
  });

  it('names the common ones and writes the rest as \\u escapes', () => {
    expect(visible('a\nb\rc\td\u001be\u009bf\u202eg\u2028h\u{E0041}')).toBe('a\\nb\\rc\\td\\u001be\\u009bf\\u202eg\\u2028h\\u{e0041}');
  });

  it('leaves printable text alone, emoji sequences and accents included', () => {
    for (const s of ['Zoë Ñúñez', '山田太郎', '⚠️ ✂️ 👍🏽', 'a\\nb', 'C:\\orgs\\acme.yaml', '']) expect(visible(s)).toBe(s);
  });

  it('is linear: 10,000 ESC characters become 60,000 visible ones', () => {
    const out = visible('\u001b'.repeat(10_000));
    expect(out.length).toBe(60_000);
    expect(out).not.toMatch(RAW);
  });

  it('JSON: C1, DEL, bidi, invisible characters and U+2028/9 escaped; the parsed value is identical', () => {
    const value = { name: NASTY.map(([, c]) => c).join('|'), nested: ['\u202e', { k: '\u0085' }] };
    const text = safeJson(value);
    expect(text).not.toMatch(RAW);
    expect(JSON.parse(text)).toEqual(value);
    expect(escapeJsonText('{"a":"plain"}')).toBe('{"a":"plain"}');
  });
});

describe('every view of a plan whose values carry them', () => {
  it('text: the spoofed line never starts a line; colour codes of the renderer stay, nothing else', () => {
    const p = spoofPlan();
    const plain = renderPlanText(p, { color: false, verbose: true });
    expectSafe(plain, 'text');
    expect(plain).toContain('name: Dave\\n  - member["ceo@acme.com"]');
    expect(plain).toContain('Organization Acme\\u202e\\u001b[31m (');
    const coloured = renderPlanText(p, { color: true, verbose: true });
    // every ESC left is the start of an SGR colour code that chalk added
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(RAW);
    expect(coloured).toMatch(/\u001b\[31m/);
  });

  it('markdown: visible escapes instead of spaces, no bidi override reaches the comment', () => {
    const md = renderPlanMarkdown(spoofPlan());
    expectSafe(md, 'markdown');
    expect(md).toContain('&#92;u202e');
    expect(md).not.toMatch(/^\s*- member\[/m);
  });

  it('JSON: the plan parses to the same values; no raw C1 or bidi character in the text', () => {
    const p = spoofPlan();
    const text = renderPlanJson(p);
    expect(text).not.toMatch(RAW);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(p)));
  });

  it('apply results and the summary', () => {
    const results: ApplyResult[] = [
      { address: 'member["dave@acme.com"]', action: 'delete', status: 'failed', message: `400: ${SPOOF_NAME}${ERASER}` },
      { address: `member["x\n  - member["ceo@acme.com"]"]`, action: 'update', status: 'applied', id: `user_01\u001b[2K` },
      { address: 'workspace["Lab\u202e"]', action: 'create', status: 'skipped', message: 'depends on\u2028a failed change' },
      { address: 'member["\u009b1A"]', action: 'create', status: 'not_started' },
    ] as ApplyResult[];
    for (const r of results) expectSafe(renderResultLine(r, { color: false }), `result ${r.status}`);
    expectSafe(renderApplySummary(results, { color: false }), 'summary');
  });
});
