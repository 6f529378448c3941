// Control endpoints under /_emulator/: what tests do to the world outside the API (a person accepts an invite,
// time passes, the network misbehaves) and how they look at the whole state. No auth, no rate limits, no faults.
// The clock, the state, faults and the request log are here; each resource's own hooks are in its control.ts.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiKeyControlRoutes } from './admin/api-keys/control.js';
import { inviteControlRoutes } from './admin/invites/control.js';
import { userControlRoutes } from './admin/users/control.js';
import { ApiFailure, badRequest, errorBody, notFound } from './failure.js';
import { parseFaultSpec, type FaultSet } from './faults.js';
import { MAX_BODY_BYTES, parseJsonBody, readBody, send } from './http-io.js';
import { objectBody } from './params.js';
import { REQUEST_LOG_CAPACITY } from './request-log.js';
import { Router, type ControlRoute } from './router.js';
import { SeedError, validateSeed } from './seed.js';
import type { EmulatorStore } from './store.js';
import { scimControlRoutes } from './scim/control.js';

function nonNegative(input: Record<string, unknown>, field: string): number {
  const v = input[field];
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw badRequest(`${field}: must be a number >= 0`);
  return v;
}

export const controlRoutes: ControlRoute[] = [
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

export const controlRouter = new Router<ControlRoute>([
  ...controlRoutes,
  ...inviteControlRoutes,
  ...userControlRoutes,
  ...apiKeyControlRoutes,
  ...scimControlRoutes,
]);

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
