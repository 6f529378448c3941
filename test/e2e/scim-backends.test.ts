// The same SCIM scenarios against two directories: the project's emulator (WorkOS-like) and a SCIMMY-based server
// that nobody on this project wrote (issue 4 "Done when"). The Admin API side is the emulator in both cases; with
// SCIMMY there is no directory sync, so the Claude members are seeded as if the sync had run.

import { afterEach, describe, expect, it } from 'vitest';
import type { Seed } from '../../src/emulator/index.js';
import { startScimmyServer, type ScimmyServer } from '../clients/scimmy-server.js';
import { actions, desiredDoc, scenario, seedOf, type Scenario } from './harness.js';

const DIRECTORY = 'dir_backends';
const TOKEN = 'scim-backend-token-0123456789';

interface DirUser { userName: string; active: boolean }
interface DirGroup { displayName: string; externalId?: string; members: string[] }

interface Backend {
  name: string;
  /** starts the org: Claude members (as after a sync) plus a directory holding `users` and `groups` */
  start(users: DirUser[], groups: DirGroup[], doc: Record<string, unknown>): Promise<Scenario>;
  users(s: Scenario): Promise<DirUser[]>;
  groups(s: Scenario): Promise<DirGroup[]>;
  /** the directory sync: active directory users are Claude members, the others are not */
  sync(s: Scenario): Promise<void>;
}

const scimmyServers: ScimmyServer[] = [];
afterEach(async () => {
  await Promise.all(scimmyServers.splice(0).map((x) => x.close()));
});

const claudeMembers = (users: DirUser[]) => users.filter((u) => u.active).map((u) => ({ email: u.userName, role: 'user' }));

const emulatorBackend: Backend = {
  name: 'the emulator directory',
  async start(users, groups, doc) {
    const scim = {
      directory: DIRECTORY, token: TOKEN, synced: true,
      users: users.map((u) => ({ userName: u.userName, active: u.active })),
      groups: groups.map((g) => ({ displayName: g.displayName, ...(g.externalId ? { externalId: g.externalId } : {}), members: g.members })),
    } as unknown as NonNullable<Seed['scim']>;
    return (await scenario(seedOf({ kind: 'enterprise', provisioning: 'scim', scim }), doc)).useEmulatorScim(DIRECTORY, TOKEN);
  },
  async sync(s) {
    await s.sync();
  },
  async users(s) {
    const st = (await s.state()) as unknown as { scim: { users: DirUser[] } };
    return st.scim.users.map((u) => ({ userName: u.userName, active: u.active }));
  },
  async groups(s) {
    const st = (await s.state()) as unknown as { scim: { users: Array<{ id: string; userName: string }>; groups: Array<{ displayName: string; externalId?: string; members: Array<string | { value: string }> }> } };
    const names = new Map(st.scim.users.map((u) => [u.id, u.userName]));
    return st.scim.groups.map((g) => ({
      displayName: g.displayName,
      ...(g.externalId ? { externalId: g.externalId } : {}),
      members: g.members.map((m) => names.get(typeof m === 'string' ? m : m.value) ?? String(m)).sort(),
    }));
  },
};

