// End-to-end: plan → apply → plan against the emulator, for members and invites. Each scenario ends with a second
// plan that has no API changes, and never more than one invitation email per address.

import { describe, expect, it } from 'vitest';
import { actions, desiredDoc, scenario, seedOf } from './harness.js';

describe('e2e: members and invites', () => {
  it('a fresh organization: everyone is invited, the plan converges, accepting changes nothing', async () => {
    const s = await scenario(
      seedOf({ users: [{ email: 'owner@acme.com', role: 'admin' }] }),
      desiredDoc({ members: { 'owner@acme.com': 'admin', 'a@acme.com': 'developer', 'B@acme.com': 'user', 'c@acme.com': 'claude_code_user' } }),
    );
    const first = await s.plan(['--detailed-exitcode']);
    expect(first.code).toBe(2);
    expect(actions(first.plan)).toEqual(['create invite["B@acme.com"]', 'create invite["a@acme.com"]', 'create invite["c@acme.com"]']);

    const applied = await s.apply();
    expect(applied.stdout).toContain('3 applied, 0 failed, 0 skipped, 0 not started');
    expect(applied.code).toBe(0);
    const st = await s.state();
    expect(st.invites.filter((i) => i.status === 'pending').map((i) => [i.email, i.role]).sort()).toEqual([
      ['B@acme.com', 'user'], ['a@acme.com', 'developer'], ['c@acme.com', 'claude_code_user'],
    ]);
    const converged = await s.expectConverged();
    expect(converged.diagnostics.filter((d) => d.code === 'invited')).toHaveLength(3);

    await s.control('invites/accept', { email: 'b@acme.com' });
    await s.expectConverged();
    expect((await s.state()).users.find((u) => u.email.toLowerCase() === 'b@acme.com')?.role).toBe('user');
    await s.expectNoDuplicateInvites();
  });

  it('role changes: promotions and demotions are applied, demotions count as removals', async () => {
    const s = await scenario(
      seedOf({ users: [{ email: 'a@acme.com', role: 'user' }, { email: 'b@acme.com', role: 'developer' }, { email: 'c@acme.com', role: 'billing' }] }),
      desiredDoc({ members: { 'A@ACME.COM': 'developer', 'b@acme.com': 'user', 'c@acme.com': 'billing' } }),
    );
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual(['update member["A@ACME.COM"]', 'update member["b@acme.com"]']);
    expect(plan.removals.count).toBe(1);
    expect((await s.apply()).code).toBe(0);
    const roles = Object.fromEntries((await s.state()).users.map((u) => [u.email, u.role]));
    expect(roles).toEqual({ 'a@acme.com': 'developer', 'b@acme.com': 'user', 'c@acme.com': 'billing' });
    await s.expectConverged();
  });

  it('invites: pending with the declared role is left alone, wrong role replaced, expired re-sent', async () => {
    const s = await scenario(
      seedOf({
        invites: [
          { email: 'ok@acme.com', role: 'user' },
          { email: 'wrong@acme.com', role: 'user' },
          { email: 'old@acme.com', role: 'developer', status: 'expired' },
        ],
      }),
      desiredDoc({ members: { 'ok@acme.com': 'user', 'wrong@acme.com': 'developer', 'old@acme.com': 'developer' } }),
    );
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual(['create invite["old@acme.com"]', 'replace invite["wrong@acme.com"]']);
    expect((await s.apply()).code).toBe(0);
    const st = await s.state();
    const pending = st.invites.filter((i) => i.status === 'pending').map((i) => `${i.email}:${i.role}`).sort();
    expect(pending).toEqual(['ok@acme.com:user', 'old@acme.com:developer', 'wrong@acme.com:developer']);
    expect(st.invites.filter((i) => i.status === 'deleted').map((i) => i.email)).toEqual(['wrong@acme.com']);
    await s.expectConverged();
    await s.expectNoDuplicateInvites();
  });

  it('an invite that expires on the emulator clock is re-sent on the next run', async () => {
    const s = await scenario(seedOf(), desiredDoc({ members: { 'n@acme.com': 'user' } }));
    expect((await s.apply()).code).toBe(0);
    await s.expectConverged();
    await s.control('clock/advance', { days: 22 });
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual(['create invite["n@acme.com"]']);
    expect(plan.changes[0]!.reason).toContain('re-invite');
    expect((await s.apply()).code).toBe(0);
    await s.expectConverged();
  });

  it('departed people: members removed, pending invites withdrawn, nothing else touched', async () => {
    const s = await scenario(
      seedOf({
        users: [{ email: 'stay@acme.com', role: 'user' }, { email: 'dave@acme.com', role: 'developer' }, { email: 'stray@acme.com', role: 'user' }],
        invites: [{ email: 'eve@acme.com', role: 'user' }],
      }),
      desiredDoc({
        members: { 'stay@acme.com': 'user' },
        departed: { 'Dave@acme.com': { date: '2026-11-01', reason: 'left' }, 'eve@acme.com': null, 'never-joined@acme.com': null },
      }),
    );
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual(['delete invite["eve@acme.com"]', 'delete member["dave@acme.com"]']);
    expect(plan.diagnostics.map((d) => d.code)).toContain('undeclared_member');
    expect((await s.apply()).code).toBe(0);
    const st = await s.state();
    expect(st.users.map((u) => u.email).sort()).toEqual(['stay@acme.com', 'stray@acme.com']);
    expect(st.invites.find((i) => i.email === 'eve@acme.com')?.status).toBe('deleted');
    await s.expectConverged([], { drift: ['member["stray@acme.com"]'] }); // undeclared, left alone: drift
  });

  it('members past `expires` are removed as departed', async () => {
    const s = await scenario(
      // a second member who stays: the API never removes an organization's last member
      seedOf({ users: [{ email: 'temp@acme.com', role: 'claude_code_user' }, { email: 'keeper@acme.com', role: 'user' }] }),
      desiredDoc({ members: { 'temp@acme.com': { role: 'claude_code_user', expires: '2026-12-31' }, 'keeper@acme.com': 'user' } }),
    );
    await s.expectConverged([], { now: new Date('2026-12-31T23:00:00Z') });
    const { plan } = await s.plan([], { now: new Date('2027-01-01T00:00:01Z') });
    expect(actions(plan)).toEqual(['delete member["temp@acme.com"]']);
    expect(plan.changes[0]!.reason).toContain('expired');
    expect((await s.apply([], { now: new Date('2027-01-01T00:00:01Z') })).code).toBe(0);
    await s.expectConverged([], { now: new Date('2027-01-01T00:00:01Z') });
  });
});

