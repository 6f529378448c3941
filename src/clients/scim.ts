// The SCIM 2.0 client of the Claude Enterprise directory (a WorkOS endpoint, §13; scim.md), built on the same
// Pipeline as the Admin API client (throttle → retry → send, per-instance stats, `onRequest`). What differs is the
// protocol: a bearer token, no `anthropic-version`, `application/scim+json`, RFC 7644 error bodies (scim-error.ts),
// index pagination (scim-paginate.ts), and strict request bodies (scim-body.ts). Writes are made safe to repeat:
// a create answered 409 (or retried after a timeout) returns the resource that exists, a DELETE answered 404 is
// done, and PATCH operations are idempotent by the RFC (re-adding a member succeeds, §3.5.2.1).

import type { ApiError, RequestInfo } from '../errors.js';
import { SCIM_BUCKETS } from './buckets.js';
import { Pipeline, type ClientStats, type PipelineOptions } from './pipeline.js';
import {
  addMembersBody,
  groupCreateBody,
  removeMemberBody,
  renameGroupBody,
  setActiveBody,
  userCreateBody,
} from './scim-body.js';
import { decodeScimError } from './scim-error.js';
import { scimEq } from './scim-filter.js';
import { pickOne } from './scim-find.js';
import { collectStable, parseScimListResponse, scimIndexPages, type ScimPage } from './scim-paginate.js';
import { parsePatchResult, parseScimGroup, parseScimUser } from './scim-parse.js';
import type { ScimGroup, ScimGroupCreate, ScimUser, ScimUserCreate } from './wire.js';

/** scim.md §3.3: Okta and WorkOS's bridge page with `count=100`; WorkOS's own maximum is unknown (§16 item 8). */
export const DEFAULT_SCIM_PAGE_SIZE = 100;

/** RFC 7644 §3.1 / §8.1: SCIM's media type first; plain JSON accepted too (Okta answers `text/json`, parsed anyway). */
const SCIM_ACCEPT = 'application/scim+json, application/json';
const SCIM_CONTENT_TYPE = 'application/scim+json';

export interface ScimClientOptions
  extends Omit<PipelineOptions, 'baseUrl' | 'credential' | 'decodeError' | 'contentType' | 'anthropicVersion' | 'pageSize' | 'buckets'> {
  /**
   * The directory URL, for example `https://api.workos.com/scim/v2.0/<directory key>` or an emulator's
   * `http://127.0.0.1:PORT/scim/v2.0/<key>`. Its path is kept: `/Users` and `/Groups` are appended to it. Errors,
   * stats and events carry only the appended part, so the directory key never appears in them.
   */
  baseUrl: string;
  /** The directory's bearer token (RFC 6750). Registered as a secret: scrubbed from every error text. */
  token: string;
  /** `count` of each listing page. Default 100; a server may return fewer, which is handled. */
  pageSize?: number;
}

/** Per-call options. Aborting stops waiting, retrying and paginating (SIGINT). */
export interface ScimCallOptions {
  signal?: AbortSignal | undefined;
}

export interface ScimListQuery {
  /** A SCIM filter expression, for example from `scimEq('userName', …)`; URL-encoded by the client. */
  filter?: string | undefined;
  /** Page size of this listing; default the client's `pageSize`. */
  count?: number | undefined;
}

export interface ScimGroupListQuery extends ScimListQuery {
  /** Sends `excludedAttributes=members` (what Entra does for large groups, scim.md §3.3). */
  excludeMembers?: boolean | undefined;
}

/** Outcome of a DELETE: `alreadyGone` when the server answered 404 (RFC 7644 §3.6: deleted resources are 404). */
export interface ScimDeleteResult {
  id: string;
  alreadyGone: boolean;
}

const ROUTES = {
  users: '/Users',
  user: '/Users/{id}',
  groups: '/Groups',
  group: '/Groups/{id}',
} as const;

export class ScimClient {
  readonly #p: Pipeline;
  readonly #pageSize: number;

