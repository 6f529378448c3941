// SDK conformance, service accounts and sign-out: the official SDK 1.17.0 drives client.organization.serviceAccounts
// (and its .workspaces), client.organization.workspaces.serviceAccounts and client.beta.organization.users.signOut
// against the emulator; every answer is checked against JSON Schemas generated from the SDK's own types
// (schemas.ts), and failures must arrive as the SDK's typed error classes with its `errorCode`.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError, ConflictError, NotFoundError, PermissionDeniedError } from '@anthropic-ai/sdk';
import { BetaOrganizationNotEnrolledInBetaError } from '@anthropic-ai/sdk/resources/beta/beta';
import {
  BetaCannotSignOutManagedMemberError,
  BetaCannotSignOutPrimaryOwnerError,
  BetaCannotSignOutPrivilegedMemberError,
  BetaCannotSignOutSelfError,
} from '@anthropic-ai/sdk/resources/beta/organization/users';
import type { WorkspaceRemoveResponse } from '@anthropic-ai/sdk/resources/organization/service-accounts/workspaces';
import type { ServiceAccountRemoveResponse } from '@anthropic-ai/sdk/resources/organization/workspaces/service-accounts';
import type { Seed } from '../../src/emulator/index.js';
import { all, checkCursorPage, expectSdkError, startRig, tokenClientFor, type SdkRig } from './helpers.js';
import { loadSdkSchemas, type SdkSchemas } from './schemas.js';

// schemas.ts checks both removal answers against ServiceAccountRemoveResponse: the two declarations must agree.
const sameRemoval: [WorkspaceRemoveResponse, ServiceAccountRemoveResponse] = [
  {} as ServiceAccountRemoveResponse,
  {} as WorkspaceRemoveResponse,
];
void sameRemoval;

const KEY = 'Rb8Nq3Wx6Kz2Vt9Pm5Jc';
const WORKLOAD = 'Vk4Xz9Qm2Rt7Nb5Wc8Lp';
const PERSON = 'Jm7Wq2Zx5Kb9Rt3Nv6Hc';

const SEED: Seed = {
  organization: { kind: 'console', name: 'Qorvane' },
  admin_keys: [{ key: KEY, name: 'kc1' }],
  oauth_tokens: [
    { token: WORKLOAD, name: 'workload' },
    { token: PERSON, name: 'person', interactive: true, user: 'ona@qv.example' },
  ],
  users: [{ email: 'ona@qv.example', role: 'admin' }],
  workspaces: [{ name: 'Alpha' }, { name: 'Beta' }, { name: 'Old', archived: true }],
  service_accounts: [
    { name: 'seeded-bot', description: 'from the seed', workspaces: [{ workspace: 'Alpha', role: 'workspace_developer' }] },
    { name: 'retired-bot', archived: true },
  ],
};

let rig: SdkRig;
let s: SdkSchemas;

beforeAll(async () => {
  s = loadSdkSchemas();
  rig = await startRig(SEED, { authToken: WORKLOAD });
}, 60_000);

afterAll(async () => {
  await rig?.emu.close();
});

const ws = (name: string): string => rig.emu.store.workspaces.seededNamed(name)!.id;

