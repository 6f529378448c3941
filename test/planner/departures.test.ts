// Planner table tests for issue 12: `protected` takes globs, matched like `unmanaged`; and a `departed` entry dated
// in the future is a scheduled departure — a note until that day (UTC), a removal from it (desired-state.md
// "members and roles", "removals"). Pure calls, no HTTP.

import { describe, expect, it } from 'vitest';
import type { Live, LiveScimGroup, LiveScimUser } from '../../src/model/live.js';
import type { Plan } from '../../src/model/plan.js';
import { plan } from '../../src/planner/index.js';
import { desiredOf, group, invite, keeper, KEEPER_MEMBER, liveOf, NOW, user, workspace, type DesiredSpec } from '../builders.js';

function run(spec: DesiredSpec, live: Live, now: Date = NOW): Plan {
  return plan(desiredOf(spec), live, { now });
}
const acts = (p: Plan) => p.changes.map((c) => `${c.action} ${c.address}`);
const codes = (p: Plan) => p.diagnostics.map((d) => d.code);
const su = (userName: string, id: string, active = true): LiveScimUser => ({ id, userName, active });
const sg = (displayName: string, id: string, members: string[] = []): LiveScimGroup => ({ id, displayName, members });

describe('protected globs', () => {
  it('prune spares everyone a protected glob matches (case-insensitively), and removes the rest', () => {
    const p = run({ removals: 'prune', protected: ['*@Founders.acme.com'] },
      liveOf({ users: [user('Bob@founders.ACME.com', 'developer'), user('carol@acme.com', 'user')], invites: [invite('zed@founders.acme.com', 'user')] }));
    expect(acts(p)).toEqual(['delete member["carol@acme.com"]']);
  });

  it('before the fix a glob protected nobody: `*@acme.com` now protects a member past expires, with a warning', () => {
    const p = run({ protected: ['*@acme.com'], members: { 'c@acme.com': { role: 'user', expires: '2026-01-01' } } },
      liveOf({ users: [user('c@acme.com', 'user')] }));
    expect(p.changes).toEqual([]);
    expect(codes(p)).toEqual(['protected_departure']);
  });

  it('a member protected by a glob is not demoted, nor removed from a workspace or a group', () => {
    const bob = user('bob@acme.com', 'developer');
    const research = workspace('Research');
    const p = run({ protected: ['b*@acme.com'], members: { 'bob@acme.com': 'user' }, workspaces: { Research: { members: {} } } },
      liveOf({ users: [bob], workspaces: [research], workspaceMembers: [{ workspaceId: research.id, userId: bob.id, role: 'workspace_user' }] }));
    expect(p.changes).toEqual([]);
    expect(codes(p).sort()).toEqual(['protected_demotion', 'protected_membership']);
    const g = group('Platform');
    const q = run({ kind: 'enterprise', protected: ['*@acme.com'], members: { 'bob@acme.com': 'user' }, groups: { Platform: { members: [] } } },
      liveOf({ users: [user('bob@acme.com', 'user', { id: bob.id })], groups: [g], groupMembers: [{ groupId: g.id, userId: bob.id }] }));
    expect(q.changes).toEqual([]);
    expect(codes(q)).toEqual(['protected_membership']);
  });

  it('a glob with a Unicode domain protects the punycode spelling of the same domain', () => {
    const p = run({ removals: 'prune', protected: ['*@bücher.de'] }, liveOf({ users: [user('jörg@xn--bcher-kva.de', 'user')] }));
    expect(p.changes).toEqual([]);
    const q = run({ removals: 'prune', protected: ['*@BÜCHER.DE'] }, liveOf({ users: [user('JÖRG@bücher.de', 'user'), user('x@bucher.de', 'user')] }));
    expect(acts(q)).toEqual(['delete member["x@bucher.de"]']);
  });
});

