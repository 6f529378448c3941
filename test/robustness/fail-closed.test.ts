// Issue 6 item 1: fail closed on reads. For every listing a plan makes, a listing that fails after its retries,
// repeats a cursor, or answers a malformed page makes `plan` print no plan (exit 1) and `apply` write nothing; the
// error names the request (method, path, request id when the failing answer had one) and never a credential.
// Faults come from the emulator (`POST /_emulator/faults`) or, where it cannot make them (page 2 only, a repeated
// cursor, wrong JSON types), from a tampering proxy between the CLI and the emulator (proxy.ts).

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  control,
  emulatorState,
  expectNoSecret,
  runIn,
  stable,
  STACK_TRACE,
  writeRoutes,
  type RunOutput,
} from './helpers.js';
import { editJson, type Answer, type Exchange } from './proxy.js';
import { startOrg, type Org, type OrgName } from './scenarios.js';

type Scheme = 'id' | 'token' | 'scim';

interface Listing {
  name: string;
  org: OrgName;
  /** the emulator fault's path (exact, or a prefix ending in `*`) */
  faultPath: string;
  /** which proxied requests belong to this listing */
  match: RegExp;
  scheme: Scheme;
  /** how the error must name the request */
  names: RegExp;
  /** a field of an item that the client relies on (made a number by the wrong-type fault) */
  itemField: string;
  /** the route in the emulator's counters, and the fewest pages a fault-free read takes */
  route: string;
  pages: number;
}

const DIR = '/scim/v2.0/dir_robust_acme';

