// Auth (§2.2, §2.3), the error envelope (§2.7) and the headers on every answer (§2.5).

import { describe, expect, it } from 'vitest';
import { call, control, DEFAULT_ADMIN_KEY, emulator, expectEnvelope, REQUEST_ID } from './helpers.js';

const ORG_ID = '6a0c2f1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const ENTERPRISE_KEYS = [
  { key: 'sk-ant-api01-reader-key-0001', name: 'reader', scopes: ['read:members'] },
  { key: 'sk-ant-api01-writer-key-0002', name: 'writer', scopes: ['write:members'] },
  { key: 'sk-ant-api01-auditor-key-003', name: 'auditor', scopes: ['read:org_audit'] },
  { key: 'sk-ant-api01-analytics-key-4', name: 'analytics', scopes: ['read:analytics'] },
];

async function enterprise() {
  return emulator({
    seed: {
      organization: { id: ORG_ID, name: 'Acme', kind: 'enterprise' },
      admin_keys: ENTERPRISE_KEYS,
      users: [{ email: 'jane@acme.com', role: 'user' }],
    },
  });
}

describe('authentication', () => {
  it('accepts the default key in x-api-key and as a Bearer token', async () => {
    const emu = await emulator();
    const a = await call(emu, '/v1/organizations/me');
    const b = await call(emu, '/v1/organizations/me', { bearer: true });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body).toEqual({ id: '00000000-0000-4000-8000-000000000001', type: 'organization', name: 'Emulated Organization' });
  });

  it('answers 401 authentication_error without a key, with an unknown key, or with a malformed authorization', async () => {
    const emu = await emulator();
    const missing = await call(emu, '/v1/organizations/users', { key: null });
    expectEnvelope(missing, 401, 'authentication_error');
    const unknown = await call(emu, '/v1/organizations/users', { key: 'sk-ant-admin01-not-a-real-key' });
    expectEnvelope(unknown, 401, 'authentication_error');
    const bearer = await call(emu, '/v1/organizations/users', { key: 'sk-ant-admin01-wrong', bearer: true });
    expectEnvelope(bearer, 401, 'authentication_error');
    const basic = await call(emu, '/v1/organizations/users', { key: null, headers: { authorization: 'Basic abc' } });
    expectEnvelope(basic, 401, 'authentication_error');
    // The org that owns a key is unknowable without one (§2.5).
    expect(unknown.headers.get('anthropic-organization-id')).toBeNull();
    // A 401 never echoes the key it refused.
    expect(unknown.text).not.toContain('not-a-real-key');
  });

  it('a seed with an empty key list refuses every request', async () => {
    const emu = await emulator({ seed: { admin_keys: [] } });
    expectEnvelope(await call(emu, '/v1/organizations/me'), 401, 'authentication_error');
  });
});

describe('enterprise key scopes (§2.3)', () => {
  it('read:members reads but cannot write; the 403 lists held and needed scopes', async () => {
    const emu = await enterprise();
    const reader = ENTERPRISE_KEYS[0]!.key;
    expect((await call(emu, '/v1/organizations/users', { key: reader })).status).toBe(200);
    expect((await call(emu, '/v1/organizations/invites', { key: reader })).status).toBe(200);
    const denied = await call(emu, '/v1/organizations/invites', { key: reader, body: { email: 'x@acme.com', role: 'user' } });
    const message = expectEnvelope(denied, 403, 'permission_error');
    expect(message).toContain('write:members');
    expect(message).toContain('read:members');
    expect(emu.store.invitationEmails('x@acme.com')).toBe(0);
  });

  it('write:members writes but cannot read', async () => {
    const emu = await enterprise();
    const writer = ENTERPRISE_KEYS[1]!.key;
    const created = await call(emu, '/v1/organizations/invites', { key: writer, body: { email: 'x@acme.com', role: 'user' } });
    expect(created.status).toBe(200);
    // SDK 1.17: inviting as `managed` needs write:rbac_groups in addition to write:members.
    const managed = await call(emu, '/v1/organizations/invites', { key: writer, body: { email: 'y@acme.com', role: 'managed' } });
    const needs = expectEnvelope(managed, 403, 'permission_error');
    expect(needs).toContain('write:members and write:rbac_groups');
    expect(emu.store.invitationEmails('y@acme.com')).toBe(0);
    const denied = await call(emu, '/v1/organizations/users', { key: writer });
    const message = expectEnvelope(denied, 403, 'permission_error');
    expect(message).toContain('read:members');
    expect(message).toContain('write:members');
    const get = await call(emu, `/v1/organizations/invites/${created.body.id}`, { key: writer });
    expectEnvelope(get, 403, 'permission_error');
  });

  it('read:org_audit grants every user-management GET and nothing else', async () => {
    const emu = await enterprise();
    const auditor = ENTERPRISE_KEYS[2]!.key;
    expect((await call(emu, '/v1/organizations/users', { key: auditor })).status).toBe(200);
    const user = emu.store.userByEmail('jane@acme.com')!;
    const del = await call(emu, `/v1/organizations/users/${user.id}`, { key: auditor, method: 'DELETE' });
    expectEnvelope(del, 403, 'permission_error');
    expect(emu.store.user(user.id)).toBeDefined();
  });

  it('a key without member scopes can still ask who it belongs to, but reads no members', async () => {
    const emu = await enterprise();
    const analytics = ENTERPRISE_KEYS[3]!.key;
    const me = await call(emu, '/v1/organizations/me', { key: analytics });
    expect(me.body.id).toBe(ORG_ID);
    const denied = await call(emu, '/v1/organizations/users', { key: analytics });
    expect(expectEnvelope(denied, 403, 'permission_error')).toContain('read:analytics');
  });
});

