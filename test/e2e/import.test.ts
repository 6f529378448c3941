// `import` end to end: for every emulator seed in examples/seeds and a few synthetic organizations, import the
// live organization to a file, then `validate` it (exit 0) and `plan --detailed-exitcode` it: exit 0 and no
// create/update/replace/delete. Also: stdout without -o, no overwrite without --force, no secret in any output.

import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/program.js';
import type { CliIO } from '../../src/cli/io.js';
import { loadSeedFile, type Seed } from '../../src/emulator/index.js';
import { ADMIN_KEY, ORG_ID, scenario, seedOf, type RunOutput, type Scenario } from './harness.js';

const PKG_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const SEEDS = fileURLToPath(new URL('../../examples/seeds/', import.meta.url));
const DIRECTORY = 'dir_import_e2e';
const SCIM_TOKEN = 'scim-import-e2e-token-0123456789';

/** Runs `claude-reconcile import …` in-process with the scenario's environment (no `-f`: import writes the file). */
async function runImport(s: Scenario, args: string[], env: Record<string, string | undefined> = {}): Promise<RunOutput> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    env: { ...s.env(), ...env },
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    stdoutIsTTY: false,
    stdinIsTTY: false,
    prompt: async () => 'no',
    now: () => new Date(),
    interrupt: new AbortController().signal,
    clientOptions: { retry: { baseDelayMs: 5, maxDelayMs: 50 } },
  };
  const code = await runCli(['import', ...args], io);
  return { code, stdout, stderr };
}

/** Imports to a new file, then requires it to be valid and to plan to no API change. Returns the file's text. */
async function importAndConverge(s: Scenario, args: string[] = [], drift: string[] = []): Promise<{ text: string; doc: Record<string, any>; out: RunOutput }> {
  const file = join(s.dir, 'imported.yaml');
  const out = await runImport(s, ['-o', file, ...args]);
  expect(out.stderr).toMatch(/Imported /);
  expect(out.code).toBe(0);
  expect(out.stdout).toBe('');
  s.file = file;
  const v = await s.run(['validate']);
  expect(v.stderr).toBe('');
  expect(v.code).toBe(0);
  // what import leaves out, with a comment saying why, is drift (issue 14)
  await s.expectConverged([], { drift });
  const text = readFileSync(file, 'utf8');
  return { text, doc: parse(text) as Record<string, any>, out };
}

function expectNoSecret(texts: string[], secrets: string[]): void {
  for (const t of texts) for (const secret of secrets) expect(t).not.toContain(secret);
}

function seedKey(seed: Seed): string {
  const k = seed.admin_keys?.[0];
  const key = typeof k === 'string' ? k : k?.key;
  if (!key) throw new Error('the seed has no admin key');
  return key;
}

