// The ids of the objects of one listing (members, invites) by the key of the `email` filter (§5.2: case-insensitive,
// `+tag` variants match), so a filtered page reads only the few objects of that address.

import { emailMatchKey } from './emails.js';
import { SortedIndex, type IndexEntry } from './sorted-index.js';

export class EmailIndex {
  private readonly byKey = new Map<string, Set<string>>();

  clear(): void {
    this.byKey.clear();
  }

  add(email: string, id: string): void {
    const key = emailMatchKey(email);
    const set = this.byKey.get(key) ?? new Set<string>();
    set.add(id);
    this.byKey.set(key, set);
  }

  remove(email: string, id: string): void {
    const key = emailMatchKey(email);
    const set = this.byKey.get(key);
    if (!set) return;
    set.delete(id);
    if (set.size === 0) this.byKey.delete(key);
  }

  /** Ids of the objects whose address matches `email` under §5.2's rules (callers compare whole addresses if they must). */
  ids(email: string): Iterable<string> {
    return this.byKey.get(emailMatchKey(email)) ?? [];
  }

  /** The objects whose address matches `email`, as a small ad-hoc index to read a page from. */
  candidates<T extends IndexEntry>(email: string, objects: ReadonlyMap<string, T>): SortedIndex {
    const index = new SortedIndex();
    const found = [...this.ids(email)].map((id) => objects.get(id)).filter((o) => !!o);
    index.load(found as T[]);
    return index;
  }
}
