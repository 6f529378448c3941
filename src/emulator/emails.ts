// Email rules of the Admin API: invites need a well-formed address (§6.3, "format email"); the `email` filters
// of both listings are case-insensitive and tolerate `+tag` variants (§5.2: `jane+hiring@example.com` matches
// `jane@example.com`); duplicate checks on invite creation compare whole addresses case-insensitively (§6.3).

// The HTML5 "valid e-mail address" grammar, plus a dot in the domain (a real mailbox needs a public domain).
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isWellFormedEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/** Identity of an address for duplicate checks and the invitation-email counter: lower-cased. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** Key of the `email` filter: lower-cased, with any `+tag` dropped from the local part (both sides, §5.2). */
export function emailMatchKey(email: string): string {
  const lower = emailKey(email);
  const at = lower.lastIndexOf('@');
  if (at < 0) return lower;
  const local = lower.slice(0, at);
  const plus = local.indexOf('+');
  return plus < 0 ? lower : `${local.slice(0, plus)}${lower.slice(at)}`;
}

/** Display name used when none is given (seeded users, accepted invites); §16 q12 leaves the real one open. */
export function defaultName(email: string): string {
  const at = email.indexOf('@');
  return at > 0 ? email.slice(0, at) : email;
}
