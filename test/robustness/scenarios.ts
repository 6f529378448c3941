// Two organizations whose plans read every listing the tool makes, each over several pages (page size 3 for the
// Admin API, `max_count: 2` for the SCIM directory). Each is built so that a listing read as empty (or cut short)
// would lead to writes: invites for members who exist, a second workspace or group, members added again.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startEmulator, type RunningEmulator, type Seed } from '../../src/emulator/index.js';
import { FAKE_ADMIN_KEY, FAKE_SCIM_TOKEN, ORG_ID, SCIM_DIRECTORY } from './helpers.js';
import { startProxy, type RunningProxy } from './proxy.js';

const range = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i + 1));

/** 7 declared members + the departed dave: 8 users, 3 pages of 3. */
const CONSOLE_USERS = range(7, (i) => `u${i}@acme.com`);
/** pending invites with the declared role: 2 pages. */
const CONSOLE_INVITES = range(4, (i) => `p${i}@acme.com`);
const RESEARCH = range(5, (i) => `u${i}@acme.com`);

export function consoleSeed(): Seed {
  return {
    admin_keys: [{ key: FAKE_ADMIN_KEY, name: 'robust' }],
    organization: { id: ORG_ID, name: 'Robust Console', kind: 'console', provisioning: 'invite' },
    users: [...CONSOLE_USERS.map((email) => ({ email, role: 'user' })), { email: 'dave@acme.com', role: 'developer' }],
    invites: CONSOLE_INVITES.map((email) => ({ email, role: 'user' })),
    workspaces: [{ name: 'Research' }, { name: 'Design' }, { name: 'Ops' }, { name: 'Legal' }],
    workspace_members: RESEARCH.map((email) => ({ workspace: 'Research', email, role: 'workspace_user' })),
    api_keys: [
      { name: 'dave-ci', created_by: 'dave@acme.com' },
      { name: 'dave-laptop', created_by: 'dave@acme.com' },
      ...range(3, (i) => `u1-key-${i}`).map((name) => ({ name, created_by: 'u1@acme.com' })),
    ],
  } as Seed;
}

export function consoleDesired(): Record<string, unknown> {
  return {
    version: 1,
    organization: { id: ORG_ID, kind: 'console' },
    policy: { api_keys_of_removed_members: 'deactivate' },
    members: Object.fromEntries([...CONSOLE_USERS, ...CONSOLE_INVITES].map((e) => [e, 'user'])),
    departed: { 'dave@acme.com': { reason: 'left' } },
    // every workspace is declared (those without members: their membership is not managed), so none is drift
    workspaces: { Research: { members: Object.fromEntries(RESEARCH.map((e) => [e, 'workspace_user'])) }, Design: {}, Ops: {}, Legal: {} },
  };
}

/** 7 members: 3 pages of users and of the Platform group's members, 4 pages of SCIM users. */
const ENTERPRISE_USERS = range(7, (i) => `e${i}@acme.com`);

export function enterpriseSeed(): Seed {
  return {
    admin_keys: [{ key: FAKE_ADMIN_KEY, name: 'robust' }],
    organization: { id: ORG_ID, name: 'Robust Enterprise', kind: 'enterprise', provisioning: 'scim' },
    users: ENTERPRISE_USERS.map((email) => ({ email, role: 'user' })),
    rbac_groups: [
      { name: 'Platform', members: ENTERPRISE_USERS },
      { name: 'Other A', members: [] },
      { name: 'Other B', members: [] },
      { name: 'Other C', members: [] },
    ],
    scim: {
      directory: SCIM_DIRECTORY,
      token: FAKE_SCIM_TOKEN,
      max_count: 2,
      users: ENTERPRISE_USERS.map((userName) => ({ userName })),
      groups: [
        { displayName: 'Eng', members: ['e1@acme.com', 'e2@acme.com'] },
        { displayName: 'Sales', members: ['e3@acme.com'] },
        { displayName: 'Support', members: ['e4@acme.com'] },
      ],
    },
  } as Seed;
}

export function enterpriseDesired(): Record<string, unknown> {
  return {
    version: 1,
    organization: { id: ORG_ID, kind: 'enterprise', provisioning: 'scim' },
    members: Object.fromEntries(ENTERPRISE_USERS.map((e) => [e, 'user'])),
    groups: { Platform: { members: ENTERPRISE_USERS } },
    scim: {
      groups: {
        Eng: { members: ['e1@acme.com', 'e2@acme.com'] },
        Sales: { members: ['e3@acme.com'] },
        Support: { members: ['e4@acme.com'] },
      },
    },
  };
}

export type OrgName = 'console' | 'enterprise';

/** An emulator behind a tampering proxy, and a desired-state file; the CLI talks to the proxy. */
export interface Org {
  emu: RunningEmulator;
  proxy: RunningProxy;
  dir: string;
  file: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Other credentials than the shared fake ones (the emulator is seeded with them). */
export interface OrgCredentials {
  adminKey?: string;
  scimToken?: string;
  directory?: string;
}

export async function startOrg(name: OrgName, creds: OrgCredentials = {}): Promise<Org> {
  const adminKey = creds.adminKey ?? FAKE_ADMIN_KEY;
  const seed = name === 'console' ? consoleSeed() : enterpriseSeed();
  seed.admin_keys = [{ key: adminKey, name: 'robust' }];
  if (seed.scim) {
    seed.scim.token = creds.scimToken ?? FAKE_SCIM_TOKEN;
    seed.scim.directory = creds.directory ?? SCIM_DIRECTORY;
  }
  const emu = await startEmulator({ seed });
  const proxy = await startProxy(emu.url);
  const dir = mkdtempSync(join(tmpdir(), 'claude-reconcile-robust-'));
  const file = join(dir, 'org.yaml');
  writeFileSync(file, stringify(name === 'console' ? consoleDesired() : enterpriseDesired()));
  const env: Record<string, string> = { ANTHROPIC_ADMIN_KEY: adminKey, ANTHROPIC_BASE_URL: proxy.url };
  if (name === 'enterprise') {
    env.CLAUDE_SCIM_URL = `${proxy.url}/scim/v2.0/${creds.directory ?? SCIM_DIRECTORY}`;
    env.CLAUDE_SCIM_TOKEN = creds.scimToken ?? FAKE_SCIM_TOKEN;
  }
  return {
    emu,
    proxy,
    dir,
    file,
    env,
    close: async () => {
      await proxy.close();
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
