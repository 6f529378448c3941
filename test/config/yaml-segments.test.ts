// A large file is parsed in pieces (src/config/yaml-segments.ts) to keep the parser's memory bounded. The pieces
// must give exactly what one parse of the whole text gives: the same plain data (key order included), the same
// diagnostics, and the same line and column for every path. Each file here is read both ways and compared path by
// path; the run size is made tiny so that even a small file is cut at every level it allows.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleScenario, enterpriseScenario } from '../../src/bench/synthetic.js';
import { parseDesired } from '../../src/config/load.js';
import { checkYamlBounds } from '../../src/config/yaml-guards.js';
import type { PathSegment } from '../../src/config/yaml-positions.js';
import { PARSE_OPTIONS, readYaml, type YamlRead } from '../../src/config/yaml-read.js';
import { parseSegmented, SegmentScanner, type BlockCut, type FlowCut } from '../../src/config/yaml-segments.js';
import { baseDoc, prng, toYaml } from '../robustness/corpus.js';
import { dump } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');

function cutOf(text: string, runChars: number): BlockCut | undefined {
  const scanner = new SegmentScanner();
  expect(checkYamlBounds(text, scanner)).toBeUndefined();
  return scanner.cut(text.length, runChars);
}

/** How many pieces the cut parses, how deep it goes, and how many flow sequences it cuts. */
function shape(cut: BlockCut): { pieces: number; depth: number; flows: number } {
  let pieces = 0;
  let depth = 0;
  let flows = 0;
  const walk = (b: BlockCut | FlowCut, d: number): void => {
    depth = Math.max(depth, d);
    if (b.kind === 'flow') {
      flows++;
      pieces += b.runs.length;
      return;
    }
    for (const c of b.cuts) {
      pieces++;
      if (c.kind === 'split') walk(c.value, d + 1);
    }
  };
  walk(cut, 1);
  return { pieces, depth, flows };
}

/** Every path of the plain data, with a path that is not there below each collection. */
function paths(data: unknown, prefix: PathSegment[] = [], out: PathSegment[][] = []): PathSegment[][] {
  out.push(prefix);
  if (Array.isArray(data)) {
    data.forEach((v, i) => paths(v, [...prefix, i], out));
    out.push([...prefix, data.length]);
  } else if (data !== null && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) paths(v, [...prefix, k], out);
    out.push([...prefix, 'not-a-key'], [...prefix, 'not-a-key', 'deeper']);
  } else {
    out.push([...prefix, 'below-a-scalar']);
  }
  return out;
}

/** Reads `text` whole and in pieces; expects the same result, position for position. */
function same(text: string, runChars: number): { whole: YamlRead; pieces: YamlRead } {
  const whole = readYaml(text, 'f.yaml', { pieces: false });
  const pieces = readYaml(text, 'f.yaml', { runChars });
  expect(pieces.diagnostics, dump(pieces.diagnostics)).toEqual(whole.diagnostics);
  expect(pieces.data).toEqual(whole.data);
  expect(JSON.stringify(pieces.data)).toBe(JSON.stringify(whole.data)); // key order too
  if (whole.index) {
    const w = whole.index;
    const p = pieces.index!;
    for (const path of paths(whole.data)) {
      expect(p.value(path), JSON.stringify(path)).toEqual(w.value(path));
      expect(p.key(path), JSON.stringify(path)).toEqual(w.key(path));
      expect(p.keys(path), JSON.stringify(path)).toEqual(w.keys(path));
    }
    // every character offset maps to the same line and column
    for (let off = 0; off <= text.length; off += Math.max(1, Math.floor(text.length / 500))) {
      expect(p.at(off)).toEqual(w.at(off));
    }
  }
  return { whole, pieces };
}

/** Expects `text` to be cut and parsed in pieces (not handed back to the whole parser), and the same as whole. */
function samePieces(text: string, runChars: number, minPieces = 2): void {
  const cut = cutOf(text, runChars);
  expect(cut, 'the scanner refused to cut the file').toBeDefined();
  expect(shape(cut!).pieces).toBeGreaterThanOrEqual(minPieces);
  expect(parseSegmented(text, cut!, PARSE_OPTIONS, 'f.yaml', 100), 'a piece did not parse').toBeDefined();
  same(text, runChars);
}

const ORG = 'version: 1\norganization:\n  id: 8f4c1a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b\n  kind: console\n';

