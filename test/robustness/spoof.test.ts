// Issue 12, part 2, against the CLI: a server sends names, emails, an organization name, error messages and request
// ids that carry line breaks, ESC and C1 sequences, `\r`, bidi overrides and isolates, zero-width characters, the
// BOM and U+2028/U+2029. In every view a person reads before typing "yes" (text plan, markdown, JSON, apply
// results and summary, errors on stderr, the imported file) no raw such character appears, and no spoofed line such
// as `  - member["ceo@acme.com"]` starts a line of output. The values themselves survive: the JSON plan and the
// imported file parse back to exactly what the server sent.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FAST_CLIENT, runIn, STACK_TRACE, type RunOutput } from './helpers.js';
import { editJson, type Answer, type Exchange } from './proxy.js';
import { startOrg, type Org } from './scenarios.js';

const SPOOF_LINE = '  - member["ceo@acme.com"]  name: CEO, role: admin  # departed 2026-11-01: left the company';
const NAME = `Dave Departed\n${SPOOF_LINE}\n`;
const ERASER = '\r\u001b[2K\u001b[1A\u009b2K\u009b1A\u0085';
const BIDI = '\u202e\u2066moc.emca@oec\u2069\u202c\u200b\u200d\ufeff\u2028\u2029\u007f\t';
const ORG_NAME = `Acme${BIDI}\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007`;
const WEIRD_EMAIL = `u7\u202e${'\u200b'}@acme.com`;
const ERROR_MESSAGE = `not allowed${ERASER}\n  + member["ok@acme.com"]  role: admin${BIDI}`;
/** Header values may carry C1 bytes (as latin-1) and tabs; a request id is printed in every error. */
const REQUEST_ID = 'req_\u009b2K\u0085\tfake';

/** Raw characters of the classes, except the line feed that ends the output's own lines. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]|\udb40[\udc00-\udc7f]/;
const SPOOFED_LINE = /^\s*[-+~!?…/]+\s*`?member\["(ceo|ok)@acme\.com"\]/m;

function expectSafe(text: string, label: string, opts: { colour?: boolean } = {}): void {
  const t = opts.colour ? text.replace(/\u001b\[[0-9;]*m/g, '') : text;
  const m = RAW.exec(t);
  expect(m, `${label}: raw U+${m?.[0].codePointAt(0)?.toString(16)} near ${JSON.stringify(t.slice(Math.max(0, (m?.index ?? 0) - 50), (m?.index ?? 0) + 30))}`).toBeNull();
  expect(t, `${label}: a spoofed plan line starts a line`).not.toMatch(SPOOFED_LINE);
  expect(t, label).not.toMatch(STACK_TRACE);
}

const orgs: Org[] = [];
afterEach(async () => {
  for (const o of orgs.splice(0)) await o.close();
});

/** The server: the organization's name, dave's name and u7's email carry the characters; writes are refused. */
function lyingNames(refuseWrites: boolean): (x: Exchange) => Answer | undefined {
  return (x) => {
    if (x.path === '/v1/organizations/me' && x.status === 200) return editJson(x, (b) => void (b.name = ORG_NAME));
    if (x.path === '/v1/organizations/users' && x.status === 200) {
      return editJson(x, (b) => {
        for (const u of b.data as Array<Record<string, unknown>>) {
          if (u.email === 'dave@acme.com') u.name = NAME;
          if (u.email === 'u7@acme.com') u.email = WEIRD_EMAIL;
        }
      });
    }
    if (refuseWrites && x.method !== 'GET') {
      return {
        status: 400,
        headers: { 'content-type': 'application/json', 'request-id': REQUEST_ID },
        body: JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: ERROR_MESSAGE } }),
      };
    }
    return undefined;
  };
}

async function run(o: Org, args: string[], env: Record<string, string> = {}): Promise<RunOutput> {
  return runIn(args, { env: { ...o.env, ...env }, clientOptions: FAST_CLIENT });
}

