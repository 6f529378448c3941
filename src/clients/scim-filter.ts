// SCIM filter expressions the client sends (RFC 7644 §3.4.2.2). Only `attr eq "value"`, the subset WorkOS's own
// bridge uses against WorkOS (scim.md §3.4). A compValue is a JSON literal, so a string is quoted and escaped
// exactly as JSON.stringify does (`"` → `\"`, `\` → `\\`, control characters → `\uXXXX`). URL-encoding of the
// whole expression (spaces, quotes, `%`, `&`) is done by the query encoder (send.ts `encodeQuery`).

/** `attr eq "value"` with the value quoted and escaped as a JSON string. */
export function scimEq(attribute: string, value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_$:.-]*$/.test(attribute)) throw new TypeError(`not a SCIM attribute path: ${attribute}`);
  return `${attribute} eq ${JSON.stringify(value)}`;
}

/** PATCH path selecting one member of a group: `members[value eq "id"]` (RFC 7644 §3.5.2.2, Figure 7). */
export function memberValuePath(userId: string): string {
  return `members[${scimEq('value', userId)}]`;
}
