// Workspace members (§8) over real HTTP: explicit and implicit members (§3.2), the billing upgrade, role changes
// that hide and reveal memberships, removed users, and pagination of 20,000 memberships.

import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { call, control, emulator, expectEnvelope } from './helpers.js';

const WS = '/v1/organizations/workspaces';
const R = 'wrkspc_01ResearchWorkspaceAbcd';
const DEFAULT_ID = 'wrkspc_01DefaultWorkspaceIdXyz';
const ARCHIVED = 'wrkspc_01ArchivedWorkspaceAbcd';

async function org(): Promise<RunningEmulator> {
  return emulator({
    seed: {
      default_workspace_id: DEFAULT_ID,
      users: [
        { email: 'admin@acme.com', role: 'admin', id: 'user_01AdminAdminAdminAdmin' },
        { email: 'owner@acme.com', role: 'primary_owner', id: 'user_01OwnerOwnerOwnerOwner' },
        { email: 'bill@acme.com', role: 'billing', id: 'user_01BillBillBillBillBill' },
        { email: 'dev@acme.com', role: 'developer', id: 'user_01DevDevDevDevDevDevDe' },
        { email: 'user@acme.com', role: 'user', id: 'user_01UserUserUserUserUser' },
        { email: 'cc@acme.com', role: 'claude_code_user', id: 'user_01CodeCodeCodeCodeCode' },
      ],
      workspaces: [
        { name: 'Research', id: R },
        { name: 'Old', id: ARCHIVED, archived: true },
      ],
      workspace_members: [{ workspace: 'Research', email: 'dev@acme.com', role: 'workspace_developer' }],
    },
  });
}

const ids = (emu: RunningEmulator, email: string) => emu.store.userByEmail(email)!.id;

async function listed(emu: RunningEmulator, ws = R): Promise<Array<[string, string]>> {
  const a = await call(emu, `${WS}/${ws}/members?limit=1000`);
  expect(a.status).toBe(200);
  return a.body.data.map((m: { user_id: string; workspace_role: string }) => [m.user_id, m.workspace_role]);
}

describe('explicit members', () => {
  it('add, get, update, remove with the documented shapes', async () => {
    const emu = await org();
    const user = ids(emu, 'user@acme.com');
    const added = await call(emu, `${WS}/${R}/members`, { body: { user_id: user, workspace_role: 'workspace_user' } });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ type: 'workspace_member', user_id: user, workspace_id: R, workspace_role: 'workspace_user' });
    expect((await call(emu, `${WS}/${R}/members/${user}`)).body).toEqual(added.body);
    const updated = await call(emu, `${WS}/${R}/members/${user}`, { body: { workspace_role: 'workspace_restricted_developer' } });
    expect(updated.body.workspace_role).toBe('workspace_restricted_developer');
    expect(await listed(emu)).toEqual([
      [user, 'workspace_restricted_developer'],
      [ids(emu, 'dev@acme.com'), 'workspace_developer'],
    ]);
    const removed = await call(emu, `${WS}/${R}/members/${user}`, { method: 'DELETE' });
    expect(removed.body).toEqual({ type: 'workspace_member_deleted', user_id: user, workspace_id: R });
    expect(await listed(emu)).toEqual([[ids(emu, 'dev@acme.com'), 'workspace_developer']]);
    expect(emu.store.user(user)).toBeDefined(); // §8.3: the org membership is untouched
    expectEnvelope(await call(emu, `${WS}/${R}/members/${user}`), 404, 'not_found_error');
    expectEnvelope(await call(emu, `${WS}/${R}/members/${user}`, { method: 'DELETE' }), 404, 'not_found_error');
    expectEnvelope(await call(emu, `${WS}/${R}/members/${user}`, { body: { workspace_role: 'workspace_user' } }), 404, 'not_found_error');
  });

  it('refuses workspace_billing, bad roles, unknown users and duplicates', async () => {
    const emu = await org();
    const dev = ids(emu, 'dev@acme.com');
    const user = ids(emu, 'user@acme.com');
    const add = (body: unknown) => call(emu, `${WS}/${R}/members`, { body });
    expectEnvelope(await add({ user_id: user, workspace_role: 'workspace_billing' }), 400, 'invalid_request_error');
    expectEnvelope(await add({ user_id: user, workspace_role: 'owner' }), 400, 'invalid_request_error');
    expectEnvelope(await add({ user_id: user }), 400, 'invalid_request_error');
    expectEnvelope(await add({ user_id: user, workspace_role: 'workspace_user', extra: 1 }), 400, 'invalid_request_error');
    expectEnvelope(await add({ user_id: 'user_01NobodyNobodyNobodyNob', workspace_role: 'workspace_user' }), 404, 'not_found_error');
    expect(expectEnvelope(await add({ user_id: dev, workspace_role: 'workspace_user' }), 400, 'invalid_request_error')).toMatch(/already/);
    expectEnvelope(await call(emu, `${WS}/${R}/members/${dev}`, { body: { workspace_role: 'workspace_billing' } }), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `${WS}/${R}/members/${dev}`, { body: { workspace_role: 'boss' } }), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `${WS}/${R}/members/user_01NobodyNobodyNobodyNob`), 404, 'not_found_error');
    expectEnvelope(await call(emu, `${WS}/wrkspc_01nothere/members`), 404, 'not_found_error');
    expect(await listed(emu)).toEqual([[dev, 'workspace_developer']]);
  });

  it('the Default Workspace has no member list and an archived workspace is closed: 400 on every member route', async () => {
    const emu = await org();
    const user = ids(emu, 'user@acme.com');
    for (const ws of [DEFAULT_ID, ARCHIVED]) {
      const answers = [
        await call(emu, `${WS}/${ws}/members`),
        await call(emu, `${WS}/${ws}/members`, { body: { user_id: user, workspace_role: 'workspace_user' } }),
        await call(emu, `${WS}/${ws}/members/${user}`),
        await call(emu, `${WS}/${ws}/members/${user}`, { body: { workspace_role: 'workspace_user' } }),
        await call(emu, `${WS}/${ws}/members/${user}`, { method: 'DELETE' }),
      ];
      for (const a of answers) expectEnvelope(a, 400, 'invalid_request_error');
    }
  });
});

