// The applier's window per lane (issue 18): changes waiting for one rate-limit bucket (invites, 1,200 an hour)
// never hold the window of the others. A fake executor whose invites never finish until released; no HTTP, no clock.

import { describe, expect, it } from 'vitest';
import { applyPlan, type Executor } from '../../src/apply/run.js';
import { bucketOfChange } from '../../src/executor/index.js';
import type { Change, Plan } from '../../src/model/plan.js';
import { barePlan, looseChange } from '../builders.js';

function ch(kind: Change['kind'], key: string, action: Change['action'] = 'create'): Change {
  return looseChange({ address: `${kind}["${key}"]`, kind, key, action, reason: 'r', phase: 10, before: null, after: null, depends_on: [], removal: false });
}

function planOf(changes: Change[]): Plan {
  return barePlan(changes);
}

/** Invites wait until `release()`; everything else finishes at once. Records the order of starts and ends. */
function held(laneOf: Executor['laneOf']) {
  const events: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const executor: Executor = {
    async execute(c) {
      events.push(`start ${c.address}`);
      if (c.kind === 'invite') await gate;
      events.push(`end ${c.address}`);
    },
    ...(laneOf ? { laneOf } : {}),
  };
  return { executor, events, release: () => release() };
}

describe('one window per rate-limit bucket', () => {
  const changes = [ch('invite', 'a@x.io'), ch('invite', 'b@x.io'), ch('member', 'c@x.io', 'update'), ch('member', 'd@x.io', 'update')];

  it('role changes run while the invites ahead of them wait for their bucket', async () => {
    const h = held(bucketOfChange);
    const done = applyPlan(planOf(changes), h.executor, { concurrency: 1 });
    // let the member updates run while the invites are held
    for (let i = 0; i < 20 && !h.events.includes('end member["d@x.io"]'); i += 1) await new Promise((r) => setImmediate(r));
    expect(h.events).toContain('end member["c@x.io"]');
    expect(h.events).toContain('end member["d@x.io"]');
    expect(h.events).not.toContain('end invite["a@x.io"]');
    h.release();
    const results = await done;
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
  });

  it('without lanes one window holds them all: the role changes wait behind the invites', async () => {
    const h = held(undefined);
    const done = applyPlan(planOf(changes), h.executor, { concurrency: 1 });
    for (let i = 0; i < 20; i += 1) await new Promise((r) => setImmediate(r));
    expect(h.events).toEqual(['start invite["a@x.io"]']);
    h.release();
    await done;
  });

  it('the lanes are the client\'s buckets: an invite sent counts against invite creation, its withdrawal does not', () => {
    expect(bucketOfChange(ch('invite', 'a', 'create'))).toBe('invites');
    expect(bucketOfChange(ch('invite', 'a', 'replace'))).toBe('invites');
    expect(bucketOfChange(ch('invite', 'a', 'delete'))).toBe('organization');
    expect(bucketOfChange(ch('scim_user', 'a'))).toBe('scim');
    expect(bucketOfChange(ch('member', 'a', 'update'))).toBe('organization');
  });
});