describe('import: every example seed', () => {
  const files = readdirSync(SEEDS).filter((f) => /\.seed\.(ya?ml|json)$/.test(f)).sort();

  it('finds the example seeds', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  for (const f of files) {
    it(`${f}: import, validate, plan with no changes`, async () => {
      const seed = loadSeedFile(join(SEEDS, f));
      const s = await scenario(seed, '# placeholder, replaced by the imported file\n');
      const key = seedKey(seed);
      s.extraEnv = { ...s.extraEnv, ANTHROPIC_ADMIN_KEY: key };
      const secrets = [key];
      if (seed.scim) {
        if (!seed.scim.directory || !seed.scim.token) throw new Error(`${f}: the test needs scim.directory and scim.token in the seed`);
        s.useEmulatorScim(seed.scim.directory, seed.scim.token);
        secrets.push(seed.scim.token);
      }
      const provisioning = seed.organization?.provisioning ?? 'invite';
      const { text, doc, out } = await importAndConverge(s, ['--provisioning', provisioning]);
      expect(doc.organization).toEqual({ id: seed.organization?.id, kind: seed.organization?.kind ?? 'console', provisioning });
      expect(Object.keys(doc.members ?? {}).length).toBeGreaterThan(0);
      expectNoSecret([text, out.stderr], secrets);
    });
  }
});

describe('import: synthetic console organization', () => {
  const consoleSeed = () => seedOf({
    users: [
      { email: 'admin@acme.com', role: 'admin' },
      { email: 'bill@acme.com', role: 'billing' },
      { email: 'payer@acme.com', role: 'billing' },
      { email: 'Dev@Acme.com', role: 'developer' },
      { email: 'coder@acme.com', role: 'claude_code_user' },
      { email: 'usr@acme.com', role: 'user' },
    ],
    invites: [
      { email: 'new@acme.com', role: 'developer' },
      { email: 'gone@acme.com', role: 'user', status: 'expired' },
    ],
    workspaces: [
      { name: 'Research', display_color: '#6C5BB9' },
      { name: 'Platform', display_color: '#1F7A1F' },
      { name: 'Retired', archived: true },
    ],
    workspace_members: [
      { workspace: 'Research', email: 'Dev@Acme.com', role: 'workspace_developer' },
      { workspace: 'Research', email: 'usr@acme.com', role: 'workspace_user' },
      { workspace: 'Research', email: 'bill@acme.com', role: 'workspace_admin' }, // billing upgrade (§3.2)
      { workspace: 'Platform', email: 'coder@acme.com', role: 'workspace_restricted_developer' },
    ],
  });

  it('declares members, the invite, workspaces with explicit members; implicit admins and billing only as comments', async () => {
    const s = await scenario(consoleSeed(), '# placeholder\n');
    const { text, doc, out } = await importAndConverge(s);
    expect(doc.organization).toEqual({ id: ORG_ID, kind: 'console', provisioning: 'invite' });
    expect(doc.members).toEqual({
      'admin@acme.com': 'admin',
      'bill@acme.com': 'billing',
      'coder@acme.com': 'claude_code_user',
      'Dev@Acme.com': 'developer',
      'new@acme.com': 'developer',
      'payer@acme.com': 'billing',
      'usr@acme.com': 'user',
    });
    expect(text).toMatch(/new@acme\.com: developer # invited, expires \d{4}-\d\d-\d\d/);
    expect(text).toMatch(/# +gone@acme\.com: the invite as user expired/);
    expect(doc.workspaces).toEqual({
      Platform: { display_color: '#1F7A1F', members: { 'coder@acme.com': 'workspace_restricted_developer' } },
      Research: {
        display_color: '#6C5BB9',
        members: { 'bill@acme.com': 'workspace_admin', 'Dev@Acme.com': 'workspace_developer', 'usr@acme.com': 'workspace_user' },
      },
    });
    expect(text).toContain('# implicit workspace_admin (org admin, never declared): admin@acme.com');
    expect(text).toContain('# implicit workspace_billing (org billing, never declared): payer@acme.com\n  Research:');
    expect(text).toContain('# implicit workspace_billing (org billing, never declared): bill@acme.com, payer@acme.com\n  Platform:');
    expect(text).toMatch(/kind: console # detected/);
    expect(out.stderr).toMatch(/7 members \(1 invited\), 2 workspaces/);
    expectNoSecret([text, out.stderr, out.stdout], [ADMIN_KEY]);
  });

  it('without -o prints the YAML to stdout, and importing twice gives the same text', async () => {
    const s = await scenario(consoleSeed(), '# placeholder\n');
    const a = await runImport(s, []);
    expect(a.code).toBe(0);
    expect(parse(a.stdout)).toMatchObject({ version: 1, organization: { id: ORG_ID, kind: 'console' } });
    // the editor's schema line names the published schema of this very version, then the header
    expect(a.stdout.split('\n')[0]).toBe(`# yaml-language-server: $schema=https://cdn.jsdelivr.net/npm/claude-reconcile@${PKG_VERSION}/schemas/claude-reconcile.schema.json`);
    expect(a.stdout.split('\n')[1]).toMatch(/^# Imported by claude-reconcile import /);
    const b = await runImport(s, ['--kind', 'console']);
    expect(b.stdout.replace(/kind: console #.*/, '')).toBe(a.stdout.replace(/kind: console #.*/, ''));
    expect(b.stdout).toContain('kind: console # given with --kind');
    expectNoSecret([a.stdout, a.stderr, b.stdout, b.stderr], [ADMIN_KEY]);
    expect(a.stdout).not.toContain(s.emu.url);
  });

  it('-o refuses an existing file without --force and replaces it with --force', async () => {
    const s = await scenario(consoleSeed(), '# placeholder\n');
    const file = join(s.dir, 'taken.yaml');
    writeFileSync(file, 'mine\n');
    const refused = await runImport(s, ['-o', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/exists; refusing to overwrite it \(use --force/);
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
    const forced = await runImport(s, ['-o', file, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^# yaml-language-server: \$schema=https:\/\/cdn\.jsdelivr\.net\/npm\/claude-reconcile@[^/]+\/schemas\/claude-reconcile\.schema\.json\n# Imported by/);
  });

  it('--org-id stops when the key belongs to another organization, and writes nothing', async () => {
    const s = await scenario(consoleSeed(), '# placeholder\n');
    const file = join(s.dir, 'other.yaml');
    const out = await runImport(s, ['-o', file, '--org-id', '99999999-2222-4333-8444-555555555555']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/belongs to organization 11111111-2222-4333-8444-555555555555/);
    expect(existsSync(file)).toBe(false);
  });

  it('--kind enterprise on a console org and --provisioning scim on a console org are refused', async () => {
    const s = await scenario(consoleSeed(), '# placeholder\n');
    const out = await runImport(s, ['--provisioning', 'scim']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/--provisioning scim/);
    const wrong = await runImport(s, ['--kind', 'enterprise']);
    // A console key is refused by the enterprise-only group listing (404): the import says so and stops.
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/--kind enterprise, but GET \/v1\/organizations\/rbac_groups answered 404/);
  });
});

async function createScimUser(s: Scenario, userName: string, givenName: string, familyName: string): Promise<void> {
  const res = await fetch(`${s.emu.url}/scim/v2.0/${DIRECTORY}/Users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SCIM_TOKEN}`, 'content-type': 'application/scim+json' },
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName,
      active: true,
      name: { givenName, familyName },
      emails: [{ value: userName, type: 'work', primary: true }],
    }),
    signal: AbortSignal.timeout(10_000),
  });
  expect(res.status).toBe(201);
}

describe('import: synthetic enterprise organizations', () => {
  const enterpriseSeed = (provisioning: 'scim' | 'invite') => seedOf({
    kind: 'enterprise',
    provisioning,
    users: [
      { email: 'owner@acme.com', role: 'primary_owner' },
      { email: 'lead@acme.com', role: 'membership_admin' },
      { email: 'kim@acme.com', role: 'managed' },
    ],
    invites: [
      { email: 'pending@acme.com', role: 'user' },
      { email: 'expired@acme.com', role: 'managed', status: 'expired' },
    ],
    rbac_groups: [
      { name: 'Security Reviewers', members: ['owner@acme.com', 'kim@acme.com'] },
      { name: 'Twins', members: ['kim@acme.com'] },
      { name: 'Twins' },
      { name: 'Empty' },
    ],
    scim: {
      directory: DIRECTORY,
      token: SCIM_TOKEN,
      synced: true,
      users: [
        { userName: 'ada@acme.com', name: { givenName: 'Ada', familyName: 'Lovelace' } },
        { userName: 'grace@acme.com', name: { givenName: 'Grace', familyName: 'Hopper' } },
        { userName: 'mallory@acme.com', active: false },
      ],
      groups: [
        { displayName: 'Engineering', externalId: 'eng', members: ['ada@acme.com', 'grace@acme.com'] },
        { displayName: 'Research', members: ['ada@acme.com'] },
      ],
    },
  });

  it('provisioning scim: members, unsynced SCIM users, direct groups, SCIM groups; nothing a plan would change', async () => {
    const s = await scenario(enterpriseSeed('scim'), '# placeholder\n');
    s.useEmulatorScim(DIRECTORY, SCIM_TOKEN);
    await createScimUser(s, 'linus@acme.com', 'Linus', 'Torvalds'); // in the directory, not synced yet
    const { text, doc, out } = await importAndConverge(s, ['--provisioning', 'scim'], ['group["Twins"]', 'invite["pending@acme.com"]']);
    expect(doc.organization).toEqual({ id: ORG_ID, kind: 'enterprise', provisioning: 'scim' });
    expect(text).toMatch(/kind: enterprise # detected/);
    expect(doc.members).toEqual({
      'ada@acme.com': { role: 'user', name: 'Ada Lovelace' },
      'grace@acme.com': { role: 'user', name: 'Grace Hopper' },
      'kim@acme.com': 'managed',
      'lead@acme.com': 'membership_admin',
      'linus@acme.com': { role: 'user', name: 'Linus Torvalds' },
      'owner@acme.com': 'primary_owner',
    });
    expect(text).toMatch(/linus@acme\.com: \{role: user, name: Linus Torvalds\} # SCIM user, not a member yet/);
    expect(text).toMatch(/# +mallory@acme\.com: SCIM user, deactivated and not a member/);
    expect(text).toMatch(/# +pending@acme\.com: pending invite as user, expires .*; with provisioning scim/);
    expect(text).toMatch(/# +expired@acme\.com: the invite as managed expired/);
    expect(doc.groups).toEqual({ Empty: { members: [] }, 'Security Reviewers': { members: ['kim@acme.com', 'owner@acme.com'] } });
    expect(text).toMatch(/"Twins" \(rbac_group_\w+\): another group has this name/);
    expect(text).toMatch(/Pushed by the identity provider.*"Engineering", "Research"/);
    expect(doc.scim).toEqual({
      deprovision: 'deactivate',
      groups: {
        Engineering: { external_id: 'eng', members: ['ada@acme.com', 'grace@acme.com'] },
        Research: { members: ['ada@acme.com'] },
      },
    });
    const plan = await s.plan();
    expect(plan.plan.changes.find((c) => c.address === 'member["linus@acme.com"]')?.action).toBe('deferred');
    expect(out.stderr).toMatch(/6 members \(1 awaiting the directory sync\), 2 groups, 2 SCIM groups/);
    expectNoSecret([text, out.stderr], [ADMIN_KEY, SCIM_TOKEN]);
  });

  it('provisioning invite with a synced directory: pending invites declared, SCIM groups from the directory', async () => {
    const s = await scenario(enterpriseSeed('invite'), '# placeholder\n');
    s.useEmulatorScim(DIRECTORY, SCIM_TOKEN);
    const { text, doc } = await importAndConverge(s, ['--provisioning', 'invite', '--kind', 'enterprise'], ['group["Twins"]']);
    expect(doc.members['pending@acme.com']).toBe('user');
    expect(doc.members['ada@acme.com']).toBe('user');
    expect(doc.members['expired@acme.com']).toBeUndefined();
    expect(Object.keys(doc.scim.groups)).toEqual(['Engineering', 'Research']);
    expectNoSecret([text], [ADMIN_KEY, SCIM_TOKEN]);
  });

  it('without the SCIM variables: the directory is not read, which the file says; groups still declared', async () => {
    const s = await scenario(enterpriseSeed('invite'), '# placeholder\n');
    const { text, doc } = await importAndConverge(s, [], ['group["Twins"]']);
    expect(doc.scim).toBeUndefined();
    expect(Object.keys(doc.groups)).toEqual(['Empty', 'Security Reviewers']);
    expect(text).toMatch(/Not read, so not declared:\n# +the SCIM directory \(the SCIM directory is not configured/);
  });

  it('--provisioning scim without the SCIM variables is refused before anything is written', async () => {
    const s = await scenario(enterpriseSeed('scim'), '# placeholder\n');
    const file = join(s.dir, 'x.yaml');
    const out = await runImport(s, ['-o', file, '--provisioning', 'scim']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/CLAUDE_SCIM_URL/);
    expect(existsSync(file)).toBe(false);
  });
});
