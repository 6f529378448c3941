// One run against one organization: load the file, build the clients from the environment, read live state,
// plan. Shared by `plan` and `apply` so both see exactly the same plan for the same inputs.

import { randomUUID } from 'node:crypto';
import { AdminClient } from '../clients/admin.js';
import { ScimClient } from '../clients/scim.js';
import type { RateLimitWait } from '../clients/throttle.js';
import { readScim } from '../live/scim.js';
import { loadDesiredFile } from '../config/load.js';
import { UsageError } from '../errors.js';
import { LiveReader, type ScimReader } from '../live/read.js';
import type { Credentials, Desired } from '../model/desired.js';
import { hasErrors, type Diagnostic } from '../model/diagnostic.js';
import type { Plan } from '../model/plan.js';
import { archivedServiceAccountIds, plan, removedUserIds } from '../planner/index.js';
import { renderDiagnostics } from '../render/text.js';
import { visible } from '../render/visible.js';
import { adminCredentials, oauthToken, scimCredentials } from './credentials.js';
import { useColor, type CliIO } from './io.js';

/** The removal guards' overrides of one run (`--allow-removals N`, `--allow-mass-removal`). */
export interface GuardOverrides {
  allowRemovals?: number | undefined;
  allowMassRemoval?: boolean | undefined;
}

export interface Session {
  admin: AdminClient;
  /** reads the SCIM directory, or says why it cannot */
  scim: ScimReader;
  /** present when the SCIM URL and token are set */
  scimClient: ScimClient | undefined;
  /** why the service accounts cannot be read (the OAuth token's variable is not set); undefined when it is */
  oauthMissing: string | undefined;
  close(): Promise<void>;
}

/** Loads and validates the file; prints its diagnostics and returns undefined when it has errors. */
export async function loadValid(file: string, io: CliIO): Promise<{ desired?: Desired; diagnostics: Diagnostic[] }> {
  const { desired, diagnostics } = await loadDesiredFile(file);
  if (!desired || hasErrors(diagnostics)) {
    io.stderr.write(`${renderDiagnostics(diagnostics, { color: useColor(io), verbose: true })}\n`);
    io.stderr.write(`${visible(file)}: not valid; nothing was read or changed (run \`claude-reconcile validate -f ${visible(file)}\`)\n`);
    // the diagnostics go on to the pull-request comment (file:line: message), never the file's text
    return { diagnostics };
  }
  return { desired, diagnostics };
}

/** How often a long wait for the rate limit is told, at most. */
const NOTICE_EVERY_MS = 10_000;

/**
 * A long apply is never silent: a wait of 2 s or more for the rate limit is one line on stderr, how long and why,
 * at most one every 10 s (the concurrent requests of one wait would otherwise each say it).
 */
export function rateLimitNotice(io: CliIO): (w: RateLimitWait) => void {
  let last = -Infinity;
  return (w) => {
    const now = Date.now();
    if (now - last < NOTICE_EVERY_MS) return;
    last = now;
    io.stderr.write(`waiting ${(w.ms / 1000).toFixed(w.ms < 10_000 ? 1 : 0)} s ${w.why}\n`);
  };
}

/** Clients for one organization, from the environment variables the file (or the saved plan) names. */
export function openSession(names: Credentials, io: CliIO, opts: { onWait?: (w: RateLimitWait) => void } = {}): Session {
  const creds = adminCredentials(names, io.env);
  // the service-account endpoints take only an OAuth token (org:admin), sent as a bearer token on those routes alone
  const oauth = oauthToken(names, io.env);
  // apply's progress (cli/progress.ts) takes the waits over when there is one: in its line on a terminal
  const onWait = opts.onWait ?? rateLimitNotice(io);
  const admin = new AdminClient({
    ...io.clientOptions,
    throttle: { ...io.clientOptions?.throttle, onWait },
    baseUrl: creds.baseUrl,
    credential: { kind: 'x-api-key', value: creds.adminKey },
    oauthToken: 'token' in oauth ? oauth.token : undefined,
  });
  const scimCreds = scimCredentials(names, io.env);
  const scimClient = 'missing' in scimCreds
    ? undefined
    : new ScimClient({ ...io.clientOptions, throttle: { ...io.clientOptions?.throttle, onWait }, baseUrl: scimCreds.url, token: scimCreds.token, pageSize: 1000 });
  const scim: ScimReader = async () =>
    scimClient
      ? readScim(scimClient, io.interrupt)
      : { available: false, reason: `the SCIM directory is not configured (${'missing' in scimCreds ? scimCreds.missing : ''})` };
  return {
    admin,
    scim,
    scimClient,
    oauthMissing: 'missing' in oauth ? oauth.missing : undefined,
    close: async () => {
      await Promise.all([admin.close(), scimClient?.close()]);
    },
  };
}

export async function makePlan(
  session: Session,
  desired: Desired,
  configDiagnostics: Diagnostic[],
  io: CliIO,
  opts: GuardOverrides,
): Promise<Plan> {
  const started = Date.now();
  if (io.stdoutIsTTY) io.stderr.write('Reading the live organization…\n');
  const reader = new LiveReader({ admin: session.admin, scim: session.scim, oauthMissing: session.oauthMissing, signal: io.interrupt });
  const live = await reader.read({ managed: desired });
  if (io.interrupt.aborted) throw new UsageError('interrupted while reading; nothing was changed');
  let p = plan(desired, live, { now: io.now(), allowRemovals: opts.allowRemovals, allowMassRemoval: opts.allowMassRemoval });
  if (desired.organization.kind === 'console' && (removedUserIds(p.changes).length > 0 || archivedServiceAccountIds(p.changes).length > 0)) {
    // Offboarding: the keys of the people this plan removes (and of the service accounts it archives) are read only
    // when someone is removed (issue 3) or archived (issue 17).
    live.apiKeys = await reader.listings.activeApiKeys();
    p = plan(desired, live, { now: io.now(), allowRemovals: opts.allowRemovals, allowMassRemoval: opts.allowMassRemoval });
  }
  p.diagnostics = [...configDiagnostics, ...p.diagnostics];
  // not in the hash: the journal of applied saved plans tells two plans of the same hash apart by these
  p.plan_id = randomUUID();
  p.created_at = io.now().toISOString();
  if (io.stdoutIsTTY) {
    io.stderr.write(
      `Read ${live.users.length} members and ${live.invites.length} open invites in ${((Date.now() - started) / 1000).toFixed(1)}s.\n\n`,
    );
  }
  return p;
}