describe('e2e: removals policy and guards', () => {
  const users = [
    { email: 'keep@acme.com', role: 'user' },
    { email: 'stray@acme.com', role: 'developer' },
    { email: 'x@contractors.acme.com', role: 'user' },
    { email: 'root@acme.com', role: 'admin' },
  ];
  const doc = (removals: string) => desiredDoc({
    policy: { removals, unmanaged: ['*@contractors.acme.com'] },
    members: { 'keep@acme.com': 'user' },
    departed: { 'gone@acme.com': null },
  });
  const seed = () => seedOf({ users: [...users, { email: 'gone@acme.com', role: 'user' }], invites: [{ email: 'pending-stray@acme.com', role: 'user' }] });

  it('declared: only departed people are removed; strays are named in warnings', async () => {
    const s = await scenario(seed(), doc('declared'));
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual(['delete member["gone@acme.com"]']);
    const warned = plan.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.address);
    expect(warned.sort()).toEqual(['invite["pending-stray@acme.com"]', 'member["root@acme.com"]', 'member["stray@acme.com"]']);
    expect((await s.apply()).code).toBe(0);
    await s.expectConverged([], { drift: ['invite["pending-stray@acme.com"]', 'member["root@acme.com"]', 'member["stray@acme.com"]'] });
    expect((await s.state()).users.map((u) => u.email).sort()).toEqual(['keep@acme.com', 'root@acme.com', 'stray@acme.com', 'x@contractors.acme.com']);
  });

  it('prune: every undeclared member and invite goes, except keep-only roles and unmanaged people', async () => {
    const s = await scenario(seed(), doc('prune'));
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual(['delete invite["pending-stray@acme.com"]', 'delete member["gone@acme.com"]', 'delete member["stray@acme.com"]']);
    expect((await s.apply()).code).toBe(0);
    await s.expectConverged([], { drift: ['member["root@acme.com"]'] }); // an undeclared admin prune never removes
    expect((await s.state()).users.map((u) => u.email).sort()).toEqual(['keep@acme.com', 'root@acme.com', 'x@contractors.acme.com']);
  });

  it('never: nothing is removed, not even departed people', async () => {
    const s = await scenario(seed(), doc('never'));
    const { plan } = await s.plan();
    expect(plan.changes).toEqual([]);
    expect(plan.diagnostics.map((d) => d.code)).toContain('removal_suppressed');
    expect((await s.apply()).code).toBe(0);
    await s.expectConverged([], { drift: ['invite["pending-stray@acme.com"]', 'member["root@acme.com"]', 'member["stray@acme.com"]'] });
    expect((await s.state()).users).toHaveLength(5);
  });

  it('no members key under prune is a mass removal: blocked (exit 3, nothing applied) whatever max_removals says, until --allow-mass-removal', async () => {
    const people = Array.from({ length: 5 }, (_, i) => ({ email: `p${i}@acme.com`, role: 'user' }));
    const s = await scenario(
      seedOf({ users: [{ email: 'root@acme.com', role: 'admin' }, ...people] }),
      desiredDoc({ policy: { removals: 'prune', max_removals: 50 } }),
    );
    const blocked = await s.plan();
    expect(blocked.code).toBe(3);
    expect(blocked.plan.removals).toMatchObject({ count: 5, mass: true, people: { leaving: 5, total: 6, removable: 5 } });
    const text = await s.run(['plan']);
    expect(text.stdout).toContain('People leaving the organization: 5 of 6');
    expect(text.stdout).toContain('--allow-mass-removal');
    expect((await s.apply()).code).toBe(3);
    expect((await s.apply(['--allow-removals', '5'])).code).toBe(3);
    expect((await s.state()).users).toHaveLength(6);
    // the same with `members: {}`
    s.write(desiredDoc({ policy: { removals: 'prune', max_removals: 50 }, members: {} }));
    expect((await s.plan()).code).toBe(3);
    expect((await s.apply()).code).toBe(3);
    expect((await s.state()).users).toHaveLength(6);
    // its own override, on purpose
    const done = await s.apply(['--allow-mass-removal']);
    expect(done.code).toBe(0);
    expect((await s.state()).users.map((u) => u.email)).toEqual(['root@acme.com']);
  });

  it('a plan over max_removals is blocked (exit 3, nothing applied) until --allow-removals', async () => {
    const departed = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`d${i}@acme.com`, null]));
    // six who stay keep this under the mass-removal guard: only max_removals decides
    const stay = Array.from({ length: 6 }, (_, i) => `s${i}@acme.com`);
    const s = await scenario(
      seedOf({ users: [...Object.keys(departed), ...stay].map((email) => ({ email, role: 'user' })) }),
      desiredDoc({ policy: { max_removals: 3 }, departed, members: Object.fromEntries(stay.map((e) => [e, 'user'])) }),
    );
    const blocked = await s.plan();
    expect(blocked.code).toBe(3);
    expect(blocked.plan.blocked).toBe(true);
    expect(blocked.plan.removals.addresses).toHaveLength(4);

    const text = await s.run(['plan']);
    expect(text.code).toBe(3);
    expect(text.stdout).toContain('Blocked');
    for (let i = 0; i < 4; i += 1) expect(text.stdout).toContain(`member["d${i}@acme.com"]`);

    const refused = await s.apply();
    expect(refused.code).toBe(3);
    expect((await s.state()).users).toHaveLength(10);

    expect((await s.apply(['--allow-removals', '3'])).code).toBe(3);
    expect((await s.apply(['--allow-removals', '4'])).code).toBe(0);
    expect((await s.state()).users.map((u) => u.email).sort()).toEqual(stay);
    await s.expectConverged();
  });

  it('keep-only roles are manual items, never API calls', async () => {
    const s = await scenario(
      seedOf({ kind: 'enterprise', users: [{ email: 'po@acme.com', role: 'primary_owner' }, { email: 'mo@acme.com', role: 'membership_admin' }, { email: 'u@acme.com', role: 'user' }] }),
      desiredDoc({ members: { 'po@acme.com': 'primary_owner', 'mo@acme.com': 'user', 'u@acme.com': 'owner' } }, { kind: 'enterprise' }),
    );
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual(['manual member["mo@acme.com"]', 'manual member["u@acme.com"]']);
    expect((await s.apply()).code).toBe(0);
    const after = await s.state();
    expect(JSON.stringify(after.requests)).not.toContain('POST /v1/organizations/users/{user_id}');
    const again = await s.expectConverged([], { drift: ['member["mo@acme.com"]', 'member["u@acme.com"]'] });
    expect(again.summary.manual).toBe(2);
  });
});