describe('a file read in pieces is the file read whole', () => {
  it('the examples and seeds, cut as finely as they allow', () => {
    const files = [
      ...readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => join(ROOT, 'examples', f)),
      ...readdirSync(join(ROOT, 'examples', 'seeds')).map((f) => join(ROOT, 'examples', 'seeds', f)),
      ...readdirSync(join(ROOT, 'examples', 'github', 'orgs')).filter((f) => f.endsWith('.yaml')).map((f) => join(ROOT, 'examples', 'github', 'orgs', f)),
    ];
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const runChars of [1, 40, 400]) samePieces(text, runChars);
    }
  });

  it('200 generated files of the corpus, at three run sizes', () => {
    const r = prng(11);
    for (let i = 0; i < 200; i++) {
      const text = toYaml(baseDoc(r).doc);
      samePieces(text, [1, 30, 300][i % 3]!);
    }
  });

  it('the benchmark files (members, workspaces with members, groups, SCIM groups), cut three levels deep', () => {
    const ws = consoleScenario({ members: 300, workspaces: 5, workspaceMemberships: 200 }).desired;
    const ent = enterpriseScenario({ members: 300, groups: 6, scimGroups: 4 }).desired;
    for (const text of [ws, ent]) {
      const cut = cutOf(text, 256)!;
      expect(shape(cut).depth).toBeGreaterThanOrEqual(3);
      samePieces(text, 256);
    }
    // the enterprise file writes group members as flow sequences: the long ones are cut at their commas
    expect(shape(cutOf(ent, 256)!).flows).toBeGreaterThanOrEqual(2);
  });

  it('one-line flow sequences cut at their commas: quoted items with commas, comments after, short and odd ones', () => {
    const emails = Array.from({ length: 30 }, (_, i) => `u${i}@acme.com`);
    const text = `${ORG}groups:\n` + [
      `  plain:\n    members: [${emails.join(', ')}]   # a comment after it`,
      `  quoted:\n    members: ["a, b@x.io", 'c, d@x.io', ${emails.slice(0, 12).map((e) => `"${e}"`).join(',')}, 'it''s@x.io']`,
      `  tight:\n    members: [${emails.join(',')}]`,
      `  spaced:\n    members: [  ${emails.join(' ,  ')}  ]`,
      '  one:\n    members: [solo@x.io]',
      '  none:\n    members: []',
      `  nested:\n    members: [a@x.io, [b@x.io, c@x.io], ${emails.join(', ')}]`,
      `  mapping:\n    members: [a@x.io, k: v, ${emails.join(', ')}]`,
      `  trailing:\n    members: [${emails.join(', ')},]`,
      `  two-lines:\n    members: [${emails.slice(0, 10).join(', ')},\n      ${emails.slice(10).join(', ')}]`,
      `  flow-map:\n    roles: { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9 }`,
      `  blank-after:\n    members: [${emails.join(', ')}]\n\n# a comment line\n\n`,
    ].join('\n') + '\n';
    const cut = cutOf(text, 40)!;
    expect(shape(cut).flows).toBe(5); // plain, quoted, tight, spaced, blank-after; the others are parsed whole
    for (const runChars of [1, 40, 100]) same(text, runChars);
    const r = readYaml(text, 'f.yaml', { runChars: 1 });
    const groups = (r.data as { groups: Record<string, { members: unknown[] }> }).groups;
    expect(groups.quoted!.members.slice(0, 2)).toEqual(['a, b@x.io', 'c, d@x.io']);
    expect(groups.quoted!.members.at(-1)).toBe("it's@x.io");
    expect(groups.plain!.members).toEqual(emails);
  });

  it('block scalars, multi-line scalars and flow collections, comments in column 0, blank lines', () => {
    const text = ORG + [
      '# a comment',
      '',
      'members:',
      '  # the first member',
      '  alice@acme.com: developer',
      '# a comment in column 0 inside the mapping',
      '  bob@acme.com:',
      '    role: user',
      '    name: |',
      '      Bob',
      '',
      '      the Builder',
      '    note: >-',
      '      folded',
      '      text',
      '  carol@acme.com: { role: user,',
      '    name: Carol }',
      '  dave@acme.com: "a quoted',
      '    scalar on two lines"',
      '  erin@acme.com: a plain',
      '    scalar on two lines',
      '  frank@acme.com:',
      '    role: user',
      '    name: |+',
      '',
      'policy:',
      '  protected: [alice@acme.com,',
      '    bob@acme.com]',
      '  unmanaged:',
      '  - "*@contractors.acme.com"',
      '  - "*@vendors.acme.com"',
      '  removals: declared',
      '  unprotected:',
      '    [a flow sequence, on the line below its key]',
      'workspaces:',
      '  A:',
      '    members:',
      '      alice@acme.com: workspace_user',
      '',
      '      bob@acme.com: workspace_developer',
      '  B: {}',
      '  C:',
      '    members: {}',
      '# trailing comment',
      '',
    ].join('\n');
    for (const runChars of [1, 20, 80, 100_000]) samePieces(text, runChars, runChars > 1000 ? 1 : 2);
  });

  it('CRLF line endings, a byte-order mark, no final line break', () => {
    const body = `${ORG}members:\n  alice@acme.com: developer\n  bob@acme.com:\n    role: user\n`;
    samePieces(body.replace(/\n/g, '\r\n'), 1);
    samePieces(`\uFEFF${body}`, 1);
    samePieces(body.slice(0, -1), 1);
  });

  it('keys that plain objects treat specially: __proto__, constructor, integer-like keys', () => {
    // each in a piece of its own, so that every one is added to the mapping the pieces make
    const text = `${ORG}members:\n  b@x.io: user\n  __proto__:\n    role: admin\n  constructor: user\n  "10": user\n  "2": user\n  a@x.io: user\n`;
    samePieces(text, 1);
    const r = readYaml(text, 'f.yaml', { runChars: 1 });
    const members = (r.data as Record<string, Record<string, unknown>>).members!;
    expect(Object.keys(members)).toEqual(['2', '10', 'b@x.io', '__proto__', 'constructor', 'a@x.io']);
    expect(Object.getPrototypeOf(members)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(members, '__proto__')?.value).toEqual({ role: 'admin' });
  });

  it('empty values, explicit nulls, a compact sequence at its key’s indent, a sequence of mappings', () => {
    const text = `${ORG}members:\n  a@x.io:\n  b@x.io: ~\n  c@x.io: null\ndeparted:\n` +
      `policy:\n  protected:\n  - a@x.io\n  - b@x.io\n  unmanaged:\n    - x@y.io\n    - z@y.io\n` +
      'groups:\n  g:\n    members:\n    - a@x.io\n    - b@x.io\nlist:\n- name: one\n  n: 1\n- name: two\n  n: 2\n';
    samePieces(text, 1);
  });

  it('a line more indented than a flow sequence’s entry is not skipped: the file is read whole and the error reported', () => {
    const emails = Array.from({ length: 30 }, (_, i) => `u${i}@acme.com`).join(', ');
    const text = `${ORG}groups:\n  g:\n    members: [${emails}]\n      hidden: x\n  h: {}\n`;
    const cut = cutOf(text, 40);
    expect(shape(cut!).flows).toBe(0);
    const { whole } = same(text, 40);
    expect(whole.diagnostics.some((d) => d.severity === 'error'), dump(whole.diagnostics)).toBe(true);
  });

  it('a schema error in a file read in pieces is reported where it is written', () => {
    const text = `${ORG}members:\n  a@x.io: superuser\n  b@x.io: user\n`;
    samePieces(text, 1); // the YAML is valid: it is read in pieces, the same as whole
    expect(parseDesired(text, 'f.yaml').diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['schema', 6, 11]]);
  });

  it('a duplicate key in another piece is reported as one parse reports it', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `  u${i}@acme.com: user`);
    const text = `${ORG}members:\n${lines.join('\n')}\n  u3@acme.com: developer\nmembers:\n  x@y.io: user\n`;
    const { whole } = same(text, 64);
    expect(whole.diagnostics.map((d) => d.code)).toEqual(['duplicate_key', 'duplicate_key']);
    expect(shape(cutOf(text, 64)!).pieces).toBeGreaterThan(5);
  });
});

