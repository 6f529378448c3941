// Control endpoints under /_emulator/: what tests do to the world outside the API (a person accepts an invite,
// time passes, the network misbehaves) and how they look at the whole state. No auth, no rate limits, no faults.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WireInvite, WireUser } from '../../clients/wire.js';
import { emailKey } from '../emails.js';
import { ApiFailure, badRequest, errorBody, notFound } from '../failure.js';
import { MAX_BODY_BYTES, parseJsonBody, readBody, send } from '../http-io.js';
import { parseFaultSpec, type FaultSet } from '../faults.js';
import { REQUEST_LOG_CAPACITY } from '../request-log.js';
import { Router, type RouteResult } from '../router.js';
import { SeedError, validateSeed } from '../seed.js';
import type { EmulatorStore, InviteRecord } from '../store.js';
import { objectBody, requiredString } from './params.js';
import { workspaceControlRoutes } from './workspace-control.js';
import { scimControlRoutes } from '../scim/control-routes.js';

export interface ControlContext {
  store: EmulatorStore;
  faults: FaultSet;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export interface ControlRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  template: string;
  handle(ctx: ControlContext): RouteResult;
}

/** The invitee follows the link: the invite becomes accepted and a member with the invite's role appears. */
function accept(store: EmulatorStore, invite: InviteRecord, name: string | undefined): { invite: WireInvite; user: WireUser } {
  const status = store.inviteStatus(invite);
  if (status !== 'pending') throw badRequest(`Invite ${invite.id} is ${status}; only a pending invite can be accepted`);
  const member = store.userByEmail(invite.email);
  if (member) throw badRequest(`${invite.email} is already a member (${member.id})`);
  const user = store.addUser({ email: invite.email, role: invite.role, ...(name !== undefined && { name }) });
  store.setInviteStatus(invite.id, 'accepted');
  return { invite: store.inviteToWire(invite), user: store.userToWire(user) };
}

function optionalName(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  const input = objectBody(body, ['name']);
  return input.name === undefined ? undefined : requiredString(input, 'name');
}

function nonNegative(input: Record<string, unknown>, field: string): number {
  const v = input[field];
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw badRequest(`${field}: must be a number >= 0`);
  return v;
}

export const controlRoutes: ControlRoute[] = [
  {
    method: 'POST',
    template: '/_emulator/invites/{invite_id}/accept',
    handle: ({ store, params, body }) => {
      const invite = store.invite(params.invite_id!);
      if (!invite) throw notFound(`No invite with id '${params.invite_id}'`);
      return { body: accept(store, invite, optionalName(body)) };
    },
  },
  {
    method: 'POST',
    template: '/_emulator/invites/accept',
    handle: ({ store, body }) => {
      const input = objectBody(body, ['email', 'name']);
      const email = requiredString(input, 'email');
      const name = input.name === undefined ? undefined : requiredString(input, 'name');
      const invite = store.pendingInviteFor(email) ?? store.invitesFor(email)[0];
      if (!invite) throw notFound(`No invite for ${emailKey(email)}`);
      return { body: accept(store, invite, name) };
    },
  },
  {
    method: 'GET',
    template: '/_emulator/clock',
    handle: ({ store }) => ({ body: { now: store.clock.nowIso(), offset_seconds: store.clock.offsetSeconds } }),
  },
  {
    method: 'POST',
    template: '/_emulator/clock/advance',
    handle: ({ store, body }) => {
      const input = objectBody(body ?? {}, ['seconds', 'days']);
      const ms = (nonNegative(input, 'seconds') + nonNegative(input, 'days') * 86_400) * 1000;
      store.clock.advance(ms);
      return { body: { now: store.clock.nowIso(), offset_seconds: store.clock.offsetSeconds } };
    },
  },
  {
    method: 'GET',
    template: '/_emulator/state',
    handle: ({ store }) => ({ body: store.snapshot() }),
  },
  {
    method: 'PUT',
    template: '/_emulator/state',
    handle: ({ store, body }) => {
      try {
        store.load(validateSeed(body, 'PUT /_emulator/state'));
      } catch (e) {
        if (e instanceof SeedError) throw badRequest(e.message);
        throw e;
      }
      return { body: store.snapshot() };
    },
  },
  {
    method: 'POST',
    template: '/_emulator/faults',
    handle: ({ faults, body }) => ({ body: { id: faults.add(parseFaultSpec(body)).id } }),
  },
  {
    method: 'GET',
    template: '/_emulator/faults',
    handle: ({ faults }) => ({ body: { data: faults.list() } }),
  },
  {
    method: 'DELETE',
    template: '/_emulator/faults',
    handle: ({ faults }) => {
      faults.clear();
      return { body: { cleared: true } };
    },
  },
  {
    method: 'GET',
    template: '/_emulator/requests',
    handle: ({ store, query }) => {
      const raw = query.get('limit') ?? '100';
      const limit = Number(raw);
      if (!/^\d+$/.test(raw) || limit < 1 || limit > REQUEST_LOG_CAPACITY) {
        throw badRequest(`limit: must be an integer from 1 to ${REQUEST_LOG_CAPACITY}`);
      }
      return { body: { data: store.requests.recent(limit) } };
    },
  },
];

export const controlRouter = new Router<ControlRoute>([...controlRoutes, ...workspaceControlRoutes, ...scimControlRoutes]);

/** Serves one control request: JSON in and out, the §2.7 envelope on errors, never recorded as API traffic. */
export async function handleControlRequest(
  services: { store: EmulatorStore; faults: FaultSet },
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  requestId: string,
): Promise<void> {
  const headers = { 'request-id': requestId, 'content-type': 'application/json' };
  try {
    const read = await readBody(req);
    if (!read.ok) {
      if (read.reason === 'aborted') return;
      throw new ApiFailure(413, `Request body is too large: the limit is ${MAX_BODY_BYTES} bytes`);
    }
    const match = controlRouter.match((req.method ?? 'GET').toUpperCase(), url.pathname);
    if (!match) throw notFound(`No control endpoint ${req.method} ${url.pathname}`);
    const body = parseJsonBody(read.body);
    const result = match.route.handle({ ...services, params: match.params, query: url.searchParams, body });
    send(res, result.status ?? 200, headers, JSON.stringify(result.body));
  } catch (e) {
    const failure = e instanceof ApiFailure ? e : new ApiFailure(500, `Internal error: ${(e as Error).message}`);
    send(res, failure.status, headers, JSON.stringify(errorBody(failure.type, failure.message, requestId)));
  }
}
