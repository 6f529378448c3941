// Planner table tests for enterprise RBAC groups and SCIM groups (desired-state.md "groups", "scim"; issue 4).

import { describe, expect, it } from 'vitest';
import { plan } from '../../src/planner/index.js';
import type { Live, LiveScimGroup, LiveScimUser } from '../../src/model/live.js';
import type { Plan } from '../../src/model/plan.js';
import { desiredOf, group, invite, liveOf, NOW, user, type DesiredSpec } from '../builders.js';

function run(spec: DesiredSpec, live: Live): Plan {
  return plan(desiredOf({ kind: 'enterprise', ...spec }), live, { now: NOW });
}
const acts = (p: Plan) => p.changes.map((c) => `${c.action} ${c.address}`);
const codes = (p: Plan) => p.diagnostics.map((d) => d.code);

describe('RBAC groups (Admin API)', () => {
  const alice = user('alice@acme.com', 'user');
  const bob = user('bob@acme.com', 'user');

  it('a missing group is created (direct), then its members are added, depending on it', () => {
    const p = run({ members: { 'alice@acme.com': 'user' }, groups: { Platform: { members: ['alice@acme.com'] } } }, liveOf({ users: [alice], groups: [] }));
    expect(acts(p)).toEqual(['create group["Platform"]', 'create group_member["Platform/alice@acme.com"]']);
    expect(p.changes[1]!.depends_on).toEqual(['group["Platform"]']);
    expect(p.changes[1]!.after).toMatchObject({ group: 'Platform', user_id: alice.id });
  });

  it('members is the whole membership: missing added, undeclared removed (counted)', () => {
    const g = group('Platform');
    const p = run({ members: { 'alice@acme.com': 'user', 'bob@acme.com': 'user' }, groups: { Platform: { members: ['alice@acme.com'] } } },
      liveOf({ users: [alice, bob], groups: [g], groupMembers: [{ groupId: g.id, userId: bob.id }] }));
    expect(acts(p)).toEqual(['create group_member["Platform/alice@acme.com"]', 'delete group_member["Platform/bob@acme.com"]']);
    expect(p.changes[1]).toMatchObject({ removal: true, id: `${g.id}/${bob.id}` });
  });

  it('renamed_from renames; delete: true deletes as a counted removal', () => {
    const old = group('Old');
    expect(run({ groups: { New: { renamedFrom: 'Old' } } }, liveOf({ groups: [old] })).changes[0]).toMatchObject({ action: 'update', id: old.id, after: { name: 'New' } });
    const del = run({ groups: { Old: { delete: true } } }, liveOf({ groups: [old] }));
    expect(del.changes[0]).toMatchObject({ action: 'delete', id: old.id, removal: true });
  });

  it('a name that matches two live groups is an error (names are not unique in the API)', () => {
    const p = run({ groups: { Dup: {} } }, liveOf({ groups: [group('Dup'), group('Dup')] }));
    expect(p.diagnostics).toMatchObject([{ severity: 'error', code: 'ambiguous_group' }]);
  });

  it('declaring a SCIM-sourced group under groups is a plan error pointing to scim.groups', () => {
    const p = run({ groups: { Engineering: { members: [] } } }, liveOf({ groups: [group('Engineering', { sourceType: 'scim' })] }));
    expect(p.changes).toEqual([]);
    expect(p.diagnostics[0]).toMatchObject({ severity: 'error', code: 'scim_group_under_groups' });
    expect(p.diagnostics[0]!.message).toContain('scim.groups');
  });

  it('memberships of an invited member are deferred', () => {
    const p = run({ members: { 'n@acme.com': 'user' }, groups: { Platform: { members: ['n@acme.com'] } } }, liveOf({ groups: [group('Platform')], invites: [invite('n@acme.com', 'user')] }));
    expect(acts(p)).toEqual(['deferred group_member["Platform/n@acme.com"]']);
  });

  it('groups that could not be read (a key without read:rbac_groups) are unavailable, naming why; members still plan', () => {
    const p = run({ members: { 'alice@acme.com': 'managed' }, groups: { Platform: { members: ['alice@acme.com'] } } },
      liveOf({ users: [alice], groups: { unavailable: true, reason: 'the admin key lacks the scope read:rbac_groups' } }));
    expect(acts(p)).toEqual(['update member["alice@acme.com"]', 'unavailable group["Platform"]']);
    expect(p.changes[1]!.reason).toContain('read:rbac_groups');
    // the role managed needs write:rbac_groups too (SDK 1.17): the plan says so
    expect(codes(p)).toEqual(['groups_unavailable', 'managed_needs_rbac_scope']);
    expect(p.changes[0]!.reason).toContain('needs write:rbac_groups');
  });
});

