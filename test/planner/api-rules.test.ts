// Planner table tests for the API rules of version 2026-10-21 (issue 13): the organization's last member is never
// planned for removal; a group whose role grants owner access is changed by a person (manual); a plan that grants
// `managed` says the key needs write:rbac_groups; the plan shows what each declared group grants. Pure calls.

import { describe, expect, it } from 'vitest';
import type { Live, LiveRole } from '../../src/model/live.js';
import type { Plan } from '../../src/model/plan.js';
import { plan } from '../../src/planner/index.js';
import { grantsOwnerAccess } from '../../src/planner/groups.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { renderPlanText } from '../../src/render/text.js';
import { desiredOf, group, keeper, KEEPER_MEMBER, liveOf, NOW, user, type DesiredSpec } from '../builders.js';

function run(spec: DesiredSpec, live: Live): Plan {
  return plan(desiredOf(spec), live, { now: NOW, allowMassRemoval: true, allowRemovals: 100 });
}
const acts = (p: Plan) => p.changes.map((c) => `${c.action} ${c.address}`);
const codes = (p: Plan) => p.diagnostics.map((d) => d.code);

describe('the organization\'s last member', () => {
  it('a plan that would remove every member keeps the last one: manual, named under access_remains, with a warning', () => {
    const p = run({ departed: { 'a@acme.com': null, 'b@acme.com': null } }, liveOf({ users: [user('a@acme.com', 'user'), user('b@acme.com', 'user')] }));
    expect(acts(p)).toEqual(['delete member["a@acme.com"]', 'manual member["b@acme.com"]']);
    expect(p.changes[1]!.reason).toContain('cannot_remove_last_member');
    expect(p.changes[1]!.removal).toBe(false);
    expect(p.access_remains).toMatchObject([{ email: 'b@acme.com', state: 'manual' }]);
    expect(codes(p)).toContain('last_member_kept');
    expect(p.removals.count).toBe(1);
  });

  it('prune of an organization whose only member is undeclared plans no removal', () => {
    const p = run({ removals: 'prune' }, liveOf({ users: [user('only@acme.com', 'user')] }));
    expect(acts(p)).toEqual(['manual member["only@acme.com"]']);
  });

  it('one member who stays is enough: every other removal is planned', () => {
    const p = run({ members: KEEPER_MEMBER, departed: { 'a@acme.com': null, 'b@acme.com': null } },
      liveOf({ users: [user('a@acme.com', 'user'), user('b@acme.com', 'user'), keeper()] }));
    expect(acts(p)).toEqual(['delete member["a@acme.com"]', 'delete member["b@acme.com"]']);
    expect(codes(p)).not.toContain('last_member_kept');
  });

  it('a member the API can never remove (a keep-only role) is the one who stays', () => {
    const p = run({ departed: { 'a@acme.com': null } }, liveOf({ users: [user('a@acme.com', 'user'), user('o@acme.com', 'primary_owner')] }));
    expect(p.changes.find((c) => c.address === 'member["a@acme.com"]')?.action).toBe('delete');
  });
});

