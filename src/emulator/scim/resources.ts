// The SCIM resource endpoints of the directory (reference §13.3, §14.3; scim.md §3.3–§3.8, §3.17):
//   GET /Users, /Groups      ListResponse; `startIndex` (1-based), `count` (default and cap from the seed),
//                            `filter`, `attributes`, `excludedAttributes`; stable creation order
//   GET /Users/{id}          the resource, or 404
//   POST                     201 + Location; the only operation that creates (no upsert anywhere)
//   PUT                      full replace, strictly by id, 404 on a miss
//   PATCH                    RFC 7644 PatchOp (scim/patch.ts), atomic, 200 with the resource
//   DELETE                   204; 404 once gone (RFC 7644 §3.6)
// WorkOS's uniqueness rules answer 409 `uniqueness`: userName ignoring case, the email of an active user, and the
// identity of a group (externalId, else displayName, fixed at creation). Group members that name no user of the
// directory are dropped silently; repeated members collapse into one (an add of an existing member is a success).

import type { EmulatorStore } from '../store.js';
import type { ScimDirectory } from './directory.js';
import type { ScimGroupRecord, ScimRecord } from './records.js';
import { ScimFailure, scimNotFound } from './failure.js';
import { compileFilter, groupProjection, userProjection } from './filter.js';
import { applyPatch } from './patch.js';
import { groupResource, listResponse, selectAttributes, userResource } from './render.js';
import { backfilledEmails, hasUsableEmail, isEmailShaped, primaryEmail } from './user-emails.js';
import { groupInput, userInput } from './validate.js';

export interface ScimContext {
  store: EmulatorStore;
  dir: ScimDirectory;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** `http://host:port/scim/v2.0/<directory>`. */
  base: string;
}

export interface ScimResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ScimRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  template: string;
  handle(ctx: ScimContext): ScimResult | Promise<ScimResult>;
}

type Obj = Record<string, unknown>;

function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  if (!/^\s*-?\d+\s*$/.test(raw)) {
    throw new ScimFailure(400, `'${name}' must be an integer, received '${raw}'`, { scimType: 'invalidValue' });
  }
  return Number(raw);
}

/** RFC 7644 §3.4.2.4: startIndex < 1 reads as 1; count < 0 as 0; the server caps count (it may return fewer). */
function pageParams(query: URLSearchParams, dir: ScimDirectory): { startIndex: number; count: number } {
  const startIndex = Math.max(1, intParam(query, 'startIndex') ?? 1);
  const count = Math.min(dir.settings.maxCount, Math.max(0, intParam(query, 'count') ?? dir.settings.defaultCount));
  return { startIndex, count };
}

