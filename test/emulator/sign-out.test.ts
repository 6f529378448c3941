// Signing a member out everywhere (SDK 1.17 client.beta.organization.users.signOut): the beta header, the Enterprise
// enrolment, the refusals the SDK declares, and the record the state keeps.

import { describe, expect, it } from 'vitest';
import { SIGN_OUT_BETA, type RunningEmulator, type Seed } from '../../src/emulator/index.js';
import { call, control, emulator, expectEnvelope, type Answer } from './helpers.js';

/** Enterprise keys: full member writes; one without write:rbac_groups; one without write:members. OAuth: an owner's token. */
const WRITER = 'Tq5Wz8Kb3Nr7Xv2Jm9Pc';
const NO_RBAC = 'Gc7Vm2Xt9Rq4Kz6Hb8Nw';
const READER = 'Lw3Bn8Qz5Vk2Rx7Tj4Md';
const TOKEN = 'Fy6Rp9Wc2Kx5Nb8Vt3Qz';
const NEW = { 'anthropic-version': '2026-10-21', 'anthropic-beta': SIGN_OUT_BETA };

const SEED: Seed = {
  organization: { kind: 'enterprise' },
  admin_keys: [
    { key: WRITER, name: 'writer', scopes: ['write:members', 'write:rbac_groups'], user: 'own@qv.example' },
    { key: NO_RBAC, name: 'no-rbac', scopes: ['write:members'] },
    { key: READER, name: 'reader', scopes: ['read:members'] },
  ],
  oauth_tokens: [{ token: TOKEN, name: 'owner-token', interactive: true, user: 'own@qv.example' }],
  users: [
    { email: 'po@qv.example', role: 'primary_owner' },
    { email: 'own@qv.example', role: 'owner' },
    { email: 'own2@qv.example', role: 'owner' },
    { email: 'ma@qv.example', role: 'membership_admin' },
    { email: 'mgd@qv.example', role: 'managed' },
    { email: 'u@qv.example', role: 'user' },
  ],
};

function signOut(emu: RunningEmulator, email: string, key: string, headers: Record<string, string> = NEW): Promise<Answer> {
  const id = emu.store.userByEmail(email)?.id ?? 'user_01Nobody';
  return call(emu, `/v1/organizations/users/${id}/sign_out?beta=true`, { method: 'POST', key, bearer: true, headers });
}

function code(a: Answer): string | undefined {
  return a.body?.error?.details?.error_code;
}

describe('sign-out', () => {
  it('signs a member out: answers the member, keeps their role, and the state records it (by credential name)', async () => {
    const emu = await emulator({ seed: SEED });
    const answer = await signOut(emu, 'u@qv.example', WRITER);
    expect(answer.status).toBe(200);
    const u = emu.store.userByEmail('u@qv.example')!;
    expect(answer.body).toEqual({ type: 'user', id: u.id, email: 'u@qv.example', name: u.name, role: 'user', added_at: u.addedAt });
    expect((await signOut(emu, 'u@qv.example', TOKEN)).status).toBe(200); // again: allowed, recorded again
    const state = (await control(emu, '/state')).body;
    expect(state.sign_outs).toEqual([
      { user_id: u.id, email: 'u@qv.example', at: expect.any(String), by: 'writer' },
      { user_id: u.id, email: 'u@qv.example', at: expect.any(String), by: 'owner-token' },
    ]);
    expect(state.users.find((x: { email: string }) => x.email === 'u@qv.example').role).toBe('user');
  });

  it('needs the beta header (400 without it), write:members (403), and an enrolled (Enterprise) organization', async () => {
    const emu = await emulator({ seed: SEED });
    const bare = await signOut(emu, 'u@qv.example', WRITER, { 'anthropic-version': '2026-10-21' });
    expect(expectEnvelope(bare, 400, 'invalid_request_error')).toContain(SIGN_OUT_BETA);
    expect(code(bare)).toBeUndefined();
    // Other betas beside it, comma-separated, are fine.
    const mixed = await signOut(emu, 'u@qv.example', WRITER, { ...NEW, 'anthropic-beta': `other-beta-2026-01-01, ${SIGN_OUT_BETA}` });
    expect(mixed.status).toBe(200);
    expectEnvelope(await signOut(emu, 'u@qv.example', READER), 403, 'permission_error');
    expectEnvelope(await signOut(emu, 'nobody@qv.example', WRITER), 404, 'not_found_error');
    const consoleOrg = await emulator({ seed: { users: [{ email: 'u@qv.example', role: 'user' }], admin_keys: [WRITER] } });
    const refused = await signOut(consoleOrg, 'u@qv.example', WRITER);
    expectEnvelope(refused, 400, 'invalid_request_error');
    expect(code(refused)).toBe('organization_not_enrolled_in_beta');
    expect(emu.store.signOuts.length).toBe(1);
  });

  it("refuses the primary owner, the credential's own member, managed members and (for an OAuth token) privileged ones", async () => {
    const emu = await emulator({ seed: SEED });
    const cases: Array<[string, string, number, string]> = [
      ['po@qv.example', WRITER, 400, 'cannot_sign_out_primary_owner'],
      ['po@qv.example', TOKEN, 400, 'cannot_sign_out_primary_owner'],
      ['own@qv.example', WRITER, 400, 'cannot_sign_out_self'],
      ['own@qv.example', TOKEN, 400, 'cannot_sign_out_self'],
      ['mgd@qv.example', NO_RBAC, 403, 'cannot_sign_out_managed_member'],
      ['mgd@qv.example', TOKEN, 403, 'cannot_sign_out_managed_member'],
      ['own2@qv.example', TOKEN, 403, 'cannot_sign_out_privileged_member'],
      ['ma@qv.example', TOKEN, 403, 'cannot_sign_out_privileged_member'],
    ];
    for (const [email, key, status, errorCode] of cases) {
      const answer = await signOut(emu, email, key);
      expectEnvelope(answer, status, status === 400 ? 'invalid_request_error' : 'permission_error');
      expect([email, code(answer)]).toEqual([email, errorCode]);
    }
    expect(emu.store.signOuts).toEqual([]);
    // An API key with write:members signs out owners and membership admins; with write:rbac_groups too, managed members.
    for (const email of ['own2@qv.example', 'ma@qv.example', 'mgd@qv.example']) expect((await signOut(emu, email, WRITER)).status).toBe(200);
    expect((await signOut(emu, 'own2@qv.example', NO_RBAC)).status).toBe(200);
    // The legacy shapes carry no error code, only the type.
    const legacy = await signOut(emu, 'po@qv.example', WRITER, { 'anthropic-version': '2023-06-01', 'anthropic-beta': SIGN_OUT_BETA });
    expectEnvelope(legacy, 400, 'invalid_request_error');
    expect(code(legacy)).toBeUndefined();
  });
});
