// The GitHub Action run the way the runner runs it (what `uses: ./` does in a workflow of this repository): a child
// process `node action/dist/index.js` (the committed bundle, from a copy of what a checkout of a tag holds and
// nothing else: no node_modules, no src, no build) with INPUT_* variables, GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY and GITHUB_WORKSPACE in a temp folder, the credentials in its environment, against the
// emulator on 127.0.0.1 seeded from examples/seeds. Checks the step's exit code, its outputs and its summary for
// plan (hashes, the markdown file, exit-code 2 then 0) and apply (a wrong hash refused: the step fails, nothing is
// written; the approved hashes applied).

import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSeedFile, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { parseOutputFile } from './github-files.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ORG_ID = '8f4c1a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b';
/** The emulator's key for this test (no word in it, so a leak is unmistakable in any output). */
const KEY = 'sk-ant-admin01-Qx7Zk3Vw9Pm2Rt8Yh4Jn6Bc5Ld0Fs';
/** The service-account endpoints' OAuth token (opaque, no words). */
const OAUTH_TOKEN = 'Hp3Vn7Qz1Kx5Wd9Bt2Mr6Yc';

interface StepRun {
  code: number;
  /** stdout and stderr, as the job's log shows them */
  log: string;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

let emu: RunningEmulator;
let dir: string;
let workspace: string;
let step = 0;
let bundle: string;

beforeAll(async () => {
  const seed = loadSeedFile(join(root, 'examples/seeds/acme-console.seed.yaml'));
  emu = await startEmulator({ host: '127.0.0.1', port: 0, seed: { ...seed, admin_keys: [{ key: KEY, name: 'action-test' }], oauth_tokens: [{ token: OAUTH_TOKEN, name: 'action-wif' }] } });
  dir = mkdtempSync(join(tmpdir(), 'claude-reconcile-action-'));
  // what the runner downloads for `uses: OWNER/claude-reconcile@TAG`, less all it does not read
  const checkout = join(dir, 'checkout');
  for (const f of ['action.yml', 'package.json', 'action/dist/index.js', 'schemas/claude-reconcile.schema.json', 'schemas/plan.schema.json']) {
    mkdirSync(join(checkout, f, '..'), { recursive: true });
    copyFileSync(join(root, f), join(checkout, f));
  }
  bundle = join(checkout, 'action/dist/index.js');
  workspace = join(dir, 'workspace');
  mkdirSync(join(workspace, 'orgs'), { recursive: true });
  copyFileSync(join(root, 'examples/acme-console.yaml'), join(workspace, 'orgs', 'acme-console.yaml'));
});

afterAll(async () => {
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the Action's entry point as the runner would: a fresh output and summary file per step, cwd the workspace. */
function runStep(inputs: Record<string, string>, extraEnv: Record<string, string> = {}, cwd = workspace): Promise<StepRun> {
  step += 1;
  const output = join(dir, `output-${step}.txt`);
  const summary = join(dir, `summary-${step}.md`);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: join(dir, 'home'),
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: cwd,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: join(dir, 'runner-temp'),
    ANTHROPIC_ADMIN_KEY: KEY,
    // the example declares service accounts: their endpoints take only an OAuth token (org:admin)
    ANTHROPIC_ADMIN_OAUTH_TOKEN: OAUTH_TOKEN,
    ANTHROPIC_BASE_URL: emu.url,
    CLAUDE_RECONCILE_STATE_DIR: join(dir, 'state'),
    ...extraEnv,
  };
  mkdirSync(env.RUNNER_TEMP!, { recursive: true });
  // the runner's naming: INPUT_ + the name upper-cased, hyphens kept
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bundle], { cwd, env, timeout: 60_000, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      if (err && typeof err.code !== 'number') {
        reject(new Error(`the Action did not exit normally: ${err.message}\n${stdout}${stderr}`));
        return;
      }
      resolve({ code, log: `${stdout}${stderr}`, stdout, outputs: parseOutputFile(readFileSync(output, 'utf8')), summary: readFileSync(summary, 'utf8') });
    });
  });
}

async function roleOf(email: string, on = emu): Promise<string | undefined> {
  const res = await fetch(`${on.url}/_emulator/state`, { signal: AbortSignal.timeout(10_000) });
  const state = (await res.json()) as { users?: Array<{ email: string; role: string }> };
  return state.users?.find((u) => u.email === email)?.role;
}

function noKeyIn(r: StepRun): void {
  for (const text of [r.log, r.summary, JSON.stringify(r.outputs)]) expect(text.includes(KEY)).toBe(false);
}

