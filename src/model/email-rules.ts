// What "one plain email address" means (desired-state.md "Identity"): a dot-atom local part, an `@`, and a domain
// name, within the lengths of RFC 5321, with no character that hides, changes or imitates another. A look-alike
// address that fails at the API can leave the real person removed under `removals: prune`, so anything a mail
// system would not read as exactly one plain address is refused, with a message that names the character.
//
// Pure functions over strings, shared by config/ (validation) and whoever else needs them. The structural rules
// are a dozen lines on top of node:url's IDNA (UTS #46) conversion; no package did them with messages this precise
// (@hapi/address, the closest, accepts zero-width characters in the local part and says only "invalid character").

import { domainToASCII, domainToUnicode } from 'node:url';
import { charName, visible } from './char-name.js';

/** RFC 5321 §4.5.3.1: local part 64 octets, domain 255 (253 without the root's dot), label 63, path 256 with <>. */
export const MAX_LOCAL_OCTETS = 64;
export const MAX_DOMAIN_OCTETS = 253;
export const MAX_LABEL_OCTETS = 63;
export const MAX_ADDRESS_OCTETS = 254;

/** A problem found in an address: the words that say what is wrong, and the code points to show escaped. */
export interface EmailProblem {
  /** lower-case phrase, no final stop: "contains an invisible character U+200B ZERO WIDTH SPACE" */
  text: string;
  /** code points that `visible(value, …)` should escape so the reader sees them */
  flag?: readonly number[];
}

export interface DomainInfo {
  /** as written, lower-cased */
  written: string;
  /** the ASCII (punycode) form, lower-case: the domain's identity */
  ascii: string;
  /** the Unicode form (what a mail client shows) */
  unicode: string;
  problem?: EmailProblem;
}

export interface EmailInfo {
  /** the address without the spaces around it */
  email: string;
  problem?: EmailProblem;
  /** present when the address got as far as its domain */
  domain?: DomainInfo;
}

const PLAIN_ASCII = /^[\x21-\x7e]*$/;
const CONTROL = /\p{Cc}/u;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
const SURROGATE = /\p{Cs}/u;
const PRIVATE_USE = /\p{Co}/u;
const UNASSIGNED = /\p{Cn}/u;
const SPACE = /[\p{Z}\s]/u;
const MARK = /\p{M}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const LATIN = /\p{Script=Latin}/u;
/** Latin letters that are not an accented ASCII letter but are letters of languages (ß, æ, ø, œ, þ, ð, đ, ł, ħ, ŋ) */
const LATIN_OTHER_LETTERS = new Set([...'ßæøœþðđłħŋÆØŒÞÐĐŁĦŊẞ']);

/**
 * A Latin letter people write addresses with: an ASCII letter with accents (é, ü, ñ, ç, ğ), or one of a few letters
 * of their own. Not dotless ı (it reads as i), not the clicks ǀ ǃ (they read as l and !), nor phonetic, technical or
 * small-capital letters.
 */
function latinForWriting(ch: string): boolean {
  const base = ch.normalize('NFD').codePointAt(0)!;
  return (base < 0x80 && ((base | 0x20) >= 0x61 && (base | 0x20) <= 0x7a) && base !== ch.codePointAt(0)) || LATIN_OTHER_LETTERS.has(ch);
}

/** Spaces and tabs around an address are ignored (contract: emails are trimmed); nothing else is trimmed. */
export function trimEmail(raw: string): string {
  return raw.replace(/^[ \t]+|[ \t]+$/g, '');
}

/**
 * The character-level rules, for an address or a glob: no control, invisible, bidi, unassigned or private-use
 * character, no whitespace, no combining mark, nothing that Unicode normalization (NFC, NFKC) would change, and
 * outside ASCII only letters and digits (and of Latin only the letters languages are written with).
 */
