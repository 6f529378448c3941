// Low-level request and response helpers shared by the API pipeline and the control endpoints.

import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { badRequest } from './failure.js';

/** Bodies above this are refused with 413 `request_too_large` (§2.7; WorkOS refuses above 2,000 KB, §14.3). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Past this much, the emulator stops draining an oversized body and drops the connection. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

export type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'aborted' };

/**
 * Reads the whole body. An oversized one is still drained (up to a bound) so the 413 reaches a client that is
 * still sending; closing mid-upload would turn the documented 413 into a connection error.
 */
export function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else if (size > MAX_DRAIN_BYTES) req.destroy();
    });
    req.on('end', () =>
      resolve(size > maxBytes ? { ok: false, reason: 'too_large' } : { ok: true, body: Buffer.concat(chunks) }),
    );
    req.on('error', () => resolve({ ok: false, reason: 'aborted' }));
    req.on('close', () => {
      if (!req.complete) resolve({ ok: false, reason: 'aborted' });
    });
  });
}

/** Parses a JSON body; an empty body is `undefined` (the route decides whether it needs one). */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw badRequest(`The request body is not valid JSON: ${(e as Error).message}`);
  }
}

export function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
): void {
  if (res.writableEnded || res.destroyed) return;
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...headers, 'content-length': String(payload.length) });
  res.end(payload);
}

/** Resolves after `ms`, or at once when `signal` aborts (the emulator is closing). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * The network part of an injected fault, shared by the Admin API and the SCIM pipelines: hang for `delay_ms`, then
 * drop the connection when the emulator is closing or the fault says `reset`. True when the request ended here.
 */
export async function delayOrReset(
  fault: { delay_ms?: number; reset?: boolean },
  req: { socket: { destroy(): void } },
  closing: AbortSignal,
  record: (status: number) => void,
): Promise<boolean> {
  if (fault.delay_ms) await sleep(fault.delay_ms, closing);
  if (closing.aborted) {
    req.socket.destroy();
    return true;
  }
  if (fault.reset) {
    req.socket.destroy();
    record(0);
    return true;
  }
  return false;
}

/** A proxy's error page (§14.1 item 5): not from the API, so no request-id and no API headers. */
export function proxyErrorPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n` +
    '<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n';
}

/** How one API answers an injected fault: its headers, its cut-off body, and its own error body for a status. */
export interface FaultAnswers {
  headers: Record<string, string>;
  /** added to the headers of an answer that has a body (the API's content type) */
  bodyHeaders?: Record<string, string>;
  truncated: string;
  /** the API's own error body for an error status */
  error(status: number): string;
}

/**
 * The answer part of an injected fault, shared by the Admin API and the SCIM pipelines: a proxy's HTML page, a
 * truncated or empty body, or the API's own error body for the status. Returns the status sent.
 */
export function answerFault(
  res: ServerResponse,
  fault: { status?: number; body?: 'html' | 'truncated' | 'empty'; retry_after?: number },
  api: FaultAnswers,
): number {
  const extra: Record<string, string> = fault.retry_after !== undefined ? { 'retry-after': String(fault.retry_after) } : {};
  switch (fault.body) {
    case 'html': {
      const status = fault.status ?? 502;
      send(res, status, { 'content-type': 'text/html; charset=utf-8', ...extra }, proxyErrorPage(status));
      return status;
    }
    case 'truncated': {
      const status = fault.status ?? 200;
      send(res, status, { ...api.headers, ...api.bodyHeaders, ...extra }, api.truncated);
      return status;
    }
    case 'empty': {
      const status = fault.status ?? 200;
      send(res, status, { ...api.headers, ...extra }, '');
      return status;
    }
    default: {
      const status = fault.status ?? 500;
      if (status < 400) {
        send(res, status, { ...api.headers, ...extra }, '');
        return status;
      }
      send(res, status, { ...api.headers, ...api.bodyHeaders, ...extra }, api.error(status));
      return status;
    }
  }
}
