// Groups a plan's changes for the pull-request view: the destructive ones, one entry per person, one per container
// (workspace, group, SCIM group), and the rest. Each entry carries a short phrase per change, in plan order, so a
// reviewer reads `alice@acme.com: role developer → user; removed from workspace Research` instead of addresses.

import { assertNever, emailKey, type ResourceKind } from '../model/address.js';
import type { Attrs, Change } from '../model/plan.js';
import { codeSpan, htmlCode } from './markdown-escape.js';

export interface Entry {
  /** identity and sort key: the lower-cased email for a person */
  key: string;
  /** the label as a markdown code span, and as HTML for a `<summary>` */
  labelMd: string;
  labelHtml: string;
  /** one short phrase per change, unescaped */
  phrases: string[];
  /** indices into plan.changes, in plan order */
  changes: number[];
}

export interface Grouped {
  /** indices of every change with `removal: true` and every `delete`, in plan order */
  destructive: number[];
  /** sorted by email */
  people: Entry[];
  /** workspaces, then groups, then SCIM groups, each by name */
  containers: Entry[];
  /** changes that belong to no person or container (an API key whose creator cannot be told) */
  other: Entry[];
}

/** The part of a membership key after its last `/`: the email (a workspace or group name may itself hold `/`). */
function memberPart(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** The part before the last `/`: the workspace or group name. */
function containerPart(key: string): string {
  const i = key.lastIndexOf('/');
  return i < 0 ? '' : key.slice(0, i);
}

// planApiKeys (src/planner/api-keys.ts) writes `created by <email>, who is removed: …`; the change carries no other
// trace of the creator. A `created_by` attribute, should the planner add one, is preferred.
const CREATED_BY = /^created by (.+?), who is removed\b/;

function apiKeyCreator(c: Change): string | undefined {
  for (const attrs of [c.after, c.before]) {
    const v = attrs?.created_by;
    if (typeof v === 'string' && v !== '') return v;
  }
  return CREATED_BY.exec(c.reason)?.[1];
}

/** The email of the person a change is about, or undefined for containers and unattributable changes. */
export function personOf(c: Change): string | undefined {
  switch (c.kind) {
    case 'member':
    case 'invite':
    case 'scim_user':
      return c.key;
    case 'workspace_member':
    case 'group_member':
    case 'scim_group_member':
      return memberPart(c.key);
    case 'api_key':
      return apiKeyCreator(c);
    case 'workspace':
    case 'group':
    case 'scim_group':
      return undefined;
    default:
      return assertNever(c.kind, 'resource kind');
  }
}

const CONTAINER_ORDER: Partial<Record<ResourceKind, number>> = { workspace: 0, group: 1, scim_group: 2 };
const CONTAINER_LABEL: Partial<Record<ResourceKind, string>> = { workspace: 'workspace', group: 'group', scim_group: 'SCIM group' };

function attr(o: Attrs | null, k: string): string {
  const v = o?.[k];
  if (v === undefined || v === null) return '?';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function membershipPhrase(c: Change, what: string): string {
  const where = `${what} ${containerPart(c.key)}`;
  const role = c.after && typeof c.after.role === 'string' ? ` as ${c.after.role}` : '';
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

/** A short phrase for one change, from its kind, action and attributes (the reason goes in the detail). */
export function phraseOf(c: Change): string {
  const a = c.action;
  switch (c.kind) {
    case 'member':
      if (a === 'update') return `role ${attr(c.before, 'role')} → ${attr(c.after, 'role')}`;
      if (a === 'delete') return 'removed from the organization';
      if (a === 'manual') {
        return c.after ? `role ${attr(c.before, 'role')} → ${attr(c.after, 'role')} needs a person in the console`
          : 'removal needs a person in the console';
      }
      if (a === 'deferred') return c.after ? 'joins at the next directory sync' : 'removed at the next directory sync';
      return `member ${a}`;
    case 'invite':
      if (a === 'create') return `invited as ${attr(c.after, 'role')}`;
      if (a === 'replace') return `invite re-sent as ${attr(c.after, 'role')} (was ${attr(c.before, 'role')})`;
      if (a === 'delete') return 'invite withdrawn';
      if (a === 'manual') return `invite as ${attr(c.after, 'role')} needs a person in the console`;
      return `invite ${a}`;
    case 'scim_user':
      if (a === 'create') return 'SCIM user created';
      if (a === 'update' && c.after?.active === false) return 'SCIM user deactivated';
      if (a === 'update' && c.after?.active === true) return 'SCIM user reactivated';
      if (a === 'delete') return 'SCIM user deleted';
      return `SCIM user ${a}`;
    case 'workspace_member':
      return membershipPhrase(c, 'workspace');
    case 'group_member':
      return membershipPhrase(c, 'group');
    case 'scim_group_member':
      return membershipPhrase(c, 'SCIM group');
    case 'api_key': {
      const name = typeof (c.before ?? c.after)?.name === 'string' ? `API key "${String((c.before ?? c.after)!.name)}"` : `API key ${c.key}`;
      if (a === 'update' && c.after?.status === 'inactive') return `${name} deactivated`;
      return `${name} ${a}`;
    }
    case 'workspace':
    case 'group':
    case 'scim_group':
      return containerPhrase(c);
    default:
      return assertNever(c.kind, 'resource kind');
  }
}

function containerPhrase(c: Change): string {
  const nameKey = c.kind === 'scim_group' ? 'displayName' : 'name';
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

function byKey(a: Entry, b: Entry): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** One pass over the changes, then one sort per group: linear in the plan apart from the sorts. */
export function groupChanges(changes: readonly Change[]): Grouped {
  const destructive: number[] = [];
  const people = new Map<string, Entry>();
  const containers = new Map<string, Entry>();
  const other = new Map<string, Entry>();
  const add = (map: Map<string, Entry>, key: string, label: () => [string, string], i: number, c: Change) => {
    let e = map.get(key);
    if (!e) {
      const [labelMd, labelHtml] = label();
      e = { key, labelMd, labelHtml, phrases: [], changes: [] };
      map.set(key, e);
    }
    e.phrases.push(phraseOf(c));
    e.changes.push(i);
  };
  changes.forEach((c, i) => {
    if (c.removal || c.action === 'delete') destructive.push(i);
    const order = CONTAINER_ORDER[c.kind];
    if (order !== undefined) {
      const label = CONTAINER_LABEL[c.kind]!;
      add(containers, `${order}\u0000${c.key}`, () => [`${label} ${codeSpan(c.key)}`, `${label} ${htmlCode(c.key)}`], i, c);
      return;
    }
    const email = personOf(c);
    if (email === undefined) {
      add(other, c.address, () => [codeSpan(c.address), htmlCode(c.address)], i, c);
      return;
    }
    // The first spelling in plan order is shown; people are told apart by the lower-cased email.
    add(people, emailKey(email), () => [codeSpan(email), htmlCode(email)], i, c);
  });
  return {
    destructive,
    people: [...people.values()].sort(byKey),
    containers: [...containers.values()].sort(byKey),
    other: [...other.values()].sort(byKey),
  };
}
