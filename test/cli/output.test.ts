// Issue 12, part 3: outputs. Files are written only as regular files (a directory, a device, a FIFO, a socket or a
// symbolic link at the target is refused before anything is read or written), whole or not at all, through a temp
// file next to the target that every failure removes; every output error (of a file, of stdout, of stderr) is one
// line `error: cannot write …: CODE` and exit 1, never a stack trace, never "Saved". stdout and stderr are scrubbed
// of secrets even when a secret is split between two writes.
//
// These tests never write to a device or a system path: a FIFO and a directory inside the test's own temp folder, a
// fake stream that fails with ENOSPC, and the real binary whose stdout pipe the test closes early (EPIPE).

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SafeOutput } from '../../src/cli/io.js';
import type { CliIO } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { registerSecret } from '../../src/secrets.js';
import { desiredDoc, scenario, seedOf, type Scenario } from '../e2e/harness.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = `${root}dist/cli/main.js`;
const STACK_TRACE = /\n\s+at /;
const WAIT_BOUND_MS = 30_000;

const SPLIT_SECRET = 'splitSECRETacrossWRITES_0123456789abcdefXYZ';
registerSecret(SPLIT_SECRET);

/** A console org with a departed member: its plan has changes, so it prints something. */
async function org(): Promise<Scenario> {
  return scenario(
    seedOf({ users: [{ email: 'a@acme.com', role: 'user' }, { email: 'd@acme.com', role: 'user', name: 'Dee Parted' }] }),
    desiredDoc({ members: { 'a@acme.com': 'developer' }, departed: { 'd@acme.com': null } }),
  );
}

function ioWith(s: Scenario, stdout: CliIO['stdout'], stderr: CliIO['stderr']): CliIO {
  return {
    env: s.env(),
    stdout,
    stderr,
    stdoutIsTTY: false,
    stdinIsTTY: false,
    prompt: async () => 'no',
    now: () => new Date(),
    interrupt: new AbortController().signal,
    clientOptions: s.clientOptions,
  };
}

function collector(): { w: { write(s: string): boolean }; text: () => string; calls: string[] } {
  const calls: string[] = [];
  return { w: { write: (s: string) => (calls.push(s), true) }, text: () => calls.join(''), calls };
}

/** A writable stream whose every write fails, asynchronously, as a full disk or a closed pipe does. */
function failingStream(code: string): Writable {
  return new Writable({
    write(_chunk, _enc, cb) {
      cb(Object.assign(new Error(`write ${code}`), { code }));
    },
  });
}

/** Runs a command without the `-f` that Scenario.run appends (import takes none). */
async function runBare(s: Scenario, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = collector();
  const err = collector();
  const code = await runCli(args, ioWith(s, out.w, err.w));
  return { code, stdout: out.text(), stderr: err.text() };
}

function requests(state: { requests: Record<string, unknown> }): number {
  return Object.keys(state.requests).length;
}

function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.includes('.tmp-'));
}

function mkfifo(path: string): boolean {
  try {
    execFileSync('mkfifo', [path], { stdio: 'ignore', timeout: 5_000 });
    return lstatSync(path).isFIFO();
  } catch {
    return false;
  }
}

