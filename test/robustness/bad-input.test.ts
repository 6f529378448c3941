// Issue 6 item 4: a generated corpus of malformed or schema-violating desired-state files (corpus.ts). Each one,
// through `validate` and `plan` run in-process, exits 1 with diagnostics that all carry a line number, never a
// stack trace, and never an API call: `plan` points at a server that counts every request it gets.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDesired } from '../../src/config/load.js';
import { baseDoc, CATEGORIES, generateCorpus, prng, toYaml, type BadFile, type Category } from './corpus.js';
import { FAKE_ADMIN_KEY, runIn, STACK_TRACE, type RunOutput } from './helpers.js';

const corpus = generateCorpus();
let dir = '';
let server: Server;
let apiUrl = '';
let apiCalls = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'claude-reconcile-corpus-'));
  for (const f of corpus) writeFileSync(join(dir, `${f.name}.yaml`), f.content);
  server = createServer((_req, res) => {
    apiCalls++;
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What is wrong with one run's output, or [] when it is a clean refusal with located diagnostics. */
function problems(out: RunOutput, file: string, command: 'validate' | 'plan'): string[] {
  const found: string[] = [];
  if (out.code !== 1) found.push(`exit ${out.code}`);
  if (out.stdout !== '') found.push(`stdout: ${out.stdout.slice(0, 200)}`);
  if (STACK_TRACE.test(out.stderr)) found.push('a stack trace');
  if (out.stderr.includes(FAKE_ADMIN_KEY)) found.push('the admin key');
  const f = escape(file);
  const diagnostic = new RegExp(`^${f}:\\d+:\\d+: (error|warning|note): \\S`);
  const summary = command === 'validate'
    ? new RegExp(`^${f}: \\d+ errors?$`)
    : new RegExp(`^${f}: not valid; nothing was read or changed \\(run \`claude-reconcile validate -f ${f}\`\\)$`);
  const lines = out.stderr.split('\n').filter((l) => l !== '');
  for (const l of lines) {
    if (!diagnostic.test(l) && !summary.test(l)) found.push(`a line without file:line:column: ${JSON.stringify(l.slice(0, 200))}`);
  }
  if (!lines.some((l) => diagnostic.test(l) && / error: /.test(l))) found.push('no located error');
  if (!lines.some((l) => summary.test(l))) found.push('no summary line');
  return found;
}

describe('the corpus', () => {
  it('holds at least 1,000 files, every category, deterministically', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(1000);
    const byCategory = new Map<Category, number>();
    for (const f of corpus) byCategory.set(f.category, (byCategory.get(f.category) ?? 0) + 1);
    for (const c of CATEGORIES) expect(byCategory.get(c) ?? 0, c).toBeGreaterThan(0);
    expect(new Set(corpus.map((f) => f.name)).size).toBe(corpus.length);
    // the same seed gives the same files
    const again = generateCorpus();
    expect(again.map((f) => f.name)).toEqual(corpus.map((f) => f.name));
    expect(again[500]!.content).toEqual(corpus[500]!.content);
  });

  it('every base document is valid before its mutation (the mutation is what breaks it)', () => {
    const r = prng(7);
    for (let i = 0; i < 200; i++) {
      const text = toYaml(baseDoc(r).doc);
      const errors = parseDesired(text, `base-${i}.yaml`).diagnostics.filter((d) => d.severity === 'error');
      expect(errors, text).toEqual([]);
    }
  });
});

describe('every malformed file is refused: exit 1, located diagnostics, no stack trace, no API call', () => {
  const byCategory = CATEGORIES.map((c) => ({ category: c, files: corpus.filter((f) => f.category === c) }));

  it.each(byCategory)('$category ($files.length files)', async ({ files }: { files: BadFile[] }) => {
    const failures: string[] = [];
    for (const f of files) {
      const file = join(dir, `${f.name}.yaml`);
      const env = { ANTHROPIC_ADMIN_KEY: FAKE_ADMIN_KEY, ANTHROPIC_BASE_URL: apiUrl };
      for (const command of ['validate', 'plan'] as const) {
        const out = await runIn([command, '-f', file], { env });
        const p = problems(out, file, command);
        if (p.length > 0) failures.push(`${f.name} (${command}): ${p.join('; ')}`);
      }
    }
    expect(failures).toEqual([]);
    expect(apiCalls, 'no API call for an invalid file').toBe(0);
  });
});
