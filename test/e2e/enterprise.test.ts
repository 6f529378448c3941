// End-to-end (issue 4): an enterprise org driven through both engines, the Admin API (members, RBAC groups) and
// the SCIM directory (users, groups), each with its own credential. Every scenario ends with an empty re-plan after
// the directory sync has run.

import { describe, expect, it } from 'vitest';
import { ADMIN_KEY, actions, desiredDoc, scenario, seedOf, type Scenario } from './harness.js';
import type { Seed } from '../../src/emulator/index.js';

const DIRECTORY = 'dir_e2e_acme';
const TOKEN = 'scim-e2e-token-0123456789abcdef';
const ENTERPRISE = { kind: 'enterprise' } as const;

type ScimState = { scim: { users: Array<{ userName: string; active: boolean; id: string }>; groups: Array<{ displayName: string; members: string[] }> } };

function scimSeed(extra: Partial<NonNullable<Seed['scim']>> = {}): NonNullable<Seed['scim']> {
  return { directory: DIRECTORY, token: TOKEN, ...extra } as NonNullable<Seed['scim']>;
}

async function scimState(s: Scenario): Promise<ScimState['scim']> {
  return ((await s.state()) as unknown as ScimState).scim;
}

/** apply, run the directory sync, and require an empty re-plan */
async function applySyncConverge(s: Scenario, rounds = 2): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    const out = await s.apply();
    expect(out.code, out.stdout + out.stderr).toBe(0);
    await s.sync();
  }
  await s.expectConverged();
}

describe('e2e: SCIM provisioning (enterprise, provisioning scim)', () => {
  it('new people get SCIM users, join at the sync, then get their declared role', async () => {
    const s = (await scenario(
      seedOf({ kind: 'enterprise', provisioning: 'scim', users: [{ email: 'owner@acme.com', role: 'primary_owner' }], scim: scimSeed() }),
      desiredDoc({ members: { 'owner@acme.com': 'primary_owner', 'ada@acme.com': { role: 'managed', name: 'Ada Lovelace' }, 'bob@acme.com': 'user' } }, { kind: 'enterprise', provisioning: 'scim' }),
    )).useEmulatorScim(DIRECTORY, TOKEN);
    const first = await s.plan();
    expect(actions(first.plan)).toEqual(['create scim_user["ada@acme.com"]', 'create scim_user["bob@acme.com"]']);
    expect((await s.apply()).code).toBe(0);

    // written to the directory, not yet members: pending directory sync, never created twice
    const waiting = await s.expectConverged();
    expect(actions(waiting)).toEqual(['deferred member["ada@acme.com"]', 'deferred member["bob@acme.com"]']);
    const ada = (await scimState(s)).users.find((u) => u.userName === 'ada@acme.com');
    expect(ada?.active).toBe(true);

    await s.sync();
    const after = await s.plan();
    expect(actions(after.plan)).toEqual(['update member["ada@acme.com"]']); // synced as user, declared managed
    await applySyncConverge(s, 1);
    const roles = Object.fromEntries((await s.state()).users.map((u) => [u.email, u.role]));
    expect(roles).toMatchObject({ 'ada@acme.com': 'managed', 'bob@acme.com': 'user' });
  });

  it.each(['deactivate', 'delete'] as const)('deprovisioning by %s removes the member at the next sync', async (mode) => {
    const s = (await scenario(
      seedOf({ kind: 'enterprise', provisioning: 'scim', scim: scimSeed({ users: [{ userName: 'dave@acme.com' }, { userName: 'erin@acme.com' }], synced: true }) }),
      desiredDoc({ scim: { deprovision: mode }, members: { 'erin@acme.com': 'user' }, departed: { 'dave@acme.com': { reason: 'left' } } }, { kind: 'enterprise', provisioning: 'scim' }),
    )).useEmulatorScim(DIRECTORY, TOKEN);
    expect((await s.state()).users.map((u) => u.email).sort()).toEqual(['dave@acme.com', 'erin@acme.com']);
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual([`${mode === 'delete' ? 'delete' : 'update'} scim_user["dave@acme.com"]`]);
    expect(plan.changes[0]!.removal).toBe(true);
    await applySyncConverge(s, 1);
    expect((await s.state()).users.map((u) => u.email)).toEqual(['erin@acme.com']);
    const dave = (await scimState(s)).users.find((u) => u.userName === 'dave@acme.com');
    if (mode === 'delete') expect(dave).toBeUndefined();
    else expect(dave?.active).toBe(false);
  });

  it('a deactivated SCIM user who is declared again is reactivated and rejoins', async () => {
    const s = (await scenario(
      seedOf({ kind: 'enterprise', provisioning: 'scim', scim: scimSeed({ users: [{ userName: 'back@acme.com', active: false }] }) }),
      desiredDoc({ members: { 'back@acme.com': 'user' } }, { kind: 'enterprise', provisioning: 'scim' }),
    )).useEmulatorScim(DIRECTORY, TOKEN);
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual(['update scim_user["back@acme.com"]']);
    expect(plan.changes[0]!.after).toMatchObject({ active: true });
    await applySyncConverge(s, 1);
    expect((await s.state()).users.map((u) => u.email)).toEqual(['back@acme.com']);
  });
});

