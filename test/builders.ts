// Builders for planner tests: a Desired and a Live from a few literal values, with realistic defaults.

import type { Desired, DesiredMember, OrgKind, Provisioning, RemovalsMode } from '../src/model/desired.js';
import type { Live, LiveApiKey, LiveGroup, LiveInvite, LiveServiceAccount, LiveUser, LiveWorkspace } from '../src/model/live.js';
import { emptySummary, type Attrs, type Change, type Plan } from '../src/model/plan.js';

export const ORG_ID = '8f4c1a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b';
export const NOW = new Date('2026-11-23T12:00:00Z');

type MemberSpec = string | { role: string; expires?: string; name?: string };

export interface DesiredSpec {
  kind?: OrgKind;
  provisioning?: Provisioning;
  removals?: RemovalsMode;
  maxRemovals?: number;
  maxRemovalShare?: number;
  undeclared?: 'drift' | 'warn';
  maxReinvites?: number;
  protected?: string[];
  unmanaged?: string[];
  members?: Record<string, MemberSpec>;
  departed?: Record<string, { date?: string; reason?: string } | null>;
  deprovision?: 'deactivate' | 'delete';
  apiKeys?: 'report' | 'deactivate';
  signOut?: boolean;
  /** name → { members: email → role, ... } */
  workspaces?: Record<string, { members?: Record<string, string>; archived?: boolean; renamedFrom?: string; displayColor?: string }>;
  groups?: Record<string, { members?: string[]; delete?: boolean; renamedFrom?: string }>;
  scimGroups?: Record<string, { members?: string[]; delete?: boolean; renamedFrom?: string; externalId?: string }>;
  /** name → { role, description, archived, workspaces: workspace name → role } */
  serviceAccounts?: Record<string, { role?: string; description?: string; archived?: boolean; workspaces?: Record<string, string> }>;
}

const pos = (line: number) => ({ file: 'org.yaml', line, column: 5 });
const memberList = (emails: string[] | undefined) =>
  emails?.map((email, i) => ({ email, key: email.trim().toLowerCase(), pos: pos(100 + i) }));

export function desiredOf(spec: DesiredSpec = {}): Desired {
  let line = 10;
  const members: DesiredMember[] = Object.entries(spec.members ?? {}).map(([email, s]) => {
    const o = typeof s === 'string' ? { role: s } : s;
    const m: DesiredMember = { email, key: email.trim().toLowerCase(), role: o.role, pos: { file: 'org.yaml', line: line++, column: 3 } };
    if (o.expires) m.expires = o.expires;
    if (o.name) m.name = o.name;
    return m;
  });
  return {
    file: 'org.yaml',
    sha256: '0'.repeat(64),
    version: 1,
    organization: {
      id: ORG_ID,
      kind: spec.kind ?? 'console',
      provisioning: spec.provisioning ?? 'invite',
      credentials: { adminKeyEnv: 'ANTHROPIC_ADMIN_KEY', scimUrlEnv: 'CLAUDE_SCIM_URL', scimTokenEnv: 'CLAUDE_SCIM_TOKEN', baseUrlEnv: 'ANTHROPIC_BASE_URL', oauthTokenEnv: 'ANTHROPIC_ADMIN_OAUTH_TOKEN' },
    },
    policy: {
      removals: spec.removals ?? 'declared',
      maxRemovals: spec.maxRemovals ?? 10,
      protected: (spec.protected ?? []).map((e) => e.toLowerCase()),
      unmanaged: spec.unmanaged ?? [],
      apiKeysOfRemovedMembers: spec.apiKeys ?? 'report',
      maxRemovalShare: spec.maxRemovalShare ?? 0.5,
      undeclared: spec.undeclared ?? 'drift',
      maxReinvites: spec.maxReinvites ?? 3,
      signOutOnRemoval: spec.signOut ?? false,
    },
    members,
    departed: Object.entries(spec.departed ?? {}).map(([email, d]) => ({
      email, key: email.toLowerCase(), ...(d ?? {}), pos: { file: 'org.yaml', line: line++, column: 3 },
    })),
    workspaces: Object.entries(spec.workspaces ?? {}).map(([name, w]) => ({
      name,
      archived: w.archived ?? false,
      pos: pos(line++),
      ...(w.renamedFrom ? { renamedFrom: w.renamedFrom } : {}),
      ...(w.displayColor ? { displayColor: w.displayColor } : {}),
      ...(w.members
        ? { members: Object.entries(w.members).map(([email, role], i) => ({ email, key: email.trim().toLowerCase(), role, pos: pos(200 + i) })) }
        : {}),
    })),
    groups: Object.entries(spec.groups ?? {}).map(([name, g]) => ({
      name,
      delete: g.delete ?? false,
      pos: pos(line++),
      ...(g.renamedFrom ? { renamedFrom: g.renamedFrom } : {}),
      ...(g.members ? { members: memberList(g.members)! } : {}),
    })),
    scim: {
      deprovision: spec.deprovision ?? 'deactivate',
      groups: Object.entries(spec.scimGroups ?? {}).map(([name, g]) => ({
        name,
        delete: g.delete ?? false,
        pos: pos(line++),
        ...(g.renamedFrom ? { renamedFrom: g.renamedFrom } : {}),
        ...(g.externalId !== undefined ? { externalId: g.externalId } : {}),
        ...(g.members ? { members: memberList(g.members)! } : {}),
      })),
    },
    serviceAccounts: Object.entries(spec.serviceAccounts ?? {}).map(([name, a]) => ({
      name,
      role: a.role ?? 'developer',
      archived: a.archived ?? false,
      pos: pos(line++),
      ...(a.description !== undefined ? { description: a.description } : {}),
      ...(a.workspaces ? { workspaces: Object.entries(a.workspaces).map(([workspace, role], i) => ({ workspace, role, pos: pos(300 + i) })) } : {}),
    })),
  };
}

