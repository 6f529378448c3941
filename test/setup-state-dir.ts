// Every test worker gets its own temporary home and state folder: the apply locks and the journal of applied
// saved plans (cli/state-dir.ts) of in-process runs and spawned CLIs land there, never in the real home folder.
// The CLI reads its environment from `io.env`; test IO builders pass CLAUDE_RECONCILE_STATE_DIR through, and one
// that forgets still falls back to `os.homedir()`, which is HOME, which is this folder too.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const home = mkdtempSync(join(tmpdir(), 'claude-reconcile-test-home-'));
process.env.HOME = home;
process.env.XDG_STATE_HOME = join(home, 'state');
process.env.CLAUDE_RECONCILE_STATE_DIR = join(home, 'state', 'claude-reconcile');

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});
