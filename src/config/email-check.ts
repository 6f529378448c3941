// Every email the file holds — members and departed keys, workspace members, group and SCIM group members,
// protected entries that are not globs — checked as one plain address (model/email-rules.ts), each domain written
// one way in the whole file, and every domain in policy.email_domains when the file lists them.
//
// A value that does not even match the schema's email pattern is the schema's to report (schema.ts words it with
// the same rules, through emailMessage); everything else is reported here, at the line of the entry.

import { visible } from '../model/char-name.js';
import type { Desired, SourcePos } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { editDistance, EmailRules, latinSkeleton, type DomainInfo, type EmailProblem } from '../model/email-rules.js';
import { CONFIG_CODES } from './codes.js';
import { diagAt } from './crossref-common.js';
import type { SourceFacts } from './normalize.js';
import { formatPath } from './path-format.js';
import type { PathSegment } from './yaml-positions.js';

function flagOf(problem: EmailProblem): ((cp: number) => boolean) | undefined {
  if (!problem.flag || problem.flag.length === 0) return undefined;
  const set = new Set(problem.flag);
  return (cp) => set.has(cp);
}

/**
 * The message for an address that is not one plain address. `key`: the address is the last segment of `path` (a
 * mapping key: the path shows it); otherwise it is a value in a list and is quoted after the path.
 */
export function emailMessage(path: readonly PathSegment[], value: string, problem: EmailProblem, key: boolean, hint = ''): string {
  const flag = flagOf(problem);
  const head = key
    ? `${formatPath(path, flag)}: not one plain email address`
    : `${formatPath(path)}: ${visible(value, flag)} is not one plain email address`;
  return `${head}: it ${problem.text}${hint}`;
}

/** The message for a `policy.email_domains` entry that is not a usable domain. */
export function domainMessage(path: readonly PathSegment[], value: string, problem: EmailProblem): string {
  return `${formatPath(path)}: ${visible(value, flagOf(problem))} is not a domain an address can have: it ${problem.text}`;
}

export const PROTECTED_HINT = ' (policy.protected takes addresses, and globs such as "*@acme.com")';

interface Spelling {
  written: string;
  line: number | undefined;
}

/**
 * `emailPattern`: the schema's own email pattern; values that fail it were reported by the schema. Linear in
 * the number of emails; an ASCII address costs a few regular-expression tests and two map lookups.
 */
