// The two shape sets (api-version.ts, render.ts): 2023-06-01 keeps the August shapes, 2026-10-21 serves the SDK
// 1.17.0 shapes. Every object whose shape differs is read in both versions from the same state.

import { describe, expect, it } from 'vitest';
import { BUILT_IN_ROLE_IDS, grantsOwnerAccess, validateSeed, SeedError } from '../../src/emulator/index.js';
import { call, control, emulator, expectEnvelope } from './helpers.js';

const NEW = { 'anthropic-version': '2026-10-21' };
const OLD = { 'anthropic-version': '2023-06-01' };

async function enterprise() {
  return emulator({
    seed: {
      organization: { kind: 'enterprise' },
      users: [
        { email: 'ana@acme.com', role: 'primary_owner' },
        { email: 'ben@acme.com', role: 'user' },
        { email: 'cy@acme.com', role: 'user' },
      ],
      rbac_roles: [{ id: 'rbac_role_01Custom', display_name: 'Custom' }],
      rbac_groups: [
        { id: 'rbac_group_01Eng', name: 'Eng', role_ids: ['rbac_role_01Custom'], members: ['ben@acme.com', 'cy@acme.com'] },
        { id: 'rbac_group_01Own', name: 'Own', roles: [BUILT_IN_ROLE_IDS.owner], members: ['ana@acme.com'] },
      ],
    },
  });
}

describe('RBAC groups in both versions', () => {
  it('group: roles (2023-06-01) vs role_ids (2026-10-21); token page has_more only in the old one', async () => {
    const emu = await enterprise();
    const oldPage = await call(emu, '/v1/organizations/rbac_groups?limit=1', { headers: OLD });
    expect(Object.keys(oldPage.body).sort()).toEqual(['data', 'has_more', 'next_page']);
    expect(oldPage.body.has_more).toBe(true);
    expect(oldPage.body.data[0]).toMatchObject({ roles: ['rbac_role_01Custom'] });
    expect(oldPage.body.data[0]).not.toHaveProperty('role_ids');
    const newPage = await call(emu, '/v1/organizations/rbac_groups?limit=1', { headers: NEW });
    expect(Object.keys(newPage.body).sort()).toEqual(['data', 'next_page']);
    expect(newPage.body.next_page).toEqual(expect.any(String));
    expect(newPage.body.data[0]).toMatchObject({ role_ids: ['rbac_role_01Custom'] });
    expect(newPage.body.data[0]).not.toHaveProperty('roles');
    // A token from one version works in the other: the cursor is the same.
    const rest = await call(emu, `/v1/organizations/rbac_groups?page=${oldPage.body.next_page}`, { headers: NEW });
    expect(rest.body.data.map((g: { id: string }) => g.id)).toEqual(['rbac_group_01Own']);
    expect(rest.body.next_page).toBeNull();
  });

  it('member and removed member: group_id (old) vs rbac_group_id (new)', async () => {
    const emu = await enterprise();
    const ben = emu.store.userByEmail('ben@acme.com')!;
    const ana = emu.store.userByEmail('ana@acme.com')!;
    const oldList = await call(emu, '/v1/organizations/rbac_groups/rbac_group_01Eng/members', { headers: OLD });
    expect(oldList.body.data[0]).toEqual({ type: 'rbac_group_member', group_id: 'rbac_group_01Eng', user_id: ben.id, email: 'ben@acme.com', created_at: expect.any(String) });
    const newList = await call(emu, '/v1/organizations/rbac_groups/rbac_group_01Eng/members', { headers: NEW });
    expect(newList.body.data[0]).toEqual({ type: 'rbac_group_member', rbac_group_id: 'rbac_group_01Eng', user_id: ben.id, email: 'ben@acme.com', created_at: expect.any(String) });
    const gone = await call(emu, `/v1/organizations/rbac_groups/rbac_group_01Eng/members/${ben.id}`, { method: 'DELETE', headers: NEW });
    expect(gone.body).toEqual({ type: 'rbac_group_member_deleted', rbac_group_id: 'rbac_group_01Eng', user_id: ben.id });
    const added = await call(emu, '/v1/organizations/rbac_groups/rbac_group_01Eng/members', { body: { user_id: ben.id }, headers: OLD });
    expect(added.body).toMatchObject({ group_id: 'rbac_group_01Eng', user_id: ben.id });
    const goneOld = await call(emu, `/v1/organizations/rbac_groups/rbac_group_01Eng/members/${ben.id}`, { method: 'DELETE', headers: OLD });
    expect(goneOld.body).toEqual({ type: 'rbac_group_member_deleted', group_id: 'rbac_group_01Eng', user_id: ben.id });
    // Owner access: refused with a code in 2026-10-21, with a bare type in 2023-06-01.
    const refusedNew = await call(emu, `/v1/organizations/rbac_groups/rbac_group_01Own/members/${ana.id}`, { method: 'DELETE', headers: NEW });
    expectEnvelope(refusedNew, 400, 'invalid_request_error');
    expect(refusedNew.body.error.details).toEqual({ error_code: 'rbac_group_grants_owner_access' });
    const refusedOld = await call(emu, `/v1/organizations/rbac_groups/rbac_group_01Own/members/${ana.id}`, { method: 'DELETE', headers: OLD });
    expectEnvelope(refusedOld, 400, 'invalid_request_error');
    expect(refusedOld.body.error).not.toHaveProperty('details');
    expect(emu.store.groups.isMember('rbac_group_01Own', ana.id)).toBe(true);
  });

  it('an empty member page that is not the last: next_page set, data []', async () => {
    const emu = await enterprise();
    const ben = emu.store.userByEmail('ben@acme.com')!;
    expect((await call(emu, `/v1/organizations/users/${ben.id}`, { method: 'DELETE', headers: NEW })).status).toBe(200);
    const first = await call(emu, '/v1/organizations/rbac_groups/rbac_group_01Eng/members?limit=1', { headers: NEW });
    expect(first.body).toEqual({ data: [], next_page: expect.any(String) });
    const second = await call(emu, `/v1/organizations/rbac_groups/rbac_group_01Eng/members?limit=1&page=${first.body.next_page}`, { headers: NEW });
    expect(second.body.data.map((m: { email: string }) => m.email)).toEqual(['cy@acme.com']);
    expect(second.body.next_page).toBeNull();
  });
});

