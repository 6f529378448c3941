// Decides what an imported file declares: every section drafted from the live state by its drafter (each kind's
// drafting sits beside its differ, in planner/; given by the caller, as `plan` is), less what the planner said it
// would change. build.ts writes the candidate file, plans it against the same live state, and records here (LeftOut)
// every declaration whose address the plan changes; the next draft leaves it out with why. No planner rule is
// restated here, and no section is named: they are iterated through FILE_SECTIONS.

import { address, emailKey } from '../model/address.js';
import { FILE_SECTIONS, type DeclaredBy, type Drafts, type Importer, type KindTable, type LeftOutView, type ResourceKind } from '../model/kinds.js';
import type { Change, Plan } from '../model/plan.js';
import type { ImportSource } from './source.js';

/** A draft of the file: each section's declarations and notes. */
export type ImportSelection = Drafts;

/**
 * What the planner said it would change, from the plans of earlier drafts: each entry is left out of the next draft,
 * with why. Entries are only added, so drafting again ends.
 */
export class LeftOut implements LeftOutView {
  /** people, by email key: the note that says why */
  readonly #people = new Map<string, string>();
  /** containers (workspaces, groups, …), by address: why they are left out */
  readonly #containers = new Map<string, string>();
  /** containers whose membership is left unmanaged, by address: why */
  readonly #memberships = new Map<string, string[]>();

  constructor(private readonly declaredBy: KindTable<DeclaredBy>) {}

  get size(): number {
    return this.#people.size + this.#containers.size + this.#memberships.size;
  }

  person(key: string): string | undefined {
    return this.#people.get(key);
  }

  container(kind: ResourceKind, name: string): string | undefined {
    return this.#containers.get(address(kind, name));
  }

  memberships(kind: ResourceKind, name: string): readonly string[] {
    return this.#memberships.get(address(kind, name)) ?? [];
  }

  /** The keys a kind's section declares in this draft (a container's names), as the drafter gave them. */
  #names(sel: ImportSelection, kind: ResourceKind): string[] {
    const about = this.declaredBy[kind];
    if (typeof about !== 'object' || !('section' in about)) return [];
    return (sel[about.section].entries ?? []).map((e) => e.key);
  }

  /**
   * Records every declaration of `sel` the plan changes (any action but `deferred`: waiting for a sign-in or the
   * directory sync is what the organization is already doing). True when something new was recorded.
   */
  record(p: Plan, sel: ImportSelection): boolean {
    const size = this.size;
    const people = new Map((sel.members.entries ?? []).map((e) => [e.item.key, e]));
    for (const c of p.changes) {
      if (c.action === 'deferred') continue;
      const about = this.declaredBy[c.kind];
      if (about === 'person') {
        const m = people.get(emailKey(c.key));
        if (m && !this.#people.has(m.item.key)) this.#people.set(m.item.key, `${m.subject ?? m.item.email}; ${consequence(c)}`);
      } else if (about === 'none') {
        continue;
      } else if ('section' in about) {
        if (this.#names(sel, c.kind).includes(c.key) && !this.#containers.has(c.address)) {
          this.#containers.set(c.address, `declaring it would plan ${c.action} ${c.address} (${c.reason})`);
        }
      } else {
        // the longest declared name the key starts with: a container's name may itself hold `/`
        const name = this.#names(sel, about.of).filter((n) => c.key.startsWith(`${n}/`)).sort((a, b) => b.length - a.length)[0];
        if (name === undefined) continue;
        const why = `declaring them would plan ${c.action} ${c.address} (${c.reason})`;
        const list = this.#memberships.get(address(about.of, name)) ?? [];
        if (!list.includes(why)) this.#memberships.set(address(about.of, name), [...list, why]);
      }
    }
    return this.size > size;
  }
}

/** What declaring a person would start, as the planner planned it. */
function consequence(c: Change): string {
  if (c.kind === 'scim_user' && c.action === 'create') return 'with provisioning scim, declaring them would create a SCIM user';
  if (c.kind === 'scim_user' && c.action === 'update' && c.after?.active === true) return 'declaring them would reactivate it';
  return `declaring them would plan ${c.action} ${c.address} (${c.reason})`;
}

/** A draft of the file: every section, in FILE_SECTIONS order (a section may read those drafted before it). */
export function selectImport(src: ImportSource, now: Date, importer: Importer, left: LeftOutView): ImportSelection {
  const drafted: Partial<Drafts> = {};
  for (const s of FILE_SECTIONS) Object.assign(drafted, { [s]: importer.drafters[s](src, now, left, drafted) });
  return drafted as Drafts;
}
