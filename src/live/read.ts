// Reads the live state both APIs hold and maps wire objects to the planner's model. Fail closed: any error is
// thrown, never turned into an empty listing. The organization pin is checked before anything else is read.

import type { ListInvitesQuery, ListUsersQuery, WireInvite, WireOrganization, WireUser } from '../clients/wire.js';
import { OrganizationMismatchError } from '../errors.js';
import type { Desired } from '../model/desired.js';
import type { Live, LiveInvite, LiveScim, LiveUser } from '../model/live.js';

/** The reads the live state needs from the Admin API client. */
export interface AdminReader {
  getOrganization(opts?: { signal?: AbortSignal }): Promise<WireOrganization>;
  listAllUsers(q?: ListUsersQuery, opts?: { signal?: AbortSignal }): Promise<WireUser[]>;
  listAllInvites(q?: ListInvitesQuery, opts?: { signal?: AbortSignal }): Promise<WireInvite[]>;
}

/** Reads the SCIM directory, or says why it cannot be read. Absent when the file does not need it. */
export type ScimReader = () => Promise<LiveScim>;

export interface LiveSources {
  admin: AdminReader;
  scim?: ScimReader;
  signal?: AbortSignal;
}

export function toLiveUser(u: WireUser): LiveUser {
  return { id: u.id, email: u.email, name: u.name ?? '', role: u.role, addedAt: u.added_at };
}

export function toLiveInvite(i: WireInvite): LiveInvite {
  return { id: i.id, email: i.email, role: i.role, status: i.status, invitedAt: i.invited_at, expiresAt: i.expires_at };
}

/** Whether the plan for this file needs the SCIM directory. */
export function needsScim(desired: Desired): boolean {
  return desired.organization.provisioning === 'scim' || desired.scim.groups.length > 0;
}

export async function readLive(desired: Desired, sources: LiveSources): Promise<Live> {
  const signal = sources.signal;
  const org = await sources.admin.getOrganization({ signal });
  if (org.id !== desired.organization.id) {
    throw new OrganizationMismatchError(desired.organization.id, org.id, org.name);
  }
  // Independent collections are read concurrently; the client paces them to the rate limit.
  // Accepted invites are members already: only pending and expired ones matter to the plan (§6.4 statuses[]).
  const [users, invites, scim] = await Promise.all([
    sources.admin.listAllUsers(undefined, { signal }),
    sources.admin.listAllInvites({ statuses: ['pending', 'expired'] }, { signal }),
    needsScim(desired) && sources.scim ? sources.scim() : Promise.resolve(undefined),
  ]);
  const live: Live = {
    organization: { id: org.id, name: org.name },
    users: users.map(toLiveUser),
    invites: invites.map(toLiveInvite),
  };
  if (scim) live.scim = scim;
  else if (needsScim(desired)) live.scim = { available: false, reason: 'no SCIM reader configured' };
  return live;
}
