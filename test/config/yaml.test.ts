// YAML-level behaviour: positions of syntax errors, duplicate keys, scalar typing under the 1.2 core schema,
// and the resource bounds (size, nesting, token count, aliases) that keep a hostile file cheap.

import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDesiredFile, parseDesired } from '../../src/config/load.js';
import { brief, dump, file, posOf } from './helpers.js';

function only(text: string) {
  const r = parseDesired(text, 'f.yaml');
  expect(r.desired).toBeUndefined();
  expect(r.diagnostics, dump(r.diagnostics)).toHaveLength(1);
  return r.diagnostics[0]!;
}

describe('YAML syntax', () => {
  it('reports a syntax error with its line and column, and nothing else', () => {
    const text = 'version: 1\norganization:\n  id: x\n   kind: console\nmembers: {}\n';
    const r = parseDesired(text, 'f.yaml');
    expect(r.desired).toBeUndefined();
    expect(r.diagnostics.every((d) => d.code === 'yaml_syntax' && d.file === 'f.yaml'), dump(r.diagnostics)).toBe(true);
    // `x\n   kind: console` reads as a key spread over two lines: reported where that value starts
    expect(brief(r.diagnostics[0]!)).toEqual({ severity: 'error', code: 'yaml_syntax', ...posOf(text, 'x\n') });
    expect(r.diagnostics[0]!.message).not.toMatch(/\n|\bat\b.*\d+:/);
  });

  it('reports tabs used as indentation at their line', () => {
    const d = only('version: 1\norganization:\n\tid: x\n');
    expect(brief(d)).toEqual({ severity: 'error', code: 'yaml_syntax', line: 3, column: 1 });
  });

  it('reports a duplicate key at the second occurrence, naming the first line', () => {
    const text = file('console', 'members:\n  alice@acme.com: user\n  bob@acme.com: user\n  alice@acme.com: developer\n');
    const d = only(text);
    expect(brief(d)).toEqual({ severity: 'error', code: 'duplicate_key', ...posOf(text, 'alice@acme.com', 2) });
    expect(d.message).toContain(`line ${posOf(text, 'alice@acme.com').line}`);
  });

  it('finds duplicate keys in a large mapping in linear time', () => {
    const lines = Array.from({ length: 40_000 }, (_, i) => `  u${i}@acme.com: user\n`).join('');
    const text = file('console', `members:\n${lines}  u7@acme.com: user\n`);
    const d = only(text);
    expect(d.code).toBe('duplicate_key');
    expect(d.line).toBe(text.split('\n').length - 1);
  });

  it('refuses a second document', () => {
    const text = `${file('console')}---\nversion: 1\n`;
    const d = only(text);
    expect(brief(d)).toEqual({ severity: 'error', code: 'multiple_documents', ...posOf(text, '---') });
  });

  it('accepts a leading --- and a trailing ...', () => {
    const r = parseDesired(`---\n${file('console')}...\n`, 'f.yaml');
    expect(r.diagnostics, dump(r.diagnostics)).toEqual([]);
    expect(r.desired).toBeDefined();
  });

  it('reports an empty file', () => {
    expect(brief(only(''))).toEqual({ severity: 'error', code: 'empty_file', line: 1, column: 1 });
    expect(only('# nothing here\n').code).toBe('empty_file');
  });

  it('reports a collection used as a key', () => {
    const text = `${file('console')}? [a, b]\n: 1\n`;
    expect(brief(only(text))).toEqual({ severity: 'error', code: 'complex_key', ...posOf(text, '[a, b]') });
  });

  it('reports an unresolved alias and an alias inside its own anchor', () => {
    const t1 = `${file('console')}members: *nope\n`;
    expect(brief(only(t1))).toEqual({ severity: 'error', code: 'yaml_alias', ...posOf(t1, '*nope') });
    const t2 = `${file('console')}policy: &p\n  unmanaged: *p\n`;
    expect(brief(only(t2))).toEqual({ severity: 'error', code: 'yaml_alias', ...posOf(t2, '*p') });
  });

  it('allows modest aliases and follows them for positions', () => {
    const text = file('console', [
      'members:',
      '  alice@acme.com: developer',
      '  bob@acme.com: user',
      'workspaces:',
      '  A:',
      '    members: &team',
      '      alice@acme.com: workspace_user',
      '      bob@acme.com: workspace_boss',
      '  B:',
      '    members: *team',
      '',
    ].join('\n'));
    const r = parseDesired(text, 'f.yaml');
    // the bad role is reported once per workspace that uses it, both times where it is written (the anchor)
    expect(r.diagnostics.map(brief)).toEqual([
      { severity: 'error', code: 'schema', ...posOf(text, 'workspace_boss') },
      { severity: 'error', code: 'schema', ...posOf(text, 'workspace_boss') },
    ]);
  });
});

describe('line endings', () => {
  it('counts lines the same with CRLF line endings', () => {
    const text = file('console', 'members:\n  alice@acme.com: superuser\n').replace(/\n/g, '\r\n');
    const r = parseDesired(text, 'f.yaml');
    expect(r.diagnostics.map(brief)).toEqual([{ severity: 'error', code: 'schema', line: 6, column: 19 }]);
  });
});

