// End-to-end harness: a real emulator on 127.0.0.1:0, a desired-state file on disk, and the CLI run in-process
// with captured output. Every scenario ends by planning again and requiring zero API changes.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/program.js';
import type { CliIO } from '../../src/cli/io.js';
import type { AdminClientOptions } from '../../src/clients/admin.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator, type Seed } from '../../src/emulator/index.js';
import type { Plan } from '../../src/model/plan.js';

export const ORG_ID = '11111111-2222-4333-8444-555555555555';
export const ADMIN_KEY = 'sk-ant-admin01-e2e-test-key-0123456789';

export type SeedSpec = Partial<Omit<Seed, 'organization'>> & {
  kind?: 'console' | 'enterprise';
  provisioning?: 'invite' | 'jit' | 'scim';
  /** another organization than ORG_ID (several organizations in one directory) */
  orgId?: string;
};

export function seedOf(spec: SeedSpec = {}): Seed {
  const { kind, provisioning, orgId, ...rest } = spec;
  return {
    admin_keys: [{ key: ADMIN_KEY, name: 'e2e' }],
    users: [],
    invites: [],
    ...rest,
    organization: { id: orgId ?? ORG_ID, name: 'E2E Org', kind: kind ?? 'console', provisioning: provisioning ?? 'invite' },
  } as Seed;
}

/** A desired-state document with the scenario's organization pinned. */
export function desiredDoc(doc: Record<string, unknown>, org: Record<string, unknown> = {}): Record<string, unknown> {
  return { version: 1, organization: { id: ORG_ID, kind: 'console', ...org }, ...doc };
}

export interface RunOutput {
  code: number;
  stdout: string;
  stderr: string;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

export class Scenario {
  readonly dir: string;
  file: string;
  constructor(readonly emu: RunningEmulator, doc: Record<string, unknown> | string) {
    this.dir = mkdtempSync(join(tmpdir(), 'claude-reconcile-e2e-'));
    this.file = join(this.dir, 'org.yaml');
    this.write(doc);
  }

  /** Replaces the desired-state file. */
  write(doc: Record<string, unknown> | string): void {
    writeFileSync(this.file, typeof doc === 'string' ? doc : stringify(doc));
  }

  /** Options merged into every API client of this scenario's runs (shrunk backoff by default). */
  clientOptions: Partial<AdminClientOptions> = { retry: { baseDelayMs: 5, maxDelayMs: 50, settleMs: 1000, settleFirstPollMs: 50 } };

  /** Extra environment for every run of this scenario (for example the SCIM URL and token). */
  extraEnv: Record<string, string | undefined> = {};

  env(): Record<string, string | undefined> {
    return {
      ANTHROPIC_ADMIN_KEY: ADMIN_KEY,
      ANTHROPIC_BASE_URL: this.emu.url,
      NO_COLOR: '1',
      // this scenario's own apply locks and journal
      CLAUDE_RECONCILE_STATE_DIR: join(this.dir, 'state'),
      ...this.extraEnv,
    };
  }

  /** Points the scenario at the emulator's own SCIM directory (seeded with `scim.directory` and `scim.token`). */
  useEmulatorScim(directory: string, token: string): this {
    this.extraEnv = { ...this.extraEnv, CLAUDE_SCIM_URL: `${this.emu.url}/scim/v2.0/${directory}`, CLAUDE_SCIM_TOKEN: token };
    return this;
  }

  /** Runs the emulator's directory sync (Claude polls WorkOS about once a minute; tests run it on demand). */
  async sync(): Promise<unknown> {
    return (await this.control('scim/sync', {})).json();
  }

