// A real SCIM 2.0 server for tests, written by nobody on this project: SCIMMY (protocol: schemas, filters, PatchOp,
// ListResponse, errors) behind scimmy-routers (express 4), over a small in-memory store (scim.md "A real SCIM peer
// that installs from npm"). It listens on 127.0.0.1, port 0, under `/scim/v2.0/<directory key>` like WorkOS, with a
// bearer token. Reusable by end-to-end tests: `startScimmyServer()` → `{url, token, store, requests, close}`.
//
// SCIMMY keeps its resource declarations and handlers in module-level state, so they are declared once per process
// and each server passes its own store to them through the router's `context`; several servers can run at once.
// The store is the part we wrote, kept close to the RFC and to WorkOS where that is cheap: userName unique
// case-insensitively (409 uniqueness), a group's identity is its externalId or else its displayName (409), group
// members are deduplicated (re-adding is a no-op, RFC 7644 §3.5.2.1), and deleting a user removes it from groups.

import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';

export interface StoredUser {
  id: string;
  userName: string;
  [attribute: string]: unknown;
}

export interface StoredGroup {
  id: string;
  displayName: string;
  externalId?: string;
  members?: Array<{ value: string; display?: string }>;
  [attribute: string]: unknown;
}

export interface ScimmyStore {
  users: Map<string, StoredUser>;
  groups: Map<string, StoredGroup>;
  /** Server-side cap on `count` (RFC 7644 §3.4.2.4 allows returning fewer); undefined: no cap. */
  maxResults: number | undefined;
}

export interface RecordedScimRequest {
  method: string;
  /** Path and query as received, for example `/scim/v2.0/dir_1/Users?filter=…`. */
  url: string;
  contentType: string | undefined;
  accept: string | undefined;
  authorization: string | undefined;
  status: number;
  body: unknown;
}

export interface ScimmyServerOptions {
  directoryKey?: string;
  token?: string;
  maxResults?: number;
}

export interface ScimmyServer {
  /** The directory URL a SCIM client takes as its base, for example `http://127.0.0.1:PORT/scim/v2.0/dir_test`. */
  url: string;
  token: string;
  store: ScimmyStore;
  /** Every request answered, in order (for asserting what a client sent). */
  requests: RecordedScimRequest[];
  close(): Promise<void>;
}

/** The parts of a SCIMMY resource instance the handlers read. */
interface ResourceRequest {
  id?: string;
  filter?: { match(values: unknown[]): unknown[] };
  constraints?: { startIndex?: number; count?: number };
}

const DEFAULT_TOKEN = 'scimmy-test-token-0123456789';

let declared = false;

/** Declares User and Group once per process; handlers act on the store of the server that got the request. */
function declareResources(): void {
  if (declared) return;
  declared = true;
  SCIMMY.Resources.declare(SCIMMY.Resources.User, {
    egress: (resource: ResourceRequest, store: ScimmyStore) => egress(resource, store, store.users, 'User'),
    ingress: (resource: ResourceRequest, instance: unknown, store: ScimmyStore) => ingressUser(resource, instance, store),
    degress: (resource: ResourceRequest, store: ScimmyStore) => {
      if (!resource.id || !store.users.delete(resource.id)) throw notFound(resource.id);
      for (const g of store.groups.values()) {
        if (g.members) g.members = g.members.filter((m) => m.value !== resource.id);
      }
    },
  });
  SCIMMY.Resources.declare(SCIMMY.Resources.Group, {
    egress: (resource: ResourceRequest, store: ScimmyStore) => egress(resource, store, store.groups, 'Group'),
    ingress: (resource: ResourceRequest, instance: unknown, store: ScimmyStore) => ingressGroup(resource, instance, store),
    degress: (resource: ResourceRequest, store: ScimmyStore) => {
      if (!resource.id || !store.groups.delete(resource.id)) throw notFound(resource.id, 'Group');
    },
  });
}

