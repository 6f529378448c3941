// A tampering proxy on 127.0.0.1:0 in front of the emulator: it forwards every request unchanged and lets a test
// rewrite the answer of the requests it picks. It produces the faults the emulator's own fault injection cannot:
// a failure on page 2 only, a repeated cursor, a 200 whose JSON has the wrong types, a server that echoes the
// credential it was sent. Every request still reaches the emulator, so the emulator's counters stay the oracle
// of what was written.

import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Exchange {
  method: string;
  /** path without the query string */
  path: string;
  query: URLSearchParams;
  /** request headers as sent by the client (the credential included: tests may echo it back) */
  headers: IncomingHttpHeaders;
  /** the upstream answer */
  status: number;
  responseHeaders: Record<string, string>;
  body: string;
}

/** A rewritten answer; `undefined` from the tamper function leaves the answer as it came. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export type Tamper = (x: Exchange) => Answer | undefined;

export interface RunningProxy {
  url: string;
  /** requests the tamper function rewrote */
  tampered: number;
  setTamper(t: Tamper | undefined): void;
  close(): Promise<void>;
}

const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

export async function startProxy(upstream: string, initial?: Tamper): Promise<RunningProxy> {
  const target = new URL(upstream);
  let tamper = initial;
  const state = { tampered: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const up = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (upRes) => {
          const parts: Buffer[] = [];
          upRes.on('data', (c: Buffer) => parts.push(c));
          upRes.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(upRes.headers)) {
              if (v !== undefined && !HOP.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
            }
            const url = new URL(req.url ?? '/', 'http://proxy');
            const exchange: Exchange = {
              method: (req.method ?? 'GET').toUpperCase(),
              path: url.pathname,
              query: url.searchParams,
              headers: req.headers,
              status: upRes.statusCode ?? 502,
              responseHeaders: headers,
              body: Buffer.concat(parts).toString('utf8'),
            };
            let answer: Answer = { status: exchange.status, headers, body: exchange.body };
            const rewritten = tamper?.(exchange);
            if (rewritten) {
              state.tampered++;
              answer = { ...rewritten, headers: rewritten.headers ?? headers };
            }
            res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
            res.end(answer.body);
          });
        },
      );
      up.on('error', () => res.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get tampered() {
      return state.tampered;
    },
    setTamper(t) {
      tamper = t;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The answer's JSON with `edit` applied (the edit may mutate in place or return a new value). */
export function editJson(x: Exchange, edit: (body: Record<string, unknown>) => unknown): Answer {
  const parsed = JSON.parse(x.body) as Record<string, unknown>;
  const out = edit(parsed);
  return { status: x.status, headers: x.responseHeaders, body: JSON.stringify(out === undefined ? parsed : out) };
}
