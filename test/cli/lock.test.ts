// The per-organization apply lock (issue 12): O_EXCL file, the holder named in the refusal, dead holders taken over,
// live, foreign or freshly unreadable ones respected, and a release that only ever removes its own lock.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockOrganization, lockOrganizations } from '../../src/cli/lock.js';

const ORG = '8f4c1a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function env(): Record<string, string> {
  const d = mkdtempSync(join(tmpdir(), 'claude-reconcile-lock-'));
  dirs.push(d);
  return { CLAUDE_RECONCILE_STATE_DIR: d };
}
const lockPath = (e: Record<string, string>, org = ORG) => join(e.CLAUDE_RECONCILE_STATE_DIR!, 'locks', `${org}.lock`);

describe('lockOrganization', () => {
  it('a second lock of the same organization is refused, naming the holder; another organization is free', () => {
    const e = env();
    const first = lockOrganization(e, ORG, 'apply -f orgs/');
    expect(() => lockOrganization(e, ORG, 'apply plan.json')).toThrow(
      new RegExp(`another apply of organization ${ORG} is running: pid ${process.pid} on ${hostname()}, this very process, started .* \\(apply -f orgs/\\)`),
    );
    const other = lockOrganization(e, 'other-org', 'x');
    other.release();
    first.release();
    expect(existsSync(lockPath(e))).toBe(false);
    lockOrganization(e, ORG, 'again').release();
  });

  it('the lock file holds no more than pid, host, time, command and a token, readable only by its owner', () => {
    const e = env();
    const l = lockOrganization(e, ORG, 'apply -f orgs/');
    const held = JSON.parse(readFileSync(lockPath(e), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(held).sort()).toEqual(['command', 'host', 'pid', 'started_at', 'token']);
    l.release();
  });

  it('the lock appears whole (written aside, then linked to its name): no staged file is left, taken or refused', () => {
    const e = env();
    const l = lockOrganization(e, ORG, 'apply -f orgs/');
    expect(() => lockOrganization(e, ORG, 'apply -f orgs/')).toThrow(/another apply of organization .* is running: pid \d+ on /);
    const dir = join(lockPath(e), '..');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    l.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a release never removes a lock that another run took over meanwhile', () => {
    const e = env();
    const l = lockOrganization(e, ORG, 'mine');
    writeFileSync(lockPath(e), JSON.stringify({ pid: process.pid, host: hostname(), started_at: 'x', command: 'theirs', token: 'other' }));
    l.release();
    expect(existsSync(lockPath(e))).toBe(true);
  });

  it('an unreadable lock (its writer died mid-write) is respected for a minute, then taken over', () => {
    const e = env();
    mkdirSync(join(e.CLAUDE_RECONCILE_STATE_DIR!, 'locks'), { recursive: true });
    writeFileSync(lockPath(e), '{"pid": 12');
    expect(() => lockOrganization(e, ORG, 'x')).toThrow('a run whose lock file cannot be read');
    const old = (Date.now() - 120_000) / 1000;
    utimesSync(lockPath(e), old, old);
    lockOrganization(e, ORG, 'x').release();
  });

  it('lockOrganizations takes each organization once, and releases what it took when one is refused', () => {
    const e = env();
    const held = lockOrganization(e, 'b-org', 'other run');
    expect(() => lockOrganizations(e, ['c-org', 'a-org', 'b-org', 'a-org'], 'apply x')).toThrow('another apply of organization b-org');
    expect(existsSync(lockPath(e, 'a-org'))).toBe(false);
    held.release();
    const all = lockOrganizations(e, ['c-org', 'a-org', 'b-org', 'a-org'], 'apply x');
    expect(['a-org', 'b-org', 'c-org'].every((o) => existsSync(lockPath(e, o)))).toBe(true);
    all.release();
    expect(['a-org', 'b-org', 'c-org'].some((o) => existsSync(lockPath(e, o)))).toBe(false);
  });
});
