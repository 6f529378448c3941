// What `import` reads: everything the organization holds (the live reader, scope `everything`: live/read.ts), with
// the facts no response carries — how the org kind was decided, and the provisioning mode the caller gives.

import { LiveReader, type LiveSources } from '../live/read.js';
import type { OrgKind, Provisioning } from '../model/desired.js';
import type { ImportSource } from './source.js';

export type ImportSources = LiveSources;

export interface ImportReadOptions {
  /** undefined: detect it (live/read.ts detectKind: the console-only workspaces listing answers or is refused) */
  kind?: OrgKind | undefined;
  provisioning: Provisioning;
  /** stop before reading anything else unless the key belongs to this organization */
  expectOrgId?: string | undefined;
}

export async function readForImport(sources: ImportSources, opts: ImportReadOptions): Promise<ImportSource> {
  const { live, kind } = await new LiveReader(sources).read({ everything: true, kind: opts.kind, expectOrgId: opts.expectOrgId });
  return { ...live, kind, kindSource: opts.kind === undefined ? 'detected' : 'flag', provisioning: opts.provisioning };
}