describe('scheduled departures (a departed date in the future)', () => {
  // NOW is 2026-11-23T12:00Z
  const alice = () => user('alice@acme.com', 'developer');
  const leaving = { 'alice@acme.com': { date: '2026-11-24', reason: 'contract ends' } };

  it('the day before: no removal, an info note with the date and reason at the entry, no undeclared warning', () => {
    const p = run({ departed: leaving }, liveOf({ users: [alice()] }));
    expect(p.changes).toEqual([]);
    expect(p.diagnostics).toEqual([{
      severity: 'info',
      code: 'scheduled_departure',
      message: 'alice@acme.com leaves on 2026-11-24 (contract ends): removed from that day (00:00 UTC) on, left as they are until then',
      address: 'member["alice@acme.com"]',
      file: 'org.yaml',
      line: 10,
      column: 3,
    }]);
    expect(p.removals.count).toBe(0);
  });

  it('a reason with a bidi override or a zero-width space is shown escaped, in the note and in the removal', () => {
    const reason = 'left \u202eynapmoc\u202c the\u200bcompany';
    const before = run({ departed: { 'alice@acme.com': { date: '2026-11-24', reason } } }, liveOf({ users: [alice()] }));
    expect(before.diagnostics[0]!.message).toContain('(left \\u202eynapmoc\\u202c the\\u200bcompany)');
    const on = run({ departed: { 'alice@acme.com': { date: '2026-11-24', reason } } }, liveOf({ users: [alice(), keeper()] }), new Date('2026-11-24T00:00:00Z'));
    expect(on.changes[0]!.reason).toBe('departed 2026-11-24: left \\u202eynapmoc\\u202c the\\u200bcompany');
  });

  it('the last instant of the day before (23:59:59.999Z) is still before', () => {
    const p = run({ departed: leaving }, liveOf({ users: [alice()] }), new Date('2026-11-23T23:59:59.999Z'));
    expect(p.changes).toEqual([]);
    expect(codes(p)).toEqual(['scheduled_departure']);
  });

  it('the day itself at 00:00Z: removed, with the date and reason', () => {
    const p = run({ departed: leaving, members: KEEPER_MEMBER }, liveOf({ users: [alice(), keeper()] }), new Date('2026-11-24T00:00:00Z'));
    expect(acts(p)).toEqual(['delete member["alice@acme.com"]']);
    expect(p.changes[0]!.reason).toBe('departed 2026-11-24: contract ends');
    expect(codes(p)).toEqual([]);
  });

  it('the day itself at 23:59Z is still a removal (the date is the first day without access)', () => {
    const p = run({ departed: leaving }, liveOf({ users: [alice(), keeper()] }), new Date('2026-11-24T23:59:59Z'));
    expect(acts(p)).toEqual(['delete member["alice@acme.com"]']);
  });

  it('under prune, a scheduled person is neither removed nor counted as undeclared; undeclared ones still are', () => {
    const p = run({ removals: 'prune', departed: leaving },
      liveOf({ users: [alice(), user('bob@acme.com', 'user')], invites: [invite('erin@acme.com', 'user')] }));
    expect(acts(p)).toEqual(['delete invite["erin@acme.com"]', 'delete member["bob@acme.com"]']);
    const q = run({ removals: 'prune', departed: { 'erin@acme.com': { date: '2027-01-15' } } }, liveOf({ invites: [invite('erin@acme.com', 'user')] }));
    expect(q.changes).toEqual([]);
    expect(codes(q)).toEqual(['scheduled_departure']);
  });

  it('under declared, no undeclared_member or undeclared_invite warning for them', () => {
    const p = run({ departed: { ...leaving, 'erin@acme.com': { date: '2027-01-15' } } },
      liveOf({ users: [alice()], invites: [invite('erin@acme.com', 'user')] }));
    expect(p.changes).toEqual([]);
    expect(codes(p)).toEqual(['scheduled_departure', 'scheduled_departure']);
  });

  it('a pending invite is withdrawn only from the day on', () => {
    const inv = invite('erin@acme.com', 'user');
    expect(run({ departed: { 'erin@acme.com': { date: '2026-12-01' } } }, liveOf({ invites: [inv] })).changes).toEqual([]);
    const p = run({ departed: { 'erin@acme.com': { date: '2026-12-01' } } }, liveOf({ invites: [inv] }), new Date('2026-12-01T00:00:00Z'));
    expect(acts(p)).toEqual(['delete invite["erin@acme.com"]']);
  });

  it('keeps workspace memberships until the day; from the day the org removal takes them', () => {
    const a = alice();
    const research = workspace('Research');
    const live = liveOf({ users: [a, keeper()], workspaces: [research], workspaceMembers: [{ workspaceId: research.id, userId: a.id, role: 'workspace_user' }] });
    const spec = { departed: leaving, workspaces: { Research: { members: {} } } };
    expect(run(spec, live).changes).toEqual([]);
    expect(acts(run(spec, live, new Date('2026-11-24T00:00:00Z')))).toEqual(['delete member["alice@acme.com"]']);
  });

  it('keeps RBAC group memberships until the day', () => {
    const a = user('alice@acme.com', 'user');
    const g = group('Platform');
    const live = liveOf({ users: [a, keeper()], groups: [g], groupMembers: [{ groupId: g.id, userId: a.id }] });
    const spec = { kind: 'enterprise' as const, departed: leaving, groups: { Platform: { members: [] } } };
    expect(run(spec, live).changes).toEqual([]);
    expect(acts(run(spec, live, new Date('2026-11-24T00:00:00Z')))).toEqual(['delete member["alice@acme.com"]']);
  });

  it('scim: no deprovisioning and no SCIM group removal until the day; both from it', () => {
    const live = liveOf({
      users: [user('alice@acme.com', 'user')],
      scim: { available: true, users: [su('alice@acme.com', 's-a')], groups: [sg('Eng', 'g1', ['s-a'])] },
    });
    const spec = { kind: 'enterprise' as const, provisioning: 'scim' as const, departed: leaving, scimGroups: { Eng: { members: [] } } };
    const before = run(spec, live);
    expect(before.changes).toEqual([]);
    expect(codes(before)).toEqual(['scheduled_departure']);
    const on = run(spec, live, new Date('2026-11-24T00:00:00Z'));
    expect(acts(on)).toEqual(['delete scim_group_member["Eng/alice@acme.com"]', 'update scim_user["alice@acme.com"]']);
    expect(on.removals.count).toBe(1);
  });

  it('a SCIM user who is not a member yet is not deprovisioned before the day either', () => {
    const live = liveOf({ scim: { available: true, users: [su('alice@acme.com', 's-a')], groups: [] } });
    const spec = { kind: 'enterprise' as const, provisioning: 'scim' as const, departed: leaving };
    expect(run(spec, live).changes).toEqual([]);
    expect(acts(run(spec, live, new Date('2026-11-24T00:00:00Z')))).toEqual(['update scim_user["alice@acme.com"]']);
  });

  it('a departed entry without a date, or dated in the past, is removed now (unchanged)', () => {
    expect(acts(run({ departed: { 'alice@acme.com': null } }, liveOf({ users: [alice(), keeper()] })))).toEqual(['delete member["alice@acme.com"]']);
    expect(acts(run({ departed: { 'alice@acme.com': { date: '2026-11-23' } } }, liveOf({ users: [alice(), keeper()] })))).toEqual(['delete member["alice@acme.com"]']);
  });
});

