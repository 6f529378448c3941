// Issue 6 item 4, bounded time and memory: the worst files of the corpus (over 5 MB, nested past the limit, alias
// bombs) run through the real binary with a 128 MB heap. Each must end with a clean exit 1 and a located
// diagnostic: not an out-of-memory abort, not a kill by the wait bound. The bound is generous (it only stops a hung
// test); no timing is asserted. Needs `npm run build` (npm test runs it first).

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from './corpus.js';
import { STACK_TRACE } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = `${root}dist/cli/main.js`;
const WAIT_BOUND_MS = 90_000;

const heavy = generateCorpus().filter((f) => f.heavy);
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'claude-reconcile-heavy-'));
  for (const f of heavy) writeFileSync(join(dir, `${f.name}.yaml`), f.content);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  killedByBound: boolean;
}

function validateInChild(file: string): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=128', MAIN, 'validate', '-f', file], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    let killedByBound = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      killedByBound = true;
      child.kill('SIGKILL');
    }, WAIT_BOUND_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, killedByBound });
    });
  });
}

describe('the worst files, in a child process with a 128 MB heap', () => {
  it('the binary is built', () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run \`npm run build\``).toBe(true);
  });

  it('covers the huge, deep and alias-bomb categories', () => {
    expect(new Set(heavy.map((f) => f.category))).toEqual(new Set(['huge file', 'deep nesting', 'alias bomb']));
    expect(heavy.length).toBeGreaterThanOrEqual(15);
  });

  it.concurrent.each(heavy.map((f) => ({ name: f.name })))('$name: a clean exit 1 with a located error', async ({ name }) => {
    const file = join(dir, `${name}.yaml`);
    const out = await validateInChild(file);
    expect(out.killedByBound, 'still running at the wait bound').toBe(false);
    expect(out.signal, out.stderr.slice(-500)).toBeNull();
    expect(out.code, out.stderr.slice(-500)).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error: `, 'm'));
    expect(out.stderr).not.toMatch(STACK_TRACE);
    expect(out.stderr).not.toMatch(/heap out of memory|FATAL ERROR/i);
  }, WAIT_BOUND_MS + 10_000);
});
