// Progress of a long apply (issue 18 item 4), on stderr, never silent for long:
// - on a terminal (stderr is a TTY): one line redrawn in place — done/total, in flight, the wait under way with
//   why and its rate-limit bucket when the client names one, the time budget left; result lines printed on stdout
//   clear it first and it is drawn again after them;
// - otherwise (CI logs): a line every `everyMs` (default 30 s, `--progress-every` or CLAUDE_RECONCILE_PROGRESS_EVERY),
//   and every wait of 2 s or more told on its own line as it starts (session.ts rateLimitNotice).
// Only counts, durations and the wait's fixed text are printed (and everything goes through the scrubbing stderr).

import type { RateLimitWait } from '../clients/throttle.js';
import { renderProgressLine, type ProgressState } from '../render/progress.js';
import type { CliIO } from './io.js';
import { rateLimitNotice } from './session.js';

/** The default interval of the progress line in CI. */
export const PROGRESS_EVERY_MS = 30_000;
/** The environment variable that sets it when `--progress-every` is not given. */
export const PROGRESS_EVERY_ENV = 'CLAUDE_RECONCILE_PROGRESS_EVERY';

/** A terminal line is redrawn at most this often (and once a second, so the countdowns move). */
const REDRAW_MS = 200;

export interface ProgressOptions {
  total: number;
  label?: string | undefined;
  everyMs: number;
  /** monotonic ms of the budget's end (performance.now() clock), when there is a budget */
  deadline?: number | undefined;
  now?: () => number;
}

interface Waiting {
  until: number;
  why: string;
  bucket?: string | undefined;
}

/** The rate-limit bucket of a wait (clients/buckets.ts); a wait told without one shows none. */
function bucketOf(w: RateLimitWait): string | undefined {
  const b: unknown = w.bucket;
  return typeof b === 'string' && b !== '' ? b : undefined;
}

export class ApplyProgress {
  readonly #io: CliIO;
  readonly #o: ProgressOptions;
  readonly #now: () => number;
  readonly #tty: boolean;
  readonly #notice: (w: RateLimitWait) => void;
  #done = 0;
  #notApplied = 0;
  #inFlight = 0;
  #wait: Waiting | undefined;
  #stopping = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #drawn = false;
  #lastDraw = -Infinity;

  constructor(io: CliIO, o: ProgressOptions) {
    this.#io = io;
    this.#o = o;
    this.#now = o.now ?? (() => performance.now());
    this.#tty = io.stderrIsTTY === true;
    this.#notice = rateLimitNotice(io);
  }

  /** Starts the periodic line (CI) or the redraw tick (terminal). */
  start(): void {
    const every = this.#tty ? 1000 : this.#o.everyMs;
    this.#timer = setInterval(() => this.tick(), every);
    this.#timer.unref?.();
    if (this.#tty) this.#draw(true);
  }

  /** Stops the timer and clears the terminal line. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#clear();
  }

  onStart(): void {
    this.#inFlight += 1;
    this.#draw(false);
  }

  onResult(r: { status: string }, started: boolean): void {
    if (started) this.#inFlight = Math.max(0, this.#inFlight - 1);
    this.#done += 1;
    if (r.status !== 'applied' && r.status !== 'in_place') this.#notApplied += 1;
    this.#draw(false);
  }

  /** The budget stopped starting new changes. */
  stopping(): void {
    this.#stopping = true;
    this.#draw(true);
  }

  /** A wait of 2 s or more began (the client's onWait): on a terminal it goes in the line; in CI on its own line. */
  onWait = (w: RateLimitWait): void => {
    const bucket = bucketOf(w);
    this.#wait = { until: this.#now() + w.ms, why: w.why, ...(bucket !== undefined ? { bucket } : {}) };
    if (this.#tty) this.#draw(true);
    else this.#notice(w);
  };

  /** Writes a whole line to stdout without tearing the terminal's progress line. */
  print(line: string): void {
    this.#clear();
    this.#io.stdout.write(line);
    this.#draw(true);
  }

  /** The periodic line in CI; the redraw on a terminal. */
  tick(): void {
    if (this.#tty) this.#draw(true);
    else this.#io.stderr.write(`${renderProgressLine(this.state())}\n`);
  }

  state(): ProgressState {
    const now = this.#now();
    const wait = this.#wait !== undefined && this.#wait.until > now ? this.#wait : undefined;
    return {
      label: this.#o.label,
      total: this.#o.total,
      done: this.#done,
      notApplied: this.#notApplied,
      inFlight: this.#inFlight,
      ...(wait ? { wait: { leftMs: wait.until - now, why: wait.why, bucket: wait.bucket } } : {}),
      ...(this.#o.deadline !== undefined ? { budgetLeftMs: Math.max(0, this.#o.deadline - now) } : {}),
      stopping: this.#stopping,
    };
  }

  #draw(force: boolean): void {
    if (!this.#tty || this.#timer === undefined) return;
    const now = this.#now();
    if (!force && now - this.#lastDraw < REDRAW_MS) return;
    this.#lastDraw = now;
    const width = this.#io.columns !== undefined ? this.#io.columns - 1 : undefined;
    this.#write(`\r\x1b[2K${renderProgressLine(this.state(), { width })}`);
    this.#drawn = true;
  }

  #clear(): void {
    if (!this.#tty || !this.#drawn) return;
    this.#write('\r\x1b[2K');
    this.#drawn = false;
  }

  /** A line without a newline: flushed at once (the scrubbing output holds back the end of a line otherwise). */
  #write(s: string): void {
    this.#io.stderr.write(s);
    (this.#io.stderr as { flush?: () => void }).flush?.();
  }
}

/** The interval of the CI progress line: the flag, else the environment variable, else 30 s. */
export function progressEvery(flag: number | undefined, env: Record<string, string | undefined>, parse: (v: string) => number): number {
  if (flag !== undefined) return flag;
  const v = env[PROGRESS_EVERY_ENV];
  return v !== undefined && v.trim() !== '' ? parse(v) : PROGRESS_EVERY_MS;
}