describe('SafeOutput: stdout and stderr as the commands write them', () => {
  it('a secret split between two writes is scrubbed whole', () => {
    const c = collector();
    const out = new SafeOutput(c.w, 'stdout');
    out.write(`key: ${SPLIT_SECRET.slice(0, 17)}`);
    out.write(`${SPLIT_SECRET.slice(17)} end\n`);
    expect(c.text()).toBe('key: [redacted] end\n');
  });

  it('and split three ways, the middle write shorter than the window', () => {
    const c = collector();
    const out = new SafeOutput(c.w, 'stdout');
    out.write(`a ${SPLIT_SECRET.slice(0, 12)}`);
    out.write(SPLIT_SECRET.slice(12, 15));
    out.write(`${SPLIT_SECRET.slice(15)}`);
    out.flush();
    expect(c.text()).toBe('a [redacted]');
  });

  it('a whole line goes out at once; the end of a partial line waits at most for the next write or a flush', () => {
    const c = collector();
    const out = new SafeOutput(c.w, 'stderr');
    out.write('one line\n');
    expect(c.text()).toBe('one line\n');
    out.write('Reading the live organization…');
    expect(c.text().length).toBeGreaterThanOrEqual('one line\nReading the live organization…'.length - 9);
    out.flush();
    expect(c.text()).toBe('one line\nReading the live organization…');
  });

  it('a stream that throws is recorded, never rethrown; later writes are dropped', () => {
    let calls = 0;
    const out = new SafeOutput({ write: () => { calls += 1; throw Object.assign(new Error('bad fd'), { code: 'EBADF' }); } }, 'stdout');
    expect(() => out.write('x\n')).not.toThrow();
    expect(() => out.write('y\n')).not.toThrow();
    expect(out.failure).toBe('EBADF');
    expect(calls).toBe(1);
  });
});

describe('stdout and stderr that fail, in-process', () => {
  it('stdout failing with ENOSPC: one line on stderr, exit 1, no stack trace', async () => {
    const s = await org();
    for (const args of [['plan', '-f', s.file], ['plan', '--format', 'json', '-f', s.file], ['--help']]) {
      const err = collector();
      const code = await runCli(args, ioWith(s, failingStream('ENOSPC'), err.w));
      expect(code, args.join(' ')).toBe(1);
      expect(err.text(), args.join(' ')).toBe('error: cannot write stdout: ENOSPC\n');
    }
  });

  it('stdout whose write throws EBADF, and stderr failing: exit 1, nothing thrown', async () => {
    const s = await org();
    const err = collector();
    const throwing = { write: () => { throw Object.assign(new Error('EBADF: bad file descriptor, write'), { code: 'EBADF' }); } };
    expect(await runCli(['plan', '-f', s.file], ioWith(s, throwing, err.w))).toBe(1);
    expect(err.text()).toBe('error: cannot write stdout: EBADF\n');
    // stderr itself failing (an invalid file writes only to stderr): nothing can be said, the exit code says it
    s.write('version: 1\norganization: {id: nope}\n');
    const out = collector();
    expect(await runCli(['plan', '-f', s.file], ioWith(s, out.w, failingStream('EPIPE')))).toBe(1);
    expect(out.text()).toBe('');
  });

  it('a reader that went away (EPIPE on stdout) ends quietly with exit 1', async () => {
    const s = await org();
    const err = collector();
    expect(await runCli(['plan', '-f', s.file], ioWith(s, failingStream('EPIPE'), err.w))).toBe(1);
    expect(err.text()).toBe('');
  });
});

