// API keys (§9) over real HTTP: the newer object shape, filters, update rules and terminal states, archive
// deactivation, keys outliving their creator, and the Console-side create hook.

import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { call, control, emulator, expectEnvelope } from './helpers.js';

const KEYS = '/v1/organizations/api_keys';
const WS = '/v1/organizations/workspaces';
const DEFAULT_ID = 'wrkspc_01DefaultWorkspaceIdXyz';
const R = 'wrkspc_01ResearchWorkspaceAbcd';
const APIKEY_ID = /^apikey_01[1-9A-HJ-NP-Za-km-z]{22}$/;

async function org(): Promise<RunningEmulator> {
  return emulator({
    seed: {
      default_workspace_id: DEFAULT_ID,
      users: [
        { email: 'alice@acme.com', role: 'developer', id: 'user_01AliceAliceAliceAlice' },
        { email: 'bob@acme.com', role: 'developer', id: 'user_01BobBobBobBobBobBobBo' },
      ],
      workspaces: [{ name: 'Research', id: R }],
      api_keys: [
        { name: 'default-key', created_by: 'alice@acme.com', id: 'apikey_01DefaultKeyDefaultKey', created_at: '2025-01-01T00:00:00Z' },
        { name: 'research-key', created_by: 'bob@acme.com', workspace: 'Research', id: 'apikey_01ResearchKeyResearchK', created_at: '2025-01-02T00:00:00Z' },
        { name: 'old-key', created_by: 'alice@acme.com', workspace: 'Research', status: 'inactive', created_at: '2025-01-03T00:00:00Z' },
        { name: 'expired-key', created_by: 'bob@acme.com', status: 'expired', id: 'apikey_01ExpiredKeyExpiredKey', created_at: '2025-01-04T00:00:00Z' },
        { name: 'legacy-key', partial_key_hint: 'sk-ant-api03-R2D...igAA', created_at: '2025-01-05T00:00:00Z' },
      ],
    },
  });
}

const names = async (emu: RunningEmulator, q = ''): Promise<string[]> => {
  const a = await call(emu, `${KEYS}${q}`);
  expect(a.status).toBe(200);
  return a.body.data.map((k: { name: string }) => k.name);
};

describe('the API key object', () => {
  it('uses the newer shape: created_by, scope with the real id, workspace_id null for the Default', async () => {
    const emu = await org();
    const def = (await call(emu, `${KEYS}/apikey_01DefaultKeyDefaultKey`)).body;
    expect(def).toEqual({
      type: 'api_key',
      id: 'apikey_01DefaultKeyDefaultKey',
      name: 'default-key',
      created_at: '2025-01-01T00:00:00Z',
      created_by: { id: 'user_01AliceAliceAliceAlice', type: 'user' },
      expires_at: null,
      partial_key_hint: expect.stringMatching(/^sk-ant-api03-[A-Za-z0-9_-]{3}\.\.\.[A-Za-z0-9_-]{4}$/),
      principal: null,
      status: 'active',
      workspace_id: null,
      scope: { type: 'workspace', workspace_id: DEFAULT_ID },
    });
    const research = (await call(emu, `${KEYS}/apikey_01ResearchKeyResearchK`)).body;
    expect(research).toMatchObject({ workspace_id: R, scope: { type: 'workspace', workspace_id: R } });
    const legacy = (await call(emu, KEYS)).body.data[0];
    expect(legacy).toMatchObject({ name: 'legacy-key', created_by: null, partial_key_hint: 'sk-ant-api03-R2D...igAA' });
    expect(legacy.id).toMatch(APIKEY_ID);
    expectEnvelope(await call(emu, `${KEYS}/apikey_01nothere`), 404, 'not_found_error');
  });
});

