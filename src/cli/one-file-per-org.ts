// One organization, one file (issue 12): two files of one `-f` directory with the same organization.id both
// validated and both applied, and `prune` in one removed the people the other declared. Every file that shares
// its organization id with another gets an error naming all of them, and none of them is planned or applied.

import type { Desired } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';

export function duplicateOrganizations(loaded: ReadonlyArray<{ file: string; desired: Desired }>): Map<string, Diagnostic> {
  const byOrg = new Map<string, Array<{ file: string; desired: Desired }>>();
  for (const x of loaded) {
    const id = x.desired.organization.id.toLowerCase();
    const list = byOrg.get(id);
    if (list) list.push(x);
    else byOrg.set(id, [x]);
  }
  const out = new Map<string, Diagnostic>();
  for (const [id, list] of byOrg) {
    if (list.length < 2) continue;
    for (const x of list) {
      const others = list.filter((y) => y !== x).map((y) => `${y.file}${y.desired.organization.pos ? `:${y.desired.organization.pos.line}` : ''}`);
      const pos = x.desired.organization.pos;
      out.set(x.file, {
        severity: 'error',
        code: 'duplicate_organization',
        message: `organization ${id} is also declared by ${others.join(', ')}: one organization is declared by one file, ` +
          'or each would undo the other (prune in one removes the people the other declares). Merge them into one file.',
        file: x.file,
        line: pos?.line ?? 1,
        column: pos?.column ?? 1,
      });
    }
  }
  return out;
}
