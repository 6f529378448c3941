// Runs a Plan through an Executor: phase by phase, changes whose dependencies are done run with bounded
// parallelism, dependents of a failure are skipped, independent work goes on. An abort signal (SIGINT) lets the
// changes in flight finish and starts no new one; so does a time budget (`stopStarting`, issue 18: a large change
// spread over several runs), whose changes left are `not_started`, "left for the next run". Progress leaves through
// hooks (Terraform's UiHook).

import type { ApplyResult, Change, Plan } from '../model/plan.js';
import { isApiAction } from '../model/plan.js';

/** What the applier needs to make one change real. Built by the CLI from the API clients. */
export interface Executor {
  execute(change: Change): Promise<ExecuteOutcome | void>;
  /**
   * The lane a change's requests wait in: the rate-limit bucket they count against (issue 18). Each lane has its
   * own `concurrency`, so changes waiting for one bucket (invites, 1,200 an hour) never hold the window of the
   * others (role changes, removals). Absent: one lane.
   */
  laneOf?(change: Change): string;
}

/**
 * What an executed change came to. `id`: the object made or touched. `manual`: the API refused it as a change only
 * a person can make (why, and what to do). `inPlace`: the API said its effect already holds (why).
 */
export interface ExecuteOutcome {
  id?: string;
  manual?: string;
  inPlace?: string;
}

export interface ApplyHooks {
  onStart?(change: Change): void;
  onResult?(result: ApplyResult, change: Change): void;
}

export interface ApplyOptions {
  /** changes in flight at once in each lane (default 4; Executor.laneOf); the API client paces requests to the rate limit on its own */
  concurrency?: number;
  /** when aborted: finish what is in flight, start nothing new */
  signal?: AbortSignal;
  hooks?: ApplyHooks;
  /**
   * Changes whose effect already holds (the saved-plan check, live/stale.ts): recorded as `in_place` with the
   * reason and, for a create, the id of the object that exists, and never executed. Their dependents run.
   */
  inPlace?: ReadonlyMap<string, { why: string; id?: string | undefined }>;
  /**
   * Asked before each change would start (the time budget, `apply --max-duration`): a reason stops starting new
   * changes for the rest of the run; the changes in flight finish, and each change not started is recorded
   * `not_started` with the message `left for the next run: <reason>` (LEFT_FOR_NEXT_RUN).
   */
  stopStarting?: () => string | undefined;
}

/** The start of the message of a change the time budget left for the next run (`not_started`). */
export const LEFT_FOR_NEXT_RUN = 'left for the next run';

/** True when the result is a change the time budget left for the next run (not an interruption). */
export function leftForNextRun(r: { status: string; message?: string | undefined }): boolean {
  return r.status === 'not_started' && (r.message ?? '').startsWith(LEFT_FOR_NEXT_RUN);
}

export async function applyPlan(plan: Plan, executor: Executor, opts: ApplyOptions = {}): Promise<ApplyResult[]> {
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const results = new Map<string, ApplyResult>();
  const record = (r: ApplyResult, c: Change): void => {
    results.set(c.address, r);
    opts.hooks?.onResult?.(r, c);
  };

  // Changes that make no API call are reported as they are, never executed; nor are those already in place.
  for (const c of plan.changes) {
    const held = opts.inPlace?.get(c.address);
    if (!isApiAction(c.action)) {
      record({ address: c.address, action: c.action, status: 'no_op', message: c.reason }, c);
    } else if (held) {
      record({ address: c.address, action: c.action, status: 'in_place', message: held.why, ...(held.id ? { id: held.id } : {}) }, c);
    }
  }

  // once the budget says stop, it stays stopped: nothing starts in this phase or any later one
  let stopped: string | undefined;
  const stop = (): string | undefined => (stopped ??= opts.stopStarting?.());
  const phases = [...new Set(plan.changes.map((c) => c.phase))].sort((a, b) => a - b);
  for (const phase of phases) {
    const pending = plan.changes.filter((c) => c.phase === phase && isApiAction(c.action) && !results.has(c.address));
    await runPhase(pending, executor, concurrency, results, record, opts.signal, stop, opts.hooks?.onStart);
  }

  return plan.changes.map((c) => results.get(c.address)!);
}

