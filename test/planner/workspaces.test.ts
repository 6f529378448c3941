// Planner table tests for workspaces, workspace memberships and API-key offboarding (desired-state.md
// "workspaces (console)"; issue 3). Pure calls, no HTTP.

import { describe, expect, it } from 'vitest';
import { plan } from '../../src/planner/index.js';
import type { Live } from '../../src/model/live.js';
import type { Plan } from '../../src/model/plan.js';
import { apiKey, desiredOf, invite, keeper, KEEPER_MEMBER, liveOf, NOW, user, workspace, type DesiredSpec } from '../builders.js';

function run(spec: DesiredSpec, live: Live, allowRemovals?: number): Plan {
  return plan(desiredOf(spec), live, { now: NOW, allowRemovals });
}
const acts = (p: Plan) => p.changes.map((c) => `${c.action} ${c.address}`);
const codes = (p: Plan) => p.diagnostics.map((d) => d.code);

describe('workspaces', () => {
  it('a declared workspace that does not exist is created with its colour; undeclared live ones are left alone', () => {
    const p = run({ workspaces: { Research: { displayColor: '#112233' } } }, liveOf({ workspaces: [workspace('Other')] }));
    expect(acts(p)).toEqual(['create workspace["Research"]']);
    expect(p.changes[0]!.after).toEqual({ name: 'Research', display_color: '#112233' });
  });

  it('a colour change is an update; the same colour in another case is not', () => {
    const w = workspace('Research', { displayColor: '#aabbcc' });
    expect(acts(run({ workspaces: { Research: { displayColor: '#AABBCC' } } }, liveOf({ workspaces: [w] })))).toEqual([]);
    const p = run({ workspaces: { Research: { displayColor: '#000000' } } }, liveOf({ workspaces: [w] }));
    expect(p.changes[0]).toMatchObject({ action: 'update', id: w.id, before: { display_color: '#aabbcc' }, after: { display_color: '#000000' } });
  });

  it('renamed_from renames the old workspace in place', () => {
    const w = workspace('Old Name');
    const c = run({ workspaces: { 'New Name': { renamedFrom: 'Old Name' } } }, liveOf({ workspaces: [w] })).changes[0]!;
    expect(c).toMatchObject({ address: 'workspace["New Name"]', action: 'update', id: w.id, after: { name: 'New Name' } });
    expect(c.reason).toContain('Old Name');
  });

  it('renamed_from when both names exist is an error', () => {
    const p = run({ workspaces: { New: { renamedFrom: 'Old' } } }, liveOf({ workspaces: [workspace('Old'), workspace('New')] }));
    expect(p.diagnostics[0]).toMatchObject({ severity: 'error', code: 'ambiguous_workspace' });
  });

  it('a name that matches two live workspaces is an error', () => {
    const p = run({ workspaces: { Dup: {} } }, liveOf({ workspaces: [workspace('Dup'), workspace('Dup')] }));
    expect(p.changes).toEqual([]);
    expect(p.diagnostics).toMatchObject([{ severity: 'error', code: 'ambiguous_workspace' }]);
  });

  it('archived: true archives an active workspace as a counted removal, after everything else; an archived one is no change', () => {
    const w = workspace('Old Project');
    const p = run({ members: { 'n@acme.com': 'user' }, workspaces: { 'Old Project': { archived: true } } }, liveOf({ workspaces: [w] }));
    expect(acts(p)).toEqual(['create invite["n@acme.com"]', 'delete workspace["Old Project"]']);
    expect(p.changes[1]).toMatchObject({ removal: true, id: w.id });
    expect(p.removals.count).toBe(1);
    expect(run({ workspaces: { 'Old Project': { archived: true } } }, liveOf({ workspaces: [workspace('Old Project', { archived: true })] })).changes).toEqual([]);
  });

  it('an archived live workspace does not satisfy an active declaration: a new one is created', () => {
    const archived = workspace('Research', { archived: true });
    const p = run({ workspaces: { Research: {} } }, liveOf({ workspaces: [archived] }));
    expect(acts(p)).toEqual(['create workspace["Research"]']);
    // the client must not take the archived one for the new one after an ambiguous failure
    expect(p.changes[0]!.known_ids).toEqual([archived.id]);
  });

  it('more than 100 active workspaces after the plan is an error', () => {
    const live = liveOf({ workspaces: Array.from({ length: 100 }, (_, i) => workspace(`w${i}`)) });
    expect(codes(run({ workspaces: { extra: {} } }, live))).toContain('workspace_limit');
    expect(codes(run({ workspaces: { extra: {}, w0: { archived: true } } }, live))).not.toContain('workspace_limit');
  });
});

