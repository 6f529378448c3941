// The SCIM mount as a whole (reference §13.3, §13.6, §13.9, §14.3; scim.md §3.1, §3.11): bearer token, plan gate,
// directory key, media types, error bodies, the 2,000 KB limit, request counters, faults and the SCIM rate limit.

import { describe, expect, it } from 'vitest';
import { call, control, DEFAULT_ADMIN_KEY, emulator } from './helpers.js';
import { DIRECTORY, expectScimError, scim, SCIM_BASE, SCIM_TOKEN, scimSeed, userBody } from './scim-helpers.js';

describe('authentication and the directory key', () => {
  it('refuses a missing or wrong bearer token, and the admin key, with a SCIM 401 body', async () => {
    const emu = await emulator({ seed: scimSeed({}, { admin_keys: [DEFAULT_ADMIN_KEY] }) });
    expectScimError(await scim(emu, '/Users', { token: null }), 401);
    const wrong = await scim(emu, '/Users', { token: 'not-the-directory-token' });
    expectScimError(wrong, 401);
    expect(wrong.text).not.toContain('not-the-directory-token');
    expectScimError(await scim(emu, '/Users', { token: DEFAULT_ADMIN_KEY }), 401);
    expectScimError(await scim(emu, '/Users', { token: null, headers: { authorization: `Basic ${SCIM_TOKEN}` } }), 401);
    expect((await scim(emu, '/Users')).status).toBe(200);
    // And the directory token is no admin key.
    expect((await call(emu, '/v1/organizations/users', { key: SCIM_TOKEN })).status).toBe(401);
  });

  it('answers 404 for another directory key and when the org has no directory', async () => {
    const emu = await emulator({ seed: scimSeed() });
    expectScimError(await scim(emu, '/scim/v2.0/other_directory/Users'), 404);
    expectScimError(await scim(emu, '/scim/v2.0'), 404);
    const plain = await emulator();
    expectScimError(await scim(plain, `/scim/v2.0/${DIRECTORY}/Users`), 404);
  });

  it('a generated directory key is shown in the state, the token never', async () => {
    const emu = await emulator({ seed: { organization: { kind: 'enterprise' }, scim: { token: SCIM_TOKEN } } });
    const state = await control(emu, '/state');
    expect(state.body.scim.directory).toMatch(/^[1-9A-HJ-NP-Za-km-z]{24}$/);
    expect(state.text).not.toContain(SCIM_TOKEN);
    expect((await scim(emu, `/scim/v2.0/${state.body.scim.directory}/Users`)).status).toBe(200);
  });

  it('a non-Enterprise plan (scim.forbidden) answers 403 to every request, token or not (§13.9 design choice)', async () => {
    const emu = await emulator({ seed: { scim: { forbidden: true } } });
    expectScimError(await scim(emu, '/Users'), 403);
    expectScimError(await scim(emu, '/Groups', { token: null }), 403);
    expectScimError(await scim(emu, '/scim/v2.0/anything/Users', { body: userBody('a@acme.com') }), 403);
  });
});

