// Plain data → Desired: shorthand expanded, emails trimmed with a lower-cased key, defaults filled in, every
// entry with its position, lists in file order. Normalization is total: it also runs on data that failed the
// schema (with neutral fallbacks for what is malformed) so the cross-checks can still report their problems
// in the same run; a Desired built from invalid data is never handed out (load.ts drops it).

import { Pair, YAMLSeq } from 'yaml';
import { emailKey } from '../model/address.js';
import { canonicalPattern, isGlob } from '../model/email.js';
import { checkDomain, trimEmail } from '../model/email-rules.js';
import { intern } from '../model/intern.js';
import type {
  DepartedEntry,
  Desired,
  DesiredGroup,
  DesiredMember,
  DesiredScimGroup,
  DesiredServiceAccount,
  DesiredWorkspace,
  DesiredWorkspaceMember,
  OrgKind,
  Provisioning,
  RemovalsMode,
  SourcePos,
} from '../model/desired.js';
import { FILE_SECTIONS, type DraftEntry, type FileSection, type SectionDraft, type SectionItems } from '../model/kinds.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { checkGroups, checkServiceAccountWorkspaces, checkWorkspaces, type People } from './crossref-collections.js';
import { DEFAULT_MAX_REMOVAL_SHARE } from '../model/removals.js';
import type { PathSegment, PositionIndex } from './yaml-positions.js';
import { comment, key, map, roleMap, scalar, section, sectionNotes } from './yaml-write.js';

export const DEFAULTS = {
  provisioning: 'invite',
  removals: 'declared',
  maxRemovals: 10,
  apiKeysOfRemovedMembers: 'report',
  maxRemovalShare: DEFAULT_MAX_REMOVAL_SHARE,
  undeclared: 'drift',
  maxReinvites: 3,
  signOutOnRemoval: false,
  scimDeprovision: 'deactivate',
  credentials: {
    adminKeyEnv: 'ANTHROPIC_ADMIN_KEY',
    scimUrlEnv: 'CLAUDE_SCIM_URL',
    scimTokenEnv: 'CLAUDE_SCIM_TOKEN',
    baseUrlEnv: 'ANTHROPIC_BASE_URL',
    oauthTokenEnv: 'ANTHROPIC_ADMIN_OAUTH_TOKEN',
  },
} as const;

/** An email written in a list (policy.protected), with where. */
export interface LocatedEmail {
  email: string;
  key: string;
  pos: SourcePos;
}

/** A `policy.protected` entry: an address, or a glob (`glob: true`, `key` its canonical form), with its index. */
export interface LocatedPattern extends LocatedEmail {
  glob: boolean;
  index: number;
}

/** What the cross-checks need that Desired does not carry. */
export interface SourceFacts {
  /** the org kind when the file states a valid one; checks that depend on it are skipped otherwise */
  kind?: OrgKind;
  /** provisioning as written (when valid), with where */
  provisioning?: { value: Provisioning; pos: SourcePos };
  /** false when `members` is there but not a mapping: "not a declared member" would then be noise */
  membersReadable: boolean;
  /** where each top-level section that is present starts (its key) */
  sections: Partial<Record<FileSection, SourcePos>>;
  protected: LocatedPattern[];
  /** policy.email_domains as written (trimmed), with where and index */
  emailDomains?: { domain: string; index: number; pos: SourcePos }[];
  /** policy.unmanaged as written, with where */
  unmanaged: { glob: string; pos: SourcePos }[];
  /** positions of the keys of an entry's fields (`renamed_from`, `members`, …), by entry object */
  fields: WeakMap<object, Partial<Record<string, SourcePos>>>;
  /** the members of archived workspaces: ignored by the plan, but still emails of the file (email-check.ts) */
  archivedMembers: { workspace: string; email: string; pos: SourcePos }[];
}

