// `-f` names one desired-state file or a directory of them (several organizations in one repository: each
// *.yaml / *.yml file directly inside, in name order).

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

export function desiredFiles(path: string): string[] {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    return [path]; // the loader reports a missing file with its name
  }
  if (!isDir) return [path];
  const files = readdirSync(path)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => join(path, f));
  if (files.length === 0) throw new UsageError(`${path} holds no .yaml or .yml files`);
  return files;
}
