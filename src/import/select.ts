// Decides what an imported file declares. Pure: live data, the clock and what the planner said in, plain entries
// and comment lines out. Two kinds of rule, and only two:
//
// - what the org holds, and what the file format can say (a valid address, a declarable role, a name the schema
//   takes, one identity per name): the candidates, each written as import writes it;
// - whatever the planner would change is left out: build.ts writes the candidate file, plans it against the same
//   live state, and records here (LeftOut) every declaration whose address the plan changes; the next draft leaves
//   it out with why. No planner rule is restated here.
//
// Contract: desired-state.md; API facts cited by section of anthropic-admin-api.md.

import { address, emailKey } from '../model/address.js';
import type { KindTable, ResourceKind } from '../model/kinds.js';
import { declarableRoles, KEEP_ONLY_ROLES } from '../model/roles.js';
import type { LiveInvite, LiveScimGroup, LiveScimUser, LiveUser } from '../model/live.js';
import type { Change, Plan } from '../model/plan.js';
import type { ImportSource } from './source.js';

export interface ImportedMember {
  email: string;
  key: string;
  role: string;
  /** written only when the member needs the mapping form (a SCIM name) */
  name?: string;
  /** a trailing comment: `invited, expires …`, `SCIM user, …` */
  note?: string;
  invited: boolean;
  awaitingSync: boolean;
  /** how the person is named in a note if the planner would change their declaration */
  subject: string;
}

export interface ImportedWorkspace {
  name: string;
  displayColor?: string;
  /** undefined: membership left unmanaged (see notes) */
  members?: Array<{ email: string; role: string }>;
  /** comment lines written above the workspace */
  notes: string[];
}

export interface ImportedGroup {
  name: string;
  externalId?: string;
  /** undefined: membership left unmanaged (see notes) */
  members?: string[];
  notes: string[];
}

export interface ImportedServiceAccount {
  name: string;
  role: string;
  description?: string;
  /** undefined: memberships left unmanaged (see notes) */
  workspaces?: Array<{ workspace: string; role: string }>;
  notes: string[];
}

export interface ImportSelection {
  members: ImportedMember[];
  /** people not declared, and why (a comment block after members) */
  notDeclared: string[];
  workspaces: ImportedWorkspace[];
  /** workspaces not declared, and why */
  workspaceNotes: string[];
  groups: ImportedGroup[];
  groupNotes: string[];
  /** RBAC groups pushed by the identity provider (source scim): never declared under `groups` */
  directoryGroups: string[];
  /** undefined: no `scim` section (console, or the directory was not read) */
  scimGroups?: ImportedGroup[];
  scimNotes: string[];
  /** undefined: no `service_accounts` section (enterprise, or none could be read) */
  serviceAccounts?: ImportedServiceAccount[];
  serviceAccountNotes: string[];
  /** parts of the organization that could not be read, and why */
  unread: string[];
  /** workspaces and groups left out (each explained in a note) */
  skippedContainers: number;
}

/** The schema's email pattern (definitions.email): anything else cannot be a key of `members`. */
const EMAIL = /^\s*[^\s@]+@[^\s@]+\.[^\s@]+\s*$/;
/** Schema definitions.workspaceRole: workspace_billing is inherited, never assignable (§3.2). */
const WORKSPACE_ROLES = new Set(['workspace_admin', 'workspace_developer', 'workspace_restricted_developer', 'workspace_user']);
const COLOR = /^#[0-9A-Fa-f]{6}$/;
/** §7.1 and §11.1 name lengths, as the config checks them (crossref-collections.ts). */
const WORKSPACE_NAME_MAX = 40;
const GROUP_NAME_MAX = 255;

