// The applier over a fake executor: order, bounded parallelism, dependents of a failure skipped, independent
// work continued, interruption. No HTTP.

import { describe, expect, it } from 'vitest';
import { applyPlan, type Executor } from '../../src/apply/run.js';
import type { Change, Plan } from '../../src/model/plan.js';
import { barePlan, looseChange, type LooseChange } from '../builders.js';

function ch(address: string, phase: number, extra: Partial<LooseChange> = {}): Change {
  return looseChange({ address, kind: 'member', key: address, action: 'update', reason: 'r', phase, before: null, after: null, depends_on: [], removal: false, ...extra });
}

function planOf(changes: Change[]): Plan {
  return barePlan(changes);
}

function recorder(fail: Set<string> = new Set(), delayMs = 1) {
  const started: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const executor: Executor = {
    async execute(c) {
      started.push(c.address);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, delayMs));
      inFlight -= 1;
      if (fail.has(c.address)) throw new Error(`boom ${c.address}`);
      return { id: `id-${c.address}` };
    },
  };
  return { executor, started, max: () => maxInFlight };
}

describe('applyPlan', () => {
  it('finishes each phase before the next starts', async () => {
    const r = recorder();
    const plan = planOf([ch('a', 10), ch('b', 10), ch('c', 60), ch('d', 30)]);
    const results = await applyPlan(plan, r.executor, { concurrency: 4 });
    expect(r.started.indexOf('d')).toBeGreaterThan(Math.max(r.started.indexOf('a'), r.started.indexOf('b')));
    expect(r.started.indexOf('c')).toBeGreaterThan(r.started.indexOf('d'));
    expect(results.map((x) => x.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(results[0]!.id).toBe('id-a');
  });

  it('never runs more than `concurrency` changes at once', async () => {
    const r = recorder(new Set(), 5);
    await applyPlan(planOf(Array.from({ length: 12 }, (_, i) => ch(`c${i}`, 10))), r.executor, { concurrency: 3 });
    expect(r.max()).toBe(3);
    expect(r.started).toHaveLength(12);
  });

  it('skips the dependents of a failure, transitively, and keeps going with independent work', async () => {
    const r = recorder(new Set(['a']));
    const plan = planOf([ch('a', 10), ch('b', 10), ch('x', 30, { depends_on: ['a'] }), ch('y', 30, { depends_on: ['x'] }), ch('z', 30, { depends_on: ['b'] })]);
    const results = await applyPlan(plan, r.executor);
    const byAddr = Object.fromEntries(results.map((x) => [x.address, x]));
    expect(byAddr.a!.status).toBe('failed');
    expect(byAddr.a!.message).toContain('boom a');
    expect(byAddr.x!.status).toBe('skipped');
    expect(byAddr.x!.message).toContain('a');
    expect(byAddr.y!.status).toBe('skipped');
    expect(byAddr.z!.status).toBe('applied');
    expect(r.started).not.toContain('x');
  });

  it('waits for a dependency inside the same phase', async () => {
    const r = recorder(new Set(), 3);
    const plan = planOf([ch('child', 10, { depends_on: ['parent'] }), ch('parent', 10)]);
    await applyPlan(plan, r.executor, { concurrency: 4 });
    expect(r.started).toEqual(['parent', 'child']);
  });

  it('does not execute deferred, manual or unavailable items, and skips what depends on them', async () => {
    const r = recorder();
    const plan = planOf([ch('m', 10, { action: 'manual' }), ch('w', 30, { action: 'create', depends_on: ['m'] })]);
    const results = await applyPlan(plan, r.executor);
    expect(r.started).toEqual([]);
    expect(results.map((x) => x.status)).toEqual(['no_op', 'skipped']);
  });

  it('after an interrupt, finishes what is in flight and starts nothing new', async () => {
    const ac = new AbortController();
    const started: string[] = [];
    const executor: Executor = {
      async execute(c) {
        started.push(c.address);
        if (c.address === 'c1') ac.abort();
        await new Promise((r) => setTimeout(r, 5));
      },
    };
    const results = await applyPlan(planOf(Array.from({ length: 6 }, (_, i) => ch(`c${i}`, 10))), executor, { concurrency: 2, signal: ac.signal });
    expect(started).toEqual(['c0', 'c1']);
    expect(results.map((x) => x.status)).toEqual(['applied', 'applied', 'not_started', 'not_started', 'not_started', 'not_started']);
  });
});
