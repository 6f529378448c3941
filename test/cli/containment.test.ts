// Issue 18 item 3: a re-plan is applied under an approval only when it is contained in the approved plan. Plans
// from the real planner: the approved one before anything was applied, the fresh one after part of it was. A fresh
// plan with an extra or altered change, another organization or credential variable, a widened removal guard, or
// more removals is not contained, and says what differs.

import { describe, expect, it } from 'vitest';
import { containedIn } from '../../src/model/plan-contained.js';
import { planHash } from '../../src/model/plan-hash.js';
import type { Plan } from '../../src/model/plan.js';
import { plan } from '../../src/planner/index.js';
import { NOW, desiredOf, invite, keeper, KEEPER_MEMBER, liveOf, user, type DesiredSpec } from '../builders.js';

const MEMBERS = { ...KEEPER_MEMBER, 'a@acme.com': 'developer', 'b@acme.com': 'developer', 'c@acme.com': 'developer', 'm@acme.com': 'developer' };
const M = user('m@acme.com', 'user');
const GONE = [user('x@acme.com', 'user'), user('y@acme.com', 'user')];
const base: DesiredSpec = { members: MEMBERS, departed: { 'x@acme.com': null, 'y@acme.com': null } };

function planOf(spec: DesiredSpec, live = liveOf({ users: [keeper(), M, ...GONE] }), opts: { allowRemovals?: number } = {}): Plan {
  const p = plan(desiredOf(spec), live, { now: NOW, ...opts });
  p.plan_hash = planHash(p);
  return p;
}

const apiAddresses = (p: Plan) => p.changes.filter((c) => ['create', 'update', 'replace', 'delete'].includes(c.action)).map((c) => c.address);

describe('containedIn', () => {
  const approved = planOf(base);

  it('the approved plan, as planned, is contained in itself', () => {
    expect(apiAddresses(approved)).toEqual([
      'invite["a@acme.com"]', 'invite["b@acme.com"]', 'invite["c@acme.com"]', 'member["m@acme.com"]', 'member["x@acme.com"]', 'member["y@acme.com"]',
    ]);
    expect(containedIn(approved, approved)).toMatchObject({ contained: true, remaining: 6, approved: 6, differing: [], other: [] });
  });

  it('what is left after part of it was applied is contained: invites sent, a role changed, a member removed', () => {
    const live = liveOf({ users: [keeper(), user('m@acme.com', 'developer'), GONE[1]!], invites: [invite('a@acme.com', 'developer')] });
    const fresh = planOf(base, live);
    expect(apiAddresses(fresh)).toEqual(['invite["b@acme.com"]', 'invite["c@acme.com"]', 'member["y@acme.com"]']);
    expect(fresh.plan_hash).not.toBe(approved.plan_hash);
    expect(containedIn(approved, fresh)).toMatchObject({ contained: true, remaining: 3, approved: 6 });
  });

  it('an extra change is not contained, and is named', () => {
    const fresh = planOf({ ...base, members: { ...MEMBERS, 'd@acme.com': 'developer' } });
    const c = containedIn(approved, fresh);
    expect(c.contained).toBe(false);
    expect(c.differing.map((d) => `${d.kind} ${d.address}`)).toEqual(['added invite["d@acme.com"]']);
  });

  it('an altered change (another role for the same address) is not contained, with the field named', () => {
    const fresh = planOf({ ...base, members: { ...MEMBERS, 'b@acme.com': 'admin', 'm@acme.com': 'billing' } });
    const c = containedIn(approved, fresh);
    expect(c.contained).toBe(false);
    expect(c.differing.map((d) => `${d.kind} ${d.address} ${d.fields?.join(',')}`)).toContain('altered member["m@acme.com"] after');
  });

  it('a change whose live object moved since the review (its fingerprint) is not contained', () => {
    const fresh = planOf(base, liveOf({ users: [keeper(), { ...M, name: 'Renamed' }, ...GONE] }));
    const c = containedIn(approved, fresh);
    expect(c.contained).toBe(false);
    expect(c.differing.map((d) => `${d.kind} ${d.address}`)).toEqual(['altered member["m@acme.com"]']);
    expect(c.differing[0]!.fields).toContain('fingerprint');
  });

  it('a tampered approved-plan change does not let the original one through', () => {
    const tampered = structuredClone(approved);
    const inv = tampered.changes.find((c) => c.address === 'invite["a@acme.com"]')!;
    inv.after = { ...inv.after, role: 'admin' };
    tampered.plan_hash = planHash(tampered);
    const c = containedIn(tampered, approved);
    expect(c.contained).toBe(false);
    expect(c.differing.map((d) => d.address)).toEqual(['invite["a@acme.com"]']);
  });

  it('a subset is not contained when the organization, a credential variable or the removal limits differ', () => {
    const live = liveOf({ users: [keeper(), user('m@acme.com', 'developer'), ...GONE] });
    const moved = planOf(base, live);
    moved.organization = { ...moved.organization, credentials: { ...moved.organization.credentials, base_url_env: 'ELSEWHERE' } };
    expect(containedIn(approved, moved)).toMatchObject({ contained: false, differing: [], other: ['organization'] });

    const other = planOf(base, live);
    other.organization = { ...other.organization, id: '00000000-0000-4000-8000-000000000000' };
    expect(containedIn(approved, other).other).toEqual(['organization']);

    // --allow-removals at the next run: a limit the review did not see
    expect(containedIn(approved, planOf(base, live, { allowRemovals: 50 })).other).toEqual(['removal guard']);
    expect(containedIn(approved, planOf({ ...base, maxRemovals: 3 }, live)).other).toEqual(['removal guard']);
  });

  it('more removals than approved, or an approved plan that was blocked, is not contained', () => {
    const one = planOf({ ...base, departed: { 'x@acme.com': null } });
    expect(apiAddresses(one)).toContain('member["x@acme.com"]');
    const c = containedIn(one, approved);
    expect(c.contained).toBe(false);
    expect(c.other).toContain('removal guard');
    expect(c.differing.map((d) => d.address)).toEqual(['member["y@acme.com"]']);

    const blocked = structuredClone(approved);
    blocked.blocked = true;
    expect(containedIn(blocked, approved).other).toContain('approved plan blocked');
  });
});
