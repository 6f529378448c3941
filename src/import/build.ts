// ImportSource → the text of a desired-state file, with comments, through the `yaml` Document API. Pure: the clock,
// the tool's version and the planner are passed in. Everything is sorted (code-point order), so importing the same
// organization twice gives the same file except for the date in the header.
//
// Built on the planner (issue 16, item 3): a draft is made from what the organization holds, turned into the Desired
// its file loads as (candidate below), and planned against the same live state (as `plan` would read it); every
// declaration the plan would change is left out (select.ts LeftOut) and the draft made again, until it plans no
// change. The draft is planned as data, not by loading its text: a value the file format refuses (an address with an
// invisible character, issue 12) is still written, escaped, for a person to see and fix, and must not stop the rest.

import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { DEFAULTS } from '../config/normalize.js';
import { needsScim } from '../live/read.js';
import { emailKey } from '../model/address.js';
import type { Desired } from '../model/desired.js';
import { trimEmail } from '../model/email-rules.js';
import type { Live } from '../model/live.js';
import type { Plan } from '../model/plan.js';
import { LeftOut, selectImport, type ImportedGroup, type ImportedMember, type ImportedServiceAccount, type ImportedWorkspace, type ImportSelection } from './select.js';
import { schemaLine } from './schema-line.js';
import type { ImportSource } from './source.js';

/** The planner (planner/index.ts `plan`), given by the caller: import reads no planner module itself. */
export type Planner = (desired: Desired, live: Live, opts: { now: Date }) => Plan;

export interface BuildOptions {
  now: Date;
  /** the tool's version, named in the header */
  version: string;
  plan: Planner;
}

export interface ImportSummary {
  members: number;
  invited: number;
  awaitingSync: number;
  workspaces: number;
  groups: number;
  scimGroups: number;
  /** people, workspaces and groups left out of the file (each explained in a comment) */
  notDeclared: number;
}

export interface BuiltImport {
  text: string;
  summary: ImportSummary;
  selection: ImportSelection;
}

/** A comment text as the yaml package wants it: one leading space per line, no control characters. */
function comment(lines: readonly string[]): string {
  return lines.map((l) => ` ${l.replace(/[\u0000-\u001f\u007f]+/g, ' ')}`).join('\n');
}

function key(text: string, opts: { before?: readonly string[]; space?: boolean } = {}): Scalar {
  const k = new Scalar(text);
  if (opts.before && opts.before.length > 0) k.commentBefore = comment(opts.before);
  if (opts.space) k.spaceBefore = true;
  return k;
}

function scalar(value: unknown, trailing?: string): Scalar {
  const s = new Scalar(value);
  if (trailing) s.comment = comment([trailing]);
  return s;
}

function map(flow = false): YAMLMap {
  const m = new YAMLMap();
  m.flow = flow;
  return m;
}

function notesBlock(title: string, notes: readonly string[]): string[] {
  return notes.length === 0 ? [] : [title, ...notes.map((n) => `  ${n}`)];
}

function header(src: ImportSource, opts: BuildOptions): string[] {
  const through = src.scim?.available ? 'the Admin API and the SCIM directory' : 'the Admin API';
  return [
    `Imported by claude-reconcile import ${opts.version} on ${opts.now.toISOString().slice(0, 10)} from the organization`,
    `${JSON.stringify(src.organization.name)}, through ${through}. It declares what the organization holds now, so`,
    '`claude-reconcile plan` on this file right away shows no changes. Review it before committing it.',
    `Credentials never go in this file: they come from ${DEFAULTS.credentials.adminKeyEnv}${src.kind === 'enterprise' ? `, ${DEFAULTS.credentials.scimUrlEnv} and ${DEFAULTS.credentials.scimTokenEnv}` : ''}.`,
  ];
}

function organization(src: ImportSource): YAMLMap {
  const m = map();
  m.items.push(new Pair(key('id'), scalar(src.organization.id, 'from GET /v1/organizations/me: plan stops if the admin key belongs to another organization')));
  m.items.push(new Pair(key('kind'), scalar(src.kind, src.kindSource === 'flag'
    ? 'given with --kind'
    : src.kind === 'console'
      ? 'detected: the console-only workspaces listing answered'
      : 'detected: the console-only workspaces listing was refused (404/403), so an enterprise organization')));
  m.items.push(new Pair(key('provisioning'), scalar(src.provisioning,
    'not readable from the API: given with --provisioning (default invite); make sure it matches the organization\'s settings')));
  return m;
}

