// Ordered indexes that make every listing O(log n + page) (§14.2: benchmarks list 50,000 users with limit 1000).
// Listings are newest first (§5.2 "most recently added first", §6.4 "most recent first"); `seq`, a store-wide
// insertion counter, breaks ties between equal timestamps so the order is total and cursors are stable.

/** Position of an object in a listing: newer `ms` first, then higher `seq` first. */
export interface SortKey {
  readonly ms: number;
  readonly seq: number;
}

export interface IndexEntry {
  readonly id: string;
  readonly key: SortKey;
}

/** Negative when `a` is listed before `b`. */
export function compareKeys(a: SortKey, b: SortKey): number {
  if (a.ms !== b.ms) return b.ms - a.ms;
  return b.seq - a.seq;
}

/** A sorted array with binary search; insert and remove splice (memmove-fast), bulk loading sorts once. */
export class SortedIndex {
  private entries: IndexEntry[] = [];

  get size(): number {
    return this.entries.length;
  }

  at(position: number): IndexEntry | undefined {
    return this.entries[position];
  }

  /** First position whose entry is not listed before `key`. */
  lowerBound(key: SortKey): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.entries[mid]!.key, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position whose entry is listed strictly after `key`. */
  upperBound(key: SortKey): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.entries[mid]!.key, key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(entry: IndexEntry): void {
    this.entries.splice(this.lowerBound(entry.key), 0, entry);
  }

  remove(entry: IndexEntry): void {
    const i = this.lowerBound(entry.key);
    if (this.entries[i]?.id === entry.id) this.entries.splice(i, 1);
  }

  /** Replaces the content in one sort (seed loading: 50,000 splices would be quadratic). */
  load(entries: IndexEntry[]): void {
    this.entries = [...entries].sort((a, b) => compareKeys(a.key, b.key));
  }

  ids(): string[] {
    return this.entries.map((e) => e.id);
  }
}

/**
 * Disjoint sorted indexes, one per partition (a role, or a role and a stored status). A filtered listing merges
 * only the partitions that can match, so a `roles[]` filter costs O(page) however rare the role is.
 */
export class PartitionedIndex {
  private readonly parts = new Map<string, SortedIndex>();

  insert(part: string, entry: IndexEntry): void {
    let index = this.parts.get(part);
    if (!index) {
      index = new SortedIndex();
      this.parts.set(part, index);
    }
    index.insert(entry);
  }

  remove(part: string, entry: IndexEntry): void {
    this.parts.get(part)?.remove(entry);
  }

  load(entries: Array<{ part: string; entry: IndexEntry }>): void {
    this.parts.clear();
    const grouped = new Map<string, IndexEntry[]>();
    for (const { part, entry } of entries) {
      const list = grouped.get(part) ?? [];
      list.push(entry);
      grouped.set(part, list);
    }
    for (const [part, list] of grouped) {
      const index = new SortedIndex();
      index.load(list);
      this.parts.set(part, index);
    }
  }

  /** The partitions whose name satisfies `wanted`. */
  select(wanted: (part: string) => boolean): SortedIndex[] {
    return [...this.parts].filter(([part]) => wanted(part)).map(([, index]) => index);
  }
}