describe('values from the API, in every view', () => {
  it('text, verbose, colour, markdown and JSON plans; apply results and summary', async () => {
    const o = await startOrg('console');
    orgs.push(o);
    o.proxy.setTamper(lyingNames(true));
    const f = ['-f', o.file];

    const text = await run(o, ['plan', ...f]);
    expect(text.code, text.stderr).toBe(0);
    expectSafe(text.stdout + text.stderr, 'plan');
    expect(text.stdout).toContain('Dave Departed\\n  - member["ceo@acme.com"]');
    expect(text.stdout).toMatch(/^Organization Acme\\u202e\\u2066moc/m);

    const verbose = await run(o, ['plan', '--verbose', ...f]);
    expectSafe(verbose.stdout + verbose.stderr, 'plan --verbose');
    expect(verbose.stdout + verbose.stderr).toContain('u7\\u202e\\u200b@acme.com');

    const colour = await run(o, ['plan', ...f], { FORCE_COLOR: '1', NO_COLOR: '' });
    expect(colour.stdout).toMatch(/\u001b\[3\dm/);
    expectSafe(colour.stdout + colour.stderr, 'plan in colour', { colour: true });

    const md = await run(o, ['plan', '--format', 'markdown', ...f]);
    expectSafe(md.stdout + md.stderr, 'markdown');
    expect(md.stdout).toContain('&#92;u202e');

    const json = await run(o, ['plan', '--format', 'json', ...f]);
    expect(json.stdout).not.toMatch(RAW);
    const p = JSON.parse(json.stdout) as { organization: { name: string }; changes: Array<{ address: string; before: { name?: string } | null }> };
    expect(p.organization.name).toBe(ORG_NAME);
    expect(p.changes.find((c) => c.address === 'member["dave@acme.com"]')?.before?.name).toBe(NAME);

    const saved = join(o.dir, 'plan.json');
    expect((await run(o, ['plan', '--out', saved, ...f])).code).toBe(0);
    const file = readFileSync(saved, 'utf8');
    expect(file).not.toMatch(RAW);
    expect((JSON.parse(file) as { organization: { name: string } }).organization.name).toBe(ORG_NAME);

    const applied = await run(o, ['apply', '--auto-approve', ...f]);
    expect(applied.code).toBe(1);
    expectSafe(applied.stdout + applied.stderr, 'apply');
    expect(applied.stdout).toMatch(/FAILED .*not allowed\\r\\u001b\[2K/);
    // the header's C1 bytes arrive as latin-1 text (with the UTF-8 lead byte Node wrote them with)
    expect(applied.stdout).toMatch(/request-id req_.?\\u009b2K.?\\u0085\\tfake/);
    expect(applied.stdout).toMatch(/Apply incomplete: /);
  });

  it('errors on stderr: an API message and a request id with the characters stay one line', async () => {
    const o = await startOrg('console');
    orgs.push(o);
    o.proxy.setTamper((x) => (x.path === '/v1/organizations/users'
      ? { status: 403, headers: { 'content-type': 'application/json', 'request-id': REQUEST_ID }, body: JSON.stringify({ type: 'error', error: { type: 'permission_error', message: ERROR_MESSAGE } }) }
      : undefined));
    for (const cmd of [['plan', '-f', o.file], ['apply', '--auto-approve', '-f', o.file], ['import']]) {
      const out = await run(o, cmd);
      expect(out.code).toBe(1);
      expectSafe(out.stdout + out.stderr, `error: ${cmd[0]}`);
      const lines = out.stderr.split('\n').filter((l) => l.includes('not allowed'));
      expect(lines.length, out.stderr).toBe(1);
      expect(lines[0]).toMatch(/^error: GET \/v1\/organizations\/users\?limit=3 \(request-id req_.?\\u009b2K/);
      expect(lines[0]).toContain('not allowed\\r\\u001b[2K\\u001b[1A\\u009b2K\\u009b1A\\u0085\\n  + member["ok@acme.com"]');
    }
  });

  it('import: the file and stdout hold the characters escaped, and read back to the same values', async () => {
    const o = await startOrg('console');
    orgs.push(o);
    o.proxy.setTamper(lyingNames(false));
    const out = await run(o, ['import']);
    expect(out.code, out.stderr).toBe(0);
    expectSafe(out.stdout + out.stderr, 'import');
    const target = join(o.dir, 'imported.yaml');
    const written = await run(o, ['import', '-o', target]);
    expect(written.code, written.stderr).toBe(0);
    expectSafe(written.stderr, 'import -o');
    const text = readFileSync(target, 'utf8');
    expect(text).not.toMatch(RAW);
    const doc = parse(text) as { members: Record<string, unknown> };
    expect(Object.keys(doc.members)).toContain(WEIRD_EMAIL);
    expect(text).toMatch(/^# .*"Acme\\u202e/m);
  });
});

describe('values from the file', () => {
  it('a desired-state path with a line break and an ESC sequence is shown escaped', async () => {
    const o = await startOrg('console');
    orgs.push(o);
    const { copyFileSync } = await import('node:fs');
    const odd = join(o.dir, `org\n  - member["ceo@acme.com"]\u001b[2K.yaml`);
    copyFileSync(o.file, odd);
    for (const cmd of [['validate', '-f', odd], ['plan', '-f', odd], ['plan', '--format', 'markdown', '-f', odd], ['plan', '-f', join(o.dir, 'missing\n  - member["ceo@acme.com"].yaml')]]) {
      const out = await run(o, cmd);
      expectSafe(out.stdout + out.stderr, cmd.slice(0, -2).join(' '));
    }
  });
});
