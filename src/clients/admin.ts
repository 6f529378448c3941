// The Admin API client: organization, users and invites (§4–§6), workspaces, workspace members and API keys
// (console orgs, §7–§9), RBAC groups and their members (enterprise orgs, §11). Each method is a route on the
// shared Pipeline (throttle → retry → send): a route constant, an item guard, and a short method. Writes that must
// not be repeated blindly carry a WriteSafety (retry.ts): creates look before they write again (write-safety.ts),
// adds and removes count "already so" answers after an ambiguous attempt as done.

import { ApiError, InterruptedError } from '../errors.js';
import {
  fields,
  parseApiKey,
  parseRbacGroup,
  parseRbacGroupMember,
  parseRbacGroupMemberDeleted,
  parseRbacRole,
  parseRbacRolePermission,
  requireObject,
  requireString,
} from './admin-parse.js';
import { ADMIN_API_BUCKETS } from './buckets.js';
import { ERROR_CODES, hasCode } from './error-codes.js';
import { collect } from './paginate.js';
import { Pipeline, type ClientStats, type PipelineOptions } from './pipeline.js';
import type { SettleContext } from './retry.js';
import { createByName } from './write-safety.js';
import type {
  ApiKey,
  ListApiKeysQuery,
  ListInvitesQuery,
  ListUsersQuery,
  ListWorkspacesQuery,
  RbacGroup,
  RbacGroupMember,
  RbacGroupMemberDeleted,
  WireApiKeyUpdate,
  WireInvite,
  WireInviteCreate,
  WireInviteDeleted,
  WireOrganization,
  WireRbacGroupDeleted,
  WireRbacRole,
  WireRbacRolePermission,
  WireServiceAccount,
  WireServiceAccountCreate,
  WireServiceAccountUpdate,
  WireServiceAccountWorkspaceMember,
  WireServiceAccountWorkspaceMemberDeleted,
  WireUser,
  WireUserDeleted,
  WireWorkspace,
  WireWorkspaceCreate,
  WireWorkspaceMember,
  WireWorkspaceMemberDeleted,
  WireWorkspaceRole,
  WireWorkspaceUpdate,
} from './wire.js';

/** §2.1 */
export const DEFAULT_BASE_URL = 'https://api.anthropic.com';

export interface AdminClientOptions extends Omit<PipelineOptions, 'baseUrl' | 'decodeError' | 'contentType' | 'buckets'> {
  /** Default `https://api.anthropic.com`; point it at the emulator in tests. */
  baseUrl?: string;
  /**
   * An OAuth access token with the `org:admin` scope: the only credential the service-account endpoints take (SDK
   * 1.17: "Admin API keys are not accepted"). Sent as `Authorization: Bearer` on those routes only, through a
   * pipeline of its own (a token has its own rate limit); every other route keeps `credential`.
   */
  oauthToken?: string | undefined;
}

/** Per-call options. Aborting stops waiting, retrying and paginating (SIGINT). */
export interface CallOptions {
  signal?: AbortSignal | undefined;
}

/** Options of a create keyed by a name the API does not keep unique (workspaces, RBAC groups). */
export interface CreateOptions extends CallOptions {
  /**
   * Ids of the objects that already carry this name, as the caller's live read saw them (usually none). They are
   * what "new" is measured against when an ambiguous failure forces a lookup. When absent, the client lists them
   * itself before the first POST (one extra request); pass `[]` to skip that read.
   */
  knownIds?: readonly string[] | undefined;
}

const ROUTES = {
  me: '/v1/organizations/me',
  users: '/v1/organizations/users',
  user: '/v1/organizations/users/{user_id}',
  userSignOut: '/v1/organizations/users/{user_id}/sign_out',
  invites: '/v1/organizations/invites',
  invite: '/v1/organizations/invites/{invite_id}',
  workspaces: '/v1/organizations/workspaces',
  workspace: '/v1/organizations/workspaces/{workspace_id}',
  workspaceArchive: '/v1/organizations/workspaces/{workspace_id}/archive',
  workspaceMembers: '/v1/organizations/workspaces/{workspace_id}/members',
  workspaceMember: '/v1/organizations/workspaces/{workspace_id}/members/{user_id}',
  apiKeys: '/v1/organizations/api_keys',
  apiKey: '/v1/organizations/api_keys/{api_key_id}',
  groups: '/v1/organizations/rbac_groups',
  group: '/v1/organizations/rbac_groups/{group_id}',
  groupMembers: '/v1/organizations/rbac_groups/{group_id}/members',
  groupMember: '/v1/organizations/rbac_groups/{group_id}/members/{user_id}',
  roles: '/v1/organizations/rbac_roles',
  rolePermissions: '/v1/organizations/rbac_roles/{rbac_role_id}/permissions',
  serviceAccounts: '/v1/organizations/service_accounts',
  serviceAccount: '/v1/organizations/service_accounts/{service_account_id}',
  serviceAccountArchive: '/v1/organizations/service_accounts/{service_account_id}/archive',
  serviceAccountWorkspaces: '/v1/organizations/service_accounts/{service_account_id}/workspaces',
  serviceAccountWorkspace: '/v1/organizations/service_accounts/{service_account_id}/workspaces/{workspace_id}',
} as const;