describe('files the scanner does not cut, or whose pieces are refused, are read whole', () => {
  const cases: Array<[string, string]> = [
    ['an anchor and an alias', `${ORG}policy: &p\n  removals: never\nother: *p\n`],
    ['a tag', `${ORG}members:\n  a@x.io: !!str user\n`],
    ['a directive', `%YAML 1.2\n---\n${ORG}`],
    ['a document start', `---\n${ORG}`],
    ['an explicit key', `${ORG}? members\n: {}\n`],
    ['an indented root', `  version: 1\n  organization: {}\n`],
    ['a root sequence', '- a\n- b\n'],
    ['a flow root', '{ version: 1 }\n'],
  ];
  for (const [name, text] of cases) {
    it(name, () => {
      expect(cutOf(text, 1)).toBeUndefined();
      same(text, 1);
    });
  }

  const broken: Array<[string, string]> = [
    ['a tab in the indentation', `${ORG}members:\n\ta@x.io: user\n`],
    ['an entry less indented than its siblings', `${ORG}members:\n    a@x.io: user\n  b@x.io: user\n`],
    ['a key without a value on its line', `${ORG}members\n  a@x.io: user\n`],
    ['an unclosed flow collection', `${ORG}policy:\n  protected: [a@x.io,\nmembers: {}\n`],
    ['an unclosed quote', `${ORG}members:\n  "a@x.io: user\n  b@x.io: user\n`],
    ['a scalar where a mapping entry should be', `${ORG}members:\n  a@x.io: user\n  just text\n`],
    ['a value and a block under it', `${ORG}members: x\n  a@x.io: user\n`],
  ];
  for (const [name, text] of broken) {
    it(`${name}: the whole parser's diagnostics`, () => {
      const cut = cutOf(text, 1);
      if (cut) expect(parseSegmented(text, cut, PARSE_OPTIONS, 'f.yaml', 100)).toBeUndefined();
      const { whole } = same(text, 1);
      expect(whole.diagnostics.some((d) => d.severity === 'error'), dump(whole.diagnostics)).toBe(true);
    });
  }
});
