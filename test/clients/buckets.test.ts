// Issue 18: one pacer per rate-limit bucket. A 429 in one bucket (invite creation, §2.6: its own 1,200/hour)
// pauses that bucket only; a role change goes on at once, and a paused invite holds no connection slot it needs.
// Pacing runs in virtual time: the pacer's sleeps park until the test lets them go, so nothing waits on the clock.

import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { ADMIN_API_BUCKETS, BUCKETS, bucketOf, SCIM_BUCKETS } from '../../src/clients/buckets.js';
import type { RateLimitWait } from '../../src/clients/throttle.js';
import { api, errorBody, inviteObj, nockClients, rejectionOf, userObj, virtualTime } from './helpers.js';

const client = nockClients();

/** A pacer sleep that parks until `release`, which moves the virtual clock by the time asked. */
function parkedSleep(time: ReturnType<typeof virtualTime>) {
  const parked: Array<{ ms: number; resolve: () => void }> = [];
  return {
    parked,
    sleep: (ms: number) => new Promise<void>((resolve) => parked.push({ ms, resolve })),
    /** Lets every parked sleep go, the clock moved by the longest. */
    release(): void {
      const all = parked.splice(0);
      const longest = Math.max(0, ...all.map((p) => p.ms));
      void time.sleep(longest);
      for (const p of all) p.resolve();
    },
  };
}

async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(() => (done = true), () => (done = true));
  await new Promise<void>((r) => setImmediate(r));
  return done;
}

describe('the bucket table (§2.6)', () => {
  it('puts invite creation in its own bucket, every other Admin API route in the organization one, SCIM apart', () => {
    expect(bucketOf(ADMIN_API_BUCKETS, 'POST /v1/organizations/invites')).toBe('invites');
    expect(bucketOf(ADMIN_API_BUCKETS, 'GET /v1/organizations/invites')).toBe('organization');
    expect(bucketOf(ADMIN_API_BUCKETS, 'DELETE /v1/organizations/invites/{invite_id}')).toBe('organization');
    expect(bucketOf(ADMIN_API_BUCKETS, 'POST /v1/organizations/users/{user_id}')).toBe('organization');
    expect(bucketOf(SCIM_BUCKETS, 'PATCH /Users/{id}')).toBe('scim');
    for (const spec of Object.values(BUCKETS)) expect(spec.source).toMatch(/§\d/);
  });
});