describe('e2e: provisioning modes', () => {
  it('jit: missing members wait for first sign-in; nothing is created', async () => {
    const s = await scenario(seedOf({ provisioning: 'jit' }), desiredDoc({ members: { 'n@acme.com': 'user' } }, { provisioning: 'jit' }));
    const { plan } = await s.plan();
    expect(plan.changes).toEqual([]);
    expect(plan.diagnostics.map((d) => d.code)).toEqual(['awaiting_first_sign_in']);
    expect((await s.apply()).code).toBe(0);
    expect((await s.state()).invitation_emails).toEqual({});
    await s.expectConverged();
  });

  it('scim without a directory configured: members are unavailable, the rest of the plan still works', async () => {
    const s = await scenario(
      seedOf({ kind: 'enterprise', provisioning: 'scim', users: [{ email: 'a@acme.com', role: 'user' }] }),
      desiredDoc({ members: { 'a@acme.com': 'managed', 'n@acme.com': 'user' } }, { kind: 'enterprise', provisioning: 'scim' }),
    );
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual(['update member["a@acme.com"]', 'unavailable scim_user["n@acme.com"]']);
    expect(plan.changes[1]!.reason).toContain('CLAUDE_SCIM_URL');
    expect((await s.apply()).code).toBe(0);
    await s.expectConverged([], { drift: ['scim_user["n@acme.com"]'] });
  });
});

