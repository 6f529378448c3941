// Cross-checks: rules that relate one part of the file to another, which a JSON Schema cannot say. All run,
// all are collected, each at the line it is about. They run on Desired even when the schema failed, and
// therefore never re-report what the schema already says (a role outside every known role, a malformed date).

import { address } from '../model/address.js';
import { visible } from '../model/char-name.js';
import type { DepartedEntry, Desired, DesiredMember, OrgKind, SourcePos } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { globMatcher, globProblem, matchesAnyone, protectedGlobProblem } from '../model/email.js';
import { FILE_SECTIONS } from '../model/kinds.js';
import { declarableRoles } from '../model/roles.js';
import { CONFIG_CODES } from './codes.js';
import type { People } from './crossref-collections.js';
import { diagAt, duplicateEmails } from './crossref-common.js';
import { checkEmails } from './email-check.js';
import { SECTION_FILES, type SourceFacts } from './normalize.js';
import { formatPath } from './path-format.js';
import { schemaEmailPattern } from './schema.js';

const KNOWN_ROLES = new Set([...declarableRoles('console'), ...declarableRoles('enterprise')]);

function firstByKey<T extends { key: string }>(entries: readonly T[]): Map<string, T> {
  const m = new Map<string, T>();
  for (const e of entries) if (!m.has(e.key)) m.set(e.key, e);
  return m;
}

/**
 * A `protected` or `unmanaged` glob that can be used: the character rules of addresses (an invisible character or
 * a look-alike letter would make it match nobody, silently), then compiled. Undefined, with an error, otherwise.
 */
function usableGlob(where: string, glob: string, pos: SourcePos, out: Diagnostic[]): ((email: string) => boolean) | undefined {
  const problem = globProblem(glob);
  if (problem) {
    const set = new Set(problem.flag ?? []);
    out.push(diagAt('error', CONFIG_CODES.invalidGlob,
      `${where}: ${visible(glob.trim(), (cp) => set.has(cp))} is not a usable pattern: it ${problem.text}`, pos));
    return undefined;
  }
  try {
    return globMatcher([glob]);
  } catch (e) {
    out.push(diagAt('error', CONFIG_CODES.invalidGlob,
      `${where}: ${visible(glob)} is not a usable pattern (${(e as Error).message})`, pos));
    return undefined;
  }
}

function checkPeople(desired: Desired, facts: SourceFacts, people: People): Diagnostic[] {
  const out: Diagnostic[] = [];
  out.push(...duplicateEmails(desired.members, (e) => formatPath(['members', e.email])));
  out.push(...duplicateEmails(desired.departed, (e) => formatPath(['departed', e.email])));
  out.push(...duplicateEmails(facts.protected, () => 'policy.protected', true));

  for (const d of desired.departed) {
    const m = people.members.get(d.key);
    if (m) {
      out.push(diagAt('error', CONFIG_CODES.memberDeparted,
        `${formatPath(['departed', d.email])}: also declared under members (line ${m.pos?.line ?? '?'}); ` +
        'a person is either a member or departed', d.pos, address('member', d.key)));
    }
  }
  const protectedGlobs: { glob: string; match: (email: string) => boolean; pos: SourcePos }[] = [];
  for (const p of facts.protected) {
    if (!p.glob) {
      const d = people.departed.get(p.key);
      if (d) {
        out.push(diagAt('error', CONFIG_CODES.protectedDeparted,
          `policy.protected: ${visible(p.email)} is also listed under departed (line ${d.pos?.line ?? '?'}); ` +
          'a protected person is never removed', p.pos, address('member', p.key)));
      }
      continue;
    }
    const where = `policy.protected[${p.index}]`;
    const match = usableGlob(where, p.email, p.pos, out);
    if (!match) continue;
    if (matchesAnyone(p.email)) {
      out.push(diagAt('error', CONFIG_CODES.invalidGlob,
        `${where}: ${visible(p.email)} matches every address, so nobody could ever be removed; ` +
        'name the people or domains to protect (to remove nobody at all, set policy.removals: never)', p.pos));
      continue;
    }
    const broad = protectedGlobProblem(p.email);
    if (broad) {
      out.push(diagAt('error', CONFIG_CODES.invalidGlob, `${where}: ${visible(p.email)} ${broad}`, p.pos));
      continue;
    }
    protectedGlobs.push({ glob: p.email, match, pos: p.pos });
  }
  if (protectedGlobs.length > 0) {
    for (const d of desired.departed) {
      const g = protectedGlobs.find((x) => x.match(d.email));
      if (g === undefined) continue;
      out.push(diagAt('error', CONFIG_CODES.protectedDeparted,
        `${formatPath(['departed', d.email])}: matches the protected pattern ${visible(g.glob)} (line ${g.pos.line}); ` +
        'a protected person is never removed, so this departure would never happen', d.pos, address('member', d.key)));
    }
  }

  // A blank glob is the schema's to report; one that breaks the character rules or cannot compile is reported here
  const globs: { glob: string; match: (email: string) => boolean }[] = [];
  facts.unmanaged.forEach(({ glob, pos }, i) => {
    if (glob.trim() === '') return;
    const match = usableGlob(`policy.unmanaged[${i}]`, glob, pos, out);
    if (match) globs.push({ glob, match });
  });
  if (globs.length > 0) {
    const matching = (email: string): string | undefined => globs.find((g) => g.match(email))?.glob;
    for (const m of desired.members) {
      const g = matching(m.email);
      if (g !== undefined) {
        out.push(diagAt('error', CONFIG_CODES.memberUnmanaged,
          `${formatPath(['members', m.email])}: matches the unmanaged pattern ${visible(g)}; ` +
          'an unmanaged person cannot be declared', m.pos, address('member', m.key)));
      }
    }
    for (const d of desired.departed) {
      const g = matching(d.email);
      if (g !== undefined) {
        out.push(diagAt('error', CONFIG_CODES.departedUnmanaged,
          `${formatPath(['departed', d.email])}: matches the unmanaged pattern ${visible(g)}, which hides ` +
          'the person from the plan, so they would never be removed', d.pos, address('member', d.key)));
      }
    }
  }
  return out;
}

