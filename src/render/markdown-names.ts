// Compact name lists for the pull-request comment (issue 14, item 4): when one line per destructive change would not
// fit, every removal is still named, grouped by what happens and why, names joined, an email shown as its local part
// under its `@domain`:
//
//   - **Removed from the organization** (departed) — 1,200: `@acme.com`: `alice, bob, carol` · `@beta.io`: `dan`
//   - **Removed from workspace `Research`** (not declared there) — 3: `@acme.com`: `erin, frank, gina`
//
// Every name is inside a code span (never a link, never a mention, never markup). A name the joined span could make
// ambiguous (one holding `,` or a backtick, or starting or ending with a space) gets a code span of its own. Past
// what the budget allows, each group says exactly how many of its names are not shown.

import { emailKey, parseAddress } from '../model/address.js';
import type { Change, UndeclaredItem } from '../model/plan.js';
import { clip, codeSpan, escapeText, formatCount } from './markdown-escape.js';
import { destructiveWhat } from './phrases.js';
import { visible } from './visible.js';

export interface NameGroup {
  /** markdown, escaped: what happens, and why in parentheses */
  title: string;
  /** raw names, in any order (sorted when rendered) */
  names: string[];
  /** indices of the changes named, parallel to names (empty for undeclared items) */
  changes: number[];
  /** groups are filled in rank order, then in order of first appearance */
  rank: number;
}

/**
 * Why, in a few words, from the planner's reason: the person-specific part (a departure's own reason, the roles of a
 * demotion) is left to the per-person lines and the full plan, so that many changes share one group.
 */
