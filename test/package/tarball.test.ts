// The package as users get it. `npm pack` (its file list: what a user needs and nothing else), the tarball installed
// into an empty prefix with no registry (npm's cache only), and the installed `claude-reconcile` run as a user runs
// it: --version, validate and plan of the shipped examples, against an emulator that the installed copy starts
// from the shipped seeds. Then the same from a git repository (`npm install git+file://…`, what `npx github:…`
// does): the clone has no dist/, so `prepare` must build it with the devDependencies npm installs for it.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { schemaLine } from '../../src/import/schema-line.js';
import { copyNpmCache, npmEnv, PKG, ROOT, run, runtimeInstallScripts, runtimePackageNames, writePrefixProject, type Ran } from './npm.js';

// Test credentials: random-looking, no words, never printed.
const CONSOLE_KEY = 'sk-ant-admin01-Qx7vR2mZ9kLp4TwN8cYj3HdB6fGs';
const ENTERPRISE_KEY = 'sk-ant-api01-Vn5tK8qW2xJr7LmP3zHc9FdY4bSg';
const SCIM_TOKEN = 'Zr8mQ2vX7kTn4WpL9cJh3YdG6fBs';
const SECRETS = [CONSOLE_KEY, ENTERPRISE_KEY, SCIM_TOKEN];

interface PackFile {
  path: string;
  size: number;
}
interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: PackFile[];
}