// The guards of the items that need only their fields checked (admin-parse.ts has those that normalize a renamed
// field or a nested one): each checks the fields the tool relies on and returns the object as its wire type.
const parseOrganization = fields<WireOrganization>({ id: 'string', name: 'string' });
const parseUser = fields<WireUser>({ id: 'string', email: 'string', role: 'string' });
const parseInvite = fields<WireInvite>({ id: 'string', email: 'string', role: 'string', status: 'string' });
/** §7.2: `archived_at` is null unless archived; the planner reads it, so its type is checked too. */
const parseWorkspace = fields<WireWorkspace>({ id: 'string', name: 'string', archived_at: 'string?' });
/** §8.1 */
const parseWorkspaceMember = fields<WireWorkspaceMember>({ user_id: 'string', workspace_id: 'string', workspace_role: 'string' });
/** SDK `ServiceAccount`: the planner reads `name`, `organization_role`, `description` and `archived_at`. */
const parseServiceAccount = fields<WireServiceAccount>({ id: 'string', name: 'string', organization_role: 'string', description: 'string?', archived_at: 'string?' });
/** SDK `ServiceAccountWorkspaceMember` */
const parseServiceAccountWorkspaceMember = fields<WireServiceAccountWorkspaceMember>({ service_account_id: 'string', workspace_id: 'string', workspace_role: 'string' });

/** The beta the sign-out endpoint needs in `anthropic-beta` (SDK 1.17 `beta.organization.users.signOut`). */
export const SIGN_OUT_BETA = 'admin-user-sign-out-2026-10-08';

/** 2026-10-21: the `ids[]` filter of the workspace listing takes at most this many ids per request. */
export const MAX_WORKSPACE_IDS_PER_REQUEST = 100;

export class AdminClient {
  readonly #p: Pipeline;
  /** the service-account routes' pipeline (bearer OAuth token), when a token was given */
  readonly #oauth: Pipeline | undefined;

  constructor(opts: AdminClientOptions) {
    const { oauthToken, ...rest } = opts;
    this.#p = new Pipeline({ ...rest, baseUrl: opts.baseUrl ?? DEFAULT_BASE_URL, buckets: ADMIN_API_BUCKETS });
    this.#oauth = oauthToken
      ? new Pipeline({ ...rest, baseUrl: opts.baseUrl ?? DEFAULT_BASE_URL, credential: { kind: 'bearer', value: oauthToken } })
      : undefined;
  }

  /** Whether the service-account endpoints can be called (an OAuth token was given). */
  get hasOAuthToken(): boolean {
    return this.#oauth !== undefined;
  }

