// ImportSource → the text of a desired-state file, with comments, through the `yaml` Document API. Pure: the clock,
// the tool's version and the planner are passed in. Everything is sorted (code-point order), so importing the same
// organization twice gives the same file except for the date in the header.
//
// Built on the planner (issue 16, item 3): a draft is made from what the organization holds (each section by its
// drafter, beside its differ in planner/, handed in as `importer`), turned into the Desired its file loads as
// (candidate below), and planned against the same live state (as `plan` would read it); every declaration the plan
// would change is left out (select.ts LeftOut) and the draft made again, until it plans no change. Each section is
// written, and read back into Desired, by config/normalize.ts (SECTION_FILES); nothing here names a section's kind.
// The draft is planned as data, not by loading its text: a value the file format refuses (an address with an
// invisible character, issue 12) is still written, escaped, for a person to see and fix, and must not stop the rest.

import { Document, Pair, type YAMLMap } from 'yaml';
import { DEFAULTS, SECTION_FILES } from '../config/normalize.js';
import { comment, key, map, notesBlock, scalar } from '../config/yaml-write.js';
import { needsScim } from '../live/read.js';
import type { Desired } from '../model/desired.js';
import { FILE_SECTIONS, type FileSection, type Importer } from '../model/kinds.js';
import type { Live } from '../model/live.js';
import type { Plan } from '../model/plan.js';
import { LeftOut, selectImport, type ImportSelection } from './select.js';
import { schemaLine } from './schema-line.js';
import type { ImportSource } from './source.js';

/** The planner (planner/index.ts `plan`), given by the caller: import reads no planner module itself. */
export type Planner = (desired: Desired, live: Live, opts: { now: Date }) => Plan;

export interface BuildOptions {
  now: Date;
  /** the tool's version, named in the header */
  version: string;
  plan: Planner;
  /** the drafting of each section, and what each kind's change is about (planner/index.ts `IMPORTER`) */
  importer: Importer;
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

/** The live state `plan` would read for this file: the directory only when the file needs it (live/read.ts). */
function liveFor(src: ImportSource, desired: Desired): Live {
  const live: Live = { ...src };
  if (!needsScim(desired)) delete live.scim;
  return live;
}

/** Whether import writes the section (its entry says; by default, when its entries were drafted). */
function isWritten<S extends FileSection>(sel: ImportSelection, s: S): boolean {
  const section = SECTION_FILES[s];
  return section.written ? section.written(sel[s]) : sel[s].entries !== undefined;
}

/** What one section loads as: its items as written, or its absence when it is not written (no YAML is built). */
function loaded<S extends FileSection>(sel: ImportSelection, s: S): Partial<Desired> {
  return SECTION_FILES[s].load(isWritten(sel, s) ? (sel[s].entries ?? []).map((e) => e.item) : undefined);
}

/** One section as written (undefined: not written). */
function written<S extends FileSection>(sel: ImportSelection, s: S): Pair | undefined {
  return isWritten(sel, s) ? SECTION_FILES[s].write(sel[s]) : undefined;
}

/** The Desired the written file loads as: what it declares, with the defaults it writes or leaves implicit. */
export function candidate(src: ImportSource, sel: ImportSelection): Desired {
  const base: Pick<Desired, 'file' | 'sha256' | 'version' | 'organization' | 'policy' | 'departed'> = {
    file: 'imported.yaml',
    sha256: '',
    version: 1,
    organization: { id: src.organization.id, kind: src.kind, provisioning: src.provisioning, credentials: { ...DEFAULTS.credentials } },
    policy: {
      removals: DEFAULTS.removals, maxRemovals: DEFAULTS.maxRemovals, protected: [], unmanaged: [],
      apiKeysOfRemovedMembers: DEFAULTS.apiKeysOfRemovedMembers, maxRemovalShare: DEFAULTS.maxRemovalShare,
      undeclared: DEFAULTS.undeclared, maxReinvites: DEFAULTS.maxReinvites, signOutOnRemoval: DEFAULTS.signOutOnRemoval,
    },
    departed: [],
  };
  // every section loads into its fields of Desired (config/normalize.ts SECTION_FILES), empty when not declared
  return Object.assign(base, ...FILE_SECTIONS.map((s) => loaded(sel, s))) as Desired;
}

export function buildImport(src: ImportSource, opts: BuildOptions): BuiltImport {
  const left = new LeftOut(opts.importer.declaredBy);
  for (;;) {
    const sel = selectImport(src, opts.now, opts.importer, left);
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
  for (const s of FILE_SECTIONS) {
    const pair = written(sel, s);
    if (pair) root.items.push(pair);
  }

  const doc = new Document();
  doc.commentBefore = comment(header(src, opts));
  doc.contents = root;
  const unread = FILE_SECTIONS.flatMap((s) => sel[s].unread);
  if (unread.length > 0) doc.comment = comment(notesBlock('Not read, so not declared:', unread));
  // the editor's schema line first, then the header
  return `${schemaLine(opts.version)}\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}`;
}

function built(text: string, sel: ImportSelection): BuiltImport {
  const members = sel.members.entries ?? [];
  return {
    text,
    selection: sel,
    summary: {
      members: members.length,
      invited: members.filter((m) => m.state === 'invited').length,
      awaitingSync: members.filter((m) => m.state === 'awaiting_sync').length,
      workspaces: sel.workspaces.entries?.length ?? 0,
      groups: sel.groups.entries?.length ?? 0,
      scimGroups: sel.scim.entries?.length ?? 0,
      notDeclared: FILE_SECTIONS.reduce((n, s) => n + sel[s].skipped, 0),
    },
  };
}