describe('a declared address that reads like a live one who is not declared (the look-alike that replaced a line)', () => {
  it.each([
    ['Cyrillic і in the local part', 'al\u0456ce@acme.com'],
    ['dotless ı', 'al\u0131ce@acme.com'],
    ['an accent', 'alic\u00e9@acme.com'],
    ['a Cyrillic domain', 'alice@\u0430\u0441\u043c\u0435.com'],
  ])('%s: an error, so nothing is applied; prune would have removed alice', (_name, email) => {
    const p = run({ removals: 'prune', members: { [email]: 'developer' } }, liveOf({ users: [user('alice@acme.com', 'developer')] }));
    const d = p.diagnostics.filter((x) => x.code === 'look_alike_member');
    expect(d).toHaveLength(1);
    expect(d[0]!).toMatchObject({ severity: 'error', line: 10 });
    expect(d[0]!.message).toContain('reads like "alice@acme.com", a member who is not declared');
    expect(d[0]!.message).not.toMatch(/[^\x00-\x7f]/); // the look-alike letters are shown escaped
  });

  it('no error when the live person is declared too, or for ASCII addresses', () => {
    const live = liveOf({ users: [user('alice@acme.com', 'developer')] });
    expect(codes(run({ members: { 'alic\u00e9@acme.com': 'user', 'alice@acme.com': 'developer' } }, live))).not.toContain('look_alike_member');
    expect(codes(run({ members: { 'alic\u00e9@acme.com': 'user' }, departed: { 'alice@acme.com': null } }, live))).not.toContain('look_alike_member');
    expect(codes(run({ removals: 'prune', members: { 'alise@acme.com': 'user' } }, live))).not.toContain('look_alike_member');
  });
});
