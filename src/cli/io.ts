// The CLI's connection to the outside world, injectable so end-to-end tests run commands in-process.

import { createInterface } from 'node:readline/promises';
import type { AdminClientOptions } from '../clients/admin.js';

export interface CliIO {
  env: Record<string, string | undefined>;
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** stdout is a terminal (colour, progress) */
  stdoutIsTTY: boolean;
  /** stdin is a terminal (confirmation prompts) */
  stdinIsTTY: boolean;
  /** asks a question on the terminal and returns the answer */
  prompt(question: string): Promise<string>;
  /** the clock the planner is given */
  now(): Date;
  /** SIGINT: aborted on the first interrupt; the applier finishes what is in flight and starts nothing new */
  interrupt: AbortSignal;
  /** tests only: options merged into every API client (shrunk retry delays, request hooks) */
  clientOptions?: Partial<AdminClientOptions>;
}

export function processIO(interrupt: AbortSignal): CliIO {
  return {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stdinIsTTY: Boolean(process.stdin.isTTY),
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
} as const;
