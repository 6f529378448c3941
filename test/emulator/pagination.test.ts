// ID-cursor pagination (§2.9, §14.2) over real HTTP, plus the merge reader on its own.

import { describe, expect, it } from 'vitest';
import type { SeedUser } from '../../src/emulator/index.js';
import { readPage } from '../../src/emulator/pagination.js';
import { SortedIndex } from '../../src/emulator/sorted-index.js';
import { call, emulator, expectEnvelope } from './helpers.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');

/** `n` users whose join times are scrambled and partly equal (ties), with ids fixed so the order is known. */
function scrambledUsers(n: number): { users: SeedUser[]; expected: string[] } {
  const users: SeedUser[] = [];
  for (let i = 0; i < n; i++) {
    const minute = (i * 7919) % Math.ceil(n / 3); // about three users per timestamp
    users.push({
      email: `u${i}@acme.com`,
      role: i % 5 === 0 ? 'developer' : 'user',
      added_at: new Date(T0 + minute * 60_000).toISOString(),
    });
  }
  // Newest first; among equal timestamps the one seeded later is newer.
  const expected = users
    .map((u, i) => ({ email: u.email, ms: Date.parse(u.added_at!), i }))
    .sort((a, b) => b.ms - a.ms || b.i - a.i)
    .map((u) => u.email);
  return { users, expected };
}

async function walk(emu: Awaited<ReturnType<typeof emulator>>, base: string, limit: number, start: string | null, dir: 'after' | 'before') {
  const pages: Array<{ data: Array<{ id: string; email: string }>; has_more: boolean; first_id: string | null; last_id: string | null }> = [];
  let cursor = start;
  for (let guard = 0; guard < 10_000; guard++) {
    const sep = base.includes('?') ? '&' : '?';
    const q = `${base}${sep}limit=${limit}${cursor ? `&${dir}_id=${cursor}` : ''}`;
    const a = await call(emu, q);
    expect(a.status).toBe(200);
    const page = a.body;
    expect(page.first_id).toBe(page.data[0]?.id ?? null);
    expect(page.last_id).toBe(page.data[page.data.length - 1]?.id ?? null);
    pages.push(page);
    if (!page.has_more) break;
    cursor = dir === 'after' ? page.last_id : page.first_id;
  }
  return pages;
}

