// One string per distinct short value, such as a role or a status, instead of one copy per record. The YAML and
// JSON parsers make a new string for every occurrence they read: a 50,000-member organization would hold 50,000
// copies of "user" on each side of the diff. The table is small and bounded; values it has no room for, or that
// are long, are returned as they are.

const table = new Map<string, string>();
const MAX_ENTRIES = 1024;
const MAX_LENGTH = 64;

export function intern(s: string): string {
  if (s.length > MAX_LENGTH) return s;
  const known = table.get(s);
  if (known !== undefined) return known;
  if (table.size >= MAX_ENTRIES) return s;
  // a copy of its own: a string the parser cut out of a whole file or response may keep all of it alive
  const own = JSON.parse(JSON.stringify(s)) as string;
  table.set(own, own);
  return own;
}