describe('headers and envelope on every answer', () => {
  it('request-id, organization id and content-type on successes and errors alike', async () => {
    const emu = await emulator({ seed: { organization: { id: ORG_ID } } });
    const answers = [
      await call(emu, '/v1/organizations/me'),
      await call(emu, '/v1/organizations/users'),
      await call(emu, '/v1/organizations/users/user_01nothere'),
      await call(emu, '/v1/organizations/unknown'),
      await call(emu, '/v1/organizations/invites', { body: '{not json' }),
      await call(emu, '/v1/organizations/users?limit=0'),
      await call(emu, '/v1/organizations/users', { key: null }),
    ];
    const ids = new Set<string>();
    for (const a of answers) {
      const id = a.headers.get('request-id');
      expect(id).toMatch(REQUEST_ID);
      ids.add(id!);
      expect(a.headers.get('content-type')).toBe('application/json');
      expect(a.headers.get('anthropic-workspace-id')).toBeNull(); // §2.5: absent on Admin routes
    }
    expect(ids.size).toBe(answers.length);
    for (const a of answers.slice(0, 6)) expect(a.headers.get('anthropic-organization-id')).toBe(ORG_ID);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 404, 404, 400, 400, 401]);
    expectEnvelope(answers[2]!, 404, 'not_found_error');
    expectEnvelope(answers[3]!, 404, 'not_found_error');
    expectEnvelope(answers[4]!, 400, 'invalid_request_error');
  });

  it('an unknown method on a known path is a 404', async () => {
    const emu = await emulator();
    expectEnvelope(await call(emu, '/v1/organizations/users', { method: 'PATCH', body: {} }), 404, 'not_found_error');
    expectEnvelope(await call(emu, '/v1/organizations/me/', {}), 404, 'not_found_error');
  });

  it('a body over the limit is 413 request_too_large', async () => {
    const emu = await emulator();
    const big = JSON.stringify({ email: 'a@b.co', role: 'user', pad: 'x'.repeat(3 * 1024 * 1024) });
    const a = await call(emu, '/v1/organizations/invites', { body: big });
    expectEnvelope(a, 413, 'request_too_large');
    expect(emu.store.invitationEmails('a@b.co')).toBe(0);
    // The connection is still usable afterwards.
    expect((await call(emu, '/v1/organizations/me')).status).toBe(200);
  });

  it('?beta=true and anthropic-beta are accepted and ignored', async () => {
    const emu = await emulator();
    const a = await call(emu, '/v1/organizations/users?beta=true', {
      headers: { 'anthropic-beta': 'ce-user-management-2026-07-13' },
    });
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
  });

  it('anthropic-version: lenient by default, required with strictVersion, unknown values refused', async () => {
    const lenient = await emulator();
    const noVersion = await fetch(`${lenient.url}/v1/organizations/me`, { headers: { 'x-api-key': DEFAULT_ADMIN_KEY } });
    expect(noVersion.status).toBe(200);
    const bad = await call(lenient, '/v1/organizations/me', { headers: { 'anthropic-version': '2099-01-01' } });
    expectEnvelope(bad, 400, 'invalid_request_error');

    const strict = await emulator({ strictVersion: true });
    const refused = await fetch(`${strict.url}/v1/organizations/me`, { headers: { 'x-api-key': DEFAULT_ADMIN_KEY } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as any).error.message).toContain('anthropic-version');
    expect((await call(strict, '/v1/organizations/me')).status).toBe(200);
  });
});

describe('secrets', () => {
  it('the state, the request log and the log lines never contain a key value', async () => {
    const lines: string[] = [];
    const emu = await emulator({
      seed: { organization: { kind: 'enterprise' }, admin_keys: ENTERPRISE_KEYS },
      log: (l) => lines.push(l),
    });
    await call(emu, '/v1/organizations/users', { key: ENTERPRISE_KEYS[0]!.key });
    await call(emu, '/v1/organizations/users', { key: ENTERPRISE_KEYS[1]!.key, bearer: true });
    await call(emu, '/v1/organizations/users', { key: 'sk-ant-api01-unknown-key-999' });
    const state = await control(emu, '/state');
    const requests = await control(emu, '/requests');
    const everything = [state.text, requests.text, JSON.stringify(emu.store.snapshot()), ...lines].join('\n');
    for (const k of [...ENTERPRISE_KEYS.map((k) => k.key), 'sk-ant-api01-unknown-key-999']) {
      expect(everything).not.toContain(k);
    }
    expect(state.body.admin_keys.map((k: { name: string }) => k.name)).toEqual(['reader', 'writer', 'auditor', 'analytics']);
    expect(requests.body.data.map((r: { key_name: string | null }) => r.key_name)).toEqual(['reader', 'writer', null]);
    expect(lines).toHaveLength(3);
  });

  it('the default emulator state has the default key only as a name', async () => {
    const emu = await emulator();
    const state = await control(emu, '/state');
    expect(state.text).not.toContain(DEFAULT_ADMIN_KEY);
    expect(state.body.admin_keys).toEqual([{ name: 'admin-key-1', scopes: null }]);
  });
});
