// The CLI as a user meets it: exit codes, validate diagnostics with file:line:column, confirmation rules, JSON
// plans that match their schema, colour rules, and the real binary started as a process.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { desiredDoc, scenario, seedOf, ADMIN_KEY } from '../e2e/harness.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('validate', () => {
  it('prints every problem with file:line:column and exits 1, without credentials', async () => {
    const s = await scenario(seedOf(), [
      'version: 1',
      'organization:',
      '  id: 11111111-2222-4333-8444-555555555555',
      '  kind: console',
      'members:',
      '  alice@acme.com: developer',
      '  Alice@acme.com: user',
      '  bob@acme.com: wizard',
      'depatred: {}',
      '',
    ].join('\n'));
    const out = await s.run(['validate'], { env: { ANTHROPIC_ADMIN_KEY: undefined } });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(new RegExp(`${s.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6:3: error: .*alice@acme.com`, 'i'));
    expect(out.stderr).toMatch(/:7:3: error: /);
    expect(out.stderr).toMatch(/:8:\d+: error: .*wizard|:8:\d+: error: .*role/);
    expect(out.stderr).toMatch(/:9:1: error: /);
    expect(out.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 0 on a valid file and says what it holds', async () => {
    const s = await scenario(seedOf(), desiredDoc({ members: { 'a@acme.com': 'user' } }));
    const out = await s.run(['validate'], { env: { ANTHROPIC_ADMIN_KEY: undefined } });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('is valid');
  });

  it('a missing file is one clear error', async () => {
    const s = await scenario(seedOf(), desiredDoc({}));
    s.file = `${s.dir}/nope.yaml`;
    const out = await s.run(['validate']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('nope.yaml');
  });
});

