// Reads everything a desired-state file could declare, for `import`. Unlike readLive (which reads only the
// containers the file manages), there is no file yet: every workspace's and every direct group's members are read.
// Same habits as readLive: whole listings (1000 per page), independent collections concurrently, fail closed.
//
// The org kind is in no response (§4.1 `/me` has only id, type, name). When not given, it is detected from the
// console-only workspaces listing (§2.1: workspaces are console-only; an enterprise key gets 404 from the emulator
// and 404 or 403 from the real API, whose status is undocumented, §16): an answer means console, 404/403 means
// enterprise. Any other failure is thrown.

import { ApiError, OrganizationMismatchError, UsageError } from '../errors.js';
import { toLiveGroup, toLiveGroupMember, toLiveInvite, toLiveUser, toLiveWorkspace, toLiveWorkspaceMember } from '../live/read.js';
import type { AdminReader, ScimReader } from '../live/read.js';
import type { OrgKind, Provisioning } from '../model/desired.js';
import type { Live, LiveGroup, LiveScim, Unreadable } from '../model/live.js';
import type { ImportSource } from './source.js';

export interface ImportSources {
  admin: AdminReader;
  /** reads the SCIM directory (enterprise only), or says why it cannot be read */
  scim?: ScimReader;
  signal?: AbortSignal;
}

export interface ImportReadOptions {
  /** undefined: detect it (see the file comment) */
  kind?: OrgKind | undefined;
  provisioning: Provisioning;
  /** stop before reading anything else unless the key belongs to this organization */
  expectOrgId?: string | undefined;
}

const NOT_CONSOLE = Symbol('not a console organization');

type ConsolePart = Pick<Live, 'workspaces' | 'workspaceMembers'>;
type EnterprisePart = Pick<Live, 'groups' | 'groupMembers' | 'scim'>;

/** The request path without its query (page size, cursor), for a message. */
function route(err: ApiError): string {
  return err.request.path.split('?')[0] ?? err.request.path;
}

function refusedAsOtherKind(err: unknown): err is ApiError {
  return err instanceof ApiError && (err.status === 404 || err.status === 403);
}

async function readConsole(admin: AdminReader, detect: boolean, signal: AbortSignal | undefined): Promise<ConsolePart | typeof NOT_CONSOLE> {
  let listed;
  try {
    listed = await admin.listAllWorkspaces({ include_archived: true }, { signal });
  } catch (err) {
    if (!refusedAsOtherKind(err)) throw err;
    if (detect) return NOT_CONSOLE;
    throw new UsageError(
      `--kind console, but ${err.request.method} ${route(err)} answered ${err.status}: only console organizations ` +
        'have workspaces; use --kind enterprise (or leave --kind out to detect it)',
    );
  }
  const workspaces = listed.map(toLiveWorkspace);
  const active = workspaces.filter((w) => !w.archived);
  const lists = await Promise.all(active.map((w) => admin.listAllWorkspaceMembers(w.id, { signal })));
  return { workspaces, workspaceMembers: lists.flat().map((m) => toLiveWorkspaceMember(m)) };
}

/** A 403 on the group listing means the key lacks read:rbac_groups (§2.3): the groups are left out, not guessed. */
async function readGroups(admin: AdminReader, signal: AbortSignal | undefined): Promise<Pick<Live, 'groups' | 'groupMembers'>> {
  let groups: LiveGroup[] | Unreadable;
  try {
    groups = (await admin.listAllRbacGroups({ signal })).map(toLiveGroup);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      // §2.1: RBAC groups are enterprise-only; a console key reaches here only through --kind enterprise.
      throw new UsageError(
        `--kind enterprise, but ${err.request.method} ${route(err)} answered 404: only enterprise organizations ` +
          'have RBAC groups; use --kind console (or leave --kind out to detect it)',
      );
    }
    if (!(err instanceof ApiError && err.status === 403)) throw err;
    return { groups: { unavailable: true, reason: `the admin key lacks the scope read:rbac_groups (${err.request.method} ${err.request.path} answered 403)` } };
  }
  // Only direct groups can be declared under `groups`; scim-sourced ones are the directory's (§11.1, §13.2).
  const direct = groups.filter((g) => g.sourceType === 'direct');
  const lists = await Promise.all(direct.map((g) => admin.listAllRbacGroupMembers(g.id, { signal })));
  return { groups, groupMembers: lists.flat().map((m) => toLiveGroupMember(m)) };
}

async function readEnterprise(sources: ImportSources, signal: AbortSignal | undefined): Promise<EnterprisePart> {
  const [groups, scim] = await Promise.all([
    readGroups(sources.admin, signal),
    sources.scim ? sources.scim() : Promise.resolve<LiveScim>({ available: false, reason: 'no SCIM reader configured' }),
  ]);
  return { ...groups, scim };
}

export async function readForImport(sources: ImportSources, opts: ImportReadOptions): Promise<ImportSource> {
  const { admin, signal } = sources;
  const org = await admin.getOrganization({ signal });
  if (opts.expectOrgId !== undefined && org.id !== opts.expectOrgId) {
    throw new OrganizationMismatchError(opts.expectOrgId, org.id, org.name);
  }
  const consoleP: Promise<ConsolePart | typeof NOT_CONSOLE | undefined> =
    opts.kind === 'enterprise' ? Promise.resolve(undefined) : readConsole(admin, opts.kind === undefined, signal);
  // With the kind given, the enterprise reads start at once; when detecting, only after the probe said enterprise.
  const enterpriseP: Promise<EnterprisePart | undefined> =
    opts.kind === 'enterprise'
      ? readEnterprise(sources, signal)
      : consoleP.then((c) => (c === NOT_CONSOLE ? readEnterprise(sources, signal) : undefined));
  // Accepted invites are members already: only pending and expired ones matter (§6.4 statuses[]), as in readLive.
  const [users, invites, consolePart, enterprisePart] = await Promise.all([
    admin.listAllUsers(undefined, { signal }),
    admin.listAllInvites({ statuses: ['pending', 'expired'] }, { signal }),
    consoleP,
    enterpriseP,
  ]);
  const kind: OrgKind = opts.kind ?? (consolePart === NOT_CONSOLE ? 'enterprise' : 'console');
  const out: ImportSource = {
    organization: { id: org.id, name: org.name },
    kind,
    kindSource: opts.kind === undefined ? 'detected' : 'flag',
    provisioning: opts.provisioning,
    users: users.map(toLiveUser),
    invites: invites.map(toLiveInvite),
  };
  if (consolePart && consolePart !== NOT_CONSOLE) Object.assign(out, consolePart);
  if (enterprisePart) Object.assign(out, enterprisePart);
  return out;
}