describe('RBAC roles', () => {
  it('role: name (old) vs display_name and source (new); built-ins and seeded roles; owner access from the role data', async () => {
    const emu = await enterprise();
    const oldRole = await call(emu, `/v1/organizations/rbac_roles/${BUILT_IN_ROLE_IDS.owner}`, { headers: OLD });
    expect(oldRole.body).toEqual({ type: 'rbac_role', id: BUILT_IN_ROLE_IDS.owner, name: 'Owner', created_at: expect.any(String), updated_at: expect.any(String) });
    const newRole = await call(emu, `/v1/organizations/rbac_roles/${BUILT_IN_ROLE_IDS.owner}`, { headers: NEW });
    expect(newRole.body).toEqual({
      type: 'rbac_role',
      id: BUILT_IN_ROLE_IDS.owner,
      display_name: 'Owner',
      source: { type: 'built_in' },
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const list = await call(emu, '/v1/organizations/rbac_roles', { headers: NEW });
    expect(list.body.data.map((r: { display_name: string }) => r.display_name)).toEqual(['Owner', 'Admin', 'Member', 'Custom']);
    expect(grantsOwnerAccess(emu.store.roles.get(BUILT_IN_ROLE_IDS.owner)!)).toBe(true);
    expect(grantsOwnerAccess(emu.store.roles.get(BUILT_IN_ROLE_IDS.admin)!)).toBe(false);
    expect(grantsOwnerAccess(emu.store.roles.get('rbac_role_01Custom')!)).toBe(false);
  });

  it('codes: rbac_role_not_found (404), organization_type_not_supported (400) on a Console org; read:members scope', async () => {
    const emu = await enterprise();
    const missing = await call(emu, '/v1/organizations/rbac_roles/rbac_role_01Nope/permissions', { headers: NEW });
    expectEnvelope(missing, 404, 'not_found_error');
    expect(missing.body.error.details).toEqual({ error_code: 'rbac_role_not_found' });
    const consoleEmu = await emulator();
    const refused = await call(consoleEmu, '/v1/organizations/rbac_roles', { headers: NEW });
    expectEnvelope(refused, 400, 'invalid_request_error');
    expect(refused.body.error.details).toEqual({ error_code: 'organization_type_not_supported' });
    const scoped = await emulator({
      seed: { organization: { kind: 'enterprise' }, admin_keys: [{ key: 'Wq3Zk8Rv1Tb6', scopes: ['read:rbac_groups'] }] },
    });
    expectEnvelope(await call(scoped, '/v1/organizations/rbac_roles', { key: 'Wq3Zk8Rv1Tb6', headers: NEW }), 403, 'permission_error');
  });

  it('a legacy seed naming an undeclared role id in `roles` still loads (the role becomes a custom one)', async () => {
    const emu = await emulator({
      seed: { organization: { kind: 'enterprise' }, users: [{ email: 'a@acme.com', role: 'user' }], rbac_groups: [{ name: 'G', roles: ['rbac_role_01Legacy'] }] },
    });
    const role = await call(emu, '/v1/organizations/rbac_roles/rbac_role_01Legacy', { headers: NEW });
    expect(role.body).toMatchObject({ display_name: 'rbac_role_01Legacy', source: { type: 'custom' } });
  });

  it('seed checks: rbac_roles fields, unknown role ids once rbac_roles is declared, roles and role_ids together', () => {
    const problems = (seed: unknown): string[] => {
      try {
        validateSeed(seed, 'test');
        return [];
      } catch (e) {
        return (e as SeedError).problems;
      }
    };
    const found = problems({
      organization: { kind: 'enterprise' },
      rbac_roles: [
        { display_name: 'X', id: BUILT_IN_ROLE_IDS.owner },
        { display_name: '', owner_access: 'yes', source: 'built_in', colour: 'red' },
        { display_name: 'P', permissions: [{ action: 'use', resource: { type: 'connector_tool', connector_id: 'c1' } }] },
      ],
      rbac_groups: [
        { name: 'G', role_ids: ['rbac_role_01Unknown'] },
        { name: 'H', roles: [BUILT_IN_ROLE_IDS.member], role_ids: [BUILT_IN_ROLE_IDS.member] },
      ],
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rbac_roles\[0\]\.id: duplicate id/),
        expect.stringMatching(/^rbac_roles\[1\]\.display_name:/),
        expect.stringMatching(/^rbac_roles\[1\]\.owner_access: must be a boolean/),
        expect.stringMatching(/^rbac_roles\[1\]\.source:/),
        expect.stringMatching(/^rbac_roles\[1\]\.colour: unknown field/),
        expect.stringMatching(/^rbac_roles\[2\]\.permissions\[0\]\.resource\.tool_name:/),
        expect.stringMatching(/^rbac_groups\[0\]\.role_ids\[0\]: 'rbac_role_01Unknown'/),
        expect.stringMatching(/^rbac_groups\[1\]\.role_ids: give roles or role_ids/),
      ]),
    );
    expect(problems({ organization: { kind: 'console' }, rbac_roles: [{ display_name: 'X' }] })).toEqual([
      expect.stringMatching(/^rbac_roles: RBAC roles exist only in enterprise/),
    ]);
  });
});

