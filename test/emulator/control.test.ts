// Control endpoints: clock, state (read and replace), request log and counters.

import { describe, expect, it } from 'vitest';
import { call, control, emulator, expectEnvelope } from './helpers.js';

describe('clock', () => {
  it('advances by seconds and days, never backwards', async () => {
    const emu = await emulator();
    const start = Date.parse((await control(emu, '/clock')).body.now);
    const moved = await control(emu, '/clock/advance', { body: { days: 1, seconds: 30 } });
    expect(Date.parse(moved.body.now) - start).toBeGreaterThanOrEqual(86_430_000);
    expect(moved.body.offset_seconds).toBe(86_430);
    expectEnvelope(await control(emu, '/clock/advance', { body: { seconds: -1 } }), 400, 'invalid_request_error');
    expectEnvelope(await control(emu, '/clock/advance', { body: { hours: 1 } }), 400, 'invalid_request_error');
    expect((await control(emu, '/clock')).body.offset_seconds).toBe(86_430);
  });
});

describe('state', () => {
  it('PUT replaces everything and GET shows it', async () => {
    const emu = await emulator();
    await call(emu, '/v1/organizations/invites', { body: { email: 'before@acme.com', role: 'user' } });
    await control(emu, '/clock/advance', { body: { days: 5 } });
    const put = await control(emu, '/state', {
      method: 'PUT',
      body: {
        organization: { id: '11111111-2222-4333-8444-555555555555', name: 'Replaced', kind: 'enterprise' },
        admin_keys: [{ key: 'sk-ant-api01-replaced-key-01', name: 'ops' }],
        users: [{ email: 'after@acme.com', role: 'managed' }],
      },
    });
    expect(put.status).toBe(200);
    const state = (await control(emu, '/state')).body;
    expect(state.organization).toEqual({ id: '11111111-2222-4333-8444-555555555555', name: 'Replaced', kind: 'enterprise', provisioning: 'invite' });
    expect(state.users.map((u: { email: string }) => u.email)).toEqual(['after@acme.com']);
    expect(state.invites).toEqual([]);
    expect(state.invitation_emails).toEqual({});
    expect(state.requests).toEqual({});
    expect(state.clock_offset_seconds).toBe(0);
    expect(state.admin_keys).toEqual([{ name: 'ops', scopes: null }]);
    expect((await call(emu, '/v1/organizations/me')).status).toBe(401); // the old default key is gone
    expect((await call(emu, '/v1/organizations/me', { key: 'sk-ant-api01-replaced-key-01' })).body.name).toBe('Replaced');
  });

  it('PUT with a bad seed is a 400 listing the problems, and keeps the old state', async () => {
    const emu = await emulator({ seed: { users: [{ email: 'keep@acme.com', role: 'user' }] } });
    const a = await control(emu, '/state', { method: 'PUT', body: { users: [{ email: 'x', role: 'boss' }] } });
    const message = expectEnvelope(a, 400, 'invalid_request_error');
    expect(message).toContain('users[0].email');
    expect(message).toContain('users[0].role');
    expect((await control(emu, '/state')).body.users.map((u: { email: string }) => u.email)).toEqual(['keep@acme.com']);
    expectEnvelope(await control(emu, '/state', { method: 'PUT', body: '{oops' }), 400, 'invalid_request_error');
  });

  it('counts requests by route template and status', async () => {
    const emu = await emulator({ seed: { users: [{ email: 'a@acme.com', role: 'user' }] } });
    const id = emu.store.userByEmail('a@acme.com')!.id;
    await call(emu, `/v1/organizations/users/${id}`);
    await call(emu, '/v1/organizations/users/user_01nobody');
    await call(emu, '/v1/organizations/users?limit=5');
    await call(emu, '/v1/organizations/nothing');
    await call(emu, '/v1/organizations/users', { key: null });
    expect((await control(emu, '/state')).body.requests).toEqual({
      'GET (unmatched)': { '404': 1 },
      'GET /v1/organizations/users': { '200': 1, '401': 1 },
      'GET /v1/organizations/users/{user_id}': { '200': 1, '404': 1 },
    });
  });
});

describe('request log', () => {
  it('returns the most recent API requests, oldest first, with key names only', async () => {
    const emu = await emulator();
    for (let i = 0; i < 5; i++) await call(emu, `/v1/organizations/users?limit=${i + 1}`);
    await control(emu, '/state'); // control traffic is not logged
    const recent = (await control(emu, '/requests?limit=3')).body.data;
    expect(recent.map((r: { query: string }) => r.query)).toEqual(['limit=3', 'limit=4', 'limit=5']);
    expect(recent[0]).toMatchObject({ method: 'GET', path: '/v1/organizations/users', status: 200, key_name: 'admin-key-1' });
    expect(recent[0].request_id).toMatch(/^req_01/);
    expectEnvelope(await control(emu, '/requests?limit=0'), 400, 'invalid_request_error');
    expectEnvelope(await control(emu, '/nothing'), 404, 'not_found_error');
  });

  it('keeps a bounded ring', async () => {
    const { RequestLog } = await import('../../src/emulator/request-log.js');
    const log = new RequestLog(3);
    for (let i = 0; i < 7; i++) {
      log.record('GET /x', { at: '', method: 'GET', path: '/x', query: String(i), status: 200, request_id: `r${i}`, key_name: null });
    }
    expect(log.recent(10).map((r) => r.query)).toEqual(['4', '5', '6']);
    expect(log.recent(2).map((r) => r.query)).toEqual(['5', '6']);
    expect(log.counters()).toEqual({ 'GET /x': { '200': 7 } });
  });
});