describe('e2e: rate limits and faults', () => {
  it('a 429 storm with retry-after is survived and the apply converges', async () => {
    const s = await scenario(seedOf(), desiredDoc({ members: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`m${i}@acme.com`, 'user'])) }));
    await s.control('faults', { path: '/v1/organizations/*', status: 429, retry_after: 1, count: 4 });
    await s.control('faults', { method: 'POST', path: '/v1/organizations/invites', status: 529, count: 2 });
    const applied = await s.apply();
    expect(applied.stdout).toContain('6 applied, 0 failed');
    expect(applied.code).toBe(0);
    await s.expectConverged();
    await s.expectNoDuplicateInvites();
  });

  it('an emulator rate limit is respected: every change applied, invites sent once', async () => {
    const s = await scenario(
      seedOf(),
      desiredDoc({ members: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`r${i}@acme.com`, 'user'])) }),
      { rateLimit: { requestsPerMinute: 600 } },
    );
    const applied = await s.apply(['--concurrency', '8']);
    expect(applied.stdout).toContain('12 applied, 0 failed');
    await s.expectConverged();
    await s.expectNoDuplicateInvites();
  });
});

describe('e2e: the organization pin and credentials', () => {
  it('stops before reading anything when the key belongs to another organization', async () => {
    const s = await scenario(seedOf(), desiredDoc({ members: {} }, { id: '99999999-2222-4333-8444-555555555555' }));
    const out = await s.run(['plan']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('belongs to organization 11111111-2222-4333-8444-555555555555');
    const counters = JSON.stringify((await s.state()).requests);
    expect(counters).toContain('GET /v1/organizations/me');
    expect(counters).not.toContain('GET /v1/organizations/users');
  });

  it('a wrong key is a clear error that never shows the key', async () => {
    const s = await scenario(seedOf(), desiredDoc({ members: {} }));
    const out = await s.run(['plan'], { env: { ANTHROPIC_ADMIN_KEY: 'sk-ant-admin01-wrong-key-abcdefghijkl' } });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('401');
    expect(out.stderr + out.stdout).not.toContain('wrong-key-abcdefghijkl');
  });

  it.each([
    // (not a variable name: the value is registered as a secret, and would scrub that name from every later message)
    ['a path', '/home/ops/.secrets/anthropic-admin.key'],
    ['another service\'s token', 'ghp_0123456789abcdefABCDEF0123456789abcd'],
    ['a key cut short', 'sk-ant-admin01-'],
  ])('%s where the admin key belongs is refused by its shape before any request', async (_what, value) => {
    const s = await scenario(seedOf(), desiredDoc({ members: {} }));
    const out = await s.run(['plan'], { env: { ANTHROPIC_ADMIN_KEY: value } });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('ANTHROPIC_ADMIN_KEY does not hold an Anthropic Admin API key');
    expect(out.stderr).toContain('Nothing was sent');
    expect((await s.state()).requests).toEqual({});
  });
});