let seq = 0;
function id(prefix: string): string {
  seq += 1;
  return `${prefix}_01${String(seq).padStart(22, 'A')}`;
}

export function user(email: string, role: string, extra: Partial<LiveUser> = {}): LiveUser {
  return { id: id('user'), email, name: email.split('@')[0]!, role, ...extra };
}

export function invite(email: string, role: string, extra: Partial<LiveInvite> = {}): LiveInvite {
  return {
    id: id('invite'), email, role, status: 'pending',
    invitedAt: '2026-11-20T00:00:00Z', expiresAt: '2026-12-11T00:00:00Z', ...extra,
  };
}

/**
 * A declared member who stays: the API never removes an organization's last member (issue 13), so a test that
 * removes everyone else it lists adds this one to the file (`KEEPER_MEMBER`) and to the live users (`keeper()`).
 */
export const KEEPER_EMAIL = 'keeper@acme.com';
export const KEEPER_MEMBER = { [KEEPER_EMAIL]: 'user' } as const;
export function keeper(): LiveUser {
  return user(KEEPER_EMAIL, 'user');
}

export function liveOf(spec: Partial<Omit<Live, 'organization'>> = {}): Live {
  return { organization: { id: ORG_ID, name: 'Acme' }, users: [], invites: [], ...spec };
}

export function workspace(name: string, extra: Partial<LiveWorkspace> = {}): LiveWorkspace {
  return { id: id('wrkspc'), name, displayColor: '#6C5BB9', archived: false, ...extra };
}

export function apiKey(createdBy: LiveUser, extra: Partial<LiveApiKey> = {}): LiveApiKey {
  return { id: id('apikey'), name: `${createdBy.name}'s key`, status: 'active', workspaceId: null, createdByUserId: createdBy.id, partialKeyHint: 'sk-ant-api03-R2D...igAA', ...extra };
}

export function group(name: string, extra: Partial<LiveGroup> = {}): LiveGroup {
  return { id: id('rbac_group'), name, sourceType: 'direct', ...extra };
}

/**
 * A change built field by field by a test that sets only the attributes it cares about (the typed union of
 * model/plan.ts wants every attribute a planner writes): the code under test reads what it reads.
 */
export type LooseChange = Omit<Change, 'kind' | 'before' | 'after'> & { kind: Change['kind']; before: Attrs | null; after: Attrs | null };

export function looseChange(c: LooseChange): Change {
  return c as Change;
}

export function serviceAccount(name: string, extra: Partial<LiveServiceAccount> = {}): LiveServiceAccount {
  return { id: id('svac'), name, description: '', role: 'developer', archived: false, ...extra };
}

/** A plan around `changes` for applier and executor tests: no guard, no diagnostics; only the changes matter. */
export function barePlan(changes: Change[], kind: OrgKind = 'console'): Plan {
  return {
    format_version: '2', organization: { id: 'o', name: 'o', kind, provisioning: 'invite', credentials: { admin_key_env: 'K', base_url_env: 'B', scim_url_env: 'U', scim_token_env: 'T' } },
    desired: { file: 'f', sha256: 's' }, changes, diagnostics: [], summary: emptySummary(),
    removals: { count: 0, limit: 10, overridden: false, addresses: [], people: { leaving: 0, total: 0, removable: 0 }, max_share: 0.5, mass: false, mass_allowed: false }, blocked: false, access_remains: [], plan_hash: 'h',
  };
}