/** Code-point order: the same on every machine and locale, so a re-import diffs cleanly. */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byEmail<T extends { email: string }>(a: T, b: T): number {
  return byText(emailKey(a.email), emailKey(b.email)) || byText(a.email, b.email);
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function nameOk(name: string, max: number): boolean {
  const len = [...name].length;
  return name.trim() !== '' && len <= max;
}

function scimName(s: LiveScimUser): string | undefined {
  const n = [s.givenName, s.familyName].filter((p): p is string => typeof p === 'string' && p.trim() !== '').join(' ').trim();
  return n === '' ? undefined : n;
}

function groupBy<T>(items: readonly T[], by: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = by(it);
    const list = out.get(k);
    if (list) list.push(it);
    else out.set(k, [it]);
  }
  return out;
}

/** A workspace or group left out of the file, with why. */
function skip(sel: ImportSelection, notes: string[], why: string): void {
  notes.push(why);
  sel.skippedContainers += 1;
}

/** Names that two entries share, compared as the config compares them (without case). */
function sharedNames(names: readonly string[]): Set<string> {
  const seen = new Map<string, number>();
  for (const n of names) seen.set(n.toLowerCase(), (seen.get(n.toLowerCase()) ?? 0) + 1);
  return new Set([...seen].filter(([, c]) => c > 1).map(([n]) => n));
}

/**
 * What the planner said it would change, from the plans of earlier drafts: each entry is left out of the next draft,
 * with why. Entries are only added, so drafting again ends.
 */
export class LeftOut {
  /** people, by email key: the note that says why */
  readonly #people = new Map<string, string>();
  /** workspaces and groups, by address: why they are left out */
  readonly #containers = new Map<string, string>();
  /** workspaces and groups whose membership is left unmanaged, by address: why */
  readonly #memberships = new Map<string, string[]>();

  get size(): number {
    return this.#people.size + this.#containers.size + this.#memberships.size;
  }

  /** Whether this person is left out (the note is added to `notes`). */
  noted(key: string, notes: string[]): boolean {
    const why = this.#people.get(key);
    if (why !== undefined) notes.push(why);
    return why !== undefined;
  }

  container(kind: ResourceKind, name: string): string | undefined {
    return this.#containers.get(address(kind, name));
  }

  memberships(kind: ResourceKind, name: string): readonly string[] {
    return this.#memberships.get(address(kind, name)) ?? [];
  }

