// SDK conformance, Console organization: the official SDK 1.17.0 (its own headers: anthropic-version 2026-10-21)
// drives every endpoint in scope, and every answer is checked against JSON Schemas generated from the SDK's own
// types (schemas.ts: every declared field, its type, and no undeclared field). Failures must arrive as the SDK's
// typed error classes with the SDK's `errorCode`.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError, PermissionDeniedError } from '@anthropic-ai/sdk';
import { AlreadyMemberError, InviteAlreadyExistsError } from '@anthropic-ai/sdk/resources/organization/invites';
import { CannotRemoveLastMemberError } from '@anthropic-ai/sdk/resources/organization/users';
import {
  APIKeyRequesterUnconfirmedError,
  ChangeOutcomeUnknownError,
  ConcurrentMembershipChangeError,
} from '@anthropic-ai/sdk/resources/organization/organization';
import { WorkspaceCreatedIncompleteError } from '@anthropic-ai/sdk/resources/organization/workspaces/workspaces';
import { OrganizationTypeNotSupportedError } from '@anthropic-ai/sdk/resources/shared';
import type { Seed } from '../../src/emulator/index.js';
import { all, checkCursorPage, checkIdPage, expectSdkError, rawBody, startRig, type SdkRig } from './helpers.js';
import { loadSdkSchemas, type SdkSchemas } from './schemas.js';

const KEY = 'Qz7vXk2pLm9RtB4wHn5c';

const SEED: Seed = {
  organization: { kind: 'console', name: 'Qorvane' },
  admin_keys: [{ key: KEY, name: 'kc1' }],
  users: [
    { email: 'ona@qv.example', role: 'admin' },
    { email: 'dov@qv.example', role: 'developer' },
    { email: 'ulu@qv.example', role: 'user' },
    { email: 'uzi@qv.example', role: 'user' },
    { email: 'bex@qv.example', role: 'billing' },
  ],
  invites: [
    { email: 'pia@qv.example', role: 'user' },
    { email: 'pox@qv.example', role: 'developer' },
    { email: 'pyr@qv.example', role: 'claude_code_user' },
  ],
  workspaces: [{ name: 'Alpha' }, { name: 'Beta' }, { name: 'Gamma', archived: true }, { name: 'Delta' }],
  workspace_members: [
    { workspace: 'Alpha', email: 'dov@qv.example', role: 'workspace_developer' },
    { workspace: 'Alpha', email: 'ulu@qv.example', role: 'workspace_user' },
    { workspace: 'Alpha', email: 'uzi@qv.example', role: 'workspace_admin' },
  ],
  api_keys: [
    { name: 'ka', workspace: 'Alpha', created_by: 'dov@qv.example' },
    { name: 'kd', created_by: 'ona@qv.example' },
    { name: 'kb', workspace: 'Beta' },
    { name: 'kx', workspace: 'Beta', status: 'inactive', created_by: 'dov@qv.example' },
    { name: 'ku', principal_user: 'uzi@qv.example', organization_scope: true, created_by: 'uzi@qv.example' },
    { name: 'ks', workspace: 'Alpha', principal_service_account: 'deploy-bot' },
  ],
  service_accounts: [{ name: 'deploy-bot', id: 'svac_01Pq7Rs' }],
};

let rig: SdkRig;
let s: SdkSchemas;

beforeAll(async () => {
  s = loadSdkSchemas();
  rig = await startRig(SEED, KEY);
}, 60_000);

afterAll(async () => {
  await rig?.emu.close();
});

async function fault(spec: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${rig.emu.url}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
    signal: AbortSignal.timeout(10_000),
  });
  expect(res.status).toBe(200);
}

