// Cross-checks of workspaces, RBAC groups and SCIM groups: names, renames, limits, and that every email in a
// membership is a declared member.

import { address } from '../model/address.js';
import { visible } from '../model/char-name.js';
import type {
  DepartedEntry,
  Desired,
  DesiredGroup,
  DesiredMember,
  DesiredScimGroup,
  DesiredWorkspace,
  SourcePos,
} from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { CONFIG_CODES } from './codes.js';
import { diagAt, duplicateEmails, repeated, type Keyed } from './crossref-common.js';
import type { SourceFacts } from './normalize.js';
import { formatPath } from './path-format.js';

/** API reference §7.1 and §7.3: workspace names are 1-40 characters, at most 100 non-archived workspaces. */
export const WORKSPACE_NAME_MAX = 40;
export const MAX_ACTIVE_WORKSPACES = 100;
/** API reference §11.1: RBAC group names are 1-255 characters (and not unique in the API). */
export const GROUP_NAME_MAX = 255;

export interface People {
  members: ReadonlyMap<string, DesiredMember>;
  departed: ReadonlyMap<string, DepartedEntry>;
}

type Named = { name: string; renamedFrom?: string; pos?: SourcePos };

interface CollectionKind {
  /** `workspaces`, `groups`, `scim.groups`: the path prefix in messages */
  section: readonly string[];
  noun: string;
  maxName: number;
  resource: 'workspace' | 'group' | 'scim_group';
}

const isDefaultName = (name: string): boolean => name.trim().toLowerCase() === 'default';

/** Names: length, duplicates by case, and `renamed_from` pointing at another declared entry. */
function checkNames(items: readonly Named[], k: CollectionKind, facts: SourceFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const where = (n: Named): string => formatPath([...k.section, n.name]);
  for (const it of items) {
    const len = [...it.name].length;
    if (len === 0 || it.name.trim() === '' || len > k.maxName) {
      out.push(diagAt('error', CONFIG_CODES.invalidName,
        `${where(it)}: a ${k.noun} name must be 1 to ${k.maxName} characters (this one has ${len})`,
        it.pos, address(k.resource, it.name)));
    }
  }
  const byName = repeated(items.map((it) => ({ key: it.name.toLowerCase(), it })));
  for (const group of byName) {
    group.forEach(({ it }, i) => {
      const other = group[i === 0 ? 1 : 0]!.it;
      out.push(diagAt('error', CONFIG_CODES.duplicateName,
        `${where(it)}: the same ${k.noun} as ${visible(other.name)} on line ${other.pos?.line ?? '?'} ` +
        '(names are compared without regard to case)', it.pos, address(k.resource, it.name)));
    });
  }

  const declared = new Map(items.map((it) => [it.name.toLowerCase(), it] as const));
  const renames: { key: string; it: Named }[] = [];
  for (const it of items) {
    if (it.renamedFrom === undefined) continue;
    const pos = facts.fields.get(it)?.renamed_from ?? it.pos;
    const from = it.renamedFrom.toLowerCase();
    renames.push({ key: from, it });
    const target = declared.get(from);
    if (target === it) {
      out.push(diagAt('error', CONFIG_CODES.renameConflict,
        `${where(it)}.renamed_from: names the ${k.noun} itself; remove renamed_from once the rename is done`, pos,
        address(k.resource, it.name)));
    } else if (target) {
      out.push(diagAt('error', CONFIG_CODES.renameConflict,
        `${where(it)}.renamed_from: ${visible(it.renamedFrom)} is itself declared (line ` +
        `${target.pos?.line ?? '?'}); a ${k.noun} cannot be renamed to a name that is still declared`, pos,
        address(k.resource, it.name)));
    }
  }
  for (const group of repeated(renames)) {
    group.forEach(({ it }, i) => {
      const other = group[i === 0 ? 1 : 0]!.it;
      out.push(diagAt('error', CONFIG_CODES.renameConflict,
        `${where(it)}.renamed_from: ${visible(other.name)} (line ${other.pos?.line ?? '?'}) is renamed from ` +
        'the same name', facts.fields.get(it)?.renamed_from ?? it.pos, address(k.resource, it.name)));
    });
  }
  return out;
}

