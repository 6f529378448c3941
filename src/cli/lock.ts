// One apply per organization at a time on this machine (issue 12): two applies of one organization interleaving
// created two workspaces and two RBAC groups with the same name. `apply` takes a lock keyed by organization id
// before it reads anything and holds it until it has applied; a second apply meanwhile stops at once with a
// message naming the run that holds it. Across machines the pipeline's `concurrency` group is the lock (README).
//
// The lock is a file holding the holder's pid, host, start time and command, created whole and exclusively (written
// beside it, then hard-linked to its name: link() refuses an existing name as O_EXCL does). A lock
// left by a process that no longer runs on this host (kill -9, a crash) is taken over; one from another host, or
// an unreadable one younger than a minute, is not. Taking over compares the file with what was read before
// removing it, so two runs that both find the same dead lock cannot both remove a live one (only one create wins).

import { randomUUID } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { fileNameFor, stateSubdir } from './state-dir.js';

interface Holder {
  pid: number;
  host: string;
  started_at: string;
  command: string;
  token: string;
}

export interface OrgLock {
  readonly path: string;
  release(): void;
}

/** A held lock's file that cannot be parsed is treated as abandoned after this long (its writer died mid-write). */
const UNREADABLE_GRACE_MS = 60_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): { raw: string; holder?: Holder } | undefined {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const h = JSON.parse(raw) as Partial<Holder>;
    if (typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.started_at === 'string' && typeof h.token === 'string') {
      return { raw, holder: { pid: h.pid, host: h.host, started_at: h.started_at, command: typeof h.command === 'string' ? h.command : '', token: h.token } };
    }
  } catch {
    // fall through: unreadable
  }
  return { raw };
}

function abandoned(path: string, found: { raw: string; holder?: Holder }): boolean {
  const h = found.holder;
  if (h) return h.host === hostname() && !alive(h.pid);
  try {
    return Date.now() - statSync(path).mtimeMs > UNREADABLE_GRACE_MS;
  } catch {
    return true;
  }
}

function describeHolder(h: Holder | undefined): string {
  if (!h) return 'a run whose lock file cannot be read';
  const self = h.pid === process.pid && h.host === hostname() ? ', this very process' : '';
  return `pid ${h.pid} on ${h.host}${self}, started ${h.started_at}${h.command ? ` (${h.command})` : ''}`;
}

/**
 * Takes the lock of one organization or throws a UsageError naming the run that holds it. `command` says what
 * this run is (`apply -f orgs/`), for the message another run will print.
 */
export function lockOrganization(env: Record<string, string | undefined>, orgId: string, command: string): OrgLock {
  const path = join(stateSubdir(env, 'locks'), `${fileNameFor(orgId)}.lock`);
  const me: Holder = { pid: process.pid, host: hostname(), started_at: new Date().toISOString(), command, token: randomUUID() };
  // The holder is written to a file of its own first and then linked to the lock's name: link() fails with EEXIST
  // like O_EXCL does, and a run that finds the lock always reads it whole (with O_EXCL and a write after it, a run
  // arriving in between read an empty file and could not say who held it).
  const staged = `${path}.${me.token}.tmp`;
  let fd: number;
  try {
    fd = openSync(staged, 'wx', 0o600);
  } catch (err) {
    throw new UsageError(`cannot create the apply lock ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    return takeLock(path, staged, me, orgId);
  } finally {
    try {
      unlinkSync(staged);
    } catch {
      // already gone
    }
  }
}

function takeLock(path: string, staged: string, me: Holder, orgId: string): OrgLock {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      linkSync(staged, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new UsageError(`cannot create the apply lock ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      const found = readHolder(path);
      if (!found) continue; // released meanwhile: try again
      if (!abandoned(path, found)) {
        throw new UsageError(
          `another apply of organization ${orgId} is running: ${describeHolder(found.holder)}. Two applies of one ` +
            `organization must not interleave; wait for it to finish and run again (its lock is ${path}; delete it only ` +
            'if you are sure that run is gone)',
        );
      }
      // Abandoned: remove it only if it is still the very file judged abandoned.
      const again = readHolder(path);
      if (again && again.raw === found.raw) {
        try {
          unlinkSync(path);
        } catch {
          // someone else removed it first: the next attempt decides
        }
      }
      continue;
    }
    return {
      path,
      release() {
        const now = readHolder(path);
        if (now?.holder?.token === me.token) {
          try {
            unlinkSync(path);
          } catch {
            // already gone
          }
        }
      },
    };
  }
  throw new UsageError(`could not take the apply lock ${path} after 3 attempts; another run keeps taking it`);
}

/** Locks several organizations (sorted, each once); on any refusal the ones taken are released again. */
export function lockOrganizations(env: Record<string, string | undefined>, orgIds: readonly string[], command: string): OrgLock {
  const taken: OrgLock[] = [];
  try {
    for (const id of [...new Set(orgIds)].sort()) taken.push(lockOrganization(env, id, command));
  } catch (err) {
    for (const l of [...taken].reverse()) l.release();
    throw err;
  }
  return {
    path: taken.map((l) => l.path).join(', '),
    release() {
      for (const l of [...taken].reverse()) l.release();
    },
  };
}
