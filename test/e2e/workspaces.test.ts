// End-to-end (issue 3): workspaces, workspace memberships and API-key offboarding in a console org. Every scenario
// converges in one apply and ends with an empty re-plan.

import { describe, expect, it } from 'vitest';
import { actions, desiredDoc, scenario, seedOf } from './harness.js';

type WsMember = { workspace: string; email: string; role: string; hidden?: boolean };

describe('e2e: workspaces (console)', () => {
  it('a new workspace with members is created, then its members are added', async () => {
    const s = await scenario(
      seedOf({ users: [{ email: 'alice@acme.com', role: 'developer' }, { email: 'bob@acme.com', role: 'user' }] }),
      desiredDoc({
        members: { 'alice@acme.com': 'developer', 'bob@acme.com': 'user' },
        workspaces: { Research: { display_color: '#6C5BB9', members: { 'alice@acme.com': 'workspace_developer', 'bob@acme.com': 'workspace_user' } } },
      }),
    );
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual([
      'create workspace["Research"]',
      'create workspace_member["Research/alice@acme.com"]',
      'create workspace_member["Research/bob@acme.com"]',
    ]);
    const out = await s.apply();
    expect(out.stdout).toContain('3 applied, 0 failed');
    // the workspaces were listed once by `plan` and once by `apply`'s own plan: the create read nothing again
    const lists = (await s.state()).requests['GET /v1/organizations/workspaces'] as Record<string, number>;
    expect(Object.values(lists).reduce((a, b) => a + b, 0)).toBe(2);
    const st = (await s.state()) as unknown as { workspaces: Array<{ name: string; display_color: string }>; workspace_members: WsMember[] };
    expect(st.workspaces.find((w) => w.name === 'Research')?.display_color).toBe('#6C5BB9');
    await s.expectConverged();
  });

  it('role changes, a rename and a colour change in place; undeclared members removed', async () => {
    const s = await scenario(
      seedOf({
        users: [{ email: 'a@acme.com', role: 'developer' }, { email: 'b@acme.com', role: 'developer' }, { email: 'c@acme.com', role: 'user' }],
        workspaces: [{ name: 'Old Research', display_color: '#000000' }],
        workspace_members: [
          { workspace: 'Old Research', email: 'a@acme.com', role: 'workspace_user' },
          { workspace: 'Old Research', email: 'b@acme.com', role: 'workspace_admin' },
          { workspace: 'Old Research', email: 'c@acme.com', role: 'workspace_user' },
        ],
      }),
      desiredDoc({
        members: { 'a@acme.com': 'developer', 'b@acme.com': 'developer', 'c@acme.com': 'user' },
        workspaces: { Research: { renamed_from: 'Old Research', display_color: '#FFFFFF', members: { 'a@acme.com': 'workspace_developer', 'b@acme.com': 'workspace_developer' } } },
      }),
    );
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual([
      'update workspace["Research"]',
      'update workspace_member["Research/a@acme.com"]',
      'update workspace_member["Research/b@acme.com"]',
      'delete workspace_member["Research/c@acme.com"]',
    ]);
    expect(plan.removals.count).toBe(2); // b's demotion and c's removal
    expect((await s.apply()).code).toBe(0);
    await s.expectConverged();
  });

  it('a member demoted from admin in the console keeps the explicit workspace roles they had', async () => {
    const s = await scenario(
      seedOf({
        users: [{ email: 'root@acme.com', role: 'admin' }],
        workspaces: [{ name: 'Research' }],
        // explicit membership from before they became admin: hidden while they are admin
        workspace_members: [{ workspace: 'Research', email: 'root@acme.com', role: 'workspace_developer' }],
      }),
      desiredDoc({ members: { 'root@acme.com': 'developer' }, workspaces: { Research: { members: { 'root@acme.com': 'workspace_developer' } } } }),
    );
    const first = await s.plan();
    expect(actions(first.plan)).toEqual(['manual member["root@acme.com"]', 'deferred workspace_member["Research/root@acme.com"]']);
    expect((await s.apply()).code).toBe(0);
    // a person demotes them in the console; nothing else changes
    await s.control('users/role', { email: 'root@acme.com', role: 'developer' });
    const again = await s.expectConverged();
    expect(again.changes).toEqual([]);
  });

  it('a billing member made workspace admin', async () => {
    const s = await scenario(
      seedOf({ users: [{ email: 'money@acme.com', role: 'billing' }], workspaces: [{ name: 'Research' }] }),
      desiredDoc({ members: { 'money@acme.com': 'billing' }, workspaces: { Research: { members: { 'money@acme.com': 'workspace_admin' } } } }),
    );
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual(['create workspace_member["Research/money@acme.com"]']);
    expect((await s.apply()).code).toBe(0);
    await s.expectConverged();
  });

  it('a billing member demoted to developer: the org role change runs before the workspace add', async () => {
    const s = await scenario(
      seedOf({ users: [{ email: 'money@acme.com', role: 'billing' }], workspaces: [{ name: 'Research' }] }),
      desiredDoc({ members: { 'money@acme.com': 'developer' }, workspaces: { Research: { members: { 'money@acme.com': 'workspace_developer' } } } }),
    );
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual(['update member["money@acme.com"]', 'create workspace_member["Research/money@acme.com"]']);
    expect((await s.apply()).code).toBe(0);
    await s.expectConverged();
  });

  it('an invited member: workspace memberships deferred until the invite is accepted, then converge', async () => {
    const s = await scenario(
      seedOf({ workspaces: [{ name: 'Research' }] }),
      desiredDoc({ members: { 'new@acme.com': 'developer' }, workspaces: { Research: { members: { 'new@acme.com': 'workspace_developer' } } } }),
    );
    const first = await s.plan();
    expect(actions(first.plan)).toEqual(['create invite["new@acme.com"]', 'deferred workspace_member["Research/new@acme.com"]']);
    expect((await s.apply()).code).toBe(0);
    const waiting = await s.expectConverged();
    expect(actions(waiting)).toEqual(['deferred workspace_member["Research/new@acme.com"]']);
    await s.control('invites/accept', { email: 'new@acme.com' });
    const after = await s.plan();
    expect(actions(after.plan)).toEqual(['create workspace_member["Research/new@acme.com"]']);
    expect((await s.apply()).code).toBe(0);
    expect((await s.expectConverged()).changes).toEqual([]);
    await s.expectNoDuplicateInvites();
  });

  it('archiving is blocked by max_removals, then allowed with --allow-removals; archived keys are deactivated', async () => {
    const s = await scenario(
      seedOf({
        users: [{ email: 'a@acme.com', role: 'developer' }],
        workspaces: [{ name: 'Old Project' }, { name: 'Older Project' }],
        api_keys: [{ name: 'ci', created_by: 'a@acme.com', workspace: 'Old Project' }],
      }),
      desiredDoc({ policy: { max_removals: 1 }, members: { 'a@acme.com': 'developer' }, workspaces: { 'Old Project': { archived: true }, 'Older Project': { archived: true } } }),
    );
    const blocked = await s.plan();
    expect(blocked.code).toBe(3);
    expect(actions(blocked.plan)).toEqual(['delete workspace["Old Project"]', 'delete workspace["Older Project"]']);
    expect((await s.apply()).code).toBe(3);
    const applied = await s.apply(['--allow-removals', '2']);
    expect(applied.code).toBe(0);
    const st = (await s.state()) as unknown as { workspaces: Array<{ name: string; archived_at: string | null }>; api_keys: Array<{ name: string; status: string }> };
    expect(st.workspaces.filter((w) => w.archived_at).map((w) => w.name).sort()).toEqual(['Old Project', 'Older Project']);
    expect(st.api_keys.find((k) => k.name === 'ci')?.status).toBe('inactive');
    await s.expectConverged();
  });

  it('a departed member whose API keys are deactivated before they are removed', async () => {
    const s = await scenario(
      seedOf({
        users: [{ email: 'dave@acme.com', role: 'developer' }, { email: 'erin@acme.com', role: 'developer' }],
        workspaces: [{ name: 'Research' }],
        workspace_members: [{ workspace: 'Research', email: 'dave@acme.com', role: 'workspace_developer' }],
        api_keys: [
          { name: 'dave-ci', created_by: 'dave@acme.com', workspace: 'Research' },
          { name: 'dave-default', created_by: 'dave@acme.com' },
          { name: 'dave-old', created_by: 'dave@acme.com', status: 'inactive' },
          { name: 'erin-ci', created_by: 'erin@acme.com' },
        ],
      }),
      desiredDoc({
        policy: { api_keys_of_removed_members: 'deactivate' },
        members: { 'erin@acme.com': 'developer' },
        departed: { 'dave@acme.com': { date: '2026-11-20', reason: 'left' } },
        workspaces: { Research: { members: {} } },
      }),
    );
    const { plan } = await s.plan();
    const acts = actions(plan);
    expect(acts.filter((a) => a.startsWith('update api_key'))).toHaveLength(2);
    expect(acts[acts.length - 1]).toBe('delete member["dave@acme.com"]');
    expect((await s.apply()).code).toBe(0);
    const st = (await s.state()) as unknown as { api_keys: Array<{ name: string; status: string }>; users: Array<{ email: string }> };
    const status = Object.fromEntries(st.api_keys.map((k) => [k.name, k.status]));
    expect(status).toEqual({ 'dave-ci': 'inactive', 'dave-default': 'inactive', 'dave-old': 'inactive', 'erin-ci': 'active' });
    expect(st.users.map((u) => u.email)).toEqual(['erin@acme.com']);
    await s.expectConverged();
  });

  it('report (default): the departed member\'s keys are named in the plan and left active', async () => {
    const s = await scenario(
      // a second member who stays: the API never removes an organization's last member
      seedOf({ users: [{ email: 'dave@acme.com', role: 'developer' }, { email: 'keeper@acme.com', role: 'user' }], api_keys: [{ name: 'dave-ci', created_by: 'dave@acme.com' }] }),
      desiredDoc({ members: { 'keeper@acme.com': 'user' }, departed: { 'dave@acme.com': null } }),
    );
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual(['delete member["dave@acme.com"]']);
    expect(plan.diagnostics.find((d) => d.code === 'api_key_of_removed_member')?.message).toContain('"dave-ci"');
    expect((await s.apply()).code).toBe(0);
    await s.expectConverged();
  });
});