describe('Console objects in both versions', () => {
  async function consoleOrg() {
    return emulator({
      seed: {
        users: [{ email: 'dev@acme.com', role: 'developer' }],
        workspaces: [{ name: 'W1' }],
        api_keys: [{ name: 'k1', created_by: 'dev@acme.com' }, { name: 'k2', workspace: 'W1' }],
      },
    });
  }

  it('API key: workspace_id only in 2023-06-01 (null for the Default Workspace); scope in both', async () => {
    const emu = await consoleOrg();
    const def = emu.store.workspaces.defaultWorkspace.id;
    const oldKeys = (await call(emu, '/v1/organizations/api_keys', { headers: OLD })).body.data;
    const newKeys = (await call(emu, '/v1/organizations/api_keys', { headers: NEW })).body.data;
    const oldK1 = oldKeys.find((k: { name: string }) => k.name === 'k1');
    expect(oldK1).toMatchObject({ workspace_id: null, scope: { type: 'workspace', workspace_id: def } });
    for (const k of newKeys) expect(k).not.toHaveProperty('workspace_id');
    const newK1 = newKeys.find((k: { name: string }) => k.name === 'k1');
    expect(newK1.scope).toEqual({ type: 'workspace', workspace_id: def });
    expect(Object.keys(newK1).sort()).toEqual(
      ['created_at', 'created_by', 'expires_at', 'id', 'name', 'partial_key_hint', 'principal', 'scope', 'status', 'type'],
    );
  });

  it('principal-bound keys: principal and the organization scope in both versions (legacy workspace_id null); seed checks', async () => {
    const emu = await emulator({
      seed: {
        users: [{ email: 'dev@acme.com', role: 'developer' }],
        api_keys: [{ name: 'ko', principal_user: 'dev@acme.com', organization_scope: true }],
      },
    });
    const dev = emu.store.userByEmail('dev@acme.com')!;
    const [newKey] = (await call(emu, '/v1/organizations/api_keys', { headers: NEW })).body.data;
    expect(newKey).toMatchObject({ scope: { type: 'organization' }, principal: { type: 'user_actor', user_id: dev.id } });
    const [oldKey] = (await call(emu, '/v1/organizations/api_keys', { headers: OLD })).body.data;
    expect(oldKey).toMatchObject({ workspace_id: null, scope: { type: 'organization' } });
    const def = emu.store.workspaces.defaultWorkspace.id;
    expect((await call(emu, `/v1/organizations/api_keys?workspace_id=${def}`, { headers: NEW })).body.data).toEqual([]);
    let problems: string[] = [];
    try {
      validateSeed({ users: [{ email: 'a@acme.com', role: 'user' }], api_keys: [
        { name: 'x', organization_scope: true },
        { name: 'y', principal_user: 'nobody@acme.com' },
        { name: 'z', principal_user: 'a@acme.com', principal_service_account_id: 'svac_01Ab3' },
      ] }, 'test');
    } catch (e) {
      problems = (e as SeedError).problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/^api_keys\[0\]\.organization_scope: only a principal-bound key/),
      expect.stringMatching(/^api_keys\[1\]\.principal_user: 'nobody@acme.com' is not a seeded user/),
      expect.stringMatching(/^api_keys\[2\]: give one of principal_user, principal_service_account, principal_service_account_id/),
    ]);
  });

  it('workspace: user_profile_id only in 2026-10-21; create and update accept it; ids[] filter, at most 100', async () => {
    const emu = await consoleOrg();
    const created = await call(emu, '/v1/organizations/workspaces', { body: { name: 'W2', user_profile_id: 'uprof_01Ab' }, headers: NEW });
    expect(created.body.user_profile_id).toBe('uprof_01Ab');
    const oldRead = await call(emu, `/v1/organizations/workspaces/${created.body.id}`, { headers: OLD });
    expect(oldRead.body).not.toHaveProperty('user_profile_id');
    const w1 = emu.store.workspaces.seededNamed('W1')!;
    const set = await call(emu, `/v1/organizations/workspaces/${w1.id}`, { body: { user_profile_id: 'uprof_01Cd' }, headers: NEW });
    expect(set.body.user_profile_id).toBe('uprof_01Cd');
    const same = await call(emu, `/v1/organizations/workspaces/${w1.id}`, { body: { user_profile_id: 'uprof_01Cd' }, headers: NEW });
    expect(same.status).toBe(200);
    expectEnvelope(await call(emu, `/v1/organizations/workspaces/${w1.id}`, { body: { user_profile_id: 'uprof_01Ef' }, headers: NEW }), 400, 'invalid_request_error');
    const def = emu.store.workspaces.defaultWorkspace.id;
    expectEnvelope(await call(emu, `/v1/organizations/workspaces/${def}`, { body: { user_profile_id: 'uprof_01Gh' }, headers: NEW }), 400, 'invalid_request_error');
    const picked = await call(emu, `/v1/organizations/workspaces?ids[]=${w1.id}&ids[]=${def}`, { headers: NEW });
    expect(picked.body.data.map((w: { id: string }) => w.id)).toEqual([w1.id]);
    const withDefault = await call(emu, `/v1/organizations/workspaces?ids[]=${w1.id}&ids[]=${def}&include_default=true`, { headers: NEW });
    expect(withDefault.body.data.map((w: { id: string }) => w.id).sort()).toEqual([w1.id, def].sort());
    const many = Array.from({ length: 101 }, (_, i) => `ids[]=wrkspc_01N${i}`).join('&');
    expect(expectEnvelope(await call(emu, `/v1/organizations/workspaces?${many}`, { headers: NEW }), 400, 'invalid_request_error')).toContain('at most 100');
    const hundred = Array.from({ length: 100 }, (_, i) => `ids[]=wrkspc_01N${i}`).join('&');
    expect((await call(emu, `/v1/organizations/workspaces?${hundred}`, { headers: NEW })).body.data).toEqual([]);
  });

  it('invite codes in 2026-10-21 only; the last member cannot be removed', async () => {
    const emu = await consoleOrg();
    const dup = await call(emu, '/v1/organizations/invites', { body: { email: 'dev@acme.com', role: 'user' }, headers: NEW });
    expect(dup.body.error.details).toEqual({ error_code: 'already_member' });
    const dupOld = await call(emu, '/v1/organizations/invites', { body: { email: 'dev@acme.com', role: 'user' }, headers: OLD });
    expectEnvelope(dupOld, 400, 'invalid_request_error');
    expect(dupOld.body.error.details).toBeUndefined();
    const dev = emu.store.userByEmail('dev@acme.com')!;
    const last = await call(emu, `/v1/organizations/users/${dev.id}`, { method: 'DELETE', headers: NEW });
    expectEnvelope(last, 400, 'invalid_request_error');
    expect(last.body.error.details).toEqual({ error_code: 'cannot_remove_last_member' });
    expect(emu.store.user(dev.id)).toBeDefined();
  });

  it('an unknown version is refused; 2023-01-01 gets the legacy shapes', async () => {
    const emu = await consoleOrg();
    expectEnvelope(await call(emu, '/v1/organizations/api_keys', { headers: { 'anthropic-version': '2026-10-22' } }), 400, 'invalid_request_error');
    const legacy = await call(emu, '/v1/organizations/api_keys', { headers: { 'anthropic-version': '2023-01-01' } });
    expect(legacy.body.data[0]).toHaveProperty('workspace_id');
  });
});

