// Helpers for the package tests: run npm, git and the installed CLI as child processes with a small, explicit
// environment, every wait bounded; and build the lockfile of an empty prefix that installs claude-reconcile and
// exactly the runtime dependencies package-lock.json pins, from npm's cache, with no registry.

import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface PackageJson {
  name: string;
  version: string;
  license: string;
  bin: Record<string, string>;
  engines?: Record<string, string>;
  files: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

export const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, or kills it after `timeoutMs` (then the result says so in `stderr`). */
export function run(cmd: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      stderr += `\n[test] ${cmd} ${args.join(' ')} killed after ${opts.timeoutMs} ms\n`;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * npm's cache as `npm ci` left it: `npm test` and `npx` pass it as npm_config_cache; otherwise the default under the
 * real home folder (the test setup points HOME at a temporary folder, so `~` would not find it).
 */
export function npmCacheDir(): string {
  return process.env.npm_config_cache || join(userInfo().homedir, '.npm');
}

/**
 * A copy of npm's cache in `dir`: npm writes index entries even when it only reads from the cache, and nothing of a
 * test may be written outside the temporary folder. About 100 MB after `npm ci`; the content is copied, not linked,
 * so nothing npm does to the copy can reach the original.
 */
export function copyNpmCache(dir: string): string {
  const from = join(npmCacheDir(), '_cacache');
  if (!existsSync(join(from, 'index-v5'))) {
    throw new Error(`npm's cache ${from} is empty: run \`npm ci\` first (the package tests install from the cache, offline)`);
  }
  const to = join(dir, 'npm-cache');
  mkdirSync(to, { recursive: true });
  for (const part of ['index-v5', 'content-v2']) cpSync(join(from, part), join(to, '_cacache', part), { recursive: true });
  return to;
}

/**
 * The environment of every npm run of these tests, inherited by the npm that a git dependency's `prepare` starts:
 * offline (npm answers only from the copied cache and fails with ENOTCACHED on anything it does not hold), through a
 * proxy nobody listens on. Nothing else of the test process's environment (its npm_config_* settings, keys) is
 * passed on.
 */
export function npmEnv(cache: string, logs: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NO_COLOR: '1',
    npm_config_cache: cache,
    npm_config_offline: 'true',
    // belt and braces: were anything to go to the network after all, it would meet a port nobody listens on (the
    // registry itself stays the default: npm's cache keys its registry documents by the registry's URL)
    npm_config_proxy: 'http://127.0.0.1:9/',
    npm_config_https_proxy: 'http://127.0.0.1:9/',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_logs_dir: logs,
    npm_config_loglevel: 'warn',
  };
}

/**
 * Writes package.json and package-lock.json of an empty project in `dir` that depends on claude-reconcile at `spec`
 * (`file:…tgz` or `git+file://…#sha`). The lock holds, besides it, every entry of the repository's
 * package-lock.json that is not a devDependency: exactly the runtime dependencies the project is tested with, at
 * their pinned versions and integrity hashes, which `npm ci --offline` finds in the cache `npm ci` filled. Without
 * such a lock, `npm install <tarball> --offline` fails on this machine (ENOTCACHED for
 * https://registry.npmjs.org/ajv): resolving the dependencies' ranges anew needs registry answers the cache does not
 * hold.
 */
export function writePrefixProject(dir: string, spec: string): void {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean; link?: boolean }>;
  };
  const packages: Record<string, unknown> = {
    '': { dependencies: { [PKG.name]: spec } },
    [`node_modules/${PKG.name}`]: {
      version: PKG.version,
      resolved: spec,
      license: PKG.license,
      dependencies: PKG.dependencies,
      bin: PKG.bin,
      ...(PKG.engines ? { engines: PKG.engines } : {}),
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev || entry.devOptional || entry.link) continue;
    packages[path] = entry;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'prefix', private: true, dependencies: { [PKG.name]: spec } }, null, 2)}\n`);
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify({ name: 'prefix', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
}

/** The runtime dependencies package-lock.json pins (top-level names), for what an installed prefix must hold. */
export function runtimePackageNames(): string[] {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean; hasInstallScript?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([path, e]) => path.startsWith('node_modules/') && !path.slice(13).includes('node_modules/') && !e.dev && !e.devOptional)
    .map(([path]) => path.slice(13))
    .sort();
}

/** Runtime dependencies with install scripts (none expected: the git install runs scripts, for `prepare`). */
export function runtimeInstallScripts(): string[] {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean; hasInstallScript?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([path, e]) => path !== '' && e.hasInstallScript && !e.dev && !e.devOptional)
    .map(([path]) => path);
}
