import { loadDesiredFile } from '../../config/load.js';
import { hasErrors } from '../../model/diagnostic.js';
import { renderDiagnostics } from '../../render/text.js';
import { EXIT, useColor, type CliIO } from '../io.js';

export async function validateCommand(o: { file: string }, io: CliIO): Promise<number> {
  const { desired, diagnostics } = await loadDesiredFile(o.file);
  const text = renderDiagnostics(diagnostics, { color: useColor(io), verbose: true });
  if (text) io.stderr.write(`${text}\n`);
  if (!desired || hasErrors(diagnostics)) {
    const n = diagnostics.filter((d) => d.severity === 'error').length;
    io.stderr.write(`${o.file}: ${n} error${n === 1 ? '' : 's'}\n`);
    return EXIT.error;
  }
  io.stdout.write(
    `${o.file} is valid: ${desired.organization.kind} organization ${desired.organization.id}, ` +
      `${desired.members.length} members, ${desired.departed.length} departed` +
      (desired.workspaces.length ? `, ${desired.workspaces.length} workspaces` : '') +
      (desired.groups.length ? `, ${desired.groups.length} groups` : '') +
      (desired.scim.groups.length ? `, ${desired.scim.groups.length} SCIM groups` : '') +
      '\n',
  );
  return EXIT.ok;
}