describe('service accounts', () => {
  it('the SDK sends the OAuth token as a bearer token; an admin key gets PermissionDeniedError', async () => {
    const before = rig.sent.length;
    const page = await rig.client.organization.serviceAccounts.list();
    checkCursorPage(s, 'ServiceAccount', page);
    expect(rig.sent[before]!.headers.get('authorization')).toBe(`Bearer ${WORKLOAD}`);
    expect(new URL(rig.sent[before]!.url).pathname).toBe('/v1/organizations/service_accounts');
    const keyed = await startRig(SEED, KEY);
    try {
      await expectSdkError(() => keyed.client.organization.serviceAccounts.list(), PermissionDeniedError, 403, null);
      await expectSdkError(() => keyed.client.organization.serviceAccounts.create({ name: 'k-bot' }), PermissionDeniedError, 403, null);
    } finally {
      await keyed.emu.close();
    }
  });

  it('creates, retrieves, updates, lists (for-await, include_archived) and archives; every answer a ServiceAccount', async () => {
    const sa = rig.client.organization.serviceAccounts;
    const made = await sa.create({ name: 'ci-deploy-bot', description: 'deploys' });
    s.check('ServiceAccount', made);
    expect(made).toMatchObject({ id: expect.stringMatching(/^svac_01/), organization_role: 'developer', archived_at: null });
    s.check('ServiceAccount', await sa.retrieve(made.id));
    const updated = await sa.update(made.id, { description: null });
    s.check('ServiceAccount', updated);
    expect(updated.description).toBe('');
    await expectSdkError(() => sa.create({ name: 'ci-deploy-bot' }), ConflictError, 409, null);
    await expectSdkError(() => sa.create({ name: 'boss', organization_role: 'admin' }), PermissionDeniedError, 403, null);
    const boss = await tokenClientFor(rig, PERSON).organization.serviceAccounts.create({ name: 'boss', organization_role: 'admin' });
    s.check('ServiceAccount', boss);
    expect(boss.created_by_actor_id).toBe(rig.emu.store.userByEmail('ona@qv.example')!.id);
    await expectSdkError(() => sa.update(boss.id, { organization_role: 'admin' }), PermissionDeniedError, 403, null);

    const first = await sa.list({ limit: 1 });
    for await (const page of first.iterPages()) checkCursorPage(s, 'ServiceAccount', page);
    expect((await all(sa.list({ limit: 1 }))).map((a) => a.name)).toEqual(['boss', 'ci-deploy-bot', 'seeded-bot']);
    expect((await all(sa.list({ limit: 2, include_archived: true }))).map((a) => a.name)).toEqual([
      'boss',
      'ci-deploy-bot',
      'retired-bot',
      'seeded-bot',
    ]);
    const archived = await sa.archive(boss.id);
    s.check('ServiceAccount', archived);
    expect(archived.archived_at).not.toBeNull();
    expect(await sa.archive(boss.id)).toEqual(archived);
    await expectSdkError(() => sa.update(boss.id, { description: 'x' }), BadRequestError, 400, null);
    await expectSdkError(() => sa.retrieve('svac_01Nope'), NotFoundError, 404, null);
  });

  it("memberships from the account's side: list (implicit first), add, remove; every answer an SDK shape", async () => {
    const sa = rig.client.organization.serviceAccounts;
    const bot = (await all(sa.list())).find((a) => a.name === 'seeded-bot')!;
    const added = await sa.workspaces.add(bot.id, { workspace_id: ws('Beta'), workspace_role: 'workspace_admin' });
    s.check('ServiceAccountWorkspaceMember', added);
    const first = await sa.workspaces.list(bot.id, { limit: 1 });
    const pages = [];
    for await (const page of first.iterPages()) pages.push(checkCursorPage(s, 'ServiceAccountWorkspaceMember', page));
    expect(pages.map((p) => p.length)).toEqual([2, 1]);
    const listed = await all(sa.workspaces.list(bot.id, { limit: 1 }));
    expect(listed.map((m) => [m.workspace_role, m.implicit])).toEqual([
      ['workspace_user', true],
      ['workspace_developer', false],
      ['workspace_admin', false],
    ]);
    const removed = await sa.workspaces.remove(ws('Beta'), { service_account_id: bot.id });
    s.check('ServiceAccountRemoveResponse', removed);
    expect(removed).toEqual({ type: 'service_account_workspace_member_deleted', service_account_id: bot.id, workspace_id: ws('Beta') });
    await expectSdkError(
      () => sa.workspaces.add(bot.id, { workspace_id: ws('Old'), workspace_role: 'workspace_user' }),
      BadRequestError,
      400,
      null,
    );
  });

  it("memberships from the workspace's side: add, retrieve, update, list, remove", async () => {
    const wsa = rig.client.organization.workspaces.serviceAccounts;
    const made = await rig.client.organization.serviceAccounts.create({ name: 'side-bot' });
    const added = await wsa.add(ws('Beta'), { service_account_id: made.id, workspace_role: 'workspace_user' });
    s.check('ServiceAccountWorkspaceMember', added);
    s.check('ServiceAccountWorkspaceMember', await wsa.retrieve(made.id, { workspace_id: ws('Beta') }));
    const updated = await wsa.update(made.id, { workspace_id: ws('Beta'), workspace_role: 'workspace_restricted_developer' });
    s.check('ServiceAccountWorkspaceMember', updated);
    expect(updated.workspace_role).toBe('workspace_restricted_developer');
    const page = await wsa.list(ws('Beta'), { limit: 1 });
    checkCursorPage(s, 'ServiceAccountWorkspaceMember', page);
    expect((await all(wsa.list(ws('Beta'), { limit: 1 }))).map((m) => m.service_account_id)).toEqual([made.id]);
    const removed = await wsa.remove(made.id, { workspace_id: ws('Beta') });
    s.check('ServiceAccountRemoveResponse', removed);
    await expectSdkError(() => wsa.retrieve(made.id, { workspace_id: ws('Beta') }), NotFoundError, 404, null);
    await expectSdkError(() => wsa.list(ws('Old')), BadRequestError, 400, null);
  });
});