/** Every email of a membership must be a declared member; a departed one gets its own message. */
function checkMembership(
  entries: readonly Keyed[],
  where: (e: Keyed) => string,
  inList: boolean,
  people: People,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of entries) {
    if (people.members.has(e.key)) continue;
    const subject = inList ? `${where(e)}: ${visible(e.email)} is` : `${where(e)}: is`;
    const gone = people.departed.get(e.key);
    const message = gone
      ? `${subject} listed under departed (line ${gone.pos?.line ?? '?'}); remove it here`
      : `${subject} not declared under members; only declared members can be listed here`;
    out.push(diagAt('error', CONFIG_CODES.notAMember, message, e.pos));
  }
  return out;
}

export function checkWorkspaces(
  workspaces: readonly DesiredWorkspace[],
  facts: SourceFacts,
  people: People,
): Diagnostic[] {
  const kind: CollectionKind = { section: ['workspaces'], noun: 'workspace', maxName: WORKSPACE_NAME_MAX, resource: 'workspace' };
  const out = checkNames(workspaces, kind, facts);
  for (const w of workspaces) {
    const where = formatPath(['workspaces', w.name]);
    if (isDefaultName(w.name)) {
      out.push(diagAt('error', CONFIG_CODES.defaultWorkspace,
        `${where}: the Default Workspace cannot be declared (it cannot be renamed, archived or given members)`,
        w.pos, address('workspace', w.name)));
    }
    if (w.renamedFrom !== undefined && isDefaultName(w.renamedFrom)) {
      out.push(diagAt('error', CONFIG_CODES.defaultWorkspace,
        `${where}.renamed_from: the Default Workspace cannot be renamed`,
        facts.fields.get(w)?.renamed_from ?? w.pos, address('workspace', w.name)));
    }
    const membersPos = facts.fields.get(w)?.members;
    if (w.archived && membersPos) {
      out.push(diagAt('warning', CONFIG_CODES.archivedWithMembers,
        `${where}.members: ignored, because the workspace is archived`, membersPos, address('workspace', w.name)));
    }
    if (w.members) {
      const at = (e: Keyed): string => formatPath(['workspaces', w.name, 'members', e.email]);
      out.push(...duplicateEmails(w.members, at));
      if (facts.membersReadable) out.push(...checkMembership(w.members, at, false, people));
    }
  }
  const active = workspaces.filter((w) => !w.archived).length;
  if (active > MAX_ACTIVE_WORKSPACES) {
    out.push(diagAt('error', CONFIG_CODES.tooManyWorkspaces,
      `workspaces: ${active} workspaces are not archived; an organization can have at most ${MAX_ACTIVE_WORKSPACES}`,
      facts.sections.workspaces));
  }
  return out;
}

export function checkGroups(
  groups: readonly (DesiredGroup | DesiredScimGroup)[],
  scim: boolean,
  facts: SourceFacts,
  people: People,
): Diagnostic[] {
  const kind: CollectionKind = scim
    ? { section: ['scim', 'groups'], noun: 'SCIM group', maxName: GROUP_NAME_MAX, resource: 'scim_group' }
    : { section: ['groups'], noun: 'group', maxName: GROUP_NAME_MAX, resource: 'group' };
  const out = checkNames(groups, kind, facts);
  for (const g of groups) {
    const where = formatPath([...kind.section, g.name]);
    const membersPos = facts.fields.get(g)?.members;
    if (g.delete && membersPos) {
      out.push(diagAt('error', CONFIG_CODES.deleteWithMembers,
        `${where}.members: a ${kind.noun} marked delete: true cannot list members; remove one or the other`,
        membersPos, address(kind.resource, g.name)));
    }
    if (g.members) {
      out.push(...duplicateEmails(g.members, () => `${where}.members`, true));
      if (facts.membersReadable) out.push(...checkMembership(g.members, () => `${where}.members`, true, people));
    }
  }
  return out;
}

/** A service account's membership of a workspace the file archives cannot be kept: the archive ends it. */
export function checkServiceAccountWorkspaces(desired: Desired): Diagnostic[] {
  const archived = new Set(desired.workspaces.filter((w) => w.archived).map((w) => w.name));
  const out: Diagnostic[] = [];
  for (const a of desired.serviceAccounts) {
    for (const m of a.workspaces ?? []) {
      if (!archived.has(m.workspace)) continue;
      out.push(diagAt('error', CONFIG_CODES.notAMember,
        `${formatPath(['service_accounts', a.name, 'workspaces', m.workspace])}: the workspace is declared archived; ` +
        'an archived workspace has no members', m.pos, address('service_account_workspace', `${a.name}/${m.workspace}`)));
    }
  }
  return out;
}
