// Email identity and `unmanaged` globs. Pure helpers over model values, shared by config/ and planner/.

import picomatch from 'picomatch';


/**
 * Compiles `policy.unmanaged` globs into one case-insensitive predicate. `*` matches any run of characters
 * except nothing special: emails have no path separators, so `*@contractors.acme.com` means "anyone there".
 */
export function globMatcher(globs: readonly string[]): (email: string) => boolean {
  if (globs.length === 0) return () => false;
  const matchers = globs.map((g) => picomatch(g.trim(), { nocase: true, dot: true, bash: true }));
  return (email: string) => {
    const e = email.trim();
    return matchers.some((m) => m(e));
  };
}