describe('workspace members', () => {
  const alice = user('alice@acme.com', 'developer');
  const bob = user('bob@acme.com', 'user');
  const research = workspace('Research');

  it('adds missing members, updates wrong roles, removes undeclared ones (a counted removal, last)', () => {
    const carol = user('carol@acme.com', 'user');
    const p = run(
      { members: { 'alice@acme.com': 'developer', 'bob@acme.com': 'user', 'carol@acme.com': 'user' },
        workspaces: { Research: { members: { 'alice@acme.com': 'workspace_developer', 'bob@acme.com': 'workspace_developer' } } } },
      liveOf({ users: [alice, bob, carol], workspaces: [research],
        workspaceMembers: [{ workspaceId: research.id, userId: bob.id, role: 'workspace_user' }, { workspaceId: research.id, userId: carol.id, role: 'workspace_user' }] }),
    );
    expect(acts(p)).toEqual([
      'create workspace_member["Research/alice@acme.com"]',
      'update workspace_member["Research/bob@acme.com"]',
      'delete workspace_member["Research/carol@acme.com"]',
    ]);
    expect(p.changes[0]!.after).toMatchObject({ workspace_id: research.id, user_id: alice.id, role: 'workspace_developer' });
    expect(p.changes[1]).toMatchObject({ removal: false, before: { role: 'workspace_user' }, after: { role: 'workspace_developer' } });
    expect(p.changes[2]).toMatchObject({ removal: true });
    expect(p.changes[2]!.phase).toBeGreaterThan(p.changes[1]!.phase);
  });

  it('a workspace role demotion counts as a removal', () => {
    const p = run({ members: { 'bob@acme.com': 'user' }, workspaces: { Research: { members: { 'bob@acme.com': 'workspace_user' } } } },
      liveOf({ users: [bob], workspaces: [research], workspaceMembers: [{ workspaceId: research.id, userId: bob.id, role: 'workspace_admin' }] }));
    expect(p.changes[0]).toMatchObject({ action: 'update', removal: true });
  });

  it('without `members`, membership is unmanaged', () => {
    const p = run({ members: { 'bob@acme.com': 'user' }, workspaces: { Research: {} } },
      liveOf({ users: [bob], workspaces: [research], workspaceMembers: [{ workspaceId: research.id, userId: bob.id, role: 'workspace_user' }] }));
    expect(p.changes).toEqual([]);
  });

  it('removals: never keeps undeclared memberships', () => {
    const p = run({ removals: 'never', members: { 'bob@acme.com': 'user' }, workspaces: { Research: { members: {} } } },
      liveOf({ users: [bob], workspaces: [research], workspaceMembers: [{ workspaceId: research.id, userId: bob.id, role: 'workspace_user' }] }));
    expect(p.changes).toEqual([]);
  });

  it('members of a new workspace are added after it is created, depending on it', () => {
    const p = run({ members: { 'alice@acme.com': 'developer' }, workspaces: { New: { members: { 'alice@acme.com': 'workspace_user' } } } }, liveOf({ users: [alice] }));
    expect(acts(p)).toEqual(['create workspace["New"]', 'create workspace_member["New/alice@acme.com"]']);
    expect(p.changes[1]!.depends_on).toEqual(['workspace["New"]']);
    expect(p.changes[1]!.after).toMatchObject({ workspace: 'New', user_id: alice.id });
  });

  it('org admins are implicit workspace admins: declaring them is a warning, and they never cause a diff', () => {
    const admin = user('root@acme.com', 'admin');
    const p = run({ members: { 'root@acme.com': 'admin' }, workspaces: { Research: { members: { 'root@acme.com': 'workspace_user' } } } },
      liveOf({ users: [admin], workspaces: [research] }));
    expect(p.changes).toEqual([]);
    expect(codes(p)).toEqual(['implicit_workspace_member']);
    // and an undeclared admin is never listed by the API, so nothing is removed
    expect(run({ members: { 'root@acme.com': 'admin' }, workspaces: { Research: { members: {} } } }, liveOf({ users: [admin], workspaces: [research] })).changes).toEqual([]);
  });

  it('a billing member may be made workspace_admin; other roles for them are ignored', () => {
    const billing = user('b@acme.com', 'billing');
    const up = run({ members: { 'b@acme.com': 'billing' }, workspaces: { Research: { members: { 'b@acme.com': 'workspace_admin' } } } }, liveOf({ users: [billing], workspaces: [research] }));
    expect(acts(up)).toEqual(['create workspace_member["Research/b@acme.com"]']);
    expect(up.changes[0]!.reason).toContain('billing');
    const ignored = run({ members: { 'b@acme.com': 'billing' }, workspaces: { Research: { members: { 'b@acme.com': 'workspace_user' } } } }, liveOf({ users: [billing], workspaces: [research] }));
    expect(ignored.changes).toEqual([]);
    expect(codes(ignored)).toEqual(['implicit_workspace_member']);
  });

  it('a billing member demoted to developer: the org role change runs first, the workspace add depends on it', () => {
    const billing = user('b@acme.com', 'billing');
    const p = run({ members: { 'b@acme.com': 'developer' }, workspaces: { Research: { members: { 'b@acme.com': 'workspace_developer' } } } }, liveOf({ users: [billing], workspaces: [research] }));
    expect(acts(p)).toEqual(['update member["b@acme.com"]', 'create workspace_member["Research/b@acme.com"]']);
    expect(p.changes[1]!.depends_on).toEqual(['member["b@acme.com"]']);
    expect(p.changes[1]!.phase).toBeGreaterThan(p.changes[0]!.phase);
  });

  it('an admin whose demotion is manual: their workspace memberships wait for it', () => {
    const admin = user('root@acme.com', 'admin');
    const p = run({ members: { 'root@acme.com': 'developer' }, workspaces: { Research: { members: { 'root@acme.com': 'workspace_developer' } } } }, liveOf({ users: [admin], workspaces: [research] }));
    expect(acts(p)).toEqual(['manual member["root@acme.com"]', 'deferred workspace_member["Research/root@acme.com"]']);
  });

  it('memberships of someone who is only invited are deferred, never an error', () => {
    const p = run({ members: { 'n@acme.com': 'user' }, workspaces: { Research: { members: { 'n@acme.com': 'workspace_user' } } } },
      liveOf({ workspaces: [research], invites: [invite('n@acme.com', 'user')] }));
    expect(acts(p)).toEqual(['deferred workspace_member["Research/n@acme.com"]']);
    expect(p.changes[0]!.reason).toContain('accept the invite');
    expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a departed member loses workspace memberships with the org removal: no separate removal is planned', () => {
    const dave = user('dave@acme.com', 'developer');
    const p = run({ departed: { 'dave@acme.com': null }, members: KEEPER_MEMBER, workspaces: { Research: { members: {} } } },
      liveOf({ users: [dave, keeper()], workspaces: [research], workspaceMembers: [{ workspaceId: research.id, userId: dave.id, role: 'workspace_user' }] }));
    expect(acts(p)).toEqual(['delete member["dave@acme.com"]']);
  });

  it('protected people are not removed from a workspace', () => {
    const p = run({ protected: ['bob@acme.com'], members: { 'bob@acme.com': 'user' }, workspaces: { Research: { members: {} } } },
      liveOf({ users: [bob], workspaces: [research], workspaceMembers: [{ workspaceId: research.id, userId: bob.id, role: 'workspace_user' }] }));
    expect(p.changes).toEqual([]);
    expect(codes(p)).toEqual(['protected_membership']);
  });

  it('a membership removal counts against max_removals', () => {
    const p = run({ maxRemovals: 0, members: { 'bob@acme.com': 'user' }, workspaces: { Research: { members: {} } } },
      liveOf({ users: [bob], workspaces: [research], workspaceMembers: [{ workspaceId: research.id, userId: bob.id, role: 'workspace_user' }] }));
    expect(p.blocked).toBe(true);
  });
});