export function reasonClass(reason: string): string {
  if (/^departed\b/.test(reason)) return 'departed';
  if (/^expired\b/.test(reason)) return 'expired';
  if (/^not declared\b/.test(reason)) return 'not declared; policy.removals: prune';
  if (/^not among the members\b/.test(reason)) return 'not declared there';
  if (/^part of removing\b/.test(reason)) return 'the person leaves';
  if (/^demotion\b/.test(reason)) return 'demotion';
  const cut = reason.search(/[:;(]/);
  const head = (cut < 0 ? reason : reason.slice(0, cut)).trim();
  return head === '' ? 'see the full plan' : head;
}

function collect(items: Iterable<{ key: string; title: string; rank: number; name: string; change?: number }>): NameGroup[] {
  const groups = new Map<string, NameGroup & { first: number }>();
  let n = 0;
  for (const it of items) {
    let g = groups.get(it.key);
    if (!g) {
      g = { title: it.title, names: [], changes: [], rank: it.rank, first: n };
      groups.set(it.key, g);
    }
    g.names.push(it.name);
    if (it.change !== undefined) g.changes.push(it.change);
    n += 1;
  }
  return [...groups.values()]
    .sort((a, b) => a.rank - b.rank || a.first - b.first)
    .map(({ first: _first, ...g }) => g);
}

/** The destructive changes (indices into `changes`), grouped by what happens and why. */
export function destructiveGroups(changes: readonly Change[], indices: readonly number[]): NameGroup[] {
  return collect(indices.map((i) => {
    const c = changes[i]!;
    const { what, rank, name } = destructiveWhat(c);
    const why = escapeText(clip(reasonClass(c.reason), 120));
    return { key: `${what}\u0000${why}`, title: `**${what}** (${why})`, rank, name, change: i };
  }));
}

const UNDECLARED_KIND: Partial<Record<string, [string, number]>> = {
  member: ['Members', 0],
  invite: ['Pending invites', 1],
  scim_user: ['SCIM users', 2],
  workspace: ['Workspaces', 3],
  group: ['RBAC groups', 4],
  scim_group: ['SCIM groups', 5],
};

/** Undeclared live objects, grouped by kind. */
export function undeclaredGroups(items: readonly UndeclaredItem[]): NameGroup[] {
  return collect(items.map((u) => {
    const a = parseAddress(u.address);
    const known = a ? UNDECLARED_KIND[a.kind] : undefined;
    if (a && known) return { key: a.kind, title: `**${known[0]}**`, rank: known[1], name: a.key };
    const kind = a?.kind ?? 'other';
    return { key: kind, title: `**${escapeText(kind)}**`, rank: 6, name: a ? a.key : u.address };
  }));
}

/** A name shown inside a joined code span must not hold the separator or a backtick, nor start or end with a space. */
const JOINABLE = /^[^,`\s](?:[^,`]*[^,`\s])?$/;

interface Part {
  /** the text before the first name: `` `@acme.com`: ` `` and the opening backtick, or a whole own code span */
  open: string;
  /** names in the part, visible, in order; empty for an own code span */
  names: string[];
  /** change indices of the names, or the one of an own code span */
  changes: number[];
  own: boolean;
}

/**
 * Natural order, the same on every machine (no locale): `temp2` before `temp10`, letters compared lower-cased, then
 * the exact text.
 */
export function naturalCompare(a: string, b: string): number {
  const x = a.toLowerCase().match(/\d+|\D+/g) ?? [];
  const y = b.toLowerCase().match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const p = x[i]!;
    const q = y[i]!;
    if (p === q) continue;
    const pd = /^\d/.test(p);
    const qd = /^\d/.test(q);
    if (pd && qd) {
      const pn = p.replace(/^0+(?=\d)/, '');
      const qn = q.replace(/^0+(?=\d)/, '');
      if (pn.length !== qn.length) return pn.length - qn.length;
      if (pn !== qn) return pn < qn ? -1 : 1;
      return p.length - q.length;
    }
    return p < q ? -1 : 1;
  }
  if (x.length !== y.length) return x.length - y.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The part of an address before its domain, and the domain; a name without `@` is all local. */
function sortKey(name: string): [string, string] {
  const at = name.lastIndexOf('@');
  return at > 0 ? [name.slice(0, at), emailKey(name.slice(at + 1))] : [name, ''];
}

/** Splits a group's names into parts: one per domain (sorted), one for plain names, then one per odd name. */
function partsOf(g: NameGroup): Part[] {
  const keys = g.names.map(sortKey);
  const order = g.names.map((_, k) => k).sort((a, b) =>
    naturalCompare(keys[a]![0], keys[b]![0]) || naturalCompare(keys[a]![1], keys[b]![1]) || a - b);
  const domains = new Map<string, Part>();
  let plain: Part | undefined;
  const odd: Part[] = [];
  for (const k of order) {
    const name = visible(g.names[k]!);
    const change = g.changes[k];
    const changes = change === undefined ? [] : [change];
    const at = name.lastIndexOf('@');
    const local = at > 0 ? name.slice(0, at) : '';
    const domain = at > 0 ? name.slice(at + 1) : '';
    if (at > 0 && domain !== '' && JOINABLE.test(local) && JOINABLE.test(domain)) {
      let p = domains.get(domain);
      if (!p) {
        p = { open: `${codeSpan(`@${domain}`)}: \``, names: [], changes: [], own: false };
        domains.set(domain, p);
      }
      p.names.push(local);
      p.changes.push(...changes);
    } else if (at < 0 && JOINABLE.test(name)) {
      plain ??= { open: '`', names: [], changes: [], own: false };
      plain.names.push(name);
      plain.changes.push(...changes);
    } else {
      odd.push({ open: codeSpan(name), names: [], changes, own: true });
    }
  }
  const sortedDomains = [...domains.entries()].sort(([a], [b]) => naturalCompare(a, b)).map(([, p]) => p);
  return [...sortedDomains, ...(plain ? [plain] : []), ...odd];
}

export interface NamedLines {
  lines: string[];
  /** how many names are shown, of how many */
  named: number;
  total: number;
  /** the change indices named */
  namedChanges: number[];
  /** characters the lines take, newlines included */
  cost: number;
}

const PART_SEP = ' · ';

/**
 * One line per group, with as many names as `room` characters allow, filled in group order: every group's line
 * with its count first, then the names. A group not every name of which is shown ends with `… N not named`.
 * Linear in the number of names (apart from the sort).
 */
export function renderNameGroups(groups: readonly NameGroup[], room: number): NamedLines {
  const total = groups.reduce((n, g) => n + g.names.length, 0);
  let left = room;
  const heads: string[] = [];
  // 1. Each group's line without names, with room for the largest "not named" tail it could need.
  for (const g of groups) {
    const head = `- ${g.title} — ${formatCount(g.names.length)}: `;
    const cost = head.length + 1 + notNamed(g.names.length).length + 1;
    if (cost > left) break;
    left -= cost;
    heads.push(head);
  }
  // 2. Names, group by group, part by part, as far as they fit.
  const bodies: string[] = [];
  const namedPer: number[] = [];
  const namedChanges: number[] = [];
  let full = false;
  for (let gi = 0; gi < heads.length; gi += 1) {
    const g = groups[gi]!;
    const pieces: string[] = [];
    let named = 0;
    if (!full) {
      for (const p of partsOf(g)) {
        const sep = pieces.length > 0 ? PART_SEP : '';
        if (p.own) {
          const cost = sep.length + p.open.length;
          if (cost > left) { full = true; break; }
          left -= cost;
          pieces.push(sep + p.open);
          named += 1;
          namedChanges.push(...p.changes);
          continue;
        }
        // open + first name + closing backtick, then `, name` each
        const first = sep.length + p.open.length + p.names[0]!.length + 1;
        if (first > left) { full = true; break; }
        left -= first;
        const shown = [p.names[0]!];
        for (let k = 1; k < p.names.length; k += 1) {
          const cost = 2 + p.names[k]!.length;
          if (cost > left) { full = true; break; }
          left -= cost;
          shown.push(p.names[k]!);
        }
        pieces.push(`${sep}${p.open}${shown.join(', ')}\``);
        named += shown.length;
        if (p.changes.length > 0) namedChanges.push(...p.changes.slice(0, shown.length));
        if (full) break;
      }
    }
    bodies.push(pieces.join(''));
    namedPer.push(named);
  }
  const lines = heads.map((h, gi) => {
    const missing = groups[gi]!.names.length - namedPer[gi]!;
    const body = bodies[gi]!;
    return `${h}${body}${missing > 0 ? `${body === '' ? '' : ' '}${notNamed(missing)}` : ''}`;
  });
  const named = namedPer.reduce((a, b) => a + b, 0);
  return { lines, named, total, namedChanges, cost: lines.reduce((n, l) => n + l.length + 1, 0) };
}

function notNamed(n: number): string {
  return `… ${formatCount(n)} not named`;
}
