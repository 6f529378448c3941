// Workspaces (§7) over real HTTP: create, list, get, update, archive; the hidden Default Workspace; the limit of
// 100; console only.

import { describe, expect, it } from 'vitest';
import { call, control, emulator, expectEnvelope } from './helpers.js';

const WS = '/v1/organizations/workspaces';
const WORKSPACE_ID = /^wrkspc_01[1-9A-HJ-NP-Za-km-z]{22}$/;
const DEFAULT_ID = 'wrkspc_01DefaultWorkspaceIdXyz';

describe('create', () => {
  it('returns the full §7.2 object with the documented defaults', async () => {
    const emu = await emulator();
    const a = await call(emu, WS, { body: { name: 'Research' } });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({
      type: 'workspace',
      name: 'Research',
      archived_at: null,
      external_key_id: null,
      tags: {},
      data_residency: { workspace_geo: 'us', allowed_inference_geos: 'unrestricted', default_inference_geo: 'global' },
    });
    expect(a.body.id).toMatch(WORKSPACE_ID);
    expect(a.body.display_color).toMatch(/^#[0-9A-F]{6}$/i);
    expect(a.body.compartment_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(a.body.created_at)).not.toBeNaN();
    expect((await call(emu, `${WS}/${a.body.id}`)).body).toEqual(a.body);
  });

  it('takes display_color, tags and data_residency', async () => {
    const emu = await emulator();
    const a = await call(emu, WS, {
      body: {
        name: 'EU-ish',
        display_color: '#6C5BB9',
        tags: { team: 'research' },
        data_residency: { allowed_inference_geos: ['us'], workspace_geo: 'us' },
      },
    });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({
      display_color: '#6C5BB9',
      tags: { team: 'research' },
      data_residency: { allowed_inference_geos: ['us'], default_inference_geo: 'us', workspace_geo: 'us' },
    });
  });

  it('checks the name (1–40 characters) and every other field', async () => {
    const emu = await emulator();
    const bad = [
      {},
      { name: '' },
      { name: 'x'.repeat(41) },
      { name: 7 },
      { name: 'ok', colour: 'red' },
      { name: 'ok', display_color: 'purple' },
      { name: 'ok', tags: { anthropic_internal: 'x' } },
      { name: 'ok', tags: { a: 1 } },
      { name: 'ok', data_residency: { workspace_geo: 'eu' } },
      { name: 'ok', data_residency: { allowed_inference_geos: ['us'], default_inference_geo: 'global' } },
      { name: 'ok', external_key_id: 'nope' },
    ];
    for (const body of bad) expectEnvelope(await call(emu, WS, { body }), 400, 'invalid_request_error');
    expect((await call(emu, WS, { body: { name: 'x'.repeat(40) } })).status).toBe(200);
    expect((await call(emu, WS, { body: { name: '🚀'.repeat(40) } })).status).toBe(200); // characters, not bytes
  });

  it('allows duplicate names (uniqueness is not documented)', async () => {
    const emu = await emulator();
    const a = await call(emu, WS, { body: { name: 'Twin' } });
    const b = await call(emu, WS, { body: { name: 'Twin' } });
    expect(b.status).toBe(200);
    expect(b.body.id).not.toBe(a.body.id);
    expect((await call(emu, WS)).body.data.map((w: { name: string }) => w.name)).toEqual(['Twin', 'Twin']);
  });

  it('allows at most 100 non-archived workspaces; archived ones and the Default do not count', async () => {
    const workspaces = Array.from({ length: 100 }, (_, i) => ({ name: `ws-${i}` }));
    const emu = await emulator({ seed: { workspaces } });
    const over = expectEnvelope(await call(emu, WS, { body: { name: 'one too many' } }), 400, 'invalid_request_error');
    expect(over).toContain('100');
    const first = (await call(emu, `${WS}?limit=1`)).body.data[0];
    expect((await call(emu, `${WS}/${first.id}/archive`, { method: 'POST' })).status).toBe(200);
    expect((await call(emu, WS, { body: { name: 'now it fits' } })).status).toBe(200);
    expectEnvelope(await call(emu, WS, { body: { name: 'full again' } }), 400, 'invalid_request_error');
  });
});

describe('list and get', () => {
  async function seeded() {
    return emulator({
      seed: {
        default_workspace_id: DEFAULT_ID,
        workspaces: [
          { name: 'Old', created_at: '2025-01-01T00:00:00Z' },
          { name: 'Gone', created_at: '2025-02-01T00:00:00Z', archived: true },
          { name: 'New', created_at: '2025-03-01T00:00:00Z' },
        ],
      },
    });
  }

  it('lists newest first, without archived or Default unless asked', async () => {
    const emu = await seeded();
    const names = async (q: string) => (await call(emu, `${WS}${q}`)).body.data.map((w: { name: string }) => w.name);
    expect(await names('')).toEqual(['New', 'Old']);
    expect(await names('?include_archived=false')).toEqual(['New', 'Old']);
    expect(await names('?include_archived=true')).toEqual(['New', 'Gone', 'Old']);
    expect(await names('?include_default=true')).toEqual(['New', 'Old', 'Default']);
    expect(await names('?include_archived=true&include_default=true&beta=true')).toEqual(['New', 'Gone', 'Old', 'Default']);
    expectEnvelope(await call(emu, `${WS}?include_archived=yes`), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `${WS}?include_default=1`), 400, 'invalid_request_error');
  });

  it('pages with ID cursors', async () => {
    const emu = await seeded();
    const p1 = (await call(emu, `${WS}?limit=1&include_archived=true`)).body;
    expect(p1).toMatchObject({ has_more: true });
    expect(p1.first_id).toBe(p1.data[0].id);
    const p2 = (await call(emu, `${WS}?limit=5&include_archived=true&after_id=${p1.last_id}`)).body;
    expect(p2.data.map((w: { name: string }) => w.name)).toEqual(['Gone', 'Old']);
    expect(p2.has_more).toBe(false);
    const back = (await call(emu, `${WS}?limit=5&include_archived=true&before_id=${p2.last_id}`)).body;
    expect(back.data.map((w: { name: string }) => w.name)).toEqual(['New', 'Gone']);
    expectEnvelope(await call(emu, `${WS}?after_id=${p1.last_id}&before_id=${p1.last_id}`), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `${WS}?limit=1001`), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `${WS}?after_id=wrkspc_01nothere`), 400, 'invalid_request_error');
    const empty = (await call(emu, `${WS}?after_id=${p2.last_id}`)).body;
    expect(empty).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
  });

  it('the Default Workspace has a real id and reads as "Default"', async () => {
    const emu = await seeded();
    const a = await call(emu, `${WS}/${DEFAULT_ID}`);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ id: DEFAULT_ID, name: 'Default', archived_at: null, type: 'workspace' });
    // It exists from the org's creation: older than every seeded workspace.
    expect(Date.parse(a.body.created_at)).toBeLessThan(Date.parse('2025-01-01T00:00:00Z'));
    const generated = await emulator();
    expect(generated.store.workspaces.defaultWorkspace.id).toMatch(WORKSPACE_ID);
    expectEnvelope(await call(emu, `${WS}/wrkspc_01nothere`), 404, 'not_found_error');
  });
});