describe('API keys of removed members', () => {
  const dave = user('dave@acme.com', 'developer');
  const other = user('other@acme.com', 'developer');
  const research = workspace('Research');
  const keys = [
    apiKey(dave, { name: 'ci', workspaceId: research.id }),
    apiKey(dave, { name: 'old', status: 'inactive' }),
    apiKey(other, { name: 'theirs' }),
  ];

  it('report (default): each active key is named in a warning with id, name and workspace, never its partial hint (a piece of the key); no change', () => {
    const p = run({ departed: { 'dave@acme.com': null }, members: { 'other@acme.com': 'developer' } }, liveOf({ users: [dave, other], workspaces: [research], apiKeys: keys }));
    expect(acts(p)).toEqual(['delete member["dave@acme.com"]']);
    const w = p.diagnostics.filter((d) => d.code === 'api_key_of_removed_member');
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toContain(keys[0]!.id);
    expect(w[0]!.message).toContain('"ci"');
    expect(w[0]!.message).toContain('workspace Research');
    expect(w[0]!.message).not.toContain('R2D');
    expect(w[0]!.message).not.toContain('sk-ant-');
  });

  it('deactivate: an update to inactive for each active key, before the member removal; never archived', () => {
    const p = run({ apiKeys: 'deactivate', departed: { 'dave@acme.com': null }, members: { 'other@acme.com': 'developer' } }, liveOf({ users: [dave, other], workspaces: [research], apiKeys: keys }));
    expect(acts(p)).toEqual([`update api_key["${keys[0]!.id}"]`, 'delete member["dave@acme.com"]']);
    expect(p.changes[0]).toMatchObject({ id: keys[0]!.id, after: { status: 'inactive' }, removal: false });
    expect(p.changes[0]!.phase).toBeLessThan(p.changes[1]!.phase);
    expect(JSON.stringify(p.changes)).not.toContain('archived"');
  });

  it('no removal, no key change', () => {
    const p = run({ apiKeys: 'deactivate', members: { 'dave@acme.com': 'developer', 'other@acme.com': 'developer' } }, liveOf({ users: [dave, other], apiKeys: keys }));
    expect(p.changes).toEqual([]);
  });

  it('where the key is (2026-10-21): the Default Workspace by its real id, an organization-scoped key, an older answer', () => {
    const spec = { departed: { 'dave@acme.com': null }, members: { 'other@acme.com': 'developer' } };
    const daveKeys = [
      apiKey(dave, { name: 'in-default', workspaceId: 'wrkspc_01TheDefault' }),
      apiKey(dave, { name: 'org-scoped', workspaceId: null, scope: 'organization' }),
      apiKey(dave, { name: 'legacy-default', workspaceId: null }),
    ];
    const said = (p: ReturnType<typeof run>) => p.diagnostics.filter((d) => d.code === 'api_key_of_removed_member').map((d) => d.message);
    // the workspaces were read: an id they do not name is the Default Workspace's
    const read = said(run(spec, liveOf({ users: [dave, other], workspaces: [research], apiKeys: daveKeys })));
    expect(read[0]).toContain('workspace Default (wrkspc_01TheDefault)');
    expect(read[1]).toContain('workspace none (organization-scoped)');
    expect(read[2]).toContain('workspace Default)');
    // not read (the file declares no workspace): the id is all there is
    expect(said(run(spec, liveOf({ users: [dave, other], apiKeys: daveKeys })))[0]).toContain('workspace wrkspc_01TheDefault)');
  });
});