describe('the GitHub Action (node action/dist/index.js, as the runner runs it)', () => {
  let hashes = '';

  it('plan: the step succeeds with exit-code 2 (changes), the per-organization and combined hashes, the markdown file and the summary', async () => {
    const r = await runStep({ command: 'plan', path: 'orgs/', 'plan-file': 'plan.json', 'markdown-file': 'plan.md' });
    expect(r.code, r.log).toBe(0);
    expect(r.outputs['exit-code']).toBe('2');
    const saved = JSON.parse(readFileSync(join(workspace, 'plan.json'), 'utf8')) as { plan_hash: string; organization: { id: string } };
    expect(saved.organization.id).toBe(ORG_ID);
    expect(saved.plan_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.outputs['plan-hash']).toBe(saved.plan_hash);
    expect(r.outputs['plan-hashes']).toBe(`${ORG_ID}=${saved.plan_hash}`);
    expect(r.outputs['plan-file']).toBe(join(workspace, 'plan.json'));
    expect(r.outputs.markdown).toBe(join(workspace, 'plan.md'));
    const md = readFileSync(r.outputs.markdown!, 'utf8');
    expect(md).toContain('<!-- claude-reconcile:plan');
    expect(md).toContain(saved.plan_hash);
    expect(md).toContain('alice@acme.com');
    expect(r.summary).toBe(md);
    // the log shows the plan as text (the default format) between stop-commands markers
    expect(r.log).toContain('Organization Acme Corp');
    expect(r.log).toMatch(/^::stop-commands::([0-9a-f]{64})\n[\s\S]*^::\1::$/m);
    noKeyIn(r);
    hashes = r.outputs['plan-hashes']!;
    expect(await roleOf('alice@acme.com')).toBe('user');
  });

  it('apply with a hash that is not the plan\'s: refused, the step fails with exit-code 1, nothing is written', async () => {
    expect(hashes).not.toBe('');
    const r = await runStep({ command: 'apply', path: 'orgs/', 'approved-hashes': `${ORG_ID}=${'0'.repeat(64)}` });
    expect(r.code, r.log).toBe(1);
    expect(r.outputs['exit-code']).toBe('1');
    expect(r.log).toContain(`organization ${ORG_ID}: refused`);
    expect(r.log).toContain('::error::claude-reconcile apply failed (exit code 1)');
    expect(r.summary).toContain('### claude-reconcile apply: failed (exit code 1)');
    noKeyIn(r);
    expect(await roleOf('alice@acme.com')).toBe('user');
  });

  it('approved-hashes that are not ORG_ID=HASH stop the step before anything runs', async () => {
    const r = await runStep({ command: 'apply', path: 'orgs/', 'approved-hashes': `${ORG_ID}=${'a'.repeat(64)}\n${ORG_ID}=zz;id` });
    expect(r.code).toBe(1);
    expect(r.outputs['exit-code']).toBe('1');
    expect(r.log).toContain('::error::approved-hashes: item 2 is not ORG_ID=HASH');
    expect(r.log).not.toContain('zz;id');
    expect(r.log).not.toContain('::stop-commands::');
    const none = await runStep({ command: 'apply', path: 'orgs/' });
    expect(none.code).toBe(1);
    expect(none.log).toContain("input 'approved-hashes'");
  });

  it('apply with the approved hashes (newline-separated, as the plan-hashes output gives them): applied, exit-code 0', async () => {
    const r = await runStep({ command: 'apply', path: 'orgs/', 'approved-hashes': `${hashes}\n` });
    expect(r.code, r.log).toBe(0);
    expect(r.outputs['exit-code']).toBe('0');
    expect(r.log).toContain(`organization ${ORG_ID}: applied`);
    expect(r.summary).toContain('### claude-reconcile apply: applied');
    noKeyIn(r);
    expect(await roleOf('alice@acme.com')).toBe('developer');
  });

  it('plan again: exit-code 0, and the log in json when asked', async () => {
    const r = await runStep({ command: 'plan', format: 'json' });
    expect(r.code, r.log).toBe(0);
    expect(r.outputs['exit-code']).toBe('0');
    expect(r.outputs['plan-hashes']).toMatch(new RegExp(`^${ORG_ID}=[0-9a-f]{64}$`));
    expect(r.outputs['plan-hashes']).not.toBe(hashes);
    // the default files live under RUNNER_TEMP
    expect(r.outputs.markdown!.startsWith(join(dir, 'runner-temp'))).toBe(true);
    const json = r.stdout.split('\n').filter((l) => !l.startsWith('::')).join('\n');
    expect((JSON.parse(json) as { plan_hash: string }).plan_hash).toBe(r.outputs['plan-hash']);
  });

  it('validate: the step succeeds on a valid file and fails on an invalid one', async () => {
    const ok = await runStep({ command: 'validate', path: 'orgs/' });
    expect(ok.code, ok.log).toBe(0);
    expect(ok.summary).toContain('### claude-reconcile validate: valid');
    writeFileSync(join(workspace, 'orgs', 'broken.yaml'), 'version: 1\norganization: {}\n');
    try {
      const bad = await runStep({ command: 'validate', path: 'orgs/' });
      expect(bad.code).toBe(1);
      expect(bad.outputs['exit-code']).toBe('1');
      expect(bad.summary).toContain('### claude-reconcile validate: invalid');
      // a plan with an invalid file: the step fails (exit code 1), the markdown still says why
      const plan = await runStep({ command: 'plan' });
      expect(plan.code).toBe(1);
      expect(plan.outputs['exit-code']).toBe('1');
      expect(plan.outputs['plan-hash']).toBeUndefined();
      expect(readFileSync(plan.outputs.markdown!, 'utf8')).toContain('broken.yaml');
    } finally {
      rmSync(join(workspace, 'orgs', 'broken.yaml'));
    }
  });

  it('the inputs and outputs it reads and writes are the ones action.yml declares', () => {
    const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
      inputs: Record<string, unknown>; outputs: Record<string, unknown>; runs: { using: string; main: string };
    };
    expect(action.runs).toEqual({ using: 'node20', main: 'action/dist/index.js' });
    const source = readFileSync(join(root, 'src/action/run.ts'), 'utf8');
    const read = new Set([...source.matchAll(/(?:input|booleanInput|choiceInput)\(env, '([a-z-]+)'/g)].map((m) => m[1]));
    expect([...read].sort()).toEqual(Object.keys(action.inputs).sort());
    const written = new Set([...source.matchAll(/outputs(?:\['([a-z-]+)'\]|\.([a-z]+))\s*=/g)].map((m) => m[1] ?? m[2]));
    expect([...written].sort()).toEqual(Object.keys(action.outputs).sort());
  });

  it('two organizations: one ORG_ID=HASH line each; apply approving one applies it and refuses the other (the step fails)', async () => {
    const B_ID = '99999999-2222-4333-8444-555555555555';
    const B_KEY = 'sk-ant-admin01-Vb4Nq8Xz2Wk6Hp0Jr5Tc9Ym3';
    const b = await startEmulator({
      host: '127.0.0.1', port: 0,
      seed: { organization: { id: B_ID, name: 'Beta', kind: 'console', provisioning: 'invite' }, admin_keys: [{ key: B_KEY, name: 'b' }], users: [{ email: 'qx@beta.com', role: 'user' }], invites: [] },
    });
    try {
      const two = join(dir, 'two');
      mkdirSync(join(two, 'orgs'), { recursive: true });
      copyFileSync(join(root, 'examples/acme-console.yaml'), join(two, 'orgs', 'a-acme.yaml'));
      writeFileSync(join(two, 'orgs', 'b-beta.yaml'), [
        'version: 1',
        'organization:',
        `  id: ${B_ID}`,
        '  kind: console',
        '  credentials: { admin_key_env: BETA_KEY, base_url_env: BETA_URL }',
        'members:',
        '  qx@beta.com: developer',
        '',
      ].join('\n'));
      const env = { BETA_KEY: B_KEY, BETA_URL: b.url };
      // the console organization was applied above: only beta has a change
      const plan = await runStep({ command: 'plan', 'plan-file': 'plan.json' }, env, two);
      expect(plan.code, plan.log).toBe(0);
      expect(plan.outputs['exit-code']).toBe('2');
      const lines = plan.outputs['plan-hashes']!.split('\n');
      expect(lines.map((l) => l.slice(0, l.indexOf('=')))).toEqual([ORG_ID, B_ID]);
      const set = JSON.parse(readFileSync(join(two, 'plan.json'), 'utf8')) as { plan_hash: string; plans: Array<{ plan_hash: string }> };
      expect(plan.outputs['plan-hash']).toBe(set.plan_hash);
      expect(lines).toEqual([`${ORG_ID}=${set.plans[0]!.plan_hash}`, `${B_ID}=${set.plans[1]!.plan_hash}`]);
      expect(plan.log).toContain(`plan_hash of all 2 organizations: ${set.plan_hash}`);

      // beta approved with a hash that is not its plan's, acme with its own: acme (nothing to apply) fine, beta refused
      const refused = await runStep({ command: 'apply', 'approved-hashes': `${lines[0]} ${B_ID}=${'1'.repeat(64)}`, 'approved-plan': 'plan.json' }, env, two);
      expect(refused.code, refused.log).toBe(1);
      expect(refused.outputs['exit-code']).toBe('1');
      expect(refused.log).toContain(`organization ${B_ID}: refused`);
      expect(await roleOf('qx@beta.com', b)).toBe('user');

      const applied = await runStep({ command: 'apply', 'approved-hashes': plan.outputs['plan-hashes']! }, env, two);
      expect(applied.code, applied.log).toBe(0);
      expect(applied.log).toContain(`organization ${B_ID}: applied`);
      expect(await roleOf('qx@beta.com', b)).toBe('developer');
      for (const r of [plan, refused, applied]) expect(JSON.stringify(r).includes(B_KEY)).toBe(false);
    } finally {
      await b.close();
    }
  });
});
