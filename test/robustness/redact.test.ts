// Issue 12, part 1: the scrub itself. No substring of 10 or more characters of a registered secret survives
// `redact`, raw or encoded (URL, JSON, hex, base64 and base64url at every byte alignment); a piece shorter than
// the window, the public key prefixes and ordinary text stay as they are.

import { describe, expect, it } from 'vitest';
import { redact, registerSecret, secretForms, secretRanges, SECRET_WINDOW } from '../../src/secrets.js';

/** Has `/`, `+`, `=` and a space-free run of symbols, so that its URL, JSON and base64 forms all differ from it. */
const KEY = 'sk-ant-admin01-REDACTtest/key+with=odd"chars\\and-0123456789abcdefghijKLMNOPQRSTUVWXYZ_tail';
const TOKEN = 'scimtok_REDACTtestTOKEN_9f8e7d6c5b4a3210ZyXwVuTsRq';
const SHORT = 'sh0rtK3y'; // 8 characters: matched whole
registerSecret(KEY);
registerSecret(TOKEN);
registerSecret(SHORT);

/** Every 10-character window of `form`. */
function windows(form: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + SECRET_WINDOW <= form.length; i += 1) out.push(form.slice(i, i + SECRET_WINDOW));
  return out;
}

/** The forms whose windows must never appear, minus the windows that lie inside a public prefix. */
function forbiddenWindows(secret: string): string[] {
  const prefix = /^sk-ant-[a-z]+\d\d-/.exec(secret)?.[0] ?? '';
  const pub = new Set(secretForms(prefix).flatMap(windows));
  return [...new Set(secretForms(secret).flatMap(windows))].filter((w) => !pub.has(w));
}

function expectClean(out: string, label: string): void {
  for (const s of [KEY, TOKEN]) {
    const hit = forbiddenWindows(s).find((w) => out.includes(w));
    expect(hit, `${label}: ${JSON.stringify(hit)} survived in ${JSON.stringify(out.slice(0, 300))}`).toBeUndefined();
  }
  expect(out, label).not.toContain(SHORT);
}

