// Issue 14 item 3: no credential reaches code or workflow definitions that a pull request's author controls.
// The workflow YAML is read (the `yaml` package) and refused when
// - a job of a workflow triggered by `pull_request` (whose workflow file and code come from the pull request)
//   receives any `secrets.*` value, or `secrets: inherit`;
// - a `pull_request_target` job checks out the pull request's head and runs anything from it: a checkout into the
//   workspace itself, `uses: ./…`, a run step whose working directory is inside the checkout, package scripts
//   (`npm ci`, `npm install` other than --global, `npx`, `yarn`, `pnpm`), or a script that enters or runs a file
//   of the checkout; or leaves the git token in it (persist-credentials);
// - a secret is read by a job without a GitHub environment (repository secrets can be read by a workflow pushed on
//   any branch), or a run script interpolates an expression from the event or the inputs instead of an env variable.
// The checker is shown to fail on the plan workflow as it was before (a pull_request job with the SCIM token).

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = `${root}examples/github/workflows/`;
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));

interface Step { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, unknown>; 'working-directory'?: string }
interface Job { steps?: Step[]; env?: Record<string, unknown>; secrets?: unknown; environment?: unknown; defaults?: { run?: { 'working-directory'?: string } }; uses?: string; with?: Record<string, unknown> }
interface Workflow { on?: unknown; env?: Record<string, unknown>; jobs?: Record<string, Job> }

function triggers(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  if (on && typeof on === 'object') return Object.keys(on);
  return [];
}

/** Every `${{ … secrets.X … }}` in a value, however deep. */
function secretsIn(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(/\$\{\{[^}]*\bsecrets\.[A-Za-z0-9_]+[^}]*\}\}/g)].map((m) => m[0]);
  if (Array.isArray(value)) return value.flatMap(secretsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(secretsIn);
  return [];
}