export function checkEmails(desired: Desired, facts: SourceFacts, emailPattern: RegExp | undefined): Diagnostic[] {
  const rules = new EmailRules();
  const out: Diagnostic[] = [];
  const spellings = new Map<string, Spelling>();
  /** listed domains: ASCII form → as written in the list */
  let allowed: Map<string, string> | undefined;
  const suggestions = new Map<string, string>();
  /** ASCII addresses and domains of the file (first line of each), and the addresses that are not ASCII */
  const asciiAddresses = new Map<string, number | undefined>();
  const asciiDomains = new Map<string, number | undefined>();
  const unicode: { email: string; domain: DomainInfo; pos: SourcePos | undefined; subject: () => string }[] = [];

  const spelling = (d: DomainInfo, pos: SourcePos | undefined, subject: () => string): void => {
    const seen = spellings.get(d.ascii);
    if (!seen) {
      spellings.set(d.ascii, { written: d.written, line: pos?.line });
      return;
    }
    if (seen.written === d.written) return;
    out.push(diagAt('error', CONFIG_CODES.emailDomainSpelling,
      `${subject()}: the domain ${visible(d.written)} is written ${visible(seen.written)} on line ${seen.line ?? '?'}; ` +
      `both spell ${visible(d.unicode)} (punycode ${d.ascii}): write each domain one way in the file`, pos));
  };

  if (facts.emailDomains) {
    allowed = new Map();
    for (const { domain, index, pos } of facts.emailDomains) {
      const path = ['policy', 'email_domains', index];
      const d = rules.domain(domain);
      if (d.problem) {
        // a value the schema's pattern refused was reported there
        if (/^[^\s@]+\.[^\s@]+$/.test(domain)) out.push(diagAt('error', CONFIG_CODES.invalidDomain, domainMessage(path, domain, d.problem), pos));
        continue;
      }
      spelling(d, pos, () => formatPath(path));
      if (!allowed.has(d.ascii)) allowed.set(d.ascii, domain);
      if (d.ascii === d.written && !asciiDomains.has(d.written)) asciiDomains.set(d.written, pos?.line);
    }
  }

  const suggest = (d: DomainInfo): string => {
    let s = suggestions.get(d.ascii);
    if (s !== undefined) return s;
    let best: string | undefined;
    let bestD = Infinity;
    for (const [ascii, listed] of allowed!) {
      const dist = Math.min(editDistance(d.ascii, ascii), editDistance(d.unicode, listed.toLowerCase()));
      if (dist < bestD) {
        bestD = dist;
        best = listed;
      }
    }
    s = best !== undefined && bestD <= 2 && bestD * 3 < d.ascii.length ? `; did you mean ${best}?` : '';
    suggestions.set(d.ascii, s);
    return s;
  };

  /** `key`: the email is a mapping key, the last segment of `path`. */
  const visit = (email: string, pos: SourcePos | undefined, path: readonly PathSegment[], key: boolean, hint = ''): void => {
    if (emailPattern && !emailPattern.test(email)) return;
    const info = rules.check(email);
    const subject = (): string => (key ? formatPath(path) : `${formatPath(path)}: ${visible(email)}`);
    if (info.problem) {
      out.push(diagAt('error', CONFIG_CODES.invalidEmail, emailMessage(path, email, info.problem, key, hint), pos));
      return;
    }
    const d = info.domain!;
    spelling(d, pos, subject);
    if (/^[\x21-\x7e]*$/.test(email)) {
      const key = email.toLowerCase();
      if (!asciiAddresses.has(key)) asciiAddresses.set(key, pos?.line);
      if (!asciiDomains.has(d.written)) asciiDomains.set(d.written, pos?.line);
    } else {
      unicode.push({ email, domain: d, pos, subject });
    }
    if (allowed && !allowed.has(d.ascii)) {
      out.push(diagAt('error', CONFIG_CODES.emailDomainNotAllowed,
        `${subject()}: ${visible(d.written)} is not in policy.email_domains${suggest(d)}`, pos));
    }
  };

  for (const m of desired.members) visit(m.email, m.pos, ['members', m.email], true);
  for (const d of desired.departed) visit(d.email, d.pos, ['departed', d.email], true);
  for (const p of facts.protected) {
    if (!p.glob) visit(p.email, p.pos, ['policy', 'protected', p.index], false, PROTECTED_HINT);
  }
  for (const w of desired.workspaces) {
    for (const e of w.members ?? []) visit(e.email, e.pos, ['workspaces', w.name, 'members', e.email], true);
  }
  for (const e of facts.archivedMembers) visit(e.email, e.pos, ['workspaces', e.workspace, 'members', e.email], true);
  for (const g of desired.groups) {
    for (const e of g.members ?? []) visit(e.email, e.pos, ['groups', g.name, 'members'], false);
  }
  for (const g of desired.scim.groups) {
    for (const e of g.members ?? []) visit(e.email, e.pos, ['scim', 'groups', g.name, 'members'], false);
  }
  lookAlikes(unicode, asciiAddresses, asciiDomains, out);
  return out;
}

/**
 * An address (or its domain) that is not ASCII but reads exactly like an ASCII one elsewhere in the file, once
 * letters of other scripts that look Latin are read as Latin (`alice@асме.com` beside `bob@acme.com`): one of the
 * two is a look-alike. Accents count (jörg and jorg may be two people); only look-alike letters are read through.
 */
function lookAlikes(
  unicode: readonly { email: string; domain: DomainInfo; pos: SourcePos | undefined; subject: () => string }[],
  addresses: ReadonlyMap<string, number | undefined>,
  domains: ReadonlyMap<string, number | undefined>,
  out: Diagnostic[],
): void {
  for (const u of unicode) {
    const reads = latinSkeleton(u.email);
    if (reads !== u.email.toLowerCase() && addresses.has(reads)) {
      out.push(diagAt('error', CONFIG_CODES.emailLookAlike,
        `${u.subject()}: reads as ${visible(reads)}, the address on line ${addresses.get(reads) ?? '?'}, but is another ` +
        `address (${visible(u.email, (cp) => cp >= 0x80)}): one of them is a look-alike`, u.pos));
      continue;
    }
    const domainReads = latinSkeleton(u.domain.written);
    if (domainReads !== u.domain.written && domains.has(domainReads)) {
      out.push(diagAt('error', CONFIG_CODES.emailLookAlike,
        `${u.subject()}: its domain ${visible(u.domain.written, (cp) => cp >= 0x80)} reads as ${visible(domainReads)}, ` +
        `the domain on line ${domains.get(domainReads) ?? '?'}, but is another domain: one of them is a look-alike`, u.pos));
    }
  }
}