const scimmyBackend: Backend = {
  name: 'a SCIMMY server',
  async start(users, groups, doc) {
    const server = await startScimmyServer({ directoryKey: DIRECTORY, token: TOKEN, maxResults: 50 });
    scimmyServers.push(server);
    const ids = new Map<string, string>();
    users.forEach((u, i) => {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      ids.set(u.userName, id);
      server.store.users.set(id, { id, userName: u.userName, active: u.active, emails: [{ value: u.userName, type: 'work', primary: true }] });
    });
    groups.forEach((g, i) => {
      const id = `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      server.store.groups.set(id, { id, displayName: g.displayName, ...(g.externalId ? { externalId: g.externalId } : {}), members: g.members.map((m) => ({ value: ids.get(m)! })) });
    });
    const s = await scenario(seedOf({ kind: 'enterprise', provisioning: 'scim', users: claudeMembers(users) }), doc);
    s.extraEnv = { CLAUDE_SCIM_URL: server.url, CLAUDE_SCIM_TOKEN: server.token };
    (s as Scenario & { scimmy?: ScimmyServer }).scimmy = server;
    return s;
  },
  async sync(s) {
    // no sync between SCIMMY and the emulator: the Claude side is reseeded as the sync would leave it
    const users = claudeMembers(await scimmyBackend.users(s));
    await s.control('state', seedOf({ kind: 'enterprise', provisioning: 'scim', users }), 'PUT');
  },
  async users(s) {
    const server = (s as Scenario & { scimmy: ScimmyServer }).scimmy;
    return [...server.store.users.values()].map((u) => ({ userName: u.userName, active: u.active !== false }));
  },
  async groups(s) {
    const server = (s as Scenario & { scimmy: ScimmyServer }).scimmy;
    const names = new Map([...server.store.users.values()].map((u) => [u.id, u.userName]));
    return [...server.store.groups.values()].map((g) => ({
      displayName: g.displayName,
      ...(g.externalId ? { externalId: g.externalId } : {}),
      members: (g.members ?? []).map((m) => names.get(m.value) ?? m.value).sort(),
    }));
  },
};

const scimOrg = (doc: Record<string, unknown>) => desiredDoc(doc, { kind: 'enterprise', provisioning: 'scim' });

describe.each([emulatorBackend, scimmyBackend])('SCIM scenarios against $name', (backend) => {
  it('provisions new people once: created, then pending the directory sync, never created twice', async () => {
    const s = await backend.start([{ userName: 'old@acme.com', active: true }], [], scimOrg({
      members: { 'old@acme.com': 'user', 'ada@acme.com': { role: 'user', name: 'Ada Lovelace' }, 'Bob@acme.com': 'user' },
    }));
    expect(actions((await s.plan()).plan)).toEqual(['create scim_user["Bob@acme.com"]', 'create scim_user["ada@acme.com"]']);
    expect((await s.apply()).code).toBe(0);
    const again = await s.expectConverged();
    expect(again.changes.every((c) => c.action === 'deferred')).toBe(true);
    const users = await backend.users(s);
    expect(users.map((u) => u.userName.toLowerCase()).sort()).toEqual(['ada@acme.com', 'bob@acme.com', 'old@acme.com']);
    expect(users.every((u) => u.active)).toBe(true);
    expect((await s.apply()).code).toBe(0);
    expect(await backend.users(s)).toHaveLength(3);
  });

  it.each(['deactivate', 'delete'] as const)('deprovisions a departed member by %s', async (mode) => {
    const s = await backend.start([{ userName: 'dave@acme.com', active: true }, { userName: 'erin@acme.com', active: true }], [],
      scimOrg({ scim: { deprovision: mode }, members: { 'erin@acme.com': 'user' }, departed: { 'dave@acme.com': null } }));
    expect(actions((await s.plan()).plan)).toEqual([`${mode === 'delete' ? 'delete' : 'update'} scim_user["dave@acme.com"]`]);
    expect((await s.apply()).code).toBe(0);
    // until the directory sync removes the member, dave keeps access: not "no drift" (issue 12)
    const waiting = await s.plan(['--detailed-exitcode']);
    expect(waiting.code).toBe(2);
    // deactivated: removed at the next sync; deleted: the planner cannot tell a just-deleted SCIM user from a member
    // who was never in the directory, so a person is asked to check (the reason names the sync)
    expect(waiting.plan.access_remains).toMatchObject([{ email: 'dave@acme.com', state: mode === 'delete' ? 'manual' : 'deferred' }]);
    await backend.sync(s);
    await s.expectConverged();
    const dave = (await backend.users(s)).find((u) => u.userName === 'dave@acme.com');
    if (mode === 'delete') expect(dave).toBeUndefined();
    else expect(dave).toEqual({ userName: 'dave@acme.com', active: false });
  });

  it('reactivates a deactivated SCIM user who is declared again', async () => {
    const s = await backend.start([{ userName: 'back@acme.com', active: false }], [], scimOrg({ members: { 'back@acme.com': 'user' } }));
    expect(actions((await s.plan()).plan)).toEqual(['update scim_user["back@acme.com"]']);
    expect((await s.apply()).code).toBe(0);
    await s.expectConverged();
    expect(await backend.users(s)).toEqual([{ userName: 'back@acme.com', active: true }]);
  });

  it('reconciles SCIM groups: create, add, remove, rename by external_id', async () => {
    const users = ['a@acme.com', 'b@acme.com', 'c@acme.com'].map((userName) => ({ userName, active: true }));
    const s = await backend.start(users, [{ displayName: 'Engineering', externalId: 'eng', members: ['a@acme.com', 'c@acme.com'] }], scimOrg({
      members: { 'a@acme.com': 'user', 'b@acme.com': 'user', 'c@acme.com': 'user' },
      scim: { groups: { 'Eng Team': { external_id: 'eng', members: ['a@acme.com', 'b@acme.com'] }, Design: { members: ['c@acme.com'] } } },
    }));
    expect(actions((await s.plan()).plan)).toEqual([
      'create scim_group["Design"]',
      'update scim_group["Eng Team"]',
      'create scim_group_member["Design/c@acme.com"]',
      'create scim_group_member["Eng Team/b@acme.com"]',
      'delete scim_group_member["Eng Team/c@acme.com"]',
    ]);
    expect((await s.apply()).code).toBe(0);
    await s.expectConverged();
    const groups = (await backend.groups(s)).sort((x, y) => x.displayName.localeCompare(y.displayName));
    expect(groups).toEqual([
      { displayName: 'Design', members: ['c@acme.com'] },
      { displayName: 'Eng Team', externalId: 'eng', members: ['a@acme.com', 'b@acme.com'] },
    ]);
  });
});