describe('version', () => {
  it('the SDK sends anthropic-version 2026-10-21 with its own defaults, and the emulator accepts it', async () => {
    const before = rig.sent.length;
    const org = await rig.client.organization.retrieve();
    s.check('OrganizationInfo', org);
    expect(org.name).toBe('Qorvane');
    const req = rig.sent[before]!;
    expect(req.headers.get('anthropic-version')).toBe('2026-10-21');
    // SDK 1.17 sends the key as a bearer token (client.js apiKeyAuth), not as x-api-key; the emulator takes both.
    expect(req.headers.get('authorization')).toBe(`Bearer ${KEY}`);
    expect(req.headers.get('x-api-key')).toBeNull();
    expect(rig.emu.store.requests.counters()['GET /v1/organizations/me']).toEqual({ '200': 1 });
    expect(new URL(req.url).pathname).toBe('/v1/organizations/me');
  });
});

describe('users', () => {
  it('lists with for-await in both directions (after_id and before_id), every item an OrganizationUser', async () => {
    const first = await rig.client.organization.users.list({ limit: 2 });
    checkIdPage(s, 'OrganizationUser', first);
    const pages = [];
    for await (const page of first.iterPages()) pages.push(checkIdPage(s, 'OrganizationUser', page));
    expect(pages.length).toBe(3);
    const forward = pages.flat().map((u) => u.id as string);
    expect(forward.length).toBe(5);
    expect(new Set(forward).size).toBe(5);
    expect((await all(rig.client.organization.users.list({ limit: 2 }))).map((u) => u.id)).toEqual(forward);
    // Backward from the last one: the SDK follows `first_id` with before_id until has_more is false.
    const backPages = [];
    for await (const page of (await rig.client.organization.users.list({ limit: 2, before_id: forward[4]! })).iterPages()) {
      backPages.push(checkIdPage(s, 'OrganizationUser', page).map((u) => u.id as string));
    }
    expect(backPages.length).toBe(2);
    expect(backPages.flat().sort()).toEqual(forward.slice(0, 4).sort());
    expect(backPages[0]).toEqual(forward.slice(2, 4));
    const devs = await all(rig.client.organization.users.list({ roles: ['developer', 'billing'] }));
    expect(devs.map((u) => u.email).sort()).toEqual(['bex@qv.example', 'dov@qv.example']);
  });

  it('retrieves, updates a role, and refuses an unknown id and a keep-only member with the status classes', async () => {
    const [dov] = await all(rig.client.organization.users.list({ email: 'dov@qv.example' }));
    const got = await rig.client.organization.users.retrieve(dov!.id);
    s.check('OrganizationUser', got);
    expect(got.role).toBe('developer');
    const updated = await rig.client.organization.users.update(dov!.id, { role: 'claude_code_user' });
    s.check('OrganizationUser', updated);
    expect(updated.role).toBe('claude_code_user');
    await rig.client.organization.users.update(dov!.id, { role: 'developer' });
    await expectSdkError(() => rig.client.organization.users.retrieve('user_01NoSuchUserXyzAbc'), NotFoundError, 404, null);
    const [ona] = await all(rig.client.organization.users.list({ email: 'ona@qv.example' }));
    await expectSdkError(() => rig.client.organization.users.update(ona!.id, { role: 'user' }), BadRequestError, 400, null);
  });

  it('removes a member (UserRemoveResponse); injected 409 concurrent_membership_change and 403 api_key_requester_unconfirmed change nothing', async () => {
    const [bex] = await all(rig.client.organization.users.list({ email: 'bex@qv.example' }));
    await fault({ method: 'DELETE', path: `/v1/organizations/users/${bex!.id}`, status: 409, error_code: 'concurrent_membership_change' });
    await expectSdkError(() => rig.client.organization.users.remove(bex!.id), ConcurrentMembershipChangeError, 409, 'concurrent_membership_change');
    await fault({ method: 'DELETE', path: `/v1/organizations/users/${bex!.id}`, status: 403, error_code: 'api_key_requester_unconfirmed' });
    const unconfirmed = await expectSdkError(
      () => rig.client.organization.users.remove(bex!.id),
      APIKeyRequesterUnconfirmedError,
      403,
      'api_key_requester_unconfirmed',
    );
    expect(unconfirmed).toBeInstanceOf(PermissionDeniedError);
    expect(rig.emu.store.user(bex!.id)).toBeDefined();
    const removed = await rig.client.organization.users.remove(bex!.id);
    s.check('UserRemoveResponse', removed);
    expect(removed).toEqual({ id: bex!.id, type: 'user_deleted' });
    expect(rig.emu.store.user(bex!.id)).toBeUndefined();
  });

  it("refuses to remove the organization's only member: CannotRemoveLastMemberError", async () => {
    const solo = await startRig(
      { organization: { kind: 'console' }, admin_keys: [{ key: KEY }], users: [{ email: 'sol@qv.example', role: 'developer' }] },
      KEY,
    );
    try {
      const [sol] = await all(solo.client.organization.users.list());
      const err = await expectSdkError(
        () => solo.client.organization.users.remove(sol!.id),
        CannotRemoveLastMemberError,
        400,
        'cannot_remove_last_member',
      );
      expect(err.type).toBe('invalid_request_error');
      expect(solo.emu.store.user(sol!.id)).toBeDefined();
    } finally {
      await solo.emu.close();
    }
  });
});

