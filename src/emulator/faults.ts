// Injected faults (`POST /_emulator/faults`): make the next matching API requests fail the way real networks and
// proxies do (§14.1 item 5: clients must survive a 5xx, a 429 with retry-after, an HTML page from a proxy, a
// truncated body, a reset connection, a slow answer). Faults are checked before auth and before rate limits.

import { badRequest } from './failure.js';

export type FaultBody = 'html' | 'truncated' | 'empty';

export interface FaultSpec {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Exact path without query, or a prefix ending with `*` (any when absent). */
  path?: string;
  /** How many times it fires. Default 1; with `probability` and no count: without limit. */
  count?: number;
  /** 0–1: fire at random on matching requests. */
  probability?: number;
  status?: number;
  error_type?: string;
  message?: string;
  /** Seconds, sent as the `retry-after` header. */
  retry_after?: number;
  /** Hang this long first; with no status/body/reset the request is then handled normally. */
  delay_ms?: number;
  /** Destroy the socket instead of answering. */
  reset?: boolean;
  body?: FaultBody;
  /**
   * `error.details.error_code` of the injected error (e.g. `change_outcome_unknown`): the SDK maps the status and
   * the code to a typed error class. Sent whatever the request's API version (the test asked for it).
   */
  error_code?: string;
  /** More `error.details` fields, merged under `error_code` (which wins). Needs `error_code`. */
  details?: Record<string, unknown>;
  /**
   * Carry the request out first, then answer the error instead of the result (an ambiguous failure whose change did
   * happen, e.g. 503 `change_outcome_unknown` or `workspace_created_incomplete`). Needs a `status` of 400–599 and no
   * `body` or `reset`. If the request itself fails (auth, validation, …), that failure is answered instead. For
   * `workspace_created_incomplete` on a workspace create, `details.workspace_id` names the workspace it made.
   */
  carry_out?: boolean;
}

export interface Fault extends FaultSpec {
  id: string;
  fired: number;
}

const FIELDS = [
  'method', 'path', 'count', 'probability', 'status', 'error_type', 'message', 'retry_after', 'delay_ms', 'reset', 'body',
  'error_code', 'details', 'carry_out',
];

/** Checks a fault body from a test; every problem is a 400. */
export function parseFaultSpec(value: unknown): FaultSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('the fault must be a JSON object');
  }
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of Object.keys(v)) if (!FIELDS.includes(k)) problems.push(`${k}: unknown field`);
  const spec: FaultSpec = {};
  const str = (k: 'method' | 'path' | 'error_type' | 'message' | 'error_code'): void => {
    if (v[k] === undefined) return;
    if (typeof v[k] !== 'string' || v[k] === '') problems.push(`${k}: must be a non-empty string`);
    else spec[k] = v[k] as string;
  };
  const int = (k: 'count' | 'status' | 'retry_after' | 'delay_ms', min: number, max: number): void => {
    if (v[k] === undefined) return;
    const n = v[k];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      problems.push(`${k}: must be an integer from ${min} to ${max}`);
    } else spec[k] = n;
  };
  str('method');
  str('path');
  str('error_type');
  str('message');
  str('error_code');
  int('count', 1, 1_000_000);
  int('status', 200, 599);
  int('retry_after', 0, 86_400);
  int('delay_ms', 0, 600_000);
  if (v.probability !== undefined) {
    const p = v.probability;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) problems.push('probability: must be a number from 0 to 1');
    else spec.probability = p;
  }
  if (v.reset !== undefined) {
    if (typeof v.reset !== 'boolean') problems.push('reset: must be a boolean');
    else spec.reset = v.reset;
  }
  if (v.body !== undefined) {
    if (v.body !== 'html' && v.body !== 'truncated' && v.body !== 'empty') {
      problems.push("body: must be 'html', 'truncated' or 'empty'");
    } else spec.body = v.body;
  }
  if (v.details !== undefined) {
    if (typeof v.details !== 'object' || v.details === null || Array.isArray(v.details)) {
      problems.push('details: must be a JSON object');
    } else if (v.error_code === undefined) problems.push('details: needs error_code');
    else spec.details = v.details as Record<string, unknown>;
  }
  if (v.carry_out !== undefined) {
    if (typeof v.carry_out !== 'boolean') problems.push('carry_out: must be a boolean');
    else if (v.carry_out) {
      spec.carry_out = true;
      if (typeof v.status !== 'number' || v.status < 400) problems.push('carry_out: needs a status from 400 to 599');
      if (v.body !== undefined || v.reset !== undefined) problems.push('carry_out: cannot be combined with body or reset');
    }
  }
  if (spec.method) spec.method = spec.method.toUpperCase();
  if (spec.path !== undefined && !spec.path.startsWith('/')) problems.push("path: must start with '/'");
  if (spec.path?.slice(0, -1).includes('*')) problems.push("path: '*' is allowed only at the end");
  if (!spec.reset && spec.status === undefined && spec.body === undefined && spec.delay_ms === undefined) {
    problems.push('the fault does nothing: give status, body, reset or delay_ms');
  }
  if (problems.length > 0) throw badRequest(`invalid fault: ${problems.join('; ')}`);
  return spec;
}

/** The faults configured on one emulator, in the order they were added; the first matching one fires. */
export class FaultSet {
  private faults: Fault[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number = Math.random) {}

  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: `fault_${this.nextId++}`, fired: 0 };
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  list(): Array<Fault & { remaining: number | null }> {
    return this.faults.map((f) => ({ ...f, remaining: limitOf(f) === null ? null : limitOf(f)! - f.fired }));
  }

  /** The fault that fires for this request, if any (counting it as fired). */
  take(method: string, path: string): Fault | undefined {
    for (const f of this.faults) {
      const limit = limitOf(f);
      if (limit !== null && f.fired >= limit) continue;
      if (f.method && f.method !== method.toUpperCase()) continue;
      if (f.path && !pathMatches(f.path, path)) continue;
      if (f.probability !== undefined && !(this.random() < f.probability)) continue;
      f.fired++;
      return f;
    }
    return undefined;
  }
}

function limitOf(f: FaultSpec): number | null {
  if (f.count !== undefined) return f.count;
  return f.probability !== undefined ? null : 1;
}

function pathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}
