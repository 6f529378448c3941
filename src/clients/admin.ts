// The Admin API client: organization, users and invites (§4–§6). Each method is a route on the shared Pipeline
// (throttle → retry → send). Later issues add workspaces, workspace members, API keys and RBAC groups the same way:
// a route constant, an item guard, and a one-line method.

import { MalformedResponseError, type RequestInfo } from '../errors.js';
import { collect } from './paginate.js';
import { Pipeline, type ClientStats, type PipelineOptions } from './pipeline.js';
import type {
  ListInvitesQuery,
  ListUsersQuery,
  WireInvite,
  WireInviteCreate,
  WireInviteDeleted,
  WireOrganization,
  WireUser,
  WireUserDeleted,
} from './wire.js';

/** §2.1 */
export const DEFAULT_BASE_URL = 'https://api.anthropic.com';

export interface AdminClientOptions extends Omit<PipelineOptions, 'baseUrl' | 'decodeError' | 'contentType'> {
  /** Default `https://api.anthropic.com`; point it at the emulator in tests. */
  baseUrl?: string;
}

/** Per-call options. Aborting stops waiting, retrying and paginating (SIGINT). */
export interface CallOptions {
  signal?: AbortSignal | undefined;
}

const ROUTES = {
  me: '/v1/organizations/me',
  users: '/v1/organizations/users',
  user: '/v1/organizations/users/{user_id}',
  invites: '/v1/organizations/invites',
  invite: '/v1/organizations/invites/{invite_id}',
} as const;

export class AdminClient {
  readonly #p: Pipeline;

  constructor(opts: AdminClientOptions) {
    this.#p = new Pipeline({ ...opts, baseUrl: opts.baseUrl ?? DEFAULT_BASE_URL });
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

  /** §5.5: removes the member. A 404 on a retry after an ambiguous failure means the first attempt did it. */
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
   */
  createInvite(body: WireInviteCreate, opts: CallOptions = {}): Promise<WireInvite> {
    return this.#p.call({
      method: 'POST',
      route: ROUTES.invites,
      body,
      signal: opts.signal,
      parse: parseInvite,
      safety: { recover: (signal) => this.#findPendingInvite(body.email, signal) },
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

  /** Destroys the connection pool. The client cannot be used afterwards. */
  close(): Promise<void> {
    return this.#p.close();
  }

  /**
   * The lookup of the read-before-write rule. The `email` filter also matches variants such as `+tag` addresses
   * (§5.2, §6.4), so the address is compared exactly, case-insensitively. Single attempt per page: the create
   * call around it already retries, and a failed lookup keeps the write unresolved so the next attempt looks again.
   */
  async #findPendingInvite(email: string, signal: AbortSignal | undefined): Promise<WireInvite | undefined> {
    const want = email.trim().toLowerCase();
    const invites = this.#p.idList({
      route: ROUTES.invites,
      query: { email, statuses: ['pending'] },
      parseItem: parseInvite,
      signal,
      retry: false,
    });
    for await (const invite of invites) {
      if (invite.status === 'pending' && invite.email.trim().toLowerCase() === want) return invite;
    }
    return undefined;
  }
}

// Item guards: only the fields the tool relies on are checked; enums stay open and newer fields optional
// (§14.1 item 7), so an API that adds a role or a field does not break reads.

function parseOrganization(body: unknown, req: RequestInfo): WireOrganization {
  requireString(body, 'id', req);
  requireString(body, 'name', req);
  return body as WireOrganization;
}

function parseUser(body: unknown, req: RequestInfo): WireUser {
  requireString(body, 'id', req);
  requireString(body, 'email', req);
  requireString(body, 'role', req);
  return body as WireUser;
}

function parseInvite(body: unknown, req: RequestInfo): WireInvite {
  requireString(body, 'id', req);
  requireString(body, 'email', req);
  requireString(body, 'role', req);
  requireString(body, 'status', req);
  return body as WireInvite;
}

function requireString(body: unknown, field: string, req: RequestInfo): string {
  const v = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
  if (typeof v !== 'string') {
    const what = typeof body === 'object' && body !== null ? `\`${field}\` is not a string` : 'the body is not an object';
    throw new MalformedResponseError(req, what);
  }
  return v;
}