export function characterProblem(text: string): EmailProblem | undefined {
  if (PLAIN_ASCII.test(text)) return undefined;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x21 && cp <= 0x7e) continue;
    const flag = [cp];
    if (cp === 0x20) return { text: 'contains a space', flag };
    if (CONTROL.test(ch)) return { text: `contains a control character ${charName(cp)}`, flag };
    if (BIDI.test(ch)) return { text: `contains an invisible bidirectional control ${charName(cp)}`, flag };
    if (INVISIBLE.test(ch)) return { text: `contains an invisible character ${charName(cp)}`, flag };
    if (SURROGATE.test(ch)) return { text: `contains ${charName(cp)}, half of a character (a lone surrogate)`, flag };
    if (PRIVATE_USE.test(ch)) return { text: `contains ${charName(cp)}, a private-use character`, flag };
    if (UNASSIGNED.test(ch)) return { text: `contains ${charName(cp)}, which is not an assigned character`, flag };
    if (SPACE.test(ch)) return { text: `contains whitespace ${charName(cp)}`, flag };
    if (MARK.test(ch)) {
      return { text: `contains a combining mark ${charName(cp)}; write each letter as one character, without combining marks`, flag };
    }
  }
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) continue;
    const flag = [cp];
    const compat = ch.normalize('NFKC');
    if (compat !== ch) {
      return { text: `contains ${charName(cp)}, a compatibility form of ${visible(compat)}; write ${visible(compat)} instead`, flag };
    }
    if (!LETTER_OR_DIGIT.test(ch)) return { text: `contains ${charName(cp)}, which is neither a letter nor a digit`, flag };
    if (LATIN.test(ch) && !latinForWriting(ch)) {
      return { text: `contains ${charName(cp)}, which is not an ASCII letter, an accented one, or one of ß æ ø œ þ ð đ ł ħ ŋ`, flag };
    }
  }
  if (text.normalize('NFC') !== text) return { text: 'is not in Unicode normalization form NFC (a letter is written as several characters)' };
  return undefined;
}

// ---- scripts ----------------------------------------------------------------------------------------------------

/** Scripts told apart; a letter of any other script counts as "another script". Latin first: it is the common case. */
const SCRIPTS = [
  'Latin', 'Greek', 'Cyrillic', 'Armenian', 'Hebrew', 'Arabic', 'Syriac', 'Thaana', 'Nko', 'Samaritan', 'Mandaic',
  'Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala',
  'Thai', 'Lao', 'Tibetan', 'Myanmar', 'Georgian', 'Hangul', 'Ethiopic', 'Cherokee', 'Canadian_Aboriginal', 'Ogham',
  'Runic', 'Tagalog', 'Khmer', 'Mongolian', 'Hiragana', 'Katakana', 'Bopomofo', 'Han', 'Yi', 'Lisu', 'Vai', 'Bamum',
  'Javanese', 'Balinese', 'Sundanese', 'Cham', 'Tai_Viet', 'Meetei_Mayek', 'Ol_Chiki', 'Coptic', 'Glagolitic',
  'Tifinagh', 'Adlam', 'Osage', 'Gothic', 'Deseret', 'Old_Italic',
] as const;
const SCRIPT_TESTS = SCRIPTS.map((s) => [s, new RegExp(`\\p{Script=${s}}`, 'u')] as const);
const COMMON_OR_INHERITED = /[\p{Script=Common}\p{Script=Inherited}]/u;

/** The script of a letter or digit; undefined for characters every script shares (ASCII digits, `-`, `.`). */
function scriptOf(ch: string): string | undefined {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x80) return (cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a ? 'Latin' : undefined;
  for (const [name, re] of SCRIPT_TESTS) if (re.test(ch)) return name;
  return COMMON_OR_INHERITED.test(ch) ? undefined : 'another script';
}

/** Combinations one writing system uses together (UTS #39 "highly restrictive"). */
const ALLOWED_MIXES: readonly ReadonlySet<string>[] = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

/**
 * Letters of Cyrillic, Greek and Armenian that look like a Latin letter in common fonts, with that letter. Only
 * close look-alikes: a word of real Cyrillic (`мост`) has letters that are not here and is not refused.
 */
const LATIN_LOOKALIKES: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a', е: 'e', һ: 'h', і: 'i', ј: 'j', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w',
  ӏ: 'l', ү: 'y',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X', І: 'I', Ј: 'J',
  Ѕ: 'S', Һ: 'H', Ԁ: 'D', Ԛ: 'Q', Ԝ: 'W', Ӏ: 'I', Ү: 'Y',
  // Greek
  α: 'a', ο: 'o', ν: 'v', ρ: 'p', υ: 'u', ι: 'i', κ: 'k', χ: 'x', ϲ: 'c', ϳ: 'j',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  // Armenian
  օ: 'o', ս: 'u', հ: 'h', ո: 'n', ց: 'g', զ: 'q',
};

