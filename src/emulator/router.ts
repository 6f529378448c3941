// Route tables: a template such as `/v1/organizations/users/{user_id}` compiled to a matcher. Each resource adds a
// module exporting its routes (admin/<resource>/routes.ts, and control.ts for its /_emulator/ hooks), and the server
// concatenates them: the pipeline (auth, scopes, rate limits, envelope) stays the same.

import type { WireOrgKind } from '../clients/wire.js';
import type { ShapeVersion } from './api-version.js';
import type { FaultSet } from './faults.js';
import type { AdminKeyInfo, EmulatorStore } from './store.js';

export interface RouteResult {
  status?: number;
  body: unknown;
}

export interface ApiContext {
  store: EmulatorStore;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body; `undefined` when the request had none. */
  body: unknown;
  key: AdminKeyInfo;
  /** The shape set the request's `anthropic-version` asks for (api-version.ts); answers go through render.ts. */
  version: ShapeVersion;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'DELETE';
  template: string;
  /** Enterprise key scopes, any one of which grants the call (§2.3). Absent: any valid key. */
  scopes?: readonly string[];
  /** Org kinds that have this endpoint (§2.1); a request from another kind is a 404 (§14.2). Absent: both. */
  kinds?: readonly WireOrgKind[];
  /**
   * Scopes an Enterprise key needs ALL of for this particular request, on top of `scopes` (which any one of grants
   * the route): body-dependent rules such as "a `managed` role needs `write:rbac_groups` in addition to
   * `write:members`". Checked after the JSON body is read; undefined or [] adds nothing.
   */
  allScopes?: (body: unknown) => readonly string[] | undefined;
  /**
   * Only an OAuth token with the `org:admin` scope may call it; admin keys get 403 (the service-account endpoints,
   * SDK 1.17: "Admin API keys are not accepted"). Absent: admin keys and `org:admin` tokens alike.
   */
  oauthOnly?: boolean;
  /** A beta endpoint: requests without this `anthropic-beta` value are 400s (SDK 1.17 users.signOut). */
  beta?: string;
  /** An extra rate-limit bucket this route draws from (§2.6 invite creation). */
  bucket?: 'invites';
  handle(ctx: ApiContext): RouteResult;
}

/** What a control endpoint (/_emulator/…, control.ts) is given: no key, no version, the fault set besides. */
export interface ControlContext {
  store: EmulatorStore;
  faults: FaultSet;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

/** A control endpoint; each resource's control.ts exports its own, control.ts serves them all. */
export interface ControlRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  template: string;
  handle(ctx: ControlContext): RouteResult;
}

/** §2.3: `read:org_audit` grants every user-management GET. */
export const READ_MEMBERS = ['read:members', 'read:org_audit'] as const;
export const WRITE_MEMBERS = ['write:members'] as const;

interface Compiled<R> {
  route: R;
  pattern: RegExp;
  names: string[];
}

export class Router<R extends { method: string; template: string }> {
  private readonly compiled: Array<Compiled<R>>;

  constructor(routes: readonly R[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.template
        .split('/')
        .map((segment) => {
          const m = /^\{(\w+)\}$/.exec(segment);
          if (!m) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(m[1]!);
          return '([^/]+)';
        })
        .join('/');
      return { route, pattern: new RegExp(`^${source}$`), names };
    });
  }

  /** The route for this method and path, with decoded path parameters; undefined when none (a 404). */
  match(method: string, path: string): { route: R; params: Record<string, string> } | undefined {
    for (const c of this.compiled) {
      if (c.route.method !== method) continue;
      const m = c.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      try {
        c.names.forEach((name, i) => {
          params[name] = decodeURIComponent(m[i + 1]!);
        });
      } catch {
        return undefined;
      }
      return { route: c.route, params };
    }
    return undefined;
  }
}