export interface Normalized {
  desired: Desired;
  facts: SourceFacts;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], fallback: T): T {
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

class Normalizer {
  readonly fields = new WeakMap<object, Partial<Record<string, SourcePos>>>();
  readonly archivedMembers: SourceFacts['archivedMembers'] = [];
  constructor(private readonly at: PositionIndex) {}

  /** Keys of the mapping at `path`, in file order (plain objects reorder integer-like keys). */
  keys(obj: Obj, path: readonly PathSegment[]): string[] {
    const ordered = this.at.keys(path).filter((k) => Object.hasOwn(obj, k));
    const seen = new Set(ordered);
    const extra = Object.keys(obj).filter((k) => !seen.has(k));
    return extra.length ? [...ordered, ...extra] : ordered;
  }

  /** Remembers where the listed fields of `obj` (at `path`) are written, for the cross-checks. */
  remember(entry: object, obj: unknown, path: readonly PathSegment[], names: readonly string[]): void {
    if (!isObj(obj)) return;
    const rec: Partial<Record<string, SourcePos>> = {};
    for (const n of names) if (Object.hasOwn(obj, n)) rec[n] = this.at.key([...path, n]);
    this.fields.set(entry, rec);
  }

  members(v: unknown): DesiredMember[] {
    if (!isObj(v)) return [];
    return this.keys(v, ['members']).map((raw) => {
      const val = v[raw];
      const email = trimEmail(raw);
      const m: DesiredMember = { email, key: emailKey(email), role: '', pos: this.at.key(['members', raw]) };
      // where the role is written: the shorthand's value, or the `role` line of the mapping form
      this.fields.set(m, { role: isObj(val) && Object.hasOwn(val, 'role') ? this.at.value(['members', raw, 'role'])
        : this.at.value(['members', raw]) });
      if (typeof val === 'string') m.role = intern(val);
      else if (isObj(val)) {
        m.role = intern(str(val.role) ?? '');
        const name = str(val.name);
        if (name !== undefined) m.name = name;
        const expires = str(val.expires);
        if (expires !== undefined) m.expires = expires;
      }
      return m;
    });
  }

  departed(v: unknown): DepartedEntry[] {
    if (!isObj(v)) return [];
    return this.keys(v, ['departed']).map((raw) => {
      const val = v[raw];
      const email = trimEmail(raw);
      const d: DepartedEntry = { email, key: emailKey(email), pos: this.at.key(['departed', raw]) };
      if (isObj(val)) {
        const date = str(val.date);
        if (date !== undefined) d.date = date;
        const reason = str(val.reason);
        if (reason !== undefined) d.reason = reason;
      }
      return d;
    });
  }

  /** Each string of a list, trimmed, with its index and position; other items are the schema's to report. */
  trimmedStrings<T>(v: unknown, path: readonly PathSegment[], make: (email: string, index: number, pos: SourcePos) => T): T[] {
    if (!Array.isArray(v)) return [];
    const out: T[] = [];
    v.forEach((item, i) => {
      if (typeof item === 'string') out.push(make(trimEmail(item), i, this.at.value([...path, i])));
    });
    return out;
  }

  emailList(v: unknown, path: readonly PathSegment[]): LocatedEmail[] {
    return this.trimmedStrings(v, path, (email, _i, pos) => ({ email, key: emailKey(email), pos }));
  }

  /** `policy.protected`: addresses and globs, each with its canonical key (what the planner matches). */
  patternList(v: unknown, path: readonly PathSegment[]): LocatedPattern[] {
    return this.trimmedStrings(v, path, (email, index, pos) => {
      const glob = isGlob(email);
      return { email, key: glob ? canonicalPattern(email).pattern : emailKey(email), glob, index, pos };
    });
  }

  /**
   * A map of containers by name (workspaces, groups, SCIM groups): each entry made by `make` from its value (an
   * object, or undefined), its `renamed_from` read, and the positions of `fields` remembered for the cross-checks.
   */
  containers<T extends { name: string; renamedFrom?: string | undefined; pos?: SourcePos | undefined }>(
    v: unknown,
    at: readonly string[],
    fields: readonly string[],
    make: (item: T, val: Record<string, unknown> | undefined, path: string[]) => void,
    init: (name: string, pos: SourcePos | undefined) => T,
  ): T[] {
    if (!isObj(v)) return [];
    return this.keys(v, at).map((name) => {
      const val = v[name];
      const path = [...at, name];
      const item = init(name, this.at.key(path));
      if (isObj(val)) {
        const renamed = str(val.renamed_from);
        if (renamed !== undefined) item.renamedFrom = renamed;
      }
      make(item, isObj(val) ? val : undefined, path);
      this.remember(item, val, path, ['renamed_from', ...fields]);
      return item;
    });
  }

  workspaces(v: unknown): DesiredWorkspace[] {
    return this.containers<DesiredWorkspace>(v, ['workspaces'], ['members', 'archived'], (w, val, path) => {
      if (!val) return;
      const color = str(val.display_color);
      if (color !== undefined) w.displayColor = color;
      w.archived = val.archived === true;
      // an archived workspace has no membership to manage: its `members` are ignored (crossref warns)
      if (isObj(val.members) && !w.archived) {
        const ms = val.members;
        w.members = this.keys(ms, [...path, 'members']).map((raw): DesiredWorkspaceMember => ({
          email: trimEmail(raw),
          key: emailKey(trimEmail(raw)),
          role: intern(str(ms[raw]) ?? ''),
          pos: this.at.key([...path, 'members', raw]),
        }));
      } else if (isObj(val.members)) {
        for (const raw of Object.keys(val.members)) {
          this.archivedMembers.push({ workspace: w.name, email: trimEmail(raw), pos: this.at.key([...path, 'members', raw]) });
        }
      }
    }, (name, pos) => ({ name, archived: false, pos }));
  }

  groups(v: unknown): DesiredGroup[] {
    return this.containers<DesiredGroup>(v, ['groups'], ['members', 'delete'], (g, val, path) => {
      if (!val) return;
      g.delete = val.delete === true;
      if (Array.isArray(val.members)) g.members = this.emailList(val.members, [...path, 'members']);
    }, (name, pos) => ({ name, delete: false, pos }));
  }

  /** `service_accounts`: each by its name, with its workspace memberships by workspace name. */
  serviceAccounts(v: unknown): DesiredServiceAccount[] {
    return this.containers<DesiredServiceAccount>(v, ['service_accounts'], ['workspaces', 'archived'], (a, val, path) => {
      if (!val) return;
      const description = str(val.description);
      if (description !== undefined) a.description = description;
      if (val.role === 'admin' || val.role === 'developer') a.role = val.role;
      a.archived = val.archived === true;
      if (isObj(val.workspaces) && !a.archived) {
        const ws = val.workspaces;
        a.workspaces = this.keys(ws, [...path, 'workspaces']).map((name) => ({
          workspace: name,
          role: intern(str(ws[name]) ?? ''),
          pos: this.at.key([...path, 'workspaces', name]),
        }));
      }
    }, (name, pos) => ({ name, role: 'developer', archived: false, pos }));
  }

  scimGroups(v: unknown): DesiredScimGroup[] {
    return this.containers<DesiredScimGroup>(v, ['scim', 'groups'], ['members', 'delete'], (g, val, path) => {
      if (!val) return;
      const ext = str(val.external_id);
      if (ext !== undefined) g.externalId = ext;
      g.delete = val.delete === true;
      if (Array.isArray(val.members)) g.members = this.emailList(val.members, [...path, 'members']);
    }, (name, pos) => ({ name, delete: false, pos }));
  }
}

/**
 * Builds Desired from plain data. Never throws; on data that failed the schema the result is only fit for
 * the cross-checks.
 */
export function normalize(data: unknown, at: PositionIndex, sha256: string): Normalized {
  const n = new Normalizer(at);
  const root = isObj(data) ? data : {};
  const org = isObj(root.organization) ? root.organization : {};
  const cred = isObj(org.credentials) ? org.credentials : {};
  const policy = isObj(root.policy) ? root.policy : {};
  const scim = isObj(root.scim) ? root.scim : {};

  const kind = oneOf<OrgKind | ''>(org.kind, ['console', 'enterprise'], '');
  const provisioning = oneOf<Provisioning | ''>(org.provisioning, ['invite', 'jit', 'scim'], '');
  const maxRemovals = typeof policy.max_removals === 'number' && Number.isInteger(policy.max_removals) &&
    policy.max_removals >= 0 ? policy.max_removals : DEFAULTS.maxRemovals;
  const protectedList = n.patternList(policy.protected, ['policy', 'protected']);
  const emailDomains = Array.isArray(policy.email_domains)
    ? policy.email_domains.flatMap((d: unknown, index) =>
      typeof d === 'string' ? [{ domain: d.trim(), index, pos: at.value(['policy', 'email_domains', index]) }] : [])
    : undefined;

  const desired: Desired = {
    file: at.file,
    sha256,
    version: 1,
    organization: {
      id: str(org.id) ?? '',
      kind: kind || 'console',
      provisioning: provisioning || DEFAULTS.provisioning,
      credentials: {
        adminKeyEnv: str(cred.admin_key_env) ?? DEFAULTS.credentials.adminKeyEnv,
        scimUrlEnv: str(cred.scim_url_env) ?? DEFAULTS.credentials.scimUrlEnv,
        scimTokenEnv: str(cred.scim_token_env) ?? DEFAULTS.credentials.scimTokenEnv,
        baseUrlEnv: str(cred.base_url_env) ?? DEFAULTS.credentials.baseUrlEnv,
        oauthTokenEnv: str(cred.oauth_token_env) ?? DEFAULTS.credentials.oauthTokenEnv,
      },
      pos: at.key(['organization']),
    },
    policy: {
      removals: oneOf<RemovalsMode>(policy.removals, ['declared', 'prune', 'never'], DEFAULTS.removals),
      maxRemovals,
      protected: protectedList.map((p) => p.key),
      unmanaged: Array.isArray(policy.unmanaged) ? policy.unmanaged.filter((g): g is string => typeof g === 'string') : [],
      apiKeysOfRemovedMembers: oneOf(policy.api_keys_of_removed_members, ['report', 'deactivate'],
        DEFAULTS.apiKeysOfRemovedMembers),
      maxRemovalShare: typeof policy.max_removal_share === 'number' && policy.max_removal_share >= 0 &&
        policy.max_removal_share <= 1 ? policy.max_removal_share : DEFAULTS.maxRemovalShare,
      undeclared: oneOf(policy.undeclared, ['drift', 'warn'], DEFAULTS.undeclared),
      maxReinvites: typeof policy.max_reinvites === 'number' && Number.isInteger(policy.max_reinvites) && policy.max_reinvites >= 0
        ? policy.max_reinvites : DEFAULTS.maxReinvites,
      signOutOnRemoval: typeof policy.sign_out_on_removal === 'boolean' ? policy.sign_out_on_removal : DEFAULTS.signOutOnRemoval,
      // compared by their ASCII form, as emailKey writes the domain of an address
      ...(emailDomains ? { emailDomains: emailDomains.map((d) => checkDomain(d.domain).ascii) } : {}),
    },
    members: n.members(root.members),
    departed: n.departed(root.departed),
    workspaces: n.workspaces(root.workspaces),
    groups: n.groups(root.groups),
    scim: {
      deprovision: oneOf(scim.deprovision, ['deactivate', 'delete'], DEFAULTS.scimDeprovision),
      groups: n.scimGroups(scim.groups),
    },
    serviceAccounts: n.serviceAccounts(root.service_accounts),
  };

  const sections: SourceFacts['sections'] = {};
  for (const s of FILE_SECTIONS) {
    if (Object.hasOwn(root, s)) sections[s] = at.key([s]);
  }
  const facts: SourceFacts = {
    membersReadable: root.members === undefined || root.members === null || isObj(root.members),
    sections,
    protected: protectedList,
    unmanaged: Array.isArray(policy.unmanaged)
      ? policy.unmanaged.flatMap((g: unknown, i) =>
        typeof g === 'string' ? [{ glob: g, pos: at.value(['policy', 'unmanaged', i]) }] : [])
      : [],
    fields: n.fields,
    archivedMembers: n.archivedMembers,
  };
  if (emailDomains) facts.emailDomains = emailDomains;
  if (kind) facts.kind = kind;
  if (provisioning) facts.provisioning = { value: provisioning, pos: at.value(['organization', 'provisioning']) };
  return { desired, facts };
}

// ---- writing: each section as import writes it (beside its reading above) ----

/**
 * A section of the file beyond what its reading above says: which kind of organization may have it, how it is
 * checked against the rest of the file (config/crossref.ts runs every section's), and how import writes it and reads
 * it back.
 */
export interface SectionFile<Item> {
  /** only this kind of organization has the section: the error when another has it */
  only?: { kind: OrgKind; message: string };
  /** the rules that relate the section to the rest of the file (a JSON Schema cannot say them) */
  check?(desired: Desired, facts: SourceFacts, people: People): Diagnostic[];
  /** whether import writes the section at all (default: when its entries were drafted) */
  written?(draft: SectionDraft<Item>): boolean;
  /** the section as the file writes it, its notes in comments (called only when it is written) */
  write(draft: SectionDraft<Item>): Pair;
  /**
   * what the written items load as (emails trimmed, defaults filled in), into the fields of Desired; undefined: the
   * section is not in the file (loads as `normalize` reads its absence: a section where absent means "not managed"
   * and empty means "none" keeps the two apart here)
   */
  load(items: readonly Item[] | undefined): Partial<Desired>;
}

/** A person as `normalize` reads them: the address trimmed (the key is the same). */
function asRead<T extends { email: string }>(p: T): T {
  return { ...p, email: trimEmail(p.email) };
}

function withMembersRead<T extends { members?: Array<{ email: string }> }>(c: T): T {
  return c.members ? { ...c, members: c.members.map(asRead) } : c;
}

function memberPair({ item: m, note }: DraftEntry<DesiredMember>): Pair {
  if (m.name === undefined) return new Pair(key(m.email), scalar(m.role, note));
  // The mapping form only when needed: the name a SCIM user gets (desired-state.md "scim").
  const v = map(true);
  v.items.push(new Pair(key('role'), scalar(m.role)));
  v.items.push(new Pair(key('name'), scalar(m.name)));
  if (note) v.comment = comment([note]);
  return new Pair(key(m.email), v);
}

function workspacePair({ item: w, notes }: DraftEntry<DesiredWorkspace>): Pair {
  const v = map();
  if (w.displayColor !== undefined) v.items.push(new Pair(key('display_color'), scalar(w.displayColor)));
  if (w.members) v.items.push(new Pair(key('members'), roleMap(w.members.map((m) => [m.email, m.role]))));
  if (v.items.length === 0) v.flow = true;
  return new Pair(key(w.name, { before: notes }), v);
}

function groupPair({ item: g, notes }: DraftEntry<DesiredGroup | DesiredScimGroup>): Pair {
  const v = map();
  if ('externalId' in g && g.externalId !== undefined) v.items.push(new Pair(key('external_id'), scalar(g.externalId)));
  if (g.members) {
    const seq = new YAMLSeq();
    seq.flow = g.members.length === 0;
    for (const e of g.members) seq.items.push(scalar(e.email));
    v.items.push(new Pair(key('members'), seq));
  }
  if (v.items.length === 0) v.flow = true;
  return new Pair(key(g.name, { before: notes }), v);
}

function serviceAccountPair({ item: a, notes }: DraftEntry<DesiredServiceAccount>): Pair {
  const v = map();
  const fields = [['description', a.description], ['role', a.role]] as const;
  for (const [k, value] of fields) if (value !== undefined) v.items.push(new Pair(key(k), scalar(value)));
  if (a.workspaces) v.items.push(new Pair(key('workspaces'), roleMap(a.workspaces.map((m) => [m.workspace, m.role]))));
  return new Pair(key(a.name, { before: notes }), v);
}

/** Each section of the file: how import writes it, and what it loads as (FILE_SECTIONS: one entry per section). */
export const SECTION_FILES: { readonly [S in FileSection]: SectionFile<SectionItems[S]> } = {
  members: {
    written: () => true,
    write: (d) => section('members', d.entries ?? [], memberPair, sectionNotes('Not declared:', d)),
    load: (items = []) => ({ members: items.map(asRead) }),
  },
  workspaces: {
    only: { kind: 'console', message: 'workspaces: only console organizations have workspaces; an enterprise organization uses groups' },
    check: (d, facts, people) => checkWorkspaces(d.workspaces, facts, people),
    write: (d) => section('workspaces', d.entries ?? [], workspacePair, sectionNotes('Workspaces not declared:', d)),
    load: (items = []) => ({ workspaces: items.map(withMembersRead) }),
  },
  service_accounts: {
    only: { kind: 'console', message: 'service_accounts: only console organizations have service accounts (through the Admin API)' },
    check: (d) => checkServiceAccountWorkspaces(d),
    // written when there is something to say: none read and nothing to note leaves the file without the section
    written: (d) => d.entries !== undefined && (d.entries.length > 0 || d.notes.length > 0),
    write: (d) => section('service_accounts', d.entries ?? [], serviceAccountPair, sectionNotes('Service accounts not declared:', d)),
    load: (items = []) => ({ serviceAccounts: [...items] }),
  },
  groups: {
    only: { kind: 'enterprise', message: 'groups: only enterprise organizations have groups; a console organization uses workspaces' },
    check: (d, facts, people) => checkGroups(d.groups, false, facts, people),
    write: (d) => section('groups', d.entries ?? [], groupPair, sectionNotes('RBAC groups not declared:', d)),
    load: (items = []) => ({ groups: items.map(withMembersRead) }),
  },
  scim: {
    only: { kind: 'enterprise', message: 'scim: only enterprise organizations have a SCIM directory' },
    check: (d, facts, people) => checkGroups(d.scim.groups, true, facts, people),
    write: (d) => {
      const entries = d.entries ?? [];
      const scim = map();
      scim.items.push(new Pair(key('deprovision'), scalar(DEFAULTS.scimDeprovision,
        'how a removed SCIM user is deprovisioned: deactivate (PATCH active=false) or delete')));
      const groups = map(entries.length === 0);
      for (const g of entries) groups.items.push(groupPair(g));
      scim.items.push(new Pair(key('groups', { before: sectionNotes('SCIM groups not declared:', d) }), groups));
      return new Pair(key('scim', { space: true }), scim);
    },
    load: (items = []) => ({ scim: { deprovision: DEFAULTS.scimDeprovision, groups: items.map(withMembersRead) } }),
  },
};