function egress<T extends { id: string }>(
  resource: ResourceRequest,
  store: ScimmyStore,
  items: Map<string, T>,
  kind: string,
): T | T[] {
  if (resource.id) {
    const one = items.get(resource.id);
    if (!one) throw notFound(resource.id, kind);
    return clone(one);
  }
  let list = [...items.values()].map(clone);
  // SCIMMY parses the filter; applying it is the handler's job.
  if (resource.filter) list = resource.filter.match(list) as T[];
  if (store.maxResults !== undefined) {
    // ListResponse slices with these constraints after egress returns, so lowering `count` here caps the page.
    const c = (resource.constraints ??= {});
    c.count = Math.min(c.count ?? 20, store.maxResults);
  }
  return list;
}

function ingressUser(resource: ResourceRequest, instance: unknown, store: ScimmyStore): StoredUser {
  const data = plain(instance);
  const userName = String(data['userName'] ?? '');
  const key = userName.toLowerCase();
  for (const u of store.users.values()) {
    if (u.id !== resource.id && u.userName.toLowerCase() === key) {
      throw new SCIMMY.Types.Error(409, 'uniqueness', `Another user already exists with this username '${userName}'`);
    }
  }
  if (resource.id && !store.users.has(resource.id)) throw notFound(resource.id);
  const id = resource.id ?? randomUUID();
  const user: StoredUser = { ...data, id, userName };
  store.users.set(id, user);
  return clone(user);
}

function ingressGroup(resource: ResourceRequest, instance: unknown, store: ScimmyStore): StoredGroup {
  const data = plain(instance);
  const displayName = String(data['displayName'] ?? '');
  const externalId = typeof data['externalId'] === 'string' ? data['externalId'] : undefined;
  const identity = (g: { displayName: string; externalId?: string | undefined }): string =>
    g.externalId !== undefined ? `x:${g.externalId}` : `n:${g.displayName.toLowerCase()}`;
  const mine = identity({ displayName, externalId });
  for (const g of store.groups.values()) {
    if (g.id !== resource.id && identity(g) === mine) {
      throw new SCIMMY.Types.Error(409, 'uniqueness', `Another group already exists with this ID '${externalId ?? displayName}'`);
    }
  }
  if (resource.id && !store.groups.has(resource.id)) throw notFound(resource.id, 'Group');
  const members = Array.isArray(data['members']) ? (data['members'] as Array<{ value: string; display?: string }>) : [];
  const unique = [...new Map(members.map((m) => [m.value, { value: m.value, ...(m.display ? { display: m.display } : {}) }])).values()];
  const id = resource.id ?? randomUUID();
  const group: StoredGroup = { ...data, id, displayName, members: unique };
  if (externalId === undefined) delete group.externalId;
  store.groups.set(id, group);
  return clone(group);
}

/** The schema instance as plain JSON, without the attributes the server owns. */
function plain(instance: unknown): Record<string, unknown> {
  const data = JSON.parse(JSON.stringify(instance)) as Record<string, unknown>;
  delete data['schemas'];
  delete data['meta'];
  delete data['id'];
  return data;
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function notFound(id: string | undefined, kind = 'User'): Error {
  return new SCIMMY.Types.Error(404, null as unknown as string, `${kind} ${id ?? '(none)'} not found`);
}

export async function startScimmyServer(opts: ScimmyServerOptions = {}): Promise<ScimmyServer> {
  declareResources();
  const directoryKey = opts.directoryKey ?? 'dir_test';
  const token = opts.token ?? DEFAULT_TOKEN;
  const store: ScimmyStore = { users: new Map(), groups: new Map(), maxResults: opts.maxResults };
  const requests: RecordedScimRequest[] = [];
  const mount = `/scim/v2.0/${directoryKey}`;

  const app = express();
  app.use((req, res, next) => {
    res.on('finish', () => {
      requests.push({
        method: req.method,
        url: req.originalUrl,
        contentType: req.header('content-type'),
        accept: req.header('accept'),
        authorization: req.header('authorization'),
        status: res.statusCode,
        body: (req as { body?: unknown }).body,
      });
    });
    next();
  });
  app.use(
    mount,
    new SCIMMYRouters({
      type: 'bearer',
      handler: (req) => {
        if (req.header('authorization') !== `Bearer ${token}`) throw new Error('Invalid bearer token');
        return 'scim-client';
      },
      context: () => store,
    }) as unknown as express.Router,
  );

  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${mount}`,
    token,
    store,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
