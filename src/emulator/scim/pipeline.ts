// The path of every request under /scim/v2.0/ (the WorkOS-like directory, reference §13.3, §14.3), in the order
// the checks apply:
//   faults → plan gate (403) → directory key (404) → body size (413) → bearer token (401) → SCIM rate limit (429)
//   → route (404) → media type (415) → JSON body (400) → handler.
// Errors are SCIM error bodies with `status` as a string (RFC 7644 §3.12), except the two WorkOS answers that are
// not (§13.6): the 413 and the bare 400. Answers are `application/scim+json`; requests may be that or
// `application/json`. Requests are counted and logged like Admin API ones (route templates such as
// `GET /scim/v2.0/{directory}/Users`), never with the token.
//
// Choices where the reference is silent (§13.9, §16 q8): an org without a directory answers 404 for any directory
// key (a Team org simply has no endpoint); `scim.forbidden` makes every request a 403 (the "non-Enterprise" design
// choice of §13.9); a wrong or missing token is a 401 with a SCIM error body (Okta's spec test expects one).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Fault, FaultSet } from '../faults.js';
import { answerFault, delayOrReset, readBody, send } from '../http-io.js';
import { TokenBucket } from '../ratelimit.js';
import { recordAnswer } from '../request-log.js';
import { Router } from '../router.js';
import type { EmulatorStore } from '../store.js';
import type { ScimDirectory } from './directory.js';
import { ScimFailure, scimErrorBody } from './failure.js';
import { directoryBase } from './render.js';
import { scimRoutes, type ScimRoute } from './resources.js';

export const SCIM_MOUNT = '/scim/v2.0';
/** WorkOS refuses bodies over 2,000 KB with a 413 that is not a SCIM body (§13.4). */
export const SCIM_MAX_BODY_BYTES = 2_000 * 1024;
export const SCIM_CONTENT_TYPE = 'application/scim+json';

const ACCEPTED_MEDIA_TYPES = ['application/scim+json', 'application/json'];
const TRUNCATED = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":3,"Resou';

export function isScimPath(pathname: string): boolean {
  return pathname === SCIM_MOUNT || pathname.startsWith(`${SCIM_MOUNT}/`);
}

export interface ScimPipelineOptions {
  log?: ((line: string) => void) | undefined;
  closing: AbortSignal;
}

export class ScimPipeline {
  private readonly router = new Router<ScimRoute>(scimRoutes);
  private bucket: TokenBucket | undefined;
  private bucketDirectory: ScimDirectory | undefined;

  constructor(
    private readonly store: EmulatorStore,
    private readonly faults: FaultSet,
    private readonly opts: ScimPipelineOptions,
  ) {}

  /** The SCIM token bucket of the current directory; a new directory (a new seed) starts a full one. */
  private take(dir: ScimDirectory): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const rpm = dir.settings.requestsPerMinute;
    if (rpm === undefined) return { ok: true };
    if (this.bucketDirectory !== dir || !this.bucket) {
      this.bucket = new TokenBucket(rpm, 60_000, () => performance.now());
      this.bucketDirectory = dir;
    }
    const r = this.bucket.take();
    return r.ok ? r : { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(r.retryAfterMs / 1000)) };
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string): Promise<void> {
    const store = this.store;
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const match = this.router.match(method, path);
    const routeName = match ? `${method} ${match.route.template}` : `${method} ${SCIM_MOUNT} (unmatched)`;
    let authenticated = false;

    const record = (status: number): void =>
      recordAnswer(store.requests, routeName, { method, path, search: url.search, status, requestId, keyName: authenticated ? 'scim-directory' : null },
        this.opts.log, 'scim');
    const base = { 'x-request-id': requestId };
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      if (body === undefined) send(res, status, { ...base, ...headers }, '');
      else send(res, status, { ...base, 'content-type': SCIM_CONTENT_TYPE, ...headers }, JSON.stringify(body));
      record(status);
    };
    const fail = (f: ScimFailure): void => {
      if (f.bare) return answer(f.status, undefined, f.headers);
      answer(f.status, scimErrorBody(f.status, f.message, f.scimType), f.headers);
    };

    // read whole before a fault holds it: a request the server has is carried out even if the client gives up
    const read = await readBody(req, SCIM_MAX_BODY_BYTES);
    const fault = this.faults.take(method, path);
    if (fault) {
      if (await delayOrReset(fault, req, this.opts.closing, record)) return;
      if (fault.status !== undefined || fault.body !== undefined) {
        record(this.sendFault(res, fault, base));
        return;
      }
    }

    try {
      const dir = store.scim;
      if (dir?.settings.forbidden) {
        throw new ScimFailure(403, 'SCIM provisioning is not available on this plan; it requires Claude Enterprise');
      }
      const key = path.split('/')[3];
      if (!dir || key === undefined || key !== dir.key) throw new ScimFailure(404, 'Directory not found');

      if (!read.ok) {
        if (read.reason === 'aborted') return record(0);
        // §13.4: "Above it → 413 with a non-SCIM body".
        send(res, 413, { ...base, 'content-type': 'text/plain; charset=utf-8' }, 'Request Entity Too Large');
        return record(413);
      }

      const auth = req.headers.authorization;
      const token = typeof auth === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1] : undefined;
      if (token === undefined) throw new ScimFailure(401, 'Authorization: a Bearer token is required');
      if (!dir.authenticate(token)) throw new ScimFailure(401, 'The bearer token is not valid for this directory');
      authenticated = true;

      const allowed = this.take(dir);
      if (!allowed.ok) {
        throw new ScimFailure(429, 'Too many requests: retry later', {
          headers: { 'retry-after': String(allowed.retryAfterSeconds) },
        });
      }
      if (!match) throw new ScimFailure(404, `No such SCIM endpoint: ${method} ${path}`);

      let body: unknown;
      if (read.body.length > 0) {
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (type !== '' && !ACCEPTED_MEDIA_TYPES.includes(type)) {
          throw new ScimFailure(415, `Unsupported media type '${type}': send ${ACCEPTED_MEDIA_TYPES.join(' or ')}`);
        }
        try {
          body = JSON.parse(read.body.toString('utf8'));
        } catch (e) {
          throw new ScimFailure(400, `The request body is not valid JSON: ${(e as Error).message}`, { scimType: 'invalidSyntax' });
        }
      }
      const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
      const result = await match.route.handle({
        store,
        dir,
        params: match.params,
        query: url.searchParams,
        body,
        base: directoryBase(origin, dir),
      });
      answer(result.status ?? 200, result.body, result.headers);
    } catch (e) {
      if (e instanceof ScimFailure) return fail(e);
      this.opts.log?.(`internal error on ${method} ${path} (${requestId}): ${(e as Error).stack ?? String(e)}`);
      fail(new ScimFailure(500, 'Internal server error'));
    }
  }

  /** Answers with the fault's status and body kind (SCIM error bodies for plain error faults); returns the status. */
  private sendFault(res: ServerResponse, fault: Fault, base: Record<string, string>): number {
    return answerFault(res, fault, {
      headers: base,
      bodyHeaders: { 'content-type': SCIM_CONTENT_TYPE },
      truncated: TRUNCATED,
      error: (status) => JSON.stringify(scimErrorBody(status, fault.message ?? STATUS_CODES[status] ?? 'Injected fault', fault.error_type)),
    });
  }
}