describe('implicit members (§3.2)', () => {
  it('org admins and owners are implicit workspace_admin: never listed, never changed or removed', async () => {
    const emu = await org();
    for (const email of ['admin@acme.com', 'owner@acme.com']) {
      const id = ids(emu, email);
      expectEnvelope(await call(emu, `${WS}/${R}/members`, { body: { user_id: id, workspace_role: 'workspace_admin' } }), 400, 'invalid_request_error');
      expectEnvelope(await call(emu, `${WS}/${R}/members/${id}`, { body: { workspace_role: 'workspace_user' } }), 400, 'invalid_request_error');
      expectEnvelope(await call(emu, `${WS}/${R}/members/${id}`, { method: 'DELETE' }), 400, 'invalid_request_error');
      expect((await call(emu, `${WS}/${R}/members/${id}`)).body).toMatchObject({ user_id: id, workspace_role: 'workspace_admin' });
    }
    expect((await listed(emu)).map(([id]) => id)).toEqual([ids(emu, 'dev@acme.com')]);
  });

  it('billing members are implicit workspace_billing and can only be upgraded to workspace_admin', async () => {
    const emu = await org();
    const bill = ids(emu, 'bill@acme.com');
    expect((await call(emu, `${WS}/${R}/members/${bill}`)).body.workspace_role).toBe('workspace_billing');
    expect(await listed(emu)).not.toContainEqual([bill, expect.anything()]);
    expectEnvelope(await call(emu, `${WS}/${R}/members`, { body: { user_id: bill, workspace_role: 'workspace_developer' } }), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `${WS}/${R}/members/${bill}`, { body: { workspace_role: 'workspace_user' } }), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `${WS}/${R}/members/${bill}`, { method: 'DELETE' }), 400, 'invalid_request_error');

    // The documented upgrade: listed as workspace_admin.
    const up = await call(emu, `${WS}/${R}/members`, { body: { user_id: bill, workspace_role: 'workspace_admin' } });
    expect(up.body).toEqual({ type: 'workspace_member', user_id: bill, workspace_id: R, workspace_role: 'workspace_admin' });
    expect(await listed(emu)).toContainEqual([bill, 'workspace_admin']);
    expectEnvelope(await call(emu, `${WS}/${R}/members`, { body: { user_id: bill, workspace_role: 'workspace_admin' } }), 400, 'invalid_request_error');
    // Removing the upgrade returns them to implicit billing.
    expect((await call(emu, `${WS}/${R}/members/${bill}`, { method: 'DELETE' })).body.type).toBe('workspace_member_deleted');
    expect(await listed(emu)).not.toContainEqual([bill, expect.anything()]);
    expect((await call(emu, `${WS}/${R}/members/${bill}`)).body.workspace_role).toBe('workspace_billing');

    // The same through update: workspace_admin upgrades, workspace_billing (allowed for billing members only) undoes.
    expect((await call(emu, `${WS}/${R}/members/${bill}`, { body: { workspace_role: 'workspace_admin' } })).body.workspace_role).toBe('workspace_admin');
    expect(await listed(emu)).toContainEqual([bill, 'workspace_admin']);
    expect((await call(emu, `${WS}/${R}/members/${bill}`, { body: { workspace_role: 'workspace_billing' } })).body.workspace_role).toBe('workspace_billing');
    expect(await listed(emu)).not.toContainEqual([bill, expect.anything()]);
  });

  it('a promotion hides explicit memberships; a demotion brings back only the manual ones', async () => {
    const emu = await org();
    const dev = ids(emu, 'dev@acme.com');
    const user = ids(emu, 'user@acme.com');
    const promote = await control(emu, `/users/${dev}/role`, { body: { role: 'admin' } });
    expect(promote.body).toMatchObject({ id: dev, role: 'admin' });
    expect(await listed(emu)).toEqual([]);
    expect((await call(emu, `${WS}/${R}/members/${dev}`)).body.workspace_role).toBe('workspace_admin');
    const state = (await control(emu, '/state')).body;
    expect(state.workspace_members).toContainEqual(
      expect.objectContaining({ user_id: dev, workspace_id: R, workspace_role: 'workspace_developer', hidden: true, email: 'dev@acme.com' }),
    );

    // Demoted (through the API) to user: the manual assignment shows again.
    expect((await call(emu, `/v1/organizations/users/${dev}`, { body: { role: 'developer' } })).status).toBe(400); // admin is keep-only
    await control(emu, '/users/role', { body: { email: 'DEV@acme.com', role: 'user' } });
    expect(await listed(emu)).toEqual([[dev, 'workspace_developer']]);

    // A plain user made billing: implicit billing everywhere, and back: no membership where never assigned.
    expect((await call(emu, `/v1/organizations/users/${user}`, { body: { role: 'billing' } })).status).toBe(200);
    expect((await call(emu, `${WS}/${R}/members/${user}`)).body.workspace_role).toBe('workspace_billing');
    expect((await call(emu, `/v1/organizations/users/${user}`, { body: { role: 'developer' } })).status).toBe(200);
    expectEnvelope(await call(emu, `${WS}/${R}/members/${user}`), 404, 'not_found_error');

    // A billing member's upgrade survives a demotion as an explicit workspace_admin.
    const bill = ids(emu, 'bill@acme.com');
    await call(emu, `${WS}/${R}/members`, { body: { user_id: bill, workspace_role: 'workspace_admin' } });
    await call(emu, `/v1/organizations/users/${bill}`, { body: { role: 'user' } });
    expect(await listed(emu)).toContainEqual([bill, 'workspace_admin']);
  });

  it('the role control endpoint checks its input', async () => {
    const emu = await org();
    expectEnvelope(await control(emu, '/users/user_01NobodyNobodyNobodyNob/role', { body: { role: 'admin' } }), 404, 'not_found_error');
    expectEnvelope(await control(emu, '/users/role', { body: { email: 'nobody@acme.com', role: 'admin' } }), 404, 'not_found_error');
    expectEnvelope(await control(emu, `/users/${ids(emu, 'dev@acme.com')}/role`, { body: { role: 'managed' } }), 400, 'invalid_request_error');
    expectEnvelope(await control(emu, `/users/${ids(emu, 'dev@acme.com')}/role`, { body: {} }), 400, 'invalid_request_error');
    const owner = await control(emu, '/users/role', { body: { email: 'cc@acme.com', role: 'owner' } });
    expect(owner.body.role).toBe('owner');
  });
});