describe('RBAC roles of declared groups', () => {
  const alice = user('alice@acme.com', 'user');
  const bob = user('bob@acme.com', 'user');
  const owner: LiveRole = { id: 'rbac_role_owner', displayName: 'Owner', builtIn: true };
  const admin: LiveRole = { id: 'rbac_role_admin', displayName: 'Admin', builtIn: true };
  const fakeOwner: LiveRole = { id: 'rbac_role_custom', displayName: 'Owner', builtIn: false };
  const ent = (spec: DesiredSpec): DesiredSpec => ({ kind: 'enterprise', members: { 'alice@acme.com': 'user', 'bob@acme.com': 'user' }, ...spec });

  it('a built-in role named as an owner grants owner access; a custom role of the same name cannot be told so', () => {
    expect(grantsOwnerAccess(owner)).toBe(true);
    expect(grantsOwnerAccess({ ...owner, displayName: 'Primary Owner' })).toBe(true);
    expect(grantsOwnerAccess(admin)).toBe(false);
    expect(grantsOwnerAccess(fakeOwner)).toBe(false);
    expect(grantsOwnerAccess({ ...owner, displayName: 'Ownership reviewer' })).toBe(false);
  });

  it('member changes and the deletion of a group that grants owner access are manual, with the reason', () => {
    const g = group('Founders', { roleIds: [owner.id] });
    const live = liveOf({ users: [alice, bob], groups: [g], groupMembers: [{ groupId: g.id, userId: bob.id }], roles: [owner, admin] });
    const p = run(ent({ removals: 'prune', groups: { Founders: { members: ['alice@acme.com'] } } }), live);
    expect(acts(p)).toEqual(['manual group_member["Founders/alice@acme.com"]', 'manual group_member["Founders/bob@acme.com"]']);
    for (const c of p.changes) {
      expect(c.reason).toContain('grants owner access (role "Owner")');
      expect(c.reason).toContain('rbac_group_grants_owner_access');
    }
    expect(p.removals.count).toBe(0);
    expect(p.group_roles).toEqual([{ group: 'Founders', roles: ['Owner'], owner_access: true }]);
    const del = run(ent({ groups: { Founders: { delete: true } } }), live);
    expect(acts(del)).toEqual(['manual group["Founders"]']);
  });

  it('a group without owner access plans as before, and the plan shows its roles by display name', () => {
    const g = group('Platform', { roleIds: [admin.id, 'rbac_role_unlisted'] });
    const p = run(ent({ groups: { Platform: { members: ['alice@acme.com'] } } }), liveOf({ users: [alice, bob], groups: [g], roles: [owner, admin] }));
    expect(acts(p)).toEqual(['create group_member["Platform/alice@acme.com"]']);
    expect(p.group_roles).toEqual([{ group: 'Platform', roles: ['Admin', 'rbac_role_unlisted'], owner_access: false }]);
  });

  it('a custom role named Owner is not predicted: the change stays an API change (the apply reports a refusal as manual)', () => {
    const g = group('Founders', { roleIds: [fakeOwner.id] });
    const p = run(ent({ groups: { Founders: { members: ['alice@acme.com'] } } }), liveOf({ users: [alice, bob], groups: [g], roles: [fakeOwner] }));
    expect(acts(p)).toEqual(['create group_member["Founders/alice@acme.com"]']);
  });

  it('roles that are unknown say why: null role data, or roles that could not be read', () => {
    const a = group('A', { roleIds: null });
    const b = group('B', { roleIds: [owner.id] });
    const p = run(ent({ groups: { A: {}, B: {} } }), liveOf({ users: [alice, bob], groups: [a, b], roles: { unavailable: true, reason: 'the admin key lacks the scope read:members' } }));
    expect(p.group_roles).toEqual([
      { group: 'A', roles: null, owner_access: false, unknown_reason: 'the API said its role data is temporarily unavailable' },
      { group: 'B', roles: null, owner_access: false, unknown_reason: 'the admin key lacks the scope read:members' },
    ]);
  });

  it('no declared group with roles: no group_roles in the plan (its JSON is as before)', () => {
    const p = run(ent({ groups: { Platform: {} } }), liveOf({ users: [alice, bob], groups: [group('Platform', { roleIds: [] })] }));
    expect(p).not.toHaveProperty('group_roles');
  });

  it('text and markdown show the roles and the owner access', () => {
    const g = group('Founders', { roleIds: [owner.id, admin.id] });
    const p = run(ent({ groups: { Founders: { members: ['alice@acme.com'] } } }), liveOf({ users: [alice, bob], groups: [g], roles: [owner, admin] }));
    const text = renderPlanText(p, { color: false });
    expect(text).toContain('Roles of the declared RBAC groups:\n  Founders: Owner, Admin (grants owner access');
    const md = renderPlanMarkdown(p);
    expect(md).toContain('### Group roles\n\n- Founders: Owner, Admin · 🔒 grants owner access');
  });
});

describe('the role managed needs write:rbac_groups (enterprise keys)', () => {
  it('an enterprise plan that grants managed says so once, and on each change', () => {
    const p = run({ kind: 'enterprise', members: { 'a@acme.com': 'managed', 'n@acme.com': 'managed', 'u@acme.com': 'user' } },
      liveOf({ users: [user('a@acme.com', 'user'), user('u@acme.com', 'user')] }));
    expect(acts(p)).toEqual(['create invite["n@acme.com"]', 'update member["a@acme.com"]']);
    expect(p.diagnostics.filter((d) => d.code === 'managed_needs_rbac_scope')).toHaveLength(1);
    expect(p.diagnostics.find((d) => d.code === 'managed_needs_rbac_scope')!.message).toContain('2 changes set the role managed');
    for (const c of p.changes) expect(c.reason).toContain('needs write:rbac_groups');
  });

  it('a plan that grants no managed role has no note', () => {
    expect(codes(run({ kind: 'enterprise', members: { 'a@acme.com': 'user' } }, liveOf({ users: [user('a@acme.com', 'owner')] })))).not.toContain('managed_needs_rbac_scope');
  });
});
