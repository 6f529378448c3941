// What the emulator remembers about API traffic: a bounded ring of recent requests (for `GET /_emulator/requests`)
// and counters by route template and status (for `GET /_emulator/state`). Only key *names* are kept, never keys.

export interface RequestRecord {
  /** Real wall-clock time the answer was sent, RFC 3339. */
  at: string;
  method: string;
  path: string;
  /** Raw query string without `?` ('' when none). */
  query: string;
  /** HTTP status sent; 0 when a fault reset the connection. */
  status: number;
  request_id: string;
  key_name: string | null;
}

export const REQUEST_LOG_CAPACITY = 10_000;

export class RequestLog {
  private readonly ring: RequestRecord[] = [];
  private next = 0;
  /** `"GET /v1/organizations/users"` → status → count. */
  private readonly counts = new Map<string, Map<number, number>>();
  private limited = 0;

  constructor(private readonly capacity = REQUEST_LOG_CAPACITY) {}

  record(route: string, entry: RequestRecord): void {
    if (this.ring.length < this.capacity) this.ring.push(entry);
    else this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    const byStatus = this.counts.get(route) ?? new Map<number, number>();
    byStatus.set(entry.status, (byStatus.get(entry.status) ?? 0) + 1);
    this.counts.set(route, byStatus);
    if (entry.status === 429) this.limited++;
  }

  /** The `limit` most recent requests, oldest first. */
  recent(limit: number): RequestRecord[] {
    const ordered =
      this.ring.length < this.capacity ? this.ring : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return ordered.slice(Math.max(0, ordered.length - limit));
  }

  counters(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [route, byStatus] of [...this.counts].sort(([a], [b]) => a.localeCompare(b))) {
      out[route] = Object.fromEntries([...byStatus].sort(([a], [b]) => a - b).map(([s, n]) => [String(s), n]));
    }
    return out;
  }

  /** Number of 429 answers, whichever bucket or fault produced them. */
  get rateLimited(): number {
    return this.limited;
  }
}

/** One answered request, as both pipelines (Admin API and SCIM) know it. */
export interface AnsweredRequest {
  method: string;
  path: string;
  /** the URL's search part, with its `?` ('' when none) */
  search: string;
  status: number;
  requestId: string;
  keyName: string | null;
}

/**
 * Records an answered request under its route, and tells `log` one line ending in `tag` (the key's name, or
 * `scim`): never a key, only its name.
 */
export function recordAnswer(requests: RequestLog, route: string, r: AnsweredRequest, log: ((line: string) => void) | undefined, tag: string): void {
  requests.record(route, {
    at: new Date().toISOString(),
    method: r.method,
    path: r.path,
    query: r.search.replace(/^\?/, ''),
    status: r.status,
    request_id: r.requestId,
    key_name: r.keyName,
  });
  log?.(`${r.method} ${r.path}${r.search} → ${r.status === 0 ? 'reset' : r.status} ${r.requestId} ${tag}`);
}
