// Planner table tests for members, invites, departures and removals: one row per rule of the contract
// (desired-state.md "members and roles", "Invites", "removals"). Pure calls, no HTTP.

import { describe, expect, it } from 'vitest';
import { plan } from '../../src/planner/index.js';
import type { Plan } from '../../src/model/plan.js';
import { desiredOf, invite, keeper, KEEPER_MEMBER, liveOf, NOW, user, type DesiredSpec } from '../builders.js';
import type { Live } from '../../src/model/live.js';

function run(spec: DesiredSpec, live: Live, allowRemovals?: number): Plan {
  return plan(desiredOf(spec), live, { now: NOW, allowRemovals });
}

function only(p: Plan) {
  expect(p.changes).toHaveLength(1);
  return p.changes[0]!;
}

function codes(p: Plan): string[] {
  return p.diagnostics.map((d) => d.code);
}

describe('members and roles', () => {
  it('a declared member with the declared role is no change', () => {
    const p = run({ members: { 'alice@acme.com': 'developer' } }, liveOf({ users: [user('alice@acme.com', 'developer')] }));
    expect(p.changes).toEqual([]);
    expect(p.diagnostics).toEqual([]);
  });

  it('compares emails case-insensitively and keeps the file spelling for display', () => {
    const p = run({ members: { ' Alice@ACME.com ': 'developer' } }, liveOf({ users: [user('alice@acme.com', 'user')] }));
    const c = only(p);
    expect(c.address).toBe('member[" Alice@ACME.com "]');
    expect(c.action).toBe('update');
  });

  it('a promotion is an update that is not a removal', () => {
    const u = user('alice@acme.com', 'user');
    const c = only(run({ members: { 'alice@acme.com': 'developer' } }, liveOf({ users: [u] })));
    expect(c).toMatchObject({ kind: 'member', action: 'update', id: u.id, removal: false });
    expect(c.before).toMatchObject({ role: 'user' });
    expect(c.after).toMatchObject({ role: 'developer' });
    expect(c.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(c.line).toBe(10);
  });

  it.each([
    ['developer', 'user', 'demotion: role developer → user'],
    ['claude_code_user', 'user', 'demotion: role claude_code_user → user'],
    // not comparable: the new role gains something and loses something; the label says why it is a removal
    ['billing', 'developer', 'role billing → developer: counts as a removal, since developer does not include everything billing gave (billing)'],
    ['developer', 'claude_code_user', 'role developer → claude_code_user: counts as a removal, since claude_code_user does not include everything developer gave (api keys)'],
    ['claude_code_user', 'developer', 'role claude_code_user → developer: counts as a removal, since developer does not include everything claude_code_user gave (claude code)'],
  ])('a role change %s → %s that takes something away is an update counted as a removal, labelled for what it is', (from, to, reason) => {
    const c = only(run({ members: { 'a@acme.com': to } }, liveOf({ users: [user('a@acme.com', from)] })));
    expect(c.action).toBe('update');
    expect(c.removal).toBe(true);
    expect(c.reason).toBe(reason);
  });

  it('enterprise user ↔ managed counts as a demotion (not comparable)', () => {
    const c = only(run({ kind: 'enterprise', members: { 'a@acme.com': 'managed' } }, liveOf({ users: [user('a@acme.com', 'user')] })));
    expect(c).toMatchObject({ action: 'update', removal: true });
  });

  it('a member holding a keep-only role is never changed: manual', () => {
    const c = only(run({ members: { 'root@acme.com': 'developer' } }, liveOf({ users: [user('root@acme.com', 'admin')] })));
    expect(c).toMatchObject({ kind: 'member', action: 'manual', removal: false });
    expect(c.reason).toContain('admin');
  });

  it('declaring a keep-only role for someone who lacks it is manual, never an API call', () => {
    const c = only(run({ members: { 'a@acme.com': 'admin' } }, liveOf({ users: [user('a@acme.com', 'developer')] })));
    expect(c.action).toBe('manual');
  });

  it('declaring the keep-only role someone already has is fine', () => {
    const p = run({ kind: 'enterprise', members: { 'o@acme.com': 'primary_owner' } }, liveOf({ users: [user('o@acme.com', 'primary_owner')] }));
    expect(p.changes).toEqual([]);
  });

  it('protected people are never demoted, with a warning', () => {
    const p = run({ protected: ['ceo@acme.com'], members: { 'ceo@acme.com': 'user' } }, liveOf({ users: [user('ceo@acme.com', 'developer')] }));
    expect(p.changes).toEqual([]);
    expect(codes(p)).toEqual(['protected_demotion']);
  });

  it('protected people may still be promoted', () => {
    const c = only(run({ protected: ['ceo@acme.com'], members: { 'ceo@acme.com': 'developer' } }, liveOf({ users: [user('ceo@acme.com', 'user')] })));
    expect(c.action).toBe('update');
  });
});

describe('invites (provisioning invite)', () => {
  it('a new member gets an invite', () => {
    const c = only(run({ members: { 'New@acme.com': 'developer' } }, liveOf()));
    expect(c).toMatchObject({ address: 'invite["New@acme.com"]', action: 'create', after: { email: 'New@acme.com', role: 'developer' }, reason: 'new member' });
    expect(c.removal).toBe(false);
  });

  it('a pending invite with the declared role is no change and says when it expires', () => {
    const p = run({ members: { 'n@acme.com': 'user' } }, liveOf({ invites: [invite('N@acme.com', 'user', { expiresAt: '2026-12-11T00:00:00Z' })] }));
    expect(p.changes).toEqual([]);
    const d = p.diagnostics.find((x) => x.code === 'invited');
    expect(d?.message).toContain('expires 2026-12-11');
  });

  it('a pending invite with another role is replaced', () => {
    const inv = invite('n@acme.com', 'user');
    const c = only(run({ members: { 'n@acme.com': 'developer' } }, liveOf({ invites: [inv] })));
    expect(c).toMatchObject({ kind: 'invite', action: 'replace', id: inv.id, before: { role: 'user' }, after: { role: 'developer' } });
  });

  it('an expired invite gets a new invite', () => {
    const inv = invite('n@acme.com', 'user', { status: 'expired', invitedAt: '2026-10-01T00:00:00Z', expiresAt: '2026-10-22T00:00:00Z' });
    const c = only(run({ members: { 'n@acme.com': 'user' } }, liveOf({ invites: [inv] })));
    expect(c).toMatchObject({ action: 'create' });
    expect(c.reason).toContain('re-invite');
  });

  it('a pending invite past its expires_at is treated as expired', () => {
    const inv = invite('n@acme.com', 'user', { status: 'pending', expiresAt: '2026-11-01T00:00:00Z' });
    expect(only(run({ members: { 'n@acme.com': 'user' } }, liveOf({ invites: [inv] }))).action).toBe('create');
  });

  it('a new member with a keep-only role is a manual invite', () => {
    expect(only(run({ members: { 'n@acme.com': 'admin' } }, liveOf())).action).toBe('manual');
  });

  it('a pending invite of a departed person is withdrawn and counted', () => {
    const inv = invite('gone@acme.com', 'user');
    const c = only(run({ departed: { 'gone@acme.com': null } }, liveOf({ invites: [inv] })));
    expect(c).toMatchObject({ kind: 'invite', action: 'delete', id: inv.id, removal: true });
  });

  it('an undeclared pending invite is withdrawn under prune, reported under declared', () => {
    const inv = invite('x@acme.com', 'user');
    expect(only(run({ removals: 'prune' }, liveOf({ invites: [inv] })))).toMatchObject({ action: 'delete', removal: true });
    const p = run({}, liveOf({ invites: [inv] }));
    expect(p.changes).toEqual([]);
    expect(codes(p)).toEqual(['undeclared_invite']);
  });
});

describe('provisioning jit and scim', () => {
  it('jit: a missing member waits for first sign-in; not a change, not an error', () => {
    const p = run({ provisioning: 'jit', members: { 'n@acme.com': 'user' } }, liveOf());
    expect(p.changes).toEqual([]);
    expect(p.diagnostics).toMatchObject([{ severity: 'info', code: 'awaiting_first_sign_in' }]);
  });

  it('scim without a directory: unavailable', () => {
    const c = only(run({ kind: 'enterprise', provisioning: 'scim', members: { 'n@acme.com': 'user' } }, liveOf({ scim: { available: false, reason: 'CLAUDE_SCIM_URL is not set' } })));
    expect(c).toMatchObject({ kind: 'scim_user', action: 'unavailable' });
    expect(c.reason).toContain('CLAUDE_SCIM_URL');
  });

  it('scim: a new member is a SCIM user created, with the name split at the first space', () => {
    const p = plan(
      { ...desiredOf({ kind: 'enterprise', provisioning: 'scim' }), members: [{ email: 'n@acme.com', key: 'n@acme.com', role: 'user', name: 'Ada de Lovelace' }] },
      liveOf({ scim: { available: true, users: [], groups: [] } }),
      { now: NOW },
    );
    expect(only(p)).toMatchObject({ kind: 'scim_user', action: 'create', after: { userName: 'n@acme.com', givenName: 'Ada', familyName: 'de Lovelace', active: true } });
  });

  it('scim: a SCIM user not yet synced is deferred, never created twice', () => {
    const c = only(run({ kind: 'enterprise', provisioning: 'scim', members: { 'n@acme.com': 'user' } },
      liveOf({ scim: { available: true, users: [{ id: 's1', userName: 'N@acme.com', active: true }], groups: [] } })));
    expect(c).toMatchObject({ kind: 'member', action: 'deferred' });
  });

  it('scim: an inactive SCIM user declared again is reactivated', () => {
    const c = only(run({ kind: 'enterprise', provisioning: 'scim', members: { 'n@acme.com': 'user' } },
      liveOf({ scim: { available: true, users: [{ id: 's1', userName: 'n@acme.com', active: false }], groups: [] } })));
    expect(c).toMatchObject({ kind: 'scim_user', action: 'update', id: 's1', after: { active: true } });
  });

  it.each([
    ['deactivate', 'update'],
    ['delete', 'delete'],
  ] as const)('scim: a departed member is deprovisioned per scim.deprovision=%s', (mode, action) => {
    const c = only(run({ kind: 'enterprise', provisioning: 'scim', deprovision: mode, departed: { 'd@acme.com': null } },
      liveOf({ users: [user('d@acme.com', 'user')], scim: { available: true, users: [{ id: 's9', userName: 'd@acme.com', active: true }], groups: [] } })));
    expect(c).toMatchObject({ kind: 'scim_user', action, id: 's9', removal: true });
  });

  it('scim: a departed member already deactivated waits for the sync; one not in the directory is manual', () => {
    const base = { kind: 'enterprise', provisioning: 'scim', departed: { 'd@acme.com': null } } as const;
    const waiting = only(run(base, liveOf({ users: [user('d@acme.com', 'user')], scim: { available: true, users: [{ id: 's9', userName: 'd@acme.com', active: false }], groups: [] } })));
    expect(waiting.action).toBe('deferred');
    const manual = only(run(base, liveOf({ users: [user('d@acme.com', 'user')], scim: { available: true, users: [], groups: [] } })));
    expect(manual.action).toBe('manual');
  });
});

describe('departed and expires', () => {
  it('a departed member is removed, after every create, with the reason', () => {
    const p = run(
      { members: { 'n@acme.com': 'user', ...KEEPER_MEMBER }, departed: { 'dave@acme.com': { date: '2026-11-01', reason: 'left the company' } } },
      liveOf({ users: [user('dave@acme.com', 'developer'), keeper()] }),
    );
    expect(p.changes.map((c) => c.address)).toEqual(['invite["n@acme.com"]', 'member["dave@acme.com"]']);
    const del = p.changes[1]!;
    expect(del).toMatchObject({ action: 'delete', removal: true });
    expect(del.reason).toBe('departed 2026-11-01: left the company');
    expect(del.phase).toBeGreaterThan(p.changes[0]!.phase);
  });

  it('a departed person with no access left is no change', () => {
    expect(run({ departed: { 'gone@acme.com': null } }, liveOf()).changes).toEqual([]);
  });

  it('a departed member holding a keep-only role is manual', () => {
    const c = only(run({ departed: { 'a@acme.com': null } }, liveOf({ users: [user('a@acme.com', 'admin')] })));
    expect(c).toMatchObject({ action: 'manual', removal: false });
  });

  it('expires: the day itself still has access; the day after is a removal with reason expired', () => {
    const live = liveOf({ users: [user('c@acme.com', 'claude_code_user'), keeper()] });
    expect(run({ members: { 'c@acme.com': { role: 'claude_code_user', expires: '2026-11-23' }, ...KEEPER_MEMBER } }, live).changes).toEqual([]);
    const c = only(run({ members: { 'c@acme.com': { role: 'claude_code_user', expires: '2026-11-22' }, ...KEEPER_MEMBER } }, live));
    expect(c).toMatchObject({ action: 'delete', removal: true });
    expect(c.reason).toContain('expired');
  });

  it('an expired member is not invited', () => {
    expect(run({ members: { 'c@acme.com': { role: 'user', expires: '2026-01-01' } } }, liveOf()).changes).toEqual([]);
  });

  it('a protected member past expires is not removed, with a warning', () => {
    const p = run({ protected: ['c@acme.com'], members: { 'c@acme.com': { role: 'user', expires: '2026-01-01' } } }, liveOf({ users: [user('c@acme.com', 'user')] }));
    expect(p.changes).toEqual([]);
    expect(codes(p)).toEqual(['protected_departure']);
  });
});

describe('removals policy', () => {
  const undeclared = () => liveOf({ users: [user('a@acme.com', 'user'), user('stray@acme.com', 'developer')] });

  it('declared (default): an undeclared member is a warning that names them, not a removal', () => {
    const p = run({ members: { 'a@acme.com': 'user' } }, undeclared());
    expect(p.changes).toEqual([]);
    expect(p.diagnostics).toHaveLength(1);
    expect(p.diagnostics[0]).toMatchObject({ severity: 'warning', code: 'undeclared_member', address: 'member["stray@acme.com"]' });
    expect(p.diagnostics[0]!.message).toContain('stray@acme.com');
  });

  it('prune: an undeclared member is removed', () => {
    const c = only(run({ removals: 'prune', members: { 'a@acme.com': 'user' } }, undeclared()));
    expect(c).toMatchObject({ address: 'member["stray@acme.com"]', action: 'delete', removal: true });
  });

  it('prune never removes protected people, unmanaged people, or keep-only roles', () => {
    const live = liveOf({ users: [user('p@acme.com', 'user'), user('x@contractors.acme.com', 'user'), user('root@acme.com', 'admin')] });
    const p = run({ removals: 'prune', protected: ['p@acme.com'], unmanaged: ['*@contractors.acme.com'] }, live);
    expect(p.changes).toEqual([]);
    expect(codes(p)).toEqual(['kept_keep_only']);
  });

  it('never: departed people are not removed; a warning says so', () => {
    const p = run({ removals: 'never', departed: { 'd@acme.com': null } }, liveOf({ users: [user('d@acme.com', 'user')], invites: [] }));
    expect(p.changes).toEqual([]);
    expect(codes(p)).toEqual(['removal_suppressed']);
  });

  it('never: undeclared members are reported, not removed', () => {
    const p = run({ removals: 'never' }, liveOf({ users: [user('x@acme.com', 'user')] }));
    expect(p.changes).toEqual([]);
    expect(codes(p)).toEqual(['undeclared_member']);
  });

  it('unmanaged globs hide people from the plan entirely', () => {
    const p = run({ unmanaged: ['*@Contractors.acme.com'], departed: { 'x@contractors.acme.com': null } },
      liveOf({ users: [user('X@contractors.acme.com', 'user'), user('y@contractors.acme.com', 'user')], invites: [invite('z@contractors.acme.com', 'user')] }));
    expect(p.changes).toEqual([]);
    expect(p.diagnostics).toEqual([]);
  });
});

describe('max_removals', () => {
  // Beside those who leave, 30 who stay: well under the mass-removal share, so only max_removals decides here.
  const stay = Array.from({ length: 30 }, (_, i) => `s${i}@acme.com`);
  const departed = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`d${i}@acme.com`, null]));
  const liveUsers = (n: number) => liveOf({
    users: [...Array.from({ length: n }, (_, i) => user(`d${i}@acme.com`, 'user')), ...stay.map((e) => user(e, 'user'))],
  });
  const runKept = (spec: DesiredSpec, live: Live, allow?: number) =>
    run({ ...spec, members: { ...Object.fromEntries(stay.map((e) => [e, 'user'])), ...spec.members } }, live, allow);

  it('at the limit the plan is not blocked', () => {
    const p = runKept({ departed: departed(10) }, liveUsers(10));
    expect(p.removals).toMatchObject({ count: 10, limit: 10, overridden: false });
    expect(p.blocked).toBe(false);
  });

  it('over the limit the plan is blocked, still lists every counted removal, and says how to proceed', () => {
    const p = runKept({ departed: departed(11) }, liveUsers(11));
    expect(p.blocked).toBe(true);
    expect(p.removals.addresses).toHaveLength(11);
    expect(p.changes.filter((c) => c.action === 'delete')).toHaveLength(11);
    expect(p.blocked_reason).toContain('--allow-removals 11');
  });

  it('--allow-removals N lifts the limit for one run', () => {
    const p = runKept({ departed: departed(11) }, liveUsers(11), 11);
    expect(p.blocked).toBe(false);
    expect(p.removals).toMatchObject({ limit: 11, overridden: true });
  });

  it('demotions and withdrawn invites count too', () => {
    const p = run(
      { maxRemovals: 1, members: { 'a@acme.com': 'user' }, departed: { 'b@acme.com': null } },
      liveOf({ users: [user('a@acme.com', 'developer')], invites: [invite('b@acme.com', 'user')] }),
    );
    expect(p.removals.count).toBe(2);
    expect(p.blocked).toBe(true);
  });

  it('max_removals 0 blocks any removal', () => {
    expect(runKept({ maxRemovals: 0, departed: departed(1) }, liveUsers(1)).blocked).toBe(true);
  });
});

