// Planner table tests for issue 17 item 2: `policy.sign_out_on_removal` plans a sign-out of a departing member, as a
// change of its own in the phase before the removal, only where the Admin API removes them; it is never a removal
// of its own, nor a dependency of the removal. Pure calls, no HTTP.

import { describe, expect, it } from 'vitest';
import type { Live } from '../../src/model/live.js';
import type { Plan } from '../../src/model/plan.js';
import { plan } from '../../src/planner/index.js';
import { PHASE } from '../../src/planner/phases.js';
import { phraseOf } from '../../src/render/phrases.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { desiredOf, invite, keeper, KEEPER_MEMBER, liveOf, NOW, user, type DesiredSpec } from '../builders.js';

function run(spec: DesiredSpec, live: Live): Plan {
  return plan(desiredOf({ kind: 'enterprise', signOut: true, members: { ...KEEPER_MEMBER }, ...spec }), live, { now: NOW });
}
const acts = (p: Plan) => p.changes.map((c) => `${c.action} ${c.address}`);
const gone = { 'dave@acme.com': { date: '2026-11-01', reason: 'left the company' } };

describe('policy.sign_out_on_removal', () => {
  it('a departed member is signed out, then removed: its own change, in the phase before the removal', () => {
    const dave = user('dave@acme.com', 'user');
    const p = run({ departed: gone }, liveOf({ users: [keeper(), dave] }));
    expect(acts(p)).toEqual(['create sign_out["dave@acme.com"]', 'delete member["dave@acme.com"]']);
    const [signOut, removal] = p.changes;
    expect(signOut).toMatchObject({
      kind: 'sign_out', key: 'dave@acme.com', id: dave.id, phase: PHASE.signOuts, before: null,
      after: { email: 'dave@acme.com', user_id: dave.id }, removal: false, depends_on: [],
    });
    expect(signOut!.reason).toContain('left the company');
    expect(signOut!.fingerprint).toBe(removal!.fingerprint);
    expect(signOut!.phase).toBeLessThan(removal!.phase);
    // not a dependency of the removal: a refused sign-out must not keep them in
    expect(removal!.depends_on).toEqual([]);
    // not a removal: the guard counts the member once
    expect(p.removals).toMatchObject({ count: 1, addresses: ['member["dave@acme.com"]'], people: { leaving: 1 } });
    expect(p.summary).toMatchObject({ create: 1, delete: 1 });
  });

  it('off (the default): no sign-out', () => {
    const p = run({ signOut: false, departed: gone }, liveOf({ users: [keeper(), user('dave@acme.com', 'user')] }));
    expect(acts(p)).toEqual(['delete member["dave@acme.com"]']);
  });

  it('an undeclared member under prune is signed out too; a withdrawn invite is not', () => {
    const p = run({ removals: 'prune', departed: { 'ivy@acme.com': null } },
      liveOf({ users: [keeper(), user('stray@acme.com', 'user')], invites: [invite('ivy@acme.com', 'user')] }));
    expect(acts(p)).toEqual(['create sign_out["stray@acme.com"]', 'delete invite["ivy@acme.com"]', 'delete member["stray@acme.com"]']);
  });

  it('with SCIM provisioning the member is signed out as their SCIM user is deprovisioned, and not again while the sync is awaited', () => {
    const scimUser = (active: boolean) => ({ available: true as const, users: [{ id: 's1', userName: 'dave@acme.com', active }], groups: [] });
    const deactivate = run({ provisioning: 'scim', departed: gone }, liveOf({ users: [keeper(), user('dave@acme.com', 'user')], scim: scimUser(true) }));
    expect(acts(deactivate)).toEqual(['create sign_out["dave@acme.com"]', 'update scim_user["dave@acme.com"]']);
    const del = run({ provisioning: 'scim', deprovision: 'delete', departed: gone }, liveOf({ users: [keeper(), user('dave@acme.com', 'user')], scim: scimUser(true) }));
    expect(acts(del)).toEqual(['create sign_out["dave@acme.com"]', 'delete scim_user["dave@acme.com"]']);
    // deprovisioned already, the member goes at the next sync: deferred, no second sign-out
    const waiting = run({ provisioning: 'scim', departed: gone }, liveOf({ users: [keeper(), user('dave@acme.com', 'user')], scim: scimUser(false) }));
    expect(acts(waiting)).toEqual(['deferred member["dave@acme.com"]']);
  });

  it('no sign-out where the tool does not remove them: a keep-only role (manual), the last member', () => {
    const owner = run({ departed: { 'boss@acme.com': null } }, liveOf({ users: [keeper(), user('boss@acme.com', 'primary_owner')] }));
    expect(acts(owner)).toEqual(['manual member["boss@acme.com"]']);
    // everyone leaves: the last member's removal is manual (cannot_remove_last_member), and so has no sign-out
    const last = plan(desiredOf({ kind: 'enterprise', signOut: true, departed: gone }), liveOf({ users: [user('dave@acme.com', 'user')] }), { now: NOW });
    expect(acts(last)).toEqual(['manual member["dave@acme.com"]']);
  });

  it('the pull-request view says it, and does not list it among the destructive changes', () => {
    const p = run({ departed: gone }, liveOf({ users: [keeper(), user('dave@acme.com', 'user')] }));
    expect(phraseOf(p.changes[0]!)).toBe('signed out everywhere before the removal');
    const md = renderPlanMarkdown(p);
    expect(md).toContain('Destructive changes (1)');
    expect(md).toContain('signed out everywhere before the removal');
  });
});