describe('invites', () => {
  it('creates, retrieves, lists both ways and deletes; every answer an SDK shape', async () => {
    const created = await rig.client.organization.invites.create({ email: 'nia@qv.example', role: 'developer' });
    s.check('OrganizationInvite', created);
    expect(created).toMatchObject({ email: 'nia@qv.example', role: 'developer', status: 'pending', rbac_group_ids: [], accepted_at: null });
    s.check('OrganizationInvite', await rig.client.organization.invites.retrieve(created.id));
    const first = await rig.client.organization.invites.list({ limit: 2 });
    const forward: string[] = [];
    for await (const page of first.iterPages()) forward.push(...checkIdPage(s, 'OrganizationInvite', page).map((i) => i.id as string));
    expect(forward.length).toBe(4);
    expect(forward).toContain(created.id);
    const backward = await all(rig.client.organization.invites.list({ limit: 1, before_id: forward[3]! }));
    expect(backward.map((i) => i.id).sort()).toEqual(forward.slice(0, 3).sort());
    const pending = await all(rig.client.organization.invites.list({ statuses: ['pending'], roles: ['developer'] }));
    expect(pending.map((i) => i.email).sort()).toEqual(['nia@qv.example', 'pox@qv.example']);
    const deleted = await rig.client.organization.invites.delete(created.id);
    s.check('InviteDeleteResponse', deleted);
    expect(deleted).toEqual({ id: created.id, type: 'invite_deleted' });
    const after = await rig.client.organization.invites.retrieve(created.id);
    s.check('OrganizationInvite', after);
    expect(after.status).toBe('deleted');
  });

  it('a pending invite → InviteAlreadyExistsError; a member → AlreadyMemberError; a bad role → BadRequestError without a code', async () => {
    const dup = await expectSdkError(
      () => rig.client.organization.invites.create({ email: 'PIA@qv.example', role: 'user' }),
      InviteAlreadyExistsError,
      400,
      'invite_already_exists',
    );
    expect(dup.details).toEqual({ error_code: 'invite_already_exists' });
    await expectSdkError(
      () => rig.client.organization.invites.create({ email: 'ulu@qv.example', role: 'user' }),
      AlreadyMemberError,
      400,
      'already_member',
    );
    const bad = await expectSdkError(
      () => rig.client.organization.invites.create({ email: 'new@qv.example', role: 'managed' }),
      BadRequestError,
      400,
      null,
    );
    expect(bad.details).toBeNull();
  });
});

