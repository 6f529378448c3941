// Issue 6, item 3: an interrupted apply. SIGINT lets the changes in flight finish, starts no new one, prints what
// was and was not applied and exits non-zero; a SIGKILL at any point followed by `plan` and `apply` converges with
// no invitation sent twice and no removal the file did not ask for. The apply runs as a real child process of the
// built CLI against an emulator in this process; every write is slowed down so there is time to interrupt.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADMIN_KEY, desiredDoc, scenario, seedOf, type Scenario } from '../e2e/harness.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const people = (n: number, prefix: string, role = 'user') => Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@acme.com`, role }));
const departed = people(5, 'gone');

async function org(): Promise<Scenario> {
  const s = await scenario(
    seedOf({ users: [...people(15, 'promote'), ...people(5, 'keep'), ...departed] }),
    desiredDoc({
      policy: { max_removals: 10 },
      members: Object.fromEntries([
        ...people(15, 'promote').map((p) => [p.email, 'developer']),
        ...people(5, 'keep').map((p) => [p.email, 'user']),
        ...people(12, 'new').map((p) => [p.email, 'user']),
      ]),
      departed: Object.fromEntries(departed.map((p) => [p.email, null])),
    }),
  );
  // every write takes a while, so an apply of 32 changes lasts seconds
  for (const method of ['POST', 'DELETE']) await s.control('faults', { method, path: '/v1/organizations/*', delay_ms: 120, probability: 1 });
  return s;
}

interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** resolves when at least `n` changes are reported applied */
  applied(n: number): Promise<void>;
  exit: Promise<number | null>;
}

/** The scenario's own state folder (apply locks), as the in-process runs use it. */
function stateEnv(s: Scenario): Record<string, string> {
  return { CLAUDE_RECONCILE_STATE_DIR: s.env().CLAUDE_RECONCILE_STATE_DIR! };
}

function startApply(s: Scenario): Child {
  const proc = spawn(process.execPath, [`${root}dist/cli/main.js`, 'apply', '-f', s.file, '--auto-approve', '--concurrency', '2'], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ANTHROPIC_ADMIN_KEY: ADMIN_KEY, ANTHROPIC_BASE_URL: s.emu.url, ...stateEnv(s) },
  });
  let out = '';
  let err = '';
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const count = () => (out.match(/^applied /gm) ?? []).length;
  proc.stdout!.on('data', (d) => {
    out += d;
    for (const w of waiters.splice(0)) (count() >= w.n ? w.resolve() : waiters.push(w));
  });
  proc.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exit,
    applied: (n) =>
      new Promise<void>((resolve, reject) => {
        if (count() >= n) return resolve();
        const timer = setTimeout(() => reject(new Error(`fewer than ${n} changes applied in time:\n${out}\n${err}`)), 30_000);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
        void exit.then(() => (count() >= n ? resolve() : reject(new Error(`the apply ended before ${n} changes:\n${out}\n${err}`))));
      }),
  };
}

async function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** After the interruption: the org converges, nobody got two invitations, only departed people are gone. */
async function expectRecovered(s: Scenario): Promise<void> {
  await s.control('faults', undefined, 'DELETE');
  const again = await s.apply();
  expect(again.code, again.stdout + again.stderr).toBe(0);
  await s.expectConverged();
  await s.expectNoDuplicateInvites();
  const st = await s.state();
  const emails = st.users.map((u) => u.email);
  expect(emails.filter((e) => e.startsWith('gone'))).toEqual([]);
  for (const p of [...people(15, 'promote'), ...people(5, 'keep')]) expect(emails).toContain(p.email);
  expect(st.invites.filter((i) => i.status === 'pending').map((i) => i.email).sort()).toEqual(people(12, 'new').map((p) => p.email).sort());
}

describe('interrupted apply', () => {
  it('SIGINT: the changes in flight finish, no new one starts, the summary says what was not applied, exit 1', async () => {
    const s = await org();
    const child = startApply(s);
    await child.applied(3);
    child.proc.kill('SIGINT');
    const code = await bounded(child.exit, 30_000, 'the interrupted apply');
    expect(code).toBe(1);
    expect(child.stderr()).toContain('Interrupt received');
    const summary = /Apply incomplete: (\d+) applied, 0 failed, 0 skipped, (\d+) not started\./.exec(child.stdout());
    expect(summary, child.stdout()).not.toBeNull();
    const [applied, notStarted] = [Number(summary![1]), Number(summary![2])];
    expect(applied).toBeGreaterThanOrEqual(3);
    expect(notStarted).toBeGreaterThan(0);
    expect(applied + notStarted).toBe(32);
    expect(child.stdout()).toContain('not started');
    // nothing was applied after the summary, and the emulator saw exactly the applied writes
    const st = await s.state();
    const promoted = st.users.filter((u) => u.email.startsWith('promote') && u.role === 'developer').length;
    const invited = Object.keys(st.invitation_emails).length;
    const removed = 5 - st.users.filter((u) => u.email.startsWith('gone')).length;
    expect(promoted + invited + removed).toBe(applied);
    await expectRecovered(s);
  });

  it.each([0, 1, 4, 11, 20, 28])('SIGKILL after %i applied changes, then plan and apply: converges, nothing twice, nothing extra', async (n) => {
    const s = await org();
    const child = startApply(s);
    if (n > 0) await child.applied(n);
    else await new Promise((r) => setTimeout(r, 300)); // while it is still reading or starting the first writes
    child.proc.kill('SIGKILL');
    expect(await bounded(child.exit, 10_000, 'the killed apply')).toBeNull();
    // wait for the emulator to finish the writes that were in flight when the process died
    await new Promise((r) => setTimeout(r, 400));
    const { plan } = await s.plan();
    expect(plan.blocked).toBe(false);
    await expectRecovered(s);
  });
});
