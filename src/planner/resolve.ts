// Which live object a declared container (workspace, RBAC group) is, by its name or its `renamed_from`. Names are not
// unique in the API, so two live objects with one name, or both the name and the old name present, are errors the
// file cannot settle: the change is not planned and a person resolves it.

import { address } from '../model/address.js';
import type { SourcePos } from '../model/desired.js';
import { diag } from './changes.js';
import type { PlanContext } from './context.js';

export interface Resolved<T> {
  /** the live object with the declared name */
  live?: T;
  /** the live object with the `renamed_from` name: renamed by the plan */
  renameFrom?: T;
}

/** How the errors speak of the kind: `active workspaces` / `the console`; `RBAC groups` / `claude.ai`. */
export interface ResolveWords {
  plural: string;
  /** where a person renames one */
  where: string;
  /** what to do when two carry the declared name */
  fixMany: string;
}

/**
 * The live object a declaration is; undefined (with an `ambiguous_<kind>` error) when it cannot be told.
 * `named(n)`: the live candidates named `n`.
 */
export function resolveDeclared<T extends { id: string }>(
  ctx: PlanContext,
  kind: 'workspace' | 'group',
  item: { name: string; renamedFrom?: string | undefined; pos?: SourcePos | undefined },
  named: (name: string) => T[],
  words: ResolveWords,
): Resolved<T> | undefined {
  const error = (message: string): undefined => {
    ctx.diagnostics.push(diag('error', `ambiguous_${kind}`, message, { address: address(kind, item.name), pos: item.pos }));
    return undefined;
  };
  const current = named(item.name);
  if (current.length > 1) {
    return error(`${current.length} ${words.plural} are named "${item.name}" (${current.map((x) => x.id).join(', ')}); ${words.fixMany}`);
  }
  if (current.length === 1) {
    if (item.renamedFrom && named(item.renamedFrom).length > 0) {
      return error(`both "${item.name}" and "${item.renamedFrom}" (renamed_from) exist; remove renamed_from or resolve it in ${words.where}`);
    }
    return { live: current[0]! };
  }
  if (item.renamedFrom) {
    const old = named(item.renamedFrom);
    if (old.length > 1) return error(`${old.length} ${words.plural} are named "${item.renamedFrom}" (renamed_from)`);
    if (old.length === 1) return { renameFrom: old[0]! };
  }
  return {};
}
