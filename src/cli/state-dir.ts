// Where the CLI keeps what must outlive one run on this machine: the per-organization apply locks and the journal
// of applied saved plans. `CLAUDE_RECONCILE_STATE_DIR` names it (tests point it at their own temporary folder);
// otherwise `$XDG_STATE_HOME/claude-reconcile`, by default `~/.local/state/claude-reconcile`. Nothing in it is
// secret: organization ids, plan ids, addresses, remote ids, process ids.

import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { UsageError } from '../errors.js';

export const STATE_DIR_ENV = 'CLAUDE_RECONCILE_STATE_DIR';

export function stateDir(env: Record<string, string | undefined>): string {
  const explicit = env[STATE_DIR_ENV]?.trim();
  if (explicit) {
    if (!isAbsolute(explicit)) throw new UsageError(`${STATE_DIR_ENV} must be an absolute path`);
    return explicit;
  }
  const xdg = env.XDG_STATE_HOME?.trim();
  return join(xdg && isAbsolute(xdg) ? xdg : join(env.HOME?.trim() || homedir(), '.local', 'state'), 'claude-reconcile');
}

/** A subfolder of the state directory, created (owner-only) when missing. */
export function stateSubdir(env: Record<string, string | undefined>, name: string): string {
  const dir = join(stateDir(env), name);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new UsageError(`cannot create the state folder ${dir} (${(err as NodeJS.ErrnoException).code ?? 'error'}); set ${STATE_DIR_ENV} to a writable folder`);
  }
  return dir;
}

/** Organization ids are UUIDs; anything else is made safe for a file name. */
export function fileNameFor(orgId: string): string {
  return orgId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100) || '_';
}
