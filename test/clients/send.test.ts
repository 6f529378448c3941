import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { abortSubscriberCount } from '../../src/clients/abort-fanout.js';
import { ApiError, InterruptedError, MalformedResponseError, NetworkError } from '../../src/errors.js';
import { encodeQuery, parseRetryAfterMs, requestNotSent, Sender, type SenderOptions } from '../../src/clients/send.js';
import { api, BASE, expectNoSecret, FAKE_KEY, FAKE_TOKEN, recordTo, rejectionOf, type Recorded } from './helpers.js';

let senders: Sender[] = [];
function sender(over: Partial<SenderOptions> = {}): Sender {
  const s = new Sender({ baseUrl: BASE, credential: { kind: 'x-api-key', value: FAKE_KEY }, timeoutMs: 2000, ...over });
  senders.push(s);
  return s;
}

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await Promise.all(senders.map((s) => s.close()));
  senders = [];
});

describe('request headers and encoding', () => {
  it('sends x-api-key, anthropic-version, accept and a user-agent, and no authorization', async () => {
    const log: Recorded[] = [];
    api().get('/v1/organizations/me').reply(recordTo(log, 200, { id: 'org', type: 'organization', name: 'Acme' }));
    const res = await sender().send({ method: 'GET', path: '/v1/organizations/me' });
    expect(res.body).toEqual({ id: 'org', type: 'organization', name: 'Acme' });
    const h = log[0]!.headers;
    expect(h['x-api-key']).toBe(FAKE_KEY);
    expect(h['anthropic-version']).toBe('2026-10-21');
    expect(h['accept']).toBe('application/json');
    expect(h['user-agent']).toMatch(/^claude-reconcile\/\d+\.\d+\.\d+/);
    expect(h['authorization']).toBeUndefined();
    expect(h['content-type']).toBeUndefined();
  });

  it('sends authorization: Bearer and no x-api-key in bearer mode', async () => {
    const log: Recorded[] = [];
    api().get('/v1/organizations/me').reply(recordTo(log, 200, { id: 'org', name: 'Acme' }));
    await sender({ credential: { kind: 'bearer', value: FAKE_TOKEN } }).send({ method: 'GET', path: '/v1/organizations/me' });
    expect(log[0]!.headers['authorization']).toBe(`Bearer ${FAKE_TOKEN}`);
    expect(log[0]!.headers['x-api-key']).toBeUndefined();
  });

  it('leaves anthropic-version out when asked (SCIM) and honours a custom user-agent', async () => {
    const log: Recorded[] = [];
    api().get('/scim/v2/Users').reply(recordTo(log, 200, { Resources: [] }));
    await sender({ anthropicVersion: null, userAgent: 'test-agent/1' }).send({ method: 'GET', path: '/scim/v2/Users' });
    expect(log[0]!.headers['anthropic-version']).toBeUndefined();
    expect(log[0]!.headers['user-agent']).toBe('test-agent/1');
  });

  it('sends JSON bodies with content-type application/json', async () => {
    const log: Recorded[] = [];
    api().post('/v1/organizations/invites').reply(recordTo(log, 200, { id: 'invite_1' }));
    await sender().send({ method: 'POST', path: '/v1/organizations/invites', body: { email: 'a@b.test', role: 'user' } });
    expect(log[0]!.headers['content-type']).toBe('application/json');
    expect(log[0]!.body).toEqual({ email: 'a@b.test', role: 'user' });
  });

  it('encodes arrays in bracket form and skips undefined values (§2.8)', async () => {
    expect(encodeQuery({ limit: 1000, roles: ['user', 'developer'], email: undefined, x: null, b: false })).toBe(
      'limit=1000&roles[]=user&roles[]=developer&b=false',
    );
    expect(encodeQuery({ email: 'a+b@acme.test', statuses: [] })).toBe('email=a%2Bb%40acme.test');
    const log: Recorded[] = [];
    api().get('/v1/organizations/users').query(true).reply(recordTo(log, 200, { data: [] }));
    await sender().send({ method: 'GET', path: '/v1/organizations/users', query: { limit: 5, roles: ['user', 'owner'] } });
    expect(log[0]!.uri).toBe('/v1/organizations/users?limit=5&roles[]=user&roles[]=owner');
  });

  it('answers 204 with a null body', async () => {
    api().delete('/scim/v2/Users/1').reply(204);
    const res = await sender().send({ method: 'DELETE', path: '/scim/v2/Users/1' });
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
  });
});