describe('the mass-removal guard (issue 12: an emptied members list never empties the organization)', () => {
  const people = (n: number, prefix = 'p') => Array.from({ length: n }, (_, i) => user(`${prefix}${i}@acme.com`, 'user'));
  const admin = user('root@acme.com', 'admin');

  it('no members key under prune removes everyone removable: blocked on its own although max_removals allows it', () => {
    const live = liveOf({ users: [admin, ...people(5)] });
    const p = run({ removals: 'prune', maxRemovals: 100 }, live);
    expect(p.removals).toMatchObject({ count: 5, limit: 100, mass: true, mass_allowed: false, people: { leaving: 5, total: 6, removable: 5 } });
    expect(p.blocked).toBe(true);
    expect(p.blocked_reason).toContain('every one of the 5 people the tool could remove');
    expect(p.blocked_reason).toContain('--allow-mass-removal');
    expect(p.blocked_reason).not.toContain('--allow-removals');
  });

  it('members: {} with many admins is still everyone removable', () => {
    const admins = Array.from({ length: 10 }, (_, i) => user(`a${i}@acme.com`, 'admin'));
    const p = run({ removals: 'prune', maxRemovals: 100, members: {} }, liveOf({ users: [...admins, ...people(3)] }));
    expect(p.removals.people).toEqual({ leaving: 3, total: 13, removable: 3 });
    expect(p.blocked).toBe(true);
  });

  it('more than max_removal_share of the people is blocked; at the share it is not', () => {
    const live = liveOf({ users: people(10) });
    const keep = (n: number) => Object.fromEntries(people(10).slice(0, n).map((u) => [u.email, 'user']));
    const six = run({ removals: 'prune', maxRemovals: 100, members: keep(4) }, live);
    expect(six.removals).toMatchObject({ mass: true, people: { leaving: 6, total: 10 } });
    expect(six.blocked_reason).toContain('60 % of the organization\'s 10 people, over policy.max_removal_share 50 %');
    const five = run({ removals: 'prune', maxRemovals: 100, members: keep(5) }, live);
    expect(five.removals.mass).toBe(false);
    expect(five.blocked).toBe(false);
    expect(run({ removals: 'prune', maxRemovals: 100, maxRemovalShare: 0.25, members: keep(5) }, live).blocked).toBe(true);
  });

  it('pending invites are people too: withdrawing them counts', () => {
    const live = liveOf({ users: [admin], invites: [invite('i1@acme.com', 'user'), invite('i2@acme.com', 'user')] });
    const p = run({ removals: 'prune' }, live);
    expect(p.removals).toMatchObject({ mass: true, people: { leaving: 2, total: 3, removable: 2 } });
    expect(p.blocked).toBe(true);
  });

  it('one person leaving is never a mass removal, even the only removable one', () => {
    const p = run({ departed: { 'p0@acme.com': null } }, liveOf({ users: [admin, ...people(1)] }));
    expect(p.removals.mass).toBe(false);
    expect(p.blocked).toBe(false);
  });

  it('protected and unmanaged people are not removable: removing all the others is a mass removal', () => {
    const live = liveOf({ users: [...people(3), user('boss@acme.com', 'user'), user('c@contractors.acme.com', 'user')] });
    const p = run({ removals: 'prune', protected: ['boss@acme.com'], unmanaged: ['*@contractors.acme.com'] }, live);
    expect(p.removals.people).toEqual({ leaving: 3, total: 5, removable: 3 });
    expect(p.blocked).toBe(true);
  });

  it('--allow-mass-removal is its own override: it lifts this guard and not max_removals, and the reverse', () => {
    const live = liveOf({ users: [...people(12), keeper()] });
    const spec = { removals: 'prune' as const, members: KEEPER_MEMBER };
    const p = plan(desiredOf(spec), live, { now: NOW, allowMassRemoval: true });
    expect(p.removals).toMatchObject({ mass: true, mass_allowed: true, count: 12, limit: 10 });
    expect(p.blocked).toBe(true);
    expect(p.blocked_reason).toContain('--allow-removals 12');
    expect(p.blocked_reason).not.toContain('--allow-mass-removal');
    const both = plan(desiredOf(spec), live, { now: NOW, allowMassRemoval: true, allowRemovals: 12 });
    expect(both.blocked).toBe(false);
    const onlyCount = plan(desiredOf(spec), live, { now: NOW, allowRemovals: 12 });
    expect(onlyCount.blocked).toBe(true);
    expect(onlyCount.blocked_reason).toContain('--allow-mass-removal');
  });

  it('the guard and its override are part of plan_hash', () => {
    const live = liveOf({ users: people(12) });
    const a = plan(desiredOf({ removals: 'prune' }), live, { now: NOW, allowRemovals: 12 });
    const b = plan(desiredOf({ removals: 'prune' }), live, { now: NOW, allowRemovals: 12, allowMassRemoval: true });
    const c = plan(desiredOf({ removals: 'prune' }), live, { now: NOW, allowRemovals: 13, allowMassRemoval: true });
    expect(new Set([a.plan_hash, b.plan_hash, c.plan_hash]).size).toBe(3);
  });
});

