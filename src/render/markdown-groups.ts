// Groups a plan's changes for the pull-request view: the destructive ones, one entry per person, one per container
// (workspace, group, SCIM group), and the rest. Each entry carries a short phrase per change, in plan order, so a
// reviewer reads `alice@acme.com: role developer → user; removed from workspace Research` instead of addresses.

import { emailKey } from '../model/address.js';
import type { Change } from '../model/plan.js';
import { codeSpan, htmlCode } from './markdown-escape.js';
import { containerOf, personOf, phraseOf } from './phrases.js';

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
    const container = containerOf(c);
    if (container !== undefined) {
      const { order, label } = container;
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
