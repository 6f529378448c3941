// The saved-plan check over a fake reader: how a create is judged from what the listings show (issue 12).

import { describe, expect, it } from 'vitest';
import { checkSavedPlan } from '../../src/live/stale.js';
import type { AdminReader } from '../../src/live/read.js';
import type { WireInvite } from '../../src/clients/wire.js';
import { address } from '../../src/model/address.js';
import type { Change, Plan } from '../../src/model/plan.js';

const NOW = new Date('2026-12-06T12:00:00Z');

function reader(invites: Partial<WireInvite>[]): AdminReader {
  const none = async () => [];
  const nothing = async function* () {};
  return {
    getOrganization: async () => ({ id: 'o', name: 'o', type: 'organization' }) as never,
    listUsers: nothing,
    listInvites: async function* () {
      yield* invites.map((i) => ({ type: 'invite', id: 'invite_1', email: 'x@acme.com', role: 'user', status: 'pending',
        invited_at: '2026-11-01T00:00:00Z', expires_at: '2026-11-22T00:00:00Z', ...i }) as WireInvite);
    },
    listAllWorkspaces: none,
    listWorkspaceMembers: nothing,
    listAllApiKeys: none,
    listAllRbacGroups: none,
    listRbacGroupMembers: nothing,
    listAllRbacRoles: none,
  } satisfies AdminReader;
}

const create: Change = {
  address: address('invite', 'x@acme.com'), kind: 'invite', key: 'x@acme.com', action: 'create', reason: 're-invite', phase: 10,
  before: null, after: { email: 'x@acme.com', role: 'user' }, depends_on: [], removal: false,
};
const plan = { changes: [create] } as unknown as Plan;

describe('checkSavedPlan: invites', () => {
  it('a pending invite past its expires_at is expired, as the planner counts it: the re-invite is still to do', async () => {
    const r = await checkSavedPlan(plan, { admin: reader([{ expires_at: '2026-12-01T00:00:00Z' }]), now: NOW });
    expect(r).toEqual({ stale: [], done: [] });
  });

  it('a pending invite with the planned role that has not expired: in place, with its id', async () => {
    const r = await checkSavedPlan(plan, { admin: reader([{ id: 'invite_9', expires_at: '2026-12-20T00:00:00Z' }]), now: NOW });
    expect(r.done).toEqual([{ address: create.address, why: 'an invite as user is pending already (invite_9)', id: 'invite_9' }]);
  });

  it('one with another role: stale', async () => {
    const r = await checkSavedPlan(plan, { admin: reader([{ role: 'developer', expires_at: '2026-12-20T00:00:00Z' }]), now: NOW });
    expect(r.stale).toMatchObject([{ address: create.address, why: 'an invite as developer is pending now (invite_1)' }]);
  });
});