describe('workspaces', () => {
  it('creates (with user_profile_id), retrieves, updates, lists with ids[] and include_archived, archives', async () => {
    const created = await rig.client.organization.workspaces.create({ name: 'Epsilon', user_profile_id: 'uprof_01Kq8Zx' });
    s.check('Workspace', created);
    expect(created.user_profile_id).toBe('uprof_01Kq8Zx');
    const plain = await rig.client.organization.workspaces.create({ name: 'Zeta', tags: { team: 'z' } });
    s.check('Workspace', plain);
    expect(plain.user_profile_id).toBeNull();
    const updated = await rig.client.organization.workspaces.update(plain.id, { name: 'Zeta2', user_profile_id: 'uprof_01Lm3Rt' });
    s.check('Workspace', updated);
    expect(updated).toMatchObject({ name: 'Zeta2', user_profile_id: 'uprof_01Lm3Rt', tags: { team: 'z' } });
    await expectSdkError(
      () => rig.client.organization.workspaces.update(plain.id, { user_profile_id: 'uprof_01Other' }),
      BadRequestError,
      400,
      null,
    );
    s.check('Workspace', await rig.client.organization.workspaces.retrieve(created.id));

    const active: string[] = [];
    for await (const page of (await rig.client.organization.workspaces.list({ limit: 2 })).iterPages()) {
      active.push(...checkIdPage(s, 'Workspace', page).map((w) => w.name as string));
    }
    expect(active.sort()).toEqual(['Alpha', 'Beta', 'Delta', 'Epsilon', 'Zeta2']);
    const withArchived = await all(rig.client.organization.workspaces.list({ include_archived: true, limit: 3 }));
    expect(withArchived.map((w) => w.name).sort()).toEqual(['Alpha', 'Beta', 'Delta', 'Epsilon', 'Gamma', 'Zeta2']);
    const ids = withArchived.map((w) => w.id);
    const backward = await all(rig.client.organization.workspaces.list({ include_archived: true, limit: 2, before_id: ids[5]! }));
    expect(backward.map((w) => w.id).sort()).toEqual(ids.slice(0, 5).sort());
    const withDefault = await all(rig.client.organization.workspaces.list({ include_default: true }));
    expect(withDefault.map((w) => w.name)).toContain('Default');

    const gamma = withArchived.find((w) => w.name === 'Gamma')!;
    const alpha = withArchived.find((w) => w.name === 'Alpha')!;
    const picked = await rig.client.organization.workspaces.list({ ids: [alpha.id, gamma.id, 'wrkspc_01NotHereAtAll'] });
    checkIdPage(s, 'Workspace', picked);
    expect(picked.data.map((w) => w.id)).toEqual([alpha.id]);
    const pickedArchived = await all(rig.client.organization.workspaces.list({ ids: [alpha.id, gamma.id], include_archived: true }));
    expect(pickedArchived.map((w) => w.id).sort()).toEqual([alpha.id, gamma.id].sort());
    const tooMany = Array.from({ length: 101 }, (_, i) => `wrkspc_01Fill${String(i).padStart(3, '0')}`);
    await expectSdkError(() => rig.client.organization.workspaces.list({ ids: tooMany }), BadRequestError, 400, null);

    const archived = await rig.client.organization.workspaces.archive(created.id);
    s.check('Workspace', archived);
    expect(archived.archived_at).not.toBeNull();
    await expectSdkError(() => rig.client.organization.workspaces.retrieve('wrkspc_01NoSuchOne'), NotFoundError, 404, null);
  });

  it('503 change_outcome_unknown on update: carried out or not, as injected', async () => {
    const beta = (await all(rig.client.organization.workspaces.list())).find((w) => w.name === 'Beta')!;
    await fault({ method: 'POST', path: `/v1/organizations/workspaces/${beta.id}`, status: 503, error_code: 'change_outcome_unknown' });
    await expectSdkError(
      () => rig.client.organization.workspaces.update(beta.id, { name: 'BetaNot' }),
      ChangeOutcomeUnknownError,
      503,
      'change_outcome_unknown',
    );
    expect((await rig.client.organization.workspaces.retrieve(beta.id)).name).toBe('Beta');
    await fault({ method: 'POST', path: `/v1/organizations/workspaces/${beta.id}`, status: 503, error_code: 'change_outcome_unknown', carry_out: true });
    await expectSdkError(
      () => rig.client.organization.workspaces.update(beta.id, { name: 'BetaDone' }),
      ChangeOutcomeUnknownError,
      503,
      'change_outcome_unknown',
    );
    expect((await rig.client.organization.workspaces.retrieve(beta.id)).name).toBe('BetaDone');
    await rig.client.organization.workspaces.update(beta.id, { name: 'Beta' });
  });

  it('503 workspace_created_incomplete on create: the workspace exists and details.workspace_id names it', async () => {
    await fault({ method: 'POST', path: '/v1/organizations/workspaces', status: 503, error_code: 'workspace_created_incomplete', carry_out: true });
    const err = await expectSdkError(
      () => rig.client.organization.workspaces.create({ name: 'Eta' }),
      WorkspaceCreatedIncompleteError,
      503,
      'workspace_created_incomplete',
    );
    s.check('WorkspaceCreatedIncompleteErrorDetails', err.details);
    const id = (err.details as { workspace_id: string }).workspace_id;
    const ws = await rig.client.organization.workspaces.retrieve(id);
    expect(ws.name).toBe('Eta');
    await rig.client.organization.workspaces.archive(id);
  });
});