let tmp: string;
let cache: string;
let env: NodeJS.ProcessEnv;
const children: ChildProcess[] = [];

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'claude-reconcile-package-'));
  cache = copyNpmCache(tmp);
  mkdirSync(join(tmp, 'logs'));
  env = npmEnv(cache, join(tmp, 'logs'));
}, 120_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function walk(dir: string, base = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, base), { withFileTypes: true })) {
    const rel = base ? `${base}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walk(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

function noSecretIn(...texts: string[]): void {
  for (const t of texts) for (const s of SECRETS) expect(t.includes(s.slice(-12))).toBe(false);
}

/** `ran` as one line for a failing expectation: the exit code and the output (the keys never reach it). */
function shown(r: Ran): string {
  return `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}`;
}

/** Every src/X.ts has dist/X.js at least as new: the tarball is packed with --ignore-scripts from this dist/. */
function distIsCurrent(): string[] {
  const stale: string[] = [];
  for (const f of walk(join(ROOT, 'src'))) {
    if (!f.endsWith('.ts') || f.endsWith('.d.ts')) continue;
    const js = join(ROOT, 'dist', f.replace(/\.ts$/, '.js'));
    if (!existsSync(js) || statSync(js).mtimeMs < statSync(join(ROOT, 'src', f)).mtimeMs) stale.push(`src/${f}`);
  }
  return stale;
}

describe('npm pack: the file list', () => {
  let packed: PackResult;
  beforeAll(async () => {
    const r = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, env, timeoutMs: 60_000 });
    expect(r.code, shown(r)).toBe(0);
    packed = (JSON.parse(r.stdout) as PackResult[])[0]!;
  }, 90_000);

  it('holds the CLI, the schemas, the examples, the docs, LICENSE, README and package.json', () => {
    const paths = new Set(packed.files.map((f) => f.path));
    const needed = [
      'package.json',
      'README.md',
      'LICENSE',
      PKG.bin['claude-reconcile']!,
      'schemas/claude-reconcile.schema.json',
      'schemas/plan.schema.json',
      ...walk(join(ROOT, 'examples')).map((f) => `examples/${f}`),
      ...walk(join(ROOT, 'docs')).map((f) => `docs/${f}`),
    ];
    expect(needed.filter((p) => !paths.has(p))).toEqual([]);
    expect(walk(join(ROOT, 'docs')).length).toBeGreaterThan(3);
    // the editors' schema line of imported files and examples names this path inside the published package
    expect(paths.has(schemaLine(PKG.version).replace(/^.*\/claude-reconcile@[^/]+\//, ''))).toBe(true);
  });

  it('holds nothing a user does not need: no sources, tests, benchmark, source maps, CI or tool configuration', () => {
    const allowed = /^(?:dist\/.+\.js|schemas\/[^/]+\.schema\.json|examples\/.+\.ya?ml|docs\/.+\.md|LICENSE|README\.md|package\.json)$/;
    expect(packed.files.map((f) => f.path).filter((p) => !allowed.test(p))).toEqual([]);
    expect(packed.files.filter((f) => /^dist\/(?:bench|action)\/|^dist\/cli\/demo\.js$|\.map$|^(?:src|test|scripts|bench|action|\.ci)\//.test(f.path))).toEqual([]);
    // no leftover of an earlier build: every compiled file has its source, and every source is compiled but the
    // benchmark's, the demo's (npm run demo, from a clone) and the GitHub Action's (which runs from its own bundle,
    // action/dist/, not from the npm package)
    const dist = packed.files.map((f) => f.path).filter((p) => p.startsWith('dist/'));
    expect(dist.filter((p) => !existsSync(join(ROOT, 'src', p.slice(5).replace(/\.js$/, '.ts'))))).toEqual([]);
    const sources = walk(join(ROOT, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('bench/') && !f.startsWith('action/') && f !== 'cli/demo.ts');
    expect(sources.filter((f) => !dist.includes(`dist/${f.replace(/\.ts$/, '.js')}`))).toEqual([]);
    // a bound that a stray fixture or bundled dependency would break (about 0.3 MB packed today)
    expect(packed.size).toBeLessThan(1_000_000);
  });

  it('the bin is an executable node script', () => {
    const bin = readFileSync(join(ROOT, PKG.bin['claude-reconcile']!), 'utf8');
    expect(bin.startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});

describe('the tarball installed into an empty prefix, offline', () => {
  let prefix: string;
  let pkgDir: string;
  let cli: string;

  beforeAll(async () => {
    const stale = distIsCurrent();
    if (stale.length > 0) throw new Error(`dist/ is older than ${stale.slice(0, 3).join(', ')}: run \`npm run build\` first (npm test does)`);
    const packDir = join(tmp, 'pack');
    mkdirSync(packDir);
    const p = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], { cwd: ROOT, env, timeoutMs: 90_000 });
    expect(p.code, shown(p)).toBe(0);
    const tarball = join(packDir, (JSON.parse(p.stdout) as PackResult[])[0]!.filename);
    expect(existsSync(tarball)).toBe(true);

    prefix = join(tmp, 'prefix');
    writePrefixProject(prefix, `file:${tarball}`);
    const i = await run('npm', ['ci', '--ignore-scripts'], { cwd: prefix, env, timeoutMs: 120_000 });
    expect(i.code, shown(i)).toBe(0);
    pkgDir = join(prefix, 'node_modules', PKG.name);
    cli = join(prefix, 'node_modules', '.bin', 'claude-reconcile');
  }, 240_000);

  it('installs the package and its runtime dependencies, no devDependency', () => {
    const installed = readdirSync(join(prefix, 'node_modules')).filter((n) => !n.startsWith('.')).flatMap((n) =>
      n.startsWith('@') ? readdirSync(join(prefix, 'node_modules', n)).map((m) => `${n}/${m}`) : [n]);
    expect(installed.sort()).toEqual([PKG.name, ...runtimePackageNames()].sort());
    for (const dev of Object.keys(PKG.devDependencies)) expect(installed).not.toContain(dev);
    expect(existsSync(join(pkgDir, 'src'))).toBe(false);
    expect(existsSync(join(pkgDir, 'test'))).toBe(false);
  });

  it('claude-reconcile --version prints the package version', async () => {
    const r = await run(cli, ['--version'], { cwd: prefix, env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeoutMs: 30_000 });
    expect(r.code, shown(r)).toBe(0);
    expect(r.stdout.trim()).toBe(PKG.version);
  }, 60_000);

  it('validate accepts the shipped examples without credentials', async () => {
    for (const example of ['acme-console.yaml', 'acme-enterprise.yaml']) {
      const r = await run(cli, ['validate', '-f', join(pkgDir, 'examples', example)], {
        cwd: prefix,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
        timeoutMs: 30_000,
      });
      expect(r.code, shown(r)).toBe(0);
      expect(r.stdout).toMatch(/ is valid: /);
    }
  }, 60_000);

  it('the installed copy runs the emulator from a shipped seed and plans a shipped example against it', async () => {
    // the shipped console seed with this test's key in place of the demo key
    const seed = parse(readFileSync(join(pkgDir, 'examples', 'seeds', 'acme-console.seed.yaml'), 'utf8')) as {
      admin_keys: Array<{ name: string; key: string }>;
    };
    seed.admin_keys = [{ name: 'package-test', key: CONSOLE_KEY }];
    const seedFile = join(tmp, 'console.seed.yaml');
    writeFileSync(seedFile, stringify(seed));
    const url = await startInstalledEmulator(cli, seedFile);

    const example = join(pkgDir, 'examples', 'acme-console.yaml');
    const planEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NO_COLOR: '1',
      ANTHROPIC_ADMIN_KEY: CONSOLE_KEY,
      ANTHROPIC_BASE_URL: url,
      CLAUDE_RECONCILE_STATE_DIR: join(tmp, 'state-console'),
    };
    const text = await run(cli, ['plan', '-f', example], { cwd: prefix, env: planEnv, timeoutMs: 60_000 });
    expect(text.code, shown(text)).toBe(0);
    expect(text.stdout).toContain('+ invite["carol@acme.com"]');
    expect(text.stdout).toContain('- member["dave@acme.com"]');
    expect(text.stdout).toMatch(/plan_hash/);

    const detailed = await run(cli, ['plan', '-f', example, '--detailed-exitcode'], { cwd: prefix, env: planEnv, timeoutMs: 60_000 });
    expect(detailed.code, shown(detailed)).toBe(2);

    const json = await run(cli, ['plan', '-f', example, '--format', 'json'], { cwd: prefix, env: planEnv, timeoutMs: 60_000 });
    expect(json.code, shown(json)).toBe(0);
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    const validatePlan = ajv.compile(JSON.parse(readFileSync(join(pkgDir, 'schemas', 'plan.schema.json'), 'utf8')) as object);
    const plan = JSON.parse(json.stdout) as { organization: { id: string }; changes: Array<{ address: string }> };
    expect(validatePlan(plan), JSON.stringify(validatePlan.errors?.slice(0, 3))).toBe(true);
    expect(plan.organization.id).toBe('8f4c1a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b');
    expect(plan.changes.map((c) => c.address)).toContain('invite["carol@acme.com"]');
    noSecretIn(text.stdout, text.stderr, detailed.stdout, detailed.stderr, json.stdout, json.stderr);
  }, 180_000);

  it('plans the shipped enterprise example through the Admin API and the SCIM directory of the installed emulator', async () => {
    const seed = parse(readFileSync(join(pkgDir, 'examples', 'seeds', 'acme-enterprise.seed.yaml'), 'utf8')) as {
      admin_keys: Array<{ name: string; key: string; scopes?: string[] }>;
      scim: { directory: string; token: string };
    };
    seed.admin_keys = seed.admin_keys.map((k) => ({ ...k, name: 'package-test', key: ENTERPRISE_KEY }));
    seed.scim.token = SCIM_TOKEN;
    const seedFile = join(tmp, 'enterprise.seed.yaml');
    writeFileSync(seedFile, stringify(seed));
    const url = await startInstalledEmulator(cli, seedFile);
    const r = await run(cli, ['plan', '-f', join(pkgDir, 'examples', 'acme-enterprise.yaml')], {
      cwd: prefix,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NO_COLOR: '1',
        ANTHROPIC_ADMIN_KEY: ENTERPRISE_KEY,
        ANTHROPIC_BASE_URL: url,
        CLAUDE_SCIM_URL: `${url}/scim/v2.0/${seed.scim.directory}`,
        CLAUDE_SCIM_TOKEN: SCIM_TOKEN,
        CLAUDE_RECONCILE_STATE_DIR: join(tmp, 'state-enterprise'),
      },
      timeoutMs: 60_000,
    });
    expect(r.code, shown(r)).toBe(0);
    expect(r.stdout).toMatch(/scim_user\["/);
    expect(r.stdout).toContain('+ scim_user["linus@acme.com"]');
    // the SCIM directory was reached: nothing is unavailable
    expect(r.stdout).toMatch(/\b0 unavailable\b/);
    expect(r.stdout).not.toMatch(/\? scim_/);
    noSecretIn(r.stdout, r.stderr);
  }, 180_000);
});