/** Looser look-alikes, for comparing addresses with each other (latinSkeleton), not for refusing one alone. */
const LOOSE_LOOKALIKES: Readonly<Record<string, string>> = {
  в: 'b', к: 'k', м: 'm', н: 'h', т: 't', ь: 'b', п: 'n', г: 'r', и: 'u', ԍ: 'g', ӡ: '3',
  ε: 'e', γ: 'y', η: 'n', ω: 'w', μ: 'u', ϵ: 'e', ς: 'c',
  ı: 'i', ȷ: 'j', ǀ: 'l', ł: 'l',
};

/**
 * How an address reads to a person: lower case, each letter of another script that looks like a Latin one replaced
 * by it, and with `dropAccents` accents dropped too (`аlicé@асме.com` reads `alice@acme.com`). Two different
 * addresses with one skeleton are look-alikes. Costs nothing for ASCII text, which is its own skeleton.
 */
export function latinSkeleton(text: string, dropAccents = false): string {
  const lower = text.toLowerCase();
  if (PLAIN_ASCII.test(lower)) return lower;
  let out = '';
  for (const ch of dropAccents ? lower.normalize('NFD') : lower) {
    if (dropAccents && MARK.test(ch)) continue;
    out += LATIN_LOOKALIKES[ch] ?? LOOSE_LOOKALIKES[ch] ?? ch;
  }
  return out.toLowerCase();
}

/**
 * A local part, or one domain label, must be written in one script (or one of the combinations above), and not
 * wholly in letters of another script that each look like a Latin one (`асме`, all Cyrillic, reads as `acme`).
 */
