import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { ApiError, InterruptedError, NetworkError } from '../../src/errors.js';
import type { RequestEvent } from '../../src/clients/pipeline.js';
import {
  backoffDelay,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  mayHaveReachedServer,
  resolveRetryPolicy,
} from '../../src/clients/retry.js';
import { api, errorBody, expectNoSecret, inviteObj, recordTo, rejectionOf, nockClients, type Recorded } from './helpers.js';

const ME = '/v1/organizations/me';
const INVITES = '/v1/organizations/invites';
const ORG = { id: '8f4c1a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b', type: 'organization', name: 'Acme' };

const client = nockClients();

describe('policy as data', () => {
  it('defaults to 4 retries, 500 ms base, 8 s cap, 25 % jitter', () => {
    expect(DEFAULT_RETRY_POLICY).toMatchObject({ retries: 4, baseDelayMs: 500, maxDelayMs: 8000, jitter: 0.25 });
    expect(resolveRetryPolicy({ retries: undefined, baseDelayMs: 10 })).toMatchObject({ retries: 4, baseDelayMs: 10 });
    expect(() => resolveRetryPolicy({ retries: -1 })).toThrow(TypeError);
    expect(() => resolveRetryPolicy({ jitter: 2 })).toThrow(TypeError);
  });

  it('doubles the backoff and caps it', () => {
    const p = resolveRetryPolicy({ jitter: 0 });
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, p))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });

  it('removes at most `jitter` of the delay', () => {
    expect(backoffDelay(1, resolveRetryPolicy({ random: () => 1 }))).toBe(375);
    expect(backoffDelay(1, resolveRetryPolicy({ random: () => 0 }))).toBe(500);
  });

  it('decides from the error: retryable flag, retry-after, and the retry-after ceiling', () => {
    const p = resolveRetryPolicy({ jitter: 0 });
    const req = { method: 'GET', path: '/x' };
    const api429 = (ra?: number) =>
      new ApiError({ status: 429, errorType: 'rate_limit_error', apiMessage: '', request: req, retryAfterMs: ra, retryable: true });
    expect(decideRetry(api429(1234), 1, p)).toEqual({ retry: true, delayMs: 1234 });
    expect(decideRetry(api429(undefined), 2, p)).toEqual({ retry: true, delayMs: 1000 });
    expect(decideRetry(api429(120_000), 1, p)).toEqual({ retry: false });
    expect(decideRetry(new Error('bug'), 1, p)).toEqual({ retry: false });
    const e400 = new ApiError({ status: 400, errorType: 'x', apiMessage: '', request: req, retryable: false });
    expect(decideRetry(e400, 1, p)).toEqual({ retry: false });
  });

  it('knows which failures may have reached the server', () => {
    const req = { method: 'POST', path: '/x' };
    const e = (status: number) => new ApiError({ status, errorType: 't', apiMessage: '', request: req, retryable: true });
    expect(mayHaveReachedServer(e(500))).toBe(true);
    expect(mayHaveReachedServer(e(529))).toBe(true);
    expect(mayHaveReachedServer(e(408))).toBe(true);
    expect(mayHaveReachedServer(e(429))).toBe(false);
    expect(mayHaveReachedServer(e(400))).toBe(false);
    expect(mayHaveReachedServer(new NetworkError(req, 'reset', { timedOut: false }))).toBe(true);
    expect(mayHaveReachedServer(new Error('x'))).toBe(false);
  });
});