/** A small deterministic generator (mulberry32): the same cases on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENCODERS: Array<[string, (s: string) => string]> = [
  ['raw', (s) => s],
  ['url', (s) => encodeURIComponent(s)],
  ['json', (s) => JSON.stringify(s)],
  ['hex', (s) => Buffer.from(s).toString('hex')],
  ['HEX', (s) => Buffer.from(s).toString('hex').toUpperCase()],
  ['base64', (s) => Buffer.from(s).toString('base64')],
  ['base64url', (s) => Buffer.from(s).toString('base64url')],
];

describe('redact', () => {
  it('removes the whole secret in every form, and leaves the text around it', () => {
    for (const [name, enc] of ENCODERS) {
      for (const s of [KEY, TOKEN]) {
        const out = redact(`before ${enc(s)} after`);
        expectClean(out, name);
        expect(out, name).toMatch(/^before .*\[redacted\].* after$/);
      }
    }
  });

  it('removes every piece of 10 characters or more, encoded on its own, at any offset', () => {
    for (const [name, enc] of ENCODERS) {
      for (const s of [KEY, TOKEN]) {
        for (let start = 0; start + SECRET_WINDOW <= s.length; start += 1) {
          for (const len of [10, 11, 12, 13, 17, 31]) {
            if (start + len > s.length) continue;
            const piece = s.slice(start, start + len);
            const out = redact(`x${enc(piece)}y`);
            const encoded = enc(piece);
            // what is left of the piece's own encoding is shorter than a window
            const left = windows(encoded).filter((w) => out.includes(w) && forbiddenWindows(s).includes(w));
            expect(left, `${name} ${s.slice(0, 6)}[${start}, +${len}) → ${out}`).toEqual([]);
          }
        }
      }
    }
  });

  it('keeps pieces shorter than the window, public key prefixes and ordinary text', () => {
    expect(redact(KEY.slice(20, 29))).toBe(KEY.slice(20, 29));
    expect(redact('export ANTHROPIC_ADMIN_KEY=sk-ant-admin01-… or sk-ant-api01-… (not sk-ant-api03-…)'))
      .toBe('export ANTHROPIC_ADMIN_KEY=sk-ant-admin01-… or sk-ant-api01-… (not sk-ant-api03-…)');
    expect(redact('GET /scim/v2.0/Users failed')).toBe('GET /scim/v2.0/Users failed');
    const plain = 'Plan: 3 to create, 0 to update; plan_hash 4f1c…';
    expect(redact(plain)).toBe(plain);
  });

  it('a public prefix followed by one secret character is a secret window', () => {
    const out = redact(`${KEY.slice(0, 16)} and ${KEY.slice(5, 16)}`);
    expect(out).not.toContain(KEY.slice(6, 16));
    expect(out).toContain('[redacted]');
  });

  it('matches a short secret whole', () => {
    expect(redact(`a ${SHORT} b ${encodeURIComponent(SHORT)}`)).toBe('a [redacted] b [redacted]');
    expect(redact(SHORT.slice(0, 7))).toBe(SHORT.slice(0, 7));
  });

  it('still scrubs anything shaped like an Anthropic key, registered or not', () => {
    const other = 'sk-ant-api01-NOTregisteredANYWHERE-0123456789';
    expect(redact(`key ${other}.`)).toBe('key [redacted].');
  });

  it('merges overlapping and touching matches into one range, in order', () => {
    const text = `${KEY.slice(20, 40)}${TOKEN.slice(0, 15)} mid ${TOKEN}`;
    const r = secretRanges(text);
    expect(r).toEqual([0, 35, 40, 40 + TOKEN.length]);
    expect(redact(text)).toBe('[redacted] mid [redacted]');
  });

  it('random texts with secrets spliced in, encoded, cut and glued, come out clean', () => {
    const next = rng(12);
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/+= \n"\\';
    for (let round = 0; round < 300; round += 1) {
      const parts: string[] = [];
      for (let k = 0; k < 6; k += 1) {
        let noise = '';
        const n = Math.floor(next() * 40);
        for (let j = 0; j < n; j += 1) noise += alphabet[Math.floor(next() * alphabet.length)];
        parts.push(noise);
        const s = next() < 0.5 ? KEY : TOKEN;
        const start = Math.floor(next() * (s.length - SECRET_WINDOW));
        const len = SECRET_WINDOW + Math.floor(next() * (s.length - start - SECRET_WINDOW + 1));
        const [, enc] = ENCODERS[Math.floor(next() * ENCODERS.length)]!;
        parts.push(enc(s.slice(start, start + len)));
      }
      const text = parts.join('');
      const out = redact(text);
      // every window of every spliced piece's encoding that is a window of a full form is gone
      expectClean(out, `round ${round}`);
    }
  });

  it('never cuts an escape sequence in two: the text around [redacted] keeps its meaning', () => {
    const piece = TOKEN.slice(10, 30);
    // a JSON string whose escape runs into the secret: a lone backslash before [redacted] would not be JSON
    expect(redact(`"a\\${piece}b"`)).toBe('"a[redacted]b"');
    expect(() => JSON.parse(redact(`"a\\${piece}b"`))).not.toThrow();
    // an escaped backslash before it is left whole
    expect(redact(`"a\\\\${piece}"`)).toBe('"a\\\\[redacted]"');
    // a %XX escape whose last digit is the secret's first character
    expect(piece[0]).toMatch(/[0-9A-F]/);
    expect(redact(`%2${piece}`)).toBe('[redacted]');
    expect(redact(`${piece}%4`)).toBe('[redacted]%4');
  });

  it('leaves a text with no secret identical (the same string, not a copy)', () => {
    const text = 'x'.repeat(100_000);
    expect(redact(text)).toBe(text);
    expect(secretRanges(text)).toEqual([]);
  });
});