async function runPhase(
  pending: Change[],
  executor: Executor,
  concurrency: number,
  results: Map<string, ApplyResult>,
  record: (r: ApplyResult, c: Change) => void,
  signal: AbortSignal | undefined,
  stop: () => string | undefined,
  onStart: ((c: Change) => void) | undefined,
): Promise<void> {
  const inFlight = new Map<string, Promise<void>>();
  /** changes in flight per lane (Executor.laneOf) */
  const busy = new Map<string, number>();
  const laneOf = (c: Change): string => executor.laneOf?.(c) ?? '';
  let queue = pending;

  while (queue.length > 0 || inFlight.size > 0) {
    const stillWaiting: Change[] = [];
    for (const c of queue) {
      if (signal?.aborted) {
        record({ address: c.address, action: c.action, status: 'not_started', message: 'interrupted before start' }, c);
        continue;
      }
      const state = dependencyState(c, results);
      if (state.failed !== undefined && !state.left) {
        record({ address: c.address, action: c.action, status: 'skipped', message: state.failed }, c);
        continue;
      }
      // the budget: nothing new starts; a change waiting on one the budget left is left too (nothing failed)
      const budget = stop();
      if (budget !== undefined) {
        record({ address: c.address, action: c.action, status: 'not_started', message: `${LEFT_FOR_NEXT_RUN}: ${budget}` }, c);
        continue;
      }
      const lane = laneOf(c);
      if (!state.ready || (busy.get(lane) ?? 0) >= concurrency) {
        stillWaiting.push(c);
        continue;
      }
      busy.set(lane, (busy.get(lane) ?? 0) + 1);
      inFlight.set(c.address, run(c, lane));
    }
    queue = stillWaiting;
    if (inFlight.size === 0) {
      // Nothing can run: what is left waits on changes that will never be applied in this phase.
      for (const c of queue) {
        record({ address: c.address, action: c.action, status: 'skipped',
          message: `dependency not applied: ${c.depends_on.filter((d) => !['applied', 'in_place'].includes(results.get(d)?.status ?? '')).join(', ')}` }, c);
      }
      return;
    }
    await Promise.race(inFlight.values());
  }

  async function run(c: Change, lane: string): Promise<void> {
    try {
      onStart?.(c);
      // hooks run inside the try so that a failing progress printer cannot lose a result
      const outcome = await Promise.resolve().then(() => executor.execute(c));
      const status = outcome?.manual ? 'manual' : outcome?.inPlace ? 'in_place' : 'applied';
      const r: ApplyResult = { address: c.address, action: c.action, status };
      if (outcome && outcome.id) r.id = outcome.id;
      const message = outcome?.manual ?? outcome?.inPlace;
      if (message) r.message = message;
      record(r, c);
    } catch (err) {
      record({ address: c.address, action: c.action, status: 'failed', message: errorMessage(err) }, c);
    } finally {
      inFlight.delete(c.address);
      busy.set(lane, busy.get(lane)! - 1);
    }
  }
}

function dependencyState(c: Change, results: Map<string, ApplyResult>): { ready: boolean; failed?: string; left?: boolean } {
  let ready = true;
  for (const dep of c.depends_on) {
    const r = results.get(dep);
    if (!r) {
      ready = false;
      continue;
    }
    if (r.status === 'applied' || r.status === 'in_place') continue;
    if (leftForNextRun(r)) return { ready: false, failed: `${dep} was left for the next run`, left: true };
    return { ready: false, failed: `skipped because ${dep} was ${r.status === 'no_op' ? r.action : r.status}` };
  }
  return { ready };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