describe('retrying requests', () => {
  it('retries 408, 429, 500, 529 and a reset connection, honouring retry-after and capping the backoff', async () => {
    api().get(ME).reply(408, errorBody('timeout_error', 'slow'));
    api().get(ME).reply(429, errorBody('rate_limit_error', 'slow down'), { 'retry-after': '2' });
    api().get(ME).reply(500, errorBody('api_error', 'oops'));
    api().get(ME).reply(529, errorBody('overloaded_error', 'busy'));
    api().get(ME).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    api().get(ME).reply(200, ORG);
    const events: RequestEvent[] = [];
    const { client: c, retrySleeps } = client({
      retry: { retries: 5, maxDelayMs: 3000 },
      onRequest: (e) => events.push(e),
    });
    expect(await c.getOrganization()).toEqual(ORG);
    // backoff 500 × 2^(n-1) capped at 3000; the 429's retry-after replaces the backoff
    expect(retrySleeps).toEqual([500, 2000, 2000, 3000, 3000]);
    expect(events.map((e) => [e.attempt, e.status, e.error])).toEqual([
      [1, 408, 'api_408'],
      [2, 429, 'api_429'],
      [3, 500, 'api_500'],
      [4, 529, 'api_529'],
      [5, undefined, 'network'],
      [6, 200, undefined],
    ]);
    const s = c.stats;
    expect(s).toMatchObject({ requests: 6, retries: 5, rateLimited: 1, networkErrors: 1 });
    expect(s.byRoute).toEqual({ [`GET ${ME}`]: 6 });
    expect(nock.isDone()).toBe(true);
  });

  it('honours retry-after-ms before retry-after', async () => {
    api().get(ME).reply(503, {}, { 'retry-after-ms': '250', 'retry-after': '9' });
    api().get(ME).reply(200, ORG);
    const { client: c, retrySleeps } = client();
    await c.getOrganization();
    expect(retrySleeps).toEqual([250]);
  });

  it('gives up after the configured retries and throws the last error', async () => {
    api().get(ME).times(3).reply(500, errorBody('api_error', 'still broken', 'req_last'), { 'request-id': 'req_last' });
    const { client: c, retrySleeps } = client({ retry: { retries: 2 } });
    const err = await rejectionOf(c.getOrganization());
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).request.requestId).toBe('req_last');
    expect(retrySleeps).toEqual([500, 1000]);
    expect(c.stats.requests).toBe(3);
  });

  it('does not retry when x-should-retry is false', async () => {
    api().get(ME).reply(503, errorBody('api_error', 'no'), { 'x-should-retry': 'false' });
    const { client: c, retrySleeps } = client();
    const err = (await rejectionOf(c.getOrganization())) as ApiError;
    expect(err.status).toBe(503);
    expect(retrySleeps).toEqual([]);
    expect(c.stats.requests).toBe(1);
  });

  it('does not retry 4xx errors such as 400 or 409', async () => {
    api().get(ME).reply(409, errorBody('conflict_error', 'taken'));
    const { client: c } = client();
    expect(((await rejectionOf(c.getOrganization())) as ApiError).status).toBe(409);
    expect(c.stats.requests).toBe(1);
  });

  it('does not sleep through a retry-after beyond maxRetryAfterMs', async () => {
    api().get(ME).reply(429, errorBody('rate_limit_error', 'later'), { 'retry-after': '3600' });
    const { client: c, retrySleeps } = client();
    const err = (await rejectionOf(c.getOrganization())) as ApiError;
    expect(err.retryAfterMs).toBe(3_600_000);
    expect(retrySleeps).toEqual([]);
  });

  it('retries a timed-out read', async () => {
    api().get(ME).delay(1000).reply(200, ORG);
    api().get(ME).reply(200, ORG);
    const { client: c, retrySleeps } = client({ timeoutMs: 300 });
    expect(await c.getOrganization()).toEqual(ORG);
    expect(retrySleeps).toEqual([500]);
    expect(c.stats.networkErrors).toBe(1);
  });

  it('starts no attempt after an abort during the retry sleep', async () => {
    api().get(ME).reply(500, errorBody('api_error', 'oops'));
    api().get(ME).reply(200, ORG);
    const ac = new AbortController();
    const { client: c } = client({
      retry: {
        sleep: async (_ms, signal) => {
          ac.abort(); // SIGINT arrives while waiting
          if (signal?.aborted) throw new InterruptedError();
        },
      },
    });
    const err = await rejectionOf(c.getOrganization({ signal: ac.signal }));
    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as Error).message).toContain('GET /v1/organizations/me');
    expect(c.stats.requests).toBe(1);
    expect(nock.pendingMocks().length).toBe(1);
  });

  it('sends nothing when already aborted', async () => {
    api().get(ME).reply(200, ORG);
    const ac = new AbortController();
    ac.abort();
    const { client: c } = client();
    expect(await rejectionOf(c.getOrganization({ signal: ac.signal }))).toBeInstanceOf(InterruptedError);
    expect(c.stats.requests).toBe(0);
  });
});

