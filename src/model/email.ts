// Email identity and the `unmanaged` and `protected` globs. Pure helpers over model values, shared by config/ and
// planner/. The rules of one plain address are in email-rules.ts.

import { domainToASCII } from 'node:url';
import picomatch from 'picomatch';
import { emailKey } from './address.js';
import { characterProblem, scriptProblem, type EmailProblem } from './email-rules.js';

/** Characters that make a policy entry a glob rather than one address. */
const GLOB_CHARS = /[*?[\]{}()!]/;
const NON_ASCII = /[^\x00-\x7f]/;

/** True when a `policy.protected` or `policy.unmanaged` entry is a glob, not one address. */
export function isGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/**
 * A glob as it is matched: trimmed, lower-cased, and each domain label written in Unicode turned into its ASCII
 * (punycode) form, as emailKey turns the domain of an address, so `*@bücher.de` matches `a@xn--bcher-kva.de`. A
 * label that mixes wildcards and non-ASCII letters cannot be converted: that is a problem.
 */
export function canonicalPattern(glob: string): { pattern: string; problem?: EmailProblem } {
  const p = glob.trim().toLowerCase();
  if (!NON_ASCII.test(p)) return { pattern: p };
  const at = p.lastIndexOf('@');
  if (at < 0) return { pattern: p };
  const labels: string[] = [];
  for (const label of p.slice(at + 1).split('.')) {
    if (!NON_ASCII.test(label)) {
      labels.push(label);
      continue;
    }
    const ascii = GLOB_CHARS.test(label) ? '' : domainToASCII(label);
    if (ascii === '' || ascii.includes('.')) {
      return {
        pattern: p,
        problem: { text: 'has a domain label that mixes wildcards with letters outside ASCII; write that label in punycode (xn--…)' },
      };
    }
    labels.push(ascii);
  }
  return { pattern: `${p.slice(0, at + 1)}${labels.join('.')}` };
}

/**
 * The character rules of addresses applied to a glob (an invisible character or a Cyrillic look-alike in
 * `*@contractors.acme.com` would make it match nobody, silently), then its conversion.
 */
export function globProblem(glob: string): EmailProblem | undefined {
  const g = glob.trim();
  const chars = characterProblem(g);
  if (chars) return chars;
  const at = g.lastIndexOf('@');
  if (at >= 0) {
    const local = scriptProblem(g.slice(0, at), 'the part before the @');
    if (local) return local;
    for (const label of g.slice(at + 1).split('.')) {
      const p = scriptProblem(label, 'a domain label');
      if (p) return p;
    }
  }
  return canonicalPattern(g).problem;
}

/**
 * Compiles `policy.unmanaged` or `policy.protected` entries into one predicate over emails, case-insensitive: an
 * entry without wildcards is one address (compared by emailKey), any other a glob where `*` matches any run of
 * characters (emails have no path separators, so `*@contractors.acme.com` means "anyone there"). Both sides are
 * compared in canonical form (lower case, the domain in ASCII). Throws if a glob cannot be compiled.
 */
export function globMatcher(globs: readonly string[]): (email: string) => boolean {
  if (globs.length === 0) return () => false;
  const exact = new Set<string>();
  const matchers: ((s: string) => boolean)[] = [];
  for (const g of globs) {
    const { pattern } = canonicalPattern(g);
    if (isGlob(pattern)) matchers.push(picomatch(pattern, { nocase: true, dot: true, bash: true }));
    else exact.add(emailKey(pattern));
  }
  if (matchers.length === 0) return (email: string) => exact.has(emailKey(email));
  return (email: string) => {
    const e = emailKey(email);
    return exact.has(e) || matchers.some((m) => m(e));
  };
}

/**
 * True when a glob matches any address at all: it matches two addresses that share nothing, at domains no one
 * has (`*`, `**`, `*@*`, `!(x)`). A `protected` glob like that would make every removal impossible.
 */
export function matchesAnyone(glob: string): boolean {
  const m = globMatcher([glob]);
  return m('zq7-probe@zq7-probe-domain.example') && m('b@c.io');
}

/**
 * A `protected` glob must name its domain: one `@`, and wildcards only before it or in subdomains, the last two
 * labels written out (`*@acme.com`, `*@*.acme.com`; not `*@*.com`, `*@acme.*`, `*acme.com`). Undefined when it does.
 */
export function protectedGlobProblem(glob: string): string | undefined {
  const g = glob.trim();
  const at = g.lastIndexOf('@');
  if (at < 0 || g.indexOf('@') !== at) return 'has no single @ before a domain';
  const labels = g.slice(at + 1).split('.');
  if (labels.length < 2 || labels.slice(-2).some((l) => l === '' || GLOB_CHARS.test(l))) {
    return 'does not name a domain: wildcards belong before the @ or in subdomains (*@acme.com, *@*.acme.com)';
  }
  return undefined;
}
