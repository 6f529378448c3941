// Issue 18 items 3 and 4 at the CLI's edge: the duration flags and their usage errors, and the progress reporter
// (a redrawn line on a terminal with the wait, why and bucket; a line every N seconds and each wait otherwise).

import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/duration.js';
import { safeOutput, type CliIO } from '../../src/cli/io.js';
import { ApplyProgress } from '../../src/cli/progress.js';
import { runCli } from '../../src/cli/program.js';
import { formatDuration, renderProgressLine } from '../../src/render/progress.js';

function io(extra: Partial<CliIO> = {}): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    out: () => out,
    err: () => err,
    io: {
      env: { NO_COLOR: '1' }, stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) },
      stdoutIsTTY: false, stdinIsTTY: false, prompt: async () => 'no', now: () => new Date(), interrupt: new AbortController().signal,
      ...extra,
    },
  };
}

describe('durations', () => {
  it.each([
    ['5h30m', 19_800_000], ['45m', 2_700_000], ['90s', 90_000], ['1h', 3_600_000], ['2h15m30s', 8_130_000], [' 10m ', 600_000], ['0s', 0],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '5', '5 h', '30m5h', '1d', '1.5h', '-5m', 'h', '5hh', '5m5m'])('%j is refused', (text) => expect(parseDuration(text)).toBeUndefined());

  it('formats back', () => {
    expect([19_800_000, 2_700_000, 90_000, 0, 999, 3_600_000].map(formatDuration)).toEqual(['5h30m', '45m', '1m30s', '0s', '0s', '1h']);
  });
});

describe('apply: the budget flags are checked before anything is read', () => {
  it.each([
    [['--max-duration', '5'], "option '--max-duration <duration>' argument '5' is invalid. expected a duration such as 5h30m, 45m or 90s"],
    [['--max-duration', '0s'], 'expected a duration of at least 1s'],
    [['--max-duration', '1m', '--finish-margin', '2m'], '--max-duration 1m leaves no time to apply anything: it must be longer than --finish-margin 2m'],
    [['--max-duration', '4m'], 'it must be longer than --finish-margin 5m'],
    [['--finish-margin', '1m'], '--finish-margin is the part of --max-duration kept for the changes in flight; give --max-duration too'],
    [['--progress-every', '0s'], 'expected a duration of at least 1s'],
  ])('apply %j is a usage error', async (args, message) => {
    const h = io();
    expect(await runCli(['apply', '--auto-approve', '-f', '/nonexistent/org.yaml', ...args], h.io)).toBe(1);
    expect(h.err()).toContain(message);
    expect(h.err()).not.toContain('nonexistent');
  });

  it('CLAUDE_RECONCILE_PROGRESS_EVERY is checked the same way', async () => {
    const h = io({ env: { NO_COLOR: '1', CLAUDE_RECONCILE_PROGRESS_EVERY: 'often' } });
    expect(await runCli(['apply', '--auto-approve', '-f', '/nonexistent/org.yaml'], h.io)).toBe(1);
    expect(h.err()).toContain('CLAUDE_RECONCILE_PROGRESS_EVERY: expected a duration such as 5h30m');
  });

  it('--help names the flags and exit code 4', async () => {
    const h = io();
    expect(await runCli(['apply', '--help'], h.io)).toBe(0);
    for (const s of ['--max-duration <duration>', '--finish-margin <duration>', '--progress-every <duration>', 'exits 4']) expect(h.out()).toContain(s);
    const top = io();
    expect(await runCli(['--help'], top.io)).toBe(0);
    expect(top.out()).toContain('4 apply stopped by --max-duration');
  });
});

