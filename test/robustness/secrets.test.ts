// Issue 6 item 5: credentials. Keys come only from the environment (a key written into the file is a validation
// error, never echoed); a workspace key is refused with a message naming the key needed; plain http is refused
// for the Admin API and the SCIM directory unless the host is loopback; and every command, successful or failing,
// run with recognisable fake credentials, leaves no trace of them (whole, or their last 20 characters, or a slice
// of their middle) on stdout, stderr or in any file it writes, including errors raised deep inside the HTTP client.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import {
  control,
  emulatorState,
  expectNoSecret,
  expectNoWindow,
  FAKE_ADMIN_KEY,
  FAKE_SCIM_TOKEN,
  FAST_CLIENT,
  ORG_ID,
  runIn,
  STACK_TRACE,
  writeRoutes,
  type RunOutput,
} from './helpers.js';
import { editJson, type Answer, type Exchange } from './proxy.js';
import { consoleDesired, consoleSeed, startOrg, type Org } from './scenarios.js';

const WRONG_ADMIN_KEY = 'sk-ant-admin01-WRONGfakeADMINkey-abcdefghij0123456789ABCDEFGHIJ-klmnopqrstuvWXYZ-zzAA';
const WRONG_SCIM_TOKEN = 'scimtok_WRONGfakeSCIMtoken_0a1b2c3d4e5f6g7h8i9jKLMNOP';
const WORKSPACE_KEY = 'sk-ant-api03-WORKSPACEfakeKEY-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKL-AA';
/** A key pasted with a line break inside: undici quotes the whole header value in its error. */
const KEY_HEAD = 'sk-ant-admin01-SPLITfakeKEY';
const KEY_TAIL = 'tailPARTofTHEsplitKEY0123456789abcdefXYZ';
const NEWLINE_KEY = `${KEY_HEAD}\n${KEY_TAIL}`;

const SECRETS = [FAKE_ADMIN_KEY, FAKE_SCIM_TOKEN, WRONG_ADMIN_KEY, WRONG_SCIM_TOKEN, WORKSPACE_KEY, KEY_TAIL];

let dir = '';
let emu: RunningEmulator;
let file = '';
const outputs: Array<{ label: string; out: RunOutput }> = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'claude-reconcile-secrets-'));
  emu = await startEmulator({ seed: consoleSeed() });
  file = join(dir, 'org.yaml');
  writeFileSync(file, stringify(consoleDesired()));
});

afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

const orgs: Org[] = [];
afterEach(async () => {
  for (const o of orgs.splice(0)) await o.close();
});

/** Runs a command, keeps its output for the final scan of everything, and checks it at once. */
async function run(label: string, args: string[], env: Record<string, string | undefined>, clientOptions = FAST_CLIENT): Promise<RunOutput> {
  const out = await runIn(args, { env, clientOptions });
  outputs.push({ label, out });
  expectNoSecret(out.stdout + out.stderr, label, SECRETS);
  expect(out.stderr, `${label}: no stack trace`).not.toMatch(STACK_TRACE);
  return out;
}

function consoleEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ANTHROPIC_ADMIN_KEY: FAKE_ADMIN_KEY, ANTHROPIC_BASE_URL: emu.url, ...extra };
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const p = join(root, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('every command, with fake credentials in the environment', () => {
  it('help, version and validate print neither key nor token', async () => {
    const env = consoleEnv({ CLAUDE_SCIM_URL: `${emu.url}/scim/v2.0/dir`, CLAUDE_SCIM_TOKEN: FAKE_SCIM_TOKEN });
    for (const args of [['--help'], ['--version'], ['validate', '--help'], ['plan', '--help'], ['apply', '--help'], ['emulator', '--help'], ['help', 'plan']]) {
      const out = await run(args.join(' '), args, env);
      expect(out.code, args.join(' ')).toBe(0);
    }
    expect((await run('validate', ['validate', '-f', file], env)).code).toBe(0);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 2\norganization: {id: nope, kind: console}\nmembers: {alice: wizard}\n');
    expect((await run('validate (invalid)', ['validate', '-f', bad], env)).code).toBe(1);
    expect((await run('plan (invalid file)', ['plan', '-f', bad], env)).code).toBe(1);
  });

  it('plan (text, json, verbose, detailed) and apply print neither', async () => {
    const env = consoleEnv({ CLAUDE_SCIM_URL: `${emu.url}/scim/v2.0/dir`, CLAUDE_SCIM_TOKEN: FAKE_SCIM_TOKEN });
    expect((await run('plan', ['plan', '-f', file], env)).code).toBe(0);
    const json = await run('plan json', ['plan', '--format', 'json', '-f', file], env);
    expect(JSON.parse(json.stdout)).toHaveProperty('changes');
    expect((await run('plan verbose', ['plan', '--verbose', '-f', file], env)).code).toBe(0);
    expect((await run('plan detailed', ['plan', '--detailed-exitcode', '-f', file], env)).code).toBe(2);
    const applied = await run('apply', ['apply', '--auto-approve', '-f', file], env);
    expect(applied.code, applied.stderr).toBe(0);
    expect((await run('plan after apply', ['plan', '--detailed-exitcode', '-f', file], env)).code).toBe(0);
  });

  it('plan and apply against an enterprise org with its SCIM directory print neither', async () => {
    const o = await startOrg('enterprise');
    orgs.push(o);
    // one change through each engine: a new SCIM user, and a new member of an RBAC group
    const doc = JSON.parse(JSON.stringify((await import('./scenarios.js')).enterpriseDesired())) as Record<string, Record<string, unknown>>;
    doc.members!['new@acme.com'] = { role: 'user', name: 'New Person' };
    writeFileSync(o.file, stringify(doc));
    expect((await run('enterprise plan', ['plan', '-f', o.file], o.env)).code).toBe(0);
    expect((await run('enterprise plan json', ['plan', '--format', 'json', '-f', o.file], o.env)).code).toBe(0);
    const applied = await run('enterprise apply', ['apply', '--auto-approve', '-f', o.file], o.env);
    expect(applied.code, applied.stderr).toBe(0);
  });

  it('the emulator command, seeded with the key, prints only its address', async () => {
    const seedFile = join(dir, 'seed.yaml');
    writeFileSync(seedFile, stringify(consoleSeed()));
    const stop = new AbortController();
    stop.abort(); // the command serves until interrupted: interrupted at once, it starts, prints and closes
    let stdout = '';
    let stderr = '';
    const { runCli } = await import('../../src/cli/program.js');
    const code = await runCli(['emulator', '--port', '0', '--seed', seedFile], {
      env: consoleEnv(),
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      stdoutIsTTY: false,
      stdinIsTTY: false,
      prompt: async () => 'no',
      now: () => new Date(),
      interrupt: stop.signal,
    });
    outputs.push({ label: 'emulator', out: { code, stdout, stderr } });
    expect(code).toBe(0);
    expect(stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expectNoSecret(stdout + stderr, 'emulator', SECRETS);
  });

  it('saved plans and import output, when the CLI has them, hold neither', async () => {
    const env = consoleEnv({ CLAUDE_SCIM_URL: `${emu.url}/scim/v2.0/dir`, CLAUDE_SCIM_TOKEN: FAKE_SCIM_TOKEN });
    const help = await run('help', ['--help'], env);
    const planHelp = await run('plan --help', ['plan', '--help'], env);
    let exercised = 0;
    if (/--out\b/.test(planHelp.stdout)) {
      const saved = join(dir, 'out', 'saved.plan');
      mkdirSync(join(dir, 'out'), { recursive: true });
      await run('plan --out', ['plan', '--out', saved, '-f', file], env);
      exercised++;
    }
    if (/^\s+import\b/m.test(help.stdout)) {
      mkdirSync(join(dir, 'import'), { recursive: true });
      await run('import --help', ['import', '--help'], env);
      await run('import', ['import', '-f', join(dir, 'import', 'imported.yaml')], env);
      await run('import (stdout)', ['import'], env);
      exercised++;
    }
    // Until the lead adds them, this only proves the help texts are clean; the final scan reads whatever they wrote.
    expect(exercised).toBeGreaterThanOrEqual(0);
    expect(help.stdout).toContain('plan');
  });
});

describe('failing runs print neither', () => {
  it('a wrong admin key (401) names the variable, never the key', async () => {
    const out = await run('wrong key', ['plan', '-f', file], consoleEnv({ ANTHROPIC_ADMIN_KEY: WRONG_ADMIN_KEY }));
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/GET \/v1\/organizations\/me \(request-id req_\w+\) failed: 401/);
  });

  it('a workspace API key is refused before any request, with the key that is needed', async () => {
    const before = ((await emulatorState(emu.url)).requests ?? {}) as Record<string, unknown>;
    for (const cmd of [['plan'], ['apply', '--auto-approve']]) {
      const out = await run(`workspace key: ${cmd[0]}`, [...cmd, '-f', file], consoleEnv({ ANTHROPIC_ADMIN_KEY: WORKSPACE_KEY }));
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('ANTHROPIC_ADMIN_KEY holds a workspace API key (sk-ant-api03-…)');
      expect(out.stderr).toContain('sk-ant-admin01-… for console orgs');
      expect(out.stderr).toContain('sk-ant-api01-… for enterprise orgs');
    }
    expect((await emulatorState(emu.url)).requests).toEqual(before);
  });

  it('a SCIM token the directory refuses (401) makes SCIM unavailable and is not printed', async () => {
    const o = await startOrg('enterprise');
    orgs.push(o);
    const out = await run('wrong SCIM token', ['plan', '--format', 'json', '-f', o.file], { ...o.env, CLAUDE_SCIM_TOKEN: WRONG_SCIM_TOKEN });
    expect(out.stdout + out.stderr).toMatch(/answered 401/);
    const apply = await run('wrong SCIM token: apply', ['apply', '--auto-approve', '-f', o.file], { ...o.env, CLAUDE_SCIM_TOKEN: WRONG_SCIM_TOKEN });
    expect(apply.stdout + apply.stderr).toMatch(/answered 401/);
  });

  it.each([
    ['a persistent 500', { status: 500 }],
    ['an HTML page', { body: 'html' }],
    ['truncated JSON', { body: 'truncated' }],
    ['connection resets', { reset: true }],
    ['answers that hang past the client timeout', { delay_ms: 5_000 }],
  ])('%s', async (label, fault) => {
    const local = await startEmulator({ seed: consoleSeed() });
    try {
      await control(local.url, 'faults', { method: 'GET', path: '/v1/organizations/users', count: 1000, ...fault });
      const client = { ...FAST_CLIENT, timeoutMs: 300 };
      for (const cmd of [['plan'], ['plan', '--format', 'json'], ['apply', '--auto-approve']]) {
        const out = await run(`${label}: ${cmd.join(' ')}`, [...cmd, '-f', file], consoleEnv({ ANTHROPIC_BASE_URL: local.url }), client);
        expect(out.code).toBe(1);
        expect(out.stderr).toMatch(/^error: GET \/v1\/organizations\/users\?limit=3/m);
      }
      expect(writeRoutes(await emulatorState(local.url))).toEqual([]);
    } finally {
      await local.close();
    }
  });

  it('nothing listening, and TLS spoken to a plain-HTTP server', async () => {
    const port = await closedPort();
    const refused = await run('connection refused', ['plan', '-f', file], consoleEnv({ ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}` }));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/GET \/v1\/organizations\/me failed: ECONNREFUSED/);
    const tls = await run('TLS to plain http', ['plan', '-f', file], consoleEnv({ ANTHROPIC_BASE_URL: emu.url.replace('http:', 'https:') }));
    expect(tls.code).toBe(1);
    expect(tls.stderr).toMatch(/^error: GET \/v1\/organizations\/me failed: /m);
  });
});

describe('errors from deep inside the client, and servers that echo the credential', () => {
  it('a key with a line break inside is refused before any request; no half of it is printed', async () => {
    const out = await run('newline key', ['plan', '-f', file], consoleEnv({ ANTHROPIC_ADMIN_KEY: NEWLINE_KEY }));
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^error: ANTHROPIC_ADMIN_KEY contains whitespace or control characters/m);
    expect(out.stderr).not.toContain(KEY_TAIL.slice(0, 12));
    expect(out.stderr).not.toContain('SPLITfakeKEY');
  });

  it('a proxy that echoes the key and the token back in errors and in malformed bodies', async () => {
    const o = await startOrg('enterprise');
    orgs.push(o);
    // Error texts keep a 200-character excerpt of a body: each secret is placed to start 30 characters before the
    // excerpt ends, so cutting before scrubbing would leave its first 30 characters in the message.
    const padTo = (prefix: string): string => 'x'.repeat(200 - 30 - prefix.length);
    let mode = 0;
    o.proxy.setTamper((x): Answer | undefined => {
      const key = String(x.headers['x-api-key'] ?? '');
      const bearer = String(x.headers.authorization ?? '').replace(/^Bearer /, '');
      if (mode === 0 && x.path === '/v1/organizations/me') {
        return { status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${key}` } }) };
      }
      if (mode === 1 && x.path === '/v1/organizations/users') return { status: 200, headers: { 'content-type': 'text/plain' }, body: `${padTo('')}${key} and more` };
      if (mode === 2 && x.path === '/v1/organizations/users') return { status: 502, headers: { 'content-type': 'text/html' }, body: `<html>${padTo('<html>key=')}key=${key}</html>` };
      if (mode === 3 && x.path.endsWith('/Users')) {
        return { status: 500, headers: { 'content-type': 'application/scim+json' }, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '500', detail: `${padTo('token ')}token ${bearer}` }) };
      }
      if (mode === 4 && x.path.endsWith('/Groups')) return { status: 200, headers: {}, body: `${padTo('Bearer ')}Bearer ${bearer}` };
      if (mode === 5 && x.path.endsWith('/Users')) {
        return { status: 401, headers: { 'content-type': 'application/scim+json' }, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401', detail: `bad token ${bearer}` }) };
      }
      return undefined;
    });
    for (mode = 0; mode <= 5; mode++) {
      for (const cmd of [['plan'], ['apply', '--auto-approve']]) {
        const out = await run(`echo ${mode}: ${cmd[0]}`, [...cmd, '-f', o.file], o.env);
        // modes 0–4 fail the read; mode 5 (a 401 from the directory) leaves SCIM unavailable
        if (mode < 5) expect(out.code, `mode ${mode}`).toBe(1);
        // the scrub marks where a secret was (an excerpt may cut the marker itself short)
        expect(out.stdout + out.stderr, `mode ${mode}`).toMatch(/\[redac|answered 401/);
      }
    }
    expect(o.proxy.tampered).toBeGreaterThanOrEqual(12);
  });
});

