// Paths in the pull-request comment are the repository's paths (issue 14, item 4): a workflow runs at the
// repository's root, so a file under the working directory is shown relative to it (`orgs/acme.yaml`), never as the
// runner's absolute path (`/home/runner/work/infra/infra/orgs/acme.yaml`), which tells a reviewer nothing and tells
// anyone reading a public pull request how the runner is laid out.

import { basename, isAbsolute, relative, sep } from 'node:path';

/**
 * `p` as the comment shows it: a relative path as given; an absolute path inside `cwd` relative to it, with `/`
 * separators; an absolute path outside `cwd` (a temporary file) as `…/` and its file name only. The value is not
 * escaped here: the caller still passes it through `codeSpan` or `escapeText`.
 */
export function repoPath(p: string, cwd: string = process.cwd()): string {
  if (!isAbsolute(p)) return p;
  const rel = relative(cwd, p);
  if (rel === '') return '.';
  if (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) return sep === '/' ? rel : rel.split(sep).join('/');
  return `…/${basename(p)}`;
}
