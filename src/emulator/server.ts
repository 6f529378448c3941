// The emulator's HTTP server (node:http, loopback only). It serves the Admin API under /v1/organizations (through
// the pipeline in api-pipeline.ts) and control endpoints under /_emulator/ (control.ts). Tests start it
// in-process on port 0; the CLI starts it with a seed file.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiPipeline } from './api-pipeline.js';
import { errorBody } from './failure.js';
import { FaultSet } from './faults.js';
import { send } from './http-io.js';
import { newRequestId } from './ids.js';
import { Router, type ApiRoute } from './router.js';
import { organizationRoutes } from './admin/organization/routes.js';
import { inviteRoutes } from './admin/invites/routes.js';
import { userRoutes } from './admin/users/routes.js';
import { workspaceRoutes } from './admin/workspaces/routes.js';
import { workspaceMemberRoutes } from './admin/workspaces/member-routes.js';
import { apiKeyRoutes } from './admin/api-keys/routes.js';
import { groupRoutes } from './admin/groups/routes.js';
import { roleRoutes } from './admin/roles/routes.js';
import { serviceAccountRoutes } from './admin/service-accounts/routes.js';
import { ScimPipeline, isScimPath } from './scim/pipeline.js';
import { setScimAutoSync } from './scim/sync.js';
import { handleControlRequest } from './control.js';
import { defaultSeed, validateSeed, type Seed } from './seed.js';
import { EmulatorStore, type RateLimitSettings } from './store.js';

export interface EmulatorOptions {
  /** The starting state; default: a Console org with the single key DEFAULT_ADMIN_KEY (see seed.ts). */
  seed?: Seed;
  /** Default 0: the system picks a free port. */
  port?: number;
  /** Loopback only: 127.0.0.1 (default), localhost or ::1. Anything else is refused. */
  host?: string;
  /** Override the seed's `rate_limits`. Not configured anywhere = no limit. */
  rateLimit?: { requestsPerMinute?: number; invitesPerHour?: number };
  /** Refuse requests without `anthropic-version` (400); default lenient (§2.4, §16 q5). */
  strictVersion?: boolean;
  /** One line per API request (method, path, status, request id, key or token name; never a key or token). */
  log?: (line: string) => void;
}

export interface RunningEmulator {
  /** e.g. `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  port: number;
  /** Stops listening and closes every socket, keep-alive ones included. Safe to call twice. */
  close(): Promise<void>;
  /** The live state: tests may read it (and change it) directly. */
  store: EmulatorStore;
}

/** Every Admin API route the emulator serves. Later issues append workspaces, API keys, RBAC groups. */
export const API_ROUTES: readonly ApiRoute[] = [
  ...organizationRoutes,
  ...userRoutes,
  ...inviteRoutes,
  ...workspaceRoutes,
  ...workspaceMemberRoutes,
  ...apiKeyRoutes,
  ...groupRoutes,
  ...roleRoutes,
  ...serviceAccountRoutes,
];

const LOOPBACK: Record<string, string> = { '127.0.0.1': '127.0.0.1', localhost: '127.0.0.1', '::1': '::1' };

function checkLimit(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
    throw new RangeError(`emulator option rateLimit.${name} must be a positive integer`);
  }
}

/** Parses the request target without letting `//host/...` change the origin. */
function requestUrl(raw: string | undefined): URL | undefined {
  try {
    const target = raw ?? '/';
    return new URL(target.startsWith('/') ? `http://emulator.invalid${target}` : target);
  } catch {
    return undefined;
  }
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = LOOPBACK[opts.host ?? '127.0.0.1'];
  if (!host) throw new Error(`the emulator listens on loopback only (127.0.0.1, localhost, ::1), not '${opts.host}'`);
  checkLimit('requestsPerMinute', opts.rateLimit?.requestsPerMinute);
  checkLimit('invitesPerHour', opts.rateLimit?.invitesPerHour);
  const overrides: RateLimitSettings = {};
  if (opts.rateLimit?.requestsPerMinute !== undefined) overrides.requestsPerMinute = opts.rateLimit.requestsPerMinute;
  if (opts.rateLimit?.invitesPerHour !== undefined) overrides.invitesPerHour = opts.rateLimit.invitesPerHour;

  const seed = opts.seed !== undefined ? validateSeed(opts.seed, 'startEmulator({seed})') : defaultSeed();
  const store = new EmulatorStore(seed, overrides);
  const faults = new FaultSet();
  const closing = new AbortController();
  const api = new ApiPipeline(store, faults, new Router(API_ROUTES), {
    strictVersion: opts.strictVersion ?? false,
    log: opts.log,
    closing: closing.signal,
  });
  const scim = new ScimPipeline(store, faults, { log: opts.log, closing: closing.signal });

  const dispatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = newRequestId();
    const url = requestUrl(req.url);
    if (!url) {
      const body = JSON.stringify(errorBody('invalid_request_error', 'Malformed request target', requestId));
      return send(res, 400, { 'request-id': requestId, 'content-type': 'application/json' }, body);
    }
    if (url.pathname === '/_emulator' || url.pathname.startsWith('/_emulator/')) {
      return handleControlRequest({ store, faults }, req, res, url, requestId);
    }
    // The SCIM directory (reference §13): its own auth, errors and rate limit (scim/pipeline.ts).
    if (isScimPath(url.pathname)) return scim.handle(req, res, url, requestId);
    return api.handle(req, res, url, requestId);
  };

  const server = createServer((req, res) => {
    dispatch(req, res).catch((e: unknown) => {
      opts.log?.(`emulator: unhandled error: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent) send(res, 500, { 'content-type': 'application/json' }, '{"type":"error"}');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  setScimAutoSync(store, true); // the directory sync timer (scim.sync_interval_ms) runs while the server does

  let closed: Promise<void> | undefined;
  return {
    url: host === '::1' ? `http://[::1]:${port}` : `http://127.0.0.1:${port}`,
    port,
    store,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        setScimAutoSync(store, false);
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