describe('scalar types (YAML 1.2 core schema)', () => {
  it('keeps dates, yes/no and on/off as strings', () => {
    const text = file('console', [
      'members:',
      '  carol@acme.com:',
      '    role: user',
      '    expires: 2027-03-31',
      '    name: no',
      'departed:',
      '  dave@acme.com: { date: 2026-11-01, reason: yes }',
      '',
    ].join('\n'));
    const r = parseDesired(text, 'f.yaml');
    expect(r.diagnostics, dump(r.diagnostics)).toEqual([]);
    const carol = r.desired!.members[0]!;
    expect(carol.expires).toBe('2027-03-31');
    expect(typeof carol.expires).toBe('string');
    expect(carol.name).toBe('no');
    expect(r.desired!.departed[0]).toMatchObject({ date: '2026-11-01', reason: 'yes' });
  });

  it('does not turn an explicit !!timestamp into a Date (the tag is left unresolved, with a warning)', () => {
    const text = file('console', 'members:\n  carol@acme.com: { role: user, expires: !!timestamp 2027-03-31 }\n');
    const r = parseDesired(text, 'f.yaml');
    expect(r.diagnostics.map(brief)).toEqual([
      { severity: 'warning', code: 'yaml_warning', ...posOf(text, '!!timestamp') },
    ]);
    expect(r.desired!.members[0]!.expires).toBe('2027-03-31');
  });

  it('ignores a %YAML 1.1 directive for typing', () => {
    const text = `%YAML 1.1\n---\n${file('console', 'members:\n  carol@acme.com: { role: user, expires: 2027-03-31 }\n')}`;
    const r = parseDesired(text, 'f.yaml');
    expect(r.desired?.members[0]!.expires).toBe('2027-03-31');
  });
});

describe('resource bounds', () => {
  it('an alias bomb is one error', () => {
    // `version: 1` makes it a desired-state file: a file with no key of the format is refused before aliases expand
    let text = 'version: 1\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    let prev = 'a';
    for (let i = 0; i < 9; i++) {
      text += `b${i}: &b${i} [${Array(10).fill(`*${prev}`).join(',')}]\n`;
      prev = `b${i}`;
    }
    expect(brief(only(text))).toEqual({ severity: 'error', code: 'alias_limit', ...posOf(text, '*a') });
  });

  it('deep flow nesting is one error, not a crash', () => {
    const text = `version: ${'['.repeat(2_000_000)}${']'.repeat(2_000_000)}\n`;
    const d = only(text);
    expect(d.code).toBe('nesting_too_deep');
    expect(d.line).toBe(1);
  });

  it('deep compact block nesting (- - - …) is one error', () => {
    const text = `version: 1\nmembers:\n  ${'- '.repeat(2_000_000)}x\n`;
    const d = only(text);
    expect(d.code).toBe('nesting_too_deep');
    expect(d.line).toBe(3);
  });

  it('deep indentation nesting is one error at the line that goes too deep', () => {
    const text = `${Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} v\n`;
    const d = only(text);
    expect(d.code).toBe('nesting_too_deep');
    expect(d.line).toBeLessThan(70);
  });

  it('ordinary nesting is not mistaken for deep nesting', () => {
    const text = file('console', 'workspaces:\n  A:\n    members:\n      alice@acme.com: workspace_user\n' +
      'members:\n  alice@acme.com: { role: user }\n');
    expect(parseDesired(text, 'f.yaml').diagnostics).toEqual([]);
  });

  it('a 6 MB text is one error', () => {
    const text = `members:\n${'  someone@example.com: user\n'.repeat(Math.ceil((6 * 1024 * 1024) / 28))}`;
    expect(brief(only(text))).toEqual({ severity: 'error', code: 'file_too_large', line: 1, column: 1 });
  });

  it('a file with too many values is one error', () => {
    const text = `version: [${'1,'.repeat(1_100_000)}1]\n`;
    expect(only(text).code).toBe('too_many_values');
  });
});

describe('loadDesiredFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cr-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a missing file is one diagnostic', async () => {
    const r = await loadDesiredFile(join(dir, 'nope.yaml'));
    expect(r.desired).toBeUndefined();
    expect(r.diagnostics.map(brief)).toEqual([{ severity: 'error', code: 'file_unreadable', line: 1, column: 1 }]);
    expect(r.diagnostics[0]!.file).toBe(join(dir, 'nope.yaml'));
  });

  it('a directory is one diagnostic', async () => {
    mkdirSync(join(dir, 'sub'));
    const r = await loadDesiredFile(join(dir, 'sub'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['file_unreadable']);
  });

  it('a 6 MB file is refused before it is read', async () => {
    const p = join(dir, 'big.yaml');
    writeFileSync(p, Buffer.alloc(6 * 1024 * 1024, 0x20));
    const r = await loadDesiredFile(p);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['file_too_large']);
  });

  it('invalid UTF-8 is one diagnostic', async () => {
    const p = join(dir, 'latin1.yaml');
    writeFileSync(p, Buffer.from([0x76, 0x65, 0x72, 0x3a, 0x20, 0xe9, 0x0a]));
    const r = await loadDesiredFile(p);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['file_encoding']);
  });

  it('hashes the bytes as stored (a BOM included) and still parses', async () => {
    const p = join(dir, 'bom.yaml');
    const text = file('console');
    writeFileSync(p, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    const r = await loadDesiredFile(p);
    expect(r.diagnostics, dump(r.diagnostics)).toEqual([]);
    const { createHash } = await import('node:crypto');
    const { readFileSync } = await import('node:fs');
    expect(r.desired!.sha256).toBe(createHash('sha256').update(readFileSync(p)).digest('hex'));
    expect(r.desired!.sha256).not.toBe(createHash('sha256').update(text).digest('hex'));
    expect(r.desired!.file).toBe(p);
  });
});
