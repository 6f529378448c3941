// What the drafting functions of import share (each kind's drafting sits beside its differ: planner/<kind>.ts).
// Drafting is the differ's inverse: from what the organization holds, the declarations that plan no change. Two
// kinds of rule, and only two:
//
// - what the org holds, and what the file format can say (a valid address, a declarable role, a name the schema
//   takes, one identity per name): the candidates, each written as import writes it;
// - whatever the planner would change is left out: import plans each draft against the same live state and records
//   (LeftOutView) every declaration whose address the plan changes; the next draft leaves it out with why. No
//   planner rule is restated in the drafting.
//
// Pure model code: live data, the clock and what the planner said in, plain items and comment lines out.
// Contract: desired-state.md; API facts cited by section of anthropic-admin-api.md.

import { emailKey } from '../model/address.js';
import type { DesiredMember } from '../model/desired.js';
import type { Drafts, LeftOutView, ResourceKind, SectionDraft } from '../model/kinds.js';

/** The schema's email pattern (definitions.email): anything else cannot be a key of `members`. */
export const EMAIL = /^\s*[^\s@]+@[^\s@]+\.[^\s@]+\s*$/;
/** Schema definitions.workspaceRole: workspace_billing is inherited, never assignable (§3.2). */
export const WORKSPACE_ROLES = new Set(['workspace_admin', 'workspace_developer', 'workspace_restricted_developer', 'workspace_user']);
/** §11.1 name length, as the config checks it (crossref-collections.ts). */
export const GROUP_NAME_MAX = 255;

/** Code-point order: the same on every machine and locale, so a re-import diffs cleanly. */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function byEmail<T extends { email: string }>(a: T, b: T): number {
  return byText(emailKey(a.email), emailKey(b.email)) || byText(a.email, b.email);
}

/** Emails by their key, then as spelled. */
export function byEmailText(a: string, b: string): number {
  return byText(emailKey(a), emailKey(b)) || byText(a, b);
}

export function nameOk(name: string, max: number): boolean {
  const len = [...name].length;
  return name.trim() !== '' && len <= max;
}

/** Names that two entries share, compared as the config compares them (without case). */
export function sharedNames(names: readonly string[]): Set<string> {
  const seen = new Map<string, number>();
  for (const n of names) seen.set(n.toLowerCase(), (seen.get(n.toLowerCase()) ?? 0) + 1);
  return new Set([...seen].filter(([, c]) => c > 1).map(([n]) => n));
}

/** A section with nothing drafted yet: `entries` is set when the section is written. */
export function emptyDraft<Item>(): SectionDraft<Item> {
  return { notes: [], unread: [], skipped: 0 };
}

/** An entry left out of the section, with why. */
export function skip(draft: SectionDraft<unknown>, why: string): void {
  draft.notes.push(why);
  draft.skipped += 1;
}

/** The people declared (by email key), as the members section writes them. */
export function declaredPeople(drafted: Partial<Drafts>): Map<string, DesiredMember> {
  return new Map((drafted.members?.entries ?? []).map((e) => [e.item.key, e.item]));
}

/** `members not managed: …` (sorted) when anything keeps a membership from being declared, else undefined. */
export function notManaged(what: string, problems: string[]): string | undefined {
  return problems.length > 0 ? `${what} not managed: ${problems.sort(byText).join('; ')}` : undefined;
}

/** Whether the plans of earlier drafts would change this container: then it is left out, with why (`label: why`). */
export function changedBefore(draft: SectionDraft<unknown>, left: LeftOutView, kind: ResourceKind, name: string, label: string): boolean {
  const why = left.container(kind, name);
  if (why !== undefined) skip(draft, `${label}: ${why}`);
  return why !== undefined;
}