describe('plan', () => {
  it('--format json prints one value that matches schemas/plan.schema.json', async () => {
    const s = await scenario(
      seedOf({ users: [{ email: 'a@acme.com', role: 'user' }, { email: 'd@acme.com', role: 'user' }], invites: [{ email: 'i@acme.com', role: 'user' }] }),
      desiredDoc({ members: { 'a@acme.com': 'developer', 'n@acme.com': 'user', 'i@acme.com': 'developer' }, departed: { 'd@acme.com': null } }),
    );
    const { plan, code } = await s.plan();
    expect(code).toBe(0);
    const ajv = new Ajv2020.default({ strict: true, allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(`${root}schemas/plan.schema.json`, 'utf8')));
    expect(validate(plan), JSON.stringify(validate.errors)).toBe(true);
    expect(plan.changes).toHaveLength(4);
    expect(plan.desired.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.organization.id).toBe('11111111-2222-4333-8444-555555555555');
    // every touched live object carries a fingerprint of what was read
    for (const c of plan.changes.filter((x) => x.id)) expect(c.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a file that matches the live state reports zero changes and exits 0 with --detailed-exitcode', async () => {
    const s = await scenario(seedOf({ users: [{ email: 'a@acme.com', role: 'user' }] }), desiredDoc({ members: { 'A@acme.com': 'user' } }));
    const { plan, code } = await s.plan(['--detailed-exitcode']);
    expect(code).toBe(0);
    expect(plan.changes).toEqual([]);
    expect(plan.summary).toEqual({ create: 0, update: 0, replace: 0, delete: 0, deferred: 0, manual: 0, unavailable: 0 });
  });

  it('text output uses Terraform symbols and no colour when NO_COLOR is set or not on a terminal', async () => {
    const s = await scenario(
      seedOf({ users: [{ email: 'a@acme.com', role: 'user' }, { email: 'd@acme.com', role: 'user' }], invites: [{ email: 'i@acme.com', role: 'user' }] }),
      desiredDoc({ members: { 'a@acme.com': 'developer', 'n@acme.com': 'user', 'i@acme.com': 'developer' }, departed: { 'd@acme.com': null } }),
    );
    const out = await s.run(['plan']);
    expect(out.stdout).toContain('  + invite["n@acme.com"]');
    expect(out.stdout).toContain('  ~ member["a@acme.com"]  role: user → developer');
    expect(out.stdout).toContain('-/+ invite["i@acme.com"]  role: user → developer');
    expect(out.stdout).toContain('  - member["d@acme.com"]');
    expect(out.stdout).toContain('Plan: 1 to create, 1 to update, 1 to replace, 1 to delete');
    expect(out.stdout).not.toContain('\x1b[');
    const forced = await s.run(['plan'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\x1b[');
  });
});

describe('apply', () => {
  it('refuses without a terminal unless --auto-approve, and changes nothing', async () => {
    const s = await scenario(seedOf(), desiredDoc({ members: { 'n@acme.com': 'user' } }));
    const out = await s.run(['apply']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('--auto-approve');
    expect((await s.state()).invites).toEqual([]);
  });

  it('refuses a workspace API key and says which key is needed, without printing it', async () => {
    const s = await scenario(seedOf(), desiredDoc({ members: {} }));
    const key = 'sk-ant-api03-ThisIsAWorkspaceKeyXYZ0123456789';
    const out = await s.run(['plan'], { env: { ANTHROPIC_ADMIN_KEY: key } });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('workspace API key');
    expect(out.stderr).toContain('sk-ant-admin01-');
    expect(out.stderr + out.stdout).not.toContain('ThisIsAWorkspaceKey');
  });

  it('refuses a plain-http base URL that is not loopback', async () => {
    const s = await scenario(seedOf(), desiredDoc({ members: {} }));
    const out = await s.run(['plan'], { env: { ANTHROPIC_BASE_URL: 'http://api.example.com' } });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('https://');
  });
});

function runBin(args: string[], env: Record<string, string>, timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${root}dist/cli/main.js`, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CLAUDE_RECONCILE_STATE_DIR: process.env.CLAUDE_RECONCILE_STATE_DIR ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the binary', () => {
  it('--help explains the commands and the exit codes', async () => {
    const out = await runBin(['--help'], {});
    expect(out.code).toBe(0);
    for (const word of ['validate', 'plan', 'apply', 'emulator', 'Exit codes', 'ANTHROPIC_ADMIN_KEY']) expect(out.stdout).toContain(word);
  });

  it('plans against the emulator as a separate process and exits 2 with --detailed-exitcode', async () => {
    const s = await scenario(seedOf(), desiredDoc({ members: { 'n@acme.com': 'user' } }));
    const out = await runBin(['plan', '-f', s.file, '--detailed-exitcode'], { ANTHROPIC_ADMIN_KEY: ADMIN_KEY, ANTHROPIC_BASE_URL: s.emu.url });
    expect(out.code).toBe(2);
    expect(out.stdout).toContain('+ invite["n@acme.com"]');
    expect(out.stdout + out.stderr).not.toContain(ADMIN_KEY);
  });

  it('--version prints the package version, from the installed package.json', async () => {
    const out = await runBin(['--version'], {});
    expect(out.code).toBe(0);
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };
    expect(out.stdout.trim()).toBe(pkg.version);
  });

  it('`emulator --seed` with a SCIM directory says what to export: the SCIM URL and the variable names, never the token', async () => {
    const seedFile = `${root}examples/seeds/acme-enterprise.seed.yaml`;
    const child = spawn(process.execPath, [`${root}dist/cli/main.js`, 'emulator', '--port', '0', '--seed', seedFile], { env: { PATH: process.env.PATH ?? '' } });
    try {
      const banner = await new Promise<string>((resolve, reject) => {
        let buf = '';
        const timer = setTimeout(() => reject(new Error(`emulator did not start: ${buf}`)), 15_000);
        child.stdout.on('data', (d) => {
          buf += d;
          if (buf.includes('Ctrl-C')) {
            clearTimeout(timer);
            resolve(buf);
          }
        });
      });
      expect(banner).toMatch(/export CLAUDE_SCIM_URL=http:\/\/127\.0\.0\.1:\d+\/scim\/v2\.0\/dir_acme_demo\n/);
      expect(banner).toContain('export CLAUDE_SCIM_TOKEN=…');
      expect(banner).toContain('export ANTHROPIC_ADMIN_KEY=…');
      expect(banner).not.toContain('scim-demo-token');
      expect(banner).not.toMatch(/sk-ant-/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('`emulator --port 0` serves the API until interrupted', async () => {
    const child = spawn(process.execPath, [`${root}dist/cli/main.js`, 'emulator', '--port', '0'], { env: { PATH: process.env.PATH ?? '' } });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let buf = '';
        const timer = setTimeout(() => reject(new Error('emulator did not start')), 15_000);
        child.stdout.on('data', (d) => {
          buf += d;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(buf);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      const res = await fetch(`${url}/v1/organizations/me`, { headers: { 'x-api-key': 'sk-ant-admin01-emulator-default-key' }, signal: AbortSignal.timeout(5000) });
      expect(res.status).toBe(200);
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      child.kill('SIGINT');
      expect(await Promise.race([closed, new Promise((r) => setTimeout(() => r('timeout'), 10_000))])).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
