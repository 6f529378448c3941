// The apply workflow's "Find the approved plan hashes" step, run for real with bash against a stand-in `gh` (no
// network): from the plan comment that `plan --format markdown` writes for two organizations it must find hashes
// that `apply --expect-plan-hash` accepts; a manual run takes only ORG_ID=HASH pairs.

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ADMIN_KEY, ORG_ID, desiredDoc, scenario, seedOf, type Scenario } from '../e2e/harness.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const B_ID = '99999999-2222-4333-8444-555555555555';

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'claude-reconcile-wf-'));
  temps.push(d);
  return d;
}

interface Step { id?: string; run?: string }
const script = (() => {
  const wf = parse(readFileSync(`${root}examples/github/workflows/claude-reconcile-apply.yml`, 'utf8')) as { jobs: { apply: { steps: Step[] } } };
  return wf.jobs.apply.steps.find((s) => s.id === 'approved')!.run!;
})();

/** Runs the step in `dir` with a stand-in `gh` that answers from `body`; returns its exit code and outputs. */
function runStep(dir: string, env: Record<string, string>, body = ''): { code: number; outputs: Record<string, string>; stdout: string } {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(dir, 'body.md'), body);
  writeFileSync(join(bin, 'gh'), [
    '#!/bin/bash',
    'case "$*" in',
    '  *"/commits/"*"/pulls"*) echo 7 ;;',
    '  *"/pulls/7"*) echo 0123abcd ;;',
    '  *"/issues/7/comments"*) cat "$FAKE_BODY" ;;',
    '  *"/actions/artifacts"*) echo "" ;;',
    '  *) echo "unexpected gh call: $*" >&2; exit 9 ;;',
    'esac',
    '',
  ].join('\n'));
  chmodSync(join(bin, 'gh'), 0o755);
  const out = join(dir, 'output.txt');
  writeFileSync(out, '');
  const r = spawnSync('bash', ['-c', script], {
    cwd: dir,
    timeout: 20_000,
    encoding: 'utf8',
    env: { PATH: `${bin}:${process.env.PATH ?? ''}`, GITHUB_OUTPUT: out, GITHUB_REPOSITORY: 'acme/orgs', GITHUB_SHA: 'f'.repeat(40), FAKE_BODY: join(dir, 'body.md'), GH_TOKEN: 'x', ...env },
  });
  const outputs = Object.fromEntries(readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { code: r.status ?? -1, outputs, stdout: `${r.stdout}${r.stderr}` };
}

async function twoOrgs(): Promise<Scenario> {
  const a = await scenario(seedOf({ users: [{ email: 'qa@acme.com', role: 'user' }] }), desiredDoc({}));
  const b = await scenario(seedOf({ orgId: B_ID, users: [{ email: 'qx@beta.com', role: 'user' }] }), desiredDoc({}, { id: B_ID }));
  const dir = join(a.dir, 'orgs');
  mkdirSync(dir);
  const creds = (suffix: string) => ({ admin_key_env: `KEY_${suffix}`, base_url_env: `URL_${suffix}` });
  writeFileSync(join(dir, 'alpha.yaml'), stringify(desiredDoc({ members: { 'qa@acme.com': 'developer' } }, { credentials: creds('A') })));
  writeFileSync(join(dir, 'beta.yaml'), stringify(desiredDoc({ members: { 'qx@beta.com': 'developer' } }, { id: B_ID, credentials: creds('B') })));
  a.file = dir;
  a.extraEnv = { ANTHROPIC_ADMIN_KEY: undefined, KEY_A: ADMIN_KEY, URL_A: a.emu.url, KEY_B: ADMIN_KEY, URL_B: b.emu.url };
  return a;
}

describe('the apply workflow finds the approved hashes', () => {
  it('in the comment plan --format markdown writes for two organizations: apply accepts them', async () => {
    const a = await twoOrgs();
    const md = await a.run(['plan', '--format', 'markdown']);
    expect(md.code).toBe(0);
    const step = runStep(a.dir, { EVENT: 'push' }, md.stdout);
    expect(step.code, step.stdout).toBe(0);
    const hashes = step.outputs.hashes!.trim().split(/\s+/);
    expect(hashes.length).toBeGreaterThan(0);
    expect(step.stdout).toContain('::warning::the approved plan');
    const applied = await a.apply(hashes.flatMap((h) => ['--expect-plan-hash', h]));
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`organization ${B_ID}: applied`);
  });

  it('one line per organization, as the comment prints it, becomes ORG_ID=HASH each', () => {
    const dir = tempDir();
    const body = [
      '<!-- claude-reconcile:plan -->',
      `plan_hash for organization \`${ORG_ID}\`: \`${'a'.repeat(64)}\``,
      `plan_hash for organization \`${B_ID}\`: \`${'b'.repeat(64)}\``,
      `plan_hash of all 2 organizations: \`${'c'.repeat(64)}\``,
    ].join('\n');
    const step = runStep(dir, { EVENT: 'push' }, body);
    expect(step.code, step.stdout).toBe(0);
    expect(step.outputs.hashes!.trim().split(/\s+/)).toEqual([`${ORG_ID}=${'a'.repeat(64)}`, `${B_ID}=${'b'.repeat(64)}`]);
  });

  it('a manual run takes ORG_ID=HASH pairs and nothing else', () => {
    const dir = tempDir();
    const ok = runStep(dir, { EVENT: 'workflow_dispatch', INPUT: `${B_ID}=${'d'.repeat(64)}` });
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.outputs.hashes!.trim()).toBe(`${B_ID}=${'d'.repeat(64)}`);
    for (const bad of [`${B_ID}=${'d'.repeat(63)}`, `${B_ID}=${'d'.repeat(64)};id`, '*', `${B_ID}=${'d'.repeat(64)}\nplan=/etc/passwd`]) {
      const r = runStep(dir, { EVENT: 'workflow_dispatch', INPUT: bad });
      expect(r.code, bad).toBe(1);
      expect(r.outputs.hashes).toBeUndefined();
      expect(r.outputs.plan).toBeUndefined();
    }
    // bash is there: the step really ran
    expect(execFileSync('bash', ['-c', 'echo ok'], { encoding: 'utf8' }).trim()).toBe('ok');
  });
});
