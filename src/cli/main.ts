#!/usr/bin/env node
// Entry point of the `claude-reconcile` binary: wires process signals and exits with the command's code.

import { processIO } from './io.js';
import { runCli } from './program.js';

const interrupt = new AbortController();
// The streams are wrapped (io.ts): an EPIPE or ENOSPC on stdout or stderr is recorded, never thrown.
const io = processIO(interrupt.signal);
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  if (interrupts === 1) {
    io.stderr.write('\nInterrupt received: finishing the changes in flight, starting no new ones (Ctrl-C again to stop now).\n');
    interrupt.abort();
  } else {
    io.stdout.flush();
    io.stderr.flush();
    io.stderr.write('\nStopped.\n');
    io.stderr.flush();
    process.exit(130);
  }
});

const code = await runCli(process.argv.slice(2), io);
process.exitCode = code;
