// How the pull-request view speaks of each resource kind (issue 16: one entry per kind, checked against every
// kind): whom a change is about, whether the kind is a container, the short phrase a reviewer reads, and how a
// destructive change is grouped in the compact name lists. The text view needs nothing per kind (it diffs the
// attributes), so a kind added to model/kinds.ts fails to compile until it has an entry here.

import { assertNever } from '../model/address.js';
import type { ResourceKind } from '../model/kinds.js';
import type { Attrs, Change, ChangeOf } from '../model/plan.js';
import { clip, codeSpan, escapeText } from './markdown-escape.js';

/** A destructive change in the compact lists: the group's title (markdown), its rank, and the name listed. */
export interface DestructiveWhat {
  what: string;
  rank: number;
  name: string;
}

interface KindPhrases<K extends ResourceKind> {
  /** the email of the person a change is about; undefined for containers and unattributable changes */
  person(c: ChangeOf<K>): string | undefined;
  /** a container kind (workspace, group): its place among containers and its label */
  container?: { order: number; label: string };
  /** a short phrase for one change, from its action and attributes (the reason goes in the detail) */
  phrase(c: ChangeOf<K>): string;
  /** a destructive change's group in the compact lists; undefined: the generic `kind action` group */
  destructive(c: ChangeOf<K>): DestructiveWhat | undefined;
}

