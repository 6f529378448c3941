// Seeds: YAML and JSON files, defaults, and errors that name the file and every problem.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSeedFile, parseSeed, SeedError, startEmulator } from '../../src/emulator/index.js';
import { call, emulator, INVITE_ID, USER_ID } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'emulator-seed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const YAML_SEED = `
# An enterprise org with a scoped key
organization:
  id: 3f1d2c4b-5a6e-4f70-8192-a3b4c5d6e7f8
  name: Acme Corp
  kind: enterprise
  provisioning: invite
admin_keys:
  - sk-ant-api01-plain-string-key
  - key: sk-ant-api01-scoped-key-0001
    name: reader
    scopes: [read:members]
users:
  - { email: owner@acme.com, role: primary_owner, name: Olive Owner, added_at: 2024-01-02T03:04:05Z }
  - { email: m@acme.com, role: managed, id: user_01AbCdEfGhJkLmNpQrStUvWx }
invites:
  - { email: new@acme.com, role: user }
  - { email: done@acme.com, role: managed, status: accepted, invited_at: 2025-01-01T00:00:00Z }
rate_limits:
  requests_per_minute: 100
  invites_per_hour: 1200
`;

describe('loading files', () => {
  it('loads YAML and serves it', async () => {
    const seed = loadSeedFile(file('acme.yaml', YAML_SEED));
    const emu = await emulator({ seed });
    const me = await call(emu, '/v1/organizations/me', { key: 'sk-ant-api01-plain-string-key' });
    expect(me.body).toEqual({ id: '3f1d2c4b-5a6e-4f70-8192-a3b4c5d6e7f8', type: 'organization', name: 'Acme Corp' });
    const users = (await call(emu, '/v1/organizations/users', { key: 'sk-ant-api01-scoped-key-0001' })).body.data;
    expect(users.map((u: { email: string }) => u.email)).toEqual(['m@acme.com', 'owner@acme.com']);
    expect(users[0].id).toBe('user_01AbCdEfGhJkLmNpQrStUvWx');
    expect(users[1]).toMatchObject({ name: 'Olive Owner', added_at: '2024-01-02T03:04:05Z', role: 'primary_owner' });
    expect(users[1].id).toMatch(USER_ID);
    const invites = (await call(emu, '/v1/organizations/invites', { key: 'sk-ant-api01-plain-string-key' })).body.data;
    expect(invites.map((i: { status: string }) => i.status)).toEqual(['pending', 'accepted']);
    expect(invites[0].id).toMatch(INVITE_ID);
    expect(invites[1]).toMatchObject({ invited_at: '2025-01-01T00:00:00Z', expires_at: '2025-01-22T00:00:00.000Z', accepted_at: '2025-01-01T00:00:00Z' });
    expect(emu.store.rateLimits).toEqual({ requestsPerMinute: 100, invitesPerHour: 1200 });
    expect(emu.store.keyInfos()).toEqual([
      { name: 'admin-key-1', scopes: null },
      { name: 'reader', scopes: ['read:members'] },
    ]);
  });

  it('loads JSON by content, whatever the file is called', async () => {
    const seed = loadSeedFile(file('seed.txt', JSON.stringify({ users: [{ email: 'j@acme.com', role: 'billing' }] })));
    expect(seed).toEqual({ users: [{ email: 'j@acme.com', role: 'billing' }] });
    const emu = await emulator({ seed });
    expect((await call(emu, '/v1/organizations/users')).body.data[0].role).toBe('billing');
  });

  it('a seed without keys or organization gets the documented defaults', async () => {
    const emu = await emulator({ seed: parseSeed('users: []', 'inline') });
    expect(emu.store.organization.kind).toBe('console');
    expect(emu.store.organization.provisioning).toBe('invite');
    expect((await call(emu, '/v1/organizations/me')).status).toBe(200); // DEFAULT_ADMIN_KEY
    const generated = await emulator({ seed: { organization: { kind: 'enterprise' } } });
    expect(generated.store.organization.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('errors', () => {
  function problemsOf(fn: () => unknown): { message: string; problems: string[] } {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(SeedError);
      return { message: (e as SeedError).message, problems: (e as SeedError).problems };
    }
    throw new Error('expected a SeedError');
  }

  it('names the file when it is missing, empty or unparsable', () => {
    const missing = join(dir, 'nope.yaml');
    expect(problemsOf(() => loadSeedFile(missing)).message).toContain(missing);
    const empty = file('empty.yaml', '  \n');
    expect(problemsOf(() => loadSeedFile(empty)).message).toContain('empty');
    const badJson = file('bad.json', '{"users": [}');
    const json = problemsOf(() => loadSeedFile(badJson));
    expect(json.message).toContain(badJson);
    expect(json.message).toContain('JSON');
    const badYaml = file('bad.yaml', 'users:\n  - email: a@b.co\n   role: user\n');
    const yaml = problemsOf(() => loadSeedFile(badYaml));
    expect(yaml.message).toContain(badYaml);
    expect(yaml.message).toContain('YAML');
    const notMap = file('list.yaml', '- a\n- b\n');
    expect(problemsOf(() => loadSeedFile(notMap)).message).toContain('mapping');
  });

  it('reports every problem with its path, and never echoes a key', () => {
    const text = `