function policy(): YAMLMap {
  const m = map();
  m.items.push(new Pair(key('removals'), scalar(DEFAULTS.removals,
    'only people listed under departed (or past expires) are removed; an undeclared member is reported, never removed')));
  m.items.push(new Pair(key('max_removals'), scalar(DEFAULTS.maxRemovals,
    'a plan that would make more removals than this is blocked (exit 3) until run with --allow-removals')));
  return m;
}

function member(m: ImportedMember): Pair {
  if (m.name === undefined) return new Pair(key(m.email), scalar(m.role, m.note));
  // The mapping form only when needed: the name a SCIM user gets (desired-state.md "scim").
  const v = map(true);
  v.items.push(new Pair(key('role'), scalar(m.role)));
  v.items.push(new Pair(key('name'), scalar(m.name)));
  if (m.note) v.comment = comment([m.note]);
  return new Pair(key(m.email), v);
}

function workspace(w: ImportedWorkspace): Pair {
  const v = map();
  if (w.displayColor !== undefined) v.items.push(new Pair(key('display_color'), scalar(w.displayColor)));
  if (w.members) v.items.push(new Pair(key('members'), roleMap(w.members.map((m) => [m.email, m.role]))));
  if (v.items.length === 0) v.flow = true;
  return new Pair(key(w.name, { before: w.notes }), v);
}

function group(g: ImportedGroup): Pair {
  const v = map();
  if (g.externalId !== undefined) v.items.push(new Pair(key('external_id'), scalar(g.externalId)));
  if (g.members) {
    const seq = new YAMLSeq();
    seq.flow = g.members.length === 0;
    for (const e of g.members) seq.items.push(scalar(e));
    v.items.push(new Pair(key('members'), seq));
  }
  if (v.items.length === 0) v.flow = true;
  return new Pair(key(g.name, { before: g.notes }), v);
}

/** `name: role` entries (a workspace's members, a service account's workspaces); `{}` when there are none. */
function roleMap(entries: ReadonlyArray<readonly [string, string]>): YAMLMap {
  const m = map(entries.length === 0);
  for (const [name, role] of entries) m.items.push(new Pair(key(name), scalar(role)));
  return m;
}

function serviceAccount(a: ImportedServiceAccount): Pair {
  const v = map();
  const fields = [['description', a.description], ['role', a.role]] as const;
  for (const [k, value] of fields) if (value !== undefined) v.items.push(new Pair(key(k), scalar(value)));
  if (a.workspaces) v.items.push(new Pair(key('workspaces'), roleMap(a.workspaces.map((m) => [m.workspace, m.role]))));
  return new Pair(key(a.name, { before: a.notes }), v);
}

function section<T>(name: string, items: readonly T[], toPair: (t: T) => Pair, notes: string[]): Pair {
  const m = map(items.length === 0);
  for (const it of items) m.items.push(toPair(it));
  return new Pair(key(name, { before: notes, space: true }), m);
}

/** The live state `plan` would read for this file: the directory only when the file needs it (live/read.ts). */
function liveFor(src: ImportSource, desired: Desired): Live {
  const live: Live = { ...src };
  if (!needsScim(desired)) delete live.scim;
  return live;
}

/** A person as the file's loader reads them (config/normalize.ts): the address trimmed, its key for identity. */
function person(raw: string): { email: string; key: string } {
  const email = trimEmail(raw);
  return { email, key: emailKey(email) };
}