describe('update', () => {
  it('renames, recolours and merges tags (null deletes)', async () => {
    const emu = await emulator();
    const ws = (await call(emu, WS, { body: { name: 'Research', tags: { team: 'research', 'cost-center': '4711' } } })).body;
    const a = await call(emu, `${WS}/${ws.id}`, {
      body: { name: 'Research 2', display_color: '#123ABC', tags: { env: 'sandbox', 'cost-center': null } },
    });
    expect(a.status).toBe(200);
    // §7.6, the cookbook's own example.
    expect(a.body).toMatchObject({ id: ws.id, name: 'Research 2', display_color: '#123ABC', tags: { env: 'sandbox', team: 'research' } });
    expect(Object.keys(a.body.tags).sort()).toEqual(['env', 'team']);
    expect((await call(emu, `${WS}/${ws.id}`, { body: {} })).body).toEqual(a.body);
    expectEnvelope(await call(emu, `${WS}/${ws.id}`, { body: { name: '' } }), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `${WS}/${ws.id}`, { body: { tags: { anthropicX: 'no' } } }), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `${WS}/wrkspc_01nothere`, { body: { name: 'x' } }), 404, 'not_found_error');
  });

  it('keeps workspace_geo and external_key_id once set', async () => {
    const emu = await emulator();
    const ws = (await call(emu, WS, { body: { name: 'CMEK' } })).body;
    expectEnvelope(await call(emu, `${WS}/${ws.id}`, { body: { data_residency: { workspace_geo: 'eu' } } }), 400, 'invalid_request_error');
    const dr = await call(emu, `${WS}/${ws.id}`, { body: { data_residency: { allowed_inference_geos: ['us', 'global'] } } });
    expect(dr.body.data_residency).toEqual({ allowed_inference_geos: ['us', 'global'], default_inference_geo: 'global', workspace_geo: 'us' });
    expect((await call(emu, `${WS}/${ws.id}`, { body: { external_key_id: 'ekey_01abc' } })).body.external_key_id).toBe('ekey_01abc');
    expect((await call(emu, `${WS}/${ws.id}`, { body: { external_key_id: 'ekey_01abc' } })).status).toBe(200);
    expectEnvelope(await call(emu, `${WS}/${ws.id}`, { body: { external_key_id: 'ekey_01other' } }), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `${WS}/${ws.id}`, { body: { external_key_id: null } }), 400, 'invalid_request_error');
  });

  it('the Default Workspace cannot be renamed but takes other changes', async () => {
    const emu = await emulator({ seed: { default_workspace_id: DEFAULT_ID } });
    const msg = expectEnvelope(await call(emu, `${WS}/${DEFAULT_ID}`, { body: { name: 'Main' } }), 400, 'invalid_request_error');
    expect(msg).toMatch(/Default/);
    expect((await call(emu, `${WS}/${DEFAULT_ID}`, { body: { name: 'Default', display_color: '#000000' } })).body).toMatchObject({
      name: 'Default',
      display_color: '#000000',
    });
  });

  it('an archived workspace cannot be updated', async () => {
    const emu = await emulator({ seed: { workspaces: [{ name: 'Gone', archived: true, id: 'wrkspc_01ArchivedWorkspaceAbcd' }] } });
    expectEnvelope(await call(emu, `${WS}/wrkspc_01ArchivedWorkspaceAbcd`, { body: { name: 'Back' } }), 400, 'invalid_request_error');
  });
});

