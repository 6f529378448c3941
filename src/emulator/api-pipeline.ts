// The path of every Admin API request, in the order the checks apply:
//   faults → body size (413) → auth (401) → anthropic-version → request rate limit (429) → route (404)
//   → org kind (404) → credential kind: an OAuth token needs `org:admin`, an OAuth-only route refuses admin keys (403)
//   → key scopes (403) → beta header of a beta route (400) → route bucket, e.g. invites/hour (429) → JSON body (400)
//   → body-dependent scopes, all of them (403) → handler.
// A fault with `carry_out` lets the request run the whole path and answers its error in place of the result.
// Every answer carries `request-id` (§2.5) and, once the key is known, `anthropic-organization-id` and the
// `anthropic-ratelimit-requests-*` headers when a request limit is configured. Errors use the §2.7 envelope.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { KNOWN_VERSIONS, shapeVersion } from './api-version.js';
import { ApiFailure, errorBody, errorTypeForStatus, type ErrorDetails } from './failure.js';
import type { Fault, FaultSet } from './faults.js';
import { MAX_BODY_BYTES, answerFault, delayOrReset, parseJsonBody, readBody, send } from './http-io.js';
import { ORG_ADMIN_SCOPE } from './oauth-tokens.js';
import { RateLimiter } from './ratelimit.js';
import { recordAnswer } from './request-log.js';
import type { ApiRoute, Router } from './router.js';
import type { AdminKeyInfo, EmulatorStore } from './store.js';

export interface PipelineOptions {
  strictVersion: boolean;
  log?: ((line: string) => void) | undefined;
  /** Aborts when the emulator closes: delayed answers stop waiting. */
  closing: AbortSignal;
}

type Credential = { kind: 'none' } | { kind: 'x-api-key' | 'bearer'; value: string } | { kind: 'malformed' };

function credentialOf(req: IncomingMessage): Credential {
  const apiKey = req.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return { kind: 'x-api-key', value: apiKey };
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth !== '') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? { kind: 'bearer', value: m[1]! } : { kind: 'malformed' };
  }
  return { kind: 'none' };
}

/** A 200 whose JSON stops mid-object, as when a proxy or a dropped connection cuts a response. */
const TRUNCATED_JSON = '{"data":[{"type":"user","id":"user_01WCz1FkmYMm4gnmykNKUu3Q","email":"jane@exa';

export class ApiPipeline {
  private limiter: RateLimiter;
  private limiterGeneration: number;

  constructor(
    private readonly store: EmulatorStore,
    private readonly faults: FaultSet,
    private readonly router: Router<ApiRoute>,
    private readonly opts: PipelineOptions,
  ) {
    this.limiter = new RateLimiter(store.rateLimits);
    this.limiterGeneration = store.generation;
  }

