// `npm run demo`: plans and applies examples/ against the embedded emulator and shows the result.
// Everything runs in this process on 127.0.0.1 with an OS-chosen port; no real API is contacted.

import { fileURLToPath } from 'node:url';
import { loadSeedFile, startEmulator } from '../emulator/index.js';
import { runCli } from './program.js';
import type { CliIO } from './io.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface DemoState {
  users: Array<{ email: string; role: string }>;
  invites: Array<{ email: string; role: string; status: string; expires_at: string }>;
  invitation_emails?: Record<string, number>;
  workspaces?: Array<{ id: string; name: string; default: boolean; archived_at: string | null }>;
  workspace_members?: Array<{ workspace_id: string; email: string; workspace_role: string; hidden: boolean }>;
  api_keys?: Array<{ name: string; status: string }>;
}

function banner(text: string): void {
  process.stdout.write(`\n\x1b[1m━━ ${text}\x1b[0m\n\n`);
}

async function main(): Promise<number> {
  const seedFile = `${root}examples/seeds/acme-console.seed.yaml`;
  const file = `${root}examples/acme-console.yaml`;
  const seed = loadSeedFile(seedFile);
  const emu = await startEmulator({ seed });
  const key = seed.admin_keys?.[0];
  const adminKey = typeof key === 'string' ? key : key?.key;
  const env = { ...process.env, ANTHROPIC_ADMIN_KEY: adminKey, ANTHROPIC_BASE_URL: emu.url };
  const io: CliIO = {
    env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stdinIsTTY: false,
    prompt: async () => 'no',
    now: () => new Date(),
    interrupt: new AbortController().signal,
  };
  const cli = (args: string[]) => runCli([...args, '-f', file], io);
  try {
    process.stdout.write(`Emulator of the Admin API on ${emu.url}, seeded from examples/seeds/acme-console.seed.yaml\n`);
    banner('claude-reconcile validate');
    if ((await cli(['validate'])) !== 0) return 1;
    banner('claude-reconcile plan');
    await cli(['plan']);
    banner('claude-reconcile apply --auto-approve');
    const applied = await cli(['apply', '--auto-approve']);
    if (applied !== 0) return applied;

    banner('The organization now (emulator state)');
    const state = (await (await fetch(`${emu.url}/_emulator/state`)).json()) as DemoState;
    for (const u of state.users) process.stdout.write(`  member     ${u.email.padEnd(30)} ${u.role}\n`);
    for (const i of state.invites.filter((x) => x.status === 'pending')) {
      process.stdout.write(`  invite     ${i.email.padEnd(30)} ${i.role} (pending, expires ${i.expires_at.slice(0, 10)})\n`);
    }
    for (const w of state.workspaces ?? []) {
      if (w.default) continue;
      const members = (state.workspace_members ?? []).filter((m) => m.workspace_id === w.id && !m.hidden);
      process.stdout.write(`  workspace  ${w.name.padEnd(30)} ${w.archived_at ? 'archived' : members.map((m) => `${m.email} ${m.workspace_role}`).join(', ') || '(no explicit members)'}\n`);
    }
    for (const k of state.api_keys ?? []) process.stdout.write(`  api key    ${k.name.padEnd(30)} ${k.status}\n`);

    banner('Carol and Erin accept their invites; apply again: the memberships that waited for them converge');
    for (const email of ['carol@acme.com', 'erin@acme.com']) {
      await fetch(`${emu.url}/_emulator/invites/accept`, { method: 'POST', body: JSON.stringify({ email }) });
    }
    if ((await cli(['apply', '--auto-approve'])) !== 0) return 1;

    banner('claude-reconcile plan --detailed-exitcode');
    const final = await cli(['plan', '--detailed-exitcode']);
    process.stdout.write(final === 0 ? '\nConverged: the last plan has no changes.\n' : '\nThe last plan still has changes.\n');
    return final === 0 ? 0 : 1;
  } finally {
    await emu.close();
  }
}

process.exitCode = await main();