describe('list', () => {
  it('is newest first and filters by status, workspace and creator, alone or together', async () => {
    const emu = await org();
    expect(await names(emu)).toEqual(['legacy-key', 'expired-key', 'old-key', 'research-key', 'default-key']);
    expect(await names(emu, '?status=active')).toEqual(['legacy-key', 'research-key', 'default-key']);
    expect(await names(emu, '?status=expired')).toEqual(['expired-key']);
    expect(await names(emu, '?status=archived')).toEqual([]);
    expect(await names(emu, `?workspace_id=${R}`)).toEqual(['old-key', 'research-key']);
    expect(await names(emu, `?workspace_id=${DEFAULT_ID}`)).toEqual(['legacy-key', 'expired-key', 'default-key']);
    expect(await names(emu, '?created_by_user_id=user_01AliceAliceAliceAlice')).toEqual(['old-key', 'default-key']);
    expect(await names(emu, `?created_by_user_id=user_01AliceAliceAliceAlice&workspace_id=${R}&status=inactive`)).toEqual(['old-key']);
    expect(await names(emu, `?created_by_user_id=user_01BobBobBobBobBobBobBo&status=active&beta=true`)).toEqual(['research-key']);
  });

  it('refuses unknown filter values and bad cursors', async () => {
    const emu = await org();
    for (const q of [
      '?status=revoked',
      '?workspace_id=wrkspc_01nothere',
      '?created_by_user_id=user_01NobodyNobodyNobodyNob',
      '?created_by_user_id=alice@acme.com',
      '?after_id=apikey_01nothere',
      '?limit=0',
    ]) {
      expectEnvelope(await call(emu, `${KEYS}${q}`), 400, 'invalid_request_error');
    }
  });

  it('pages with ID cursors in both directions', async () => {
    const emu = await org();
    const p1 = (await call(emu, `${KEYS}?limit=2`)).body;
    expect(p1.data.map((k: { name: string }) => k.name)).toEqual(['legacy-key', 'expired-key']);
    expect(p1.has_more).toBe(true);
    const p2 = (await call(emu, `${KEYS}?limit=2&after_id=${p1.last_id}`)).body;
    expect(p2.data.map((k: { name: string }) => k.name)).toEqual(['old-key', 'research-key']);
    const p3 = (await call(emu, `${KEYS}?limit=2&after_id=${p2.last_id}`)).body;
    expect(p3).toMatchObject({ has_more: false, first_id: 'apikey_01DefaultKeyDefaultKey', last_id: 'apikey_01DefaultKeyDefaultKey' });
    const back = (await call(emu, `${KEYS}?limit=2&before_id=${p3.first_id}`)).body;
    expect(back.data.map((k: { name: string }) => k.name)).toEqual(['old-key', 'research-key']);
    expect(back.has_more).toBe(true);
  });
});

describe('update', () => {
  it('renames (1–500 characters) and moves between active and inactive', async () => {
    const emu = await org();
    const id = 'apikey_01ResearchKeyResearchK';
    const renamed = await call(emu, `${KEYS}/${id}`, { body: { name: 'renamed' } });
    expect(renamed.body).toMatchObject({ id, name: 'renamed', status: 'active' });
    expect((await call(emu, `${KEYS}/${id}`, { body: { status: 'inactive' } })).body.status).toBe('inactive');
    expect(await names(emu, '?status=inactive')).toEqual(['old-key', 'renamed']);
    expect((await call(emu, `${KEYS}/${id}`, { body: { status: 'active', name: null } })).body).toMatchObject({ status: 'active', name: 'renamed' });
    expect((await call(emu, `${KEYS}/${id}`, { body: { name: 'x'.repeat(500) } })).status).toBe(200);
    for (const body of [{ name: '' }, { name: 'x'.repeat(501) }, { name: 5 }, { status: 'expired' }, { status: 'deleted' }, { owner: 'x' }]) {
      expectEnvelope(await call(emu, `${KEYS}/${id}`, { body }), 400, 'invalid_request_error');
    }
    expectEnvelope(await call(emu, `${KEYS}/apikey_01nothere`, { body: { name: 'x' } }), 404, 'not_found_error');
  });

  it('archived and expired are terminal', async () => {
    const emu = await org();
    const id = 'apikey_01DefaultKeyDefaultKey';
    expect((await call(emu, `${KEYS}/${id}`, { body: { status: 'archived' } })).body.status).toBe('archived');
    expectEnvelope(await call(emu, `${KEYS}/${id}`, { body: { status: 'active' } }), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `${KEYS}/${id}`, { body: { status: 'inactive' } }), 400, 'invalid_request_error');
    expect((await call(emu, `${KEYS}/${id}`, { body: { status: 'archived', name: 'still renamable' } })).body.name).toBe('still renamable');
    const expired = 'apikey_01ExpiredKeyExpiredKey';
    expectEnvelope(await call(emu, `${KEYS}/${expired}`, { body: { status: 'active' } }), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `${KEYS}/${expired}`, { body: { status: 'inactive' } }), 400, 'invalid_request_error');
    expect((await call(emu, `${KEYS}/${expired}`, { body: { status: 'archived' } })).body.status).toBe('archived');
  });
});

describe('archiving a workspace', () => {
  it('deactivates its keys for good and leaves other workspaces alone', async () => {
    const emu = await org();
    expect((await call(emu, `${WS}/${R}/archive`, { method: 'POST' })).status).toBe(200);
    expect((await call(emu, `${KEYS}/apikey_01ResearchKeyResearchK`)).body.status).toBe('inactive');
    expect(await names(emu, `?workspace_id=${R}`)).toEqual(['old-key', 'research-key']);
    expect(await names(emu, `?workspace_id=${R}&status=active`)).toEqual([]);
    expect((await call(emu, `${KEYS}/apikey_01DefaultKeyDefaultKey`)).body.status).toBe('active');
    const msg = expectEnvelope(
      await call(emu, `${KEYS}/apikey_01ResearchKeyResearchK`, { body: { status: 'active' } }),
      400,
      'invalid_request_error',
    );
    expect(msg).toMatch(/archived/);
    expect((await call(emu, `${KEYS}/apikey_01ResearchKeyResearchK`, { body: { status: 'archived' } })).body.status).toBe('archived');
  });
});