/** The part of a membership key after its last `/`: the email (a workspace or group name may itself hold `/`). */
export function memberPart(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** The part before the last `/`: the workspace or group name. */
export function containerPart(key: string): string {
  const i = key.lastIndexOf('/');
  return i < 0 ? '' : key.slice(0, i);
}

/** `account/Workspace`: a service account's name is a slug (no `/`), the workspace's name may hold one. */
function accountAndWorkspace(key: string): [string, string] {
  const i = key.indexOf('/');
  return i < 0 ? [key, ''] : [key.slice(0, i), key.slice(i + 1)];
}

function attr(o: Attrs | null | undefined, k: string): string {
  const v = o?.[k];
  if (v === undefined || v === null) return '?';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function roleText(o: Attrs | null | undefined): string {
  const v = o?.role;
  return typeof v === 'string' ? v : '?';
}

// planApiKeys (src/planner/api-keys.ts) writes `created by <email>, who is removed: …` and the `created_by`
// attribute; the attribute is preferred, the reason read for plans that lack it.
const CREATED_BY = /^created by (.+?), who is removed\b/;

function membershipPhrase(c: ChangeOf<'workspace_member' | 'group_member' | 'scim_group_member'>, what: string): string {
  const where = `${what} ${containerPart(c.key)}`;
  const role = c.after && 'role' in c.after && typeof c.after.role === 'string' ? ` as ${c.after.role}` : '';
  switch (c.action) {
    case 'create': return `added to ${where}${role}`;
    case 'update': return `${where} role ${attr(c.before, 'role')} → ${attr(c.after, 'role')}`;
    case 'replace': return `${where} membership replaced`;
    case 'delete': return `removed from ${where}`;
    case 'deferred': return `to be added to ${where}${role} later`;
    case 'manual': return `${where} membership needs a person in the console`;
    case 'unavailable': return `${where} membership unavailable`;
    default: return assertNever(c.action, 'action');
  }
}

function containerPhrase(c: ChangeOf<'workspace' | 'group' | 'scim_group'>, nameKey: string): string {
  switch (c.action) {
    case 'create': return 'created';
    case 'update': {
      const from = attr(c.before, nameKey);
      if (c.before && c.after && from !== attr(c.after, nameKey)) return `renamed from ${from}`;
      if (c.kind === 'workspace') return `display colour ${attr(c.before, 'display_color')} → ${attr(c.after, 'display_color')}`;
      return 'updated';
    }
    case 'replace': return 'replaced';
    case 'delete': return c.kind === 'workspace' ? 'archived' : 'deleted';
    case 'deferred': return 'deferred';
    case 'manual': return 'needs a person in the console';
    case 'unavailable': return 'unavailable';
    default: return assertNever(c.action, 'action');
  }
}

/** A container kind's phrases: its place and label, its phrase by the attribute that names it, its deletions' group. */
function containerPhrases<K extends 'workspace' | 'group' | 'scim_group'>(
  order: number, label: string, nameKey: string, deleted: string,
): KindPhrases<K> {
  return {
    person: () => undefined,
    container: { order, label },
    phrase: (c) => containerPhrase(c, nameKey),
    destructive: (c) => (c.action === 'delete' ? { what: deleted, rank: 5, name: c.key } : undefined),
  };
}

const inWhat = (c: Change, label: string) => `${label} ${codeSpan(clip(containerPart(c.key), 200))}`;
const lowered = (c: Change) => `${escapeText(clip(roleText(c.before), 80))} → ${escapeText(clip(roleText(c.after), 80))}`;
const byKey = (c: Change) => c.key;
const byMemberPart = (c: Change) => memberPart(c.key);

const PHRASES = {
  member: {
    person: byKey,
    phrase: (c) => {
      const a = c.action;
      if (a === 'update') return `role ${attr(c.before, 'role')} → ${attr(c.after, 'role')}`;
      if (a === 'delete') return 'removed from the organization';
      if (a === 'manual') {
        return c.after ? `role ${attr(c.before, 'role')} → ${attr(c.after, 'role')} needs a person in the console`
          : 'removal needs a person in the console';
      }
      if (a === 'deferred') return c.after ? 'joins at the next directory sync' : 'removed at the next directory sync';
      return `member ${a}`;
    },
    destructive: (c) => {
      if (c.action === 'delete') return { what: 'Removed from the organization', rank: 0, name: c.key };
      if (c.action === 'update') return { what: `Organization role lowered ${lowered(c)}`, rank: 3, name: c.key };
      return undefined;
    },
  },
  invite: {
    person: byKey,
    phrase: (c) => {
      const a = c.action;
      if (a === 'create') return `invited as ${attr(c.after, 'role')}`;
      if (a === 'replace') return `invite re-sent as ${attr(c.after, 'role')} (was ${attr(c.before, 'role')})`;
      if (a === 'delete') return 'invite withdrawn';
      if (a === 'manual') return `invite as ${attr(c.after, 'role')} needs a person in the console`;
      return `invite ${a}`;
    },
    destructive: (c) => (c.action === 'delete' ? { what: 'Invites withdrawn', rank: 2, name: c.key } : undefined),
  },
  scim_user: {
    person: byKey,
    phrase: (c) => {
      const a = c.action;
      if (a === 'create') return 'SCIM user created';
      if (a === 'update' && c.after?.active === false) return 'SCIM user deactivated';
      if (a === 'update' && c.after?.active === true) return 'SCIM user reactivated';
      if (a === 'delete') return 'SCIM user deleted';
      return `SCIM user ${a}`;
    },
    destructive: (c) => {
      if (c.action === 'delete') return { what: 'SCIM users deleted', rank: 1, name: c.key };
      if (c.action === 'update') return { what: 'SCIM users deactivated', rank: 1, name: c.key };
      return undefined;
    },
  },
  workspace_member: {
    person: byMemberPart,
    phrase: (c) => membershipPhrase(c, 'workspace'),
    destructive: (c) => {
      if (c.action === 'delete') return { what: `Removed from ${inWhat(c, 'workspace')}`, rank: 4, name: memberPart(c.key) };
      if (c.action === 'update') return { what: `Role in ${inWhat(c, 'workspace')} lowered ${lowered(c)}`, rank: 4, name: memberPart(c.key) };
      return undefined;
    },
  },
  group_member: {
    person: byMemberPart,
    phrase: (c) => membershipPhrase(c, 'group'),
    destructive: (c) => (c.action === 'delete' ? { what: `Removed from ${inWhat(c, 'group')}`, rank: 4, name: memberPart(c.key) } : undefined),
  },
  scim_group_member: {
    person: byMemberPart,
    phrase: (c) => membershipPhrase(c, 'SCIM group'),
    destructive: (c) => (c.action === 'delete' ? { what: `Removed from ${inWhat(c, 'SCIM group')}`, rank: 4, name: memberPart(c.key) } : undefined),
  },
  api_key: {
    person: (c) => {
      for (const attrs of [c.after, c.before]) {
        const v = attrs?.created_by;
        if (typeof v === 'string' && v !== '') return v;
      }
      return CREATED_BY.exec(c.reason)?.[1];
    },
    phrase: (c) => {
      const n = (c.before ?? c.after)?.name;
      const name = typeof n === 'string' ? `API key "${n}"` : `API key ${c.key}`;
      if (c.action === 'update' && c.after?.status === 'inactive') return `${name} deactivated`;
      return `${name} ${c.action}`;
    },
    destructive: () => undefined,
  },
  workspace: containerPhrases(0, 'workspace', 'name', 'Workspaces archived'),
  group: containerPhrases(1, 'group', 'name', 'RBAC groups deleted'),
  scim_group: containerPhrases(2, 'SCIM group', 'displayName', 'SCIM groups deleted'),
  // a sign-out is part of the person's offboarding, as their API keys are: never a destructive change of its own
  sign_out: {
    person: byKey,
    phrase: (c) => (c.action === 'create' ? 'signed out everywhere before the removal' : `sign-out ${c.action}`),
    destructive: () => undefined,
  },
  service_account: {
    // a container (its own line in the pull-request view), about no person
    container: { order: 3, label: 'service account' },
    phrase: (c) => {
      const a = c.action;
      if (a === 'create') return `created as ${attr(c.after, 'role')}`;
      if (a === 'update') {
        const role = attr(c.before, 'role') !== attr(c.after, 'role') ? `role ${attr(c.before, 'role')} → ${attr(c.after, 'role')}` : '';
        const desc = c.after?.description !== undefined && c.after.description !== c.before?.description ? 'description' : '';
        return [role, desc].filter(Boolean).join(', ') || 'updated';
      }
      if (a === 'delete') return 'archived';
      if (a === 'manual') return `${c.before ? `role ${attr(c.before, 'role')} → ` : 'create as '}${attr(c.after, 'role')} needs a person in the Console`;
      return a;
    },
    destructive: (c) => {
      if (c.action === 'delete') return { what: 'Service accounts archived', rank: 5, name: c.key };
      if (c.action === 'update') return { what: `Service account role lowered ${lowered(c)}`, rank: 3, name: c.key };
      return undefined;
    },
    person: () => undefined,
  },
  service_account_workspace: {
    person: () => undefined,
    phrase: (c) => {
      const [account, workspace] = accountAndWorkspace(c.key);
      const where = `workspace ${workspace}`;
      const who = `service account ${account}`;
      switch (c.action) {
        case 'create': return `${who} added to ${where} as ${attr(c.after, 'role')}`;
        case 'update': return `${who} role in ${where} ${attr(c.before, 'role')} → ${attr(c.after, 'role')}`;
        case 'delete': return `${who} removed from ${where}`;
        default: return `${who} in ${where}: ${c.action}`;
      }
    },
    destructive: (c) => {
      const [name, workspace] = accountAndWorkspace(c.key);
      const ws = codeSpan(clip(workspace, 200));
      if (c.action === 'delete') return { what: `Service accounts removed from workspace ${ws}`, rank: 4, name };
      if (c.action === 'update') return { what: `Service account role in workspace ${ws} lowered ${lowered(c)}`, rank: 4, name };
      return undefined;
    },
  },
} satisfies { readonly [K in ResourceKind]: KindPhrases<K> };

/** The phrases of a change's kind (TypeScript cannot relate `PHRASES[c.kind]` to `c`; the table's type does). */
function phrasesOf(c: Change): KindPhrases<ResourceKind> {
  return PHRASES[c.kind] as unknown as KindPhrases<ResourceKind>;
}

/** The email of the person a change is about, or undefined for containers and unattributable changes. */
export function personOf(c: Change): string | undefined {
  return phrasesOf(c).person(c);
}

/** A short phrase for one change, from its kind, action and attributes. */
export function phraseOf(c: Change): string {
  return phrasesOf(c).phrase(c);
}

/** The container a change's kind is (its order among containers and its label), when it is one. */
export function containerOf(c: Change): { order: number; label: string } | undefined {
  return phrasesOf(c).container;
}

/** What a destructive change does, as a group title (markdown), its rank, and the name it is listed by. */
export function destructiveWhat(c: Change): DestructiveWhat {
  return phrasesOf(c).destructive(c) ?? { what: `${escapeText(c.kind)} ${escapeText(c.action)}`, rank: 6, name: c.address };
}