function checkRoles(members: readonly DesiredMember[], kind: OrgKind, facts: SourceFacts): Diagnostic[] {
  const valid = declarableRoles(kind);
  const out: Diagnostic[] = [];
  for (const m of members) {
    // a role no kind knows is the schema's to report
    if (!KNOWN_ROLES.has(m.role) || valid.includes(m.role)) continue;
    out.push(diagAt('error', CONFIG_CODES.roleNotValidForKind,
      `${formatPath(['members', m.email, 'role'])}: ${m.role} is not a role of ${kind === 'enterprise' ? 'an' : 'a'} ${kind} organization; ` +
      `valid roles: ${valid.join(', ')}`, facts.fields.get(m)?.role ?? m.pos, address('member', m.key)));
  }
  return out;
}

function checkKind(kind: OrgKind, facts: SourceFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of FILE_SECTIONS) {
    const pos = facts.sections[s];
    const only: { kind: OrgKind; message: string } | undefined = SECTION_FILES[s].only;
    if (pos && only && kind !== only.kind) out.push(diagAt('error', CONFIG_CODES.notForKind, only.message, pos));
  }
  if (kind === 'console' && facts.provisioning?.value === 'scim') {
    out.push(diagAt('error', CONFIG_CODES.notForKind,
      'organization.provisioning: scim needs an enterprise organization; use invite or jit', facts.provisioning.pos));
  }
  return out;
}

/** Every cross-check, in a fixed order (load.ts sorts the result by position). */
export function crossCheck(desired: Desired, facts: SourceFacts): Diagnostic[] {
  const people: People = {
    members: firstByKey<DesiredMember>(desired.members),
    departed: firstByKey<DepartedEntry>(desired.departed),
  };
  // the emails first: at one place, "not one plain address" reads before "not a declared member"
  const out = checkEmails(desired, facts, schemaEmailPattern());
  out.push(...checkPeople(desired, facts, people));
  if (facts.kind) {
    out.push(...checkRoles(desired.members, facts.kind, facts));
    out.push(...checkKind(facts.kind, facts));
  }
  // each section's own rules (config/normalize.ts SECTION_FILES)
  for (const s of FILE_SECTIONS) {
    const check: ((d: Desired, f: SourceFacts, p: People) => Diagnostic[]) | undefined = SECTION_FILES[s].check;
    if (check) out.push(...check(desired, facts, people));
  }
  return out;
}