  /** Rate limits come from the current state; `PUT /_emulator/state` replaces them (and resets the buckets). */
  private currentLimiter(): RateLimiter {
    if (this.limiterGeneration !== this.store.generation) {
      this.limiter = new RateLimiter(this.store.rateLimits);
      this.limiterGeneration = this.store.generation;
    }
    return this.limiter;
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string): Promise<void> {
    const store = this.store;
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const match = this.router.match(method, path);
    const routeName = match ? `${method} ${match.route.template}` : `${method} (unmatched)`;
    const credential = credentialOf(req);
    const versionHeader = req.headers['anthropic-version'];
    const version = shapeVersion(typeof versionHeader === 'string' ? versionHeader : undefined);
    // Identified before faults so logs and headers can name the key; enforced only at the auth step. An OAuth token
    // is a bearer token (§2.2): sent as `x-api-key` it is no key at all.
    const found: AdminKeyInfo | undefined =
      credential.kind === 'x-api-key' || credential.kind === 'bearer' ? store.authenticate(credential.value) : undefined;
    const key = found?.oauth && credential.kind === 'x-api-key' ? undefined : found;

    const record = (status: number): void =>
      recordAnswer(store.requests, routeName, { method, path, search: url.search, status, requestId, keyName: key?.name ?? null },
        this.opts.log, `key=${key?.name ?? '-'}`);
    const headers = (): Record<string, string> => ({
      'request-id': requestId,
      // §2.5: the organization that owns the key; unknowable when there is no valid key.
      ...(key && { 'anthropic-organization-id': store.organization.id }),
      'content-type': 'application/json',
      ...(key && this.currentLimiter().headers(key.name)),
    });
    const fail = (failure: ApiFailure): void => {
      // Error codes are part of the 2026-10-21 shapes; the legacy shapes keep a bare `error.type`.
      const details = version === '2026-10-21' ? failure.details : undefined;
      const body = JSON.stringify(errorBody(failure.type, failure.message, requestId, details));
      send(res, failure.status, { ...headers(), ...failure.headers }, body);
      record(failure.status);
    };

    // The request is read whole before a fault holds it: a real server that has the request carries it out even
    // when the client gives up waiting meanwhile (issue 12: a POST held past the client's deadline and then
    // carried out made a second workspace). The answer is then written to a closed connection and lost.
    const read = await readBody(req);
    const fault = this.faults.take(method, path);
    if (fault) {
      if (await delayOrReset(fault, req, this.opts.closing, record)) return;
      if (!fault.carry_out && (fault.status !== undefined || fault.body !== undefined)) {
        record(this.sendFault(res, fault, headers(), requestId));
        return;
      }
    }

    if (!read.ok) {
      if (read.reason === 'aborted') return record(0);
      return fail(new ApiFailure(413, `Request body is too large: the limit is ${MAX_BODY_BYTES} bytes`));
    }

    try {
      if (!key) {
        const message =
          credential.kind === 'none'
            ? 'x-api-key header is required'
            : credential.kind === 'x-api-key'
              ? 'invalid x-api-key'
              : 'invalid authorization header: expected a valid Bearer token';
        throw new ApiFailure(401, message);
      }
      if (typeof versionHeader === 'string') {
        if (!KNOWN_VERSIONS.includes(versionHeader)) {
          throw new ApiFailure(400, `anthropic-version: '${versionHeader}' is not a valid version`);
        }
      } else if (this.opts.strictVersion) {
        throw new ApiFailure(400, 'anthropic-version: header is required');
      }
      const limiter = this.currentLimiter();
      const allowed = limiter.takeRequest(key.name);
      if (!allowed.ok) {
        throw new ApiFailure(429, allowed.message, { headers: { 'retry-after': String(allowed.retryAfterSeconds) } });
      }
      if (!match || (match.route.kinds && !match.route.kinds.includes(store.organization.kind))) {
        throw new ApiFailure(404, `Not found: ${method} ${path}`);
      }
      const { route, params } = match;
      assertCredentialKind(key, route, method);
      if (route.scopes && key.scopes && !route.scopes.some((s) => key.scopes!.includes(s))) {
        // §2.3: "a message listing the scopes the key has and the scopes the endpoint needs".
        throw new ApiFailure(
          403,
          `This API key lacks the scope required for ${method} ${route.template}: it needs ${route.scopes.join(' or ')}; ` +
            `the key has ${key.scopes.length > 0 ? key.scopes.join(', ') : 'no scopes'}`,
        );
      }
      if (route.beta !== undefined && !betasOf(req).includes(route.beta)) {
        // SDK 1.17 (users.signOut): "Every request must include the beta header … A request without it returns 400."
        throw new ApiFailure(
          400,
          `${method} ${route.template} is in beta: send the header 'anthropic-beta: ${route.beta}' to use it`,
        );
      }
      if (route.bucket === 'invites') {
        const invite = limiter.takeInvite(key.name);
        if (!invite.ok) {
          throw new ApiFailure(429, invite.message, { headers: { 'retry-after': String(invite.retryAfterSeconds) } });
        }
      }
      const body = method === 'POST' ? parseJsonBody(read.body) : undefined;
      const needed = route.allScopes?.(body) ?? [];
      if (key.scopes && needed.some((s) => !key.scopes!.includes(s))) {
        throw new ApiFailure(
          403,
          `This API key lacks a scope required for this ${method} ${route.template}: it needs ${needed.join(' and ')}; ` +
            `the key has ${key.scopes.length > 0 ? key.scopes.join(', ') : 'no scopes'}`,
        );
      }
      const result = route.handle({ store, params, query: url.searchParams, body, key, version });
      if (fault?.carry_out) {
        // Carried out: the change stands, and the client hears only the injected error.
        record(this.sendFault(res, fault, headers(), requestId, carriedOutDetails(fault, route.template, method, result.body)));
        return;
      }
      const status = result.status ?? 200;
      send(res, status, headers(), JSON.stringify(result.body));
      record(status);
    } catch (e) {
      if (e instanceof ApiFailure) return fail(e);
      this.opts.log?.(`internal error on ${method} ${path} (${requestId}): ${(e as Error).stack ?? String(e)}`);
      fail(new ApiFailure(500, 'Internal server error'));
    }
  }

