// Injected faults (POST /_emulator/faults): statuses, proxy pages, truncated and empty bodies, resets, delays,
// probabilities; checked before auth and rate limits, never on control endpoints.

import { describe, expect, it } from 'vitest';
import { call, control, DEFAULT_ADMIN_KEY, emulator, expectEnvelope, REQUEST_ID } from './helpers.js';

const USERS = '/v1/organizations/users';

describe('status faults', () => {
  it('answers the next request with the status and the envelope, then stops', async () => {
    const emu = await emulator();
    const added = await control(emu, '/faults', { body: { path: USERS, status: 500 } });
    expect(added.body.id).toMatch(/^fault_/);
    const failed = await call(emu, USERS);
    expectEnvelope(failed, 500, 'api_error');
    expect(failed.headers.get('request-id')).toMatch(REQUEST_ID);
    expect((await call(emu, USERS)).status).toBe(200);
    const listed = (await control(emu, '/faults')).body.data;
    expect(listed).toMatchObject([{ id: added.body.id, fired: 1, remaining: 0 }]);
  });

  it('matches method and path prefix, fires count times, with custom type, message and retry-after', async () => {
    const emu = await emulator();
    await control(emu, '/faults', {
      body: { method: 'get', path: '/v1/organizations/*', count: 2, status: 529, message: 'Busy', retry_after: 7 },
    });
    expect((await call(emu, '/v1/organizations/invites', { body: { email: 'a@b.co', role: 'user' } })).status).toBe(200);
    const a = await call(emu, '/v1/organizations/me');
    expect(expectEnvelope(a, 529, 'overloaded_error')).toBe('Busy');
    expect(a.headers.get('retry-after')).toBe('7');
    expectEnvelope(await call(emu, USERS), 529, 'overloaded_error');
    expect((await call(emu, USERS)).status).toBe(200);

    await control(emu, '/faults', { body: { path: USERS, status: 429, error_type: 'rate_limit_error', retry_after: 2 } });
    const limited = await call(emu, USERS);
    expectEnvelope(limited, 429, 'rate_limit_error');
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await control(emu, '/state')).body.rate_limited).toBe(1);
  });

  it('is checked before auth and before the rate limit', async () => {
    const emu = await emulator({ rateLimit: { requestsPerMinute: 1 } });
    await control(emu, '/faults', { body: { status: 503, count: 3 } });
    expect((await call(emu, USERS, { key: null })).status).toBe(503);
    expect((await call(emu, USERS)).status).toBe(503);
    expect((await call(emu, USERS)).status).toBe(503);
    expect((await call(emu, USERS)).status).toBe(200); // the single token was never spent by a fault
  });

  it('never applies to control endpoints', async () => {
    const emu = await emulator();
    await control(emu, '/faults', { body: { path: '/*', status: 500, count: 5 } });
    expect((await control(emu, '/state')).status).toBe(200);
    expect((await control(emu, '/faults')).body.data[0].fired).toBe(0);
  });
});

describe('body faults', () => {
  it('html: a proxy page without API headers', async () => {
    const emu = await emulator();
    await control(emu, '/faults', { body: { path: USERS, body: 'html' } });
    const a = await call(emu, USERS);
    expect(a.status).toBe(502);
    expect(a.headers.get('content-type')).toMatch(/^text\/html/);
    expect(a.text).toContain('502 Bad Gateway');
    expect(a.body).toBeUndefined();
    expect(a.headers.get('request-id')).toBeNull();
  });

  it('truncated: a 200 whose JSON is cut off', async () => {
    const emu = await emulator();
    await control(emu, '/faults', { body: { path: USERS, body: 'truncated' } });
    const a = await call(emu, USERS);
    expect(a.status).toBe(200);
    expect(a.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(a.text)).toThrow();
  });

  it('empty: the status with no body at all', async () => {
    const emu = await emulator();
    await control(emu, '/faults', { body: { path: USERS, body: 'empty', status: 503 } });
    const a = await call(emu, USERS);
    expect(a.status).toBe(503);
    expect(a.text).toBe('');
  });
});

