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

describe('e2e: list requests for 100 workspaces and 20,000 memberships', () => {
  it('plans with the minimum: one listing of users, invites and workspaces, one page per workspace', async () => {
    const nUsers = 2000;
    const users = Array.from({ length: nUsers }, (_, i) => ({ email: `u${i}@acme.com`, role: 'developer' }));
    const workspaces = Array.from({ length: 100 }, (_, w) => ({ name: `ws-${w}` }));
    // every user in 10 workspaces: 20,000 memberships, 200 per workspace
    const memberships = users.flatMap((u, i) => Array.from({ length: 10 }, (_, k) => ({ workspace: `ws-${(i + k * 10) % 100}`, email: u.email, role: 'workspace_user' })));
    expect(memberships).toHaveLength(20_000);
    const declared: Record<string, { members: Record<string, string> }> = {};
    for (const w of workspaces) declared[w.name] = { members: {} };
    for (const m of memberships) declared[m.workspace]!.members[m.email] = m.role;
    declared['ws-0']!.members['u0@acme.com'] = 'workspace_developer'; // one change, so the plan does something

    const s = await scenario(seedOf({ users, workspaces, workspace_members: memberships }), desiredDoc({
      members: Object.fromEntries(users.map((u) => [u.email, u.role])),
      workspaces: declared,
    }));
    const { plan, code } = await s.plan();
    expect(code).toBe(0);
    expect(plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['update workspace_member["ws-0/u0@acme.com"]']);

    const counters = (await s.state()).requests as Record<string, unknown>;
    const lists = {
      users: listRequests(counters, 'GET /v1/organizations/users'),
      invites: listRequests(counters, 'GET /v1/organizations/invites'),
      workspaces: listRequests(counters, 'GET /v1/organizations/workspaces'),
      members: listRequests(counters, 'GET /v1/organizations/workspaces/{workspace_id}/members'),
    };
    // minimum: ceil(n / 1000) per listing, and at least one request to learn that a listing is empty
    const minimum = Math.ceil(nUsers / 1000) + 1 + 1 + 100 * Math.ceil(200 / 1000);
    expect(lists).toEqual({ users: 2, invites: 1, workspaces: 1, members: 100 });
    expect(Object.values(lists).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1.05 * minimum);
  });
});
