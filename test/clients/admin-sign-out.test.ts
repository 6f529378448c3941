// The beta sign-out (issue 17 item 2): the exact request the client sends — method, path, the beta header beside
// the usual ones, no body — checked against what the official SDK 1.17 sends for the same call, and its refusals
// thrown with their code and not retried. nock on loopback; nothing leaves the machine.

import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { SIGN_OUT_BETA } from '../../src/clients/admin.js';
import { ApiError } from '../../src/errors.js';
import { api, BASE, FAKE_KEY, nockClients, recordTo, rejectionOf, userObj, type Recorded } from './helpers.js';

const client = nockClients();
const PATH = '/v1/organizations/users/user_01/sign_out';

function coded(type: string, code: string): unknown {
  return { type: 'error', error: { type, message: 'refused', details: { error_code: code } }, request_id: 'req_signout_1' };
}

describe('AdminClient.signOutUser', () => {
  it('POST /v1/organizations/users/{id}/sign_out with anthropic-beta, the admin headers and no body; answers the member', async () => {
    const log: Recorded[] = [];
    api().post(PATH).reply(recordTo(log, 200, userObj(1)));
    const { client: c } = client();
    expect((await c.signOutUser('user_01')).id).toBe('user_001');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ method: 'POST', uri: PATH, body: undefined });
    expect(log[0]!.headers).toMatchObject({
      'anthropic-beta': 'admin-user-sign-out-2026-10-08',
      'anthropic-version': '2026-10-21',
      'x-api-key': FAKE_KEY,
    });
    expect(log[0]!.headers['content-type']).toBeUndefined();
    expect(SIGN_OUT_BETA).toBe('admin-user-sign-out-2026-10-08');
  });

  it('sends what the official SDK sends for beta.organization.users.signOut: method, path, beta header, no body', async () => {
    const ours: Recorded[] = [];
    api().post(PATH).reply(recordTo(ours, 200, userObj(1)));
    const { client: c } = client();
    await c.signOutUser('user_01');
    // the SDK's own request, caught by the fetch it is given (nothing is sent)
    const sdk: Array<{ method: string; url: string; headers: Headers; body: unknown }> = [];
    const official = new Anthropic({
      apiKey: FAKE_KEY, baseURL: BASE, maxRetries: 0,
      fetch: async (url, init) => {
        sdk.push({ method: String(init?.method), url: String(url), headers: new Headers(init?.headers), body: init?.body ?? undefined });
        return new Response(JSON.stringify(userObj(1)), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    await official.beta.organization.users.signOut('user_01');
    expect(sdk[0]!.url).toBe(`${BASE}${ours[0]!.uri}`);
    expect(ours[0]!.method).toBe(sdk[0]!.method);
    expect(ours[0]!.headers['anthropic-beta']).toBe(sdk[0]!.headers.get('anthropic-beta'));
    // the SDK sends no body either
    expect(sdk[0]!.body).toBeUndefined();
    expect(ours[0]!.body).toBeUndefined();
  });

  it('another beta of the client is kept beside it, and the request never replaces the credential', async () => {
    const log: Recorded[] = [];
    api().post(PATH).reply(recordTo(log, 200, userObj(1)));
    const { client: c } = client({ headers: { 'anthropic-beta': 'other-beta-2026-01-01' } });
    await c.signOutUser('user_01');
    expect(log[0]!.headers['anthropic-beta']).toBe('other-beta-2026-01-01,admin-user-sign-out-2026-10-08');
    expect(log[0]!.headers['x-api-key']).toBe(FAKE_KEY);
  });

  it.each([
    [400, 'invalid_request_error', 'cannot_sign_out_primary_owner'],
    [400, 'invalid_request_error', 'cannot_sign_out_self'],
    [400, 'invalid_request_error', 'organization_not_enrolled_in_beta'],
    [403, 'permission_error', 'cannot_sign_out_managed_member'],
    [403, 'permission_error', 'cannot_sign_out_privileged_member'],
  ])('%i %s %s is thrown with its code, after one request', async (status, type, code) => {
    const log: Recorded[] = [];
    api().post(PATH).times(5).reply(recordTo(log, status, coded(type, code)));
    const { client: c } = client();
    const err = await rejectionOf(c.signOutUser('user_01'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status, errorCode: code });
    expect(log).toHaveLength(1);
  });
});
