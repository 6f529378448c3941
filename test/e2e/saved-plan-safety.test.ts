// Issue 12 items 1 and 3, end to end against the emulator: nothing created twice (replayed saved plans, objects made
// by hand meanwhile, concurrent applies), and saved plans that cannot be turned against their user (an edited
// `blocked`, an edited `base_url_env`, a recomputed hash against the one a reviewer saw).

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY, actions, desiredDoc, scenario, seedOf, type Scenario } from './harness.js';
import { planHash } from '../../src/model/plan-hash.js';
import type { Plan } from '../../src/model/plan.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function save(s: Scenario, name = 'plan.json', extra: string[] = []): Promise<{ path: string; plan: Plan; code: number }> {
  const path = join(s.dir, name);
  const out = await s.run(['plan', '--out', path, ...extra]);
  return { path, plan: JSON.parse(readFileSync(path, 'utf8')) as Plan, code: out.code };
}

async function emu<T>(s: Scenario, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${s.emu.url}${path}`, {
    ...init,
    headers: { 'x-api-key': ADMIN_KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json', ...init.headers },
    signal: AbortSignal.timeout(10_000),
  });
  return (await res.json()) as T;
}

interface WsState { workspaces: Array<{ id: string; name: string; archived_at: string | null; display_color: string }> }

async function workspacesNamed(s: Scenario, name: string): Promise<WsState['workspaces']> {
  const st = (await s.state()) as unknown as WsState;
  return st.workspaces.filter((w) => w.name === name);
}

describe('e2e: a saved plan never creates twice (issue 12 item 1)', () => {
  const wsSeed = () => seedOf({ users: [{ email: 'alice@acme.com', role: 'user' }] });
  const wsDoc = (color?: string) => desiredDoc({
    members: { 'alice@acme.com': 'user' },
    workspaces: { Sandbox2: { ...(color ? { display_color: color } : {}), members: { 'alice@acme.com': 'workspace_developer' } } },
  });

  it('re-applying a saved `+ workspace` plan finds it in place: one workspace, the membership not re-added', async () => {
    const s = await scenario(wsSeed(), wsDoc());
    const { path, plan } = await save(s);
    expect(actions(plan)).toEqual(['create workspace["Sandbox2"]', 'create workspace_member["Sandbox2/alice@acme.com"]']);
    expect((await s.run(['apply', path])).code).toBe(0);
    const again = await s.run(['apply', path]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Already applied: this saved plan was applied by an earlier run on this machine (all 2 changes are already in place); nothing was written.');
    expect(await workspacesNamed(s, 'Sandbox2')).toHaveLength(1);
    await s.expectConverged();
  });

  it('the same replay from another machine (no journal): the live check finds both changes in place', async () => {
    const s = await scenario(wsSeed(), wsDoc());
    const { path } = await save(s);
    expect((await s.run(['apply', path])).code).toBe(0);
    const elsewhere = await s.run(['apply', path], { env: { CLAUDE_RECONCILE_STATE_DIR: join(s.dir, 'other-machine') } });
    expect(elsewhere.code).toBe(0);
    expect(elsewhere.stdout).toContain('already in place');
    expect(await workspacesNamed(s, 'Sandbox2')).toHaveLength(1);
  });

  it('a workspace made by hand after the plan: the same one is in place and its membership is added to it; another colour is stale', async () => {
    const s = await scenario(wsSeed(), wsDoc('#6C5BB9'));
    const { path } = await save(s);
    const made = await emu<{ id: string }>(s, '/v1/organizations/workspaces', { method: 'POST', body: JSON.stringify({ name: 'Sandbox2', display_color: '#6C5BB9' }) });
    const out = await s.run(['apply', path]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`in place    + workspace["Sandbox2"] (${made.id})`);
    expect(out.stdout).toContain('1 applied');
    const ws = await workspacesNamed(s, 'Sandbox2');
    expect(ws.map((w) => w.id)).toEqual([made.id]);
    await s.expectConverged();

    const t = await scenario(wsSeed(), wsDoc('#6C5BB9'));
    const saved = await save(t);
    await emu(t, '/v1/organizations/workspaces', { method: 'POST', body: JSON.stringify({ name: 'Sandbox2', display_color: '#00FF00' }) });
    const refused = await t.run(['apply', saved.path]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('workspace["Sandbox2"] (new): a workspace with this name exists now');
    expect(refused.stderr).toContain('nothing was applied');
    expect(await workspacesNamed(t, 'Sandbox2')).toHaveLength(1);
  });

  it('a workspace created and archived since the plan: refused, not created again', async () => {
    const s = await scenario(wsSeed(), wsDoc());
    const { path } = await save(s);
    const made = await emu<{ id: string }>(s, '/v1/organizations/workspaces', { method: 'POST', body: JSON.stringify({ name: 'Sandbox2' }) });
    await emu(s, `/v1/organizations/workspaces/${made.id}/archive`, { method: 'POST' });
    const out = await s.run(['apply', path], { env: { CLAUDE_RECONCILE_STATE_DIR: join(s.dir, 'fresh-state') } });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('was created and archived since the plan was made');
    expect(await workspacesNamed(s, 'Sandbox2')).toHaveLength(1);
  });

  it('a saved `+ invite` re-applied after the invite was withdrawn sends no second email (the journal)', async () => {
    const s = await scenario(seedOf({}), desiredDoc({ members: { 'new@acme.com': 'user' } }));
    const { path } = await save(s);
    expect((await s.run(['apply', path])).code).toBe(0);
    const pending = (await s.state()).invites.find((i) => i.email === 'new@acme.com' && i.status === 'pending')!;
    await emu(s, `/v1/organizations/invites/${pending.id}`, { method: 'DELETE' });
    const replay = await s.run(['apply', path]);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/in place +\+ invite\["new@acme.com"\].*applied by an earlier run of this plan/);
    expect((await s.state()).invitation_emails['new@acme.com']).toBe(1);
    await s.expectNoDuplicateInvites();
  });

  it('a saved `+ invite` whose invite is still pending is in place on any machine; one accepted since is stale', async () => {
    const s = await scenario(seedOf({}), desiredDoc({ members: { 'new@acme.com': 'user', 'two@acme.com': 'user' } }));
    const { path } = await save(s);
    expect((await s.run(['apply', path])).code).toBe(0);
    const other = { CLAUDE_RECONCILE_STATE_DIR: join(s.dir, 'other-machine') };
    const replay = await s.run(['apply', path], { env: other });
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('already in place');
    await s.control('invites/accept', { email: 'two@acme.com' });
    const stale = await s.run(['apply', path], { env: other });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('invite["two@acme.com"] (new): two@acme.com is a member now');
    expect((await s.state()).invitation_emails).toEqual({ 'new@acme.com': 1, 'two@acme.com': 1 });
  });

  it('an RBAC group (enterprise) re-applied from a saved plan is in place, not a second group', async () => {
    const s = await scenario(
      seedOf({ kind: 'enterprise', users: [{ email: 'a@acme.com', role: 'user' }] }),
      desiredDoc({ members: { 'a@acme.com': 'user' }, groups: { Platform: { members: ['a@acme.com'] } } }, { kind: 'enterprise' }),
    );
    const { path } = await save(s);
    expect((await s.run(['apply', path])).code).toBe(0);
    const replay = await s.run(['apply', path], { env: { CLAUDE_RECONCILE_STATE_DIR: join(s.dir, 'elsewhere') } });
    expect(replay.code).toBe(0);
    const st = (await s.state()) as unknown as { rbac_groups: Array<{ name: string }> };
    expect(st.rbac_groups.filter((g) => g.name === 'Platform')).toHaveLength(1);
    await s.expectConverged();
  });
});

describe('e2e: saved plans cannot be turned against their user (issue 12 item 3)', () => {
  const seed = () => seedOf({ users: ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => ({ email: `${n}@acme.com`, role: 'user' })) });
  const doc = () => desiredDoc({
    policy: { max_removals: 1 },
    members: { 'a@acme.com': 'user', 'b@acme.com': 'user', 'c@acme.com': 'user', 'd@acme.com': 'user' },
    departed: { 'e@acme.com': null, 'f@acme.com': null },
  });

  it('a blocked plan with "blocked": false written into it is still blocked: the guard is recounted from the changes', async () => {
    const s = await scenario(seed(), doc());
    const { path, plan, code } = await save(s);
    expect(code).toBe(3);
    expect(plan.blocked).toBe(true);
    const edited = { ...plan, blocked: false, removals: { ...plan.removals, count: 0, addresses: [] } };
    delete (edited as Partial<Plan>).blocked_reason;
    writeFileSync(path, JSON.stringify(edited));
    const out = await s.run(['apply', path]);
    expect(out.code).toBe(3);
    expect(out.stderr).toContain('blocked by a safety guard');
    expect((await s.state()).users).toHaveLength(6);
  });

  it('a raised limit or a dropped removal flag breaks the hash', async () => {
    const s = await scenario(seed(), doc());
    const { path, plan } = await save(s);
    writeFileSync(path, JSON.stringify({ ...plan, removals: { ...plan.removals, limit: 99 } }));
    expect((await s.run(['apply', path])).stderr).toContain('plan_hash does not match');
    writeFileSync(path, JSON.stringify({ ...plan, changes: plan.changes.map((c) => ({ ...c, removal: false })) }));
    const out = await s.run(['apply', path]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('plan_hash does not match');
    expect((await s.state()).users).toHaveLength(6);
  });

  describe('an edited base_url_env', () => {
    let evil: Server | undefined;
    afterEach(async () => {
      await new Promise<void>((r) => (evil ? evil.close(() => r()) : r()));
      evil = undefined;
    });

    it('is refused before anything connects: the key never reaches the other address', async () => {
      const seen: string[] = [];
      evil = createServer((req, res) => {
        seen.push(`${req.method} ${req.url} ${req.headers['x-api-key'] ?? ''}`);
        res.writeHead(500).end();
      });
      await new Promise<void>((r) => evil!.listen(0, '127.0.0.1', r));
      const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
      const s = await scenario(seedOf({ users: [{ email: 'a@acme.com', role: 'user' }] }), desiredDoc({ members: { 'a@acme.com': 'developer' } }));
      const { path, plan } = await save(s);
      writeFileSync(path, JSON.stringify({ ...plan, organization: { ...plan.organization, credentials: { ...plan.organization.credentials, base_url_env: 'ELSEWHERE' } } }));
      const out = await s.run(['apply', path], { env: { ELSEWHERE: evilUrl } });
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('plan_hash does not match');
      expect(seen).toEqual([]);

      // an attacker who recomputes the hash is stopped by the hash the reviewer saw
      const forged = { ...plan, organization: { ...plan.organization, credentials: { ...plan.organization.credentials, base_url_env: 'ELSEWHERE' } } };
      forged.plan_hash = planHash(forged);
      writeFileSync(path, JSON.stringify(forged));
      const pinned = await s.run(['apply', path, '--expect-plan-hash', plan.plan_hash], { env: { ELSEWHERE: evilUrl } });
      expect(pinned.code).toBe(1);
      expect(pinned.stderr).toContain(`not the expected ${plan.plan_hash}`);
      expect(seen).toEqual([]);
      expect((await s.state()).users[0]!.role).toBe('user');

      // and the untouched plan with its hash pinned applies
      writeFileSync(path, JSON.stringify(plan));
      expect((await s.run(['apply', path, '--expect-plan-hash', plan.plan_hash])).code).toBe(0);
      expect((await s.state()).users[0]!.role).toBe('developer');
    });
  });

  it('a plan of format version 1 is refused with a message saying so', async () => {
    const s = await scenario(seedOf({}), desiredDoc({ members: { 'n@acme.com': 'user' } }));
    const { path, plan } = await save(s);
    writeFileSync(path, JSON.stringify({ ...plan, format_version: '1' }));
    const out = await s.run(['apply', path]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('format_version "1"; this version reads 2');
  });
});

describe('e2e: two applies of one organization never interleave (issue 12 item 1)', () => {
  const doc = () => desiredDoc({ workspaces: { Sandbox2: {} } });

  it('in one process: the second apply stops at once naming the first, and one workspace is made', async () => {
    const s = await scenario(seedOf({}), doc());
    // the first apply holds its lock while its POST hangs for a moment
    await s.control('faults', { method: 'POST', path: '/v1/organizations/workspaces', delay_ms: 800 });
    const [a, b] = await Promise.all([s.apply(), new Promise((r) => setTimeout(r, 100)).then(() => s.apply())]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 1]);
    const loser = a.code === 1 ? a : b;
    expect(loser.stderr).toContain('another apply of organization 11111111-2222-4333-8444-555555555555 is running');
    expect(loser.stderr).toContain(`pid ${process.pid} on ${hostname()}`);
    expect(await workspacesNamed(s, 'Sandbox2')).toHaveLength(1);
    // the lock is released: a third apply runs (and has nothing to do)
    expect((await s.apply()).code).toBe(0);
    await s.expectConverged();
  });

  it('in two processes at once: one workspace, and the other process names the first', async () => {
    const s = await scenario(seedOf({}), doc());
    await s.control('faults', { method: 'POST', path: '/v1/organizations/workspaces', delay_ms: 1500 });
    const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...s.env() } as Record<string, string>;
    const run = () => new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [`${root}dist/cli/main.js`, 'apply', '--auto-approve', '-f', s.file], { env });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr });
      });
    });
    const results = await Promise.all([run(), run()]);
    expect(results.map((r) => r.code).sort()).toEqual([0, 1]);
    expect(results.find((r) => r.code === 1)!.stderr).toMatch(/another apply of organization .* is running: pid \d+ on /);
    expect(await workspacesNamed(s, 'Sandbox2')).toHaveLength(1);
    await s.expectConverged();
  });

  it('two applies of one saved plan at once: the second stops naming the first; the workspace is made once', async () => {
    const s = await scenario(seedOf({}), doc());
    const { path } = await save(s);
    await s.control('faults', { method: 'POST', path: '/v1/organizations/workspaces', delay_ms: 800 });
    const [a, b] = await Promise.all([s.run(['apply', path]), new Promise((r) => setTimeout(r, 100)).then(() => s.run(['apply', path]))]);
    expect([a.code, b.code].sort()).toEqual([0, 1]);
    expect((a.code === 1 ? a : b).stderr).toContain('another apply of organization 11111111-2222-4333-8444-555555555555 is running');
    expect(await workspacesNamed(s, 'Sandbox2')).toHaveLength(1);
    await s.expectConverged();
  });

  it('a lock left by a process that died is taken over; one held on another host is not', async () => {
    const s = await scenario(seedOf({}), doc());
    const locks = join(s.dir, 'state', 'locks');
    mkdirSync(locks, { recursive: true });
    const lockFile = join(locks, '11111111-2222-4333-8444-555555555555.lock');
    const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
    writeFileSync(lockFile, JSON.stringify({ pid: dead, host: hostname(), started_at: '2026-12-01T00:00:00Z', command: 'apply -f old', token: 't' }));
    expect((await s.apply()).code).toBe(0);
    expect(await workspacesNamed(s, 'Sandbox2')).toHaveLength(1);

    writeFileSync(lockFile, JSON.stringify({ pid: 1, host: 'ci-runner-7', started_at: '2026-12-06T08:00:00Z', command: 'apply -f orgs/', token: 't' }));
    const refused = await s.apply();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('pid 1 on ci-runner-7, started 2026-12-06T08:00:00Z (apply -f orgs/)');
  });
});

describe('e2e: a write the server carries out after the client gave up is found, not made twice (issue 12 item 1)', () => {
  const doc = () => desiredDoc({ workspaces: { Sandbox2: {} }, groups: undefined });
  // the POST hangs past the client's deadline and is then carried out by the server: the answer is lost
  const holdPastDeadline = (s: Scenario) => s.control('faults', { method: 'POST', path: '/v1/organizations/workspaces', delay_ms: 900, count: 1 });

  it('the settle window sees the late workspace and takes it as the result: one workspace', async () => {
    const s = await scenario(seedOf({}), doc());
    s.clientOptions = { timeoutMs: 300, retry: { baseDelayMs: 5, maxDelayMs: 50, settleMs: 3000, settleFirstPollMs: 100 } };
    await holdPastDeadline(s);
    const out = await s.apply();
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain('1 applied, 0 failed');
    expect(await workspacesNamed(s, 'Sandbox2')).toHaveLength(1);
    await s.expectConverged();
  });

  it('the fault is real: with no settle window the same apply makes two workspaces', async () => {
    const s = await scenario(seedOf({}), doc());
    s.clientOptions = { timeoutMs: 300, retry: { baseDelayMs: 5, maxDelayMs: 50, settleMs: 0, settleFirstPollMs: 100 } };
    await holdPastDeadline(s);
    await s.apply();
    await new Promise((r) => setTimeout(r, 1200)); // the held POST lands
    expect(await workspacesNamed(s, 'Sandbox2')).toHaveLength(2);
  });
});

describe('e2e: one plan per organization in one apply', () => {
  it('two saved plans of the same organization are refused together, before anything is read', async () => {
    const s = await scenario(seedOf({}), desiredDoc({ members: { 'n@acme.com': 'user' } }));
    const a = await save(s, 'a.json');
    const b = await save(s, 'b.json');
    const before = await s.state();
    const out = await s.run(['apply', a.path, b.path]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('more than one plan for organization 11111111-2222-4333-8444-555555555555');
    expect((await s.state()).requests).toEqual(before.requests);
    expect((await s.state()).invitation_emails).toEqual({});
  });
});

describe('e2e: a file that is not a plan is not echoed', () => {
  it('a JSON file whose format_version holds something else: refused without quoting it', async () => {
    const s = await scenario(seedOf({}), desiredDoc({}));
    const path = join(s.dir, 'not-a-plan.json');
    writeFileSync(path, JSON.stringify({ format_version: 'root:$6$saltsalt$hashhashhash:19000:0:99999:7:::' }));
    const out = await s.run(['apply', path]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('format_version that is not a version of it');
    expect(out.stderr).not.toContain('saltsalt');
  });
});