const LISTINGS: Listing[] = [
  { name: 'users', org: 'console', faultPath: '/v1/organizations/users', match: /^\/v1\/organizations\/users$/, scheme: 'id',
    names: /GET \/v1\/organizations\/users\b/, itemField: 'email', route: 'GET /v1/organizations/users', pages: 3 },
  { name: 'invites', org: 'console', faultPath: '/v1/organizations/invites', match: /^\/v1\/organizations\/invites$/, scheme: 'id',
    names: /GET \/v1\/organizations\/invites\b/, itemField: 'status', route: 'GET /v1/organizations/invites', pages: 2 },
  { name: 'workspaces', org: 'console', faultPath: '/v1/organizations/workspaces', match: /^\/v1\/organizations\/workspaces$/, scheme: 'id',
    names: /GET \/v1\/organizations\/workspaces(\?|:| \()/, itemField: 'name', route: 'GET /v1/organizations/workspaces', pages: 2 },
  { name: 'workspace members', org: 'console', faultPath: '/v1/organizations/workspaces/*', match: /^\/v1\/organizations\/workspaces\/[^/]+\/members$/,
    scheme: 'id', names: /GET \/v1\/organizations\/workspaces\/wrkspc_\w+\/members\b/, itemField: 'workspace_role',
    route: 'GET /v1/organizations/workspaces/{workspace_id}/members', pages: 2 },
  { name: 'API keys', org: 'console', faultPath: '/v1/organizations/api_keys', match: /^\/v1\/organizations\/api_keys$/, scheme: 'id',
    names: /GET \/v1\/organizations\/api_keys\b/, itemField: 'status', route: 'GET /v1/organizations/api_keys', pages: 2 },
  { name: 'RBAC groups', org: 'enterprise', faultPath: '/v1/organizations/rbac_groups', match: /^\/v1\/organizations\/rbac_groups$/, scheme: 'token',
    names: /GET \/v1\/organizations\/rbac_groups(\?|:| \()/, itemField: 'source_type', route: 'GET /v1/organizations/rbac_groups', pages: 2 },
  { name: 'group members', org: 'enterprise', faultPath: '/v1/organizations/rbac_groups/*', match: /^\/v1\/organizations\/rbac_groups\/[^/]+\/members$/,
    scheme: 'token', names: /GET \/v1\/organizations\/rbac_groups\/rbac_group_\w+\/members\b/, itemField: 'user_id',
    route: 'GET /v1/organizations/rbac_groups/{group_id}/members', pages: 3 },
  { name: 'SCIM users', org: 'enterprise', faultPath: `${DIR}/Users`, match: /\/scim\/v2\.0\/[^/]+\/Users$/, scheme: 'scim',
    names: /GET \/Users\b/, itemField: 'userName', route: 'GET /scim/v2.0/{directory}/Users', pages: 4 },
  { name: 'SCIM groups', org: 'enterprise', faultPath: `${DIR}/Groups`, match: /\/scim\/v2\.0\/[^/]+\/Groups$/, scheme: 'scim',
    names: /GET \/Groups\b/, itemField: 'displayName', route: 'GET /scim/v2.0/{directory}/Groups', pages: 2 },
];

const HTML = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>';

/** A page after the first: the cursor, the token or the start index says so. */
function isLaterPage(x: Exchange, scheme: Scheme): boolean {
  if (scheme === 'id') return x.query.has('after_id');
  if (scheme === 'token') return x.query.has('page');
  return Number(x.query.get('startIndex') ?? '1') > 1;
}

function itemsOf(body: Record<string, unknown>, scheme: Scheme): Array<Record<string, unknown>> {
  return (scheme === 'scim' ? body.Resources : body.data) as Array<Record<string, unknown>>;
}

interface FaultCase {
  name: string;
  /** the failing answer carries a request id the error must repeat */
  requestId: boolean;
  /** retried before giving up: the fault fires at least retries + 1 times in one run */
  retried: boolean;
  /** an emulator fault (`POST /_emulator/faults`), or a rewrite by the proxy */
  emulator?: Record<string, unknown>;
  proxy?: (l: Listing) => (x: Exchange) => Answer | undefined;
}

const FAULTS: FaultCase[] = [
  { name: 'persistent 500', requestId: true, retried: true, emulator: { status: 500 } },
  { name: 'persistent 529 overloaded', requestId: true, retried: true, emulator: { status: 529 } },
  { name: 'an HTML page from a proxy with status 200', requestId: false, retried: true, emulator: { body: 'html', status: 200 } },
  { name: 'an HTML page from a proxy with status 502', requestId: false, retried: true, emulator: { body: 'html', status: 502 } },
  { name: 'truncated JSON', requestId: true, retried: true, emulator: { body: 'truncated' } },
  { name: 'an empty 200 body', requestId: true, retried: true, emulator: { body: 'empty' } },
  {
    name: 'page 2 fails with 500 after its retries',
    requestId: true,
    retried: true,
    proxy: (l) => (x) =>
      isLaterPage(x, l.scheme)
        ? { status: 500, headers: x.responseHeaders, body: JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'Internal server error' } }) }
        : undefined,
  },
  {
    name: 'page 2 is an HTML page with status 200',
    requestId: false,
    retried: true,
    proxy: (l) => (x) => (isLaterPage(x, l.scheme) ? { status: 200, headers: { 'content-type': 'text/html' }, body: HTML } : undefined),
  },
  {
    name: 'page 2 repeats page 1 (a repeated cursor)',
    requestId: true,
    retried: false,
    proxy: (l) => {
      const first = new Map<string, string>();
      return (x) => {
        if (!isLaterPage(x, l.scheme)) {
          first.set(x.path, x.body);
          return undefined;
        }
        return { status: 200, headers: x.responseHeaders, body: first.get(x.path) ?? x.body };
      };
    },
  },
  {
    name: '`data` is not an array',
    requestId: true,
    retried: true,
    proxy: (l) => (x) => editJson(x, (b) => {
      if (l.scheme === 'scim') b.Resources = { ...itemsOf(b, l.scheme) };
      else b.data = { ...itemsOf(b, l.scheme) };
    }),
  },
  {
    name: '`has_more` is a string (SCIM: `totalResults` is not a number)',
    requestId: true,
    retried: true,
    proxy: (l) => (x) => editJson(x, (b) => {
      if (l.scheme === 'scim') b.totalResults = 'lots';
      else b.has_more = String(b.has_more ?? true);
    }),
  },
  {
    name: 'an item has a field of the wrong type',
    requestId: true,
    retried: true,
    proxy: (l) => (x) => editJson(x, (b) => {
      const items = itemsOf(b, l.scheme);
      if (items[0]) items[0][l.itemField] = 42;
    }),
  },
];

