import { loadDesiredFile, type LoadResult } from '../../config/load.js';
import { duplicateOrganizations } from '../one-file-per-org.js';
import { hasErrors } from '../../model/diagnostic.js';
import { renderDiagnostics } from '../../render/text.js';
import { visible } from '../../render/visible.js';
import { EXIT, useColor, type CliIO } from '../io.js';
import { desiredFiles } from '../targets.js';

/** Validates one file, or every file of a directory; never needs credentials. */
export async function validateCommand(o: { file: string }, io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const results: Array<{ file: string } & LoadResult> = [];
  for (const file of desiredFiles(o.file)) results.push({ file, ...(await loadDesiredFile(file)) });
  const dup = duplicateOrganizations(results.flatMap((r) => (r.desired ? [{ file: r.file, desired: r.desired }] : [])));
  for (const { file, desired, diagnostics: own } of results) {
    const d = dup.get(file);
    const diagnostics = d ? [...own, d] : own;
    const text = renderDiagnostics(diagnostics, { color: useColor(io), verbose: true });
    if (text) io.stderr.write(`${text}\n`);
    if (!desired || hasErrors(diagnostics)) {
      const n = diagnostics.filter((d) => d.severity === 'error').length;
      io.stderr.write(`${visible(file)}: ${n} error${n === 1 ? '' : 's'}\n`);
      code = EXIT.error;
      continue;
    }
    io.stdout.write(
      `${visible(file)} is valid: ${desired.organization.kind} organization ${visible(desired.organization.id)}, ` +
        `${desired.members.length} members, ${desired.departed.length} departed` +
        (desired.workspaces.length ? `, ${desired.workspaces.length} workspaces` : '') +
        (desired.groups.length ? `, ${desired.groups.length} groups` : '') +
        (desired.scim.groups.length ? `, ${desired.scim.groups.length} SCIM groups` : '') +
        '\n',
    );
  }
  return code;
}