describe('ID-cursor pagination over 2,500 users', () => {
  it('walks forward with after_id and backward with before_id, newest added_at first', async () => {
    const { users, expected } = scrambledUsers(2500);
    const emu = await emulator({ seed: { users } });

    const forward = await walk(emu, '/v1/organizations/users', 1000, null, 'after');
    expect(forward.map((p) => p.data.length)).toEqual([1000, 1000, 500]);
    expect(forward.map((p) => p.has_more)).toEqual([true, true, false]);
    const emails = forward.flatMap((p) => p.data.map((u) => u.email));
    expect(emails).toEqual(expected);
    const ids = forward.flatMap((p) => p.data.map((u) => u.id));

    // Backward from the oldest user: pages of the 1000 users right before the cursor, has_more toward the newest.
    const backward = await walk(emu, '/v1/organizations/users', 1000, ids[2499]!, 'before');
    expect(backward.map((p) => p.data.length)).toEqual([1000, 1000, 499]);
    expect(backward.map((p) => p.has_more)).toEqual([true, true, false]);
    const back = backward.reverse().flatMap((p) => p.data.map((u) => u.id));
    expect(back).toEqual(ids.slice(0, 2499));

    // An odd page size walks the same sequence.
    const small = await walk(emu, '/v1/organizations/users', 333, null, 'after');
    expect(small.flatMap((p) => p.data.map((u) => u.id))).toEqual(ids);
    expect(small.at(-1)!.data.length).toBe(2500 % 333);
  });

  it('cursors are exclusive and has_more looks only in the requested direction', async () => {
    const { users } = scrambledUsers(50);
    const emu = await emulator({ seed: { users } });
    const all = (await call(emu, '/v1/organizations/users?limit=50')).body.data.map((u: { id: string }) => u.id);
    const mid = all[20];
    const after = (await call(emu, `/v1/organizations/users?limit=5&after_id=${mid}`)).body;
    expect(after.data.map((u: { id: string }) => u.id)).toEqual(all.slice(21, 26));
    expect(after.has_more).toBe(true);
    const before = (await call(emu, `/v1/organizations/users?limit=5&before_id=${mid}`)).body;
    expect(before.data.map((u: { id: string }) => u.id)).toEqual(all.slice(15, 20));
    expect(before.has_more).toBe(true);
    const nearTop = (await call(emu, `/v1/organizations/users?limit=5&before_id=${all[3]}`)).body;
    expect(nearTop.data.map((u: { id: string }) => u.id)).toEqual(all.slice(0, 3));
    expect(nearTop.has_more).toBe(false);
    const exact = (await call(emu, `/v1/organizations/users?limit=5&after_id=${all[44]}`)).body;
    expect(exact.data).toHaveLength(5);
    expect(exact.has_more).toBe(false);
  });

  it('empty pages have null first_id and last_id, at either end and on an empty org', async () => {
    const emu = await emulator({ seed: { users: [{ email: 'a@acme.com', role: 'user' }, { email: 'b@acme.com', role: 'user' }] } });
    const all = (await call(emu, '/v1/organizations/users')).body;
    expect(all.data).toHaveLength(2);
    const empty = { data: [], has_more: false, first_id: null, last_id: null };
    expect((await call(emu, `/v1/organizations/users?after_id=${all.last_id}`)).body).toEqual(empty);
    expect((await call(emu, `/v1/organizations/users?before_id=${all.first_id}`)).body).toEqual(empty);
    expect((await call(emu, '/v1/organizations/invites')).body).toEqual(empty);
    const none = await emulator({ seed: { users: [] } });
    expect((await call(none, '/v1/organizations/users')).body).toEqual(empty);
  });

  it('limit defaults to 20 and must be an integer from 1 to 1000', async () => {
    const { users } = scrambledUsers(1001);
    const emu = await emulator({ seed: { users } });
    expect((await call(emu, '/v1/organizations/users')).body.data).toHaveLength(20);
    expect((await call(emu, '/v1/organizations/users?limit=1')).body.data).toHaveLength(1);
    const max = (await call(emu, '/v1/organizations/users?limit=1000')).body;
    expect(max.data).toHaveLength(1000);
    expect(max.has_more).toBe(true);
    for (const bad of ['0', '1001', '-1', 'abc', '1.5', '', '1e3']) {
      const a = await call(emu, `/v1/organizations/users?limit=${bad}`);
      expect(expectEnvelope(a, 400, 'invalid_request_error')).toContain('limit');
    }
    expectEnvelope(await call(emu, '/v1/organizations/invites?limit=1001'), 400, 'invalid_request_error');
  });

  it('both cursors, an unknown cursor, or a cursor of another kind are 400s', async () => {
    const emu = await emulator({
      seed: { users: [{ email: 'a@acme.com', role: 'user' }], invites: [{ email: 'b@acme.com', role: 'user' }] },
    });
    const user = emu.store.userByEmail('a@acme.com')!.id;
    const invite = emu.store.pendingInviteFor('b@acme.com')!.id;
    const both = await call(emu, `/v1/organizations/users?after_id=${user}&before_id=${user}`);
    expect(expectEnvelope(both, 400, 'invalid_request_error')).toMatch(/after_id.*before_id/);
    expectEnvelope(await call(emu, '/v1/organizations/users?after_id=user_01doesnotexist'), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `/v1/organizations/users?before_id=${invite}`), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, `/v1/organizations/invites?after_id=${user}`), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, '/v1/organizations/invites?after_id=&before_id='), 400, 'invalid_request_error');
  });

  it('a cursor taken before its user was removed still continues the walk', async () => {
    const { users } = scrambledUsers(30);
    const emu = await emulator({ seed: { users } });
    const first = (await call(emu, '/v1/organizations/users?limit=10')).body;
    const all = (await call(emu, '/v1/organizations/users?limit=30')).body.data.map((u: { id: string }) => u.id);
    expect((await call(emu, `/v1/organizations/users/${first.last_id}`, { method: 'DELETE' })).status).toBe(200);
    const next = (await call(emu, `/v1/organizations/users?limit=10&after_id=${first.last_id}`)).body;
    expect(next.data.map((u: { id: string }) => u.id)).toEqual(all.slice(10, 20));
  });

  it('lists 50,000 users in pages of 1000', async () => {
    const users = Array.from({ length: 50_000 }, (_, i) => ({ email: `p${i}@big.example.com`, role: 'user' }));
    const emu = await emulator({ seed: { users } });
    const pages = await walk(emu, '/v1/organizations/users', 1000, null, 'after');
    expect(pages).toHaveLength(50);
    const ids = new Set(pages.flatMap((p) => p.data.map((u) => u.id)));
    expect(ids.size).toBe(50_000);
    expect(pages[0]!.data[0]!.email).toBe('p49999@big.example.com'); // the last seeded is the newest
  });
});

describe('readPage merges partitions in listing order', () => {
  const index = (entries: Array<[string, number, number]>): SortedIndex => {
    const s = new SortedIndex();
    s.load(entries.map(([id, ms, seq]) => ({ id, key: { ms, seq } })));
    return s;
  };

  it('forward and backward over two partitions with a filter', () => {
    const a = index([['a1', 100, 1], ['a2', 80, 2], ['a3', 60, 3]]);
    const b = index([['b1', 90, 4], ['b2', 80, 5], ['b3', 10, 6]]);
    // Order: a1(100) b1(90) b2(80,seq5) a2(80,seq2) a3(60) b3(10)
    expect(readPage([a, b], 10, undefined).ids).toEqual(['a1', 'b1', 'b2', 'a2', 'a3', 'b3']);
    expect(readPage([a, b], 2, { key: { ms: 90, seq: 4 }, direction: 'after' })).toEqual({ ids: ['b2', 'a2'], hasMore: true });
    expect(readPage([a, b], 2, { key: { ms: 60, seq: 3 }, direction: 'before' })).toEqual({ ids: ['b2', 'a2'], hasMore: true });
    expect(readPage([a, b], 3, { key: { ms: 80, seq: 2 }, direction: 'before' })).toEqual({ ids: ['a1', 'b1', 'b2'], hasMore: false });
    expect(readPage([a, b], 2, undefined, (id) => id.endsWith('3'))).toEqual({ ids: ['a3', 'b3'], hasMore: false });
  });
});
