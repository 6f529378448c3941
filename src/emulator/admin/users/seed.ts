// The `users` section of a seed: the organization's members (§5). Called from `validateSeed` (emulator/seed.ts), which
// reports every problem at once with its path.

import type { WireOrgKind } from '../../../clients/wire.js';
import { emailKey, isWellFormedEmail } from '../../emails.js';
import { canHold } from '../../roles.js';
import { eachMapping, seedChecks, type Bad, type Obj, type UniqueId } from '../../seed-check.js';

export interface SeedUser {
  email: string;
  /** Any role a member of this kind of org can hold, including keep-only ones (owner, admin…). */
  role: string;
  /** Default: the part of the address before `@` (the real value for a nameless member is open, §16 q12). */
  name?: string;
  /** RFC 3339. Default: one second apart in seed order, the last listed joining at load time (newest). */
  added_at?: string;
  /** Default: a new random `user_01…` id. */
  id?: string;
}

/** Checks `users`; returns them, and each member's email key with the path that seeded it. */
export function validateUsersSeed(
  value: Obj,
  ctx: { kind: WireOrgKind; bad: Bad; uniqueId: UniqueId },
): { users: SeedUser[]; memberEmails: Map<string, string> } {
  const { kind, bad, uniqueId } = ctx;
  const { str, time, list } = seedChecks(bad, value);
  const users: SeedUser[] = [];
  const memberEmails = new Map<string, string>();
  eachMapping(list('users'), 'users', ['email', 'role', 'name', 'added_at', 'id'], '{email, role, name?, added_at?, id?}', bad, (item, path) => {
    const email = str(item, 'email', path, true);
    const role = str(item, 'role', path, true);
    if (email !== undefined) {
      if (!isWellFormedEmail(email)) bad(`${path}.email`, `'${email}' is not a well-formed address`);
      const earlier = memberEmails.get(emailKey(email));
      if (earlier) bad(`${path}.email`, `'${email}' is already the member ${earlier} (addresses are case-insensitive)`);
      memberEmails.set(emailKey(email), path);
    }
    if (role !== undefined && !canHold(kind, role)) bad(`${path}.role`, `'${role}' is not a role of a ${kind} org (§3.1)`);
    const user: SeedUser = { email: email ?? '', role: role ?? '' };
    const name = str(item, 'name', path, false);
    if (name !== undefined) user.name = name;
    const added = time(item, 'added_at', path);
    if (added !== undefined) user.added_at = added;
    const id = uniqueId(str(item, 'id', path, false), 'user', path);
    if (id !== undefined) user.id = id;
    users.push(user);
  });
  return { users, memberEmails };
}