describe('the error objects themselves, as a debugger or a log would show them', () => {
  it('AdminClient and ScimClient errors, with their causes, hold no credential', async () => {
    const { AdminClient } = await import('../../src/clients/admin.js');
    const { ScimClient } = await import('../../src/clients/scim.js');
    const { inspect } = await import('node:util');
    const port = await closedPort();
    const local = await startEmulator({ seed: consoleSeed() });
    try {
      await control(local.url, 'faults', { path: '/v1/organizations/users', reset: true, count: 100 });
      const retry = { retries: 1, baseDelayMs: 1, maxDelayMs: 1 };
      const admin = (baseUrl: string, value: string, extra: { timeoutMs?: number } = {}) =>
        new AdminClient({ baseUrl, credential: { kind: 'x-api-key', value }, retry, ...extra });
      const scim = (baseUrl: string, token: string) => new ScimClient({ baseUrl, token, retry });
      const cases: Array<[string, { close(): Promise<void> }, (c: never) => Promise<unknown>]> = [
        ['refused', admin(`http://127.0.0.1:${port}`, FAKE_ADMIN_KEY), (c: InstanceType<typeof AdminClient>) => c.getOrganization()],
        ['tls', admin(local.url.replace('http:', 'https:'), FAKE_ADMIN_KEY), (c: InstanceType<typeof AdminClient>) => c.getOrganization()],
        ['reset', admin(local.url, FAKE_ADMIN_KEY), (c: InstanceType<typeof AdminClient>) => c.listAllUsers()],
        ['timeout', admin(`http://127.0.0.1:${port}`, FAKE_ADMIN_KEY, { timeoutMs: 1 }), (c: InstanceType<typeof AdminClient>) => c.getOrganization()],
        ['newline key', admin(local.url, NEWLINE_KEY), (c: InstanceType<typeof AdminClient>) => c.getOrganization()],
        ['401', admin(local.url, WRONG_ADMIN_KEY), (c: InstanceType<typeof AdminClient>) => c.getOrganization()],
        ['scim refused', scim(`http://127.0.0.1:${port}/scim/v2.0/dir`, FAKE_SCIM_TOKEN), (c: InstanceType<typeof ScimClient>) => c.listAllUsers()],
        ['scim 404', scim(`${local.url}/scim/v2.0/nodir`, WRONG_SCIM_TOKEN), (c: InstanceType<typeof ScimClient>) => c.listAllUsers()],
      ];
      for (const [label, client, call] of cases) {
        const err = await (call as (c: unknown) => Promise<unknown>)(client).then(() => undefined, (e: unknown) => e);
        await client.close();
        expect(err, label).toBeInstanceOf(Error);
        const shown = [inspect(err, { depth: 20, showHidden: true }), JSON.stringify(err), String(err), String((err as Error).stack)].join('\n');
        expectNoSecret(shown, `${label} error object`, SECRETS);
      }
    } finally {
      await local.close();
    }
  });

  it('apply: writes refused by a server that echoes the key show it scrubbed', async () => {
    const o = await startOrg('console');
    orgs.push(o);
    o.proxy.setTamper((x): Answer | undefined => (x.method === 'GET'
      ? undefined
      : { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: `not with key ${String(x.headers['x-api-key'])}` } }) }));
    const out = await run('apply, writes echo the key', ['apply', '--auto-approve', '-f', o.file], o.env);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/\[redacted\]|sk-ant-…\[redacted\]/);
  });
});