  get #sa(): Pipeline {
    if (!this.#oauth) {
      throw new Error('the service-account endpoints take only an OAuth access token with the org:admin scope, and none is set');
    }
    return this.#oauth;
  }

  /** Counters of this client: requests by route, pages per listing, retries, 429s, network errors. No secrets. */
  get stats(): ClientStats {
    return this.#p.stats;
  }

  /** §4.1: the organization that owns the credential. */
  getOrganization(opts: CallOptions = {}): Promise<WireOrganization> {
    return this.#p.call({ method: 'GET', route: ROUTES.me, signal: opts.signal, parse: parseOrganization });
  }

  /** §5.2: every member, newest first, 1000 per page. */
  listUsers(q: ListUsersQuery = {}, opts: CallOptions = {}): AsyncIterable<WireUser> {
    return this.#p.idList({
      route: ROUTES.users,
      query: { email: q.email, roles: q.roles },
      parseItem: parseUser,
      signal: opts.signal,
    });
  }

  listAllUsers(q: ListUsersQuery = {}, opts: CallOptions = {}): Promise<WireUser[]> {
    return collect(this.listUsers(q, opts));
  }

  /** §5.3 */
  getUser(userId: string, opts: CallOptions = {}): Promise<WireUser> {
    return this.#p.call({
      method: 'GET',
      route: ROUTES.user,
      params: { user_id: userId },
      signal: opts.signal,
      parse: parseUser,
    });
  }

  /** §5.4: sets the role. Repeating it is harmless (same final state), so it is retried like a read. */
  updateUser(userId: string, role: string, opts: CallOptions = {}): Promise<WireUser> {
    return this.#p.call({
      method: 'POST',
      route: ROUTES.user,
      params: { user_id: userId },
      body: { role },
      signal: opts.signal,
      parse: parseUser,
    });
  }

  /**
   * §5.5: removes the member. A 404 on a retry after an ambiguous failure means the first attempt did it.
   * 2026-10-21: 409 `concurrent_membership_change` and 403 `api_key_requester_unconfirmed` are definite refusals
   * documented as safe to repeat: retried with the usual backoff (send.ts), not treated as ambiguous. 400
   * `cannot_remove_last_member` is thrown with its `errorCode`.
   */
  deleteUser(userId: string, opts: CallOptions = {}): Promise<WireUserDeleted> {
    return this.#p.call({
      method: 'DELETE',
      route: ROUTES.user,
      params: { user_id: userId },
      signal: opts.signal,
      parse: (body, req) => ({ id: requireString(body, 'id', req), type: 'user_deleted' }),
      safety: { goneMeansDone: () => ({ id: userId, type: 'user_deleted' }) },
    });
  }

  /**
   * Beta (Claude Enterprise): signs the member out everywhere; they stay a member with their role. A POST with no
   * body and the beta header, as the SDK sends it. Sending it again is harmless ("anything already ended stays
   * ended"), so it is retried like a read. Refusals carry their code (error-codes.ts, SIGN_OUT_REFUSALS).
   */
  signOutUser(userId: string, opts: CallOptions = {}): Promise<WireUser> {
    return this.#p.call({
      method: 'POST',
      route: ROUTES.userSignOut,
      params: { user_id: userId },
      headers: { 'anthropic-beta': SIGN_OUT_BETA },
      signal: opts.signal,
      parse: parseUser,
    });
  }

  /** §6.4: invites, newest first; without `statuses` the API returns pending, accepted and expired ones. */
  listInvites(q: ListInvitesQuery = {}, opts: CallOptions = {}): AsyncIterable<WireInvite> {
    return this.#p.idList({
      route: ROUTES.invites,
      query: { email: q.email, roles: q.roles, statuses: q.statuses },
      parseItem: parseInvite,
      signal: opts.signal,
    });
  }

  listAllInvites(q: ListInvitesQuery = {}, opts: CallOptions = {}): Promise<WireInvite[]> {
    return collect(this.listInvites(q, opts));
  }

  /** §6.5 */
  getInvite(inviteId: string, opts: CallOptions = {}): Promise<WireInvite> {
    return this.#p.call({
      method: 'GET',
      route: ROUTES.invite,
      params: { invite_id: inviteId },
      signal: opts.signal,
      parse: parseInvite,
    });
  }

  /**
   * §6.3: creates an invite, which sends an email (§6.2), so it is never re-sent blindly (habit 7). After a failure
   * that may have reached the server (timeout, connection lost, 5xx/529), the pending invites for the address are
   * read first; one found is returned as the result. Only when none exists is the POST sent again. A 429 was not
   * processed and is retried directly.
   *
   * 2026-10-21 codes (never followed by another POST: send.ts makes both non-retryable):
   * - 400 `invite_already_exists`: the pending invite for the address is read and returned, on the first answer
   *   as after an ambiguous one. The address is invited, which is what the call asked for; the invite returned
   *   carries its own `role` and `rbac_group_ids`, which may differ from the request's (the caller compares).
   *   When no pending invite can be read (it was accepted or withdrawn meanwhile, or the read failed), the refusal
   *   is thrown as it came.
   * - 400 `already_member`: the person joined meanwhile; thrown as an ApiError with that `errorCode`, which ends
   *   the call (and any recovery) without a second email.
   */
  createInvite(body: WireInviteCreate, opts: CallOptions = {}): Promise<WireInvite> {
    return this.#p.call({
      method: 'POST',
      route: ROUTES.invites,
      body,
      signal: opts.signal,
      parse: parseInvite,
      safety: {
        recover: (signal) => this.#findPendingInvite(body.email, signal, false),
        settle: async (err, ctx) => {
          if (!hasCode(err, 400, ERROR_CODES.inviteAlreadyExists)) return undefined;
          try {
            return await this.#findPendingInvite(body.email, ctx.signal, true);
          } catch (lookupErr) {
            if (lookupErr instanceof InterruptedError) throw lookupErr;
            // The lookup failed even after its own retries: the refusal (not retryable) ends the call, never a POST.
            return undefined;
          }
        },
      },
    });
  }

  /** §6.6: withdraws a pending invite. A 404 on a retry after an ambiguous failure means the first attempt did it. */
  deleteInvite(inviteId: string, opts: CallOptions = {}): Promise<WireInviteDeleted> {
    return this.#p.call({
      method: 'DELETE',
      route: ROUTES.invite,
      params: { invite_id: inviteId },
      signal: opts.signal,
      parse: (body, req) => ({ id: requireString(body, 'id', req), type: 'invite_deleted' }),
      safety: { goneMeansDone: () => ({ id: inviteId, type: 'invite_deleted' }) },
    });
  }

  // ── Workspaces (console orgs, §7) ───────────────────────────────────────────────────────────────────────────

  /** §7.4: workspaces in creation order, 1000 per page; the Default Workspace only with `include_default: true`,
   *  archived ones only with `include_archived: true` (sent as `include_archived=true`, §2.8). With `ids`
   *  (2026-10-21), only those workspaces: one listing per 100 ids (`ids[]=…`, the API's maximum), in order. */
  listWorkspaces(q: ListWorkspacesQuery = {}, opts: CallOptions = {}): AsyncIterable<WireWorkspace> {
    return this.#listWorkspaces(q, opts.signal, true);
  }

  listAllWorkspaces(q: ListWorkspacesQuery = {}, opts: CallOptions = {}): Promise<WireWorkspace[]> {
    return collect(this.listWorkspaces(q, opts));
  }

  /** §7.5: also answers for the Default Workspace's id (`name: "Default"`). */
  getWorkspace(workspaceId: string, opts: CallOptions = {}): Promise<WireWorkspace> {
    return this.#getWorkspace(workspaceId, opts.signal, true);
  }

  /**
   * §7.3: a second POST would make a second workspace, so after an ambiguous failure the active workspaces are
   * listed first and exactly one new workspace with this name is taken as the result (write-safety.ts).
   *
   * 2026-10-21: 503 `workspace_created_incomplete` says the workspace exists (`details.workspace_id`) and forbids
   * another create. That workspace is read (GET, retried like any read) and returned; the POST is never sent again
   * (send.ts makes the code non-retryable). Some of what was asked (a colour, say) may not have taken effect: the
   * returned workspace shows what did. When the code comes without a usable `details.workspace_id`, or the read
   * fails, or it names a workspace this create cannot have made (another name, archived, or among `knownIds`), the
   * 503 is thrown, still not retryable.
   */
  createWorkspace(body: WireWorkspaceCreate, opts: CreateOptions = {}): Promise<WireWorkspace> {
    return createByName<WireWorkspace>({
      label: `POST ${ROUTES.workspaces}`,
      name: body.name,
      matches: (w) => w.name === body.name,
      knownIds: opts.knownIds,
      // An archived workspace cannot be the fresh result of a create (§7.7: archiving is a separate call).
      list: (signal, retry) => this.#listWorkspaces({}, signal, retry),
      signal: opts.signal,
      create: (safety) =>
        this.#p.call({
          method: 'POST',
          route: ROUTES.workspaces,
          body,
          signal: opts.signal,
          parse: parseWorkspace,
          safety: {
            ...safety,
            settle: async (err, ctx) => {
              if (!hasCode(err, 503, ERROR_CODES.workspaceCreatedIncomplete)) return undefined;
              const id = err.details?.workspace_id;
              if (id === undefined) return undefined;
              let made: WireWorkspace;
              try {
                made = await this.#getWorkspace(id, ctx.signal, true);
              } catch (readErr) {
                if (readErr instanceof InterruptedError) throw readErr;
                // The 503 (not retryable) ends the call with `details.workspace_id`: never a second POST.
                return undefined;
              }
              // A server that names another workspace (one that existed before, is archived, or has another name)
              // is not believed: its members would be added to the wrong workspace. The 503 ends the call.
              const before = opts.knownIds ?? [];
              if (made.name !== body.name || made.archived_at || before.includes(made.id)) return undefined;
              return made;
            },
          },
        }),
    });
  }

  /**
   * §7.6: name and colour. Repeating it gives the same final state, so it is retried like a read.
   *
   * 2026-10-21: 503 `change_outcome_unknown` ("some of the request's changes may have been saved and others
   * not") is answered by reading the workspace first: when it already shows every requested value, it is the
   * result; otherwise the 503 stays and the update is sent again after the usual backoff.
   */
  updateWorkspace(workspaceId: string, body: WireWorkspaceUpdate, opts: CallOptions = {}): Promise<WireWorkspace> {
    return this.#p.call({
      method: 'POST',
      route: ROUTES.workspace,
      params: { workspace_id: workspaceId },
      body,
      signal: opts.signal,
      parse: parseWorkspace,
      safety: {
        settle: async (err, ctx) => {
          if (!hasCode(err, 503, ERROR_CODES.changeOutcomeUnknown)) return undefined;
          const w = await this.#getWorkspace(workspaceId, ctx.signal, false);
          const shown = w as unknown as Record<string, unknown>;
          const applied = Object.entries(body).every(([k, v]) => v === undefined || shown[k] === v);
          return applied ? w : undefined;
        },
      },
    });
  }

  /**
   * §7.7: archiving is permanent. A refusal (4xx) of a re-sent archive after an ambiguous failure is checked with a
   * GET: a workspace that now has `archived_at` was archived by the earlier attempt, and is returned.
   */
  archiveWorkspace(workspaceId: string, opts: CallOptions = {}): Promise<WireWorkspace> {
    return this.#p.call({
      method: 'POST',
      route: ROUTES.workspaceArchive,
      params: { workspace_id: workspaceId },
      signal: opts.signal,
      parse: parseWorkspace,
      safety: {
        settle: async (err, ctx) => {
          if (!ctx.afterAmbiguous || !isRefusal(err)) return undefined;
          const w = await this.#getWorkspace(workspaceId, ctx.signal, false);
          return w.archived_at ? w : undefined;
        },
      },
    });
  }

  // ── Workspace members (console orgs, §8) ────────────────────────────────────────────────────────────────────

  /** §8.2: explicit members only; org admins and billing members are implicit and never listed (§8.3). */
  listWorkspaceMembers(workspaceId: string, opts: CallOptions = {}): AsyncIterable<WireWorkspaceMember> {
    return this.#p.idList({
      route: ROUTES.workspaceMembers,
      params: { workspace_id: workspaceId },
      parseItem: parseWorkspaceMember,
      signal: opts.signal,
    });
  }

  listAllWorkspaceMembers(workspaceId: string, opts: CallOptions = {}): Promise<WireWorkspaceMember[]> {
    return collect(this.listWorkspaceMembers(workspaceId, opts));
  }

  /** §8.2 */
  getWorkspaceMember(workspaceId: string, userId: string, opts: CallOptions = {}): Promise<WireWorkspaceMember> {
    return this.#getWorkspaceMember(workspaceId, userId, opts.signal, true);
  }

  /**
   * §8.2: `workspace_billing` cannot be given here (§3.2). A duplicate add is refused (400, §14.2), so a refusal
   * of a re-sent add after an ambiguous failure is checked with a GET: a membership that exists is the earlier
   * attempt's result and is returned.
   */
  addWorkspaceMember(
    workspaceId: string,
    userId: string,
    role: WireWorkspaceRole | string,
    opts: CallOptions = {},
  ): Promise<WireWorkspaceMember> {
    return this.#p.call({
      method: 'POST',
      route: ROUTES.workspaceMembers,
      params: { workspace_id: workspaceId },
      body: { user_id: userId, workspace_role: role },
      signal: opts.signal,
      parse: parseWorkspaceMember,
      safety: {
        settle: (err, ctx) =>
          this.#settleAdd(err, ctx, () => this.#getWorkspaceMember(workspaceId, userId, ctx.signal, false)),
      },
    });
  }

  /** §8.2: sets the workspace role; idempotent, retried like a read. */
  updateWorkspaceMember(
    workspaceId: string,
    userId: string,
    role: WireWorkspaceRole | string,
    opts: CallOptions = {},
  ): Promise<WireWorkspaceMember> {
    return this.#p.call({
      method: 'POST',
      route: ROUTES.workspaceMember,
      params: { workspace_id: workspaceId, user_id: userId },
      body: { workspace_role: role },
      signal: opts.signal,
      parse: parseWorkspaceMember,
    });
  }

  /** §8.2: a 404 on a retry after an ambiguous failure means the first attempt removed the member. */
  removeWorkspaceMember(workspaceId: string, userId: string, opts: CallOptions = {}): Promise<WireWorkspaceMemberDeleted> {
    const receipt: WireWorkspaceMemberDeleted = { type: 'workspace_member_deleted', user_id: userId, workspace_id: workspaceId };
    return this.#p.call({
      method: 'DELETE',
      route: ROUTES.workspaceMember,
      params: { workspace_id: workspaceId, user_id: userId },
      signal: opts.signal,
      parse: (body, req) => (requireObject(body, req), receipt),
      safety: { goneMeansDone: () => receipt },
    });
  }

  // ── API keys (console orgs, §9; read and update only) ───────────────────────────────────────────────────────

  /** §9.2: filters `status`, `workspace_id`, `created_by_user_id`. Each key's place is `scope` (admin-parse.ts). */
  listApiKeys(q: ListApiKeysQuery = {}, opts: CallOptions = {}): AsyncIterable<ApiKey> {
    return this.#p.idList({
      route: ROUTES.apiKeys,
      query: { status: q.status, workspace_id: q.workspace_id, created_by_user_id: q.created_by_user_id },
      parseItem: parseApiKey,
      signal: opts.signal,
    });
  }

  listAllApiKeys(q: ListApiKeysQuery = {}, opts: CallOptions = {}): Promise<ApiKey[]> {
    return collect(this.listApiKeys(q, opts));
  }

  /** §9.3 */
  getApiKey(apiKeyId: string, opts: CallOptions = {}): Promise<ApiKey> {
    return this.#getApiKey(apiKeyId, opts.signal, true);
  }

  /**
   * §9.4: name and status. `archived` is terminal, so re-sending an archive may be refused; after an ambiguous
   * failure such a refusal is checked with a GET, and a key that already shows the requested values is returned.
   * 403 `api_key_requester_unconfirmed` (2026-10-21: "the key did not change … safe to send the same request
   * again") is retried with the usual backoff (send.ts).
   */
  updateApiKey(apiKeyId: string, body: WireApiKeyUpdate, opts: CallOptions = {}): Promise<ApiKey> {
    return this.#p.call({
      method: 'POST',
      route: ROUTES.apiKey,
      params: { api_key_id: apiKeyId },
      body,
      signal: opts.signal,
      parse: parseApiKey,
      safety: {
        settle: async (err, ctx) => {
          if (!ctx.afterAmbiguous || !isRefusal(err)) return undefined;
          const key = await this.#getApiKey(apiKeyId, ctx.signal, false);
          const applied =
            (body.status === undefined || key.status === body.status) && (body.name === undefined || key.name === body.name);
          return applied ? key : undefined;
        },
      },
    });
  }

  // ── RBAC groups (enterprise orgs, §11) ──────────────────────────────────────────────────────────────────────

  /** §11.2: token pages (`page=<next_page>`); includes the read-only `scim` groups. */
  listRbacGroups(opts: CallOptions = {}): AsyncIterable<RbacGroup> {
    return this.#listRbacGroups(opts.signal, true);
  }

  listAllRbacGroups(opts: CallOptions = {}): Promise<RbacGroup[]> {
    return collect(this.listRbacGroups(opts));
  }

  /** §11.2 */
  getRbacGroup(groupId: string, opts: CallOptions = {}): Promise<RbacGroup> {
    return this.#p.call({
      method: 'GET',
      route: ROUTES.group,
      params: { group_id: groupId },
      signal: opts.signal,
      parse: parseRbacGroup,
    });
  }

  /**
   * §11.2: names are not unique (§11.1), so a second POST would make a second group. After an ambiguous failure the
   * groups are listed first, and exactly one new `direct` group with this name is taken as the result.
   */
  createRbacGroup(name: string, opts: CreateOptions = {}): Promise<RbacGroup> {
    return createByName<RbacGroup>({
      label: `POST ${ROUTES.groups}`,
      name,
      // `scim` groups are pushed by the IdP, never made by this POST (§11.1).
      matches: (g) => g.name === name && g.source_type !== 'scim',
      knownIds: opts.knownIds,
      list: (signal, retry) => this.#listRbacGroups(signal, retry),
      signal: opts.signal,
      create: (safety) =>
        this.#p.call({ method: 'POST', route: ROUTES.groups, body: { name }, signal: opts.signal, parse: parseRbacGroup, safety }),
    });
  }

  /** §11.2: the name is the only mutable field; `scim` groups answer 400. Idempotent. */
  renameRbacGroup(groupId: string, name: string, opts: CallOptions = {}): Promise<RbacGroup> {
    return this.#p.call({
      method: 'POST',
      route: ROUTES.group,
      params: { group_id: groupId },
      body: { name },
      signal: opts.signal,
      parse: parseRbacGroup,
    });
  }

  /** §11.2: a 404 on a retry after an ambiguous failure means the first attempt deleted it. */
  deleteRbacGroup(groupId: string, opts: CallOptions = {}): Promise<WireRbacGroupDeleted> {
    return this.#p.call({
      method: 'DELETE',
      route: ROUTES.group,
      params: { group_id: groupId },
      signal: opts.signal,
      parse: (body, req) => ({ id: requireString(body, 'id', req), type: 'rbac_group_deleted' }),
      safety: { goneMeansDone: () => ({ id: groupId, type: 'rbac_group_deleted' }) },
    });
  }

  /** §11.2: oldest first; a page may be short while `has_more` is true (members outside the orgs are hidden). */
  listRbacGroupMembers(groupId: string, opts: CallOptions = {}): AsyncIterable<RbacGroupMember> {
    return this.#listRbacGroupMembers(groupId, opts.signal, true);
  }

  listAllRbacGroupMembers(groupId: string, opts: CallOptions = {}): Promise<RbacGroupMember[]> {
    return collect(this.listRbacGroupMembers(groupId, opts));
  }

  /**
   * §11.2: "Already in the group → 400". After an ambiguous failure such a refusal is checked by listing the
   * group's members: a membership that exists is the earlier attempt's result and is returned.
   */
  addRbacGroupMember(groupId: string, userId: string, opts: CallOptions = {}): Promise<RbacGroupMember> {
    return this.#p.call({
      method: 'POST',
      route: ROUTES.groupMembers,
      params: { group_id: groupId },
      body: { user_id: userId },
      signal: opts.signal,
      parse: parseRbacGroupMember,
      safety: {
        settle: (err, ctx) =>
          this.#settleAdd(err, ctx, async () => {
            for await (const m of this.#listRbacGroupMembers(groupId, ctx.signal, false)) if (m.user_id === userId) return m;
            return undefined;
          }),
      },
    });
  }

  /** §11.2: "User not in the group → 404"; after an ambiguous failure that means the first attempt removed them. */
  removeRbacGroupMember(groupId: string, userId: string, opts: CallOptions = {}): Promise<RbacGroupMemberDeleted> {
    const receipt: RbacGroupMemberDeleted = { rbac_group_id: groupId, user_id: userId, type: 'rbac_group_member_deleted' };
    return this.#p.call({
      method: 'DELETE',
      route: ROUTES.groupMember,
      params: { group_id: groupId, user_id: userId },
      signal: opts.signal,
      parse: (body, req) => parseRbacGroupMemberDeleted(body, req, receipt),
      safety: { goneMeansDone: () => receipt },
    });
  }

  // ── RBAC roles (enterprise orgs, read-only; 2026-10-21) ─────────────────────────────────────────────────────

  /**
   * Every RBAC role of the organization (token pages, `page=<next_page>`), `display_name` normalized from the
   * older `name`. 400 `organization_type_not_supported` (or `parent_organization_required`) means this kind of
   * organization has no roles endpoint: thrown as an ApiError with that `errorCode`, never retried.
   */
  listRbacRoles(opts: CallOptions = {}): AsyncIterable<WireRbacRole> {
    return this.#p.tokenList({ route: ROUTES.roles, parseItem: parseRbacRole, signal: opts.signal });
  }

  listAllRbacRoles(opts: CallOptions = {}): Promise<WireRbacRole[]> {
    return collect(this.listRbacRoles(opts));
  }

  /** The permissions one RBAC role grants (token pages). 404 `rbac_role_not_found` when the role does not exist. */
  listRbacRolePermissions(roleId: string, opts: CallOptions = {}): AsyncIterable<WireRbacRolePermission> {
    return this.#p.tokenList({
      route: ROUTES.rolePermissions,
      params: { rbac_role_id: roleId },
      parseItem: parseRbacRolePermission,
      signal: opts.signal,
    });
  }

  listAllRbacRolePermissions(roleId: string, opts: CallOptions = {}): Promise<WireRbacRolePermission[]> {
    return collect(this.listRbacRolePermissions(roleId, opts));
  }

  // ── Service accounts (console orgs; SDK 1.17; OAuth bearer token only) ─────────────────────────────────────

  /** Newest first, token pages; archived ones only with `include_archived`. */
  listServiceAccounts(q: { include_archived?: boolean } = {}, opts: CallOptions = {}): AsyncIterable<WireServiceAccount> {
    return this.#sa.tokenList({
      route: ROUTES.serviceAccounts,
      query: { include_archived: q.include_archived },
      parseItem: parseServiceAccount,
      signal: opts.signal,
    });
  }

  async listAllServiceAccounts(q: { include_archived?: boolean } = {}, opts: CallOptions = {}): Promise<WireServiceAccount[]> {
    return collect(this.listServiceAccounts(q, opts));
  }

  /**
   * Names are unique ("a duplicate name returns 409"), so after an ambiguous failure a 409 is checked by listing:
   * an active account with this name is the earlier attempt's result. Creating an `admin` one needs an
   * interactive credential (the planner leaves that to a person).
   */
  createServiceAccount(body: WireServiceAccountCreate, opts: CallOptions = {}): Promise<WireServiceAccount> {
    return this.#sa.call({
      method: 'POST',
      route: ROUTES.serviceAccounts,
      body,
      signal: opts.signal,
      parse: parseServiceAccount,
      safety: {
        settle: async (err, ctx) => {
          if (!ctx.afterAmbiguous || err.status !== 409) return undefined;
          for await (const a of this.listServiceAccounts({}, { signal: ctx.signal })) {
            if (a.name === body.name && !a.archived_at) return a;
          }
          return undefined;
        },
      },
    });
  }

  /** Description and role only (no rename); an archived account answers 400. Idempotent. */
  updateServiceAccount(serviceAccountId: string, body: WireServiceAccountUpdate, opts: CallOptions = {}): Promise<WireServiceAccount> {
    return this.#sa.call({
      method: 'POST',
      route: ROUTES.serviceAccount,
      params: { service_account_id: serviceAccountId },
      body,
      signal: opts.signal,
      parse: parseServiceAccount,
    });
  }

  /** Permanent and idempotent (the first `archived_at` stays). */
  archiveServiceAccount(serviceAccountId: string, opts: CallOptions = {}): Promise<WireServiceAccount> {
    return this.#sa.call({
      method: 'POST',
      route: ROUTES.serviceAccountArchive,
      params: { service_account_id: serviceAccountId },
      signal: opts.signal,
      parse: parseServiceAccount,
    });
  }

  /** The account's memberships, the implicit Default Workspace one (`implicit: true`) included; token pages. */
  listServiceAccountWorkspaces(serviceAccountId: string, opts: CallOptions = {}): AsyncIterable<WireServiceAccountWorkspaceMember> {
    return this.#sa.tokenList({
      route: ROUTES.serviceAccountWorkspaces,
      params: { service_account_id: serviceAccountId },
      parseItem: parseServiceAccountWorkspaceMember,
      signal: opts.signal,
    });
  }

  /** Adds the account to a workspace, or replaces the role of its membership (SDK): idempotent. */
  addServiceAccountWorkspace(serviceAccountId: string, workspaceId: string, role: string, opts: CallOptions = {}): Promise<WireServiceAccountWorkspaceMember> {
    return this.#sa.call({
      method: 'POST',
      route: ROUTES.serviceAccountWorkspaces,
      params: { service_account_id: serviceAccountId },
      body: { workspace_id: workspaceId, workspace_role: role },
      signal: opts.signal,
      parse: parseServiceAccountWorkspaceMember,
    });
  }

  /** Idempotent (200 when there is nothing to remove). */
  removeServiceAccountWorkspace(serviceAccountId: string, workspaceId: string, opts: CallOptions = {}): Promise<WireServiceAccountWorkspaceMemberDeleted> {
    const receipt: WireServiceAccountWorkspaceMemberDeleted = {
      type: 'service_account_workspace_member_deleted', service_account_id: serviceAccountId, workspace_id: workspaceId,
    };
    return this.#sa.call({
      method: 'DELETE',
      route: ROUTES.serviceAccountWorkspace,
      params: { service_account_id: serviceAccountId, workspace_id: workspaceId },
      signal: opts.signal,
      parse: (body, req) => (requireObject(body, req), receipt),
      safety: { goneMeansDone: () => receipt },
    });
  }

  /** Destroys the connection pools. The client cannot be used afterwards. */
  close(): Promise<void> {
    return Promise.all([this.#p.close(), this.#oauth?.close()]).then(() => undefined);
  }

  /**
   * The lookup of the read-before-write rule. The `email` filter also matches variants such as `+tag` addresses
   * (§5.2, §6.4), so the address is compared exactly, case-insensitively. Single attempt per page: the create
   * call around it already retries, and a failed lookup keeps the write unresolved so the next attempt looks again.
   */
  async #findPendingInvite(email: string, signal: AbortSignal | undefined, retry: boolean): Promise<WireInvite | undefined> {
    const want = email.trim().toLowerCase();
    const invites = this.#p.idList({
      route: ROUTES.invites,
      query: { email, statuses: ['pending'] },
      parseItem: parseInvite,
      signal,
      retry,
    });
    for await (const invite of invites) {
      if (invite.status === 'pending' && invite.email.trim().toLowerCase() === want) return invite;
    }
    return undefined;
  }

  #listWorkspaces(q: ListWorkspacesQuery, signal: AbortSignal | undefined, retry: boolean): AsyncIterable<WireWorkspace> {
    const list = (ids: readonly string[] | undefined): AsyncIterable<WireWorkspace> =>
      this.#p.idList({
        route: ROUTES.workspaces,
        query: { include_archived: q.include_archived, include_default: q.include_default, ids },
        parseItem: parseWorkspace,
        signal,
        retry,
      });
    if (q.ids === undefined) return list(undefined);
    // An empty filter asks for no workspace: answered without a request (an `ids[]` with nothing would be no filter).
    const chunks: string[][] = [];
    for (let i = 0; i < q.ids.length; i += MAX_WORKSPACE_IDS_PER_REQUEST) chunks.push(q.ids.slice(i, i + MAX_WORKSPACE_IDS_PER_REQUEST));
    return {
      async *[Symbol.asyncIterator]() {
        for (const chunk of chunks) yield* list(chunk);
      },
    };
  }

  #getWorkspace(workspaceId: string, signal: AbortSignal | undefined, retry: boolean): Promise<WireWorkspace> {
    return this.#p.call({
      method: 'GET',
      route: ROUTES.workspace,
      params: { workspace_id: workspaceId },
      signal,
      parse: parseWorkspace,
      retry,
    });
  }

  #getWorkspaceMember(
    workspaceId: string,
    userId: string,
    signal: AbortSignal | undefined,
    retry: boolean,
  ): Promise<WireWorkspaceMember> {
    return this.#p.call({
      method: 'GET',
      route: ROUTES.workspaceMember,
      params: { workspace_id: workspaceId, user_id: userId },
      signal,
      parse: parseWorkspaceMember,
      retry,
    });
  }

  #getApiKey(apiKeyId: string, signal: AbortSignal | undefined, retry: boolean): Promise<ApiKey> {
    return this.#p.call({
      method: 'GET',
      route: ROUTES.apiKey,
      params: { api_key_id: apiKeyId },
      signal,
      parse: parseApiKey,
      retry,
    });
  }

  #listRbacGroups(signal: AbortSignal | undefined, retry: boolean): AsyncIterable<RbacGroup> {
    return this.#p.tokenList({ route: ROUTES.groups, parseItem: parseRbacGroup, signal, retry });
  }

  #listRbacGroupMembers(groupId: string, signal: AbortSignal | undefined, retry: boolean): AsyncIterable<RbacGroupMember> {
    return this.#p.tokenList({
      route: ROUTES.groupMembers,
      params: { group_id: groupId },
      parseItem: parseRbacGroupMember,
      signal,
      retry,
    });
  }

  /**
   * An add refused as a duplicate (400, or 409 where an API version says conflict) after an ambiguous attempt:
   * the lookup decides. The refusal's text is not published (§16 item 1), so it is never parsed; a membership
   * found is the result, none keeps the refusal. Without an ambiguous attempt the refusal stays an error: the
   * caller asked to add someone who was already there, which its own read should have seen.
   */
  async #settleAdd<T>(err: ApiError, ctx: SettleContext, lookup: () => Promise<T | undefined>): Promise<T | undefined> {
    if (!ctx.afterAmbiguous || !isRefusal(err)) return undefined;
    try {
      return await lookup();
    } catch (lookupErr) {
      if (lookupErr instanceof ApiError && lookupErr.status === 404) return undefined;
      throw lookupErr;
    }
  }
}

/** 400 or 409: the API refused the request as it stands (a duplicate, a terminal state), not a transient failure. */
function isRefusal(err: ApiError): boolean {
  return err.status === 400 || err.status === 409;
}
