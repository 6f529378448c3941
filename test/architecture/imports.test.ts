// The dependency direction of architecture.md, over every folder of src/ (issue 16, item 5): each layer may import
// only the layers listed for it. A new folder fails until it is placed in the table; an edge that points the wrong
// way (the planner reading a client, a renderer reading the live state) fails with the file and the import.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/** What each top-level part of src/ may import besides itself (node built-ins and npm packages are always fine). */
const ALLOWED: Record<string, readonly string[]> = {
  secrets: [],
  errors: ['secrets'],
  model: [],
  clients: ['errors', 'secrets'],
  config: ['errors', 'model', 'secrets'],
  live: ['clients', 'errors', 'model'],
  planner: ['model'],
  apply: ['model'],
  render: ['model'],
  executor: ['apply', 'clients', 'errors', 'model'],
  import: ['config', 'errors', 'live', 'model'],
  // an independent oracle: the wire types only (test/emulator/imports.test.ts checks which file of clients/)
  emulator: ['clients'],
  cli: ['apply', 'clients', 'config', 'emulator', 'errors', 'executor', 'import', 'live', 'model', 'planner', 'render', 'secrets'],
  action: ['cli', 'model', 'render'],
  bench: ['cli', 'config', 'emulator', 'live', 'model', 'planner', 'secrets'],
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** `model` for src/model/plan.ts, `errors` for src/errors.ts. */
function layerOf(file: string): string {
  return relative(SRC, file).split(sep)[0]!.replace(/\.(ts|js)$/, '');
}

/** Every cross-layer import edge, as `from → to (file: spec)`. */
function edges(): Array<{ from: string; to: string; where: string }> {
  const out: Array<{ from: string; to: string; where: string }> = [];
  for (const file of files(SRC)) {
    const from = layerOf(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/\bfrom\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)) {
      const spec = (m[1] ?? m[2])!;
      if (!spec.startsWith('.')) continue;
      const to = layerOf(resolve(file, '..', spec));
      if (to !== from) out.push({ from, to, where: `${relative(SRC, file)}: ${spec}` });
    }
  }
  return out;
}

it('every part of src/ has a place in the dependency table', () => {
  const parts = readdirSync(SRC, { withFileTypes: true }).map((e) => e.name.replace(/\.ts$/, '')).filter((n) => !n.endsWith('.d'));
  expect(parts.filter((p) => !(p in ALLOWED))).toEqual([]);
});

it('every import points the way architecture.md allows', () => {
  const all = edges();
  expect(all.length).toBeGreaterThan(50);
  const wrong = all.filter((e) => !ALLOWED[e.from]?.includes(e.to)).map((e) => `${e.from} → ${e.to} (${e.where})`);
  expect(wrong).toEqual([]);
});

it('the check can fail: an edge the table does not allow is found', () => {
  // the planner reading a client would break purity; the table must not allow it, and edges() must see imports
  expect(ALLOWED.planner).not.toContain('clients');
  expect(edges().some((e) => e.from === 'cli' && e.to === 'planner')).toBe(true);
});