describe('removed users', () => {
  it('lose every workspace membership; a cursor on them still works', async () => {
    const emu = await emulator({
      seed: {
        users: [
          { email: 'a@acme.com', role: 'user' },
          { email: 'b@acme.com', role: 'user' },
          { email: 'c@acme.com', role: 'developer' },
        ],
        workspaces: [{ name: 'One' }, { name: 'Two' }],
        workspace_members: [
          { workspace: 'One', email: 'a@acme.com', role: 'workspace_user' },
          { workspace: 'One', email: 'b@acme.com', role: 'workspace_user' },
          { workspace: 'One', email: 'c@acme.com', role: 'workspace_user' },
          { workspace: 'Two', email: 'b@acme.com', role: 'workspace_admin' },
        ],
      },
    });
    const one = emu.store.workspaces.seededNamed('One')!.id;
    const two = emu.store.workspaces.seededNamed('Two')!.id;
    const b = ids(emu, 'b@acme.com');
    expect((await call(emu, `/v1/organizations/users/${b}`, { method: 'DELETE' })).status).toBe(200);
    expect((await listed(emu, one)).map(([id]) => id)).toEqual([ids(emu, 'c@acme.com'), ids(emu, 'a@acme.com')]);
    expect(await listed(emu, two)).toEqual([]);
    const after = (await call(emu, `${WS}/${one}/members?after_id=${b}`)).body;
    expect(after.data.map((m: { user_id: string }) => m.user_id)).toEqual([ids(emu, 'a@acme.com')]);
    expect((await control(emu, '/state')).body.workspace_members.some((m: { user_id: string }) => m.user_id === b)).toBe(false);
    // Back through an invite: a new member with no memberships.
    await call(emu, '/v1/organizations/invites', { body: { email: 'b@acme.com', role: 'user' } });
    await control(emu, '/invites/accept', { body: { email: 'b@acme.com' } });
    expect((await listed(emu, two))).toEqual([]);
  });
});