const norm = (p: string) => p.replace(/^\.\//, '').replace(/\/+$/, '');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A checkout of the pull request's own code: its head ref or sha, its merge ref, or its head repository. */
function checksOutPullRequest(s: Step): boolean {
  if (!s.uses?.startsWith('actions/checkout@')) return false;
  const w = JSON.stringify([s.with?.ref ?? '', s.with?.repository ?? '']);
  return /pull_request\.head|github\.head_ref|refs\/pull\/|merge_commit_sha/.test(w);
}

/** Everything that lets a pull request's author near a credential; empty when the workflow is safe. */
export function unsafe(text: string, file: string): string[] {
  const wf = parse(text) as Workflow;
  const on = triggers(wf.on);
  const out: string[] = [];
  for (const [name, job] of Object.entries(wf.jobs ?? {})) {
    const where = `${file}: job ${name}`;
    const secrets = [...secretsIn(wf.env), ...secretsIn(job)];
    if (job.secrets === 'inherit') secrets.push('secrets: inherit');
    if (on.includes('pull_request')) {
      for (const s of secrets) out.push(`${where} runs on pull_request (the pull request's own workflow and code) and receives ${s}`);
    }
    if (secrets.length > 0 && !job.environment) out.push(`${where} reads ${secrets[0]} without a GitHub environment (repository secrets reach any branch)`);
    const steps = job.steps ?? [];
    for (const s of steps) {
      if (s.run && /\$\{\{[^}]*\b(github\.event\.|inputs\.|github\.head_ref)/.test(s.run)) out.push(`${where}: step "${s.name ?? s.run.slice(0, 40)}" interpolates an event or input expression into its script`);
    }
    if (!on.includes('pull_request_target')) continue;
    const prPaths: string[] = [];
    for (const s of steps.filter(checksOutPullRequest)) {
      const path = typeof s.with?.path === 'string' ? norm(s.with.path) : '';
      if (path === '' || path === '.') out.push(`${where} checks the pull request out into the workspace itself: everything after runs inside it`);
      else prPaths.push(path);
      if (s.with?.['persist-credentials'] !== false) out.push(`${where} leaves the git token in the pull request's checkout (persist-credentials is not false)`);
    }
    if (job.uses?.startsWith('./')) out.push(`${where} calls a local reusable workflow (${job.uses})`);
    if (!steps.some(checksOutPullRequest) || prPaths.length === 0) {
      for (const s of steps) if (s.uses?.startsWith('./')) out.push(`${where} uses a local action (${s.uses})`);
      continue;
    }
    const inside = (wd: string | undefined) => wd !== undefined && prPaths.some((p) => norm(wd) === p || norm(wd).startsWith(`${p}/`));
    const jobDir = job.defaults?.run?.['working-directory'];
    for (const s of steps) {
      const label = `${where}: step "${s.name ?? s.uses ?? s.run?.slice(0, 40)}"`;
      if (s.uses?.startsWith('./')) out.push(`${label} runs an action from the workspace (${s.uses}), where the pull request's files are`);
      if (!s.run) continue;
      if (inside(s['working-directory'] ?? jobDir)) out.push(`${label} runs inside the pull request's checkout`);
      const script = s.run;
      if (/\bnpm\s+(ci|install|i|add|run|run-script|exec|test|start|rebuild)\b/.test(script) && !/\bnpm\s+(install|i)\s+(--global|-g)\b/.test(script)) {
        out.push(`${label} runs npm in a job that holds the pull request's files (package scripts)`);
      }
      if (/(^|[\s;&|(])(npx|yarn|pnpm|corepack)\b/.test(script)) out.push(`${label} runs a package manager in a job that holds the pull request's files`);
      for (const p of prPaths) {
        const q = escape(p);
        if (new RegExp(`(^|[\\s;&|(])(cd|pushd|bash|sh|zsh|node|python3?|ruby|perl|source|\\.|make\\s+-C|npm\\s+--prefix|npm\\s+-C)\\s+["']?(\\./)?${q}(/|\\b)`).test(script)) {
          out.push(`${label} enters or runs something from the pull request's checkout (${p})`);
        }
        if (new RegExp(`(^|[\\s;&|(])["']?(\\./)?${q}/[^\\s"';|&]*\\.(sh|bash|js|mjs|cjs|ts|py|rb|pl)\\b`).test(script)) {
          out.push(`${label} runs a script from the pull request's checkout (${p})`);
        }
      }
    }
  }
  return out;
}

const wf = (on: string, job: string) => `on: ${on}\njobs:\n  j:\n    runs-on: ubuntu-latest\n${job}`;
const prCheckout = (extra = '          path: pr\n          persist-credentials: false\n') =>
  `      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n${extra}`;

describe('no credential reaches what a pull request controls (issue 14 item 3)', () => {
  it.each(files)('%s gives no secret to a pull request\'s code or workflow', (file) => {
    expect(unsafe(readFileSync(dir + file, 'utf8'), file)).toEqual([]);
  });

  it('the plan workflow runs on pull_request_target, not pull_request, and only its environment job holds credentials', () => {
    const text = readFileSync(`${dir}claude-reconcile-plan.yml`, 'utf8');
    const plan = parse(text) as Workflow;
    expect(triggers(plan.on)).toEqual(['pull_request_target']);
    const withSecrets = Object.entries(plan.jobs ?? {}).filter(([, j]) => secretsIn(j).length > 0).map(([n, j]) => [n, j.environment]);
    expect(withSecrets).toEqual([['plan', 'claude-reconcile-plan']]);
    // the job that has the credentials has no write token; the one that posts has no credential
    expect((plan.jobs!.plan as { permissions?: unknown }).permissions).toEqual({ contents: 'read' });
  });

  it('fails on the plan workflow as it was before: a pull_request job received the SCIM token and the admin keys', () => {
    const before = readFileSync(`${root}test/examples/fixtures/plan-pull-request-before-issue-14.yml`, 'utf8');
    const found = unsafe(before, 'before.yml');
    expect(found).toContain('before.yml: job plan runs on pull_request (the pull request\'s own workflow and code) and receives ${{ secrets.ACME_SCIM_TOKEN }}');
    expect(found).toContain('before.yml: job plan runs on pull_request (the pull request\'s own workflow and code) and receives ${{ secrets.ACME_CONSOLE_ADMIN_KEY_READONLY }}');
  });

  it.each([
    ['a pull_request job with secrets: inherit', wf('pull_request', '    uses: org/repo/.github/workflows/x.yml@v1\n    secrets: inherit\n'), 'receives secrets: inherit'],
    ['a secret in the workflow env of a pull_request workflow', `env:\n  T: \${{ secrets.T }}\n${wf('pull_request', '    environment: e\n    steps:\n      - run: echo\n')}`, 'receives ${{ secrets.T }}'],
    ['a checkout of the head into the workspace', wf('pull_request_target', `    steps:\n${prCheckout('          persist-credentials: false\n')}      - run: claude-reconcile validate\n`), 'into the workspace itself'],
    ['npm ci in the checkout', wf('pull_request_target', `    steps:\n${prCheckout()}      - run: npm ci\n        working-directory: pr\n`), 'runs inside the pull request\'s checkout'],
    ['npm install of the checkout', wf('pull_request_target', `    steps:\n${prCheckout()}      - run: cd pr && npm install\n`), 'runs npm in a job'],
    ['a local action', wf('pull_request_target', `    steps:\n${prCheckout()}      - uses: ./pr/.github/actions/plan\n`), 'runs an action from the workspace'],
    ['a script of the pull request', wf('pull_request_target', `    steps:\n${prCheckout()}      - run: bash pr/scripts/plan.sh\n`), 'enters or runs something'],
    ['a job default working directory inside it', wf('pull_request_target', `    defaults:\n      run:\n        working-directory: pr/orgs\n    steps:\n${prCheckout()}      - run: ls\n`), 'runs inside the pull request\'s checkout'],
    ['the git token left in the checkout', wf('pull_request_target', `    steps:\n${prCheckout('          path: pr\n')}`), 'persist-credentials'],
    ['a repository secret (no environment)', wf('push', `    steps:\n      - run: echo\n        env:\n          T: \${{ secrets.T }}\n`), 'without a GitHub environment'],
    ['an input interpolated into a script', wf('workflow_dispatch', '    steps:\n      - run: echo ${{ inputs.approved }}\n'), 'interpolates'],
  ])('the checker refuses %s', (_what, text, message) => {
    const found = unsafe(text, 'x.yml');
    expect(found.join('\n')).toContain(message);
  });

  it('the checker accepts the safe shape: the registry tool reading the pull request\'s files as data', () => {
    const text = wf('pull_request_target', `    environment: e\n    steps:\n      - run: npm install --global --ignore-scripts claude-reconcile@1.0.0\n${prCheckout()}      - run: claude-reconcile plan -f pr/orgs/\n        env:\n          K: \${{ secrets.K }}\n`);
    expect(unsafe(text, 'x.yml')).toEqual([]);
  });
});
