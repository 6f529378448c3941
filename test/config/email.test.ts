// Every email of the file is one plain address (desired-state.md "Identity"): each place that holds one is checked,
// at its line and column, with the offending characters shown escaped; each domain is written one way; and
// policy.email_domains, when present, lists every domain people may have.

import { describe, expect, it } from 'vitest';
import { parseDesired } from '../../src/config/load.js';
import { brief, dump, file, posOf } from './helpers.js';

const HIDDEN = /[\p{Cc}\p{Cf}\u2028\u2029\u00a0\u3164]/u;

function errors(text: string, kind: 'console' | 'enterprise' = 'console') {
  const r = parseDesired(file(kind, text), 'f.yaml');
  return { r, text: file(kind, text) };
}

describe('every place that holds an email', () => {
  // one look-alike in each place; each is reported where it is written, and nowhere else
  const bad = '\u0430lice@acme.com';
  it.each([
    ['members key', 'console', `members:\n  ${bad}: user\n`],
    ['departed key', 'console', `departed:\n  ${bad}:\n`],
    ['policy.protected entry', 'console', `policy:\n  protected: [${bad}]\n`],
    ['workspace members key', 'console', `members:\n  b@acme.com: user\nworkspaces:\n  R:\n    members:\n      ${bad}: workspace_user\n`],
    ['archived workspace members key', 'console', `workspaces:\n  R:\n    archived: true\n    members:\n      ${bad}: workspace_user\n`],
    ['groups members', 'enterprise', `members:\n  b@acme.com: user\ngroups:\n  G:\n    members: [b@acme.com, ${bad}]\n`],
    ['scim.groups members', 'enterprise', `members:\n  b@acme.com: user\nscim:\n  groups:\n    E:\n      members:\n        - b@acme.com\n        - ${bad}\n`],
  ] as const)('%s', (_name, kind, yaml) => {
    const { r, text } = errors(yaml, kind);
    expect(r.desired).toBeUndefined();
    const mine = r.diagnostics.filter((d) => d.code === 'invalid_email');
    expect(mine.map(brief), dump(r.diagnostics)).toEqual([{ severity: 'error', code: 'invalid_email', ...posOf(text, bad) }]);
    expect(mine[0]!.message).toContain('contains U+0430 CYRILLIC SMALL LETTER A mixed with Latin letters in the local part');
    expect(mine[0]!.message).toContain('"\\u0430lice@acme.com"');
    expect(mine[0]!.message).not.toContain(bad);
  });
});

