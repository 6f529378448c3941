// Issue 18 item 3 in the pipeline: the apply workflow's recovery path, its pieces run for real. The Action (in
// process) applies with a time budget that the emulator makes certain to exceed (the first four invites are held
// 4 s; the budget keeps 2 s of 5 s for the changes in flight): the step succeeds with exit-code 4. The workflow's
// "Keep the approval" step writes the hashes beside the approved plan (the artifact); the next run's "Find the
// approved plan hashes" step, started with resume_run, takes them back (a stand-in `gh`, no network) and the Action
// applies what is left under the ORIGINAL approval; the plan after it is empty. The resume step refuses a run id
// that is not digits, a run of another workflow or branch, and an artifact that does not hold ORG_ID=HASH pairs.

import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runAction } from '../../src/action/run.js';
import { parseDuration } from '../../src/cli/duration.js';
import type { Plan } from '../../src/model/plan.js';
import { parseOutputFile } from '../action/github-files.js';
import { ADMIN_KEY, ORG_ID, desiredDoc, scenario, seedOf, type Scenario } from '../e2e/harness.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const WORKFLOW = '.github/workflows/claude-reconcile-apply.yml';

interface Step { id?: string; name?: string; run?: string; uses?: string; if?: string; with?: Record<string, string>; env?: Record<string, string> }
const wf = parse(readFileSync(`${root}examples/github/workflows/claude-reconcile-apply.yml`, 'utf8')) as {
  on: { workflow_dispatch: { inputs: Record<string, { required: boolean }> } };
  permissions: Record<string, string>;
  jobs: { apply: { 'timeout-minutes': number; steps: Step[] } };
};
const steps = wf.jobs.apply.steps;
const named = (name: string): Step => steps.find((s) => s.name === name)!;

/** Runs one of the workflow's shell steps in `cwd` with a stand-in `gh`; returns its code, outputs and log. */
function shellStep(script: string, cwd: string, env: Record<string, string>): { code: number; outputs: Record<string, string>; log: string } {
  const bin = join(cwd, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'gh'), [
    '#!/bin/bash',
    'case "$*" in',
    '  "api repos/acme/orgs/actions/runs/"*) echo "$FAKE_ORIGIN" ;;',
    '  "run download "*) mkdir -p approved && cp "$FAKE_ARTIFACT"/* approved/ ;;',
    '  *) echo "unexpected gh call: $*" >&2; exit 9 ;;',
    'esac',
    '',
  ].join('\n'));
  chmodSync(join(bin, 'gh'), 0o755);
  const out = join(cwd, 'output.txt');
  writeFileSync(out, '');
  const r = spawnSync('bash', ['-c', script], {
    cwd,
    timeout: 20_000,
    encoding: 'utf8',
    env: {
      PATH: `${bin}:${process.env.PATH ?? ''}`, GITHUB_OUTPUT: out, GITHUB_REPOSITORY: 'acme/orgs', GH_TOKEN: 'x',
      GITHUB_WORKFLOW_REF: `acme/orgs/${WORKFLOW}@refs/heads/main`, FAKE_ORIGIN: `${WORKFLOW} main`, ...env,
    },
  });
  return { code: r.status ?? -1, outputs: parseOutputFile(readFileSync(out, 'utf8')), log: `${r.stdout}${r.stderr}` };
}