  /**
   * Records every declaration of `sel` the plan changes (any action but `deferred`: waiting for a sign-in or the
   * directory sync is what the organization is already doing). True when something new was recorded.
   */
  record(p: Plan, sel: ImportSelection): boolean {
    const size = this.size;
    const people = new Map(sel.members.map((m) => [m.key, m]));
    const names: Record<ContainerKind, string[]> = {
      workspace: sel.workspaces.map((w) => w.name),
      group: sel.groups.map((g) => g.name),
      scim_group: (sel.scimGroups ?? []).map((g) => g.name),
      service_account: (sel.serviceAccounts ?? []).map((a) => a.name),
    };
    for (const c of p.changes) {
      if (c.action === 'deferred') continue;
      const about = DECLARED_BY[c.kind];
      if (about === 'person') {
        const m = people.get(emailKey(c.key));
        if (m && !this.#people.has(m.key)) this.#people.set(m.key, `${m.subject}; ${consequence(c)}`);
      } else if (about === 'container') {
        const kind = c.kind as ContainerKind;
        if (names[kind].includes(c.key) && !this.#containers.has(c.address)) {
          this.#containers.set(c.address, `declaring it would plan ${c.action} ${c.address} (${c.reason})`);
        }
      } else if (about !== 'none') {
        // the longest declared name the key starts with: a container's name may itself hold `/`
        const name = names[about.of].filter((n) => c.key.startsWith(`${n}/`)).sort((a, b) => b.length - a.length)[0];
        if (name === undefined) continue;
        const why = `declaring them would plan ${c.action} ${c.address} (${c.reason})`;
        const list = this.#memberships.get(address(about.of, name)) ?? [];
        if (!list.includes(why)) this.#memberships.set(address(about.of, name), [...list, why]);
      }
    }
    return this.size > size;
  }
}

type ContainerKind = 'workspace' | 'group' | 'scim_group' | 'service_account';

/**
 * Which declaration of an imported file a change of each kind is about (issue 16: one entry per resource kind,
 * checked against every kind): a person (left out whole), a container (left out whole), a container's membership
 * (left unmanaged), or none (import declares no API keys; deactivating one, or a sign-out, follows a person's removal).
 */
const DECLARED_BY = {
  member: 'person',
  invite: 'person',
  scim_user: 'person',
  workspace: 'container',
  group: 'container',
  scim_group: 'container',
  workspace_member: { of: 'workspace' },
  group_member: { of: 'group' },
  scim_group_member: { of: 'scim_group' },
  api_key: 'none',
  sign_out: 'none',
  service_account: 'container',
  service_account_workspace: { of: 'service_account' },
} as const satisfies KindTable<'person' | 'container' | 'none' | { of: ContainerKind }>;

/** What declaring a person would start, as the planner planned it. */
function consequence(c: Change): string {
  if (c.kind === 'scim_user' && c.action === 'create') return 'with provisioning scim, declaring them would create a SCIM user';
  if (c.kind === 'scim_user' && c.action === 'update' && c.after?.active === true) return 'declaring them would reactivate it';
  return `declaring them would plan ${c.action} ${c.address} (${c.reason})`;
}

/** A draft of the file: the candidates, less what `left` says the planner would change. */
export function selectImport(src: ImportSource, now: Date, left: LeftOut = new LeftOut()): ImportSelection {
  const sel: ImportSelection = {
    members: [], notDeclared: [], workspaces: [], workspaceNotes: [], groups: [], groupNotes: [], directoryGroups: [],
    scimNotes: [], serviceAccountNotes: [], unread: [], skippedContainers: 0,
  };
  const members = selectMembers(src, now, sel.notDeclared, left);
  sel.members = [...members.values()].sort(byEmail);
  if (src.kind === 'console') {
    selectWorkspaces(src, members, sel, left);
    selectServiceAccounts(src, sel, left);
  } else {
    selectGroups(src, members, sel, left);
    selectScimGroups(src, members, sel, left);
  }
  sel.notDeclared.sort(byText);
  return sel;
}

function selectMembers(src: ImportSource, now: Date, notes: string[], left: LeftOut): Map<string, ImportedMember> {
  const out = new Map<string, ImportedMember>();
  const roles = declarableRoles(src.kind);
  const scim = src.kind === 'enterprise' && src.scim?.available ? src.scim : undefined;
  const scimUsers = new Map<string, LiveScimUser>((scim?.users ?? []).map((s) => [emailKey(s.userName), s]));
  const viaScim = src.provisioning === 'scim';
  const seenUsers = new Map<string, LiveUser>();

  for (const u of [...src.users].sort(byEmail)) {
    const key = emailKey(u.email);
    const first = seenUsers.get(key);
    if (first) {
      // The planner stops on this (live_duplicate_email); the file can hold only one of them.
      notes.push(`${u.email} (${u.role}): a second member with the address of ${first.email}; fix it in the console`);
      continue;
    }
    seenUsers.set(key, u);
    if (!EMAIL.test(u.email)) {
      notes.push(`${JSON.stringify(u.email)} (${u.role}): not an email address the file format accepts`);
      continue;
    }
    if (!roles.includes(u.role)) {
      notes.push(`${u.email}: role ${u.role} is not a role of ${src.kind} organizations this tool knows`);
      continue;
    }
    if (left.noted(key, notes)) continue;
    const su = scimUsers.get(key);
    const subject = `${u.email} (${u.role})${viaScim && su && !su.active ? ': their SCIM user is deactivated, so the next directory sync removes them' : ''}`;
    const m: ImportedMember = { email: u.email, key, role: u.role, invited: false, awaitingSync: false, subject };
    const name = viaScim && su ? scimName(su) : undefined;
    if (name) m.name = name;
    out.set(key, m);
  }

  // Invites: the newest per address, split as the planner splits them (context.ts): pending and not past
  // `expires_at` is pending; expired by status or by date is expired (§6.2: a pending invite past its date reads
  // as expired).
  const pending = new Map<string, LiveInvite>();
  const expired = new Map<string, LiveInvite>();
  for (const inv of src.invites) {
    const key = emailKey(inv.email);
    const pastDate = Date.parse(inv.expiresAt) <= now.getTime();
    const into = inv.status === 'pending' && !pastDate ? pending : inv.status === 'expired' || inv.status === 'pending' ? expired : undefined;
    if (!into) continue;
    const prev = into.get(key);
    if (!prev || prev.invitedAt < inv.invitedAt) into.set(key, inv);
  }
  for (const [key, inv] of [...pending].sort(([a], [b]) => byText(a, b))) {
    if (out.has(key) || seenUsers.has(key)) continue;
    // with provisioning scim, a SCIM user the directory holds for them is who they are (below)
    if (viaScim && scimUsers.has(key)) continue;
    const what = `${inv.email}: pending invite as ${inv.role}, expires ${day(inv.expiresAt)}`;
    if (!EMAIL.test(inv.email) || !roles.includes(inv.role)) {
      notes.push(`${what}; the address or role cannot be declared in the file`);
      continue;
    }
    if (left.noted(key, notes)) continue;
    out.set(key, { email: inv.email, key, role: inv.role, note: `invited, expires ${day(inv.expiresAt)}`, invited: true, awaitingSync: false, subject: what });
  }
  if (scim) {
    for (const s of [...scim.users].sort((a, b) => byText(emailKey(a.userName), emailKey(b.userName)))) {
      const key = emailKey(s.userName);
      if (out.has(key) || seenUsers.has(key)) continue;
      const subject = `${s.userName}: SCIM user, ${s.active ? 'not a member yet' : 'deactivated and not a member'}`;
      if (!viaScim) {
        // not provisioned through the directory: they are not the organization's until they join some other way
        notes.push(`${subject}${s.active && src.provisioning === 'invite' ? '; with provisioning invite, declaring them would send an invite' : ''}`);
        continue;
      }
      if (!EMAIL.test(s.userName)) {
        notes.push(`${JSON.stringify(s.userName)}: SCIM user whose userName is not an email address the file format accepts`);
        continue;
      }
      if (left.noted(key, notes)) continue;
      // §13.2: a member created by the directory sync joins with the role User.
      const m: ImportedMember = { email: s.userName, key, role: 'user', invited: false, awaitingSync: true, subject,
        note: 'SCIM user, not a member yet: joins as user at the next directory sync' };
      const name = scimName(s);
      if (name) m.name = name;
      out.set(key, m);
    }
  }
  for (const [key, inv] of expired) {
    if (out.has(key) || seenUsers.has(key) || pending.has(key)) continue;
    // Not the organization's (no membership, no open invite), so not a candidate: the note says what declaring
    // them again would start.
    const then = src.provisioning === 'invite' ? 'declaring them would send a new invite'
      : src.provisioning === 'scim' ? 'declaring them would create a SCIM user' : 'declare them again if they should still join';
    notes.push(`${inv.email}: the invite as ${inv.role} expired ${day(inv.expiresAt)}; ${then}`);
  }

  return out;
}

function selectWorkspaces(src: ImportSource, members: Map<string, ImportedMember>, sel: ImportSelection, left: LeftOut): void {
  const active = (src.workspaces ?? []).filter((w) => !w.archived);
  const archived = (src.workspaces ?? []).filter((w) => w.archived).length;
  if (archived > 0) sel.workspaceNotes.push(`${archived} archived workspace${archived === 1 ? '' : 's'} (archiving is permanent: nothing left to manage)`);
  const shared = sharedNames(active.map((w) => w.name));
  const usersById = new Map(src.users.map((u) => [u.id, u]));
  const byWorkspace = groupBy(src.workspaceMembers ?? [], (m) => m.workspaceId);
  const implicit = implicitMembers(src.users);

  for (const w of [...active].sort((a, b) => byText(a.name, b.name))) {
    if (w.name.trim().toLowerCase() === 'default') {
      skip(sel, sel.workspaceNotes, `"${w.name}": the Default Workspace cannot be declared`);
      continue;
    }
    if (shared.has(w.name.toLowerCase())) {
      skip(sel, sel.workspaceNotes, `"${w.name}": another active workspace has this name (names are compared without case); rename one in the console, then import again`);
      continue;
    }
    if (!nameOk(w.name, WORKSPACE_NAME_MAX)) {
      skip(sel, sel.workspaceNotes, `"${w.name}": a workspace name must be 1 to ${WORKSPACE_NAME_MAX} characters`);
      continue;
    }
    const changed = left.container('workspace', w.name);
    if (changed !== undefined) {
      skip(sel, sel.workspaceNotes, `"${w.name}": ${changed}`);
      continue;
    }
    const out: ImportedWorkspace = { name: w.name, notes: [] };
    if (COLOR.test(w.displayColor)) out.displayColor = w.displayColor;
    else if (w.displayColor !== '') out.notes.push(`display_color ${JSON.stringify(w.displayColor)} is not #RRGGBB, so it is not declared`);

    const explicit = byWorkspace.get(w.id) ?? [];
    const declared: Array<{ email: string; role: string }> = [];
    const seen = new Set<string>();
    const problems = [...left.memberships('workspace', w.name)];
    const explicitUsers = new Set<string>();
    for (const m of explicit) {
      const u = usersById.get(m.userId);
      if (!u) continue; // not a listed member: the planner ignores it too (workspaces.ts)
      explicitUsers.add(u.id);
      const im = members.get(emailKey(u.email));
      if (!im) problems.push(`${u.email} is not declared above`);
      else if (!WORKSPACE_ROLES.has(m.role)) problems.push(`${u.email} holds ${m.role}, which cannot be declared`);
      else if (!seen.has(im.key)) {
        seen.add(im.key);
        declared.push({ email: im.email, role: m.role });
      }
    }
    if (problems.length > 0) {
      // planner/workspaces.ts: `members` is the whole membership; leaving someone out would remove them.
      out.notes.push(`members not managed: ${problems.sort(byText).join('; ')}`);
    } else {
      out.members = declared.sort(byEmail);
    }
    // §3.2: org admins (and owners) are implicit workspace_admin, billing members implicit workspace_billing; they
    // are never listed, and declaring them would be a warning. A billing member listed explicitly (upgraded to
    // workspace_admin) is declared like anyone listed.
    const admins = implicit.admins.filter((u) => !explicitUsers.has(u.id)).map((u) => u.email);
    const billing = implicit.billing.filter((u) => !explicitUsers.has(u.id)).map((u) => u.email);
    if (admins.length > 0) out.notes.push(`implicit workspace_admin (org ${[...new Set(implicit.admins.map((u) => u.role))].sort(byText).join('/')}, never declared): ${admins.join(', ')}`);
    if (billing.length > 0) out.notes.push(`implicit workspace_billing (org billing, never declared): ${billing.join(', ')}`);
    sel.workspaces.push(out);
  }
}

/** Schema definitions.serviceAccountName */
const SERVICE_ACCOUNT_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Active service accounts (console orgs), read with the OAuth token; without it they are not read, and the file
 * says so. Memberships are declared only when every workspace they name is declared above.
 */
function selectServiceAccounts(src: ImportSource, sel: ImportSelection, left: LeftOut): void {
  const read = src.serviceAccounts;
  if (read === undefined) return;
  if (!Array.isArray(read)) {
    sel.unread.push(`service accounts: ${read.reason}`);
    return;
  }
  const out: ImportedServiceAccount[] = [];
  const archived = read.filter((a) => a.archived).length;
  if (archived > 0) sel.serviceAccountNotes.push(`${archived} archived service account${archived === 1 ? '' : 's'} (archiving is permanent: nothing left to manage)`);
  const workspaces = new Map((src.workspaces ?? []).map((w) => [w.id, w]));
  const declared = new Set(sel.workspaces.map((w) => w.name));
  const byAccount = groupBy(src.serviceAccountWorkspaces ?? [], (m) => m.serviceAccountId);
  for (const a of read.filter((x) => !x.archived).sort((x, y) => byText(x.name, y.name))) {
    if (!SERVICE_ACCOUNT_NAME.test(a.name) || (a.role !== 'admin' && a.role !== 'developer')) {
      skip(sel, sel.serviceAccountNotes, `"${a.name}": its name or role (${a.role}) is not one the file format takes`);
      continue;
    }
    const changed = left.container('service_account', a.name);
    if (changed !== undefined) {
      skip(sel, sel.serviceAccountNotes, `"${a.name}": ${changed}`);
      continue;
    }
    const item: ImportedServiceAccount = { name: a.name, role: a.role, notes: [], ...(a.description !== '' ? { description: a.description } : {}) };
    const problems = [...left.memberships('service_account', a.name)];
    const ms: Array<{ workspace: string; role: string }> = [];
    for (const m of byAccount.get(a.id) ?? []) {
      const w = workspaces.get(m.workspaceId);
      if (!w) continue; // the Default Workspace: never declared, and never removed by the planner
      if (!declared.has(w.name)) problems.push(`workspace "${w.name}" is not declared above`);
      else if (!WORKSPACE_ROLES.has(m.role)) problems.push(`it holds ${m.role} in "${w.name}", which cannot be declared`);
      else ms.push({ workspace: w.name, role: m.role });
    }
    if (problems.length > 0) item.notes.push(`workspaces not managed: ${problems.sort(byText).join('; ')}`);
    else item.workspaces = ms.sort((x, y) => byText(x.workspace, y.workspace));
    out.push(item);
  }
  sel.serviceAccounts = out;
}

function implicitMembers(users: readonly LiveUser[]): { admins: LiveUser[]; billing: LiveUser[] } {
  const sorted = [...users].sort(byEmail);
  return {
    admins: sorted.filter((u) => KEEP_ONLY_ROLES.console.includes(u.role)),
    billing: sorted.filter((u) => u.role === 'billing'),
  };
}

function selectGroups(src: ImportSource, members: Map<string, ImportedMember>, sel: ImportSelection, left: LeftOut): void {
  const groups = src.groups;
  if (!groups) return;
  if (!Array.isArray(groups)) {
    sel.unread.push(`RBAC groups: ${groups.reason}`);
    return;
  }
  // planner/groups.ts resolves a declared name against every live group, whatever its source: a name two groups
  // share is ambiguous there, and the config compares declared names without case.
  const exact = new Map<string, number>();
  for (const g of groups) exact.set(g.name, (exact.get(g.name) ?? 0) + 1);
  const direct = groups.filter((g) => g.sourceType === 'direct');
  const shared = sharedNames(direct.map((g) => g.name));
  const usersById = new Map(src.users.map((u) => [u.id, u]));
  const byGroup = groupBy(src.groupMembers ?? [], (m) => m.groupId);

  for (const g of [...direct].sort((a, b) => byText(a.name, b.name) || byText(a.id, b.id))) {
    if ((exact.get(g.name) ?? 0) > 1 || shared.has(g.name.toLowerCase())) {
      skip(sel, sel.groupNotes, `"${g.name}" (${g.id}): another group has this name, so it cannot be declared unambiguously; rename one in claude.ai, then import again`);
      continue;
    }
    if (!nameOk(g.name, GROUP_NAME_MAX)) {
      skip(sel, sel.groupNotes, `"${g.name}" (${g.id}): a group name must be 1 to ${GROUP_NAME_MAX} characters`);
      continue;
    }
    const changed = left.container('group', g.name);
    if (changed !== undefined) {
      skip(sel, sel.groupNotes, `"${g.name}" (${g.id}): ${changed}`);
      continue;
    }
    const out: ImportedGroup = { name: g.name, notes: [] };
    const emails: string[] = [];
    const problems = [...left.memberships('group', g.name)];
    const seen = new Set<string>();
    for (const m of byGroup.get(g.id) ?? []) {
      const u = usersById.get(m.userId);
      if (!u) continue; // the planner ignores a member it cannot name (groups.ts)
      const im = members.get(emailKey(u.email));
      if (!im) problems.push(`${u.email} is not declared above`);
      else if (!seen.has(im.key)) {
        seen.add(im.key);
        emails.push(im.email);
      }
    }
    if (problems.length > 0) out.notes.push(`members not managed: ${problems.sort(byText).join('; ')}`);
    else out.members = emails.sort((a, b) => byText(emailKey(a), emailKey(b)) || byText(a, b));
    sel.groups.push(out);
  }
  sel.directoryGroups = groups.filter((g) => g.sourceType !== 'direct').map((g) => g.name).sort(byText);
}

function selectScimGroups(src: ImportSource, members: Map<string, ImportedMember>, sel: ImportSelection, left: LeftOut): void {
  const scim = src.scim;
  if (!scim || !scim.available) {
    sel.unread.push(`the SCIM directory (${scim && !scim.available ? scim.reason : 'not configured'}), so no SCIM groups are declared`);
    return;
  }
  sel.scimGroups = [];
  const shared = sharedNames(scim.groups.map((g) => g.displayName));
  const extCount = new Map<string, number>();
  for (const g of scim.groups) if (g.externalId !== undefined) extCount.set(g.externalId, (extCount.get(g.externalId) ?? 0) + 1);
  const usersById = new Map(scim.users.map((u) => [u.id, u]));

  for (const g of [...scim.groups].sort((a, b) => byText(a.displayName, b.displayName) || byText(a.id, b.id))) {
    // planner/scim-groups.ts: found by externalId when declared, else by displayName without case.
    if (shared.has(g.displayName.toLowerCase())) {
      skip(sel, sel.scimNotes, `"${g.displayName}" (${g.id}): another SCIM group has this name (compared without case), so it cannot be declared unambiguously`);
      continue;
    }
    if (g.externalId !== undefined && (extCount.get(g.externalId) ?? 0) > 1) {
      skip(sel, sel.scimNotes, `"${g.displayName}" (${g.id}): another SCIM group has the externalId ${JSON.stringify(g.externalId)}`);
      continue;
    }
    if (!nameOk(g.displayName, GROUP_NAME_MAX) || (g.externalId !== undefined && g.externalId === '')) {
      skip(sel, sel.scimNotes, `"${g.displayName}" (${g.id}): its name or externalId cannot be written in the file`);
      continue;
    }
    const changed = left.container('scim_group', g.displayName);
    if (changed !== undefined) {
      skip(sel, sel.scimNotes, `"${g.displayName}" (${g.id}): ${changed}`);
      continue;
    }
    sel.scimGroups.push(scimGroup(g, usersById, members, src.provisioning, left.memberships('scim_group', g.displayName)));
  }
}

function scimGroup(g: LiveScimGroup, usersById: Map<string, LiveScimUser>, members: Map<string, ImportedMember>, provisioning: string,
  changed: readonly string[]): ImportedGroup {
  const out: ImportedGroup = { name: g.displayName, notes: [] };
  if (g.externalId !== undefined) out.externalId = g.externalId;
  const names: string[] = [];
  const problems = [...changed];
  const seen = new Set<string>();
  for (const id of g.members) {
    const s = usersById.get(id);
    if (!s) continue; // the planner ignores an id it cannot name (scim-groups.ts)
    const key = emailKey(s.userName);
    if (!members.has(key)) {
      problems.push(`${s.userName} is not declared above${s.active ? (provisioning === 'scim' ? '' : ` (not a member; provisioning ${provisioning})`) : ' (deactivated SCIM user)'}`);
    } else if (!seen.has(key)) {
      seen.add(key);
      names.push(s.userName);
    }
  }
  // Every email of a membership must be a declared member (config), and a listed member left out would be removed.
  if (problems.length > 0) out.notes.push(`members not managed: ${problems.sort(byText).join('; ')}`);
  else out.members = names.sort((a, b) => byText(emailKey(a), emailKey(b)) || byText(a, b));
  return out;
}
