// The `invites` section of a seed (§6). Called from `validateSeed` (emulator/seed.ts), which reports every problem at once
// with its path. Missing timestamps are filled in when the store loads the seed.

import type { WireOrgKind } from '../../../clients/wire.js';
import { emailKey, isWellFormedEmail } from '../../emails.js';
import { isAssignable } from '../../roles.js';
import { eachMapping, seedChecks, type Bad, type Obj, type UniqueId } from '../../seed-check.js';
import { INVITE_LIFETIME_MS } from './records.js';

export type SeedInviteStatus = 'pending' | 'accepted' | 'expired' | 'deleted';

export interface SeedInvite {
  email: string;
  /** An assignable role (§3.1): the API never invites with another. */
  role: string;
  /** Default `pending`. A pending invite whose `expires_at` has passed reads as `expired` (§6.2). */
  status?: SeedInviteStatus;
  /** Default: seed time (one second apart in seed order); for `expired`, 22 days before that. */
  invited_at?: string;
  /** Default: `invited_at` + 21 days (§6.2). */
  expires_at?: string;
  /** Only for `accepted`; default `invited_at`. */
  accepted_at?: string;
  /** Default: a new random `invite_01…` id. */
  id?: string;
}

/** Checks `invites`; returns them. */
export function validateInvitesSeed(value: Obj, ctx: { kind: WireOrgKind; bad: Bad; uniqueId: UniqueId }): SeedInvite[] {
  const { kind, bad, uniqueId } = ctx;
  const { str, time, list } = seedChecks(bad, value);
  const invites: SeedInvite[] = [];
  const pendingEmails = new Map<string, string>();
  eachMapping(list('invites'), 'invites', ['email', 'role', 'status', 'invited_at', 'expires_at', 'accepted_at', 'id'], '{email, role, status?, invited_at?, expires_at?, id?}', bad, (item, path) => {
    const email = str(item, 'email', path, true);
    const role = str(item, 'role', path, true);
    const status = str(item, 'status', path, false) ?? 'pending';
    if (!['pending', 'accepted', 'expired', 'deleted'].includes(status)) {
      bad(`${path}.status`, `'${status}' must be pending, accepted, expired or deleted`);
    }
    if (email !== undefined && !isWellFormedEmail(email)) bad(`${path}.email`, `'${email}' is not a well-formed address`);
    if (role !== undefined && !isAssignable(kind, role)) {
      bad(`${path}.role`, `'${role}' cannot be the role of an invite in a ${kind} org (§3.1)`);
    }
    const invite: SeedInvite = { email: email ?? '', role: role ?? '', status: status as SeedInviteStatus };
    const invitedAt = time(item, 'invited_at', path);
    const expiresAt = time(item, 'expires_at', path);
    const acceptedAt = time(item, 'accepted_at', path);
    if (invitedAt !== undefined) invite.invited_at = invitedAt;
    if (expiresAt !== undefined) invite.expires_at = expiresAt;
    if (acceptedAt !== undefined) {
      if (status === 'accepted') invite.accepted_at = acceptedAt;
      else bad(`${path}.accepted_at`, 'only an accepted invite has accepted_at');
    }
    if (invitedAt && expiresAt && Date.parse(expiresAt) <= Date.parse(invitedAt)) {
      bad(`${path}.expires_at`, 'must be after invited_at');
    }
    // The store defaults expires_at to invited_at + 21 days (§6.2), and invited_at to now.
    const expiryMs = expiresAt
      ? Date.parse(expiresAt)
      : invitedAt
        ? Date.parse(invitedAt) + INVITE_LIFETIME_MS
        : Number.POSITIVE_INFINITY;
    const future = expiryMs > Date.now();
    if (status === 'expired' && expiresAt && future) {
      bad(`${path}.expires_at`, 'an expired invite needs expires_at in the past');
    }
    if (status === 'pending' && email !== undefined && future) {
      const earlier = pendingEmails.get(emailKey(email));
      if (earlier) bad(`${path}.email`, `${earlier} is already a pending invite for '${email}' (§6.3 forbids two)`);
      pendingEmails.set(emailKey(email), path);
    }
    const id = uniqueId(str(item, 'id', path, false), 'invite', path);
    if (id !== undefined) invite.id = id;
    invites.push(invite);
  });
  return invites;
}