function listParam(query: URLSearchParams, name: string): string[] {
  return (query.get(name) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function list<R extends ScimRecord>(
  ctx: ScimContext,
  records: Iterable<R>,
  kind: 'User' | 'Group',
  render: (r: R) => object,
): ScimResult {
  const { startIndex, count } = pageParams(ctx.query, ctx.dir);
  const filterText = ctx.query.get('filter');
  const matches = filterText === null ? undefined : compileFilter(filterText, kind);
  const project = kind === 'User' ? userProjection : groupProjection;
  const selected = [...records].filter((r) => !matches || matches(project(r.id, r.data)));
  const page = selected.slice(startIndex - 1, startIndex - 1 + count);
  const attributes = listParam(ctx.query, 'attributes');
  const excluded = listParam(ctx.query, 'excludedAttributes');
  return { body: listResponse(page.map((r) => selectAttributes(render(r), attributes, excluded)), selected.length, startIndex) };
}

function one<T extends object>(ctx: ScimContext, resource: T): T {
  return selectAttributes(resource, listParam(ctx.query, 'attributes'), listParam(ctx.query, 'excludedAttributes'));
}

function findUser(dir: ScimDirectory, id: string): ScimRecord {
  const rec = dir.users.get(id);
  if (!rec) throw scimNotFound('User', id);
  return rec;
}

function findGroup(dir: ScimDirectory, id: string): ScimGroupRecord {
  const rec = dir.groups.get(id);
  if (!rec) throw scimNotFound('Group', id);
  return rec;
}

function conflict(detail: string): ScimFailure {
  return new ScimFailure(409, detail, { scimType: 'uniqueness' });
}

/** §13.4: userName unique ignoring case; the email of an active user unique among active users. */
function checkUserUniqueness(dir: ScimDirectory, data: Obj, exceptId?: string): void {
  const userName = String(data.userName);
  if (dir.userWithUserName(userName, exceptId)) {
    throw conflict(`Another user already exists with this username '${userName}'`);
  }
  if (data.active === false) return;
  const email = primaryEmail(data.emails);
  if (email !== undefined && dir.activeUserWithEmail(email, exceptId)) {
    throw conflict(`Another user already exists with this email '${email}'`);
  }
}

/** Members that name a user of this directory, each once, in the order given (§13.4, §13.5). */
function resolveMembers(dir: ScimDirectory, members: unknown): Array<{ value: string }> {
  const seen = new Set<string>();
  const out: Array<{ value: string }> = [];
  for (const m of Array.isArray(members) ? (members as Obj[]) : []) {
    const value = m.value;
    if (typeof value !== 'string' || seen.has(value) || !dir.users.has(value)) continue;
    seen.add(value);
    out.push({ value });
  }
  return out;
}

function created(ctx: ScimContext, resource: { meta?: { location?: string } }): ScimResult {
  return { status: 201, body: resource, headers: { location: resource.meta?.location ?? '' } };
}

const USERS = '/scim/v2.0/{directory}/Users';
const GROUPS = '/scim/v2.0/{directory}/Groups';

export const scimRoutes: ScimRoute[] = [
  {
    method: 'GET',
    template: USERS,
    handle: (ctx) => list(ctx, ctx.dir.users.values(), 'User', (r) => userResource(r, ctx.base)),
  },
  {
    method: 'GET',
    template: `${USERS}/{id}`,
    handle: (ctx) => ({ body: one(ctx, userResource(findUser(ctx.dir, ctx.params.id!), ctx.base)) }),
  },
  {
    method: 'POST',
    template: USERS,
    handle: (ctx) => {
      const data = userInput(ctx.body, 'create', ctx.dir.settings.softDelete);
      checkUserUniqueness(ctx.dir, data);
      return created(ctx, userResource(ctx.dir.addUser(data), ctx.base));
    },
  },
  {
    method: 'PUT',
    template: `${USERS}/{id}`,
    handle: (ctx) => {
      const rec = findUser(ctx.dir, ctx.params.id!);
      const data = userInput(ctx.body, 'replace', ctx.dir.settings.softDelete);
      checkUserUniqueness(ctx.dir, data, rec.id);
      ctx.dir.replaceData(rec, data);
      return { body: userResource(rec, ctx.base) };
    },
  },
  {
    method: 'PATCH',
    template: `${USERS}/{id}`,
    handle: async (ctx) => {
      const rec = findUser(ctx.dir, ctx.params.id!);
      const next = await applyPatch('User', rec.id, rec.data, ctx.body, { stringBooleans: ctx.dir.settings.stringBooleans });
      // The result must still be a user WorkOS would hold (§13.4).
      const userName = next.userName;
      if (typeof userName !== 'string' || userName.trim() === '') {
        throw new ScimFailure(400, "'userName' is required", { scimType: 'invalidValue' });
      }
      if (!hasUsableEmail(next.emails)) {
        if (!isEmailShaped(userName)) {
          throw new ScimFailure(400, 'Required attributes missing: emails', { scimType: 'invalidValue' });
        }
        next.emails = backfilledEmails(userName);
      }
      if (next.active === undefined) next.active = true;
      checkUserUniqueness(ctx.dir, next, rec.id);
      ctx.dir.replaceData(rec, next);
      return { body: userResource(rec, ctx.base) };
    },
  },
  {
    method: 'DELETE',
    template: `${USERS}/{id}`,
    handle: (ctx) => {
      ctx.dir.deleteUser(findUser(ctx.dir, ctx.params.id!));
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    template: GROUPS,
    handle: (ctx) => list(ctx, ctx.dir.groups.values(), 'Group', (r) => groupResource(r, ctx.base, ctx.dir)),
  },
  {
    method: 'GET',
    template: `${GROUPS}/{id}`,
    handle: (ctx) => ({ body: one(ctx, groupResource(findGroup(ctx.dir, ctx.params.id!), ctx.base, ctx.dir)) }),
  },
  {
    method: 'POST',
    template: GROUPS,
    handle: (ctx) => {
      const data = groupInput(ctx.body);
      // §13.5: identity = externalId if present, else displayName; a collision is a 409.
      const identity = typeof data.externalId === 'string' ? data.externalId : String(data.displayName);
      if (ctx.dir.groupWithIdentity(identity)) throw conflict(`Another group already exists with this ID '${identity}'`);
      data.members = resolveMembers(ctx.dir, data.members);
      return created(ctx, groupResource(ctx.dir.addGroup(data, identity), ctx.base, ctx.dir));
    },
  },
  {
    method: 'PUT',
    template: `${GROUPS}/{id}`,
    handle: (ctx) => {
      const rec = findGroup(ctx.dir, ctx.params.id!);
      const data = groupInput(ctx.body);
      // The identity is sticky (§13.5): a replace never changes it, so it cannot collide.
      data.members = resolveMembers(ctx.dir, data.members);
      ctx.dir.replaceData(rec, data);
      return { body: groupResource(rec, ctx.base, ctx.dir) };
    },
  },
  {
    method: 'PATCH',
    template: `${GROUPS}/{id}`,
    handle: async (ctx) => {
      const rec = findGroup(ctx.dir, ctx.params.id!);
      const next = await applyPatch('Group', rec.id, rec.data, ctx.body, { stringBooleans: ctx.dir.settings.stringBooleans });
      if (typeof next.displayName !== 'string' || next.displayName.trim() === '') {
        throw new ScimFailure(400, "'displayName' is required", { scimType: 'invalidValue' });
      }
      next.members = resolveMembers(ctx.dir, next.members);
      ctx.dir.replaceData(rec, next);
      return { body: groupResource(rec, ctx.base, ctx.dir) };
    },
  },
  {
    method: 'DELETE',
    template: `${GROUPS}/{id}`,
    handle: (ctx) => {
      ctx.dir.deleteGroup(findGroup(ctx.dir, ctx.params.id!));
      return { status: 204 };
    },
  },
];
