// Bundles the GitHub Action's entry point (src/action/main.ts) with every dependency into action/dist/index.js,
// the file action.yml runs: a checkout of a tag runs it as is, with no install and no build step.
// Deterministic: no timestamps, no sourcemap, paths in comments relative to the repository root; the same
// sources and lockfile give the same bytes (test/action/bundle.test.ts rebuilds it and compares).
//
// At run time the bundle reads, relative to itself (two folders up: the repository root of the checkout),
// schemas/claude-reconcile.schema.json, schemas/plan.schema.json and package.json, as dist/ does.

import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const outfile = 'action/dist/index.js';

/**
 * The Action never runs `claude-reconcile emulator` (its commands are plan, apply and validate): the emulator, which
 * that command loads on demand, and its SCIM library are left out (a fifth of the bundle).
 */
const withoutEmulator = {
  name: 'without-emulator',
  setup(b) {
    b.onResolve({ filter: /\/emulator\/index\.js$/ }, (args) =>
      args.importer.endsWith('src/cli/commands/emulator.ts') ? { path: 'emulator', namespace: 'without-emulator' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'without-emulator' }, () => ({
      contents: "throw new Error('the emulator is not part of the claude-reconcile GitHub Action');\n",
      loader: 'js',
    }));
  },
};

/** The esbuild options; another `out` (the check builds into a temp folder) changes no byte of the bundle. */
export function options(out = outfile) {
  return {
    absWorkingDir: root,
    entryPoints: ['src/action/main.ts'],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // CommonJS dependencies (ajv, …) require Node's built-in modules: give the ESM bundle a real `require`.
    banner: {
      js: "import { createRequire as __actionCreateRequire } from 'node:module';\nconst require = __actionCreateRequire(import.meta.url);",
    },
    sourcemap: false,
    minify: false,
    legalComments: 'eof',
    charset: 'utf8',
    logLevel: 'warning',
    plugins: [withoutEmulator],
  };
}

/** Builds the bundle into `out` (default: action/dist/index.js), with esbuild options added or replaced by `extra`. */
export async function buildAction(out = outfile, extra = {}) {
  const base = options(out);
  await build({ ...base, ...extra, plugins: [...base.plugins, ...(extra.plugins ?? [])] });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildAction();
}