describe('the plan value', () => {
  const spec: DesiredSpec = {
    members: { 'a@acme.com': 'developer', 'b@acme.com': 'user', 'c@acme.com': 'user' },
    departed: { 'd@acme.com': null },
  };
  const liveValue = () => liveOf({
    users: [user('a@acme.com', 'user', { id: 'user_a' }), user('d@acme.com', 'user', { id: 'user_d' })],
    invites: [invite('c@acme.com', 'developer', { id: 'invite_c' })],
  });

  it('counts actions in the summary', () => {
    const p = run(spec, liveValue());
    expect(p.summary).toMatchObject({ create: 1, update: 1, replace: 1, delete: 1, deferred: 0, manual: 0, unavailable: 0 });
  });

  it('the hash depends on the changes, not on the order the API listed objects in', () => {
    const a = liveValue();
    const b = { ...a, users: [...a.users].reverse(), invites: [...a.invites].reverse() };
    expect(run(spec, a).plan_hash).toBe(run(spec, b).plan_hash);
    expect(run(spec, a).changes).toEqual(run(spec, b).changes);
    const other = run({ ...spec, members: { ...spec.members, 'a@acme.com': 'billing' } }, a);
    expect(other.plan_hash).not.toBe(run(spec, a).plan_hash);
  });

  it('does not mutate its inputs', () => {
    const d = desiredOf(spec);
    const l = liveValue();
    const before = JSON.stringify([d, l]);
    plan(d, l, { now: NOW });
    expect(JSON.stringify([d, l])).toBe(before);
  });
});