describe('e2e: groups', () => {
  it('SCIM groups: created, members added and removed, renamed by external_id; they sync into scim-sourced RBAC groups', async () => {
    const s = (await scenario(
      seedOf({
        kind: 'enterprise', provisioning: 'scim',
        scim: scimSeed({
          users: [{ userName: 'a@acme.com' }, { userName: 'b@acme.com' }, { userName: 'c@acme.com' }],
          groups: [{ displayName: 'Engineering', externalId: 'eng', members: ['a@acme.com', 'c@acme.com'] }],
          synced: true,
        }),
      }),
      desiredDoc({
        members: { 'a@acme.com': 'user', 'b@acme.com': 'user', 'c@acme.com': 'user', 'n@acme.com': 'user' },
        scim: { groups: { 'Eng Team': { external_id: 'eng', members: ['a@acme.com', 'b@acme.com', 'n@acme.com'] }, Design: { members: ['c@acme.com'] } } },
      }, { kind: 'enterprise', provisioning: 'scim' }),
    )).useEmulatorScim(DIRECTORY, TOKEN);
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual([
      'create scim_user["n@acme.com"]',
      'create scim_group["Design"]',
      'update scim_group["Eng Team"]',
      'create scim_group_member["Design/c@acme.com"]',
      'create scim_group_member["Eng Team/b@acme.com"]',
      'create scim_group_member["Eng Team/n@acme.com"]',
      'delete scim_group_member["Eng Team/c@acme.com"]',
    ]);
    await applySyncConverge(s);
    const groups = ((await s.state()) as unknown as { rbac_groups: Array<{ name: string; source_type: string; members: Array<{ email: string }> | string[] }> }).rbac_groups;
    const eng = groups.find((g) => g.name === 'Eng Team');
    expect(eng?.source_type).toBe('scim');
    expect(groups.find((g) => g.name === 'Design')?.source_type).toBe('scim');
  });

  it('direct RBAC groups through the Admin API: created, renamed, members added and removed, invitees deferred', async () => {
    const s = await scenario(
      seedOf({
        ...ENTERPRISE,
        users: [{ email: 'a@acme.com', role: 'user' }, { email: 'b@acme.com', role: 'user' }],
        rbac_groups: [{ name: 'Old Platform', members: ['b@acme.com'] }],
      }),
      desiredDoc({
        members: { 'a@acme.com': 'user', 'b@acme.com': 'user', 'n@acme.com': 'user' },
        groups: { Platform: { renamed_from: 'Old Platform', members: ['a@acme.com', 'n@acme.com'] }, Security: { members: ['b@acme.com'] } },
      }, { kind: 'enterprise' }),
    );
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual([
      'create invite["n@acme.com"]',
      'update group["Platform"]',
      'create group["Security"]',
      'create group_member["Platform/a@acme.com"]',
      'deferred group_member["Platform/n@acme.com"]',
      'create group_member["Security/b@acme.com"]',
      'delete group_member["Platform/b@acme.com"]',
    ]);
    expect((await s.apply()).code).toBe(0);
    await s.expectConverged();
    await s.control('invites/accept', { email: 'n@acme.com' });
    expect(actions((await s.plan()).plan)).toEqual(['create group_member["Platform/n@acme.com"]']);
    expect((await s.apply()).code).toBe(0);
    expect((await s.expectConverged()).changes).toEqual([]);
  });

  it('a SCIM-sourced group declared under groups is refused with a pointer to scim.groups', async () => {
    const s = (await scenario(
      seedOf({ kind: 'enterprise', provisioning: 'scim', scim: scimSeed({ users: [{ userName: 'a@acme.com' }], groups: [{ displayName: 'Engineering', members: ['a@acme.com'] }], synced: true }) }),
      desiredDoc({ members: { 'a@acme.com': 'user' }, groups: { Engineering: { members: ['a@acme.com'] } } }, { kind: 'enterprise', provisioning: 'scim' }),
    )).useEmulatorScim(DIRECTORY, TOKEN);
    const { plan, code } = await s.plan();
    expect(code).toBe(1);
    expect(plan.diagnostics.find((d) => d.code === 'scim_group_under_groups')?.message).toContain('scim.groups');
    expect((await s.apply()).code).toBe(1);
  });
});