describe('SCIM groups', () => {
  const su = (userName: string, id: string, active = true): LiveScimUser => ({ id, userName, active });
  const sg = (displayName: string, id: string, members: string[] = [], externalId?: string): LiveScimGroup =>
    ({ id, displayName, members, ...(externalId !== undefined ? { externalId } : {}) });
  const scim = (users: LiveScimUser[], groups: LiveScimGroup[]) => ({ available: true as const, users, groups });
  const base = { provisioning: 'scim' as const, members: { 'alice@acme.com': 'user', 'bob@acme.com': 'user' } };

  it('a missing group is created with its externalId; members are added by SCIM user id', () => {
    const p = run({ ...base, scimGroups: { Engineering: { externalId: 'eng', members: ['alice@acme.com'] } } },
      liveOf({ users: [user('alice@acme.com', 'user'), user('bob@acme.com', 'user')], scim: scim([su('alice@acme.com', 's-a'), su('bob@acme.com', 's-b')], []) }));
    expect(acts(p)).toEqual(['create scim_group["Engineering"]', 'create scim_group_member["Engineering/alice@acme.com"]']);
    expect(p.changes[0]!.after).toEqual({ displayName: 'Engineering', externalId: 'eng' });
    expect(p.changes[1]!.after).toMatchObject({ user_id: 's-a' });
    expect(p.changes[1]!.depends_on).toEqual(['scim_group["Engineering"]']);
  });

  it('a new member gets a SCIM user first, then the group membership that depends on it', () => {
    const p = run({ ...base, scimGroups: { Engineering: { members: ['bob@acme.com'] } } },
      liveOf({ users: [user('alice@acme.com', 'user')], scim: scim([su('alice@acme.com', 's-a')], [sg('Engineering', 'g1', ['s-a'])]) }));
    expect(acts(p)).toEqual(['create scim_user["bob@acme.com"]', 'create scim_group_member["Engineering/bob@acme.com"]', 'delete scim_group_member["Engineering/alice@acme.com"]']);
    expect(p.changes[1]!.depends_on).toEqual(['scim_user["bob@acme.com"]']);
    expect(p.changes[2]).toMatchObject({ removal: true, id: 'g1/s-a' });
  });

  it('external_id makes a changed displayName a rename; renamed_from renames by the old name', () => {
    const byExt = run({ ...base, members: {}, scimGroups: { 'Eng Team': { externalId: 'eng' } } }, liveOf({ scim: scim([], [sg('Engineering', 'g1', [], 'eng')]) }));
    expect(byExt.changes[0]).toMatchObject({ action: 'update', id: 'g1', after: { displayName: 'Eng Team' } });
    const byOld = run({ ...base, members: {}, scimGroups: { 'Eng Team': { renamedFrom: 'engineering' } } }, liveOf({ scim: scim([], [sg('Engineering', 'g1')]) }));
    expect(byOld.changes[0]).toMatchObject({ action: 'update', id: 'g1' });
  });

  it('displayName matches without case, as SCIM compares it', () => {
    expect(run({ ...base, members: {}, scimGroups: { engineering: {} } }, liveOf({ scim: scim([], [sg('engineering', 'g1')]) })).changes).toEqual([]);
    expect(acts(run({ ...base, members: {}, scimGroups: { engineering: {} } }, liveOf({ scim: scim([], [sg('Engineering', 'g1')]) })))).toEqual(['update scim_group["engineering"]']);
  });

  it('delete: true deletes as a counted removal', () => {
    const p = run({ ...base, members: {}, scimGroups: { Old: { delete: true } } }, liveOf({ scim: scim([], [sg('Old', 'g9')]) }));
    expect(p.changes[0]).toMatchObject({ action: 'delete', id: 'g9', removal: true });
  });

  it('a departed member is removed from SCIM groups in the same plan, as part of their removal (not counted twice)', () => {
    const p = run({ provisioning: 'scim', members: { 'alice@acme.com': 'user' }, departed: { 'dave@acme.com': null }, scimGroups: { Eng: { members: ['alice@acme.com'] } } },
      liveOf({ users: [user('alice@acme.com', 'user'), user('dave@acme.com', 'user')], scim: scim([su('alice@acme.com', 's-a'), su('dave@acme.com', 's-d')], [sg('Eng', 'g1', ['s-a', 's-d'])]) }));
    expect(acts(p)).toEqual(['delete scim_group_member["Eng/dave@acme.com"]', 'update scim_user["dave@acme.com"]']);
    expect(p.removals.count).toBe(1);
  });

  it('a member with no SCIM user and none planned is a warning', () => {
    const p = run({ kind: 'enterprise', provisioning: 'invite', members: { 'alice@acme.com': 'user' }, scimGroups: { Eng: { members: ['alice@acme.com'] } } },
      liveOf({ users: [user('alice@acme.com', 'user')], scim: scim([], [sg('Eng', 'g1')]) }));
    expect(p.changes).toEqual([]);
    expect(codes(p)).toEqual(['not_in_directory']);
  });

  it('without a directory, every SCIM change is unavailable with one diagnostic saying why and how to configure it', () => {
    const p = run({ ...base, members: { 'n@acme.com': 'user' }, scimGroups: { Eng: { members: ['n@acme.com'] }, Ops: {} } },
      liveOf({ scim: { available: false, reason: 'the directory answered 403' } }));
    expect(acts(p)).toEqual(['unavailable scim_user["n@acme.com"]', 'unavailable scim_group["Eng"]', 'unavailable scim_group["Ops"]']);
    expect(codes(p)).toEqual(['scim_unavailable']);
    expect(p.diagnostics[0]!.message).toContain('CLAUDE_SCIM_TOKEN');
    expect(p.diagnostics[0]!.message).toContain('403');
  });
});