describe('messages never print an invisible character, and show it escaped', () => {
  it.each([
    ['zero-width space', 'al\u200bice@acme.com', 'U+200B ZERO WIDTH SPACE', '"al\\u200bice@acme.com"'],
    ['right-to-left override', 'alice\u202e@acme.com', 'U+202E RIGHT-TO-LEFT OVERRIDE', '"alice\\u202e@acme.com"'],
    ['soft hyphen', 'al\u00adice@acme.com', 'U+00AD SOFT HYPHEN', '"al\\u00adice@acme.com"'],
    ['no-break space', 'al\u00a0ice@acme.com', 'U+00A0 NO-BREAK SPACE', '"al\\u00a0ice@acme.com"'],
    ['Hangul filler', 'alice\u3164@acme.com', 'U+3164 HANGUL FILLER', '"alice\\u3164@acme.com"'],
  ])('%s', (_name, email, named, shown) => {
    // double-quoted YAML with an escape, so the test file itself stays readable
    const esc = JSON.stringify(email);
    const { r, text } = errors(`members:\n  ${esc}: user\n`);
    expect(r.diagnostics.map(brief), dump(r.diagnostics)).toEqual([{ severity: 'error', code: 'invalid_email', ...posOf(text, esc) }]);
    const m = r.diagnostics[0]!.message;
    expect(m).toContain(named);
    expect(m).toContain(shown);
    expect(m).not.toMatch(HIDDEN);
  });

  it('a value that fails the schema pattern is worded with the same rules (fullwidth @)', () => {
    const { r, text } = errors('members:\n  alice\uff20acme.com: user\n');
    expect(r.diagnostics.map(brief)).toEqual([{ severity: 'error', code: 'invalid_email', ...posOf(text, 'alice') }]);
    expect(r.diagnostics[0]!.message).toBe(
      'members["alice\\uff20acme.com"]: not one plain email address: it contains U+FF20 FULLWIDTH COMMERCIAL AT, ' +
      'a compatibility form of "@"; write "@" instead');
  });

  it('the attacker\'s 300-character local part, an IP literal, a trailing dot, a quoted local part', () => {
    const long = `${'a'.repeat(300)}@acme.com`;
    const { r } = errors(`departed:\n  ${long}:\n  "alice@[10.0.0.1]":\n  alice@10.0.0.1:\n  alice@acme.com.:\n  '"a b"@acme.com':\n`);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['invalid_email', 'invalid_email', 'invalid_email', 'invalid_email', 'invalid_email']);
    const m = r.diagnostics.map((d) => d.message);
    expect(m[0]).toContain('local part of 300 bytes; at most 64');
    expect(m[0]!.length).toBeLessThan(500);
    expect(m[1]).toContain('IP address literal');
    expect(m[2]).toContain('IP address as its domain');
    expect(m[3]).toContain('ends with a dot');
    expect(m[4]).toContain('quoted local part');
  });

  it('surrounding spaces are still ignored, and a clean file has no diagnostic', () => {
    const r = parseDesired(file('console', 'members:\n  " Alice@Acme.com ": user\n  jörg@bücher.de: user\n'), 'f.yaml');
    expect(r.diagnostics, dump(r.diagnostics)).toEqual([]);
    expect(r.desired!.members.map((m) => [m.email, m.key])).toEqual([
      ['Alice@Acme.com', 'alice@acme.com'],
      ['jörg@bücher.de', 'jörg@xn--bcher-kva.de'],
    ]);
  });
});

describe('one spelling per domain', () => {
  it('a domain written in Unicode and in punycode in one file is an error at the second spelling', () => {
    const { r, text } = errors('members:\n  a@bücher.de: user\n  b@acme.com: user\ndeparted:\n  c@xn--bcher-kva.de:\n');
    expect(r.diagnostics.map(brief), dump(r.diagnostics)).toEqual([
      { severity: 'error', code: 'email_domain_spelling', ...posOf(text, 'c@xn--bcher-kva.de') },
    ]);
    expect(r.diagnostics[0]!.message).toBe(
      'departed["c@xn--bcher-kva.de"]: the domain "xn--bcher-kva.de" is written "bücher.de" on line 6; both spell ' +
      '"bücher.de" (punycode xn--bcher-kva.de): write each domain one way in the file');
  });

  it('case does not make another spelling; the same person in both spellings is a duplicate', () => {
    expect(errors('members:\n  a@Bücher.de: user\n  b@BÜCHER.DE: user\n').r.diagnostics).toEqual([]);
    const { r } = errors('members:\n  a@bücher.de: user\ndeparted:\n  A@XN--BCHER-KVA.DE:\n');
    expect(r.diagnostics.map((d) => d.code).sort()).toEqual(['email_domain_spelling', 'member_departed']);
  });

  it('an invalid punycode label is refused', () => {
    const { r } = errors('members:\n  a@xn--zz.de: user\n');
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['invalid_email', 'members["a@xn--zz.de"]: not one plain email address: it has a domain label "xn--zz" that is not valid punycode'],
    ]);
  });
});