const orgs: Org[] = [];
afterEach(async () => {
  for (const o of orgs.splice(0)) await o.close();
});

async function open(name: OrgName): Promise<Org> {
  const o = await startOrg(name);
  orgs.push(o);
  return o;
}

/** A run that fails closed: exit 1, nothing on stdout, one error that names the request, no secret, no trace. */
function expectFailedClosed(out: RunOutput, l: Listing, f: FaultCase, what: string): void {
  const all = out.stdout + out.stderr;
  expect(out.code, `${what}: exit code; stderr: ${out.stderr}`).toBe(1);
  expect(out.stdout, `${what}: stdout must hold no plan`).toBe('');
  expect(out.stderr).toMatch(/^error: /m);
  const error = out.stderr.split('\n').find((line) => line.startsWith('error: ')) ?? '';
  expect(error, `${what}: the error names the request`).toMatch(l.names);
  if (f.requestId) expect(error, `${what}: the error names the request id`).toMatch(/request-id req_\w+/);
  expect(all).not.toMatch(STACK_TRACE);
  expectNoSecret(all, what);
}

async function firedCount(o: Org, f: FaultCase): Promise<number> {
  if (f.proxy) return o.proxy.tampered;
  const list = (await (await fetch(`${o.emu.url}/_emulator/faults`, { signal: AbortSignal.timeout(10_000) })).json()) as {
    data: Array<{ fired: number }>;
  };
  return list.data.reduce((n, x) => n + x.fired, 0);
}

describe('fault-free baseline: every listing is read, over several pages', () => {
  it.each(['console', 'enterprise'] as const)('%s: plan exits 0 and reads each listing in full', async (name) => {
    const o = await open(name);
    const out = await runIn(['plan', '--format', 'json', '-f', o.file], { env: o.env });
    expect(out.code, out.stderr).toBe(0);
    const plan = JSON.parse(out.stdout) as { changes: Array<{ action: string; address: string }> };
    // Console: dave is removed and his two keys deactivated; nothing else. Enterprise: nothing to do.
    const api = plan.changes.filter((c) => ['create', 'update', 'replace', 'delete'].includes(c.action)).map((c) => c.action + ' ' + c.address.split('[')[0]);
    expect(api.sort()).toEqual(name === 'console' ? ['delete member', 'update api_key', 'update api_key'] : []);
    const counters = (await emulatorState(o.emu.url)).requests as Record<string, Record<string, number>>;
    for (const l of LISTINGS.filter((x) => x.org === name)) {
      expect(counters[l.route]?.['200'] ?? 0, `${l.name} pages`).toBeGreaterThanOrEqual(l.pages);
    }
  });
});

describe('fail closed: a listing that cannot be read in full stops plan and apply', () => {
  const cases = LISTINGS.flatMap((l) => FAULTS.map((f) => ({ l, f, title: `${l.name}: ${f.name}` })));

  it.each(cases)('$title', async ({ l, f }) => {
    const o = await open(l.org);
    const before = stable(await emulatorState(o.emu.url));
    if (f.emulator) await control(o.emu.url, 'faults', { method: 'GET', path: l.faultPath, count: 100_000, ...f.emulator });
    if (f.proxy) {
      const rewrite = f.proxy(l);
      o.proxy.setTamper((x) => (x.method === 'GET' && l.match.test(x.path) ? rewrite(x) : undefined));
    }

    const json = await runIn(['plan', '--format', 'json', '-f', o.file], { env: o.env });
    expectFailedClosed(json, l, f, 'plan --format json');
    const fired = await firedCount(o, f);
    expect(fired, 'the fault fired').toBeGreaterThan(0);
    if (f.retried) expect(fired, 'the failing request was retried before giving up').toBeGreaterThanOrEqual(3);

    expectFailedClosed(await runIn(['plan', '-f', o.file], { env: o.env }), l, f, 'plan');
    expectFailedClosed(await runIn(['apply', '--auto-approve', '-f', o.file], { env: o.env }), l, f, 'apply');

    const after = await emulatorState(o.emu.url);
    expect(writeRoutes(after), 'no write request reached the emulator').toEqual([]);
    expect(stable(after)).toEqual(before);
  });
});