describe('pagination over 20,000 memberships in 100 workspaces', () => {
  it('lists each workspace in pages of up to 1000, forward and backward, and only the visible members', async () => {
    const users = Array.from({ length: 2000 }, (_, i) => ({ email: `u${i}@acme.com`, role: i % 100 === 0 ? 'admin' : 'user' }));
    const workspaces = Array.from({ length: 100 }, (_, i) => ({ name: `ws-${i}` }));
    const workspace_members: Array<{ workspace: string; email: string; role: string }> = [];
    // Workspace 0 gets 1,900 members (everyone but a hundred); the rest share 18,100 evenly-ish.
    for (let u = 0; u < 1900; u++) workspace_members.push({ workspace: 'ws-0', email: `u${u}@acme.com`, role: 'workspace_user' });
    for (let n = 0; workspace_members.length < 20_000; n++) {
      const ws = 1 + (n % 99);
      const u = Math.floor(n / 99);
      workspace_members.push({ workspace: `ws-${ws}`, email: `u${u}@acme.com`, role: 'workspace_developer' });
    }
    // No timing assertion (COMMON rules): a quadratic seed or listing would hit the test timeout instead.
    const emu = await emulator({ seed: { users, workspaces, workspace_members } });

    const ws0 = emu.store.workspaces.seededNamed('ws-0')!.id;
    // Forward: newest first = reverse seed order, admins (u0, u100, …) hidden.
    const expected = Array.from({ length: 1900 }, (_, i) => 1899 - i)
      .filter((u) => u % 100 !== 0)
      .map((u) => ids(emu, `u${u}@acme.com`));
    const pages: Array<{ data: Array<{ user_id: string }>; has_more: boolean; first_id: string; last_id: string }> = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const q: string = cursor ? `&after_id=${cursor}` : '';
      const page = (await call(emu, `${WS}/${ws0}/members?limit=1000${q}`)).body;
      pages.push(page);
      expect(page.first_id).toBe(page.data[0]?.user_id ?? null);
      expect(page.last_id).toBe(page.data[page.data.length - 1]?.user_id ?? null);
      if (!page.has_more) break;
      cursor = page.last_id;
    }
    expect(pages.map((p) => p.data.length)).toEqual([1000, 881]);
    expect(pages.flatMap((p) => p.data.map((m) => m.user_id))).toEqual(expected);
    const back = (await call(emu, `${WS}/${ws0}/members?limit=1000&before_id=${pages[1]!.last_id}`)).body;
    expect(back.data.map((m: { user_id: string }) => m.user_id)).toEqual(expected.slice(880, 1880));
    expect(back.has_more).toBe(true);

    // Every workspace, one page each: 20,000 memberships, minus the hidden admins.
    let total = 0;
    const wsPage = (await call(emu, `${WS}?limit=1000`)).body;
    expect(wsPage.data).toHaveLength(100);
    for (const ws of wsPage.data) {
      const page = (await call(emu, `${WS}/${ws.id}/members?limit=1000`)).body;
      total += page.data.length;
      if (ws.id !== ws0) expect(page.has_more).toBe(false);
    }
    const hidden = workspace_members.filter((m) => Number(m.email.slice(1, m.email.indexOf('@'))) % 100 === 0).length;
    expect(total).toBe(1000 + (20_000 - 1900) - (hidden - 19));
  });
});