describe('reading the body as it arrives', () => {
  it('decodes UTF-8 split across chunks, drops a leading BOM and reads a large body whole', async () => {
    const big = Array.from({ length: 20000 }, (_, i) => ({ id: `user_${i}`, name: `Zoë 😀 ${i}` }));
    const json = Buffer.from(`\uFEFF${JSON.stringify({ data: big, note: 'é😀' })}`, 'utf8');
    const srv = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // odd-sized writes with a pause between some, so that multi-byte characters straddle the chunks
      let at = 0;
      const step = (): void => {
        for (let n = 0; n < 4 && at < json.length; n++, at += 7919) res.write(json.subarray(at, Math.min(at + 7919, json.length)));
        if (at < json.length) setImmediate(step);
        else res.end();
      };
      step();
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    nock.enableNetConnect('127.0.0.1');
    try {
      const { port } = srv.address() as AddressInfo;
      const res = await sender({ baseUrl: `http://127.0.0.1:${port}` }).send({ method: 'GET', path: '/v1/organizations/users' });
      expect(res.body).toEqual({ data: big, note: 'é😀' });
    } finally {
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });
});

describe('malformed 2xx bodies', () => {
  const cases: Array<[string, string]> = [
    ['truncated JSON', '{"data": [{"id": "user_1"'],
    ['an HTML page from a proxy', '<html><body>Gateway says hi</body></html>'],
    ['an empty body', ''],
    ['a JSON string', '"ok"'],
    ['a JSON array', '[1,2]'],
    ['JSON null', 'null'],
  ];
  for (const [name, text] of cases) {
    it(`rejects ${name} with MalformedResponseError`, async () => {
      api().get('/v1/organizations/me').reply(200, text, { 'request-id': 'req_m1' });
      const err = await rejectionOf(sender().send({ method: 'GET', path: '/v1/organizations/me' }));
      expect(err).toBeInstanceOf(MalformedResponseError);
      const e = err as MalformedResponseError;
      expect(e.request).toEqual({ method: 'GET', path: '/v1/organizations/me', requestId: 'req_m1' });
      expect(e.message).toContain('GET /v1/organizations/me');
      expect(e.message).toContain('req_m1');
    });
  }
});

describe('error mapping (§2.7)', () => {
  it('maps the error envelope: status, type, message, request id from the header', async () => {
    api()
      .get('/v1/organizations/users/user_x')
      .reply(404, { type: 'error', error: { type: 'not_found_error', message: 'No such user' }, request_id: 'req_body' }, {
        'request-id': 'req_header',
      });
    const err = await rejectionOf(sender().send({ method: 'GET', path: '/v1/organizations/users/user_x' }));
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(404);
    expect(e.errorType).toBe('not_found_error');
    expect(e.apiMessage).toBe('No such user');
    expect(e.request).toEqual({ method: 'GET', path: '/v1/organizations/users/user_x', requestId: 'req_header' });
    expect(e.retryable).toBe(false);
    expect(e.code).toBe('api_404');
    expect(e.message).toBe(
      'GET /v1/organizations/users/user_x (request-id req_header) failed: 404 not_found_error: No such user',
    );
  });

  it('takes the request id from the body when the header is missing, and keeps unknown types', async () => {
    api()
      .post('/v1/organizations/invites')
      .reply(409, { type: 'error', error: { type: 'conflict_error', message: 'Already invited' }, request_id: 'req_b2' });
    const e = (await rejectionOf(sender().send({ method: 'POST', path: '/v1/organizations/invites', body: {} }))) as ApiError;
    expect(e.request.requestId).toBe('req_b2');
    expect(e.errorType).toBe('conflict_error');
    expect(e.retryable).toBe(false);
  });

  const fallbacks: Array<[number, string, boolean]> = [
    [400, 'invalid_request_error', false],
    [401, 'authentication_error', false],
    [403, 'permission_error', false],
    [408, 'timeout_error', true],
    [413, 'request_too_large', false],
    [418, 'invalid_request_error', false],
    [429, 'rate_limit_error', true],
    [500, 'api_error', true],
    [502, 'api_error', true],
    [504, 'timeout_error', true],
    [529, 'overloaded_error', true],
  ];
  for (const [status, type, retryable] of fallbacks) {
    it(`falls back to ${type} for a ${status} without an envelope`, async () => {
      api().get('/v1/organizations/me').reply(status, '<html><h1>Upstream trouble</h1></html>');
      const e = (await rejectionOf(sender().send({ method: 'GET', path: '/v1/organizations/me' }))) as ApiError;
      expect(e).toBeInstanceOf(ApiError);
      expect(e.status).toBe(status);
      expect(e.errorType).toBe(type);
      expect(e.retryable).toBe(retryable);
      expect(e.apiMessage).toBe('<html><h1>Upstream trouble</h1></html>');
    });
  }

  it('reads retry-after-ms, then retry-after seconds, then an HTTP date', async () => {
    api().get('/a').reply(429, {}, { 'retry-after-ms': '1500', 'retry-after': '9' });
    api().get('/b').reply(429, {}, { 'retry-after': '3' });
    api().get('/c').reply(503, {}, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() });
    api().get('/d').reply(429, {}, { 'retry-after': 'soon' });
    const s = sender();
    const ra = async (p: string) =>
      ((await rejectionOf(s.send({ method: 'GET', path: p }))) as ApiError).retryAfterMs;
    expect(await ra('/a')).toBe(1500);
    expect(await ra('/b')).toBe(3000);
    const date = await ra('/c');
    expect(date).toBeGreaterThan(25_000);
    expect(date).toBeLessThanOrEqual(31_000);
    expect(await ra('/d')).toBeUndefined();
  });

  it('parseRetryAfterMs never returns a negative wait', () => {
    const past = new Headers({ 'retry-after': new Date(0).toUTCString() });
    expect(parseRetryAfterMs(past, Date.parse('2026-01-01T00:00:00Z'))).toBe(0);
    expect(parseRetryAfterMs(new Headers({ 'retry-after-ms': '-5', 'retry-after': '2' }))).toBe(2000);
  });

  it('lets x-should-retry overrule the status (§2.5)', async () => {
    api().get('/a').reply(500, {}, { 'x-should-retry': 'false' });
    api().get('/b').reply(400, {}, { 'x-should-retry': 'true' });
    const s = sender();
    expect(((await rejectionOf(s.send({ method: 'GET', path: '/a' }))) as ApiError).retryable).toBe(false);
    expect(((await rejectionOf(s.send({ method: 'GET', path: '/b' }))) as ApiError).retryable).toBe(true);
  });

  it('does not follow redirects (the key would travel with it)', async () => {
    api().get('/v1/organizations/me').reply(302, '', { location: 'http://127.0.0.1:65002/steal' });
    const e = (await rejectionOf(sender().send({ method: 'GET', path: '/v1/organizations/me' }))) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(302);
  });
});

