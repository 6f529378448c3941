// Commander wiring: the only place that parses argv. Commands return an exit code; main.ts calls process.exit.

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { errorText } from './errors-text.js';
import { UsageError } from '../errors.js';
import { visible } from '../render/visible.js';
import { applyCommand, type ApplyFlags } from './commands/apply.js';
import { emulatorCommand } from './commands/emulator.js';
import { IMPORT_HELP_AFTER, importCommand, type ImportFlags } from './commands/import.js';
import { planCommand, type PlanFlags } from './commands/plan.js';
import { validateCommand } from './commands/validate.js';
import { registerEnvironmentSecrets } from './credentials.js';
import { durationArg } from './duration.js';
import { EXIT, safeOutput, type CliIO } from './io.js';
import { PROGRESS_EVERY_ENV, progressEvery } from './progress.js';
import { VERSION } from './version.js';

function nonNegativeInt(v: string): number {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return Number(v);
}

function positiveInt(v: string): number {
  const n = nonNegativeInt(v);
  if (n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

function port(v: string): number {
  const n = nonNegativeInt(v);
  if (n > 65535) throw new InvalidArgumentError('expected a port number 0–65535');
  return n;
}

const APPLY_HELP_AFTER =
  '\nApprovals are per organization. With several organizations (-f orgs/), each one whose new plan has its\n' +
  'approved plan_hash is applied and each other one is refused on its own line, naming the changes that differ\n' +
  'from --approved-plan; the run then exits 1. A refused organization is applied by a later run given the hash\n' +
  'of its new plan (--expect-plan-hash ORG_ID=HASH), once a reviewer has read that plan.\n' +
  'A saved plan applied again says "Already applied" and writes nothing.\n' +
  '\nLarge changes across runs: with --max-duration (say 5h30m in a 6-hour CI job) no change starts once less than\n' +
  '--finish-margin is left; the changes in flight finish, what is left is listed, and the run exits 4. Running\n' +
  'apply again continues; with --approved-plan, a new plan whose changes are all in the approved plan (same\n' +
  'addresses, same actions, same targets, same organization, credentials and removal limits) is applied under\n' +
  'that approval, without a new review.\n' +
  `\nProgress goes to stderr: one line redrawn on a terminal; otherwise a line every --progress-every (default 30s,\n` +
  `or ${PROGRESS_EVERY_ENV}), and every wait of 2 s or more as it starts.`;

const FILE_HELP = 'the desired-state file (YAML), or a directory of them (one per organization)';
const DEFAULT_FILE = 'claude-reconcile.yaml';

/**
 * Runs one command. Every byte it prints goes through a SafeOutput (io.ts), whatever IO it is given (the process's
 * streams, or a test's): scrubbed of secrets, and an output that fails (EPIPE, ENOSPC, …) becomes exit code 1 with
 * one line on stderr instead of an exception.
 */
export async function runCli(argv: string[], given: CliIO): Promise<number> {
  registerEnvironmentSecrets(given.env);
  const stdout = safeOutput(given.stdout, 'stdout');
  const stderr = safeOutput(given.stderr, 'stderr');
  const io: CliIO = {
    ...given,
    stdout,
    stderr,
    prompt: async (question) => {
      // what is held back is shown before the question
      stdout.flush();
      stderr.flush();
      return given.prompt(question);
    },
  };
  let code: number;
  try {
    code = await runCommand(argv, io);
  } finally {
    await Promise.all([stdout.settle(), stderr.settle()]);
  }
  if (stdout.failure !== undefined) {
    // A reader that went away (`plan | head`) is no error worth a line: quiet, exit 1 (the output was cut short).
    if (stdout.failure !== 'EPIPE') {
      stderr.write(`error: cannot write stdout: ${stdout.failure}\n`);
      await stderr.settle();
    }
    return EXIT.error;
  }
  return stderr.failure !== undefined ? EXIT.error : code;
}

async function runCommand(argv: string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('claude-reconcile')
    .description(
      'Declarative reconciler for an Anthropic Claude organization: one YAML file says who is a member with which ' +
        'role; `plan` diffs it against the live organization (Admin API and SCIM directory); `apply` makes it so.',
    )
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nCredentials come only from the environment: ANTHROPIC_ADMIN_KEY, CLAUDE_SCIM_URL, CLAUDE_SCIM_TOKEN and\n' +
        'ANTHROPIC_BASE_URL (default https://api.anthropic.com), or the variables named under\n' +
        'organization.credentials in the file.\n\n' +
        'Exit codes: 0 success (no changes), 1 error, 2 changes present (plan --detailed-exitcode),\n' +
        '3 blocked by a safety guard (policy.max_removals, or a mass removal), 4 apply stopped by --max-duration\n' +
        'with changes left for the next run (nothing failed; run apply again to continue).',
    );

  program
    .command('validate')
    .description('check the desired-state file against the schema and the cross-reference rules; needs no credentials')
    .option('-f, --file <file>', FILE_HELP, DEFAULT_FILE)
    .action(async (o: { file: string }) => {
      code = await validateCommand(o, io);
    });

  program
    .command('plan')
    .description('read the live organization and print the ordered changes that would make it match the file')
    .option('-f, --file <path>', FILE_HELP, DEFAULT_FILE)
    .addOption(new Option('--format <format>', 'output format: text for a terminal, json for tools, markdown for a pull-request comment').choices(['text', 'json', 'markdown']).default('text'))
    .option('--out <file>', 'also save the plan (JSON, no secrets) for `apply <file>` to apply exactly')
    .option('--detailed-exitcode', 'exit 2 on drift: API changes, a departed person who keeps access, a live member, invite, workspace or group the file does not declare (unless policy.undeclared: warn), or a manual or unavailable item; 0 when none')
    .option('--allow-removals <n>', 'allow up to N removals in this run, instead of policy.max_removals', nonNegativeInt)
    .option('--allow-mass-removal', 'let this run remove most of the organization (the mass-removal guard: policy.max_removal_share, or everyone removable)')
    .option('--verbose', 'list every note instead of grouping them')
    .action(async (o: PlanFlags) => {
      code = await planCommand(o, io);
    });

  program
    .command('apply')
    .argument('[planfile...]', 'saved plans (plan --out) to apply exactly, without a prompt, if nothing they touch changed')
    .description('plan, show the plan, ask for confirmation, then make the changes in order within the rate limits; ' +
      'or apply saved plans exactly')
    .addHelpText('after', APPLY_HELP_AFTER)
    .option('-f, --file <path>', FILE_HELP, DEFAULT_FILE)
    .option('--auto-approve', 'apply without asking (required when not on a terminal)')
    .option(
      '--expect-plan-hash <[org-id=]hash>',
      'the plan_hash a reviewer approved: ORG_ID=HASH per organization (repeat it; each organization whose new plan ' +
        'has its hash is applied, the others are refused, saying what differs), or one hash for the whole plan',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .option('--approved-plan <file>', 'the saved plan the review showed (plan --out): with -f, a refusal names each change that differs from it; ' +
      'without --expect-plan-hash its hashes are the approved ones')
    .option('--allow-removals <n>', 'allow up to N removals in this run, instead of policy.max_removals', nonNegativeInt)
    .option('--allow-mass-removal', 'let this run remove most of the organization (the mass-removal guard: policy.max_removal_share, or everyone removable)')
    .option('--concurrency <n>', 'changes in flight at once, per rate-limit bucket (invites, the organization, SCIM)', positiveInt, 4)
    .option('--max-duration <duration>', 'time budget of the run, reading and planning included (5h30m, 45m, 90s): no change starts ' +
      'once less than --finish-margin is left; the changes in flight finish, what is left is listed, and the run exits 4', durationArg(1000))
    .option('--finish-margin <duration>', 'with --max-duration: the time kept for the changes in flight to finish (default 5m)', durationArg(0))
    .option('--progress-every <duration>', `interval of the progress line when stderr is not a terminal (default 30s, or ${PROGRESS_EVERY_ENV})`, durationArg(1000))
    .option('--verbose', 'list every note instead of grouping them')
    .action(async (planFiles: string[], o: Omit<ApplyFlags, 'planFiles'>, cmd: Command) => {
      if (o.finishMargin !== undefined && o.maxDuration === undefined) {
        throw new UsageError('--finish-margin is the part of --max-duration kept for the changes in flight; give --max-duration too');
      }
      try {
        o.progressEvery = progressEvery(o.progressEvery, io.env, durationArg(1000));
      } catch (err) {
        throw new UsageError(`${PROGRESS_EVERY_ENV}: ${err instanceof Error ? err.message : String(err)}`);
      }
      // A saved plan names its own organizations and files: a -f beside it would be silently ignored.
      if (planFiles.length > 0 && cmd.getOptionValueSource('file') === 'cli') {
        io.stderr.write(`note: -f ${visible(o.file)} is ignored: a saved plan is applied exactly as it was made, for the ` +
          'organizations and from the files it names.\n');
      }
      code = await applyCommand({ ...o, planFiles }, io);
    });

  program
    .command('import')
    .description('write a desired-state file from the live organization, such that planning it right away shows no changes')
    .option('-o, --output <file>', 'write the file here instead of stdout (an existing file is kept unless --force)')
    .option('--force', 'replace the --output file if it exists')
    .addOption(new Option('--kind <kind>', 'the organization kind (default: detected, see below)').choices(['console', 'enterprise']))
    .addOption(new Option('--provisioning <mode>', 'how new members join; the API cannot tell').choices(['invite', 'jit', 'scim']).default('invite'))
    .option('--org-id <uuid>', 'stop unless the admin key belongs to this organization')
    .addHelpText('after', IMPORT_HELP_AFTER)
    .action(async (o: ImportFlags) => {
      code = await importCommand(o, io);
    });

  program
    .command('emulator')
    .description('run a local emulator of the Admin API (and SCIM directory) on 127.0.0.1, for demos and tests')
    .option('--port <n>', 'port to listen on (0 picks a free one)', port, 8787)
    .option('--seed <file>', 'seed file (YAML or JSON): organization, admin_keys, users, invites, …')
    .option('--rate-limit <n>', 'requests per minute per key (token bucket); unlimited when not set', nonNegativeInt)
    .option('--invite-rate-limit <n>', 'invite creations per hour', nonNegativeInt)
    .action(async (o: { port: number; seed?: string; rateLimit?: number; inviteRateLimit?: number }) => {
      code = await emulatorCommand(o, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exitCode 0; usage errors were already printed by commander
      return err.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    io.stderr.write(`error: ${errorText(err)}\n`);
    return EXIT.error;
  }
}