  /** Answers with the fault's status and body kind; returns the status sent. */
  private sendFault(
    res: ServerResponse,
    fault: Fault,
    headers: Record<string, string>,
    requestId: string,
    extraDetails: Record<string, unknown> = {},
  ): number {
    const details: ErrorDetails | undefined =
      fault.error_code !== undefined ? { ...extraDetails, ...fault.details, error_code: fault.error_code } : undefined;
    return answerFault(res, fault, {
      headers,
      truncated: TRUNCATED_JSON,
      error: (status) => {
        const type = fault.error_type ?? errorTypeForStatus(status);
        return JSON.stringify(errorBody(type, fault.message ?? defaultFaultMessage(type), requestId, details));
      },
    });
  }
}

/**
 * §2.2: an OAuth token works only with the `org:admin` scope; the service-account endpoints take nothing else (SDK
 * 1.17 service-accounts.d.ts: "Requires an OAuth access token with the `org:admin` scope … Admin API keys are not
 * accepted"). The SDK declares no error code for either refusal and does not give the status: the emulator answers
 * 403 `permission_error` (the credential is valid, the endpoint does not take it), saying what it needs.
 */
function assertCredentialKind(key: AdminKeyInfo, route: ApiRoute, method: string): void {
  if (key.oauth && !key.oauth.scopes.includes(ORG_ADMIN_SCOPE)) {
    throw new ApiFailure(
      403,
      `This OAuth token lacks the ${ORG_ADMIN_SCOPE} scope the Admin API requires; it has ` +
        (key.oauth.scopes.length > 0 ? key.oauth.scopes.join(', ') : 'no scopes'),
    );
  }
  if (route.oauthOnly && !key.oauth) {
    throw new ApiFailure(
      403,
      `${method} ${route.template} requires an OAuth access token with the ${ORG_ADMIN_SCOPE} scope (from ` +
        `'ant auth login --scope ${ORG_ADMIN_SCOPE}' or a workload identity federation rule); Admin API keys are not accepted`,
    );
  }
}

/** The `anthropic-beta` values of a request: comma-separated, and the header may be repeated (§2.4). */
function betasOf(req: IncomingMessage): string[] {
  const raw = req.headers['anthropic-beta'];
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/** `details` the emulator fills in for a carried-out fault: the workspace a create made (SDK WorkspaceCreatedIncomplete). */
function carriedOutDetails(fault: Fault, template: string, method: string, result: unknown): Record<string, unknown> {
  if (fault.error_code === 'workspace_created_incomplete' && method === 'POST' && template === '/v1/organizations/workspaces') {
    const id = (result as { id?: unknown } | null)?.id;
    if (typeof id === 'string') return { workspace_id: id };
  }
  return {};
}

function defaultFaultMessage(type: string): string {
  switch (type) {
    case 'overloaded_error':
      return 'Overloaded';
    case 'rate_limit_error':
      return 'Rate limited. Please retry later.';
    case 'timeout_error':
      return 'Request timed out';
    case 'api_error':
      return 'Internal server error';
    default:
      return 'Injected fault';
  }
}