describe('invite creation is not retried blindly (§6.2: it sends an email)', () => {
  const NEW = { email: 'New.Hire@acme.test', role: 'developer' };

  it('after a timeout, finds the pending invite and does not POST again', async () => {
    const log: Recorded[] = [];
    api().post(INVITES).delay(1000).reply(200, inviteObj('invite_late', 'new.hire@acme.test'));
    api()
      .get(INVITES)
      .query(true)
      .reply(
        recordTo(log, 200, {
          data: [inviteObj('invite_other', 'new.hire+x@acme.test'), inviteObj('invite_made', 'new.hire@ACME.test')],
          has_more: false,
          first_id: 'invite_other',
          last_id: 'invite_made',
        }),
      );
    const { client: c } = client({ timeoutMs: 300 });
    const inv = await c.createInvite(NEW);
    expect(inv.id).toBe('invite_made');
    expect(log.map((r) => r.uri)).toEqual([
      `${INVITES}?limit=1000&email=New.Hire%40acme.test&statuses[]=pending`,
    ]);
    expect(c.stats.byRoute).toEqual({ [`POST ${INVITES}`]: 1, [`GET ${INVITES}`]: 1 });
    expect(c.stats.recovered).toBe(1);
  });

  it('after a timeout with no pending invite, POSTs again', async () => {
    const posts: Recorded[] = [];
    api().post(INVITES).delay(1000).reply(200, inviteObj('invite_never', 'x@acme.test'));
    api()
      .get(INVITES)
      .query(true)
      .times(3)
      .reply(200, { data: [inviteObj('invite_variant', 'new.hire+old@acme.test')], has_more: false, first_id: 'a', last_id: 'b' });
    api().post(INVITES).reply(recordTo(posts, 200, inviteObj('invite_new', 'new.hire@acme.test')));
    const { client: c, retrySleeps } = client({ timeoutMs: 300, retry: { settleMs: 300, settleFirstPollMs: 100 } });
    const inv = await c.createInvite(NEW);
    expect(inv.id).toBe('invite_new');
    expect(posts[0]?.body).toEqual(NEW);
    // nothing appeared through the settle window (looks at 0, 100 and 300 ms): only then the POST is sent again
    expect(retrySleeps.slice(1)).toEqual([100, 200]);
    expect(c.stats.byRoute).toEqual({ [`POST ${INVITES}`]: 2, [`GET ${INVITES}`]: 3 });
    expect(nock.isDone()).toBe(true);
  });

  it('a write the server carries out after the client gave up is found by a later look, and not sent again (issue 12)', async () => {
    const posts: Recorded[] = [];
    api().post(INVITES).delay(1000).reply(recordTo(posts, 200, inviteObj('invite_late', 'new.hire@acme.test')));
    const empty = { data: [], has_more: false, first_id: null, last_id: null };
    // the first two looks see nothing: the held POST has not landed yet; the third sees its invite
    api().get(INVITES).query(true).times(2).reply(200, empty);
    api().get(INVITES).query(true).reply(200, { data: [inviteObj('invite_late', 'new.hire@acme.test')], has_more: false, first_id: 'x', last_id: 'x' });
    const { client: c, retrySleeps } = client({ timeoutMs: 300, retry: { settleMs: 30_000, settleFirstPollMs: 1000 } });
    const inv = await c.createInvite(NEW);
    expect(inv.id).toBe('invite_late');
    expect(retrySleeps.slice(1)).toEqual([1000, 2000]);
    expect(c.stats.byRoute).toEqual({ [`POST ${INVITES}`]: 1, [`GET ${INVITES}`]: 3 });
    expect(nock.isDone()).toBe(true);
  });

  it('a look that fails inside the settle window is looked past; the write is found by the next one', async () => {
    api().post(INVITES).delay(1000).reply(200, inviteObj('invite_late', 'new.hire@acme.test'));
    api().get(INVITES).query(true).reply(529, errorBody('overloaded_error', 'busy'));
    api().get(INVITES).query(true).reply(200, { data: [inviteObj('invite_late', 'new.hire@acme.test')], has_more: false, first_id: 'x', last_id: 'x' });
    const { client: c } = client({ timeoutMs: 300 });
    expect((await c.createInvite(NEW)).id).toBe('invite_late');
    expect(c.stats.byRoute).toEqual({ [`POST ${INVITES}`]: 1, [`GET ${INVITES}`]: 2 });
    expect(nock.isDone()).toBe(true);
  });

  it('after a 529, reads before writing', async () => {
    api().post(INVITES).reply(529, errorBody('overloaded_error', 'busy'));
    api()
      .get(INVITES)
      .query(true)
      .reply(200, { data: [inviteObj('invite_made', 'new.hire@acme.test')], has_more: false, first_id: 'x', last_id: 'x' });
    const { client: c } = client();
    expect((await c.createInvite(NEW)).id).toBe('invite_made');
    expect(nock.isDone()).toBe(true);
  });

  it('after a 429, retries the POST directly (the request was not processed)', async () => {
    api().post(INVITES).reply(429, errorBody('rate_limit_error', 'slow'), { 'retry-after': '1' });
    api().post(INVITES).reply(200, inviteObj('invite_new', 'new.hire@acme.test'));
    const { client: c, retrySleeps } = client();
    expect((await c.createInvite(NEW)).id).toBe('invite_new');
    expect(retrySleeps).toEqual([1000]);
    expect(c.stats.byRoute).toEqual({ [`POST ${INVITES}`]: 2 });
  });

  it('when the lookup itself fails, looks again before any new POST', async () => {
    api().post(INVITES).reply(500, errorBody('api_error', 'oops'));
    api().get(INVITES).query(true).reply(503, errorBody('api_error', 'lookup down'));
    api()
      .get(INVITES)
      .query(true)
      .reply(200, { data: [inviteObj('invite_made', 'new.hire@acme.test')], has_more: false, first_id: 'x', last_id: 'x' });
    const { client: c } = client();
    expect((await c.createInvite(NEW)).id).toBe('invite_made');
    expect(c.stats.byRoute).toEqual({ [`POST ${INVITES}`]: 1, [`GET ${INVITES}`]: 2 });
  });

  it('after a refused connection (never sent), POSTs again without a lookup', async () => {
    const port = await closedPort();
    const { client: c } = client({ baseUrl: `http://127.0.0.1:${port}`, retry: { retries: 1 } });
    const err = await rejectionOf(c.createInvite(NEW));
    expect(err).toBeInstanceOf(NetworkError);
    expect(c.stats.byRoute).toEqual({ [`POST ${INVITES}`]: 2 });
  });

  it('a refused connection is reported after one short retry, not after the whole backoff', async () => {
    const port = await closedPort();
    const { client: c, retrySleeps } = client({ baseUrl: `http://127.0.0.1:${port}` });
    const err = await rejectionOf(c.getOrganization());
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toContain('ECONNREFUSED');
    expect(c.stats.byRoute).toEqual({ 'GET /v1/organizations/me': 2 });
    expect(retrySleeps).toEqual([250]);
  });
});

