import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MalformedResponseError, RepeatedCursorError } from '../../src/errors.js';
import type { AdminClient } from '../../src/clients/admin.js';
import { collect, parseIdPage, parseTokenPage, tokenPages } from '../../src/clients/paginate.js';
import type { TokenPage } from '../../src/clients/wire.js';
import { api, recordTo, rejectionOf, testClient, userObj, type Recorded } from './helpers.js';

const USERS = '/v1/organizations/users';
let clients: AdminClient[] = [];
function client(over: Parameters<typeof testClient>[0] = {}) {
  const c = testClient({ retry: { retries: 0 }, ...over });
  clients.push(c.client);
  return c;
}

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

function idPage(ids: number[], hasMore: boolean, over: Record<string, unknown> = {}) {
  const data = ids.map((n) => userObj(n));
  return {
    data,
    has_more: hasMore,
    first_id: data[0]?.['id'] ?? null,
    last_id: data[data.length - 1]?.['id'] ?? null,
    ...over,
  };
}

describe('ID-cursor pages (§2.9 item 1)', () => {
  it('reads every page with limit=1000 and after_id=last_id, and stops when has_more is false', async () => {
    const log: Recorded[] = [];
    api().get(USERS).query(true).reply(recordTo(log, 200, idPage([1, 2], true)));
    api().get(USERS).query(true).reply(recordTo(log, 200, idPage([3, 4], true)));
    api().get(USERS).query(true).reply(recordTo(log, 200, idPage([5], false)));
    const { client: c } = client();
    const users = await c.listAllUsers({ roles: ['user', 'developer'] });
    expect(users.map((u) => u.id)).toEqual(['user_001', 'user_002', 'user_003', 'user_004', 'user_005']);
    expect(log.map((r) => r.uri)).toEqual([
      `${USERS}?limit=1000&roles[]=user&roles[]=developer`,
      `${USERS}?limit=1000&roles[]=user&roles[]=developer&after_id=user_002`,
      `${USERS}?limit=1000&roles[]=user&roles[]=developer&after_id=user_004`,
    ]);
    expect(nock.isDone()).toBe(true);
    expect(c.stats.pages).toEqual({ [`GET ${USERS}`]: 3 });
    expect(c.stats.listings).toEqual({ [`GET ${USERS}`]: 1 });
  });

  it('an empty page that says has_more is malformed, never the end of the listing (fail closed)', async () => {
    api().get(USERS).query(true).reply(200, idPage([1], true));
    api().get(USERS).query(true).times(10).reply(200, { data: [], has_more: true, first_id: null, last_id: null });
    const { client: c } = client();
    await expect(c.listAllUsers()).rejects.toBeInstanceOf(MalformedResponseError);
  });

  it('a page with has_more but no last_id is malformed too', async () => {
    api().get(USERS).query(true).times(10).reply(200, idPage([1, 2], true, { last_id: null }));
    const { client: c } = client();
    await expect(c.listAllUsers()).rejects.toThrow(/has_more/);
  });

  it('makes no request after the consumer stops early', async () => {
    const log: Recorded[] = [];
    api().get(USERS).query(true).reply(recordTo(log, 200, idPage([1, 2], true)));
    const { client: c } = client();
    const seen: string[] = [];
    for await (const u of c.listUsers()) {
      seen.push(u.id);
      break;
    }
    expect(seen).toEqual(['user_001']);
    expect(log.length).toBe(1);
  });

  it('refuses a cursor it has already seen', async () => {
    api().get(USERS).query(true).reply(200, idPage([1, 2], true));
    api().get(USERS).query(true).reply(200, idPage([3, 4], true));
    api().get(USERS).query(true).reply(200, idPage([3, 4], true));
    const { client: c } = client();
    const err = await rejectionOf(c.listAllUsers());
    expect(err).toBeInstanceOf(RepeatedCursorError);
    expect((err as RepeatedCursorError).message).toContain('user_004');
    expect((err as RepeatedCursorError).message).toContain(`GET ${USERS}`);
    expect(nock.isDone()).toBe(true);
  });

  const malformed: Array<[string, unknown]> = [
    ['data is not an array', { data: {}, has_more: false, first_id: null, last_id: null }],
    ['has_more is missing', { data: [], first_id: null, last_id: null }],
    ['has_more is a string', { data: [], has_more: 'false', first_id: null, last_id: null }],
    ['last_id is a number', { data: [userObj(1)], has_more: true, first_id: 'user_001', last_id: 7 }],
    ['an item is not an object', { data: ['user_001'], has_more: false, first_id: null, last_id: null }],
    ['a user lacks an email', { data: [{ id: 'user_1', role: 'user' }], has_more: false, first_id: null, last_id: null }],
  ];
  for (const [name, body] of malformed) {
    it(`rejects a page where ${name}`, async () => {
      api().get(USERS).query(true).reply(200, body as nock.Body);
      const { client: c } = client();
      const err = await rejectionOf(c.listAllUsers());
      expect(err).toBeInstanceOf(MalformedResponseError);
      expect((err as Error).message).toContain(`GET ${USERS}?limit=1000`);
    });
  }

  it('retries a truncated page like any malformed response (its own retryable flag)', async () => {
    api().get(USERS).query(true).reply(200, '{"data": [{"id": "user_001"');
    api().get(USERS).query(true).reply(200, idPage([1], false));
    const { client: c, retrySleeps } = client({ retry: { retries: 2 } });
    expect((await c.listAllUsers()).length).toBe(1);
    expect(retrySleeps).toEqual([500]);
  });

  it('tolerates open enums and extra fields', async () => {
    api()
      .get(USERS)
      .query(true)
      .reply(200, idPage([1], false, { data: [userObj(1, { role: 'some_future_role', extra: 1 })] }));
    const { client: c } = client();
    const [u] = await c.listAllUsers();
    expect(u?.role).toBe('some_future_role');
  });

  it('parseIdPage accepts a page without first_id/last_id as nulls', () => {
    const p = parseIdPage({ data: [], has_more: false }, { method: 'GET', path: '/x' });
    expect(p).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
  });
});

