// The applier's time budget (issue 18 item 3): once `stopStarting` gives a reason, nothing new starts, the changes
// in flight finish, and every change not started (in this phase and the later ones, dependents included) is
// `not_started`, "left for the next run" — never skipped or failed. No HTTP, no clock: the budget is a function.

import { describe, expect, it } from 'vitest';
import { applyPlan, leftForNextRun, type Executor } from '../../src/apply/run.js';
import type { Change, Plan } from '../../src/model/plan.js';
import { barePlan, looseChange, type LooseChange } from '../builders.js';

function ch(address: string, phase: number, extra: Partial<LooseChange> = {}): Change {
  return looseChange({ address, kind: 'member', key: address, action: 'update', reason: 'r', phase, before: null, after: null, depends_on: [], removal: false, ...extra });
}

function planOf(changes: Change[]): Plan {
  return barePlan(changes);
}

/** An executor whose changes each finish when the test says so; the budget runs out when `out` is set. */
function controlled() {
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  const executor: Executor = {
    execute: (c) => {
      started.push(c.address);
      return new Promise<void>((resolve) => finish.set(c.address, resolve));
    },
  };
  return { executor, started, finish };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('applyPlan with a time budget', () => {
  it('stops starting changes when the budget says so; those in flight finish; the rest are left, dependents included', async () => {
    const x = controlled();
    let out: string | undefined;
    const plan = planOf([ch('a', 10), ch('b', 10), ch('c', 10), ch('d', 10), ch('w', 30, { depends_on: ['a'] }), ch('z', 60)]);
    const done = applyPlan(plan, x.executor, { concurrency: 2, stopStarting: () => out });
    await tick();
    expect(x.started).toEqual(['a', 'b']);
    out = 'the time budget (--max-duration 1m) ends in less than 30s';
    x.finish.get('a')!();
    await tick();
    // a finished, and no new change started although a slot is free; b is still in flight
    expect(x.started).toEqual(['a', 'b']);
    x.finish.get('b')!();
    const results = await done;
    expect(results.map((r) => `${r.address} ${r.status}`)).toEqual(['a applied', 'b applied', 'c not_started', 'd not_started', 'w not_started', 'z not_started']);
    for (const r of results.slice(2)) {
      expect(r.message).toBe('left for the next run: the time budget (--max-duration 1m) ends in less than 30s');
      expect(leftForNextRun(r)).toBe(true);
    }
    expect(leftForNextRun(results[0]!)).toBe(false);
  });

  it('a budget that is never exhausted changes nothing; dependents of a failure are still skipped', async () => {
    const executor: Executor = {
      async execute(c) {
        if (c.address === 'a') throw new Error('boom');
      },
    };
    let asked = 0;
    const results = await applyPlan(planOf([ch('a', 10), ch('b', 10), ch('w', 30, { depends_on: ['a'] })]), executor, {
      stopStarting: () => {
        asked += 1;
        return undefined;
      },
    });
    expect(results.map((r) => `${r.address} ${r.status}`)).toEqual(['a failed', 'b applied', 'w skipped']);
    expect(asked).toBeGreaterThan(0);
    expect(results.some(leftForNextRun)).toBe(false);
  });

  it('once stopped it stays stopped, even if the budget function would say go again', async () => {
    const x = controlled();
    let calls = 0;
    const done = applyPlan(planOf([ch('a', 10), ch('b', 20), ch('c', 30)]), x.executor, {
      concurrency: 1,
      stopStarting: () => (++calls === 2 ? 'budget' : undefined),
    });
    await tick();
    x.finish.get('a')!();
    const results = await done;
    expect(x.started).toEqual(['a']);
    expect(results.map((r) => r.status)).toEqual(['applied', 'not_started', 'not_started']);
  });

  it('an interruption is still "interrupted before start", not left for the next run', async () => {
    const ac = new AbortController();
    ac.abort();
    const results = await applyPlan(planOf([ch('a', 10)]), controlled().executor, { signal: ac.signal, stopStarting: () => 'budget' });
    expect(results[0]).toMatchObject({ status: 'not_started', message: 'interrupted before start' });
    expect(leftForNextRun(results[0]!)).toBe(false);
  });
});