/** A loopback port nothing listens on (taken from the OS, then closed), with nock letting the connection through. */
async function closedPort(): Promise<number> {
  const srv = http.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  nock.enableNetConnect('127.0.0.1');
  return port;
}

describe('DELETE after an ambiguous failure', () => {
  const USER = '/v1/organizations/users/user_01';

  it('counts a 404 on a retry as done', async () => {
    api().delete(USER).reply(503, errorBody('api_error', 'oops'));
    api().delete(USER).reply(404, errorBody('not_found_error', 'gone'));
    const { client: c } = client();
    expect(await c.deleteUser('user_01')).toEqual({ id: 'user_01', type: 'user_deleted' });
    expect(c.stats.recovered).toBe(1);
  });

  it('counts a 404 after a timeout as done, for invites too', async () => {
    api().delete('/v1/organizations/invites/invite_01').delay(1000).reply(200, { id: 'invite_01', type: 'invite_deleted' });
    api().delete('/v1/organizations/invites/invite_01').reply(404, errorBody('not_found_error', 'gone'));
    const { client: c } = client({ timeoutMs: 300 });
    expect(await c.deleteInvite('invite_01')).toEqual({ id: 'invite_01', type: 'invite_deleted' });
  });

  it('keeps a 404 on the first attempt an error', async () => {
    api().delete(USER).reply(404, errorBody('not_found_error', 'no such user'));
    const { client: c } = client();
    const err = (await rejectionOf(c.deleteUser('user_01'))) as ApiError;
    expect(err.status).toBe(404);
    expect(err.errorType).toBe('not_found_error');
  });

  it('keeps a 404 after a 429 an error (the 429 was not processed)', async () => {
    api().delete(USER).reply(429, errorBody('rate_limit_error', 'slow'));
    api().delete(USER).reply(404, errorBody('not_found_error', 'no such user'));
    const { client: c } = client();
    expect(((await rejectionOf(c.deleteUser('user_01'))) as ApiError).status).toBe(404);
  });
});

describe('secrets in retries', () => {
  it('keeps the key out of errors, stats and events across retries', async () => {
    api().get(ME).times(2).reply(500, errorBody('api_error', 'boom'));
    const events: RequestEvent[] = [];
    const { client: c } = client({ retry: { retries: 1 }, onRequest: (e) => events.push(e) });
    const err = await rejectionOf(c.getOrganization());
    expectNoSecret(err, c.stats, events, c);
  });
});