describe('plan --out and import -o: only regular files, whole or not at all', () => {
  it('a directory is refused before anything is read, with one line; nothing is left behind', async () => {
    const s = await org();
    const target = join(s.dir, 'plans');
    mkdirSync(target);
    const before = requests(await s.state());
    for (const args of [['plan', '--out', target], ['plan', '--format', 'markdown', '--out', target]]) {
      const out = await s.run(args);
      expect(out.code).toBe(1);
      expect(out.stderr).toBe(`error: cannot write ${target}: it is a directory, not a regular file; nothing was written\n`);
      expect(out.stdout).toBe('');
    }
    const imp = await runBare(s, ['import', '--force', '-o', target]);
    expect(imp.code).toBe(1);
    expect(imp.stderr).toBe(`error: cannot write ${target}: it is a directory, not a regular file; nothing was written\n`);
    expect(requests(await s.state()), 'nothing was read').toBe(before);
    expect(leftovers(s.dir)).toEqual([]);
    expect(readdirSync(target)).toEqual([]);
    expect(lstatSync(target).isDirectory()).toBe(true);
  });

  it('a FIFO is refused without being opened (opening it would wait for a reader)', async (ctx) => {
    const s = await org();
    const fifo = join(s.dir, 'plan.fifo');
    if (!mkfifo(fifo)) ctx.skip();
    for (const args of [['plan', '--out', fifo, '-f', s.file], ['import', '--force', '-o', fifo]]) {
      const out = await runBare(s, args);
      expect(out.code).toBe(1);
      expect(out.stderr).toBe(`error: cannot write ${fifo}: it is a FIFO, not a regular file; nothing was written\n`);
    }
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(leftovers(s.dir)).toEqual([]);
  });

  it('a symbolic link is refused, and the file it points to is untouched', async () => {
    const s = await org();
    const real = join(s.dir, 'real.json');
    writeFileSync(real, 'keep me\n');
    const link = join(s.dir, 'link.json');
    symlinkSync(real, link);
    const out = await s.run(['plan', '--out', link]);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(`error: cannot write ${link}: it is a symbolic link, not a regular file; nothing was written\n`);
    expect(readFileSync(real, 'utf8')).toBe('keep me\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('a missing folder: one line with the code, no temp file, no "Saved"', async () => {
    const s = await org();
    const missing = join(s.dir, 'no-such-folder', 'plan.json');
    const out = await s.run(['plan', '--out', missing]);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(`error: cannot write ${missing}: ENOENT\n`);
    expect(leftovers(s.dir)).toEqual([]);
  });

  it('a read-only folder: EACCES, nothing left in it (not as root, who writes there anyway)', async (ctx) => {
    if (process.getuid?.() === 0) ctx.skip();
    const s = await org();
    const ro = join(s.dir, 'read-only');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    try {
      for (const args of [['plan', '--out', join(ro, 'plan.json'), '-f', s.file], ['import', '-o', join(ro, 'org.yaml')]]) {
        const r = await runBare(s, args);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/^error: cannot write .*read-only\/(plan\.json|org\.yaml): EACCES\n$/);
      }
      expect(readdirSync(ro)).toEqual([]);
    } finally {
      chmodSync(ro, 0o755);
    }
  });

  it('a regular file is replaced whole; import without --force keeps an existing file', async () => {
    const s = await org();
    const target = join(s.dir, 'plan.json');
    writeFileSync(target, 'old\n');
    const out = await s.run(['plan', '--out', target]);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain(`Saved the plan to ${target}`);
    expect(JSON.parse(readFileSync(target, 'utf8'))).toHaveProperty('plan_hash');
    expect(lstatSync(target).mode & 0o777).toBe(0o644);
    const yaml = join(s.dir, 'org-import.yaml');
    writeFileSync(yaml, 'mine\n');
    const imp = await runBare(s, ['import', '-o', yaml]);
    expect(imp.code).toBe(1);
    expect(imp.stderr).toMatch(/exists; refusing to overwrite it \(use --force to replace it\)/);
    expect(readFileSync(yaml, 'utf8')).toBe('mine\n');
    const forced = await runBare(s, ['import', '--force', '-o', yaml]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(yaml, 'utf8')).toMatch(/^# yaml-language-server: \$schema=\S+\n# Imported by claude-reconcile/);
    expect(leftovers(s.dir)).toEqual([]);
  });
});

describe('the real binary', () => {
  it('is built', () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run \`npm run build\``).toBe(true);
  });

  it('stdout closed by its reader (EPIPE): no stack trace, exit 1', async () => {
    const s = await org();
    const result = await new Promise<{ code: number | null; stderr: string; bound: boolean }>((resolve) => {
      const child = spawn(process.execPath, [MAIN, 'plan', '--format', 'json', '-f', s.file], {
        env: { PATH: process.env.PATH ?? '', ...s.env() } as NodeJS.ProcessEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // the reader goes away before the plan is printed, as `| head -c0` would
      child.stdout.destroy();
      let stderr = '';
      let bound = false;
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => {
        bound = true;
        child.kill('SIGKILL');
      }, WAIT_BOUND_MS);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr, bound });
      });
    });
    expect(result.bound, 'still running at the wait bound').toBe(false);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.stderr).not.toMatch(/Unhandled|EPIPE/);
    expect(result.code).toBe(1);
  }, WAIT_BOUND_MS + 10_000);
});