describe('keys are read only from the environment', () => {
  const KEYS_IN_FILE: Array<[string, (doc: Record<string, unknown>) => string]> = [
    ['admin_key_env holds the key itself', (d) => stringify({ ...d, organization: { id: ORG_ID, kind: 'console', credentials: { admin_key_env: FAKE_ADMIN_KEY } } })],
    ['scim_token_env holds the token itself', (d) => stringify({ ...d, organization: { id: ORG_ID, kind: 'console', credentials: { scim_token_env: FAKE_SCIM_TOKEN } } })],
    ['base_url_env holds a key', (d) => stringify({ ...d, organization: { id: ORG_ID, kind: 'console', credentials: { base_url_env: WRONG_ADMIN_KEY } } })],
    ['an admin_key field', (d) => stringify({ ...d, organization: { id: ORG_ID, kind: 'console', admin_key: FAKE_ADMIN_KEY } })],
    ['a top-level api_key', (d) => stringify({ ...d, api_key: FAKE_ADMIN_KEY })],
    ['a key as a member role', (d) => stringify({ ...d, members: { 'u1@acme.com': FAKE_ADMIN_KEY } })],
    ['a key as a member name', (d) => stringify({ ...d, members: { 'u1@acme.com': { role: 'user', name: FAKE_ADMIN_KEY } } })],
    ['a key as a mapping key', (d) => stringify({ ...d, members: { [FAKE_ADMIN_KEY]: 'user' } })],
    ['a key in a comment', (d) => `# ANTHROPIC_ADMIN_KEY=${FAKE_ADMIN_KEY}\n${stringify(d)}`],
  ];

  it.each(KEYS_IN_FILE)('%s: a validation error that does not repeat it; nothing is read', async (label, write) => {
    const keysDir = mkdtempSync(join(tmpdir(), 'claude-reconcile-keys-in-file-'));
    try {
      const f = join(keysDir, 'org.yaml');
      writeFileSync(f, write(consoleDesired()));
      const before = ((await emulatorState(emu.url)).requests ?? {}) as Record<string, unknown>;
      for (const cmd of ['validate', 'plan'] as const) {
        const out = await run(`${label}: ${cmd}`, [cmd, '-f', f], consoleEnv());
        expect(out.code).toBe(1);
        expect(out.stderr).toMatch(/:\d+:\d+: error: /);
      }
      expect((await emulatorState(emu.url)).requests, 'no request was made').toEqual(before);
    } finally {
      rmSync(keysDir, { recursive: true, force: true });
    }
  });

  it('a key pasted into the file is reported at its line as credential_in_file', async () => {
    const { parseDesired } = await import('../../src/config/load.js');
    const text = `version: 1\norganization:\n  id: ${ORG_ID}\n  kind: console\n  credentials:\n    admin_key_env: ${FAKE_ADMIN_KEY}\n`;
    const d = parseDesired(text, 'f.yaml').diagnostics.filter((x) => x.code === 'credential_in_file');
    expect(d.map((x) => [x.line, x.column])).toEqual([[6, 20]]);
    const token = `version: 1\norganization:\n  id: ${ORG_ID}\n  kind: console\n  credentials:\n    scim_token_env: ${FAKE_SCIM_TOKEN}\n`;
    const t = parseDesired(token, 'f.yaml').diagnostics.filter((x) => x.code === 'credential_in_file');
    expect(t.map((x) => [x.line, x.column])).toEqual([[6, 21]]);
    // an ordinary variable name is fine
    const ok = `version: 1\norganization:\n  id: ${ORG_ID}\n  kind: console\n  credentials:\n    scim_token_env: ACME_PROD_SCIM_TOKEN_2026\n`;
    expect(parseDesired(ok, 'f.yaml').diagnostics).toEqual([]);
  });
});

