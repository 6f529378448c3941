// Virtual time for the pacer's tests: a scheduler owns the clock and wakes sleepers in time order, so concurrency,
// latency and rate limits are simulated exactly and no test waits on the wall clock.

import { InterruptedError } from '../../src/errors.js';

export const T0 = Date.parse('2026-09-01T00:00:00Z');

/** Discrete-event clock: `sleep` parks a promise on a timer; `run` advances to the next timer when all is idle. */
export class Scheduler {
  t = T0;
  #timers: Array<{ at: number; seq: number; resolve: () => void; reject: (e: unknown) => void }> = [];
  #seq = 0;
  readonly now = (): number => this.t;
  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new InterruptedError());
      const timer = { at: this.t + Math.max(0, ms), seq: this.#seq++, resolve, reject };
      this.#timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.#timers = this.#timers.filter((x) => x !== timer);
          reject(new InterruptedError());
        },
        { once: true },
      );
    });

  /** Runs until `done` resolves; fails on a deadlock or after `maxSteps` timer firings. */
  async run<T>(done: Promise<T>, maxSteps = 200_000): Promise<T> {
    let finished = false;
    let value: T | undefined;
    let failure: unknown;
    let failed = false;
    done.then(
      (v) => {
        finished = true;
        value = v;
      },
      (e) => {
        finished = true;
        failed = true;
        failure = e;
      },
    );
    for (let step = 0; step < maxSteps; step++) {
      await idle();
      if (finished) break;
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#timers.shift();
      if (!next) throw new Error('deadlock: nothing scheduled and not finished');
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
    if (!finished) throw new Error('simulation did not finish');
    if (failed) throw failure;
    return value as T;
  }
}

export async function idle(): Promise<void> {
  await new Promise<void>((r) => setImmediate(r));
  await new Promise<void>((r) => setImmediate(r));
}
