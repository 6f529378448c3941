// Planner table tests for issue 14 items 1 and 5: undeclared live objects are drift (plan.undeclared, and `plan
// --detailed-exitcode` exits 2), unless policy.undeclared is warn; manual and unavailable items are drift too; after
// policy.max_reinvites expired invites the plan stops re-sending. Pure calls.

import { describe, expect, it } from 'vitest';
import { planExitCode } from '../../src/cli/commands/plan.js';
import type { Live, LiveInvite } from '../../src/model/live.js';
import type { Plan } from '../../src/model/plan.js';
import { plan } from '../../src/planner/index.js';
import { desiredOf, group, invite, liveOf, NOW, user, workspace, type DesiredSpec } from '../builders.js';

function run(spec: DesiredSpec, live: Live): Plan {
  return plan(desiredOf(spec), live, { now: NOW });
}
const undeclared = (p: Plan) => (p.undeclared ?? []).map((u) => u.address);
const acts = (p: Plan) => p.changes.map((c) => `${c.action} ${c.address}`);

describe('undeclared live objects are drift', () => {
  const alice = user('alice@acme.com', 'user');
  const stray = user('stray@acme.com', 'developer');

  it('a member and a pending invite nobody declared: listed, with why, and --detailed-exitcode exits 2 with no API change', () => {
    const p = run({ members: { 'alice@acme.com': 'user' } }, liveOf({ users: [alice, stray], invites: [invite('pia@acme.com', 'user')] }));
    expect(p.changes).toEqual([]);
    expect(undeclared(p)).toEqual(['member["stray@acme.com"]', 'invite["pia@acme.com"]']);
    expect(p.undeclared![0]!.why).toContain('stray@acme.com (developer) is a member the file does not declare');
    expect(planExitCode(p, true)).toBe(2);
    expect(planExitCode(p, false)).toBe(0);
  });

  it('policy.undeclared: warn keeps them as warnings only: exit 0', () => {
    const p = run({ undeclared: 'warn', members: { 'alice@acme.com': 'user' } }, liveOf({ users: [alice, stray] }));
    expect(p).not.toHaveProperty('undeclared');
    expect(p.diagnostics.map((d) => d.code)).toEqual(['undeclared_member']);
    expect(planExitCode(p, true)).toBe(0);
  });

  it('unmanaged, protected, departed and scheduled people are not undeclared; under prune the undeclared are removed instead', () => {
    const live = liveOf({ users: [alice, stray, user('x@contractors.acme.com', 'user'), user('boss@acme.com', 'user'), user('leaving@acme.com', 'user')] });
    const p = run({
      members: { 'alice@acme.com': 'user' },
      unmanaged: ['*@contractors.acme.com'],
      protected: ['boss@acme.com'],
      departed: { 'stray@acme.com': null, 'leaving@acme.com': { date: '2027-01-01' } },
    }, live);
    expect(undeclared(p)).toEqual([]);
    const pruned = run({ removals: 'prune', members: { 'alice@acme.com': 'user' } }, liveOf({ users: [alice, stray, user('own@acme.com', 'admin')] }));
    expect(acts(pruned)).toEqual(['delete member["stray@acme.com"]']);
    // an undeclared admin is never removed: it stays drift until the file declares it
    expect(undeclared(pruned)).toEqual(['member["own@acme.com"]']);
  });

  it('workspaces: where the file declares some, an active one it does not name is drift; archived ones and renamed_from are not', () => {
    const live = liveOf({ users: [alice], workspaces: [workspace('Research'), workspace('Old'), workspace('Shadow'), workspace('Gone', { archived: true })] });
    const p = run({ members: { 'alice@acme.com': 'user' }, workspaces: { Research: {}, New: { renamedFrom: 'Old' } } }, live);
    expect(undeclared(p)).toEqual(['workspace["Shadow"]']);
    expect(p.undeclared![0]!.why).toContain('not in the file');
    expect(undeclared(run({ members: { 'alice@acme.com': 'user' } }, live))).toEqual([]);
  });

  it('RBAC groups: where the file declares some, a direct group it does not name is drift; groups of the directory are not', () => {
    const live = liveOf({ users: [alice], groups: [group('Platform'), group('Shadow'), group('Engineering', { sourceType: 'scim' })] });
    const p = run({ kind: 'enterprise', members: { 'alice@acme.com': 'user' }, groups: { Platform: {} } }, live);
    expect(undeclared(p)).toEqual(['group["Shadow"]']);
    expect(planExitCode(p, true)).toBe(2);
  });

  it('manual and unavailable items are drift too; deferred ones are not', () => {
    const manual = run({ members: { 'a@acme.com': 'admin' } }, liveOf({ users: [user('a@acme.com', 'user')] }));
    expect(acts(manual)).toEqual(['manual member["a@acme.com"]']);
    expect(planExitCode(manual, true)).toBe(2);
    const deferred = run({ members: { 'n@acme.com': 'user' }, workspaces: { R: { members: { 'n@acme.com': 'workspace_user' } } } },
      liveOf({ invites: [invite('n@acme.com', 'user')], workspaces: [workspace('R')] }));
    expect(acts(deferred)).toEqual(['deferred workspace_member["R/n@acme.com"]']);
    expect(planExitCode(deferred, true)).toBe(0);
  });
});

describe('policy.max_reinvites', () => {
  const expired = (email: string, day: number): LiveInvite =>
    ({ ...invite(email, 'user'), status: 'expired', invitedAt: `2026-0${day}-01T00:00:00Z`, expiresAt: `2026-0${day}-22T00:00:00Z` });

  it('below the limit an expired invite is sent again; at the limit the person is manual, with the count', () => {
    const two = liveOf({ invites: [expired('n@acme.com', 1), expired('n@acme.com', 2)] });
    expect(acts(run({ members: { 'n@acme.com': 'user' } }, two))).toEqual(['create invite["n@acme.com"]']);
    const three = liveOf({ invites: [expired('n@acme.com', 1), expired('n@acme.com', 2), expired('N@acme.com', 3)] });
    const p = run({ members: { 'n@acme.com': 'user' } }, three);
    expect(acts(p)).toEqual(['manual invite["n@acme.com"]']);
    expect(p.changes[0]!.reason).toContain('3 invites to this address expired unanswered');
    expect(p.changes[0]!.reason).toContain('policy.max_reinvites is 3');
    expect(planExitCode(p, true)).toBe(2);
  });

  it('the limit is the file\'s: 0 never re-invites, a higher one allows more; a pending invite is not counted', () => {
    const one = liveOf({ invites: [expired('n@acme.com', 1)] });
    expect(acts(run({ maxReinvites: 0, members: { 'n@acme.com': 'user' } }, one))).toEqual(['manual invite["n@acme.com"]']);
    const three = liveOf({ invites: [expired('n@acme.com', 1), expired('n@acme.com', 2), expired('n@acme.com', 3)] });
    expect(acts(run({ maxReinvites: 4, members: { 'n@acme.com': 'user' } }, three))).toEqual(['create invite["n@acme.com"]']);
    const pending = liveOf({ invites: [expired('n@acme.com', 1), invite('n@acme.com', 'user')] });
    expect(run({ maxReinvites: 1, members: { 'n@acme.com': 'user' } }, pending).changes).toEqual([]);
  });
});
