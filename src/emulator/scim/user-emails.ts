// Which address of a SCIM user counts (scim.md §3.17, reference §13.4): WorkOS needs one entry with a non-blank
// `value` (or an email-shaped `userName`, which it backfills); a malformed address is accepted but is never the
// primary one; the primary is the `primary: true` entry, else the first `work`, else the first `home`.

import { emailKey, isWellFormedEmail } from '../emails.js';

interface EmailEntry {
  value?: unknown;
  type?: unknown;
  primary?: unknown;
}

function entries(emails: unknown): EmailEntry[] {
  return Array.isArray(emails) ? emails.filter((e): e is EmailEntry => typeof e === 'object' && e !== null) : [];
}

/** At least one entry with a non-blank string `value` (§13.4 "a usable email"). */
export function hasUsableEmail(emails: unknown): boolean {
  return entries(emails).some((e) => typeof e.value === 'string' && e.value.trim() !== '');
}

/**
 * The primary address, or undefined when no entry is well formed. WorkOS's order is primary, first work, first home;
 * when none of those is well formed the emulator falls back to the first well-formed entry of any type (an untyped,
 * non-primary single address is common from simple clients, and WorkOS's behaviour there is not documented).
 */
export function primaryEmail(emails: unknown): string | undefined {
  const ok = entries(emails).filter((e) => typeof e.value === 'string' && isWellFormedEmail(e.value.trim()));
  const pick =
    ok.find((e) => e.primary === true) ??
    ok.find((e) => typeof e.type === 'string' && e.type.toLowerCase() === 'work') ??
    ok.find((e) => typeof e.type === 'string' && e.type.toLowerCase() === 'home') ??
    ok[0];
  return pick ? (pick.value as string).trim() : undefined;
}

/** The backfill WorkOS applies when `userName` is itself an address (§13.4). */
export function backfilledEmails(userName: string): Array<{ primary: boolean; type: string; value: string }> {
  return [{ primary: true, type: 'work', value: userName }];
}

export function isEmailShaped(userName: string): boolean {
  return isWellFormedEmail(userName);
}

export { emailKey };