  constructor(opts: ScimClientOptions) {
    const { token, pageSize, headers, ...rest } = opts;
    this.#pageSize = checkPageSize(pageSize ?? DEFAULT_SCIM_PAGE_SIZE);
    this.#p = new Pipeline({
      ...rest,
      credential: { kind: 'bearer', value: token },
      anthropicVersion: null,
      contentType: SCIM_CONTENT_TYPE,
      headers: { accept: SCIM_ACCEPT, ...headers },
      decodeError: decodeScimError,
      buckets: SCIM_BUCKETS,
    });
  }

  /** Counters by route template (`GET /Users`, `PATCH /Groups/{id}`, …), pages per listing, retries, 429s. */
  get stats(): ClientStats {
    return this.#p.stats;
  }

  // ── Users ───────────────────────────────────────────────────────────────────────────────────────────────────

  /** Every user matching the filter (all of them without one), read to `totalResults`. */
  listUsers(q: ScimListQuery = {}, opts: ScimCallOptions = {}): AsyncIterable<ScimUser> {
    return this.#list(ROUTES.users, q, {}, parseScimUser, opts.signal, true);
  }

  /** Like `listUsers`, collected; a listing that changed while it was read is read again from the start. */
  listAllUsers(q: ScimListQuery = {}, opts: ScimCallOptions = {}): Promise<ScimUser[]> {
    return collectStable(() => this.listUsers(q, opts));
  }

  /** GET /Users/{id}; 404 is an `ApiError`. */
  getUser(id: string, opts: ScimCallOptions = {}): Promise<ScimUser> {
    return this.#p.call({ method: 'GET', route: ROUTES.user, params: { id }, signal: opts.signal, parse: parseScimUser });
  }

  /**
   * `filter=userName eq "…"` (quoted and escaped, then URL-encoded); userName is case-insensitive (RFC 7643
   * §4.1.1), so an exact match wins and a single case-insensitive one is accepted. Undefined when none.
   */
  findUserByUserName(userName: string, opts: ScimCallOptions = {}): Promise<ScimUser | undefined> {
    return this.#findUser(userName, opts.signal, true);
  }

  /**
   * POST /Users with `schemas` added and absent attributes left out. A 409 (uniqueness, RFC 7644 §3.3) is answered
   * by looking the userName up and returning the user that exists, so a retried or raced create never duplicates;
   * after a timeout or 5xx the same lookup runs before any new POST. A 409 with no such user (WorkOS: duplicate
   * active email, scim.md §3.17) stays an error.
   */
  async createUser(user: ScimUserCreate, opts: ScimCallOptions = {}): Promise<ScimUser> {
    const body = userCreateBody(user);
    const lookup = (signal: AbortSignal | undefined): Promise<ScimUser | undefined> => this.#findUser(user.userName, signal, false);
    return this.#p.call({
      method: 'POST',
      route: ROUTES.users,
      body,
      signal: opts.signal,
      parse: parseScimUser,
      safety: {
        recover: lookup,
        settle: async (err, ctx) => (err.status === 409 ? lookup(ctx.signal) : undefined),
      },
    });
  }

  /**
   * `{"op":"replace","path":"active","value":<boolean>}`. Returns the user on 200, `null` on 204 (both allowed by
   * RFC 7644 §3.5.2; re-read with `getUser` when the state is needed).
   */
  async setUserActive(id: string, active: boolean, opts: ScimCallOptions = {}): Promise<ScimUser | null> {
    return this.#p.call({
      method: 'PATCH',
      route: ROUTES.user,
      params: { id },
      body: setActiveBody(active),
      signal: opts.signal,
      parse: parsePatchResult(parseScimUser),
    });
  }

  /** DELETE /Users/{id}; a 404 means it is already gone (RFC 7644 §3.6) and counts as done. */
  deleteUser(id: string, opts: ScimCallOptions = {}): Promise<ScimDeleteResult> {
    return this.#delete(ROUTES.user, id, opts.signal);
  }

  // ── Groups ──────────────────────────────────────────────────────────────────────────────────────────────────

  listGroups(q: ScimGroupListQuery = {}, opts: ScimCallOptions = {}): AsyncIterable<ScimGroup> {
    const extra: Record<string, string> = q.excludeMembers ? { excludedAttributes: 'members' } : {};
    return this.#list(ROUTES.groups, q, extra, parseScimGroup, opts.signal, true);
  }

  /** Like `listGroups`, collected; a listing that changed while it was read is read again from the start. */
  listAllGroups(q: ScimGroupListQuery = {}, opts: ScimCallOptions = {}): Promise<ScimGroup[]> {
    return collectStable(() => this.listGroups(q, opts));
  }

  /** GET /Groups/{id}; 404 is an `ApiError`. */
  getGroup(id: string, opts: ScimCallOptions = {}): Promise<ScimGroup> {
    return this.#p.call({ method: 'GET', route: ROUTES.group, params: { id }, signal: opts.signal, parse: parseScimGroup });
  }

  /** `displayName eq "…"`; case-insensitive (RFC 7643 §4.2). Several groups with that name are an error. */
  findGroupByDisplayName(displayName: string, opts: ScimCallOptions = {}): Promise<ScimGroup | undefined> {
    return this.#findGroup('displayName', displayName, opts.signal, true);
  }

  /** `externalId eq "…"`; case-exact (RFC 7643 §3.1). */
  findGroupByExternalId(externalId: string, opts: ScimCallOptions = {}): Promise<ScimGroup | undefined> {
    return this.#findGroup('externalId', externalId, opts.signal, true);
  }

  /**
   * POST /Groups. WorkOS keys a group by `externalId`, else `displayName`, and answers 409 on a collision
   * (scim.md §3.17); the client then looks up by the same key and returns the group that exists (also before any
   * new POST after a timeout or 5xx).
   */
  async createGroup(group: ScimGroupCreate, opts: ScimCallOptions = {}): Promise<ScimGroup> {
    const body = groupCreateBody(group);
    const lookup = (signal: AbortSignal | undefined): Promise<ScimGroup | undefined> =>
      group.externalId !== undefined && group.externalId !== null
        ? this.#findGroup('externalId', group.externalId, signal, false)
        : this.#findGroup('displayName', group.displayName, signal, false);
    return this.#p.call({
      method: 'POST',
      route: ROUTES.groups,
      body,
      signal: opts.signal,
      parse: parseScimGroup,
      safety: {
        recover: lookup,
        settle: async (err, ctx) => (err.status === 409 ? lookup(ctx.signal) : undefined),
      },
    });
  }

  /** `{"op":"replace","path":"displayName","value":"…"}`; the group on 200, `null` on 204. */
  async renameGroup(id: string, displayName: string, opts: ScimCallOptions = {}): Promise<ScimGroup | null> {
    return this.#patchGroup(id, renameGroupBody(displayName), opts.signal);
  }

  /**
   * One `{"op":"add","path":"members","value":[{"value":id},…]}`. Re-adding a member is a success (RFC 7644
   * §3.5.2.1), so retries are safe. An empty list sends nothing and returns `null`.
   */
  async addGroupMembers(id: string, userIds: readonly string[], opts: ScimCallOptions = {}): Promise<ScimGroup | null> {
    if (userIds.length === 0) return null;
    return this.#patchGroup(id, addMembersBody(userIds), opts.signal);
  }

  /**
   * `{"op":"remove","path":"members[value eq \"id\"]"}`. A server may answer 400 `noTarget` when the user is not a
   * member (RFC 7644 §3.12: "a filter that yields no match"): the state asked for holds, so it counts as done.
   */
  async removeGroupMember(id: string, userId: string, opts: ScimCallOptions = {}): Promise<ScimGroup | null> {
    return this.#patchGroup(id, removeMemberBody(userId), opts.signal, {
      settle: async (err) => (err.status === 400 && err.errorType === 'noTarget' ? null : undefined),
    });
  }

  /** DELETE /Groups/{id}; a 404 counts as done. */
  deleteGroup(id: string, opts: ScimCallOptions = {}): Promise<ScimDeleteResult> {
    return this.#delete(ROUTES.group, id, opts.signal);
  }

  /** Destroys the connection pool. The client cannot be used afterwards. */
  close(): Promise<void> {
    return this.#p.close();
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────────────────────

  #list<T extends { id: string }>(
    route: string,
    q: ScimListQuery,
    extra: Record<string, string>,
    parseItem: (item: unknown, req: RequestInfo) => T,
    signal: AbortSignal | undefined,
    retry: boolean,
  ): AsyncIterable<T> {
    const count = q.count === undefined ? this.#pageSize : checkPageSize(q.count);
    return this.#p.pagedList<T, ScimPage<T>>(
      {
        route,
        query: { filter: q.filter, ...extra },
        parsePage: (body, req) => parseScimListResponse(body, req, parseItem),
        signal,
        retry,
      },
      (fetchPage, request) => scimIndexPages((startIndex) => fetchPage({ startIndex, count }), request, (item) => item.id),
    );
  }

  async #findUser(userName: string, signal: AbortSignal | undefined, retry: boolean): Promise<ScimUser | undefined> {
    const filter = scimEq('userName', userName);
    const users = await collectStable(() => this.#list(ROUTES.users, { filter }, {}, parseScimUser, signal, retry));
    return pickOne(users, (u) => u.userName, userName, { caseExact: false, what: filter });
  }

  async #findGroup(
    attribute: 'displayName' | 'externalId',
    value: string,
    signal: AbortSignal | undefined,
    retry: boolean,
  ): Promise<ScimGroup | undefined> {
    const filter = scimEq(attribute, value);
    const groups = await collectStable(() => this.#list(ROUTES.groups, { filter }, {}, parseScimGroup, signal, retry));
    return pickOne(groups, (g) => g[attribute], value, { caseExact: attribute === 'externalId', what: filter });
  }

  #patchGroup(
    id: string,
    body: unknown,
    signal: AbortSignal | undefined,
    safety?: { settle: (err: ApiError) => Promise<ScimGroup | null | undefined> },
  ): Promise<ScimGroup | null> {
    return this.#p.call({
      method: 'PATCH',
      route: ROUTES.group,
      params: { id },
      body,
      signal,
      parse: parsePatchResult(parseScimGroup),
      safety: safety && { settle: (err) => safety.settle(err) },
    });
  }

  #delete(route: string, id: string, signal: AbortSignal | undefined): Promise<ScimDeleteResult> {
    return this.#p.call<ScimDeleteResult>({
      method: 'DELETE',
      route,
      params: { id },
      signal,
      // 204 No Content is the RFC answer; a body, when there is one, is not read.
      parse: () => ({ id, alreadyGone: false }),
      safety: { settle: async (err) => (err.status === 404 ? { id, alreadyGone: true } : undefined) },
    });
  }
}

function checkPageSize(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new TypeError('SCIM page size (count) must be an integer ≥ 1');
  return n;
}