/** The Action's apply step, in process, with the step's inputs; its outputs and log. */
async function applyStep(s: Scenario, cwd: string, inputs: Record<string, string>): Promise<{ code: number; outputs: Record<string, string>; log: string }> {
  const output = join(cwd, `action-output-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(output, '');
  let log = '';
  const env: Record<string, string | undefined> = { ...s.env(), GITHUB_OUTPUT: output, RUNNER_TEMP: cwd, INPUT_COMMAND: 'apply', INPUT_PATH: s.file };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const r = await runAction(env, { stdout: { write: (x: string) => (log += x) }, stderr: { write: (x: string) => (log += x) } }, new AbortController().signal);
  return { code: r.exitCode, outputs: parseOutputFile(readFileSync(output, 'utf8')), log };
}

const PEOPLE = ['p1@acme.com', 'p2@acme.com', 'p3@acme.com', 'p4@acme.com', 'p5@acme.com', 'p6@acme.com'];

describe('the apply workflow continues a run stopped with work left (issue 18 item 3)', () => {
  it('declares the path: a budget under the job timeout, and the steps that keep the approval and start the next run on exit code 4', () => {
    const apply = steps.find((s) => s.id === 'apply')!;
    expect(apply.with?.command).toBe('apply');
    const budget = parseDuration(apply.with!['max-duration']!)!;
    expect(budget).toBeGreaterThan(0);
    // the budget ends before the job's timeout, with room for the default finish margin's work to end inside it
    expect(budget).toBeLessThanOrEqual(wf.jobs.apply['timeout-minutes'] * 60_000 - 5 * 60_000);
    const after = steps.slice(steps.indexOf(apply) + 1);
    expect(after.map((s) => s.name)).toEqual(['Keep the approval for the next run', 'Upload the approval for the next run', 'Continue in a new run']);
    for (const s of after) expect(s.if).toBe("steps.apply.outputs.exit-code == '4'");
    expect(after[1]!.uses).toMatch(/^actions\/upload-artifact@/);
    expect(after[1]!.with?.name).toBe('claude-reconcile-resume');
    expect(after[2]!.run).toContain('-f resume_run="$RUN_ID"');
    expect(wf.on.workflow_dispatch.inputs.resume_run).toBeTruthy();
    expect(wf.permissions.actions).toBe('write');
  });

  it('stopped by the budget (exit-code 4, the step succeeds), then continued by the next run under the original approval', async () => {
    const s = await scenario(seedOf({ users: [{ email: 'owner@acme.com', role: 'admin' }] }),
      desiredDoc({ members: { 'owner@acme.com': 'admin', ...Object.fromEntries(PEOPLE.map((p) => [p, 'developer'])) } }));
    const run1 = join(s.dir, 'run1');
    mkdirSync(join(run1, 'approved'), { recursive: true });
    // the plan job's artifact, and the hash of the comment
    const out = await s.run(['plan', '--out', join(run1, 'approved/plan.json')]);
    expect(out.code).toBe(0);
    const hash = (JSON.parse(readFileSync(join(run1, 'approved/plan.json'), 'utf8')) as Plan).plan_hash;
    const hashes = ` ${ORG_ID}=${hash}`;

    // the Action applies four invites at once: each held 4 s, so the 5 s budget (2 s margin) starts no fifth
    await s.control('faults', { method: 'POST', path: '/v1/organizations/invites', delay_ms: 4000, count: 4 });
    const first = await applyStep(s, run1, { 'approved-hashes': hashes, 'approved-plan': join(run1, 'approved/plan.json'), 'max-duration': '5s', 'finish-margin': '2s' });
    expect(first.code, first.log).toBe(0);
    expect(first.outputs['exit-code']).toBe('4');
    expect(first.log).toContain('::warning::claude-reconcile apply stopped with work left (exit code 4)');
    expect(first.log).toContain('Left for the next run: 2 changes');
    expect((await s.state()).invites).toHaveLength(4);

    // the workflow keeps the approval (hashes beside the approved plan) as the artifact
    const keep = shellStep(named('Keep the approval for the next run').run!, run1, { HASHES: hashes, PLAN: 'approved/plan.json' });
    expect(keep.code, keep.log).toBe(0);
    const artifact = join(s.dir, 'artifact');
    mkdirSync(artifact);
    for (const f of ['plan.json', 'hashes.txt']) cpSync(join(run1, 'approved', f), join(artifact, f));

    // the next run (workflow_dispatch, resume_run) finds that approval, and nothing else
    const run2 = join(s.dir, 'run2');
    mkdirSync(run2);
    const find = shellStep(steps.find((x) => x.id === 'approved')!.run!, run2, { EVENT: 'workflow_dispatch', INPUT: '', RESUME: '4242', FAKE_ARTIFACT: artifact });
    expect(find.code, find.log).toBe(0);
    expect(find.outputs.hashes!.trim()).toBe(`${ORG_ID}=${hash}`);
    expect(find.outputs.plan).toBe('approved/plan.json');

    const second = await applyStep(s, run2, { 'approved-hashes': find.outputs.hashes!, 'approved-plan': join(run2, find.outputs.plan!), 'max-duration': '10m' });
    expect(second.code, second.log).toBe(0);
    expect(second.outputs['exit-code']).toBe('0');
    expect(second.log).toContain(`organization ${ORG_ID}: 2 of 6 approved changes remain; applying them under the approved plan (plan_hash ${hash})`);
    expect((await s.state()).invites.map((i) => i.email).sort()).toEqual(PEOPLE);
    await s.expectNoDuplicateInvites();
    await s.expectConverged();
    expect(`${first.log}${second.log}`).not.toContain(ADMIN_KEY);
  });

  it('the resume step takes an approval only from a run of this workflow on main, as ORG_ID=HASH pairs', async () => {
    const s = await scenario(seedOf(), desiredDoc({}));
    const artifact = join(s.dir, 'artifact');
    mkdirSync(artifact);
    writeFileSync(join(artifact, 'plan.json'), '{}');
    writeFileSync(join(artifact, 'hashes.txt'), `${ORG_ID}=${'a'.repeat(64)}\n`);
    const find = steps.find((x) => x.id === 'approved')!.run!;
    const go = (env: Record<string, string>) => {
      const cwd = join(s.dir, `run-${Math.random().toString(36).slice(2)}`);
      mkdirSync(cwd);
      return shellStep(find, cwd, { EVENT: 'workflow_dispatch', INPUT: '', FAKE_ARTIFACT: artifact, ...env });
    };
    expect(go({ RESUME: '17' }).outputs.hashes!.trim()).toBe(`${ORG_ID}=${'a'.repeat(64)}`);
    for (const [env, message] of [
      [{ RESUME: '17;id' }, 'resume_run is the id of a run of this workflow'],
      [{ RESUME: '17', FAKE_ORIGIN: '.github/workflows/other.yml main' }, 'is not a run of .github/workflows/claude-reconcile-apply.yml on main'],
      [{ RESUME: '17', FAKE_ORIGIN: `${WORKFLOW} feature` }, 'is not a run of'],
    ] as const) {
      const r = go(env);
      expect(r.code, r.log).toBe(1);
      expect(r.log).toContain(message);
      expect(r.outputs.hashes).toBeUndefined();
    }
    writeFileSync(join(artifact, 'hashes.txt'), `${ORG_ID}=${'a'.repeat(64)} --approved-plan=/etc/passwd\n`);
    const bad = go({ RESUME: '17' });
    expect(bad.code).toBe(1);
    expect(bad.log).toContain('is not ORG_ID=HASH pairs');
    expect(bad.outputs.hashes).toBeUndefined();
    // neither approved hashes nor resume_run: nothing to apply under
    const none = go({});
    expect(none.code).toBe(1);
    expect(none.log).toContain('give the approved hashes');
    rmSync(artifact, { recursive: true, force: true });
  });
});