describe('sign-out (beta)', () => {
  const OWNER_KEY = 'Wd5Zq8Nk3Xr7Vb2Tm9Gh';
  const ENTERPRISE: Seed = {
    organization: { kind: 'enterprise' },
    admin_keys: [{ key: OWNER_KEY, name: 'ke1', scopes: ['write:members'], user: 'own@qv.example' }],
    oauth_tokens: [{ token: PERSON, name: 'person', interactive: true }],
    users: [
      { email: 'po@qv.example', role: 'primary_owner' },
      { email: 'own@qv.example', role: 'owner' },
      { email: 'ma@qv.example', role: 'membership_admin' },
      { email: 'mgd@qv.example', role: 'managed' },
      { email: 'u@qv.example', role: 'user' },
    ],
  };

  it('signs a member out with the beta header the SDK sends (a BetaOrganizationUser), and refuses with the typed errors', async () => {
    const ent = await startRig(ENTERPRISE, OWNER_KEY);
    try {
      const id = (email: string): string => ent.emu.store.userByEmail(email)!.id;
      const users = ent.client.beta.organization.users;
      const before = ent.sent.length;
      const out = await users.signOut(id('u@qv.example'));
      s.check('BetaOrganizationUser', out);
      expect(out.email).toBe('u@qv.example');
      const req = ent.sent[before]!;
      expect(req.headers.get('anthropic-beta')).toBe('admin-user-sign-out-2026-10-08');
      expect(new URL(req.url).pathname).toBe(`/v1/organizations/users/${id('u@qv.example')}/sign_out`);
      expect(ent.emu.store.signOuts.map((r) => [r.email, r.by])).toEqual([['u@qv.example', 'ke1']]);
      await expectSdkError(() => users.signOut(id('po@qv.example')), BetaCannotSignOutPrimaryOwnerError, 400, 'cannot_sign_out_primary_owner');
      await expectSdkError(() => users.signOut(id('own@qv.example')), BetaCannotSignOutSelfError, 400, 'cannot_sign_out_self');
      await expectSdkError(() => users.signOut(id('mgd@qv.example')), BetaCannotSignOutManagedMemberError, 403, 'cannot_sign_out_managed_member');
      const token = tokenClientFor(ent, PERSON).beta.organization.users;
      await expectSdkError(() => token.signOut(id('ma@qv.example')), BetaCannotSignOutPrivilegedMemberError, 403, 'cannot_sign_out_privileged_member');
      await expectSdkError(() => users.signOut('user_01Nobody'), NotFoundError, 404, null);
    } finally {
      await ent.emu.close();
    }
    await expectSdkError(
      () => tokenClientFor(rig, WORKLOAD).beta.organization.users.signOut(rig.emu.store.userByEmail('ona@qv.example')!.id),
      BetaOrganizationNotEnrolledInBetaError,
      400,
      'organization_not_enrolled_in_beta',
    );
  });
});