describe('fault specs: error_code, details, carry_out', () => {
  it('validates the new fields like the others', async () => {
    const emu = await emulator();
    for (const [spec, wanted] of [
      [{ status: 503, error_code: '' }, 'error_code: must be a non-empty string'],
      [{ status: 503, details: { a: 1 } }, 'details: needs error_code'],
      [{ status: 503, error_code: 'x', details: [1] }, 'details: must be a JSON object'],
      [{ carry_out: true, delay_ms: 1 }, 'carry_out: needs a status from 400 to 599'],
      [{ status: 503, carry_out: true, body: 'html' }, 'carry_out: cannot be combined with body or reset'],
      [{ status: 503, carry_out: 'yes' }, 'carry_out: must be a boolean'],
      [{ status: 503, errorcode: 'x' }, 'errorcode: unknown field'],
    ] as const) {
      const res = await control(emu, '/faults', { body: spec });
      expect(expectEnvelope(res, 400, 'invalid_request_error')).toContain(wanted);
    }
  });

  it('an injected code and details reach the client whatever the version; carry_out runs the request first', async () => {
    const emu = await emulator({ seed: { users: [{ email: 'a@acme.com', role: 'user' }, { email: 'b@acme.com', role: 'user' }] } });
    const b = emu.store.userByEmail('b@acme.com')!;
    await control(emu, '/faults', {
      body: { method: 'DELETE', path: `/v1/organizations/users/${b.id}`, status: 409, error_code: 'concurrent_membership_change', details: { hint: 1 } },
    });
    const conflict = await call(emu, `/v1/organizations/users/${b.id}`, { method: 'DELETE', headers: OLD });
    expectEnvelope(conflict, 409, 'conflict_error');
    expect(conflict.body.error.details).toEqual({ hint: 1, error_code: 'concurrent_membership_change' });
    expect(emu.store.user(b.id)).toBeDefined();
    await control(emu, '/faults', { body: { method: 'DELETE', path: `/v1/organizations/users/${b.id}`, status: 503, error_code: 'change_outcome_unknown', carry_out: true } });
    const done = await call(emu, `/v1/organizations/users/${b.id}`, { method: 'DELETE', headers: NEW });
    expect(done.status).toBe(503);
    expect(done.body.error.details).toEqual({ error_code: 'change_outcome_unknown' });
    expect(emu.store.user(b.id)).toBeUndefined();
    // A carried-out request that fails on its own answers its own failure (nothing happened).
    await control(emu, '/faults', { body: { path: '/v1/organizations/workspaces', status: 503, error_code: 'workspace_created_incomplete', carry_out: true } });
    const invalid = await call(emu, '/v1/organizations/workspaces', { body: { name: '' }, headers: NEW });
    expectEnvelope(invalid, 400, 'invalid_request_error');
  });
});
