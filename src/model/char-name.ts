// Naming characters in messages, and showing text with what is invisible or deceptive made visible. A message
// about `alice@acme.com` with a zero-width space must never print the zero-width space itself (the reader would
// see nothing wrong), nor a bidi control (it reorders the terminal line), nor any control character.

import { NAME_ALPHABET, NAME_BLOCKS, NAME_SINGLE, NAME_WORDS } from './unicode-names.js';

/** Names of control characters (they have none in the Unicode name list, only these aliases). */
const CONTROL_NAMES: Record<number, string> = {
  0x00: 'NULL',
  0x07: 'BELL',
  0x08: 'BACKSPACE',
  0x09: 'CHARACTER TABULATION',
  0x0a: 'LINE FEED',
  0x0b: 'LINE TABULATION',
  0x0c: 'FORM FEED',
  0x0d: 'CARRIAGE RETURN',
  0x1b: 'ESCAPE',
  0x20: 'SPACE',
  0x7f: 'DELETE',
  0x85: 'NEXT LINE',
};

let names: Map<number, string> | undefined;

/** Decodes the generated table once, on the first message that needs a name. */
function table(): Map<number, string> {
  if (names) return names;
  const words = NAME_WORDS.split(' ');
  const index = new Map<string, number>();
  for (let i = 0; i < NAME_ALPHABET.length; i++) index.set(NAME_ALPHABET[i]!, i);
  names = new Map();
  for (const [first, encoded] of NAME_BLOCKS) {
    encoded.split(',').forEach((code, k) => {
      if (code === '') return;
      const out: string[] = [];
      for (let i = 0; i < code.length; i++) {
        const c = index.get(code[i]!)!;
        if (c < NAME_SINGLE) out.push(words[c]!);
        else out.push(words[NAME_SINGLE + (c - NAME_SINGLE) * NAME_ALPHABET.length + index.get(code[++i]!)!]!);
      }
      names!.set(first + k, out.join(' '));
    });
  }
  return names;
}

export function hex(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `U+0430 CYRILLIC SMALL LETTER A`, or `U+0915` when the name is not in the table. */
export function charName(cp: number): string {
  const name = CONTROL_NAMES[cp] ?? (cp >= 0x21 && cp <= 0x7e ? undefined : table().get(cp));
  return name ? `${hex(cp)} ${name}` : hex(cp);
}

/**
 * Characters never printed as themselves in a message: controls, format characters (bidi controls, zero-width
 * characters), surrogates, private-use and unassigned code points, every space but U+0020, and default-ignorable
 * code points (variation selectors, Hangul fillers, …), which render as nothing.
 */
const HIDDEN = /[\p{C}\p{Z}\p{Default_Ignorable_Code_Point}]/u;

function escape(cp: number): string {
  return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}

/**
 * `text` in double quotes, with `"` and `\` escaped, and every hidden character — and every character `flag`
 * picks (a look-alike letter, say) — written as a `\u…` escape: `"\u0430lice@acme.com"`.
 */
export function visible(text: string, flag?: (cp: number) => boolean): string {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if ((cp !== 0x20 && HIDDEN.test(ch)) || flag?.(cp)) out += escape(cp);
    else out += ch;
  }
  return `${out}"`;
}

/**
 * Free text from the file (a departure's reason) as it may be printed: every hidden character written as a `\u…`
 * escape, nothing else changed and no quotes added. A bidi override in a reason would reorder the terminal line.
 */
export function reveal(text: string): string {
  if (!hasHidden(text)) return text;
  let out = '';
  for (const ch of text) out += ch !== ' ' && HIDDEN.test(ch) ? escape(ch.codePointAt(0)!) : ch;
  return out;
}

/** True when `visible` would escape something in `text` other than `"` and `\`. */
export function hasHidden(text: string): boolean {
  for (const ch of text) if (ch !== ' ' && HIDDEN.test(ch)) return true;
  return false;
}
