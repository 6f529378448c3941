// The rules of one plain email address (desired-state.md "Identity"), one row per way an attacker or a typo can
// write something a mail system would not read as exactly one plain address. Pure calls.

import { describe, expect, it } from 'vitest';
import { emailKey } from '../../src/model/address.js';
import { charName, visible } from '../../src/model/char-name.js';
import { canonicalPattern, globMatcher, globProblem, matchesAnyone } from '../../src/model/email.js';
import { checkDomain, checkEmail, EmailRules } from '../../src/model/email-rules.js';

/** The problem's text, or undefined when the address is accepted. */
function problem(raw: string): string | undefined {
  return checkEmail(raw).problem?.text;
}

describe('addresses that are accepted', () => {
  it.each([
    'alice@acme.com',
    'Alice.Liddell@Acme.COM',
    '  bob+tag@acme.com  ',
    "o'brien@acme.co.uk",
    'a_b-c=d/e?f^g`h{i|j}k~l#m$n&o*p@sub.acme.com',
    'x@a-b.io',
    'jörg@bücher.de',
    'straße.ørsted.łukasz.æsir@acme.com',
    'josé.muñoz.çelik.ğül@acme.com',
    'jörg@xn--bcher-kva.de',
    'иван@почта.рф', // one label wholly in Cyrillic (and not made of Latin look-alikes)
    'δοκιμή@παράδειγμα.δοκιμή',
    '山田@例え.jp', // Han
    'たなか@例え.jp', // Hiragana with Han in the domain
    'mail@東京タワー.jp', // Han + Katakana in one label (one writing system)
    `${'a'.repeat(64)}@acme.com`,
    `a@${'b'.repeat(63)}.com`,
  ])('%s', (raw) => {
    expect(problem(raw)).toBeUndefined();
  });
});