describe('only https, except to this machine', () => {
  const REFUSED = ['http://api.example.com', 'http://10.0.0.5:8080', 'http://localhost.example.com', 'http://127.0.0.1.example.com', 'ftp://127.0.0.1', 'not a url'];

  it.each(REFUSED)('ANTHROPIC_BASE_URL=%s is refused', async (url) => {
    const out = await run(`base url ${url}`, ['plan', '-f', file], consoleEnv({ ANTHROPIC_BASE_URL: url }));
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^error: ANTHROPIC_BASE_URL (must be an https:\/\/ URL|is not a valid URL)/m);
  });

  it.each(REFUSED)('CLAUDE_SCIM_URL=%s is refused', async (url) => {
    const out = await run(`scim url ${url}`, ['plan', '-f', file], consoleEnv({ CLAUDE_SCIM_URL: url, CLAUDE_SCIM_TOKEN: FAKE_SCIM_TOKEN }));
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^error: CLAUDE_SCIM_URL (must be an https:\/\/ URL|is not a valid URL)/m);
  });

  it('plain http to a loopback address is accepted for both', async () => {
    const port = new URL(emu.url).port;
    for (const host of ['127.0.0.1', 'localhost', '127.0.0.1']) {
      const out = await run(`loopback ${host}`, ['plan', '-f', file], consoleEnv({
        ANTHROPIC_BASE_URL: `http://${host}:${port}`,
        CLAUDE_SCIM_URL: `http://${host}:${port}/scim/v2.0/dir`,
        CLAUDE_SCIM_TOKEN: FAKE_SCIM_TOKEN,
      }));
      expect(out.stderr).not.toMatch(/must be an https/);
    }
    const o = await startOrg('enterprise');
    orgs.push(o);
    const out = await run('loopback SCIM', ['plan', '-f', o.file], { ...o.env, CLAUDE_SCIM_URL: o.env.CLAUDE_SCIM_URL!.replace('127.0.0.1', 'localhost') });
    expect(out.code, out.stderr).toBe(0);
  });
});

