// One run against one organization: load the file, build the clients from the environment, read live state,
// plan. Shared by `plan` and `apply` so both see exactly the same plan for the same inputs.

import { AdminClient } from '../clients/admin.js';
import { loadDesiredFile } from '../config/load.js';
import { UsageError } from '../errors.js';
import { readLive, type ScimReader } from '../live/read.js';
import type { Desired } from '../model/desired.js';
import { hasErrors, type Diagnostic } from '../model/diagnostic.js';
import type { Plan } from '../model/plan.js';
import { plan } from '../planner/index.js';
import { renderDiagnostics } from '../render/text.js';
import { adminCredentials, scimCredentials } from './credentials.js';
import { useColor, type CliIO } from './io.js';

export interface Session {
  desired: Desired;
  admin: AdminClient;
  /** reads the SCIM directory, or says why it cannot */
  scim: ScimReader;
  close(): Promise<void>;
}

/** Loads and validates the file; prints its diagnostics and returns undefined when it has errors. */
export async function loadValid(file: string, io: CliIO): Promise<{ desired: Desired; diagnostics: Diagnostic[] } | undefined> {
  const { desired, diagnostics } = await loadDesiredFile(file);
  if (!desired || hasErrors(diagnostics)) {
    io.stderr.write(`${renderDiagnostics(diagnostics, { color: useColor(io), verbose: true })}\n`);
    io.stderr.write(`${file}: not valid; nothing was read or changed (run \`claude-reconcile validate -f ${file}\`)\n`);
    return undefined;
  }
  return { desired, diagnostics };
}

export function openSession(desired: Desired, io: CliIO): Session {
  const creds = adminCredentials(desired, io.env);
  const admin = new AdminClient({
    ...io.clientOptions,
    baseUrl: creds.baseUrl,
    credential: { kind: 'x-api-key', value: creds.adminKey },
  });
  const scimCreds = scimCredentials(desired, io.env);
  const scim: ScimReader = async () =>
    'missing' in scimCreds
      ? { available: false, reason: `the SCIM directory is not configured (${scimCreds.missing})` }
      : { available: false, reason: 'this version cannot read a SCIM directory yet' };
  return {
    desired,
    admin,
    scim,
    close: async () => {
      await admin.close();
    },
  };
}

export async function makePlan(
  session: Session,
  configDiagnostics: Diagnostic[],
  io: CliIO,
  opts: { allowRemovals?: number | undefined },
): Promise<Plan> {
  const started = Date.now();
  if (io.stdoutIsTTY) io.stderr.write('Reading the live organization…\n');
  const live = await readLive(session.desired, { admin: session.admin, scim: session.scim, signal: io.interrupt });
  if (io.interrupt.aborted) throw new UsageError('interrupted while reading; nothing was changed');
  const p = plan(session.desired, live, { now: io.now(), allowRemovals: opts.allowRemovals });
  p.diagnostics = [...configDiagnostics, ...p.diagnostics];
  if (io.stdoutIsTTY) {
    io.stderr.write(
      `Read ${live.users.length} members and ${live.invites.length} open invites in ${((Date.now() - started) / 1000).toFixed(1)}s.\n\n`,
    );
  }
  return p;
}