describe('addresses that are refused, with a message that names the problem', () => {
  it.each([
    // mixed scripts
    ['\u0430lice@acme.com', /contains U\+0430 CYRILLIC SMALL LETTER A mixed with Latin letters in the local part/],
    ['alice@\u0430cme.com', /contains U\+0430 CYRILLIC SMALL LETTER A mixed with Latin letters in the domain label "\\u0430cme"/],
    ['b\u03bfb@acme.com', /contains U\+03BF GREEK SMALL LETTER OMICRON mixed with Latin letters in the local part/],
    ['alice@acme.c\u03bfm', /GREEK SMALL LETTER OMICRON mixed with Latin letters in the domain label/],
    // a label wholly in Cyrillic letters that each look like a Latin one
    ['alice@\u0430\u0440\u0440\u04cf\u0435.com', /written in Cyrillic letters that each look like a Latin one: .* reads as "apple"/],
    ['\u0440\u0430\u0443@acme.com', /reads as "pay"/],
    // invisible characters
    ['al\u200bice@acme.com', /contains an invisible character U\+200B ZERO WIDTH SPACE/],
    ['al\u200cice@acme.com', /invisible character U\+200C ZERO WIDTH NON-JOINER/],
    ['al\u200dice@acme.com', /invisible character U\+200D ZERO WIDTH JOINER/],
    ['alice\u2060@acme.com', /invisible character U\+2060 WORD JOINER/],
    ['alice@ac\u2064me.com', /invisible character U\+2064 INVISIBLE PLUS/],
    ['\ufeffalice@acme.com', /invisible character U\+FEFF ZERO WIDTH NO-BREAK SPACE/],
    ['al\u00adice@acme.com', /invisible character U\+00AD SOFT HYPHEN/],
    ['alice@acme\u00ad.com', /SOFT HYPHEN/],
    ['alice\u202e@acme.com', /invisible bidirectional control U\+202E RIGHT-TO-LEFT OVERRIDE/],
    ['alice\u2066@acme.com', /bidirectional control U\+2066 LEFT-TO-RIGHT ISOLATE/],
    ['alice\u200e@acme.com', /bidirectional control U\+200E LEFT-TO-RIGHT MARK/],
    ['alice\u034f@acme.com', /invisible character U\+034F COMBINING GRAPHEME JOINER/],
    ['alice\u3164@acme.com', /invisible character U\+3164 HANGUL FILLER/],
    ['alice\ufe0f@acme.com', /invisible character U\+FE0F VARIATION SELECTOR-16/],
    ['alice\u{e0041}@acme.com', /invisible character U\+E0041 TAG LATIN CAPITAL LETTER A/u],
    ['alice\u0007@acme.com', /control character U\+0007 BELL/],
    ['alice\u0085@acme.com', /control character U\+0085 NEXT LINE/],
    ['alice\ue000@acme.com', /private-use character/],
    ['alice\ud800@acme.com', /lone surrogate/],
    // whitespace inside
    ['al ice@acme.com', /contains a space/],
    ['alice@acme .com', /contains a space/],
    ['al\u00a0ice@acme.com', /whitespace U\+00A0 NO-BREAK SPACE/],
    ['alice@acme.com\u2028', /whitespace U\+2028 LINE SEPARATOR/],
    ['alice\u3000@acme.com', /whitespace U\+3000 IDEOGRAPHIC SPACE/],
    ['\talice@acme.com\n', /control character U\+000A LINE FEED/],
    // combining marks and text that is not NFC
    ['jo\u0308rg@acme.com', /combining mark U\+0308 COMBINING DIAERESIS/],
    ['alice@bu\u0308cher.de', /combining mark U\+0308/],
    ['alice\u0301@acme.com', /combining mark U\+0301 COMBINING ACUTE ACCENT/],
    // compatibility forms
    ['alice\uff20acme.com', /U\+FF20 FULLWIDTH COMMERCIAL AT, a compatibility form of "@"/],
    ['\uff41lice@acme.com', /U\+FF41 FULLWIDTH LATIN SMALL LETTER A, a compatibility form of "a"/],
    ['alice@acme\u2024com', /U\+2024 ONE DOT LEADER, a compatibility form of "."/],
    ['alice@acme\uff0ecom', /FULLWIDTH FULL STOP, a compatibility form of "."/],
    ['alice@acme\u3002com', /U\+3002 IDEOGRAPHIC FULL STOP, which is neither a letter nor a digit/],
    ['\ufb01le@acme.com', /U\+FB01 LATIN SMALL LIGATURE FI, a compatibility form of "fi"/],
    ['\u212bngstrom@acme.com', /U\+212B ANGSTROM SIGN, a compatibility form of "\u00c5"/],
    ['alice@acme\u2010corp.com', /U\+2010 HYPHEN, which is neither a letter nor a digit/],
    ['\u1d00lice@acme.com', /U\+1D00 LATIN LETTER SMALL CAPITAL A, which is not an ASCII letter, an accented one, or one of/],
    ['\u0251lice@acme.com', /U\+0251 LATIN SMALL LETTER ALPHA, which is not an ASCII letter/],
    ['al\u0131ce@acme.com', /U\+0131 LATIN SMALL LETTER DOTLESS I, which is not an ASCII letter/], // reads as alice
    ['a\u01c0ice@acme.com', /U\+01C0 LATIN LETTER DENTAL CLICK, which is not an ASCII letter/], // reads as alice
    // structure
    ['', /is empty/],
    ['alice', /has no @/],
    ['alice@bob@acme.com', /has more than one @/],
    ['@acme.com', /nothing before the @/],
    ['alice@', /nothing after the @/],
    ['"a b"@acme.com', /quoted local part/],
    ['"alice"@acme.com', /quoted local part/],
    ['alice(comment)@acme.com', /comment in parentheses/],
    ['Alice <alice@acme.com>', /contains a space/],
    ['<alice@acme.com>', /without a display name/],
    ['alice@acme.com,bob@acme.com', /more than one @/],
    ['a,b@acme.com', /one address per entry/],
    ['.alice@acme.com', /starts or ends with a dot/],
    ['alice.@acme.com', /starts or ends with a dot/],
    ['al..ice@acme.com', /two dots in a row/],
    ['alice%evil.com@acme.com', /route to another host/],
    ['evil.com!alice@acme.com', /bang path/],
    ['a\\b@acme.com', /contains "\\\\" in its local part/],
    // domains
    ['alice@acme.com.', /ends with a dot/],
    ['alice@[10.0.0.1]', /IP address literal/],
    ['alice@[IPv6:::1]', /IP address literal/],
    ['alice@10.0.0.1', /IP address as its domain/],
    ['alice@acme.123', /last label is all digits/],
    ['alice@localhost', /domain without a dot/],
    ['alice@.acme.com', /empty label/],
    ['alice@acme..com', /empty label/],
    ['alice@-acme.com', /starts or ends with a hyphen/],
    ['alice@acme-.com', /starts or ends with a hyphen/],
    ['alice@ac_me.com', /"_" in its domain/],
    ['alice@ab--cd.com', /-- in its third and fourth places/],
    ['alice@xn--zz.com', /"xn--zz" that is not valid punycode/],
    ['alice@xn--acme-.com', /starts or ends with a hyphen \("xn--acme-"\)/], // a fake A-label: it decodes to plain "acme"
    ['alice@xn--80ak6aa92e.com', /reads as "apple"/], // punycode of a Cyrillic look-alike label
    // lengths (RFC 5321)
    [`${'a'.repeat(300)}@acme.com`, /local part of 300 bytes; at most 64/],
    [`${'a'.repeat(65)}@acme.com`, /local part of 65 bytes; at most 64/],
    [`${'ü'.repeat(33)}@acme.com`, /local part of 66 bytes; at most 64/], // 33 characters, 66 octets
    [`a@${'b'.repeat(64)}.com`, /domain label of 64 characters; at most 63/],
    [`a@${Array.from({ length: 5 }, () => 'c'.repeat(60)).join('.')}.com`, /domain of 308 characters; at most 253/],
  ])('%j', (raw, want) => {
    const p = problem(raw);
    expect(p, `accepted: ${JSON.stringify(raw)}`).toBeDefined();
    expect(p).toMatch(want);
    // the problem text itself never holds a raw invisible or control character
    expect(p).not.toMatch(/[\p{Cc}\p{Cf}\u2028\u2029]/u);
  });

  it('an address over 254 bytes in all is refused even when each part is within its limit', () => {
    const local = 'a'.repeat(64);
    const domain = `${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(61)}`; // 253
    expect(checkDomain(domain).problem).toBeUndefined();
    expect(problem(`${local}@${domain}`)).toMatch(/is 318 bytes long; at most 254 are allowed/);
  });

  it('names the look-alike and asks to escape exactly it', () => {
    const p = checkEmail('\u0430lice@acme.com').problem!;
    expect(p.flag).toEqual([0x430]);
    expect(visible('\u0430lice@acme.com', (cp) => p.flag!.includes(cp))).toBe('"\\u0430lice@acme.com"');
  });
});