describe('progress', () => {
  it('the line: done/total, not applied, in flight, the wait with its bucket and why, the budget', () => {
    expect(renderProgressLine({ total: 120, done: 37, notApplied: 2, inFlight: 4, wait: { leftMs: 3200, why: 'for the rate limit: POST /v1/organizations/invites', bucket: 'invites' }, budgetLeftMs: 3_720_000 }))
      .toBe('apply: 37/120 changes done (2 not applied), 4 in flight · waiting 3.2 s [invites] for the rate limit: POST /v1/organizations/invites · budget 1h2m left');
    expect(renderProgressLine({ total: 3, done: 0, notApplied: 0, inFlight: 0, wait: { leftMs: 75_000, why: 'before retry 2' } }))
      .toBe('apply: 0/3 changes done, 0 in flight · waiting 1m15s before retry 2');
    expect(renderProgressLine({ total: 3, done: 1, notApplied: 0, inFlight: 1, stopping: true, budgetLeftMs: 10 }))
      .toBe('apply: 1/3 changes done, 1 in flight · time budget reached: finishing the changes in flight, starting no new one');
    // escaped, and cut to the terminal's width
    expect(renderProgressLine({ total: 1, done: 0, notApplied: 0, inFlight: 1, wait: { leftMs: 2000, why: 'x\u001b[2Ky' } })).toContain('x\\u001b[2Ky');
    const cut = renderProgressLine({ total: 1, done: 0, notApplied: 0, inFlight: 1, wait: { leftMs: 2000, why: 'z'.repeat(200) } }, { width: 60 });
    expect(cut).toHaveLength(60);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('on a terminal: one line redrawn in place with the wait and its bucket (read when the client names one), cleared around stdout lines and at the end', () => {
    let now = 0;
    const h = io({ stderrIsTTY: true, columns: 200 });
    const p = new ApplyProgress(h.io, { total: 5, everyMs: 30_000, deadline: 600_000, now: () => now });
    p.start();
    p.onStart();
    p.onWait({ ms: 3000, why: 'for the rate limit: POST /v1/organizations/invites', bucket: 'invites' });
    expect(h.err().split('\r\x1b[2K').at(-1)).toBe('apply: 0/5 changes done, 1 in flight · waiting 3.0 s [invites] for the rate limit: POST /v1/organizations/invites · budget 10m left');
    expect(h.err()).not.toContain('\n');
    p.print('applied     + invite["a@acme.com"]\n');
    expect(h.out()).toBe('applied     + invite["a@acme.com"]\n');
    // a wait told without a bucket: no brackets
    now = 4000;
    p.onWait({ ms: 2500, why: 'for the rate limit' } as never);
    expect(h.err().split('\r\x1b[2K').at(-1)).toBe('apply: 0/5 changes done, 1 in flight · waiting 2.5 s for the rate limit · budget 9m56s left');
    now = 7000;
    p.onResult({ status: 'applied' }, true);
    p.tick();
    expect(h.err().split('\r\x1b[2K').at(-1)).toBe('apply: 1/5 changes done, 0 in flight · budget 9m53s left');
    p.stop();
    expect(h.err().endsWith('\r\x1b[2K')).toBe(true);
    expect(h.err()).not.toContain('\n');
  });

  it('not on a terminal: each wait on its own line as it starts, and a whole line at every tick; no escape sequences', () => {
    let now = 0;
    const h = io();
    const p = new ApplyProgress(h.io, { total: 2, everyMs: 30_000, now: () => now });
    p.start();
    p.onStart();
    p.onWait({ ms: 3000, why: 'for the rate limit', bucket: 'requests' } as never);
    expect(h.err()).toBe('waiting 3.0 s for the rate limit\n');
    p.tick();
    expect(h.err()).toBe('waiting 3.0 s for the rate limit\napply: 0/2 changes done, 1 in flight · waiting 3.0 s [requests] for the rate limit\n');
    now = 3001; // the wait is over
    p.onResult({ status: 'failed' }, true);
    p.print('FAILED\n');
    p.tick();
    p.stop();
    expect(h.err().split('\n').at(-2)).toBe('apply: 1/2 changes done (1 not applied), 0 in flight');
    expect(h.err()).not.toContain('\x1b');
  });

  it('through the scrubbing stderr the terminal line arrives whole (its end is not held back for a secret that might follow)', () => {
    let err = '';
    const h = io({ stderrIsTTY: true });
    h.io.stderr = safeOutput({ write: (s: string) => (err += s) }, 'stderr');
    const p = new ApplyProgress(h.io, { total: 5, everyMs: 30_000, now: () => 0 });
    p.start();
    expect(err).toBe('\r\x1b[2Kapply: 0/5 changes done, 0 in flight');
    p.stop();
  });
});