describe('archive', () => {
  it('sets archived_at once and for good; the Default Workspace cannot be archived', async () => {
    const emu = await emulator({ seed: { default_workspace_id: DEFAULT_ID } });
    const ws = (await call(emu, WS, { body: { name: 'Temp' } })).body;
    await control(emu, '/clock/advance', { body: { days: 1 } });
    const a = await call(emu, `${WS}/${ws.id}/archive`, { method: 'POST' });
    expect(a.status).toBe(200);
    expect(a.body.id).toBe(ws.id);
    expect(Date.parse(a.body.archived_at)).toBeGreaterThanOrEqual(Date.parse(ws.created_at) + 86_400_000);
    expect((await call(emu, `${WS}/${ws.id}`)).body.archived_at).toBe(a.body.archived_at);
    expectEnvelope(await call(emu, `${WS}/${ws.id}/archive`, { method: 'POST' }), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `${WS}/${DEFAULT_ID}/archive`, { method: 'POST' }), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `${WS}/wrkspc_01nothere/archive`, { method: 'POST' }), 404, 'not_found_error');
    expect((await call(emu, WS)).body.data).toEqual([]);
    expect((await call(emu, `${WS}?include_archived=true`)).body.data.map((w: { id: string }) => w.id)).toEqual([ws.id]);
  });
});

describe('console only', () => {
  it('every workspace, member and API key route is a 404 on an Enterprise org', async () => {
    const emu = await emulator({ seed: { organization: { kind: 'enterprise' }, users: [{ email: 'o@acme.com', role: 'primary_owner' }] } });
    const id = 'wrkspc_01AnyWorkspaceIdAbcdefgh';
    const answers = [
      await call(emu, WS),
      await call(emu, WS, { body: { name: 'x' } }),
      await call(emu, `${WS}/${id}`),
      await call(emu, `${WS}/${id}`, { body: { name: 'x' } }),
      await call(emu, `${WS}/${id}/archive`, { method: 'POST' }),
      await call(emu, `${WS}/${id}/members`),
      await call(emu, `${WS}/${id}/members`, { body: { user_id: 'user_01x', workspace_role: 'workspace_user' } }),
      await call(emu, `${WS}/${id}/members/user_01x`),
      await call(emu, `${WS}/${id}/members/user_01x`, { body: { workspace_role: 'workspace_user' } }),
      await call(emu, `${WS}/${id}/members/user_01x`, { method: 'DELETE' }),
      await call(emu, '/v1/organizations/api_keys'),
      await call(emu, '/v1/organizations/api_keys/apikey_01x'),
      await call(emu, '/v1/organizations/api_keys/apikey_01x', { body: { name: 'x' } }),
    ];
    for (const a of answers) expectEnvelope(a, 404, 'not_found_error');
    expect((await call(emu, '/v1/organizations/users')).status).toBe(200);
  });
});
