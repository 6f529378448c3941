// Planner table tests for issue 12: `protected` takes globs, matched like `unmanaged` (desired-state.md "removals").
// Pure calls, no HTTP.

import { describe, expect, it } from 'vitest';
import type { Live } from '../../src/model/live.js';
import type { Plan } from '../../src/model/plan.js';
import { plan } from '../../src/planner/index.js';
import { desiredOf, group, invite, liveOf, NOW, user, workspace, type DesiredSpec } from '../builders.js';

function run(spec: DesiredSpec, live: Live, now: Date = NOW): Plan {
  return plan(desiredOf(spec), live, { now });
}
const acts = (p: Plan) => p.changes.map((c) => `${c.action} ${c.address}`);
const codes = (p: Plan) => p.diagnostics.map((d) => d.code);

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
  });
});