export function scriptProblem(unit: string, where: string): EmailProblem | undefined {
  if (PLAIN_ASCII.test(unit)) return undefined;
  const counts = new Map<string, number>();
  const order: string[] = [];
  const scripts: (string | undefined)[] = [];
  for (const ch of unit) {
    const s = scriptOf(ch);
    scripts.push(s);
    if (s === undefined) continue;
    if (!counts.has(s)) order.push(s);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  if (counts.size > 1 && !ALLOWED_MIXES.some((mix) => order.every((s) => mix.has(s)))) {
    // the script most of it is written in is the reference; the first letter of another one is named
    let main = order[0]!;
    for (const s of order) if (counts.get(s)! > counts.get(main)! || (counts.get(s) === counts.get(main) && s === 'Latin')) main = s;
    const chars = [...unit];
    const flag: number[] = [];
    let first: number | undefined;
    chars.forEach((ch, i) => {
      if (scripts[i] !== undefined && scripts[i] !== main) {
        flag.push(ch.codePointAt(0)!);
        first ??= ch.codePointAt(0)!;
      }
    });
    const mainWords = main === 'another script' ? 'letters of another script' : `${main.replace(/_/g, ' ')} letters`;
    return { text: `contains ${charName(first!)} mixed with ${mainWords} in ${where}`, flag };
  }
  if (counts.size === 1 && order[0] !== 'Latin') {
    let reading = '';
    for (const ch of unit) {
      const latin = LATIN_LOOKALIKES[ch];
      if (latin !== undefined) reading += latin;
      else if (scriptOf(ch) === undefined) reading += ch;
      else return undefined;
    }
    const flag = [...unit].filter((ch) => LATIN_LOOKALIKES[ch] !== undefined).map((ch) => ch.codePointAt(0)!);
    return {
      text: `is written in ${order[0]} letters that each look like a Latin one: ${where} reads as ${visible(reading)}`,
      flag,
    };
  }
  return undefined;
}

// ---- domains ----------------------------------------------------------------------------------------------------

const LDH = /^[a-z0-9-]+$/i;
const DIGITS = /^[0-9]+$/;

function domainResult(written: string, ascii: string, unicode: string, problem?: EmailProblem): DomainInfo {
  return problem ? { written, ascii, unicode, problem } : { written, ascii, unicode };
}

/**
 * The rules of a domain name, and its ASCII form. The domain must be a name (not an IP address), fully qualified
 * without a final dot, with labels of letters, digits and inner hyphens, valid IDNA, and written as IDNA reads it:
 * a character that UTS #46 would map to another, a punycode label that does not decode to what it says, are
 * refused rather than quietly converted.
 */
export function checkDomain(domain: string): DomainInfo {
  const written = domain.toLowerCase();
  const fail = (text: string, flag?: number[]): DomainInfo =>
    domainResult(written, written, written, flag ? { text, flag } : { text });
  const chars = characterProblem(domain);
  if (chars) return domainResult(written, written, written, chars);
  if (domain === '') return fail('has nothing after the @');
  if (domain.startsWith('[')) return fail('has an IP address literal ([…]) as its domain; a plain address has a domain name');
  if (domain.endsWith('.')) return fail('has a domain that ends with a dot');
  const labels = written.split('.');
  if (labels.some((l) => l === '')) return fail('has an empty label in its domain (a dot at the start, or two dots in a row)');
  if (labels.length < 2) return fail(`has a domain without a dot (${visible(domain)}); a plain address has a fully qualified domain such as acme.com`);
  if (labels.every((l) => DIGITS.test(l))) return fail('has an IP address as its domain; a plain address has a domain name');
  if (DIGITS.test(labels[labels.length - 1]!)) return fail('has a domain whose last label is all digits, which no top-level domain is');
  for (const label of labels) {
    for (const ch of label) {
      if (ch.codePointAt(0)! < 0x80 && !LDH.test(ch)) {
        return fail(`has ${visible(ch)} in its domain, where only letters, digits, hyphens and dots belong`, [ch.codePointAt(0)!]);
      }
    }
    if (label.startsWith('-') || label.endsWith('-')) return fail(`has a domain label that starts or ends with a hyphen (${visible(label)})`);
    if (label.length >= 4 && label[2] === '-' && label[3] === '-' && !label.startsWith('xn--')) {
      return fail(`has a domain label with -- in its third and fourth places (${visible(label)}), which is reserved for encodings such as punycode`);
    }
  }
  const ascii = domainToASCII(written);
  if (ascii === '') {
    const puny = labels.find((l) => l.startsWith('xn--'));
    return fail(puny !== undefined
      ? `has a domain label ${visible(puny)} that is not valid punycode`
      : 'has a domain that is not a valid internationalized domain name (IDNA)');
  }
  const unicode = domainToUnicode(ascii);
  const asciiLabels = ascii.split('.');
  const unicodeLabels = unicode.split('.');
  if (asciiLabels.length !== labels.length || unicodeLabels.length !== labels.length) {
    return domainResult(written, ascii, unicode, { text: `has a domain that mail systems read as ${visible(unicode)}` });
  }
  for (let i = 0; i < labels.length; i++) {
    const w = labels[i]!;
    const a = asciiLabels[i]!;
    const u = unicodeLabels[i]!;
    if (w.startsWith('xn--')) {
      if (PLAIN_ASCII.test(u) || domainToASCII(u) !== a) {
        return domainResult(written, ascii, unicode, { text: `has a domain label ${visible(w)} that is not valid punycode (it decodes to ${visible(u)})` });
      }
    } else if (w !== u) {
      return domainResult(written, ascii, unicode, { text: `has a domain that mail systems read as ${visible(unicode)}, not as it is written` });
    }
    if (a.length > MAX_LABEL_OCTETS) {
      return domainResult(written, ascii, unicode, { text: `has a domain label of ${a.length} characters${a === w ? '' : ' in punycode'}; at most ${MAX_LABEL_OCTETS} are allowed` });
    }
    if (w !== u) {
      // written in punycode: what it decodes to must pass the same rules as a label written in Unicode
      const decoded = characterProblem(u);
      if (decoded) return domainResult(written, ascii, unicode, { text: `has a domain label ${visible(w)} that decodes to ${visible(u)}, which ${decoded.text}` });
    }
    const script = scriptProblem(u, `the domain label ${visible(u, (cp) => cp >= 0x80)}`);
    if (script) return domainResult(written, ascii, unicode, script);
  }
  if (ascii.length > MAX_DOMAIN_OCTETS) {
    return domainResult(written, ascii, unicode, { text: `has a domain of ${ascii.length} characters${ascii === written ? '' : ' in punycode'}; at most ${MAX_DOMAIN_OCTETS} are allowed` });
  }
  return domainResult(written, ascii, unicode);
}

// ---- addresses --------------------------------------------------------------------------------------------------

/** RFC 5322 atext, less `%` and `!` (routes through a relay: user%host@relay, bang paths). */
const LOCAL_ASCII = /^[A-Za-z0-9#$&'*+\-/=?^_`{|}~.]$/;

function localCharProblem(ch: string): EmailProblem | undefined {
  if (LOCAL_ASCII.test(ch)) return undefined;
  const flag = [ch.codePointAt(0)!];
  if (ch === '%') return { text: 'contains % in its local part, which some mail systems follow as a route to another host (user%host@relay)', flag };
  if (ch === '!') return { text: 'contains ! in its local part, which some mail systems follow as a route (a bang path)', flag };
  if (ch === '(' || ch === ')') return { text: 'contains a comment in parentheses; write one plain address', flag };
  if (ch === '<' || ch === '>') return { text: 'contains < or >: write only the address, without a display name', flag };
  if (ch === ',' || ch === ';') return { text: `contains ${visible(ch)}: write one address per entry`, flag };
  return { text: `contains ${visible(ch)} in its local part, which a plain address never contains`, flag };
}

/** Rules for the part before the `@`; `local` has passed characterProblem. */
function localProblem(local: string): EmailProblem | undefined {
  if (local === '') return { text: 'has nothing before the @' };
  if (local.startsWith('.') || local.endsWith('.')) return { text: 'has a local part that starts or ends with a dot' };
  if (local.includes('..')) return { text: 'has two dots in a row in its local part' };
  for (const ch of local) {
    if (ch.codePointAt(0)! >= 0x80) continue; // letters and digits (characterProblem saw to it)
    const p = localCharProblem(ch);
    if (p) return p;
  }
  const octets = Buffer.byteLength(local, 'utf8');
  if (octets > MAX_LOCAL_OCTETS) {
    return { text: `has a local part of ${octets} bytes; at most ${MAX_LOCAL_OCTETS} are allowed (RFC 5321)` };
  }
  return undefined;
}

/**
 * Checks addresses, remembering each domain's verdict: a file of 50,000 members has a handful of domains, so the
 * IDNA conversion runs a handful of times and an ASCII address costs a few regular-expression tests.
 */
export class EmailRules {
  private readonly domains = new Map<string, DomainInfo>();

  domain(domain: string): DomainInfo {
    let d = this.domains.get(domain);
    if (!d) {
      d = checkDomain(domain);
      this.domains.set(domain, d);
    }
    return d;
  }

  check(raw: string): EmailInfo {
    const email = trimEmail(raw);
    const fail = (problem: EmailProblem, domain?: DomainInfo): EmailInfo => (domain ? { email, problem, domain } : { email, problem });
    if (email === '') return fail({ text: 'is empty' });
    if (email.includes('"')) return fail({ text: 'has a quoted local part ("…"@…); write one plain address' });
    const chars = characterProblem(email);
    if (chars) return fail(chars);
    const at = email.indexOf('@');
    if (at < 0) return fail({ text: 'has no @' });
    if (email.indexOf('@', at + 1) >= 0) return fail({ text: 'has more than one @' });
    const local = email.slice(0, at);
    const lp = localProblem(local);
    if (lp) return fail(lp);
    const domain = this.domain(email.slice(at + 1));
    if (domain.problem) return fail(domain.problem, domain);
    const total = Buffer.byteLength(local, 'utf8') + 1 + domain.ascii.length;
    if (total > MAX_ADDRESS_OCTETS) return fail({ text: `is ${total} bytes long; at most ${MAX_ADDRESS_OCTETS} are allowed (RFC 5321)` }, domain);
    const script = scriptProblem(local, 'the local part');
    if (script) return fail(script, domain);
    return { email, domain };
  }
}

/** One address, checked alone (tests and one-off callers; a loop over many should share one EmailRules). */
export function checkEmail(raw: string): EmailInfo {
  return new EmailRules().check(raw);
}

/** Levenshtein distance, for "did you mean" suggestions between short strings. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