describe('one pacer per bucket (issue 18)', () => {
  it('a 429 with a long retry-after on invite creation delays neither a role change nor its connection slot', async () => {
    const time = virtualTime();
    const pacer = parkedSleep(time);
    const told: RateLimitWait[] = [];
    // one connection slot: a paused invite that held it would stall the role change for good
    const { client: c } = client({
      retry: { retries: 0 },
      throttle: { concurrency: 1, now: time.now, sleep: pacer.sleep, onWait: (w) => told.push(w) },
    });
    const start = time.now();
    api().post('/v1/organizations/invites').reply(429, errorBody('rate_limit_error', 'invites'), { 'retry-after': '60' });
    const refused = await rejectionOf(c.createInvite({ email: 'a@acme.test', role: 'user' }));
    expect(refused).toBeInstanceOf(ApiError);

    // The next invite waits for the retry-after, parked in its bucket's pacer.
    api().post('/v1/organizations/invites').reply(200, inviteObj('invite_2', 'b@acme.test'));
    const invite = c.createInvite({ email: 'b@acme.test', role: 'user' });
    await new Promise<void>((r) => setImmediate(r));
    expect(pacer.parked.length).toBe(1);

    // Meanwhile a role change goes at once: no pacer sleep, no time passed, the only slot free. (Before issue 18
    // it parked behind the shared pause, in the slot the invite held: this await never returned.)
    api().post('/v1/organizations/users/user_001').reply(200, { ...userObj(1), role: 'developer' });
    expect((await c.updateUser('user_001', 'developer')).role).toBe('developer');
    expect(time.now()).toBe(start);
    expect(await settled(invite)).toBe(false);
    // the wait was told, naming its bucket
    expect(told).toEqual([expect.objectContaining({ bucket: 'invites', ms: 60_000 })]);

    // Once its minute has passed, the invite goes.
    while (!(await settled(invite))) pacer.release();
    expect((await invite).id).toBe('invite_2');
    expect(time.now() - start).toBeGreaterThanOrEqual(60_000);
    const stats = c.stats;
    expect(stats.byBucket).toEqual({ invites: 2, organization: 1 });
    expect(stats.rateLimitedByBucket).toEqual({ invites: 1 });
    expect(stats.pacedByBucket).toEqual({ organization: 0, invites: 1 });
  }, 10_000);

  it('an invite refused while the organization budget it carries is spent is the organization\'s 429: that bucket waits, invites learn nothing', async () => {
    const time = virtualTime();
    const pacer = parkedSleep(time);
    const { client: c } = client({ retry: { retries: 0 }, throttle: { now: time.now, sleep: pacer.sleep } });
    const spent = {
      'retry-after': '1',
      'anthropic-ratelimit-requests-limit': '600',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': new Date(Date.now() + 60_000).toISOString(),
    };
    api().post('/v1/organizations/invites').reply(429, errorBody('rate_limit_error', 'organization'), spent);
    expect(await rejectionOf(c.createInvite({ email: 'a@acme.test', role: 'user' }))).toBeInstanceOf(ApiError);
    expect(c.stats.rateLimitedByBucket).toEqual({ invites: 1 });
    // the next invite goes at once: the invite bucket was not the one refused, so it neither pauses nor learns
    api().post('/v1/organizations/invites').reply(200, inviteObj('invite_2', 'b@acme.test'));
    expect((await c.createInvite({ email: 'b@acme.test', role: 'user' })).id).toBe('invite_2');
    expect(pacer.parked).toEqual([]);
    // the organization bucket waits out the retry-after
    api().post('/v1/organizations/users/user_001').reply(200, { ...userObj(1), role: 'developer' });
    const change = c.updateUser('user_001', 'developer');
    await new Promise<void>((r) => setImmediate(r));
    expect(pacer.parked.length).toBe(1);
    while (!(await settled(change))) pacer.release();
    expect((await change).role).toBe('developer');
  }, 10_000);

  it('a 429 on a role change pauses the organization bucket, not invite creation', async () => {
    const time = virtualTime();
    const pacer = parkedSleep(time);
    const { client: c } = client({ retry: { retries: 0 }, throttle: { now: time.now, sleep: pacer.sleep } });
    api().post('/v1/organizations/users/user_001').reply(429, errorBody('rate_limit_error', 'slow'), { 'retry-after': '30' });
    expect(await rejectionOf(c.updateUser('user_001', 'developer'))).toBeInstanceOf(ApiError);
    api().post('/v1/organizations/invites').reply(200, inviteObj('invite_1', 'a@acme.test'));
    expect((await c.createInvite({ email: 'a@acme.test', role: 'user' })).id).toBe('invite_1');
    expect(pacer.parked).toEqual([]);
    // the organization bucket itself waits
    api().get('/v1/organizations/users/user_001').reply(200, userObj(1));
    const read = c.getUser('user_001');
    await new Promise<void>((r) => setImmediate(r));
    expect(pacer.parked.length).toBe(1);
    while (!(await settled(read))) pacer.release();
    expect((await read).id).toBe('user_001');
  }, 10_000);

  it("an invite creation's rate-limit headers pace the organization bucket (§2.5: a requests limit), not the invite one", async () => {
    const time = virtualTime();
    const pacer = parkedSleep(time);
    const { client: c } = client({ throttle: { now: time.now, sleep: pacer.sleep } });
    const spent = {
      'anthropic-ratelimit-requests-limit': '100',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': new Date(time.now() + 60_000).toISOString(),
    };
    api().post('/v1/organizations/invites').reply(200, inviteObj('invite_1', 'a@acme.test'), spent);
    api().post('/v1/organizations/invites').reply(200, inviteObj('invite_2', 'b@acme.test'), spent);
    await c.createInvite({ email: 'a@acme.test', role: 'user' });
    await c.createInvite({ email: 'b@acme.test', role: 'user' });
    expect(pacer.parked).toEqual([]);
    // the organization's budget is spent: a role change waits for it
    api().post('/v1/organizations/users/user_001').reply(200, userObj(1));
    const change = c.updateUser('user_001', 'user');
    await new Promise<void>((r) => setImmediate(r));
    expect(pacer.parked.length).toBe(1);
    while (!(await settled(change))) pacer.release();
    expect((await change).id).toBe('user_001');
  }, 10_000);
});