describe('connection faults', () => {
  it('reset: the socket is destroyed and the request is logged as status 0', async () => {
    const emu = await emulator();
    await control(emu, '/faults', { body: { path: USERS, reset: true } });
    await expect(call(emu, USERS)).rejects.toThrow();
    expect((await call(emu, USERS)).status).toBe(200);
    const log = (await control(emu, '/requests')).body.data;
    expect(log.map((r: { status: number }) => r.status)).toEqual([0, 200]);
  });

  it('delay without status: the request hangs, then is handled normally', async () => {
    const emu = await emulator();
    await control(emu, '/faults', { body: { method: 'POST', path: '/v1/organizations/invites', delay_ms: 150 } });
    const a = await call(emu, '/v1/organizations/invites', { body: { email: 'slow@acme.com', role: 'user' } });
    expect(a.status).toBe(200);
    expect(emu.store.invitationEmails('slow@acme.com')).toBe(1);
    expect((await control(emu, '/faults')).body.data[0].fired).toBe(1);
  });

  it('delay past the client deadline: the request the server has is still carried out, and its answer is lost (issue 12)', async () => {
    const emu = await emulator();
    await control(emu, '/faults', { body: { method: 'POST', path: '/v1/organizations/invites', delay_ms: 300 } });
    const gaveUp = fetch(emu.url + '/v1/organizations/invites', {
      method: 'POST',
      headers: { 'x-api-key': DEFAULT_ADMIN_KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'late@acme.com', role: 'user' }),
      signal: AbortSignal.timeout(50),
    });
    await expect(gaveUp).rejects.toThrow();
    expect(emu.store.invitationEmails('late@acme.com')).toBe(0);
    await new Promise((r) => setTimeout(r, 600));
    expect(emu.store.invitationEmails('late@acme.com')).toBe(1);
  });

  it('delay with status: hangs, then answers the fault; a client timeout sees no answer', async () => {
    const emu = await emulator();
    await control(emu, '/faults', { body: { path: USERS, delay_ms: 100, status: 504 } });
    expectEnvelope(await call(emu, USERS), 504, 'timeout_error');
    await control(emu, '/faults', { body: { path: USERS, delay_ms: 60_000, status: 500 } });
    const aborted = fetch(emu.url + USERS, { signal: AbortSignal.timeout(100) });
    await expect(aborted).rejects.toThrow();
  });

  it('close() does not wait for a hanging request', async () => {
    const emu = await emulator();
    await control(emu, '/faults', { body: { delay_ms: 600_000 } });
    const hanging = fetch(emu.url + USERS, { headers: { 'x-api-key': 'x' } }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await emu.close();
    expect(await hanging).toBeInstanceOf(Error);
  });
});

describe('probability and management', () => {
  it('probability 0 never fires; probability 1 with count fires exactly count times', async () => {
    const emu = await emulator();
    await control(emu, '/faults', { body: { path: USERS, status: 500, probability: 0 } });
    await control(emu, '/faults', { body: { path: '/v1/organizations/me', status: 500, probability: 1, count: 2 } });
    for (let i = 0; i < 5; i++) expect((await call(emu, USERS)).status).toBe(200);
    const me = [];
    for (let i = 0; i < 4; i++) me.push((await call(emu, '/v1/organizations/me')).status);
    expect(me).toEqual([500, 500, 200, 200]);
    const listed = (await control(emu, '/faults')).body.data;
    expect(listed.map((f: { fired: number }) => f.fired)).toEqual([0, 2]);
    expect(listed[0].remaining).toBeNull();
  });

  it('probability 0.5 without count fires some of the time', async () => {
    const emu = await emulator();
    await control(emu, '/faults', { body: { path: USERS, status: 500, probability: 0.5 } });
    const statuses = [];
    for (let i = 0; i < 60; i++) statuses.push((await call(emu, USERS)).status);
    expect(statuses).toContain(500); // (1/2)^60 chance of a false failure
    expect(statuses).toContain(200);
  });

  it('DELETE clears all faults; bad specs are 400s', async () => {
    const emu = await emulator();
    await control(emu, '/faults', { body: { status: 500, count: 10 } });
    await control(emu, '/faults', { method: 'DELETE' });
    expect((await control(emu, '/faults')).body.data).toEqual([]);
    expect((await call(emu, USERS)).status).toBe(200);
    const bad: unknown[] = [
      {},
      { status: 99 },
      { status: 500, probability: 2 },
      { status: 500, body: 'xml' },
      { status: 500, path: 'no-slash' },
      { status: 500, path: '/a*b' },
      { status: 500, colour: 'red' },
      [],
    ];
    for (const body of bad) expectEnvelope(await control(emu, '/faults', { body }), 400, 'invalid_request_error');
  });
});
