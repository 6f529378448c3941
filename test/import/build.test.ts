// buildImport is pure: live data in, desired-state text out. Every case checks what the file says and that the
// file is valid and plans, against the same live data, to no API change (the point of an import).

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseDesired } from '../../src/config/load.js';
import { buildImport } from '../../src/import/build.js';
import type { ImportSource } from '../../src/import/source.js';
import { needsScim } from '../../src/live/read.js';
import type { Desired } from '../../src/model/desired.js';
import type { LiveGroup, LiveInvite, LiveScimGroup, LiveScimUser, LiveUser } from '../../src/model/live.js';
import { isApiAction } from '../../src/model/plan.js';
import { IMPORTER, plan } from '../../src/planner/index.js';

const ORG = '8f4c1a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b';
const NOW = new Date('2026-11-23T12:00:00Z');

let n = 0;
const user = (email: string, role: string, name = ''): LiveUser => ({ id: `user_${++n}`, email, name, role });
const invite = (email: string, role: string, expiresAt: string, status = 'pending'): LiveInvite =>
  ({ id: `invite_${++n}`, email, role, status, invitedAt: '2026-11-10T00:00:00Z', expiresAt });
const scimUser = (userName: string, active = true, name?: [string, string]): LiveScimUser =>
  ({ id: `scim_${++n}`, userName, active, ...(name ? { givenName: name[0], familyName: name[1] } : {}) });
const group = (name: string, sourceType = 'direct'): LiveGroup => ({ id: `rbac_group_${++n}`, name, sourceType });

function source(over: Partial<ImportSource>): ImportSource {
  return { organization: { id: ORG, name: 'Acme' }, kind: 'console', kindSource: 'detected', provisioning: 'invite', users: [], invites: [], ...over };
}

/** Builds, checks the text is a valid file, and plans it against the same live data. */
function imported(src: ImportSource) {
  const built = buildImport(src, { now: NOW, version: '9.9.9', plan, importer: IMPORTER });
  const loaded = parseDesired(built.text, 'org.yaml');
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const desired = loaded.desired as Desired;
  const live = { ...src };
  if (!needsScim(desired)) delete live.scim;
  const p = plan(desired, live, { now: NOW });
  const apiChanges = p.changes.filter((c) => isApiAction(c.action)).map((c) => `${c.action} ${c.address}: ${c.reason}`);
  return { ...built, doc: parse(built.text) as Record<string, any>, plan: p, apiChanges };
}