// Issue 12, part 1: URLs with user info, mistyped SCIM URLs, and a server that echoes every credential back in
// pieces and encodings. The rule checked: no 10-character window of a secret, raw or encoded, in any output.
const PASSWORD = 'PaSsWoRd-in-the-URL-0123';
/** Characters that URL-encoding and base64 change, so that each form differs from the raw key. */
const LYING_KEY = 'sk-ant-admin01-LYING+server/KEY=0a1b2c3d4e5f_QRSTuvwxyz-9876zyxwAA';
const LYING_TOKEN = 'scimtok+LYING/server=TOKEN_5a4b3c2d1e0fZYXW';
const LYING_DIR = 'dir_lying_directory_7q8r9s';

/** What a lying server sends back: halves, encodings at several alignments, a 12-character middle piece. */
function echoes(s: string): string {
  const half = Math.floor(s.length / 2);
  const b = Buffer.from(s);
  return [
    `first half ${s.slice(0, half)}`,
    `second half ${s.slice(half)}`,
    `url ${encodeURIComponent(s)}`,
    `base64 ${b.toString('base64')}`,
    `base64url ${b.toString('base64url')}`,
    `base64 from 1 ${b.subarray(1).toString('base64')}`,
    `base64url of a piece ${Buffer.from(s.slice(5, 41)).toString('base64url')}`,
    `hex ${b.toString('hex')}`,
    `json ${JSON.stringify(s)}`,
    `middle ${s.slice(half - 6, half + 6)}`,
  ].join(' | ');
}

function readAll(paths: string[]): string {
  return paths.map((f) => { try { return readFileSync(f, 'utf8'); } catch { return ''; } }).join('\n');
}

