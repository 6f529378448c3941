// Members (§5) and the role rules of both org kinds (§3.1, §5.4, §5.5, §13.2).

import { describe, expect, it } from 'vitest';
import type { Seed } from '../../src/emulator/index.js';
import { call, emulator, expectEnvelope, USER_ID } from './helpers.js';

const consoleSeed: Seed = {
  users: [
    { email: 'primary@acme.com', role: 'primary_owner' },
    { email: 'owner@acme.com', role: 'owner' },
    { email: 'admin@acme.com', role: 'admin' },
    { email: 'dev@acme.com', role: 'developer', name: 'Dee Veloper', added_at: '2025-03-04T05:06:07.123456Z' },
    { email: 'user@acme.com', role: 'user' },
  ],
};

const enterpriseSeed: Seed = {
  organization: { kind: 'enterprise' },
  users: [
    { email: 'primary@acme.com', role: 'primary_owner' },
    { email: 'owner@acme.com', role: 'owner' },
    { email: 'madmin@acme.com', role: 'membership_admin' },
    { email: 'user@acme.com', role: 'user' },
    { email: 'managed@acme.com', role: 'managed' },
  ],
};

async function idOf(emu: Awaited<ReturnType<typeof emulator>>, email: string): Promise<string> {
  return emu.store.userByEmail(email)!.id;
}

describe('get', () => {
  it('returns the User object; unknown ids are 404', async () => {
    const emu = await emulator({ seed: consoleSeed });
    const id = await idOf(emu, 'dev@acme.com');
    expect(id).toMatch(USER_ID);
    const a = await call(emu, `/v1/organizations/users/${id}`);
    expect(a.body).toEqual({
      type: 'user',
      id,
      email: 'dev@acme.com',
      name: 'Dee Veloper',
      role: 'developer',
      added_at: '2025-03-04T05:06:07.123456Z',
    });
    expectEnvelope(await call(emu, '/v1/organizations/users/user_01unknown'), 404, 'not_found_error');
  });
});

describe('update role', () => {
  it('console: assigns user, developer, billing, claude_code_user', async () => {
    const emu = await emulator({ seed: consoleSeed });
    const id = await idOf(emu, 'user@acme.com');
    for (const role of ['developer', 'billing', 'claude_code_user', 'user']) {
      const a = await call(emu, `/v1/organizations/users/${id}`, { body: { role } });
      expect(a.status).toBe(200);
      expect(a.body.role).toBe(role);
    }
    const listed = await call(emu, '/v1/organizations/users?roles[]=user');
    expect(listed.body.data.map((u: { id: string }) => u.id)).toEqual([id]);
  });

  it('console: refuses admin, owner, primary_owner and enterprise roles', async () => {
    const emu = await emulator({ seed: consoleSeed });
    const id = await idOf(emu, 'user@acme.com');
    for (const role of ['admin', 'owner', 'primary_owner', 'managed', 'membership_admin', 'superuser']) {
      expectEnvelope(await call(emu, `/v1/organizations/users/${id}`, { body: { role } }), 400, 'invalid_request_error');
    }
    expect(emu.store.user(id)!.role).toBe('user');
  });

  it('console: members holding a keep-only role cannot be changed', async () => {
    const emu = await emulator({ seed: consoleSeed });
    for (const email of ['primary@acme.com', 'owner@acme.com', 'admin@acme.com']) {
      const id = await idOf(emu, email);
      const a = await call(emu, `/v1/organizations/users/${id}`, { body: { role: 'user' } });
      expect(expectEnvelope(a, 400, 'invalid_request_error')).toContain(id);
    }
  });

  it('enterprise: assigns user and managed only; keep-only members are protected', async () => {
    const emu = await emulator({ seed: enterpriseSeed });
    const id = await idOf(emu, 'user@acme.com');
    expect((await call(emu, `/v1/organizations/users/${id}`, { body: { role: 'managed' } })).body.role).toBe('managed');
    for (const role of ['developer', 'billing', 'claude_code_user', 'admin', 'owner', 'membership_admin', 'primary_owner']) {
      expectEnvelope(await call(emu, `/v1/organizations/users/${id}`, { body: { role } }), 400, 'invalid_request_error');
    }
    for (const email of ['primary@acme.com', 'owner@acme.com', 'madmin@acme.com']) {
      const target = await idOf(emu, email);
      expectEnvelope(await call(emu, `/v1/organizations/users/${target}`, { body: { role: 'user' } }), 400, 'invalid_request_error');
    }
  });

  it('validates the body before looking up the user', async () => {
    const emu = await emulator({ seed: consoleSeed });
    const id = await idOf(emu, 'user@acme.com');
    const cases: Array<[unknown, string]> = [
      [{}, 'role'],
      [{ role: 5 }, 'role'],
      [{ role: 'user', name: 'x' }, 'name'],
      [[], 'object'],
    ];
    for (const [body, word] of cases) {
      const a = await call(emu, `/v1/organizations/users/${id}`, { body });
      expect(expectEnvelope(a, 400, 'invalid_request_error')).toContain(word);
    }
    expectEnvelope(await call(emu, `/v1/organizations/users/${id}`, { method: 'POST' }), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, '/v1/organizations/users/user_01nobody', { body: { role: 'user' } }), 404, 'not_found_error');
  });
});

describe('delete', () => {
  it('removes a member: {id, type: user_deleted}, then 404', async () => {
    const emu = await emulator({ seed: consoleSeed });
    const id = await idOf(emu, 'dev@acme.com');
    const a = await call(emu, `/v1/organizations/users/${id}`, { method: 'DELETE' });
    expect(a.body).toEqual({ id, type: 'user_deleted' });
    expectEnvelope(await call(emu, `/v1/organizations/users/${id}`), 404, 'not_found_error');
    expectEnvelope(await call(emu, `/v1/organizations/users/${id}`, { method: 'DELETE' }), 404, 'not_found_error');
    expect((await call(emu, '/v1/organizations/users?email=dev@acme.com')).body.data).toEqual([]);
  });

  it('refuses keep-only members of both kinds', async () => {
    const c = await emulator({ seed: consoleSeed });
    for (const email of ['primary@acme.com', 'owner@acme.com', 'admin@acme.com']) {
      expectEnvelope(await call(c, `/v1/organizations/users/${await idOf(c, email)}`, { method: 'DELETE' }), 400, 'invalid_request_error');
    }
    const e = await emulator({ seed: enterpriseSeed });
    for (const email of ['primary@acme.com', 'owner@acme.com', 'madmin@acme.com']) {
      expectEnvelope(await call(e, `/v1/organizations/users/${await idOf(e, email)}`, { method: 'DELETE' }), 400, 'invalid_request_error');
    }
    expect((await call(e, `/v1/organizations/users/${await idOf(e, 'managed@acme.com')}`, { method: 'DELETE' })).status).toBe(200);
  });

  it('refuses every removal when SCIM provisions the org (§13.2)', async () => {
    const emu = await emulator({ seed: { ...enterpriseSeed, organization: { kind: 'enterprise', provisioning: 'scim' } } });
    const id = await idOf(emu, 'user@acme.com');
    expect(expectEnvelope(await call(emu, `/v1/organizations/users/${id}`, { method: 'DELETE' }), 400, 'invalid_request_error')).toMatch(/SCIM/);
    expect(emu.store.user(id)).toBeDefined();
    // Role changes still work (only advanced group mapping would block them).
    expect((await call(emu, `/v1/organizations/users/${id}`, { body: { role: 'managed' } })).status).toBe(200);
  });
});
