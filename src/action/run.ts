// The GitHub Action (action.yml at the repository root): runs one claude-reconcile command in-process, the way
// the runner runs a JavaScript action, and speaks the runner's file protocol itself (no @actions/core):
// inputs from INPUT_<NAME> variables, outputs to the GITHUB_OUTPUT file, the job summary to GITHUB_STEP_SUMMARY.
// Credentials come from the step's environment exactly as for the CLI; they are never inputs and never printed.

import { randomBytes } from 'node:crypto';
import { appendFileSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runCli } from '../cli/program.js';
import { EXIT, type CliIO } from '../cli/io.js';
import type { Plan } from '../model/plan.js';
import type { PlanSet } from '../model/plan-set.js';
import { renderPlanText } from '../render/text.js';

export type Env = Record<string, string | undefined>;

export interface ActionStreams {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

export const COMMANDS = ['plan', 'apply', 'validate'] as const;
export type ActionCommand = (typeof COMMANDS)[number];
const FORMATS = ['text', 'json', 'markdown'] as const;

/** One approval: ORG_ID=HASH (an organization's plan_hash), or one 64-hex combined hash of all organizations. */
export const APPROVAL = /^(?:[0-9A-Za-z._-]+=)?[0-9a-f]{64}$/;

/** A usage error in the step's inputs: the step fails with exit code 1 before anything is read. */
export class InputError extends Error {}

/** How the runner passes `with:` values: INPUT_ + the name upper-cased, spaces as `_`, hyphens kept. */
export function input(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** YAML 1.2 core booleans, as actions/toolkit reads them; anything else is an error rather than a guess. */
export function booleanInput(env: Env, name: string, fallback: boolean): boolean {
  const v = input(env, name);
  if (v === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(v)) return true;
  if (['false', 'False', 'FALSE'].includes(v)) return false;
  throw new InputError(`input '${name}' must be true or false`);
}

function choiceInput<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const v = input(env, name) || fallback;
  if (!(choices as readonly string[]).includes(v)) throw new InputError(`input '${name}' must be one of ${choices.join(', ')}`);
  return v as T;
}

/** The approvals of `approved-hashes`: whitespace- or newline-separated, each checked (the value is not echoed). */
export function parseApprovals(text: string): string[] {
  const items = text.split(/\s+/).filter((s) => s !== '');
  items.forEach((item, i) => {
    if (!APPROVAL.test(item)) {
      throw new InputError(`approved-hashes: item ${i + 1} is not ORG_ID=HASH (an organization id, '=', a 64-hex plan_hash) nor one 64-hex combined plan_hash`);
    }
  });
  return items;
}

/** `name<<DELIMITER` form: any value, multi-line included; the delimiter is random and checked absent from the value. */
export function outputRecord(name: string, value: string): string {
  let delimiter: string;
  do delimiter = `ghadelimiter_${randomBytes(16).toString('hex')}`;
  while (value.includes(delimiter));
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** A code block whose fence is longer than any run of backticks in the text (nothing can close it early). */
function fenced(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text.replace(/\n+$/, '')}\n${fence}\n`;
}

/** The job summary holds at most 1 MiB per step; keep the end of a long log (where the outcome is). */
const SUMMARY_LOG_LIMIT = 60_000;
function tail(text: string): string {
  return text.length <= SUMMARY_LOG_LIMIT ? text : `…\n${text.slice(text.length - SUMMARY_LOG_LIMIT)}`;
}

/** Removes a file the step writes, so that a stale one never stands for this run's; refuses anything but a file. */
function clearOutputFile(path: string, what: string): void {
  let isFile: boolean;
  try {
    isFile = lstatSync(path).isFile();
  } catch {
    return; // absent
  }
  if (!isFile) throw new InputError(`${what} ${path} exists and is not a regular file`);
  unlinkSync(path);
}

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ActionResult {
  /** the step's own exit code: 0 or 1 */
  exitCode: number;
  outputs: Record<string, string>;
}

/**
 * Runs the step. Returns the step's exit code; the CLI's own exit code is the `exit-code` output. `plan` with changes
 * (2) succeeds; an error (1) or a plan blocked by a removal guard (3) fails the step, and so does any apply or
 * validate that does not exit 0, except an apply stopped by its time budget with work left (4), which succeeds with
 * a warning so that the workflow can continue it.
 */
export async function runAction(env: Env, streams: ActionStreams, interrupt: AbortSignal): Promise<ActionResult> {
  const outputs: Record<string, string> = {};
  const log = (s: string) => streams.stdout.write(s);
  const writeOutputs = () => {
    const outputFile = env.GITHUB_OUTPUT;
    if (outputFile) appendFileSync(outputFile, Object.entries(outputs).map(([k, v]) => outputRecord(k, v)).join(''));
    else log('GITHUB_OUTPUT is not set: the outputs are not recorded\n');
  };
  const fail = (message: string): ActionResult => {
    log(`::error::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`);
    return { exitCode: 1, outputs };
  };
  const inputError = (message: string): ActionResult => {
    outputs['exit-code'] = String(EXIT.error);
    writeOutputs();
    return fail(message);
  };

  let command: ActionCommand;
  let path: string;
  let approvals: string[] = [];
  let format: (typeof FORMATS)[number];
  let detailed: boolean;
  let summary: boolean;
  try {
    command = choiceInput(env, 'command', COMMANDS, 'plan');
    path = input(env, 'path') || 'orgs/';
    format = choiceInput(env, 'format', FORMATS, 'text');
    detailed = booleanInput(env, 'detailed-exitcode', true);
    summary = booleanInput(env, 'summary', true);
    approvals = parseApprovals(input(env, 'approved-hashes'));
    if (command === 'apply' && approvals.length === 0 && input(env, 'approved-plan') === '') {
      throw new InputError("apply needs the approved plan_hash of each organization: input 'approved-hashes' (ORG_ID=HASH …) or 'approved-plan'");
    }
  } catch (err) {
    if (err instanceof InputError) return inputError(err.message);
    throw err;
  }

  // Nothing the CLI prints (which quotes the desired-state files, a pull request's included) is read by the runner
  // as a workflow command: `::stop-commands::` with a token nobody can guess, resumed after the CLI has finished.
  const token = randomBytes(32).toString('hex');
  const run = async (argv: string[], forward: boolean): Promise<Captured> => {
    let stdout = '';
    let stderr = '';
    const io: CliIO = {
      // no colour in a log; credentials are read from here, as by the CLI
      env: { ...env, NO_COLOR: '1' },
      stdout: { write: (s: string) => { stdout += s; if (forward) streams.stdout.write(s); } },
      stderr: { write: (s: string) => { stderr += s; streams.stderr.write(s); } },
      stdoutIsTTY: false,
      stdinIsTTY: false,
      prompt: async () => '',
      now: () => new Date(),
      interrupt,
    };
    log(`::stop-commands::${token}\n`);
    try {
      const code = await runCli(argv, io);
      return { code, stdout, stderr };
    } finally {
      log(`::${token}::\n`);
    }
  };

  const workDir = (): string => mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), 'claude-reconcile-action-'));
  const summaryFile = summary ? env.GITHUB_STEP_SUMMARY : undefined;
  const addSummary = (md: string) => {
    if (summaryFile) appendFileSync(summaryFile, md.endsWith('\n') ? md : `${md}\n`);
  };

  let code: number;
  let stepFails: boolean;
  if (command === 'plan') {
    let planArg: string;
    let planFile: string;
    let markdownFile: string;
    try {
      // given to the CLI as written (the comment names it relative to the workspace); the outputs are absolute
      planArg = input(env, 'plan-file') || join(workDir(), 'plan.json');
      planFile = resolve(planArg);
      markdownFile = resolve(input(env, 'markdown-file') || join(workDir(), 'plan.md'));
      clearOutputFile(planFile, 'plan-file');
      clearOutputFile(markdownFile, 'markdown-file');
    } catch (err) {
      if (err instanceof InputError) return inputError(err.message);
      throw err;
    }
    const argv = ['plan', '-f', path, '--format', 'markdown', '--out', planArg];
    if (detailed) argv.push('--detailed-exitcode');
    const out = await run(argv, false);
    code = out.code;
    mkdirSync(dirname(markdownFile), { recursive: true });
    writeFileSync(markdownFile, out.stdout);
    outputs.markdown = markdownFile;

    const saved = readSavedPlan(planFile);
    if (saved) {
      outputs['plan-file'] = planFile;
      const plans = 'plans' in saved ? saved.plans : [saved];
      outputs['plan-hash'] = saved.plan_hash;
      outputs['plan-hashes'] = plans.map((p) => `${p.organization.id}=${p.plan_hash}`).join('\n');
    }
    // The log in the format asked for; the markdown is always written (the file, the summary).
    log(`::stop-commands::${token}\n`);
    if (format === 'markdown' || !saved) log(out.stdout);
    else if (format === 'json') log(readFileSync(planFile, 'utf8'));
    else {
      const plans = 'plans' in saved ? saved.plans : [saved];
      for (const p of plans) log(`${renderPlanText(p, { color: false, verbose: false })}\n`);
      if ('plans' in saved) log(`plan_hash of all ${plans.length} organizations: ${saved.plan_hash}\n`);
    }
    log(`::${token}::\n`);
    addSummary(out.stdout);
    stepFails = code !== EXIT.ok && code !== EXIT.changes;
  } else if (command === 'apply') {
    const argv = ['apply', '-f', path, '--auto-approve'];
    for (const a of approvals) argv.push('--expect-plan-hash', a);
    const approvedPlan = input(env, 'approved-plan');
    if (approvedPlan !== '') argv.push('--approved-plan', approvedPlan);
    // the time budget (issue 18): checked by the CLI itself, as a flag's value
    const maxDuration = input(env, 'max-duration');
    if (maxDuration !== '') argv.push('--max-duration', maxDuration);
    const finishMargin = input(env, 'finish-margin');
    if (finishMargin !== '') argv.push('--finish-margin', finishMargin);
    const out = await run(argv, true);
    code = out.code;
    const how = code === EXIT.ok ? 'applied' : code === EXIT.unfinished ? 'stopped with work left (exit code 4): run it again to continue' : `failed (exit code ${code})`;
    addSummary(`### claude-reconcile apply: ${how}\n\n${fenced(tail(out.stdout + out.stderr))}`);
    // stopped by the time budget with nothing failed: not a failure; the exit-code output (4) drives the next run
    if (code === EXIT.unfinished) log('::warning::claude-reconcile apply stopped with work left (exit code 4): the time budget (max-duration) ran out; run apply again to continue\n');
    stepFails = code !== EXIT.ok && code !== EXIT.unfinished;
  } else {
    const out = await run(['validate', '-f', path], true);
    code = out.code;
    addSummary(`### claude-reconcile validate: ${code === EXIT.ok ? 'valid' : 'invalid'}\n\n${fenced(tail(out.stdout + out.stderr))}`);
    stepFails = code !== EXIT.ok;
  }
  outputs['exit-code'] = String(code);
  writeOutputs();

  if (stepFails) {
    const why = code === EXIT.blocked ? 'blocked by a removal guard (exit code 3)' : `failed (exit code ${code})`;
    return fail(`claude-reconcile ${command} ${why}`);
  }
  return { exitCode: 0, outputs };
}

/** The plan `plan --out` saved this run, or undefined when not every organization could be planned. */
function readSavedPlan(file: string): Plan | PlanSet | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return JSON.parse(text) as Plan | PlanSet;
}
