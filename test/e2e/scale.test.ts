// Counts, not timings: a 5,000-member organization plans with at most 1.05 × the minimum number of list
// requests (ceil(n / 1000) per listing), and reads no object one by one.

import { describe, expect, it } from 'vitest';
import { desiredDoc, scenario, seedOf } from './harness.js';

function listRequests(counters: Record<string, unknown>, route: string): number {
  const byStatus = (counters[route] ?? {}) as Record<string, number>;
  return Object.values(byStatus).reduce((a, b) => a + b, 0);
}

describe('e2e: list requests at scale', () => {
  it('5,000 members and 500 pending invites: 6 list requests, the minimum', async () => {
    const n = 5000;
    const users = Array.from({ length: n }, (_, i) => ({ email: `user${i}@acme.com`, role: i % 3 === 0 ? 'developer' : 'user' }));
    const invites = Array.from({ length: n / 10 }, (_, i) => ({ email: `invitee${i}@acme.com`, role: 'user' }));
    // The file matches the live state except for 10 role changes, so the plan is small but reads everything.
    const members = Object.fromEntries([
      ...users.map((u, i) => [u.email, i < 10 ? 'billing' : u.role]),
      ...invites.map((i) => [i.email, 'user']),
    ]);
    const s = await scenario(seedOf({ users, invites }), desiredDoc({ members }));
    const { plan, code } = await s.plan();
    expect(code).toBe(0);
    expect(plan.summary.update).toBe(10);

    const counters = (await s.state()).requests as Record<string, unknown>;
    const usersLists = listRequests(counters, 'GET /v1/organizations/users');
    const inviteLists = listRequests(counters, 'GET /v1/organizations/invites');
    const minimum = Math.ceil(n / 1000) + Math.ceil(invites.length / 1000);
    expect(usersLists + inviteLists).toBeLessThanOrEqual(Math.floor(1.05 * minimum));
    expect(usersLists).toBe(5);
    expect(inviteLists).toBe(1);
    // never one GET per object
    expect(listRequests(counters, 'GET /v1/organizations/users/{user_id}')).toBe(0);
    expect(listRequests(counters, 'GET /v1/organizations/invites/{invite_id}')).toBe(0);
  });
});