describe('a listing is never taken as empty because it failed', () => {
  it('users failing on page 2 of 3: no plan, no invite for the people on pages 2 and 3', async () => {
    const o = await open('console');
    o.proxy.setTamper((x) =>
      x.method === 'GET' && x.path === '/v1/organizations/users' && x.query.has('after_id')
        ? { status: 503, headers: x.responseHeaders, body: '{"type":"error","error":{"type":"api_error","message":"unavailable"}}' }
        : undefined,
    );
    const plan = await runIn(['plan', '--format', 'json', '-f', o.file], { env: o.env });
    expect(plan.code).toBe(1);
    expect(plan.stdout).toBe('');
    expect(plan.stderr).toMatch(/GET \/v1\/organizations\/users\?limit=3&after_id=user_\w+ \(request-id req_\w+\) failed: 503/);
    const apply = await runIn(['apply', '--auto-approve', '-f', o.file], { env: o.env });
    expect(apply.code).toBe(1);
    const st = await emulatorState(o.emu.url);
    expect(st.invitation_emails).toEqual({});
    expect((st.users as unknown[]).length).toBe(8);
    expect(writeRoutes(st)).toEqual([]);
    // The proxy's rewrite is the only thing that failed: once it stops, the same file plans as before.
    o.proxy.setTamper(undefined);
    expect((await runIn(['plan', '-f', o.file], { env: o.env })).code).toBe(0);
  });

  it('a page with `data: null` is malformed, not an empty listing', async () => {
    const o = await open('console');
    o.proxy.setTamper((x) => (x.method === 'GET' && x.path === '/v1/organizations/users' ? editJson(x, (b) => ({ ...b, data: null })) : undefined));
    const out = await runIn(['apply', '--auto-approve', '-f', o.file], { env: o.env });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/GET \/v1\/organizations\/users\?limit=3 \(request-id req_\w+\): malformed response: `data` is not an array/);
    expect(writeRoutes(await emulatorState(o.emu.url))).toEqual([]);
  });
});

describe('a field the plan relies on is checked, never defaulted', () => {
  it('RBAC group members without `rbac_group_id` (or the older `group_id`) are malformed, not members of no group (which would add them all again)', async () => {
    const o = await open('enterprise');
    o.proxy.setTamper((x) =>
      x.method === 'GET' && /\/rbac_groups\/[^/]+\/members$/.test(x.path)
        ? editJson(x, (b) => {
          for (const m of b.data as Array<Record<string, unknown>>) {
            delete m.rbac_group_id;
            delete m.group_id;
          }
        })
        : undefined,
    );
    const out = await runIn(['apply', '--auto-approve', '-f', o.file], { env: o.env });
    expect(out.code, out.stdout).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/GET \/v1\/organizations\/rbac_groups\/rbac_group_\w+\/members\?limit=3 \(request-id req_\w+\): malformed response: `group_id` is not a string, and neither is `rbac_group_id`/);
    expect(writeRoutes(await emulatorState(o.emu.url))).toEqual([]);
  });
});

beforeAll(() => {
  // 9 listings × 12 faults, each through plan (json), plan (text) and apply.
  expect(LISTINGS.length * FAULTS.length).toBe(108);
});