describe('buildImport: members', () => {
  it('sorts members by email, keeps live spelling and keep-only roles, shorthand form', () => {
    const r = imported(source({
      users: [user('zed@acme.com', 'user'), user('Alice@acme.com', 'developer'), user('boss@acme.com', 'admin'), user('bob@acme.com', 'primary_owner')],
    }));
    expect(r.apiChanges).toEqual([]);
    expect(Object.keys(r.doc.members)).toEqual(['Alice@acme.com', 'bob@acme.com', 'boss@acme.com', 'zed@acme.com']);
    expect(r.doc.members).toEqual({ 'Alice@acme.com': 'developer', 'bob@acme.com': 'primary_owner', 'boss@acme.com': 'admin', 'zed@acme.com': 'user' });
    expect(r.plan.diagnostics.filter((d) => d.code === 'undeclared_member')).toEqual([]);
  });

  it('writes organization, policy defaults and a header without secrets', () => {
    const r = imported(source({ users: [user('a@acme.com', 'user')] }));
    expect(r.doc.version).toBe(1);
    expect(r.doc.organization).toEqual({ id: ORG, kind: 'console', provisioning: 'invite' });
    expect(r.doc.policy).toEqual({ removals: 'declared', max_removals: 10 });
    const [first, second] = r.text.split('\n');
    expect(first).toBe('# yaml-language-server: $schema=https://cdn.jsdelivr.net/npm/claude-reconcile@9.9.9/schemas/claude-reconcile.schema.json');
    expect(second).toMatch(/^# Imported by claude-reconcile import 9\.9\.9 on 2026-11-23/);
    expect(r.text).toMatch(/removals: declared # only people listed under departed/);
    expect(r.text).toMatch(/max_removals: 10 # a plan that would make more removals/);
    expect(r.text).toMatch(/kind: console # detected/);
  });

  it('declares a pending invite with its role and an expiry comment; an expired one only in a comment', () => {
    const r = imported(source({
      users: [user('a@acme.com', 'user')],
      invites: [
        invite('new@acme.com', 'developer', '2026-12-01T09:00:00Z'),
        invite('old@acme.com', 'user', '2026-10-01T09:00:00Z', 'expired'),
        invite('late@acme.com', 'user', '2026-11-20T09:00:00Z'), // pending by status, past its date
      ],
    }));
    expect(r.apiChanges).toEqual([]);
    expect(r.doc.members).toEqual({ 'a@acme.com': 'user', 'new@acme.com': 'developer' });
    expect(r.text).toContain('new@acme.com: developer # invited, expires 2026-12-01');
    expect(r.text).toMatch(/# +old@acme\.com: the invite as user expired 2026-10-01; declaring them would send a new invite/);
    expect(r.text).toMatch(/# +late@acme\.com: the invite as user expired 2026-11-20/);
    expect(r.summary).toMatchObject({ members: 2, invited: 1, notDeclared: 2 });
  });

  it('provisioning jit: a pending invite is declared (awaited, no change); an expired one is not', () => {
    const r = imported(source({
      provisioning: 'jit',
      users: [user('a@acme.com', 'user')],
      invites: [invite('new@acme.com', 'user', '2026-12-01T00:00:00Z'), invite('old@acme.com', 'user', '2026-10-01T00:00:00Z', 'expired')],
    }));
    expect(r.apiChanges).toEqual([]);
    expect(r.doc.members).toEqual({ 'a@acme.com': 'user', 'new@acme.com': 'user' });
    expect(r.text).toMatch(/old@acme\.com: the invite as user expired 2026-10-01; declare them again if they should still join/);
  });

  it('a member who also has a pending invite is declared once, with the member role', () => {
    const r = imported(source({ users: [user('a@acme.com', 'developer')], invites: [invite('A@acme.com', 'user', '2026-12-01T00:00:00Z')] }));
    expect(r.doc.members).toEqual({ 'a@acme.com': 'developer' });
  });

  it('leaves out a role the tool does not know, with a comment', () => {
    const r = imported(source({ users: [user('a@acme.com', 'user'), user('x@acme.com', 'galactic_overlord')] }));
    expect(r.apiChanges).toEqual([]);
    expect(r.doc.members).toEqual({ 'a@acme.com': 'user' });
    expect(r.text).toMatch(/# +x@acme\.com: role galactic_overlord is not a role/);
  });

  it('is deterministic whatever order the API listed things in', () => {
    const users = [user('c@acme.com', 'user'), user('a@acme.com', 'user'), user('b@acme.com', 'developer')];
    const a = buildImport(source({ users }), { now: NOW, version: '1', plan, importer: IMPORTER }).text;
    const b = buildImport(source({ users: [...users].reverse() }), { now: NOW, version: '1', plan, importer: IMPORTER }).text;
    expect(a).toBe(b);
  });
});

describe('buildImport: console workspaces', () => {
  const admin = user('admin@acme.com', 'admin');
  const billing = user('bill@acme.com', 'billing');
  const bill2 = user('bill2@acme.com', 'billing');
  const dev = user('dev@acme.com', 'developer');
  const usr = user('usr@acme.com', 'user');
  const ws = (id: string, name: string, displayColor = '', archived = false) => ({ id, name, displayColor, archived });

  it('declares active workspaces with colour and explicit members; implicit admins and billing only in a comment', () => {
    const r = imported(source({
      users: [admin, billing, bill2, dev, usr],
      workspaces: [ws('w1', 'Research', '#6C5BB9'), ws('w2', 'Empty'), ws('w3', 'Old', '', true)],
      workspaceMembers: [
        { workspaceId: 'w1', userId: usr.id, role: 'workspace_user' },
        { workspaceId: 'w1', userId: dev.id, role: 'workspace_developer' },
        { workspaceId: 'w1', userId: billing.id, role: 'workspace_admin' }, // billing upgraded to admin (§3.2)
      ],
    }));
    expect(r.apiChanges).toEqual([]);
    expect(r.plan.diagnostics.filter((d) => d.code === 'implicit_workspace_member')).toEqual([]);
    expect(Object.keys(r.doc.workspaces)).toEqual(['Empty', 'Research']);
    expect(r.doc.workspaces.Research).toEqual({
      display_color: '#6C5BB9',
      members: { 'bill@acme.com': 'workspace_admin', 'dev@acme.com': 'workspace_developer', 'usr@acme.com': 'workspace_user' },
    });
    expect(r.doc.workspaces.Empty).toEqual({ members: {} });
    // bill@ is explicit in Research, so only bill2@ is implicit there; both are implicit in Empty (code-point order)
    expect(r.text).toContain([
      '  # implicit workspace_admin (org admin, never declared): admin@acme.com',
      '  # implicit workspace_billing (org billing, never declared): bill2@acme.com',
      '  Research:',
    ].join('\n'));
    expect(r.text).toContain([
      '  # implicit workspace_admin (org admin, never declared): admin@acme.com',
      '  # implicit workspace_billing (org billing, never declared): bill2@acme.com, bill@acme.com',
      '  Empty:',
    ].join('\n'));
    expect(r.text).toContain('1 archived workspace (archiving is permanent');
    expect(r.text).not.toContain('Old:');
  });

  it('skips names two active workspaces share (without case) and the Default Workspace', () => {
    const r = imported(source({
      users: [dev],
      workspaces: [ws('w1', 'Team'), ws('w2', 'team'), ws('w3', 'Default'), ws('w4', 'Solo')],
    }));
    expect(r.apiChanges).toEqual([]);
    expect(Object.keys(r.doc.workspaces)).toEqual(['Solo']);
    expect(r.text).toMatch(/"Team": another active workspace has this name/);
    expect(r.text).toMatch(/"team": another active workspace has this name/);
    expect(r.text).toMatch(/"Default": the Default Workspace cannot be declared/);
  });

  it('leaves membership unmanaged when a listed member cannot be declared', () => {
    const odd = user('odd@acme.com', 'mystery_role');
    const r = imported(source({
      users: [dev, odd],
      workspaces: [ws('w1', 'Lab')],
      workspaceMembers: [{ workspaceId: 'w1', userId: dev.id, role: 'workspace_user' }, { workspaceId: 'w1', userId: odd.id, role: 'workspace_user' }],
    }));
    expect(r.apiChanges).toEqual([]);
    expect(r.doc.workspaces.Lab).toEqual({});
    expect(r.text).toMatch(/# members not managed: odd@acme\.com is not declared above\n {2}Lab: \{\}/);
  });
});

describe('buildImport: enterprise groups and SCIM', () => {
  const owner = user('owner@acme.com', 'primary_owner');
  const ada = user('ada@acme.com', 'managed', 'Ada Lovelace');
  const grace = user('grace@acme.com', 'user');

  it('declares direct groups with members, skips shared names and scim-sourced groups', () => {
    const platform = group('Platform');
    const dupA = group('Dup');
    const dupB = group('Dup');
    const clash = group('Eng'); // shares its name with a scim-sourced group: ambiguous in the planner
    const engScim = group('Eng', 'scim');
    const empty = group('Nobody');
    const r = imported(source({
      kind: 'enterprise',
      users: [owner, ada, grace],
      groups: [platform, dupA, dupB, clash, engScim, empty],
      groupMembers: [
        { groupId: platform.id, userId: grace.id },
        { groupId: platform.id, userId: ada.id },
        { groupId: dupA.id, userId: ada.id },
      ],
    }));
    expect(r.apiChanges).toEqual([]);
    expect(r.plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.doc.groups).toEqual({ Nobody: { members: [] }, Platform: { members: ['ada@acme.com', 'grace@acme.com'] } });
    expect(r.text).toMatch(/"Dup" \(rbac_group_\d+\): another group has this name/);
    expect(r.text).toMatch(/"Eng" \(rbac_group_\d+\): another group has this name/);
    expect(r.text).toMatch(/Pushed by the identity provider .*"Eng"/);
    expect(r.doc.scim).toBeUndefined();
    expect(r.text).toMatch(/Not read, so not declared:\n# +the SCIM directory \(not configured\)/);
  });

  it('says why groups are missing when the key lacks the scope', () => {
    const r = imported(source({ kind: 'enterprise', users: [owner], groups: { unavailable: true, reason: 'the admin key lacks the scope read:rbac_groups' } }));
    expect(r.doc.groups).toBeUndefined();
    expect(r.text).toContain('RBAC groups: the admin key lacks the scope read:rbac_groups');
  });

  it('declares SCIM groups with and without external_id, members by userName', () => {
    const sAda = scimUser('ada@acme.com', true, ['Ada', 'Lovelace']);
    const sGrace = scimUser('grace@acme.com');
    const groups: LiveScimGroup[] = [
      { id: 'g1', displayName: 'Engineering', externalId: 'eng', members: [sGrace.id, sAda.id] },
      { id: 'g2', displayName: 'Research', members: [sAda.id] },
    ];
    const r = imported(source({
      kind: 'enterprise',
      users: [owner, ada, grace],
      groups: [],
      scim: { available: true, users: [sAda, sGrace], groups },
    }));
    expect(r.apiChanges).toEqual([]);
    expect(r.doc.scim).toEqual({
      deprovision: 'deactivate',
      groups: {
        Engineering: { external_id: 'eng', members: ['ada@acme.com', 'grace@acme.com'] },
        Research: { members: ['ada@acme.com'] },
      },
    });
    expect(r.text).toContain('through the Admin API and the SCIM directory');
  });

  it('provisioning invite: a SCIM user who is not a member is not declared, so their SCIM group is left unmanaged', () => {
    const sAda = scimUser('ada@acme.com');
    const sNew = scimUser('new@acme.com');
    const r = imported(source({
      kind: 'enterprise', users: [owner, ada], groups: [],
      scim: { available: true, users: [sAda, sNew], groups: [{ id: 'g1', displayName: 'Eng', members: [sAda.id, sNew.id] }] },
    }));
    expect(r.apiChanges).toEqual([]);
    expect(r.doc.members).toEqual({ 'ada@acme.com': 'managed', 'owner@acme.com': 'primary_owner' });
    expect(r.text).toMatch(/new@acme\.com: SCIM user, not a member yet; with provisioning invite, declaring them would send an invite/);
    expect(r.doc.scim.groups.Eng).toEqual({});
    expect(r.text).toContain('# members not managed: new@acme.com is not declared above (not a member; provisioning invite)');
  });

  it('skips SCIM groups whose name two groups share', () => {
    const r = imported(source({
      kind: 'enterprise', users: [owner], groups: [],
      scim: { available: true, users: [], groups: [{ id: 'g1', displayName: 'Ops', members: [] }, { id: 'g2', displayName: 'OPS', externalId: 'x', members: [] }] },
    }));
    expect(r.apiChanges).toEqual([]);
    expect(r.doc.scim.groups).toEqual({});
    expect(r.text).toMatch(/"Ops" \(g1\): another SCIM group has this name/);
  });

  it('provisioning scim: unsynced active SCIM users are declared (deferred), inactive ones and unbacked invites are not', () => {
    const sAda = scimUser('ada@acme.com', true, ['Ada', 'Lovelace']);
    const sNew = scimUser('linus@acme.com', true, ['Linus', 'Torvalds']);
    const sGone = scimUser('mallory@acme.com', false);
    const sGrace = scimUser('grace@acme.com', false); // still a member until the next sync
    const r = imported(source({
      kind: 'enterprise',
      provisioning: 'scim',
      users: [owner, ada, grace],
      invites: [invite('inv@acme.com', 'user', '2026-12-05T00:00:00Z')],
      groups: [],
      scim: {
        available: true,
        users: [sAda, sNew, sGone, sGrace],
        groups: [
          { id: 'g1', displayName: 'Engineering', externalId: 'eng', members: [sAda.id, sNew.id] },
          { id: 'g2', displayName: 'Alumni', members: [sGone.id] },
        ],
      },
    }));
    expect(r.apiChanges).toEqual([]);
    expect(r.doc.members).toEqual({
      'ada@acme.com': { role: 'managed', name: 'Ada Lovelace' },
      'linus@acme.com': { role: 'user', name: 'Linus Torvalds' },
      'owner@acme.com': 'primary_owner',
    });
    expect(r.plan.changes.find((c) => c.address === 'member["linus@acme.com"]')?.action).toBe('deferred');
    expect(r.text).toContain('# SCIM user, not a member yet: joins as user at the next directory sync');
    expect(r.text).toMatch(/grace@acme\.com \(user\): their SCIM user is deactivated/);
    expect(r.text).toMatch(/mallory@acme\.com: SCIM user, deactivated and not a member/);
    expect(r.text).toMatch(/inv@acme\.com: pending invite as user, expires 2026-12-05; with provisioning scim/);
    expect(r.doc.scim.groups.Engineering).toEqual({ external_id: 'eng', members: ['ada@acme.com', 'linus@acme.com'] });
    expect(r.doc.scim.groups.Alumni).toEqual({});
    expect(r.text).toMatch(/# members not managed: mallory@acme\.com is not declared above \(deactivated SCIM user\)\n {4}Alumni: \{\}/);
    expect(r.summary).toMatchObject({ members: 3, awaitingSync: 1, scimGroups: 2 });
  });
});