describe('domains: identity and spelling', () => {
  it('a Unicode domain and its punycode have one ASCII form', () => {
    expect(checkDomain('bücher.de')).toMatchObject({ ascii: 'xn--bcher-kva.de', unicode: 'bücher.de', written: 'bücher.de' });
    expect(checkDomain('XN--BCHER-KVA.DE')).toMatchObject({ ascii: 'xn--bcher-kva.de', written: 'xn--bcher-kva.de' });
    expect(checkDomain('BÜCHER.de').ascii).toBe('xn--bcher-kva.de');
  });

  it('emailKey puts the domain in its ASCII form, so both spellings are one person', () => {
    expect(emailKey('Jörg@Bücher.DE')).toBe('jörg@xn--bcher-kva.de');
    expect(emailKey('jörg@xn--bcher-kva.de')).toBe('jörg@xn--bcher-kva.de');
    expect(emailKey(' Alice@ACME.com ')).toBe('alice@acme.com');
  });

  it('EmailRules checks each domain once', () => {
    const rules = new EmailRules();
    const a = rules.check('a@bücher.de').domain;
    const b = rules.check('b@bücher.de').domain;
    expect(a).toBeDefined();
    expect(b).toBe(a);
  });
});

describe('globs of policy.protected and policy.unmanaged', () => {
  it('match case-insensitively, and across the Unicode and punycode spellings of a domain', () => {
    const m = globMatcher(['*@Founders.Acme.com', 'ceo@acme.com', '*@bücher.de']);
    expect(m('Bob@founders.ACME.com')).toBe(true);
    expect(m('CEO@Acme.com')).toBe(true);
    expect(m('ceo2@acme.com')).toBe(false);
    expect(m('x@xn--bcher-kva.de')).toBe(true);
    expect(m('x@founders.acme.com.evil.io')).toBe(false);
    expect(canonicalPattern('*@Bücher.de').pattern).toBe('*@xn--bcher-kva.de');
  });

  it('a glob with an invisible character or a look-alike letter is a problem (it would match nobody)', () => {
    expect(globProblem('*@contr\u200bactors.acme.com')?.text).toMatch(/invisible character U\+200B/);
    expect(globProblem('*@\u0430cme.com')?.text).toMatch(/CYRILLIC SMALL LETTER A mixed with Latin letters/);
    expect(globProblem('*@*b\u00fccher.de')?.text).toMatch(/mixes wildcards with letters outside ASCII/);
    expect(globProblem('*@founders.acme.com')).toBeUndefined();
  });

  it('matchesAnyone tells a glob that names everybody', () => {
    for (const g of ['*', '**', '*@*', '*@*.*', '?*@*', '!(x)', '*@{acme.com,*}']) expect(matchesAnyone(g), g).toBe(true);
    for (const g of ['*@acme.com', '*@*.acme.com', 'ceo@acme.com', '*@*.com']) expect(matchesAnyone(g), g).toBe(false);
  });
});

describe('charName', () => {
  it('names characters from the table, and falls back to the code point', () => {
    expect(charName(0x430)).toBe('U+0430 CYRILLIC SMALL LETTER A');
    expect(charName(0x200b)).toBe('U+200B ZERO WIDTH SPACE');
    expect(charName(0x9)).toBe('U+0009 CHARACTER TABULATION');
    expect(charName(0x915)).toBe('U+0915');
  });
});
