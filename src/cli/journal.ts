// The journal of applied saved plans (issue 12): every change `apply PLANFILE` applies is appended, as it is
// applied, to `<state dir>/journal/<organization id>.jsonl`, keyed by the plan's `plan_id` (a random id each plan
// gets when it is made). Applying the same saved plan again on this machine skips what the journal says was
// applied, whatever the live state shows — the one thing no listing can tell: an invite sent by the first apply
// and withdrawn since is not listed by the API, and without the journal a replay would send a second email.
//
// One line per applied change; only ids, addresses and times (nothing secret). The file is rewritten without
// entries older than 90 days when it passes 5 MB. The apply lock (cli/lock.ts) serializes writers of one file.

import { appendFileSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { ApplyResult, Plan } from '../model/plan.js';
import { fileNameFor, stateSubdir } from './state-dir.js';

interface Entry {
  plan_id: string;
  plan_hash: string;
  address: string;
  id?: string;
  at: string;
}

export interface Journaled {
  at: string;
  id?: string;
}

const MAX_BYTES = 5 * 1024 * 1024;
const KEEP_MS = 90 * 24 * 3600 * 1000;

function journalPath(env: Record<string, string | undefined>, orgId: string): string {
  return join(stateSubdir(env, 'journal'), `${fileNameFor(orgId)}.jsonl`);
}

function readEntries(path: string): Entry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: Entry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as Partial<Entry>;
      if (typeof e.plan_id === 'string' && typeof e.address === 'string' && typeof e.at === 'string') {
        out.push({ plan_id: e.plan_id, plan_hash: String(e.plan_hash ?? ''), address: e.address, at: e.at, ...(typeof e.id === 'string' ? { id: e.id } : {}) });
      }
    } catch {
      // a line cut by a crash mid-write: skip it
    }
  }
  return out;
}

/** What earlier runs on this machine applied from this very plan, by address. Empty for a plan without an id. */
export function journaledChanges(env: Record<string, string | undefined>, plan: Plan): Map<string, Journaled> {
  const out = new Map<string, Journaled>();
  if (!plan.plan_id) return out;
  for (const e of readEntries(journalPath(env, plan.organization.id))) {
    if (e.plan_id === plan.plan_id && e.plan_hash === plan.plan_hash) out.set(e.address, e.id === undefined ? { at: e.at } : { at: e.at, id: e.id });
  }
  return out;
}

/** A writer that appends each applied change of `plan` as it is applied. A plan without an id is not journaled. */
export function journalWriter(env: Record<string, string | undefined>, plan: Plan, now: () => Date): (r: ApplyResult) => void {
  if (!plan.plan_id) return () => undefined;
  const path = journalPath(env, plan.organization.id);
  compact(path, now());
  return (r) => {
    if (r.status !== 'applied') return;
    const e: Entry = { plan_id: plan.plan_id!, plan_hash: plan.plan_hash, address: r.address, at: now().toISOString() };
    if (r.id) e.id = r.id;
    appendFileSync(path, `${JSON.stringify(e)}\n`, { mode: 0o600 });
  };
}

function compact(path: string, now: Date): void {
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    return;
  }
  if (size <= MAX_BYTES) return;
  const keep = readEntries(path).filter((e) => now.getTime() - Date.parse(e.at) < KEEP_MS);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, keep.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600 });
  renameSync(tmp, path);
}