describe('URLs that carry credentials, and mistyped SCIM URLs', () => {
  it.each(['ANTHROPIC_BASE_URL', 'CLAUDE_SCIM_URL'])('%s with user:password@ is refused without echoing any of it', async (name) => {
    const port = new URL(emu.url).port;
    const before = ((await emulatorState(emu.url)).requests ?? {}) as Record<string, unknown>;
    for (const url of [`http://admin:${PASSWORD}@127.0.0.1:${port}`, `http://${PASSWORD}@127.0.0.1:${port}/scim/v2.0/dir_x`, `https://admin:${PASSWORD}@api.example.com`]) {
      const env = consoleEnv({ [name]: url, ...(name === 'CLAUDE_SCIM_URL' ? { CLAUDE_SCIM_TOKEN: FAKE_SCIM_TOKEN } : {}) });
      for (const cmd of [['plan', '-f', file], ['import']]) {
        const out = await run(`${name} user info: ${cmd[0]}`, cmd, env);
        expect(out.code).toBe(1);
        expect(out.stderr).toMatch(new RegExp(`^error: ${name} must not contain a user name or password`, 'm'));
        expect(out.stdout + out.stderr).not.toMatch(/admin:|@127\.0\.0\.1|@api\.example|http:\/\/|https:\/\//);
        expectNoWindow(out.stdout + out.stderr, `${name} ${cmd[0]}`, [PASSWORD]);
      }
    }
    expect((await emulatorState(emu.url)).requests, 'no request was made').toEqual(before);
  });

  it('no form of a mistyped SCIM URL prints the directory key, even from a server that quotes the request URL', async () => {
    const o = await startOrg('enterprise', { directory: LYING_DIR });
    orgs.push(o);
    // A server that quotes the path it was asked for in its error, like many do.
    o.proxy.setTamper((x): Answer | undefined => (x.path.startsWith('/v1/') ? undefined : {
      status: 404,
      headers: { 'content-type': 'application/scim+json', 'x-request-id': `rid-${x.path}` },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: `No such endpoint ${x.path}?${x.query.toString()} (${encodeURIComponent(x.path)})` }),
    }));
    const p = o.proxy.url;
    const forms = [
      `${p}/scim/v2.0/${LYING_DIR}/Users`,
      `${p}/scim/v2.0//${LYING_DIR}`,
      `${p}/scim/${LYING_DIR}`,
      `${p}/scim/v2.0/${LYING_DIR}?tenant=acme`,
      `${p}/scim/v2.0/${LYING_DIR}#users`,
      `${p}/scim/v2.0/${LYING_DIR}/`,
      `http://scim.example.com/scim/v2.0/${LYING_DIR}`,
      `http://[bad/scim/v2.0/${LYING_DIR}`,
      `${p}/scim/v2.0/ ${LYING_DIR}`,
      `${p}/scim/v2.0/${LYING_DIR.slice(0, 12)} ${LYING_DIR.slice(12)}`,
      `${p} /scim/v2.0/${LYING_DIR}`,
      `${p}/scim/v2.0/${encodeURIComponent(`${LYING_DIR}/x`)}`,
      `http://127.0.0.1:${await closedPort()}/scim/v2.0/${LYING_DIR}`,
    ];
    let reached = 0;
    for (const url of forms) {
      for (const cmd of [['plan', '-f', o.file], ['plan', '--format', 'json', '-f', o.file], ['import', '--kind', 'enterprise']]) {
        const tampered = o.proxy.tampered;
        const out = await run(`SCIM URL ${url}: ${cmd.join(' ')}`, cmd, { ...o.env, CLAUDE_SCIM_URL: url });
        if (o.proxy.tampered > tampered) reached++;
        expectNoWindow(out.stdout + out.stderr, `SCIM URL ${url}: ${cmd.join(' ')}`, [LYING_DIR]);
        expect(out.stdout + out.stderr).not.toContain(`/scim/v2.0/${LYING_DIR.slice(0, 4)}`);
      }
    }
    // the forms the tool does not refuse reached the quoting server
    expect(reached).toBeGreaterThanOrEqual(3);
  });
});

