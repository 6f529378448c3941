// The emulator by resource (issue 16, item 4): no file of src/emulator reaches itself through its imports, counting
// `import type`, `export … from` and `import()`, so each resource's folder can be read (and moved) on its own and
// the shared infrastructure never depends on a resource. A cycle fails with the files that make it, in order.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../src/emulator');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Each emulator file (relative to src/emulator) and the emulator files it imports, type-only ones included. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files(ROOT)) {
    // preProcessFile lists `import`, `import type`, `export … from` and `import()` alike, over any number of lines
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((f) => f.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => resolve(file, '..', spec).replace(/\.js$/, '.ts'))
      .filter((target) => target.startsWith(ROOT + '/'))
      .map((target) => relative(ROOT, target));
    graph.set(relative(ROOT, file), [...new Set(targets)].sort());
  }
  return graph;
}

/** Every cycle of the graph, one per strongly connected component, as `a.ts → b.ts → a.ts`. */
function cycles(graph: Map<string, string[]>): string[] {
  // Tarjan's strongly connected components
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  // name each component by one cycle through its first file (a shortest way back, found breadth-first)
  return components.map((component) => {
    const inside = new Set(component);
    const start = component[0]!;
    const from = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const v = queue.shift()!;
      for (const w of graph.get(v) ?? []) {
        if (!inside.has(w) || from.has(w)) continue;
        from.set(w, v);
        if (w === start) queue.length = 0;
        else queue.push(w);
      }
    }
    const path = [start];
    for (let v = from.get(start)!; v !== start; v = from.get(v)!) path.unshift(v);
    path.unshift(start);
    const others = component.length > path.length - 1 ? ` (one of ${component.length} files in a cycle: ${component.join(', ')})` : '';
    return path.join(' → ') + others;
  });
}

it('src/emulator has no import cycle, type-only imports included', () => {
  const graph = importGraph();
  expect(graph.size).toBeGreaterThan(40);
  expect(cycles(graph)).toEqual([]);
});

it('the check can fail: it sees type-only and multi-line imports and names a cycle', () => {
  const graph = importGraph();
  // index.ts re-exports the server over `export … from`; router.ts imports store.ts for types only; the workspace
  // store imports its records over several lines: each is an edge
  expect(graph.get('index.ts')).toContain('server.ts');
  expect(readFileSync(join(ROOT, 'router.ts'), 'utf8')).toMatch(/import type \{[^}]*\} from '\.\/store\.js'/);
  expect(graph.get('router.ts')).toContain('store.ts');
  expect(readFileSync(join(ROOT, 'admin/workspaces/store.ts'), 'utf8')).toMatch(/import \{\n[^}]*\} from '\.\/records\.js'/);
  expect(graph.get('admin/workspaces/store.ts')).toContain('admin/workspaces/records.ts');
  const made = new Map<string, string[]>([
    ['a.ts', ['b.ts']],
    ['b.ts', ['c.ts']],
    ['c.ts', ['a.ts']],
    ['d.ts', ['d.ts']],
    ['e.ts', ['a.ts']],
  ]);
  expect(cycles(made)).toEqual(['a.ts → b.ts → c.ts → a.ts', 'd.ts → d.ts']);
});
