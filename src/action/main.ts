// Entry point of the GitHub Action (action.yml: `main: action/dist/index.js`, the bundle `npm run build:action`
// makes of this file). The runner starts it with node20; the step's exit code is the Action's verdict.

import { runAction } from './run.js';

const interrupt = new AbortController();
// A cancelled run gets SIGINT (then SIGTERM): finish the changes in flight, start no new ones.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort();
  });
}

const result = await runAction(process.env, { stdout: process.stdout, stderr: process.stderr }, interrupt.signal);
process.exitCode = result.exitCode;
