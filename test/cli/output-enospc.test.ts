// Issue 12, part 3: a disk that fills up while a plan or an imported file is written. node:fs is wrapped so that
// writeSync fails with ENOSPC when the test says so (no device, no full disk needed): the command prints one line,
// exits 1, says nothing was saved, leaves the previous file as it was and no temp file behind.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { desiredDoc, scenario, seedOf } from '../e2e/harness.js';

const fail = vi.hoisted(() => ({ code: undefined as string | undefined }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const writeSync = ((...args: Parameters<typeof fs.writeSync>) => {
    if (fail.code !== undefined) throw Object.assign(new Error(`${fail.code}: write failed`), { code: fail.code });
    return (fs.writeSync as (...a: unknown[]) => number)(...args);
  }) as typeof fs.writeSync;
  return { ...fs, default: { ...fs, writeSync }, writeSync };
});

describe('a full disk while writing', () => {
  it.each(['ENOSPC', 'EIO'])('%s: plan --out and import -o say so in one line and keep the old file', async (code) => {
    const s = await scenario(
      seedOf({ users: [{ email: 'a@acme.com', role: 'user' }] }),
      desiredDoc({ members: { 'a@acme.com': 'developer' } }),
    );
    const saved = join(s.dir, 'plan.json');
    const imported = join(s.dir, 'org-import.yaml');
    writeFileSync(saved, 'previous plan\n');
    writeFileSync(imported, 'previous import\n');
    fail.code = code;
    try {
      const plan = await s.run(['plan', '--out', saved]);
      expect(plan.code).toBe(1);
      expect(plan.stderr).toBe(`error: cannot write ${saved}: ${code}\n`);
      let stdout = '';
      let stderr = '';
      const imp = await runCli(['import', '--force', '-o', imported], {
        env: s.env(),
        stdout: { write: (x: string) => (stdout += x) },
        stderr: { write: (x: string) => (stderr += x) },
        stdoutIsTTY: false,
        stdinIsTTY: false,
        prompt: async () => 'no',
        now: () => new Date(),
        interrupt: new AbortController().signal,
      });
      expect(imp).toBe(1);
      expect(stderr).toBe(`error: cannot write ${imported}: ${code}\n`);
      expect(stdout).toBe('');
    } finally {
      fail.code = undefined;
    }
    expect(readFileSync(saved, 'utf8')).toBe('previous plan\n');
    expect(readFileSync(imported, 'utf8')).toBe('previous import\n');
    expect(readdirSync(s.dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});
