// Reads back what a pull-request comment names in a list section (destructive changes, undeclared objects), in both
// forms the renderer uses: one line per item (`- `member["a@x.com"]` **delete** — reason`), or compact group lines
// (`- **Removed from the organization** (departed) — 3: `@x.com`: `a, b` · `c``). Test data holds no backticks.

import { parseAddress } from '../../src/model/address.js';

/** The text of a `### heading` section, up to the next heading or the footer; '' when there is none. */
export function sectionOf(text: string, heading: string): string {
  const start = text.indexOf(`\n### ${heading}`);
  if (start < 0) return '';
  const rest = text.slice(start + 1);
  const end = rest.slice(4).search(/\n### |\n---\n|\n> ✂️/);
  return end < 0 ? rest : rest.slice(0, end + 4);
}

export interface Named {
  /** every name the section names, in order (emails put back together) */
  names: string[];
  /** the one-line-per-item form was used */
  full: boolean;
  /** `… N of M … not named here`: N, or 0 */
  notNamed: number;
  /** the group lines' own `… N not named` tails, summed */
  groupNotNamed: number;
}

const num = (s: string) => Number(s.replace(/,/g, ''));

export function namedIn(section: string): Named {
  const names: string[] = [];
  let full = false;
  let notNamed = 0;
  let groupNotNamed = 0;
  for (const line of section.split('\n')) {
    const total = /^- … ([\d,]+) of [\d,]+ .* not named here/.exec(line);
    if (total) {
      notNamed = num(total[1]!);
      continue;
    }
    const one = /^- `([^`]+)` (?:\*\*\w+\*\* )?— /.exec(line);
    if (one) {
      full = true;
      const a = parseAddress(one[1]!);
      const key = a?.key ?? one[1]!;
      names.push(a && a.kind.endsWith('_member') ? key.slice(key.lastIndexOf('/') + 1) : key);
      continue;
    }
    const group = /^- \*\*.*? — [\d,]+: /.exec(line);
    if (!group) continue;
    let body = line.slice(group[0].length);
    const tail = / ?… ([\d,]+) not named$/.exec(body);
    if (tail) {
      groupNotNamed += num(tail[1]!);
      body = body.slice(0, tail.index);
    }
    for (const m of body.matchAll(/`@([^`]*)`: `([^`]*)`|`([^`]*)`/g)) {
      if (m[1] !== undefined) names.push(...m[2]!.split(', ').map((local) => `${local}@${m[1]}`));
      else names.push(...m[3]!.split(', '));
    }
  }
  return { names, full, notNamed, groupNotNamed };
}