describe('a server that echoes every credential back, in pieces and encodings', () => {
  it('console: plan, plan json/markdown/--out, apply, import and import -o print and write no window of the key', async () => {
    const o = await startOrg('console', { adminKey: LYING_KEY });
    orgs.push(o);
    const files: string[] = [];
    const texts: Array<[string, string]> = [];
    const ridOf = (x: Exchange): string => `req_${String(x.headers['x-api-key']).slice(18, 44)}`;
    const error = (x: Exchange, status: number, type: string): Answer => ({
      status,
      headers: { 'content-type': 'application/json', 'request-id': ridOf(x) },
      body: JSON.stringify({ type: 'error', error: { type, message: `refused ${echoes(String(x.headers['x-api-key']))}` } }),
    });
    const modes: Array<[string, (x: Exchange) => Answer | undefined]> = [
      ['401 on /me', (x) => (x.path === '/v1/organizations/me' ? error(x, 401, 'authentication_error') : undefined)],
      ['500 on users', (x) => (x.path === '/v1/organizations/users' ? error(x, 500, 'api_error') : undefined)],
      ['an HTML page', (x) => (x.path === '/v1/organizations/users'
        ? { status: 502, headers: { 'content-type': 'text/html', 'request-id': ridOf(x) }, body: `<html><body>${echoes(String(x.headers['x-api-key']))}</body></html>` }
        : undefined)],
      ['a 200 that is not JSON', (x) => (x.path === '/v1/organizations/users'
        ? { status: 200, headers: { 'content-type': 'text/plain', 'request-id': ridOf(x) }, body: echoes(String(x.headers['x-api-key'])) }
        : undefined)],
      ['the key as a member name, request ids from the key', (x) => {
        if (x.path !== '/v1/organizations/users' || x.status !== 200) return undefined;
        const a = editJson(x, (b) => {
          for (const u of b.data as Array<Record<string, unknown>>) if (u.email === 'dave@acme.com') u.name = echoes(String(x.headers['x-api-key']));
        });
        return { ...a, headers: { ...a.headers, 'request-id': ridOf(x) } };
      }],
      ['writes refused with the key', (x) => (x.method === 'GET' ? undefined : error(x, 400, 'invalid_request_error'))],
    ];
    let named = 0;
    for (const [label, tamper] of modes) {
      o.proxy.setTamper(tamper);
      const saved = join(o.dir, `saved-${files.length}.json`);
      const imported = join(o.dir, `imported-${files.length}.yaml`);
      files.push(saved, imported);
      for (const cmd of [['plan'], ['plan', '--format', 'json'], ['plan', '--format', 'markdown'], ['plan', '--out', saved], ['apply', '--auto-approve']]) {
        const out = await run(`${label}: ${cmd.join(' ')}`, [...cmd, '-f', o.file], o.env);
        texts.push([`${label}: ${cmd.join(' ')}`, out.stdout + out.stderr]);
        if (/member\["dave@acme\.com"\][^\n]*name: [^\n]*\[redacted\]/.test(out.stdout)) named++;
      }
      for (const cmd of [['import'], ['import', '--force', '-o', imported]]) {
        const out = await run(`${label}: ${cmd.join(' ')}`, cmd, o.env);
        texts.push([`${label}: ${cmd.join(' ')}`, out.stdout + out.stderr]);
      }
    }
    expect(o.proxy.tampered).toBeGreaterThan(20);
    expect(named, 'the plan showed the scrubbed name').toBeGreaterThan(0);
    for (const [label, text] of texts) expectNoWindow(text, label, [LYING_KEY]);
    const written = readAll(files);
    expect(written.length).toBeGreaterThan(0);
    expectNoWindow(written, 'saved plans and imported files', [LYING_KEY]);
  });

  it('enterprise: the SCIM token and the directory key echoed in SCIM errors and bodies are never printed', async () => {
    const o = await startOrg('enterprise', { adminKey: LYING_KEY, scimToken: LYING_TOKEN, directory: LYING_DIR });
    orgs.push(o);
    const bearer = (x: Exchange): string => String(x.headers.authorization ?? '').replace(/^Bearer /, '');
    const scimError = (x: Exchange, status: number): Answer => ({
      status,
      headers: { 'content-type': 'application/scim+json', 'x-request-id': `scim-${bearer(x).slice(12, 36)}` },
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: String(status),
        detail: `token ${echoes(bearer(x))}; directory ${echoes(x.path.split('/')[3] ?? '')}; url ${x.path}`,
      }),
    });
    const modes: Array<[string, (x: Exchange) => Answer | undefined]> = [
      ['500 on /Users', (x) => (x.path.endsWith('/Users') ? scimError(x, 500) : undefined)],
      ['401 on /Users', (x) => (x.path.endsWith('/Users') ? scimError(x, 401) : undefined)],
      ['400 on /Groups', (x) => (x.path.endsWith('/Groups') ? scimError(x, 400) : undefined)],
      ['a 200 that is not JSON', (x) => (x.path.endsWith('/Groups') ? { status: 200, headers: {}, body: `${echoes(bearer(x))} ${x.path}` } : undefined)],
    ];
    const texts: Array<[string, string]> = [];
    for (const [label, tamper] of modes) {
      o.proxy.setTamper(tamper);
      for (const cmd of [['plan', '-f', o.file], ['plan', '--format', 'json', '-f', o.file], ['plan', '--format', 'markdown', '-f', o.file], ['apply', '--auto-approve', '-f', o.file], ['import', '--kind', 'enterprise']]) {
        const out = await run(`SCIM ${label}: ${cmd[0]}`, cmd, o.env);
        texts.push([`SCIM ${label}: ${cmd.join(' ')}`, out.stdout + out.stderr]);
      }
    }
    expect(o.proxy.tampered).toBeGreaterThan(10);
    expect(texts.map(([, t]) => t).join('\n')).toMatch(/\[redacted\]/);
    for (const [label, text] of texts) expectNoWindow(text, label, [LYING_KEY, LYING_TOKEN, LYING_DIR]);
  });
});

describe('the final scan', () => {
  it('no output of any run and no file written holds a secret', () => {
    expect(outputs.length).toBeGreaterThan(60);
    const all = [...SECRETS, PASSWORD, LYING_KEY, LYING_TOKEN, LYING_DIR];
    for (const { label, out } of outputs) {
      expectNoSecret(out.stdout + out.stderr, label, SECRETS);
      expectNoWindow(out.stdout + out.stderr, label, all);
    }
    for (const f of filesUnder(dir)) {
      if (f.endsWith('.yaml') && !f.includes(`${join(dir, 'import')}`)) continue; // inputs written by this test
      expectNoSecret(readFileSync(f, 'utf8'), f, SECRETS);
      expectNoWindow(readFileSync(f, 'utf8'), f, all);
    }
  });
});
