// `claude-reconcile import`: writes a desired-state file from the live organization such that planning it right
// away makes no change. This is how an organization adopts the tool (issue 5, item 3). Credentials come from the
// same environment variables as `plan`; nothing secret and no base URL is written.

import { isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import { DEFAULTS } from '../../config/normalize.js';
import { UsageError } from '../../errors.js';
import { buildImport, type ImportSummary } from '../../import/build.js';
import { readForImport } from '../../import/read.js';
import type { OrgKind, Provisioning } from '../../model/desired.js';
import { hasInvisible, visible } from '../../render/visible.js';
import { EXIT, type CliIO } from '../io.js';
import { checkOutputTarget, writeOutputFile } from '../plan-file.js';
import { IMPORTER, plan } from '../../planner/index.js';
import { openSession } from '../session.js';
import { VERSION } from '../version.js';

export interface ImportFlags {
  output?: string;
  force?: boolean;
  kind?: OrgKind;
  provisioning: Provisioning;
  orgId?: string;
}

export const IMPORT_HELP_AFTER =
  '\nThe organization kind is in no API response. Without --kind it is detected: the console-only workspaces\n' +
  'listing answers for a console organization and is refused (404 or 403) for an enterprise one.\n' +
  'How members join (provisioning) cannot be read from the API either: --provisioning says it (default invite).\n' +
  'With --provisioning scim, the SCIM directory (CLAUDE_SCIM_URL, CLAUDE_SCIM_TOKEN) must be readable; on an\n' +
  'enterprise organization it is read whenever configured, for scim.groups.\n\n' +
  'What is declared: every member with their role; pending invites as members; under provisioning scim, active SCIM\n' +
  'users not yet synced; every active workspace with its explicit members (console); every direct RBAC group with\n' +
  'its members, and the SCIM groups (enterprise). Anything whose declaration would make `plan` change the\n' +
  'organization (expired invites, deactivated SCIM users, names two groups share, …) is left out and listed in a\n' +
  'comment. Output is sorted, so importing again diffs cleanly.';

function summaryText(s: ImportSummary, name: string, where: string): string {
  const parts = [`${s.members} member${s.members === 1 ? '' : 's'}`];
  const detail = [
    s.invited > 0 ? `${s.invited} invited` : '',
    s.awaitingSync > 0 ? `${s.awaitingSync} awaiting the directory sync` : '',
  ].filter(Boolean);
  if (detail.length > 0) parts[0] += ` (${detail.join(', ')})`;
  if (s.workspaces > 0) parts.push(`${s.workspaces} workspace${s.workspaces === 1 ? '' : 's'}`);
  if (s.groups > 0) parts.push(`${s.groups} group${s.groups === 1 ? '' : 's'}`);
  if (s.scimGroups > 0) parts.push(`${s.scimGroups} SCIM group${s.scimGroups === 1 ? '' : 's'}`);
  const lines = [`Imported "${visible(name)}" to ${where}: ${parts.join(', ')}.`];
  if (s.notDeclared > 0) lines.push(`${s.notDeclared} not declared; the comments in the file say why.`);
  return `${lines.join('\n')}\n`;
}

/** What visible.ts makes visible, minus the tab and line break a YAML text is made of. */
const RAW_IN_YAML = /[\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/g;

/**
 * The imported file with no control, bidi or invisible character left raw (issue 12): a name from the API with a
 * bidi override or a C1 control would otherwise be written as it is (the yaml package escapes only C0 controls and
 * DEL), showing the reviewer of the file, or of the terminal it is printed on, something else than it holds, and a
 * raw C1 control would make the file unreadable by `validate`. Every scalar holding one is written double-quoted,
 * where `\uXXXX` escapes it (the value read back is the same); in comments it is written as visible.ts shows it.
 * A file without any (the usual case) is returned as built.
 */
export function visibleYaml(text: string): string {
  if (!hasInvisible(text.replace(/[\n\t]/g, ''))) return text;
  const doc = parseDocument(text);
  const comments = (c: string | null | undefined): string | undefined =>
    c ? c.split('\n').map((line) => visible(line)).join('\n') : undefined;
  doc.commentBefore = comments(doc.commentBefore) ?? null;
  doc.comment = comments(doc.comment) ?? null;
  visit(doc, (_key, node) => {
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) return;
    if (node.commentBefore) node.commentBefore = comments(node.commentBefore);
    if (node.comment) node.comment = comments(node.comment);
    if (isScalar(node) && typeof node.value === 'string' && hasInvisible(node.value)) node.type = 'QUOTE_DOUBLE';
  });
  const out = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return out.replace(RAW_IN_YAML, (ch) =>
    ch.length === 2 ? `\\U${ch.codePointAt(0)!.toString(16).padStart(8, '0')}` : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export async function importCommand(o: ImportFlags, io: CliIO): Promise<number> {
  // an existing file without --force, a directory, a device or a FIFO: refused before anything is read
  if (o.output !== undefined) checkOutputTarget(o.output, { replace: o.force ?? false });
  if (o.provisioning === 'scim' && o.kind === 'console') {
    throw new UsageError('--provisioning scim needs an enterprise organization; a console organization uses invite or jit');
  }
  const session = openSession({ ...DEFAULTS.credentials }, io);
  try {
    if (o.provisioning === 'scim' && !session.scimClient) {
      throw new UsageError(
        `--provisioning scim: the SCIM directory must be read to import who is provisioned; set ${DEFAULTS.credentials.scimUrlEnv} ` +
          `and ${DEFAULTS.credentials.scimTokenEnv}`,
      );
    }
    if (io.stdoutIsTTY && o.output !== undefined) io.stderr.write('Reading the live organization…\n');
    const src = await readForImport(
      { admin: session.admin, scim: session.scim, oauthMissing: session.oauthMissing, signal: io.interrupt },
      { kind: o.kind, provisioning: o.provisioning, expectOrgId: o.orgId },
    );
    if (io.interrupt.aborted) throw new UsageError('interrupted while reading; nothing was written');
    if (o.provisioning === 'scim' && src.kind === 'console') {
      throw new UsageError('--provisioning scim needs an enterprise organization, and this one is a console organization (detected); use invite or jit');
    }
    if (o.provisioning === 'scim' && !src.scim?.available) {
      throw new UsageError(`--provisioning scim: the SCIM directory could not be read: ${src.scim && !src.scim.available ? src.scim.reason : 'not configured'}`);
    }
    if (src.kind === 'enterprise' && src.scim && !src.scim.available && session.scimClient) {
      io.stderr.write(`warning: ${visible(src.scim.reason)}; no SCIM groups are declared\n`);
    }
    const built = buildImport(src, { now: io.now(), version: VERSION, plan, importer: IMPORTER });
    const text = visibleYaml(built.text);
    if (o.output === undefined) {
      io.stdout.write(text);
    } else {
      // Only a regular file, whole or not at all; without --force a file created since the check is kept.
      writeOutputFile(o.output, text, { replace: o.force ?? false, mode: 0o666 });
    }
    io.stderr.write(summaryText(built.summary, src.organization.name, o.output === undefined ? 'stdout' : visible(o.output)));
    if (o.output !== undefined) io.stderr.write(`Next: claude-reconcile plan -f ${visible(o.output)}   (it should show no changes)\n`);
    return EXIT.ok;
  } finally {
    await session.close();
  }
}
