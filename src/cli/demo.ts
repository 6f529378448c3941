// `npm run demo`: plans and applies examples/ against the embedded emulator and shows the result: a console org
// (members, invites, workspaces, API-key offboarding), then an enterprise org (SCIM provisioning, RBAC groups, SCIM
// groups, directory sync). Everything runs in this process on 127.0.0.1 with an OS-chosen port; no real API is
// contacted.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSeedFile, startEmulator, type RunningEmulator } from '../emulator/index.js';
import { runCli } from './program.js';
import type { CliIO } from './io.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface DemoState {
  users: Array<{ email: string; role: string }>;
  invites: Array<{ email: string; role: string; status: string; expires_at: string }>;
  workspaces?: Array<{ id: string; name: string; default: boolean; archived_at: string | null }>;
  workspace_members?: Array<{ workspace_id: string; email: string; workspace_role: string; hidden: boolean }>;
  api_keys?: Array<{ name: string; status: string }>;
  rbac_groups?: Array<{ name: string; source_type: string; members: Array<{ email: string }> }>;
  scim?: { users: Array<{ userName: string; active: boolean }>; groups: Array<{ displayName: string }> };
}

const bold = (s: string) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${s}\x1b[0m` : s);
const say = (s: string) => process.stdout.write(`${s}\n`);
const banner = (s: string) => say(`\n${bold(`━━ ${s}`)}\n`);

async function control(emu: RunningEmulator, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${emu.url}/_emulator/${path}`, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`emulator control ${path}: ${res.status}`);
}

async function showState(emu: RunningEmulator): Promise<void> {
  const st = (await (await fetch(`${emu.url}/_emulator/state`, { signal: AbortSignal.timeout(10_000) })).json()) as DemoState;
  for (const u of st.users) say(`  member      ${u.email.padEnd(30)} ${u.role}`);
  for (const i of st.invites.filter((x) => x.status === 'pending')) {
    say(`  invite      ${i.email.padEnd(30)} ${i.role} (pending, expires ${i.expires_at.slice(0, 10)})`);
  }
  for (const w of st.workspaces ?? []) {
    if (w.default) continue;
    const members = (st.workspace_members ?? []).filter((m) => m.workspace_id === w.id && !m.hidden);
    say(`  workspace   ${w.name.padEnd(30)} ${w.archived_at ? 'archived' : members.map((m) => `${m.email} ${m.workspace_role}`).join(', ') || '(no explicit members)'}`);
  }
  for (const k of st.api_keys ?? []) say(`  api key     ${k.name.padEnd(30)} ${k.status}`);
  for (const g of st.rbac_groups ?? []) say(`  group       ${g.name.padEnd(30)} ${g.source_type}: ${g.members.map((m) => m.email).join(', ')}`);
  for (const u of st.scim?.users ?? []) say(`  scim user   ${u.userName.padEnd(30)} ${u.active ? 'active' : 'inactive'}`);
  for (const g of st.scim?.groups ?? []) say(`  scim group  ${g.displayName}`);
}

interface Org {
  title: string;
  file: string;
  seed: string;
  /** environment besides the admin key and base URL */
  env(emu: RunningEmulator): Record<string, string>;
  /** what happens in the world between the first and the second apply */
  between(emu: RunningEmulator): Promise<string>;
  /** what happens after the second apply */
  after?(emu: RunningEmulator): Promise<void>;
}

const ORGS: Org[] = [
  {
    title: 'console organization (examples/acme-console.yaml)',
    file: 'examples/acme-console.yaml',
    seed: 'examples/seeds/acme-console.seed.yaml',
    // the seed's OAuth token (org:admin): the only credential the service-account endpoints take
    env: () => ({ ANTHROPIC_ADMIN_OAUTH_TOKEN: 'demo-oauth-token-not-a-secret' }),
    async between(emu) {
      for (const email of ['carol@acme.com', 'erin@acme.com']) await control(emu, 'invites/accept', { email });
      return 'Carol and Erin accept their invites; apply again: the memberships that waited for them converge';
    },
  },
  {
    title: 'enterprise organization with a SCIM directory (examples/acme-enterprise.yaml)',
    file: 'examples/acme-enterprise.yaml',
    seed: 'examples/seeds/acme-enterprise.seed.yaml',
    env: (emu) => ({ CLAUDE_SCIM_URL: `${emu.url}/scim/v2.0/dir_acme_demo`, CLAUDE_SCIM_TOKEN: 'scim-demo-token-not-a-secret' }),
    async between(emu) {
      await control(emu, 'scim/sync', {});
      return 'The directory sync runs (Claude polls the directory about once a minute); apply again';
    },
    async after(emu) {
      await control(emu, 'scim/sync', {});
    },
  },
];

async function runOrg(org: Org): Promise<number> {
  const seed = loadSeedFile(`${root}${org.seed}`);
  const emu = await startEmulator({ seed });
  const key = seed.admin_keys?.[0];
  // the demo's apply locks and journal live and die with it, never in the user's home
  const state = mkdtempSync(join(tmpdir(), 'claude-reconcile-demo-'));
  const io: CliIO = {
    env: {
      ...process.env,
      ANTHROPIC_ADMIN_KEY: typeof key === 'string' ? key : key?.key,
      ANTHROPIC_BASE_URL: emu.url,
      CLAUDE_RECONCILE_STATE_DIR: state,
      ...org.env(emu),
    },
    stdout: process.stdout,
    stderr: process.stderr,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stdinIsTTY: false,
    prompt: async () => 'no',
    now: () => new Date(),
    interrupt: new AbortController().signal,
  };
  const cli = (args: string[]) => runCli([...args, '-f', `${root}${org.file}`], io);
  try {
    say(`\n${bold(`■ The ${org.title}`)}`);
    say(`Emulator of the Admin API on ${emu.url}, seeded from ${org.seed}`);
    banner('claude-reconcile validate');
    if ((await cli(['validate'])) !== 0) return 1;
    banner('claude-reconcile apply --auto-approve   (plans, shows the plan, applies)');
    if ((await cli(['apply', '--auto-approve'])) !== 0) return 1;
    banner('The organization now (emulator state)');
    await showState(emu);
    banner(await org.between(emu));
    if ((await cli(['apply', '--auto-approve'])) !== 0) return 1;
    await org.after?.(emu);
    banner('claude-reconcile plan --detailed-exitcode');
    const final = await cli(['plan', '--detailed-exitcode']);
    say(final === 0 ? '\nConverged: the last plan has no changes and no drift.' : '\nThe last plan still has changes or drift.');
    return final;
  } finally {
    await emu.close();
    rmSync(state, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  for (const org of ORGS) {
    const code = await runOrg(org);
    if (code !== 0) return code;
  }
  return 0;
}

process.exitCode = await main();