  async run(args: string[], opts: { interrupt?: AbortSignal; now?: Date; env?: Record<string, string | undefined> } = {}): Promise<RunOutput> {
    let stdout = '';
    let stderr = '';
    const io: CliIO = {
      env: { ...this.env(), ...opts.env },
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      stdoutIsTTY: false,
      stdinIsTTY: false,
      prompt: async () => 'no',
      now: () => opts.now ?? new Date(),
      interrupt: opts.interrupt ?? new AbortController().signal,
      // Backoff shrunk so 5xx bursts do not slow the suite; retry-after from the server is still honoured.
      clientOptions: this.clientOptions,
    };
    const code = await runCli([...args, '-f', this.file], io);
    return { code, stdout, stderr };
  }

  async plan(extra: string[] = [], opts: { now?: Date } = {}): Promise<{ code: number; plan: Plan; stderr: string }> {
    const out = await this.run(['plan', '--format', 'json', ...extra], opts);
    let plan: Plan;
    try {
      plan = JSON.parse(out.stdout) as Plan;
    } catch {
      throw new Error(`plan printed no JSON (exit ${out.code}): ${out.stderr}`);
    }
    return { code: out.code, plan, stderr: out.stderr };
  }

  async apply(extra: string[] = [], opts: { now?: Date; interrupt?: AbortSignal } = {}): Promise<RunOutput> {
    return this.run(['apply', '--auto-approve', ...extra], opts);
  }

  async state(): Promise<EmulatorState> {
    return (await (await fetch(`${this.emu.url}/_emulator/state`, { signal: AbortSignal.timeout(10_000) })).json()) as EmulatorState;
  }

  async control(path: string, body?: unknown, method = 'POST'): Promise<Response> {
    const res = await fetch(`${this.emu.url}/_emulator/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
    return res;
  }

  /**
   * Plans again and requires that nothing is left to do through the API, and that the drift left is exactly
   * `drift` (addresses of undeclared objects, manual and unavailable items, people who keep access; issue 14):
   * `plan --detailed-exitcode` exits 0 when there is none and 2 when there is.
   */
  async expectConverged(extra: string[] = [], opts: { now?: Date; drift?: string[] } = {}): Promise<Plan> {
    const again = await this.plan(['--detailed-exitcode', ...extra], opts);
    const left = again.plan.changes.filter((c) => ['create', 'update', 'replace', 'delete'].includes(c.action));
    expect(left.map((c) => `${c.action} ${c.address}: ${c.reason}`)).toEqual([]);
    expect(driftOf(again.plan), `drift: ${JSON.stringify(driftOf(again.plan))}`).toEqual([...(opts.drift ?? [])].sort());
    expect(again.code).toBe((opts.drift ?? []).length > 0 ? 2 : 0);
    return again.plan;
  }

  /** Invitation emails per address never exceed one (issue 6: "invites are never sent twice"). */
  async expectNoDuplicateInvites(): Promise<void> {
    const s = await this.state();
    const twice = Object.entries(s.invitation_emails).filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
  }
}

export interface EmulatorState {
  users: Array<{ id: string; email: string; role: string; name: string }>;
  invites: Array<{ id: string; email: string; role: string; status: string; expires_at: string }>;
  invitation_emails: Record<string, number>;
  requests: Record<string, unknown>;
  rate_limited: number;
}

export async function scenario(seed: Seed, doc: Record<string, unknown> | string, emuOpts: Omit<EmulatorOptions, 'seed'> = {}): Promise<Scenario> {
  const emu = await startEmulator({ ...emuOpts, seed });
  const s = new Scenario(emu, doc);
  cleanups.push(async () => {
    await emu.close();
    rmSync(s.dir, { recursive: true, force: true });
  });
  return s;
}

/** What keeps `plan --detailed-exitcode` at 2 without an API change: sorted addresses, each once. */
export function driftOf(plan: Plan): string[] {
  const out = new Set<string>();
  for (const u of plan.undeclared ?? []) out.add(u.address);
  for (const c of plan.changes) if (c.action === 'manual' || c.action === 'unavailable') out.add(c.address);
  for (const r of plan.access_remains) out.add(r.address);
  return [...out].sort();
}

export function actions(plan: Plan): string[] {
  return plan.changes.map((c) => `${c.action} ${c.address}`);
}
