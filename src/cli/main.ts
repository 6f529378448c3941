#!/usr/bin/env node
// Entry point of the `claude-reconcile` binary: wires process signals and exits with the command's code.

import { processIO } from './io.js';
import { runCli } from './program.js';

const interrupt = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  if (interrupts === 1) {
    process.stderr.write('\nInterrupt received: finishing the changes in flight, starting no new ones (Ctrl-C again to stop now).\n');
    interrupt.abort();
  } else {
    process.stderr.write('\nStopped.\n');
    process.exit(130);
  }
});

const code = await runCli(process.argv.slice(2), processIO(interrupt.signal));
process.exitCode = code;