describe('workspace members', () => {
  it('adds, retrieves, updates, lists both ways and removes', async () => {
    const alpha = (await all(rig.client.organization.workspaces.list())).find((w) => w.name === 'Alpha')!;
    const [ulu] = await all(rig.client.organization.users.list({ email: 'ulu@qv.example' }));
    const delta = (await all(rig.client.organization.workspaces.list())).find((w) => w.name === 'Delta')!;
    const added = await rig.client.organization.workspaces.members.add(delta.id, { user_id: ulu!.id, workspace_role: 'workspace_user' });
    s.check('WorkspaceMember', added);
    expect(added).toEqual({ type: 'workspace_member', user_id: ulu!.id, workspace_id: delta.id, workspace_role: 'workspace_user' });
    const got = await rig.client.organization.workspaces.members.retrieve(ulu!.id, { workspace_id: delta.id });
    s.check('WorkspaceMember', got);
    const updated = await rig.client.organization.workspaces.members.update(ulu!.id, { workspace_id: delta.id, workspace_role: 'workspace_developer' });
    s.check('WorkspaceMember', updated);
    expect(updated.workspace_role).toBe('workspace_developer');

    const forward: string[] = [];
    for await (const page of (await rig.client.organization.workspaces.members.list(alpha.id, { limit: 2 })).iterPages()) {
      const body = rawBody(page);
      expect(Object.keys(body).sort()).toEqual(['data', 'first_id', 'has_more', 'last_id']);
      for (const m of body.data as unknown[]) s.check('WorkspaceMember', m);
      forward.push(...(body.data as Array<{ user_id: string }>).map((m) => m.user_id));
    }
    expect(forward.length).toBe(3);
    const backward = await all(rig.client.organization.workspaces.members.list(alpha.id, { limit: 1, before_id: forward[2]! }));
    expect(backward.map((m) => m.user_id).sort()).toEqual(forward.slice(0, 2).sort());

    const removed = await rig.client.organization.workspaces.members.remove(ulu!.id, { workspace_id: delta.id });
    s.check('MemberRemoveResponse', removed);
    expect(removed).toEqual({ type: 'workspace_member_deleted', user_id: ulu!.id, workspace_id: delta.id });
    await expectSdkError(
      () => rig.client.organization.workspaces.members.retrieve(ulu!.id, { workspace_id: delta.id }),
      NotFoundError,
      404,
      null,
    );
  });
});

