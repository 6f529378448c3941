// Reads the SCIM directory into the live model. A directory that answers 401 or 403 is not an error: it means the
// organization has no Enterprise directory or the token is wrong, so SCIM changes become `unavailable` and the rest
// of the plan goes on (issue 4, "the Enterprise gate"). Any other failure is thrown: never a partial read.

import { collectStable } from '../clients/scim-paginate.js';
import type { ScimGroup, ScimUser } from '../clients/wire.js';
import { ApiError } from '../errors.js';
import type { LiveScim, LiveScimGroup, LiveScimUser } from '../model/live.js';

export interface ScimDirectoryReader {
  listUsers(q?: object, opts?: { signal?: AbortSignal | undefined }): AsyncIterable<ScimUser>;
  listGroups(q?: object, opts?: { signal?: AbortSignal | undefined }): AsyncIterable<ScimGroup>;
}

export function toLiveScimUser(u: ScimUser): LiveScimUser {
  const out: LiveScimUser = { id: u.id, userName: u.userName, active: u.active !== false };
  if (u.externalId !== undefined) out.externalId = u.externalId;
  if (u.name?.givenName !== undefined) out.givenName = u.name.givenName;
  if (u.name?.familyName !== undefined) out.familyName = u.name.familyName;
  return out;
}

export function toLiveScimGroup(g: ScimGroup): LiveScimGroup {
  const out: LiveScimGroup = { id: g.id, displayName: g.displayName, members: (g.members ?? []).map((m) => m.value) };
  if (g.externalId !== undefined) out.externalId = g.externalId;
  return out;
}

export async function readScim(client: ScimDirectoryReader, signal?: AbortSignal): Promise<LiveScim> {
  try {
    // mapped as each page arrives, read again from the start if the directory changed meanwhile
    const [users, groups] = await Promise.all([
      collectStable(() => client.listUsers({}, { signal }), toLiveScimUser),
      collectStable(() => client.listGroups({}, { signal }), toLiveScimGroup),
    ]);
    return { available: true, users, groups };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      return {
        available: false,
        reason: `the SCIM directory answered ${err.status} ${err.status === 401 ? '(the token is not accepted)' : '(no Enterprise directory for this organization, or the token may not use it)'}`,
      };
    }
    throw err;
  }
}