describe('network failures', () => {
  it('maps a connection reset to a NetworkError that may have reached the server', async () => {
    api().get('/v1/organizations/me').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const e = (await rejectionOf(sender().send({ method: 'GET', path: '/v1/organizations/me' }))) as NetworkError;
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.timedOut).toBe(false);
    expect(e.code).toBe('network');
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('GET /v1/organizations/me');
    expect(e.message).toContain('ECONNRESET');
    expect(requestNotSent(e)).toBe(false);
  });

  it('maps a slow answer to a NetworkError with timedOut set', async () => {
    api().get('/v1/organizations/me').delay(1000).reply(200, {});
    const e = (await rejectionOf(
      sender({ timeoutMs: 30 }).send({ method: 'GET', path: '/v1/organizations/me' }),
    )) as NetworkError;
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.timedOut).toBe(true);
    expect(e.code).toBe('timeout');
    expect(requestNotSent(e)).toBe(false);
  });

  it('marks a refused connection as never sent', async () => {
    // A real loopback port that was just closed: nothing listens there.
    const srv = http.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    nock.enableNetConnect('127.0.0.1');
    const e = (await rejectionOf(
      sender({ baseUrl: `http://127.0.0.1:${port}` }).send({ method: 'GET', path: '/v1/organizations/me' }),
    )) as NetworkError;
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.message).toContain('ECONNREFUSED');
    expect(requestNotSent(e)).toBe(true);
  });

  it('maps a caller abort to InterruptedError', async () => {
    api().get('/v1/organizations/me').delay(1000).reply(200, {});
    const ac = new AbortController();
    const p = sender().send({ method: 'GET', path: '/v1/organizations/me', signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    const e = await rejectionOf(p);
    expect(e).toBeInstanceOf(InterruptedError);
  });

  it('requests in flight share one listener on the caller signal, and leave no subscription behind', async () => {
    const scope = api().get('/v1/organizations/me').times(8).delay(100).reply(200, { id: 'org' });
    const ac = new AbortController();
    const s = sender();
    const all = Promise.all(Array.from({ length: 8 }, () => s.send({ method: 'GET', path: '/v1/organizations/me', signal: ac.signal })));
    // each send subscribes before its first await
    expect(abortSubscriberCount(ac.signal)).toBe(8);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    await all;
    expect(scope.isDone()).toBe(true);
    expect(abortSubscriberCount(ac.signal)).toBe(0);
  });
});

describe('secrets', () => {
  it('never puts the key or the token into errors, even when the server echoes them', async () => {
    api().get('/a').reply(401, { type: 'error', error: { type: 'authentication_error', message: `bad key ${FAKE_KEY}` } });
    api().get('/b').reply(502, `<html>upstream rejected Bearer ${FAKE_TOKEN}</html>`);
    api().get('/c').reply(200, `<html>${FAKE_TOKEN}</html>`);
    api().get('/d').replyWithError({ code: 'ECONNRESET', message: `reset while sending ${FAKE_TOKEN}` });
    const s1 = sender();
    const s2 = sender({ credential: { kind: 'bearer', value: FAKE_TOKEN } });
    const errors = [
      await rejectionOf(s1.send({ method: 'GET', path: '/a' })),
      await rejectionOf(s2.send({ method: 'GET', path: '/b' })),
      await rejectionOf(s2.send({ method: 'GET', path: '/c' })),
      await rejectionOf(s2.send({ method: 'GET', path: '/d' })),
    ];
    expect(errors[0]).toBeInstanceOf(ApiError);
    expect((errors[0] as ApiError).apiMessage).toContain('[redacted]');
    expect(errors[3]).toBeInstanceOf(NetworkError);
    expectNoSecret(...errors, s1, s2);
  });
});