describe('token pages (§2.9 item 2)', () => {
  const req = { method: 'GET', path: '/v1/organizations/rbac_groups' };
  function fetcher(pages: Array<TokenPage<number>>, calls: Array<string | undefined>) {
    return async (cursor: string | undefined) => {
      calls.push(cursor);
      const p = pages.shift();
      if (!p) throw new Error('request after the last page');
      return p;
    };
  }
  async function items(pages: Array<TokenPage<number>>, calls: Array<string | undefined>) {
    const out: number[] = [];
    for await (const page of tokenPages(fetcher(pages, calls), req)) out.push(...page.data);
    return out;
  }

  it('follows next_page and treats short pages while has_more as normal (§11.2)', async () => {
    const calls: Array<string | undefined> = [];
    const out = await items(
      [
        { data: [1], has_more: true, next_page: 'p2' },
        { data: [], has_more: true, next_page: 'p3' },
        { data: [2, 3], has_more: false, next_page: null },
      ],
      calls,
    );
    expect(out).toEqual([1, 2, 3]);
    expect(calls).toEqual([undefined, 'p2', 'p3']);
  });

  it('stops when next_page is null', async () => {
    const calls: Array<string | undefined> = [];
    expect(await items([{ data: [1], has_more: true, next_page: null }], calls)).toEqual([1]);
    expect(calls.length).toBe(1);
  });

  it('refuses a repeated token', async () => {
    const calls: Array<string | undefined> = [];
    const err = await rejectionOf(
      items(
        [
          { data: [1], has_more: true, next_page: 'p2' },
          { data: [2], has_more: true, next_page: 'p2' },
        ],
        calls,
      ),
    );
    expect(err).toBeInstanceOf(RepeatedCursorError);
    expect(calls).toEqual([undefined, 'p2']);
  });

  it('checks the token-page shape', () => {
    expect(parseTokenPage({ data: [{}], next_page: null }, req)).toEqual({ data: [{}], has_more: false, next_page: null });
    expect(() => parseTokenPage({ data: [], has_more: 1, next_page: null }, req)).toThrow(MalformedResponseError);
    expect(() => parseTokenPage({ data: [], has_more: true, next_page: 5 }, req)).toThrow(MalformedResponseError);
    expect(() => parseTokenPage({ data: 'x', next_page: null }, req)).toThrow(MalformedResponseError);
  });

  it('collect reads an async iterable to the end', async () => {
    async function* gen() {
      yield 1;
      yield 2;
    }
    expect(await collect(gen())).toEqual([1, 2]);
  });

  it('collect with a mapper maps each item as it arrives, before the listing goes on', async () => {
    const yielded: number[] = [];
    async function* gen() {
      for (const n of [1, 2, 3]) {
        yielded.push(n);
        yield n;
      }
    }
    // each item is mapped while it is the last one read: its wire object need not outlive its page
    const seen: number[][] = [];
    const out = await collect(gen(), (n) => (seen.push([...yielded]), `#${n}`));
    expect(out).toEqual(['#1', '#2', '#3']);
    expect(seen).toEqual([[1], [1, 2], [1, 2, 3]]);
  });
});