describe('policy.email_domains', () => {
  const policy = 'policy:\n  email_domains: [acme.com, founders.acme.com, bücher.de]\n';

  it('lists the domains people may have; any other is an error at its line, with a suggestion when close', () => {
    const { r, text } = errors(`${policy}members:\n  a@acme.com: user\n  b@acme.co: user\n  c@sub.acme.com: user\n  d@founders.acme.com: user\n` +
      'departed:\n  e@evil.io:\n');
    expect(r.diagnostics.map(brief), dump(r.diagnostics)).toEqual([
      { severity: 'error', code: 'email_domain_not_allowed', ...posOf(text, 'b@acme.co') },
      { severity: 'error', code: 'email_domain_not_allowed', ...posOf(text, 'c@sub.acme.com') },
      { severity: 'error', code: 'email_domain_not_allowed', ...posOf(text, 'e@evil.io') },
    ]);
    expect(r.diagnostics[0]!.message).toBe('members["b@acme.co"]: "acme.co" is not in policy.email_domains; did you mean acme.com?');
    // a subdomain must be listed itself
    expect(r.diagnostics[1]!.message).toBe('members["c@sub.acme.com"]: "sub.acme.com" is not in policy.email_domains');
    expect(r.diagnostics[2]!.message).toBe('departed["e@evil.io"]: "evil.io" is not in policy.email_domains');
  });

  it('is compared without case and after punycode normalization, in every place', () => {
    const { r } = errors('policy:\n  email_domains: [ACME.com, xn--bcher-kva.de]\n  protected: [Boss@Acme.COM, "*@elsewhere.io"]\n' +
      'members:\n  a@acme.com: user\n  b@XN--BCHER-KVA.de: user\n');
    expect(r.diagnostics, dump(r.diagnostics)).toEqual([]);
    expect(r.desired!.policy.emailDomains).toEqual(['acme.com', 'xn--bcher-kva.de']);
    const g = errors('policy:\n  email_domains: [acme.com]\nmembers:\n  a@acme.com: user\ngroups:\n  G:\n    members: [a@acme.com, x@acme.org]\n', 'enterprise');
    expect(g.r.diagnostics.map((d) => d.code)).toEqual(['email_domain_not_allowed', 'not_a_member']);
  });

  it('absent: any domain; an entry that is not a domain is an error at its line', () => {
    expect(parseDesired(file('console', 'members:\n  a@anything.io: user\n'), 'f.yaml').desired!.policy.emailDomains).toBeUndefined();
    const { r, text } = errors('policy:\n  email_domains: [acme.com., "acme", "\u0430cme.com"]\n');
    expect(r.diagnostics.map(brief), dump(r.diagnostics)).toEqual([
      { severity: 'error', code: 'invalid_domain', ...posOf(text, 'acme.com.') },
      { severity: 'error', code: 'invalid_domain', ...posOf(text, '"acme"') },
      { severity: 'error', code: 'invalid_domain', ...posOf(text, '"\u0430cme.com"') },
    ]);
    expect(r.diagnostics[2]!.message).toContain('CYRILLIC SMALL LETTER A mixed with Latin letters');
    expect(r.diagnostics[2]!.message).not.toContain('\u0430');
  });
});

describe('look-alikes of another address in the file', () => {
  it('a domain wholly in Cyrillic that reads as a domain of the file (асме beside acme) is an error at it', () => {
    const { r, text } = errors('members:\n  bob@acme.com: user\n  alice@\u0430\u0441\u043c\u0435.com: user\n');
    expect(r.diagnostics.map(brief), dump(r.diagnostics)).toEqual([
      { severity: 'error', code: 'email_look_alike', ...posOf(text, 'alice@') },
    ]);
    expect(r.diagnostics[0]!.message).toBe(
      'members["alice@\u0430\u0441\u043c\u0435.com"]: its domain "\\u0430\\u0441\\u043c\\u0435.com" reads as "acme.com", the ' +
      'domain on line 6, but is another domain: one of them is a look-alike');
  });

  it('an address that reads as another address of the file', () => {
    const { r, text } = errors('members:\n  tim@acme.com: user\ndeparted:\n  \u0442\u0456\u043c@acme.com:\n');
    expect(r.diagnostics.map(brief), dump(r.diagnostics)).toEqual([
      { severity: 'error', code: 'email_look_alike', ...posOf(text, '\u0442') },
    ]);
    expect(r.diagnostics[0]!.message).toContain('reads as "tim@acme.com", the address on line 6');
  });

  it('accents count: jörg and jorg may be two people; a Cyrillic domain of its own is fine', () => {
    expect(errors('members:\n  jorg@acme.com: user\n  jörg@acme.com: user\n  иван@почта.рф: user\n').r.diagnostics).toEqual([]);
  });
});
