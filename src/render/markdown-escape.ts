// Escaping for the pull-request view. Every value that comes from the desired-state file or the API (emails,
// names, reasons, diagnostics) passes through `escapeText`, `codeSpan` or `htmlCode` before it reaches markdown.

import { visible } from './visible.js';

// Numeric character references are decoded both in markdown text and inside raw HTML (`<summary>`), and CommonMark
// treats them as literal text, never as syntax: one escape serves both contexts, where a backslash escape would
// show up verbatim inside HTML. Covered: HTML (`<`, `>`, `&`), emphasis and strikethrough (`*`, `_`, `~`), links
// and images (`[`, `]`), tables (`|`), code (`` ` ``), math (`$`), and the backslash that would otherwise escape
// the `&` of a following reference.
const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '|': '&#124;',
  '`': '&#96;',
  '*': '&#42;',
  '_': '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '\\': '&#92;',
  '~': '&#126;',
  '$': '&#36;',
};
const SPECIAL = /[&<>|`*_[\]\\~$]/g;

// Line breaks would end a list item, a blank line would end a `<details>` HTML block early, and bidi overrides or
// zero-width characters would make a value read as something it is not: a value is always rendered on one line,
// with every control, bidi or invisible character written as a visible escape (`\n`, `\u001b`, `\u202e`; see
// visible.ts). The backslash of the escape is itself escaped below, so it renders as written.

/** One line, with every control, bidi or invisible character made visible. */
export function oneLine(s: string): string {
  return visible(s);
}

/**
 * A value shown in a part of the comment that is always there (the heading, the footer, a file name): made visible
 * and cut to `max` characters, so that no value can push the comment past GitHub's limit (an organization name of
 * 10,000 ESC characters is 60,000 characters once visible).
 */
export function clip(s: string, max: number): string {
  const v = visible(s);
  return v.length <= max ? v : `${v.slice(0, max)}… (${formatCount(v.length - max)} more characters)`;
}

/** Text safe in markdown and in raw HTML: it renders exactly as given, with no markup, link or HTML. */
export function escapeText(s: string): string {
  // An `@name` that starts a word would ping a GitHub user or team (a workspace called `@acme/admins`); a zero-width
  // space after the `@` keeps the text as it reads and stops the mention. `alice@acme.com` is not a mention.
  return oneLine(s).replace(SPECIAL, (ch) => ENTITY[ch] ?? ch).replace(/(^|[^A-Za-z0-9._%+-])@/g, '$1@&#8203;');
}

/**
 * A markdown code span showing `s` verbatim (CommonMark 6.1): the fence is one backtick longer than the longest
 * run inside, and content that starts or ends with a backtick or a space is padded with one space, which the
 * parser strips again. No escape is needed or possible inside: the content is literal, is never autolinked (an
 * email stays text), and `@name` inside is not a GitHub mention.
 */
export function codeSpan(s: string): string {
  const text = oneLine(s);
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text.charCodeAt(i) === 96) {
      run += 1;
      if (run > longest) longest = run;
    } else {
      run = 0;
    }
  }
  const fence = '`'.repeat(longest + 1);
  const pad = text === '' || /^[` ]|[` ]$/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** The same inside raw HTML (a `<summary>`), where markdown code spans are not parsed. */
export function htmlCode(s: string): string {
  return `<code>${escapeText(s)}</code>`;
}

/** `9412` → `9,412`, without the runtime's locale (the same plan renders the same text everywhere). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1 change`, `2 changes`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