/** Starts `claude-reconcile emulator --port 0 --seed FILE` of the installed copy; resolves with the URL it prints. */
function startInstalledEmulator(cli: string, seedFile: string): Promise<string> {
  const child = spawn(cli, ['emulator', '--port', '0', '--seed', seedFile], {
    cwd: dirname(seedFile),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`the installed emulator printed no address within 30 s: ${out}${err}`)), 30_000);
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the installed emulator exited (${code}): ${out}${err}`));
    });
  });
}

describe('installed from a git repository (what `npx github:…` does): prepare builds it', () => {
  let prefix: string;
  let install: Ran;

  beforeAll(async () => {
    // the working tree as a git repository of its own: tracked and new files, without what .gitignore keeps out
    // (node_modules, dist), committed, so that npm clones it as it would clone GitHub
    const repo = join(tmp, 'git-repo');
    mkdirSync(repo);
    const gitEnv = { PATH: process.env.PATH, HOME: process.env.HOME, GIT_CONFIG_NOSYSTEM: '1' };
    const ls = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, env: gitEnv, timeoutMs: 30_000 });
    expect(ls.code, shown(ls)).toBe(0);
    for (const f of ls.stdout.split('\0').filter(Boolean)) {
      if (!existsSync(join(ROOT, f)) || !statSync(join(ROOT, f)).isFile()) continue;
      mkdirSync(dirname(join(repo, f)), { recursive: true });
      copyFileSync(join(ROOT, f), join(repo, f));
    }
    expect(existsSync(join(repo, 'dist'))).toBe(false);
    const git = (args: string[]) => run('git', ['-c', 'user.name=package test', '-c', 'user.email=package-test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, env: gitEnv, timeoutMs: 60_000 });
    for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-q', '-m', 'snapshot']]) {
      const r = await git(args);
      expect(r.code, shown(r)).toBe(0);
    }
    const sha = (await git(['rev-parse', 'HEAD'])).stdout.trim();
    expect(sha).toMatch(/^[0-9a-f]{40}$/);

    prefix = join(tmp, 'git-prefix');
    writePrefixProject(prefix, `git+file://${repo}#${sha}`);
    // scripts run: npm runs the git dependency's `prepare` (after installing its devDependencies, typescript among
    // them, from the same offline cache); no runtime dependency has an install script of its own
    expect(runtimeInstallScripts()).toEqual([]);
    install = await run('npm', ['ci'], { cwd: prefix, env, timeoutMs: 400_000 });
  }, 480_000);

  it('npm builds dist/ with prepare and installs only the runtime dependencies', () => {
    expect(install.code, shown(install)).toBe(0);
    const pkgDir = join(prefix, 'node_modules', PKG.name);
    expect(existsSync(join(pkgDir, PKG.bin['claude-reconcile']!))).toBe(true);
    expect(existsSync(join(prefix, 'node_modules', 'typescript'))).toBe(false);
  });

  it('the installed claude-reconcile runs', async () => {
    const cli = join(prefix, 'node_modules', '.bin', 'claude-reconcile');
    const v = await run(cli, ['--version'], { cwd: prefix, env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeoutMs: 30_000 });
    expect(v.code, shown(v)).toBe(0);
    expect(v.stdout.trim()).toBe(PKG.version);
    const r = await run(cli, ['validate', '-f', join(prefix, 'node_modules', PKG.name, 'examples', 'acme-console.yaml')], {
      cwd: prefix,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
      timeoutMs: 30_000,
    });
    expect(r.code, shown(r)).toBe(0);
  }, 60_000);
});
