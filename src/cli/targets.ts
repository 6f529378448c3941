// `-f` names one desired-state file or a directory of them (several organizations in one repository: each
// *.yaml / *.yml file directly inside, in name order).
//
// Symbolic links are followed only within the directory tree of what was named: a file listed in the directory
// must resolve inside it (config/load.ts checks every file it reads), and a directory given as a link must
// resolve inside the directory that holds it, so a link swapped in for `orgs/` cannot list another tree.

import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { UsageError } from '../errors.js';

function within(root: string, path: string): boolean {
  const rel = relative(realpathSync(root), realpathSync(path));
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

export function desiredFiles(path: string): string[] {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    return [path]; // the loader reports a missing file with its name
  }
  if (!isDir) return [path];
  if (lstatSync(path).isSymbolicLink() && !within(dirname(path), path)) {
    throw new UsageError(`${path} is a symbolic link to a directory outside ${dirname(path)}; it is not read`);
  }
  const files = readdirSync(path)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => join(path, f));
  if (files.length === 0) throw new UsageError(`${path} holds no .yaml or .yml files`);
  return files;
}