describe('e2e: the Enterprise gate', () => {
  const doc = desiredDoc({
    members: { 'a@acme.com': 'managed', 'n@acme.com': 'user' },
    groups: { Platform: { members: ['a@acme.com'] } },
    scim: { groups: { Engineering: { members: ['a@acme.com'] } } },
  }, { kind: 'enterprise' });

  it('a key without the group scopes: group changes are unavailable naming the scope; member changes apply', async () => {
    // managed → user: granting managed would need write:rbac_groups too (next test)
    const seed = seedOf({ ...ENTERPRISE, users: [{ email: 'a@acme.com', role: 'managed' }] });
    seed.admin_keys = [{ key: ADMIN_KEY, name: 'members-only', scopes: ['read:members', 'write:members'] }];
    const s = await scenario(seed, desiredDoc({ members: { 'a@acme.com': 'user' }, groups: { Platform: { members: ['a@acme.com'] } } }, { kind: 'enterprise' }));
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual(['update member["a@acme.com"]', 'unavailable group["Platform"]']);
    expect(plan.changes[1]!.reason).toContain('read:rbac_groups');
    expect((await s.apply()).code).toBe(0);
    expect((await s.state()).users[0]!.role).toBe('user');
    await s.expectConverged([], { drift: ['group["Platform"]'] }); // unavailable: no group scopes
  });

  it('granting managed needs write:rbac_groups as well: the plan says so, and a members-only key gets the 403 naming both', async () => {
    const seed = seedOf({ ...ENTERPRISE, users: [{ email: 'a@acme.com', role: 'user' }, { email: 'b@acme.com', role: 'user' }] });
    seed.admin_keys = [{ key: ADMIN_KEY, name: 'members-only', scopes: ['read:members', 'write:members', 'read:rbac_groups'] }];
    const s = await scenario(seed, desiredDoc({ members: { 'a@acme.com': 'managed', 'b@acme.com': 'user' } }, { kind: 'enterprise' }));
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual(['update member["a@acme.com"]']);
    expect(plan.diagnostics.find((d) => d.code === 'managed_needs_rbac_scope')!.message).toContain('needs the scope write:rbac_groups in addition to write:members');
    expect((await s.run(['plan'])).stdout).toContain('needs write:rbac_groups');
    const out = await s.apply();
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/FAILED .*member\["a@acme.com"\].*403 permission_error/);
    expect(out.stdout).toContain('write:rbac_groups');
    expect((await s.state()).users.find((u) => u.email === 'a@acme.com')!.role).toBe('user');
  });

  it('no SCIM directory configured: every SCIM change is unavailable with one diagnostic; the Admin API changes apply', async () => {
    const s = await scenario(seedOf({ ...ENTERPRISE, users: [{ email: 'a@acme.com', role: 'user' }] }), doc);
    const { plan } = await s.plan();
    expect(actions(plan)).toEqual(['create invite["n@acme.com"]', 'update member["a@acme.com"]', 'create group["Platform"]', 'unavailable scim_group["Engineering"]', 'create group_member["Platform/a@acme.com"]']);
    const gate = plan.diagnostics.filter((d) => d.code === 'scim_unavailable');
    expect(gate).toHaveLength(1);
    expect(gate[0]!.message).toContain('CLAUDE_SCIM_URL');
    expect((await s.apply()).code).toBe(0);
    await s.expectConverged([], { drift: ['scim_group["Engineering"]'] }); // unavailable until a directory is configured
  });

  it('a directory that answers 403: SCIM changes unavailable, the plan still applies its Admin API changes', async () => {
    const s = (await scenario(seedOf({ ...ENTERPRISE, users: [{ email: 'a@acme.com', role: 'user' }], scim: scimSeed({ forbidden: true }) }), doc))
      .useEmulatorScim(DIRECTORY, TOKEN);
    const { plan } = await s.plan();
    expect(plan.changes.find((c) => c.kind === 'scim_group')?.action).toBe('unavailable');
    expect(plan.diagnostics.find((d) => d.code === 'scim_unavailable')?.message).toContain('403');
    const out = await s.apply();
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('4 applied, 0 failed');
    await s.expectConverged([], { drift: ['scim_group["Engineering"]'] });
  });

  it('a wrong SCIM token (401): unavailable, and the token never appears in any output', async () => {
    const s = (await scenario(seedOf({ ...ENTERPRISE, scim: scimSeed() }), doc)).useEmulatorScim(DIRECTORY, 'scim-wrong-token-zzzzzzzzzzzz');
    const out = await s.run(['plan']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('401');
    expect(out.stdout + out.stderr).not.toContain('scim-wrong-token-zzzzzzzzzzzz');
  });
});