describe('keys outlive their creator (§5.5)', () => {
  it('keep created_by and stay filterable by the departed user id', async () => {
    const emu = await org();
    expect((await call(emu, '/v1/organizations/users/user_01AliceAliceAliceAlice', { method: 'DELETE' })).status).toBe(200);
    const key = (await call(emu, `${KEYS}/apikey_01DefaultKeyDefaultKey`)).body;
    expect(key).toMatchObject({ status: 'active', created_by: { id: 'user_01AliceAliceAliceAlice', type: 'user' } });
    expect(await names(emu, '?created_by_user_id=user_01AliceAliceAliceAlice')).toEqual(['old-key', 'default-key']);
  });
});

describe('the Console create hook', () => {
  it('POST /_emulator/api_keys creates a key as a member would', async () => {
    const emu = await org();
    const a = await control(emu, '/api_keys', { body: { name: 'ci', created_by: 'bob@acme.com', workspace_id: R } });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ name: 'ci', status: 'active', workspace_id: R, created_by: { id: 'user_01BobBobBobBobBobBobBo', type: 'user' } });
    expect(a.body.id).toMatch(APIKEY_ID);
    expect((await names(emu))[0]).toBe('ci');
    expect((await call(emu, `${KEYS}/${a.body.id}`)).body).toEqual(a.body);
    const plain = await control(emu, '/api_keys', { body: { name: 'default-ws' } });
    expect(plain.body).toMatchObject({ workspace_id: null, scope: { workspace_id: DEFAULT_ID }, created_by: null });
    expectEnvelope(await control(emu, '/api_keys', { body: { name: 'x', created_by: 'nobody@acme.com' } }), 404, 'not_found_error');
    expectEnvelope(await control(emu, '/api_keys', { body: { name: 'x', workspace_id: 'wrkspc_01nothere' } }), 404, 'not_found_error');
    expectEnvelope(await control(emu, '/api_keys', { body: { name: 'x', status: 'weird' } }), 400, 'invalid_request_error');
    // No create endpoint in the Admin API itself (§9).
    expectEnvelope(await call(emu, KEYS, { body: { name: 'nope' } }), 404, 'not_found_error');
    const state = (await control(emu, '/state')).body;
    expect(state.api_keys.map((k: { name: string }) => k.name)).toContain('ci');
  });
});

describe('many keys', () => {
  it('seeds 5,000 keys and walks them with every filter in pages of 1000', async () => {
    const users = Array.from({ length: 50 }, (_, i) => ({ email: `u${i}@acme.com`, role: 'developer' }));
    const workspaces = Array.from({ length: 10 }, (_, i) => ({ name: `ws-${i}` }));
    const statuses = ['active', 'inactive', 'archived', 'expired'] as const;
    const api_keys = Array.from({ length: 5000 }, (_, i) => ({
      name: `k${i}`,
      created_by: `u${i % 50}@acme.com`,
      workspace: `ws-${i % 10}`,
      status: statuses[i % 4],
    }));
    const emu = await emulator({ seed: { users, workspaces, api_keys } });
    const walk = async (q: string): Promise<string[]> => {
      const out: string[] = [];
      let cursor = '';
      for (let guard = 0; guard < 20; guard++) {
        const page = (await call(emu, `${KEYS}?limit=1000${q}${cursor}`)).body;
        out.push(...page.data.map((k: { name: string }) => k.name));
        if (!page.has_more) break;
        cursor = `&after_id=${page.last_id}`;
      }
      return out;
    };
    const all = await walk('');
    expect(all).toHaveLength(5000);
    expect(all[0]).toBe('k4999');
    const ws3 = emu.store.workspaces.seededNamed('ws-3')!.id;
    const u3 = emu.store.userByEmail('u3@acme.com')!.id;
    const expected = api_keys
      .map((k, i) => ({ ...k, i }))
      .filter((k) => k.workspace === 'ws-3' && k.created_by === 'u3@acme.com' && k.status === 'expired')
      .map((k) => k.name)
      .reverse();
    expect(expected.length).toBeGreaterThan(0);
    expect(await walk(`&workspace_id=${ws3}&created_by_user_id=${u3}&status=expired`)).toEqual(expected);
    expect(await walk('&status=archived')).toHaveLength(1250);
  });
});
