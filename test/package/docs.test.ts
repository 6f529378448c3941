// The docs are part of the package: docs/file-format.md names every key of the desired-state schema (with its
// enum values and defaults), docs/plan-format.md every field of the plan schema, the README and docs/ link only to
// what exists inside the repository (headings included), and the examples carry the schema line import writes.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaLine } from '../../src/import/schema-line.js';
import { PKG, ROOT } from './npm.js';

type Json = Record<string, unknown>;

const read = (rel: string): string => readFileSync(join(ROOT, rel), 'utf8');

function markdownFiles(): string[] {
  const out = ['README.md'];
  const walk = (dir: string): void => {
    for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.md')) out.push(rel);
    }
  };
  walk('docs');
  return out;
}

interface SchemaProp {
  /** dotted path; `<key>` where the key is a name or an email chosen by the user */
  path: string;
  node: Json;
}

/** Every property of a JSON Schema, following $ref, if/then/else, combinators, additionalProperties and items. */
function schemaProperties(schema: Json): SchemaProp[] {
  const out = new Map<string, Json>();
  const resolveRef = (n: Json): Json => {
    let node = n;
    for (let i = 0; i < 20 && typeof node.$ref === 'string'; i++) {
      let x: unknown = schema;
      for (const part of (node.$ref as string).replace(/^#\//, '').split('/')) x = (x as Json)[part];
      node = x as Json;
    }
    return node;
  };
  const walk = (raw: unknown, path: string, depth: number): void => {
    if (!raw || typeof raw !== 'object' || depth > 20) return;
    const n = resolveRef(raw as Json);
    for (const k of ['oneOf', 'anyOf', 'allOf']) if (Array.isArray(n[k])) for (const c of n[k] as unknown[]) walk(c, path, depth + 1);
    for (const k of ['then', 'else']) if (n[k]) walk(n[k], path, depth + 1);
    if (n.properties) {
      for (const [k, v] of Object.entries(n.properties as Json)) {
        const p = path ? `${path}.${k}` : k;
        if (!out.has(p)) out.set(p, resolveRef(v as Json));
        walk(v, p, depth + 1);
      }
    }
    if (n.additionalProperties && typeof n.additionalProperties === 'object') walk(n.additionalProperties, `${path}.<key>`, depth + 1);
    if (n.items) walk(n.items, `${path}[]`, depth + 1);
  };
  walk(schema, '', 0);
  return [...out].map(([path, node]) => ({ path, node }));
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `a.<key>.b` as it may be written in the docs: `a.<email>.b`, `a.<name>.b`. */
function pathPattern(path: string): RegExp {
  return new RegExp(`\`${path.split('.').map((p) => (p === '<key>' ? '<[a-z]+>' : escapeRe(p))).join('\\.')}\``);
}

describe('docs/file-format.md and schemas/claude-reconcile.schema.json', () => {
  const doc = read('docs/file-format.md');
  const props = schemaProperties(JSON.parse(read('schemas/claude-reconcile.schema.json')) as Json);

  it('finds the schema keys it checks (the walk itself works)', () => {
    const paths = props.map((p) => p.path);
    for (const p of ['version', 'policy.max_removal_share', 'members.<key>.expires', 'scim.groups.<key>.external_id', 'organization.credentials.base_url_env']) {
      expect(paths).toContain(p);
    }
    expect(paths.length).toBeGreaterThan(35);
  });

  it('names every key of the schema by its full path', () => {
    expect(props.filter((p) => !pathPattern(p.path).test(doc)).map((p) => p.path)).toEqual([]);
  });

  it('names every value of every enum', () => {
    const missing: string[] = [];
    for (const p of props) {
      for (const v of (p.node.enum as unknown[] | undefined) ?? []) if (!doc.includes(`\`${String(v)}\``)) missing.push(`${p.path}: ${String(v)}`);
    }
    for (const [name, def] of Object.entries((JSON.parse(read('schemas/claude-reconcile.schema.json')) as { definitions: Record<string, Json> }).definitions)) {
      for (const v of (def.enum as unknown[] | undefined) ?? []) if (!doc.includes(`\`${String(v)}\``)) missing.push(`definitions.${name}: ${String(v)}`);
    }
    expect(missing).toEqual([]);
  });

  it('gives each key with a default that default, in the key\'s table row', () => {
    const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
    const wrong: string[] = [];
    for (const p of props) {
      if (p.node.default === undefined) continue;
      const re = pathPattern(p.path);
      const row = rows.find((r) => re.test(r.split('|')[1] ?? ''));
      if (!row || !row.split('|')[2]!.includes(`\`${String(p.node.default)}\``)) wrong.push(`${p.path} (default ${String(p.node.default)})`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('docs/plan-format.md and schemas/plan.schema.json', () => {
  it('names every field of the plan, of a change, of a diagnostic and of every nested object', () => {
    const doc = read('docs/plan-format.md');
    const props = schemaProperties(JSON.parse(read('schemas/plan.schema.json')) as Json);
    const defs = (JSON.parse(read('schemas/plan.schema.json')) as { $defs: Record<string, Json> }).$defs;
    const names = new Set(props.map((p) => p.path.split('.').pop()!.replace(/\[\]$/, '')));
    for (const def of Object.values(defs)) for (const k of Object.keys((def.properties as Json | undefined) ?? {})) names.add(k);
    expect(names.size).toBeGreaterThan(40);
    // `field` alone or at the end of a dotted path (`removals.count`)
    const missing = [...names].filter((n) => !new RegExp(`\`(?:[a-z_]+(?:\\[\\])?\\.)*${escapeRe(n)}\``).test(doc));
    expect(missing).toEqual([]);
    for (const def of ['action', 'kind']) for (const v of defs[def]!.enum as string[]) expect(doc).toContain(`\`${v}\``);
  });
});

/** GitHub's anchor for a heading: lower case, punctuation dropped (but - and _), spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of stripCode(markdown).split('\n')) {
    const m = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Markdown without fenced code blocks; inline code spans replaced by their text, so headings keep their words. */
function stripCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`([^`\n]*)`/g, '$1');
}

/** Link targets outside code: [text](target), [text](<target>), [label]: target. */
function linkTargets(markdown: string): string[] {
  const text = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
  const out: string[] = [];
  for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push(m[1]!);
  for (const m of text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) out.push(m[1]!);
  return out;
}

describe('README.md and docs/ link only inside the repository', () => {
  const files = markdownFiles();

  it('covers the README and every page of docs/', () => {
    expect(files).toContain('README.md');
    expect(files).toContain('docs/file-format.md');
    expect(files.length).toBeGreaterThan(5);
  });

  it('never refer to ../shared (design notes users never have)', () => {
    expect(files.filter((f) => read(f).includes('../shared') || /\bshared\/(?:design|reference)\b/.test(read(f)))).toEqual([]);
  });

  it('every relative link resolves to a file or folder inside the repository, and every #anchor to a heading', () => {
    const broken: string[] = [];
    for (const f of files) {
      for (const target of linkTargets(read(f))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:: not a relative link
        const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
        const abs = pathPart === '' ? join(ROOT, f) : resolve(ROOT, dirname(f), decodeURIComponent(pathPart));
        const rel = relative(ROOT, abs);
        if (pathPart.startsWith('/') || rel === '' || rel.startsWith(`..${sep}`) || rel === '..') {
          broken.push(`${f}: ${target} (outside the repository)`);
          continue;
        }
        if (!existsSync(abs)) {
          broken.push(`${f}: ${target} (no such file)`);
          continue;
        }
        if (anchor !== undefined && statSync(abs).isFile() && abs.endsWith('.md') && !anchors(readFileSync(abs, 'utf8')).has(anchor)) {
          broken.push(`${f}: ${target} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('the link check itself finds a broken link, an escape and a missing heading', () => {
    expect(linkTargets('see [a](docs/x.md#y) and `[b](not-a-link.md)` and\n[c]: ../../etc/passwd\n')).toEqual(['docs/x.md#y', '../../etc/passwd']);
    expect(anchors('# The editor\'s schema line\n## What `--detailed-exitcode` counts as drift (exit 2)\n')).toEqual(
      new Set(['the-editors-schema-line', 'what---detailed-exitcode-counts-as-drift-exit-2']));
  });
});

describe('the schema line', () => {
  it('every example desired-state file starts with the line import writes for this version', () => {
    const examples = [
      ...readdirSync(join(ROOT, 'examples')).filter((f) => /\.ya?ml$/.test(f)).map((f) => `examples/${f}`),
      ...readdirSync(join(ROOT, 'examples/github/orgs')).filter((f) => /\.ya?ml$/.test(f)).map((f) => `examples/github/orgs/${f}`),
    ];
    expect(examples.length).toBeGreaterThanOrEqual(4);
    const line = schemaLine(PKG.version);
    expect(examples.filter((f) => read(f).split('\n')[0] !== line)).toEqual([]);
  });

  it('names a file of the package at the package\'s own version, and the docs show that line', () => {
    const line = schemaLine(PKG.version);
    expect(line).toBe(`# yaml-language-server: $schema=https://cdn.jsdelivr.net/npm/${PKG.name}@${PKG.version}/schemas/claude-reconcile.schema.json`);
    expect(existsSync(join(ROOT, 'schemas/claude-reconcile.schema.json'))).toBe(true);
    expect(PKG.files).toContain('schemas');
    expect(read('docs/file-format.md')).toContain(line);
    expect(read('docs/installing.md')).toContain(line);
  });
});
