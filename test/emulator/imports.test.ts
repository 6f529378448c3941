// The emulator is an independent oracle (architecture.md): it may import only the wire types, node built-ins and
// npm packages, never the planner's model, the config reader or the clients' behaviour.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../src/emulator');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

it('src/emulator imports only clients/wire.ts, its own files, node built-ins and npm packages', () => {
  const wire = resolve(root, '../clients/wire.ts');
  const offenders: string[] = [];
  const all = files(root);
  expect(all.length).toBeGreaterThan(10);
  for (const file of all) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bfrom\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)) {
      const spec = (m[1] ?? m[2])!;
      if (!spec.startsWith('.')) continue; // node: built-ins and npm packages (yaml)
      const target = resolve(file, '..', spec).replace(/\.js$/, '.ts');
      if (target !== wire && !target.startsWith(root + '/')) offenders.push(`${relative(root, file)} → ${spec}`);
    }
  }
  expect(offenders).toEqual([]);
});