describe('media types, errors, body limit', () => {
  it('answers application/scim+json and accepts application/json or application/scim+json bodies', async () => {
    const emu = await emulator({ seed: scimSeed() });
    const list = await scim(emu, '/Users');
    expect(list.headers.get('content-type')).toBe('application/scim+json');
    const a = await scim(emu, '/Users', { body: userBody('a@acme.com'), contentType: 'application/json' });
    const b = await scim(emu, '/Users', { body: userBody('b@acme.com'), contentType: 'application/scim+json; charset=utf-8' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expectScimError(await scim(emu, '/Users', { body: userBody('c@acme.com'), contentType: 'text/plain' }), 415);
  });

  it('a malformed JSON body or a non-object is a 400 invalidSyntax; an unknown endpoint a 404', async () => {
    const emu = await emulator({ seed: scimSeed() });
    expectScimError(await scim(emu, '/Users', { body: '{"userName":' }), 400, 'invalidSyntax');
    expectScimError(await scim(emu, '/Users', { body: '[1,2]' }), 400, 'invalidSyntax');
    expectScimError(await scim(emu, '/Users', { method: 'POST' }), 400, 'invalidSyntax');
    expectScimError(await scim(emu, '/Bulk', { body: {} }), 404);
    expectScimError(await scim(emu, '/Users/some-id', { method: 'POST', body: {} }), 404);
  });

  it('refuses a body over 2,000 KB with a 413 that is not a SCIM body (§13.4)', async () => {
    const emu = await emulator({ seed: scimSeed() });
    const big = JSON.stringify(userBody('big@acme.com', { displayName: 'x'.repeat(2_000 * 1024) }));
    const r = await scim(emu, '/Users', { body: big });
    expect(r.status).toBe(413);
    expect(r.body?.schemas).toBeUndefined();
    expect(r.headers.get('content-type')).not.toContain('scim');
    // Just under the limit is fine.
    const fits = JSON.stringify(userBody('fits@acme.com', { displayName: 'x'.repeat(1_900 * 1024) }));
    expect((await scim(emu, '/Users', { body: fits })).status).toBe(201);
  });
});

describe('requests are counted, logged, rate limited and subject to faults', () => {
  it('counts SCIM requests by route template and logs them without the token', async () => {
    const emu = await emulator({ seed: scimSeed() });
    await scim(emu, '/Users');
    await scim(emu, '/Users', { token: 'wrong-token-value' });
    const created = await scim(emu, '/Users', { body: userBody('a@acme.com') });
    await scim(emu, `/Users/${created.body.id}`);
    const state = (await control(emu, '/state')).body;
    expect(state.requests['GET /scim/v2.0/{directory}/Users']).toEqual({ '200': 1, '401': 1 });
    expect(state.requests['POST /scim/v2.0/{directory}/Users']).toEqual({ '201': 1 });
    expect(state.requests['GET /scim/v2.0/{directory}/Users/{id}']).toEqual({ '200': 1 });
    const log = await control(emu, '/requests?limit=10');
    expect(log.body.data.map((r: any) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'GET 401', 'POST 201', 'GET 200']);
    expect(log.body.data[0]).toMatchObject({ path: `${SCIM_BASE}/Users`, key_name: 'scim-directory' });
    expect(log.body.data[1].key_name).toBeNull();
    expect(log.text).not.toContain(SCIM_TOKEN);
  });

  it('faults match SCIM paths (exact and prefix) and answer before auth', async () => {
    const emu = await emulator({ seed: scimSeed() });
    await control(emu, '/faults', { body: { path: `${SCIM_BASE}/Users`, method: 'GET', status: 503, message: 'try later' } });
    await control(emu, '/faults', { body: { path: '/scim/v2.0/*', status: 502, body: 'html' } });
    await control(emu, '/faults', { body: { path: `${SCIM_BASE}/Groups`, reset: true } });
    const first = await scim(emu, '/Users', { token: null });
    expect(expectScimError(first, 503)).toBe('try later');
    const html = await scim(emu, '/Groups');
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toContain('text/html');
    await expect(scim(emu, '/Groups')).rejects.toThrow();
    expect((await scim(emu, '/Users')).status).toBe(200);
    const state = (await control(emu, '/state')).body;
    expect(state.requests['GET /scim/v2.0/{directory}/Users']).toEqual({ '200': 1, '503': 1 });
    expect(state.requests['GET /scim/v2.0/{directory}/Groups']).toEqual({ '0': 1, '502': 1 });
  });

  it('has its own rate-limit bucket: 429 with retry-after, the Admin API unaffected', async () => {
    const emu = await emulator({ seed: scimSeed({ requests_per_minute: 2 }, { rate_limits: { requests_per_minute: 100 } }) });
    expect((await scim(emu, '/Users')).status).toBe(200);
    expect((await scim(emu, '/Groups')).status).toBe(200);
    const limited = await scim(emu, '/Users');
    expectScimError(limited, 429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call(emu, '/v1/organizations/me')).status).toBe(200);
    expect((await control(emu, '/state')).body.rate_limited).toBe(1);
  });
});