organization: { id: not-a-uuid, kind: team, provisioning: magic, colour: blue }
admin_keys:
  - sk-ant-admin01-secret-value-123
  - sk-ant-admin01-secret-value-123
  - { key: short }
  - { key: sk-ant-admin01-other-value-99, scopes: [everything] }
users:
  - { email: a@acme.com, role: user }
  - { email: A@ACME.com, role: user }
  - { email: nope, role: managed }
  - { email: c@acme.com, role: user, added_at: yesterday, id: invite_01abc }
  - { email: d@acme.com }
invites:
  - { email: x@acme.com, role: admin }
  - { email: y@acme.com, role: user }
  - { email: Y@acme.com, role: user }
  - { email: z@acme.com, role: user, status: gone, accepted_at: 2025-01-01T00:00:00Z }
  - { email: w@acme.com, role: user, status: expired, expires_at: 2999-01-01T00:00:00Z }
rate_limits: { requests_per_minute: 0, invites_per_hour: 1.5 }
extra: true
`;
    const { message, problems } = problemsOf(() => parseSeed(text, 'broken.yaml'));
    expect(message).toContain('broken.yaml');
    expect(message).not.toContain('secret-value');
    const paths = problems.map((p) => p.split(':')[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'organization.id',
        'organization.kind',
        'organization.provisioning',
        'organization.colour',
        'admin_keys[1]',
        'admin_keys[2]',
        'admin_keys[3].scopes',
        'users[1].email',
        'users[2].email',
        'users[3].added_at',
        'users[3].id',
        'users[4].role',
        'invites[0].role',
        'invites[2].email',
        'invites[3].status',
        'invites[3].accepted_at',
        'invites[4].expires_at',
        'rate_limits.requests_per_minute',
        'rate_limits.invites_per_hour',
        'extra',
      ]),
    );
  });

  it('role validity depends on the org kind', () => {
    expect(() => parseSeed('users: [{ email: a@b.co, role: managed }]', 's')).toThrow(/users\[0\]\.role/);
    expect(() => parseSeed('organization: { kind: enterprise }\nusers: [{ email: a@b.co, role: admin }]', 's')).toThrow(
      /users\[0\]\.role/,
    );
    expect(parseSeed('organization: { kind: enterprise }\nusers: [{ email: a@b.co, role: membership_admin }]', 's').users).toHaveLength(1);
  });

  it('startEmulator validates a seed object too, and refuses non-loopback hosts', async () => {
    await expect(startEmulator({ seed: { users: [{ email: 'bad', role: 'user' }] } })).rejects.toThrow(SeedError);
    await expect(startEmulator({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
    await expect(startEmulator({ rateLimit: { requestsPerMinute: 0 } })).rejects.toThrow(RangeError);
  });
});
