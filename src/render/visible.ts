// Values from the API or the desired-state file are printed with every invisible or terminal-controlling character
// made visible (issue 12, part 2): a member name with a line break and `  - member["ceo@acme.com"]` after it must not
// print a fake plan line, and ESC sequences, `\r`, C1 controls or bidi overrides must not erase, move or reorder
// a real line of the plan a person approves. Every renderer passes each value through `visible`; the colours a
// renderer adds itself (chalk) are added around the escaped value and stay.

/**
 * The characters made visible:
 * - C0 controls U+0000–U+001F (`\n`, `\r`, `\t` by name, the others as `\u001b`), DEL U+007F, and the C1 controls
 *   U+0080–U+009F (U+009B is a CSI on some terminals);
 * - bidi controls: U+061C, U+200E–U+200F, U+202A–U+202E (embeddings, overrides), U+2066–U+2069 (isolates);
 * - invisible characters: the soft hyphen U+00AD, U+180E, zero-width U+200B–U+200D, U+2060–U+2064 and
 *   U+206A–U+206F, the byte order mark U+FEFF, the Hangul fillers U+115F, U+1160, U+3164, U+FFA0, the interlinear
 *   annotations U+FFF9–U+FFFB, and the tag characters U+E0000–U+E007F (which can carry hidden ASCII);
 * - the line and paragraph separators U+2028, U+2029;
 * - a lone surrogate (half of a character: not printable).
 * A backslash is left as it is (a Windows path stays readable), so `\n` in the output may also be a backslash and
 * an `n` in the value; the point is that no value can start a line or move the cursor.
 */
const INVISIBLE =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb]|\udb40[\udc00-\udc7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The same set, for a quick test (no `g`: `test` keeps no state). */
const ANY_INVISIBLE = new RegExp(INVISIBLE.source);

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hex4(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  if (ch.length === 2) return `\\u{${ch.codePointAt(0)!.toString(16)}}`;
  return hex4(ch.charCodeAt(0));
}

/** Whether `s` holds a character that `visible` would escape. */
export function hasInvisible(s: string): boolean {
  return ANY_INVISIBLE.test(s);
}

/** `s` with each control, bidi or invisible character written as an escape (`\n`, `\u001b`, `\u202e`, …). */
export function visible(s: string): string {
  return ANY_INVISIBLE.test(s) ? s.replace(INVISIBLE, escapeOne) : s;
}

/** Any value as one visible line: strings escaped, anything else as JSON (whose strings are escaped too). */
export function visibleValue(v: unknown): string {
  return visible(typeof v === 'string' ? v : String(JSON.stringify(v)));
}

// JSON.stringify escapes C0 controls, quotes and lone surrogates, but leaves DEL, the C1 controls, bidi controls,
// invisible characters and U+2028/U+2029 raw. Outside its strings JSON text is plain ASCII, so each of them can be
// replaced by its `\uXXXX` escape wherever it is: the parsed value is identical.
const JSON_RAW =
  /[\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/g;
const ANY_JSON_RAW = new RegExp(JSON_RAW.source);

/** JSON text with those characters escaped as `\uXXXX` (a tag character as its surrogate pair). */
export function escapeJsonText(json: string): string {
  if (!ANY_JSON_RAW.test(json)) return json;
  return json.replace(JSON_RAW, (ch) => (ch.length === 2 ? hex4(ch.charCodeAt(0)) + hex4(ch.charCodeAt(1)) : hex4(ch.charCodeAt(0))));
}

/** `JSON.stringify(value, null, indent)` that a terminal, an editor or a diff shows as it is. */
export function safeJson(value: unknown, indent = 2): string {
  return escapeJsonText(JSON.stringify(value, null, indent));
}
