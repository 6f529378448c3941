// The CLI's connection to the outside world, injectable so end-to-end tests run commands in-process.

import { createInterface } from 'node:readline/promises';
import type { AdminClientOptions } from '../clients/admin.js';
import { applyRanges, secretRanges, SECRET_WINDOW } from '../secrets.js';

export interface CliIO {
  env: Record<string, string | undefined>;
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** stdout is a terminal (colour, progress) */
  stdoutIsTTY: boolean;
  /** stdin is a terminal (confirmation prompts) */
  stdinIsTTY: boolean;
  /** stderr is a terminal: apply's progress is one line redrawn in place (cli/progress.ts); absent: not a terminal */
  stderrIsTTY?: boolean;
  /** the terminal's width, when stderr is one (the progress line is cut to it) */
  columns?: number | undefined;
  /** asks a question on the terminal and returns the answer */
  prompt(question: string): Promise<string>;
  /** the clock the planner is given */
  now(): Date;
  /** SIGINT: aborted on the first interrupt; the applier finishes what is in flight and starts nothing new */
  interrupt: AbortSignal;
  /** tests only: options merged into every API client (shrunk retry delays, request hooks) */
  clientOptions?: Partial<AdminClientOptions>;
}

export function processIO(interrupt: AbortSignal): CliIO & { stdout: SafeOutput; stderr: SafeOutput } {
  return {
    env: process.env,
    stdout: safeOutput(process.stdout, 'stdout'),
    stderr: safeOutput(process.stderr, 'stderr'),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    columns: process.stderr.isTTY ? process.stderr.columns : undefined,
    async prompt(question: string): Promise<string> {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
    now: () => new Date(),
    interrupt,
  };
}

// ── Outputs: scrubbed of secrets, and never throwing ───────────────────────────────────────────────────────────────

interface Writer {
  write(s: string): unknown;
}

interface StreamLike extends Writer {
  on(event: 'error', listener: (err: unknown) => void): unknown;
}

function isStream(w: Writer): w is StreamLike {
  return typeof (w as Partial<StreamLike>).on === 'function';
}

/** The first error of each stream: one listener per stream for the life of the process, shared by every run. */
const failures = new WeakMap<object, { code?: string }>();

function failureOf(target: Writer): { code?: string } {
  let f = failures.get(target);
  if (!f) {
    f = {};
    failures.set(target, f);
    const record = f;
    // Without a listener an EPIPE or ENOSPC is an uncaught exception with a stack trace.
    if (isStream(target)) target.on('error', (err) => (record.code ??= errorCode(err)));
  }
  return f;
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : 'EIO';
}

/**
 * One output of the CLI (stdout or stderr) as every command writes it:
 * - scrubbed: no piece of a registered secret reaches the stream (secrets.ts). A secret may be split between two
 *   write calls, so the end of a write that does not end a line is held back (at most SECRET_WINDOW − 1
 *   characters, or a matched range that reaches the end) until the next write, a prompt or the end of the run;
 * - never throwing: a synchronous throw or an 'error' event (EPIPE, ENOSPC, EBADF, …) is recorded, later writes
 *   are dropped, and `runCli` turns it into one line and exit code 1.
 */
export class SafeOutput implements Writer {
  readonly #failure: { code?: string };
  #pending = '';

  constructor(readonly target: Writer, readonly name: 'stdout' | 'stderr') {
    this.#failure = failureOf(target);
  }

  /** The code of the first error writing to the stream (EPIPE, ENOSPC, …), if any. */
  get failure(): string | undefined {
    return this.#failure.code;
  }

  write(s: string): boolean {
    if (s === '') return true;
    const text = this.#pending + s;
    const ranges = secretRanges(text);
    // What can be written now: a whole line is complete; otherwise the last characters may be the start of a
    // secret that the next write completes.
    let cut = text.endsWith('\n') ? text.length : Math.max(text.lastIndexOf('\n') + 1, text.length - (SECRET_WINDOW - 1));
    // an unregistered key shape (sk-ant-…) at the end may go on in the next write
    const key = text.lastIndexOf('sk-ant-');
    if (key >= 0 && key < cut && /^sk-ant-[A-Za-z0-9_-]*$/.test(text.slice(key))) cut = key;
    // a range that reaches the cut may go on too: hold it whole
    // (ranges are sorted and apart, so no earlier range reaches the new cut)
    for (let i = ranges.length - 2; i >= 0; i -= 2) if (ranges[i]! < cut && ranges[i + 1]! > cut) cut = ranges[i]!;
    const now = cut === text.length ? ranges : ranges.filter((_, i) => ranges[i - (i % 2)]! < cut);
    this.#pending = text.slice(cut);
    this.#emit(applyRanges(cut === text.length ? text : text.slice(0, cut), now));
    return true;
  }

  /** Writes what is held back (scrubbed): before a prompt, and at the end of a run. */
  flush(): void {
    if (this.#pending === '') return;
    const text = this.#pending;
    this.#pending = '';
    this.#emit(applyRanges(text, secretRanges(text)));
  }

  /** Flushes, then waits until the stream has taken every write (or failed): its errors arrive asynchronously. */
  async settle(): Promise<void> {
    this.flush();
    const t = this.target;
    if (!isStream(t) || this.failure !== undefined) return;
    await new Promise<void>((resolve) => {
      try {
        (t as unknown as { write(s: string, cb: (err?: unknown) => void): unknown }).write('', (err) => {
          if (err) this.#failure.code ??= errorCode(err);
          resolve();
        });
      } catch (err) {
        this.#failure.code ??= errorCode(err);
        resolve();
      }
    });
    // an 'error' event is emitted on the next tick after the callback
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  #emit(s: string): void {
    if (s === '' || this.#failure.code !== undefined) return;
    try {
      this.target.write(s);
    } catch (err) {
      this.#failure.code ??= errorCode(err);
    }
  }
}

/** The writer as a SafeOutput (the same one when it already is). */
export function safeOutput(w: Writer, name: 'stdout' | 'stderr'): SafeOutput {
  return w instanceof SafeOutput ? w : new SafeOutput(w, name);
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(io: CliIO): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.stdoutIsTTY;
}

export const EXIT = {
  ok: 0,
  error: 1,
  changes: 2,
  blocked: 3,
  /** apply: the time budget (--max-duration) stopped it with changes left for the next run; nothing failed */
  unfinished: 4,
} as const;