/** The Desired the written file loads as: what it declares, with the defaults it writes or leaves implicit. */
export function candidate(src: ImportSource, sel: ImportSelection): Desired {
  return {
    file: 'imported.yaml',
    sha256: '',
    version: 1,
    organization: { id: src.organization.id, kind: src.kind, provisioning: src.provisioning, credentials: { ...DEFAULTS.credentials } },
    policy: {
      removals: DEFAULTS.removals, maxRemovals: DEFAULTS.maxRemovals, protected: [], unmanaged: [],
      apiKeysOfRemovedMembers: DEFAULTS.apiKeysOfRemovedMembers, maxRemovalShare: DEFAULTS.maxRemovalShare,
      undeclared: DEFAULTS.undeclared, maxReinvites: DEFAULTS.maxReinvites, signOutOnRemoval: DEFAULTS.signOutOnRemoval,
    },
    members: sel.members.map((m) => ({ ...person(m.email), role: m.role, ...(m.name !== undefined ? { name: m.name } : {}) })),
    departed: [],
    workspaces: sel.workspaces.map((w) => ({
      name: w.name, archived: false,
      ...(w.displayColor !== undefined ? { displayColor: w.displayColor } : {}),
      ...(w.members ? { members: w.members.map((m) => ({ ...person(m.email), role: m.role })) } : {}),
    })),
    groups: sel.groups.map((g) => ({ name: g.name, delete: false, ...(g.members ? { members: g.members.map(person) } : {}) })),
    scim: {
      deprovision: DEFAULTS.scimDeprovision,
      groups: (sel.scimGroups ?? []).map((g) => ({
        name: g.name, delete: false,
        ...(g.externalId !== undefined ? { externalId: g.externalId } : {}),
        ...(g.members ? { members: g.members.map(person) } : {}),
      })),
    },
    serviceAccounts: (sel.serviceAccounts ?? []).map((a) => ({
      name: a.name, role: a.role, archived: false,
      ...(a.description !== undefined ? { description: a.description } : {}),
      ...(a.workspaces ? { workspaces: a.workspaces.map((m) => ({ workspace: m.workspace, role: m.role })) } : {}),
    })),
  };
}

export function buildImport(src: ImportSource, opts: BuildOptions): BuiltImport {
  const left = new LeftOut();
  for (;;) {
    const sel = selectImport(src, opts.now, left);
    const desired = candidate(src, sel);
    // what the planner would change is recorded and left out of the next draft; entries only grow, so this ends
    if (!left.record(opts.plan(desired, liveFor(src, desired), { now: opts.now }), sel)) return built(write(src, sel, opts), sel);
  }
}

function write(src: ImportSource, sel: ImportSelection, opts: BuildOptions): string {
  const root = map();
  root.items.push(new Pair(key('version'), scalar(1)));
  root.items.push(new Pair(key('organization', { space: true }), organization(src)));
  root.items.push(new Pair(key('policy', { space: true }), policy()));
  root.items.push(section('members', sel.members, member, notesBlock('Not declared:', sel.notDeclared)));
  if (src.kind === 'console') {
    root.items.push(section('workspaces', sel.workspaces, workspace, notesBlock('Workspaces not declared:', sel.workspaceNotes)));
    if (sel.serviceAccounts && (sel.serviceAccounts.length > 0 || sel.serviceAccountNotes.length > 0)) {
      root.items.push(section('service_accounts', sel.serviceAccounts, serviceAccount,
        notesBlock('Service accounts not declared:', sel.serviceAccountNotes)));
    }
  } else {
    if (Array.isArray(src.groups)) {
      const notes = notesBlock('RBAC groups not declared:', sel.groupNotes);
      if (sel.directoryGroups.length > 0) {
        notes.push(`Pushed by the identity provider (source scim: the Admin API cannot change them; see scim.groups): ${sel.directoryGroups.map((n) => JSON.stringify(n)).join(', ')}`);
      }
      root.items.push(section('groups', sel.groups, group, notes));
    }
    if (sel.scimGroups) {
      const scim = map();
      scim.items.push(new Pair(key('deprovision'), scalar(DEFAULTS.scimDeprovision,
        'how a removed SCIM user is deprovisioned: deactivate (PATCH active=false) or delete')));
      const groups = map(sel.scimGroups.length === 0);
      for (const g of sel.scimGroups) groups.items.push(group(g));
      scim.items.push(new Pair(key('groups', { before: notesBlock('SCIM groups not declared:', sel.scimNotes) }), groups));
      root.items.push(new Pair(key('scim', { space: true }), scim));
    }
  }

  const doc = new Document();
  doc.commentBefore = comment(header(src, opts));
  doc.contents = root;
  if (sel.unread.length > 0) doc.comment = comment(notesBlock('Not read, so not declared:', sel.unread));
  // the editor's schema line first, then the header
  return `${schemaLine(opts.version)}\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}`;
}

function built(text: string, sel: ImportSelection): BuiltImport {
  return {
    text,
    selection: sel,
    summary: {
      members: sel.members.length,
      invited: sel.members.filter((m) => m.invited).length,
      awaitingSync: sel.members.filter((m) => m.awaitingSync).length,
      workspaces: sel.workspaces.length,
      groups: sel.groups.length,
      scimGroups: sel.scimGroups?.length ?? 0,
      notDeclared: sel.notDeclared.length + sel.skippedContainers,
    },
  };
}