describe('API keys', () => {
  it('lists both ways with filters, retrieves and updates; scope carries the workspace, no workspace_id', async () => {
    const first = await rig.client.organization.apiKeys.list({ limit: 3 });
    const keys: Array<Record<string, unknown>> = [];
    for await (const page of first.iterPages()) keys.push(...checkIdPage(s, 'APIKey', page));
    expect(keys.length).toBe(6);
    for (const k of keys) expect(k).not.toHaveProperty('workspace_id');
    const byName = (n: string) => keys.find((k) => k.name === n)!;
    const kd = byName('kd');
    expect(kd.scope).toEqual({ type: 'workspace', workspace_id: rig.emu.store.workspaces.defaultWorkspace.id });
    expect(kd.principal).toBeNull();
    const uzi = rig.emu.store.userByEmail('uzi@qv.example')!;
    expect(byName('ku')).toMatchObject({ scope: { type: 'organization' }, principal: { type: 'user_actor', user_id: uzi.id }, created_by: { id: uzi.id, type: 'user' } });
    expect(byName('ks').principal).toEqual({ type: 'service_account_actor', service_account_id: 'svac_01Pq7Rs' });
    expect(byName('kb').created_by).toBeNull();
    const backward = await all(rig.client.organization.apiKeys.list({ limit: 1, before_id: keys[5]!.id as string }));
    expect(backward.map((k) => k.id).sort()).toEqual(keys.slice(0, 5).map((k) => k.id).sort());
    const alpha = (await all(rig.client.organization.workspaces.list())).find((w) => w.name === 'Alpha')!;
    const inAlpha = await all(rig.client.organization.apiKeys.list({ workspace_id: alpha.id, status: 'active' }));
    expect(inAlpha.map((k) => k.name).sort()).toEqual(['ka', 'ks']);

    const got = await rig.client.organization.apiKeys.retrieve(kd.id as string);
    s.check('APIKey', got);
    const renamed = await rig.client.organization.apiKeys.update(kd.id as string, { name: 'kd2', status: 'inactive' });
    s.check('APIKey', renamed);
    expect(renamed).toMatchObject({ name: 'kd2', status: 'inactive' });

    await fault({ method: 'POST', path: `/v1/organizations/api_keys/${kd.id as string}`, status: 403, error_code: 'api_key_requester_unconfirmed' });
    await expectSdkError(
      () => rig.client.organization.apiKeys.update(kd.id as string, { status: 'active' }),
      APIKeyRequesterUnconfirmedError,
      403,
      'api_key_requester_unconfirmed',
    );
    expect((await rig.client.organization.apiKeys.retrieve(kd.id as string)).status).toBe('inactive');
    await expectSdkError(() => rig.client.organization.apiKeys.retrieve('apikey_01NoSuchKey'), NotFoundError, 404, null);
  });
});

describe('Enterprise-only endpoints on a Console org', () => {
  it('RBAC roles: 400 organization_type_not_supported (list, retrieve, permissions)', async () => {
    await expectSdkError(() => rig.client.organization.rbacRoles.list(), OrganizationTypeNotSupportedError, 400, 'organization_type_not_supported');
    await expectSdkError(
      () => rig.client.organization.rbacRoles.retrieve('rbac_role_01BuiltInOwner'),
      OrganizationTypeNotSupportedError,
      400,
      'organization_type_not_supported',
    );
    await expectSdkError(
      () => rig.client.organization.rbacRoles.permissions.list('rbac_role_01BuiltInOwner'),
      OrganizationTypeNotSupportedError,
      400,
      'organization_type_not_supported',
    );
  });

  it('RBAC groups: 404 without a code (the SDK declares no organization_type_not_supported for groups)', async () => {
    await expectSdkError(() => rig.client.organization.rbacGroups.list(), NotFoundError, 404, null);
  });

  it('token pages are not served to a Console org (sanity of the helper): a cursor page check fails on an ID page', async () => {
    const page = await rig.client.organization.users.list({ limit: 1 });
    expect(() => checkCursorPage(s, 'OrganizationUser', page)).toThrow();
  });
});
