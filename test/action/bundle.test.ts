// The committed bundle action/dist/index.js (what action.yml runs from a checkout of a tag, with no build step) is
// what `npm run build:action` makes of the sources and the lockfile now: rebuilt into a temp folder and compared
// byte for byte. When this fails: `npm run build:action`, then commit action/dist/index.js.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'claude-reconcile-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Build = (out?: string, extra?: Record<string, unknown>) => Promise<void>;
const buildAction = async (): Promise<Build> =>
  ((await import(pathToFileURL(join(root, 'action/build.mjs')).href)) as { buildAction: Build }).buildAction;

describe('the Action\'s committed bundle (action/dist/index.js)', () => {
  const committed = readFileSync(join(root, 'action/dist/index.js'), 'utf8');

  it('is what npm run build:action makes now (run it and commit action/dist/index.js if this fails)', async () => {
    const out = join(dir, 'fresh', 'index.js');
    await (await buildAction())(out);
    const fresh = readFileSync(out, 'utf8');
    expect(fresh === committed, 'action/dist/index.js is stale: run `npm run build:action` and commit action/dist/index.js').toBe(true);
  });

  it('is portable: no absolute path, no source map (no timestamp either: the rebuild above, made later elsewhere, is equal)', () => {
    for (const p of [root, root.replace(/\/$/, ''), tmpdir(), process.env.HOME ?? '/nonexistent-home']) expect(committed.includes(p), p).toBe(false);
    expect(committed).not.toMatch(/sourceMappingURL/);
    // the schemas are read next to the checkout's root at run time, two folders above action/dist
    expect(committed).toContain('new URL("../../schemas/claude-reconcile.schema.json", import.meta.url)');
    expect(committed).toContain('new URL("../../schemas/plan.schema.json", import.meta.url)');
  });

  it('the check sees a change to the sources: a bundle built from an edited run.ts differs', async () => {
    const out = join(dir, 'edited', 'index.js');
    await (await buildAction())(out, {
      plugins: [{
        name: 'edit-run-ts',
        setup(b: { onLoad(o: { filter: RegExp }, f: (a: { path: string }) => { contents: string; loader: string }): void }) {
          b.onLoad({ filter: /src[\\/]action[\\/]run\.ts$/ }, (a) => ({ contents: `${readFileSync(a.path, 'utf8')}\nconsole.log('edited');\n`, loader: 'ts' }));
        },
      }],
    });
    expect(readFileSync(out, 'utf8') === committed).toBe(false);
  });
});
