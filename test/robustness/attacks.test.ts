// Issue 12, after the fixes: what an attacker tried next against the scrub, the escapes and the outputs, each kept
// as a test. A secret split between two writes is in test/cli/output.test.ts (SafeOutput); a key in a SCIM error
// `detail` is in secrets.test.ts.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectNoWindow, FAKE_SCIM_TOKEN, FAST_CLIENT, runIn, STACK_TRACE } from './helpers.js';
import { editJson, type Answer, type Exchange } from './proxy.js';
import { startOrg, type Org } from './scenarios.js';

const orgs: Org[] = [];
afterEach(async () => {
  for (const o of orgs.splice(0)) await o.close();
});

const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;

function named(name: (x: Exchange) => string, orgName?: string): (x: Exchange) => Answer | undefined {
  return (x) => {
    if (orgName !== undefined && x.path === '/v1/organizations/me' && x.status === 200) return editJson(x, (b) => void (b.name = orgName));
    if (x.path === '/v1/organizations/users' && x.status === 200) {
      return editJson(x, (b) => {
        for (const u of b.data as Array<Record<string, unknown>>) if (u.email === 'dave@acme.com') u.name = name(x);
      });
    }
    return undefined;
  };
}

describe('what an attacker tried next', () => {
  it('an organization name and a member name of 10,000 ESC characters: markdown stays under the comment limit', async () => {
    const o = await startOrg('console');
    orgs.push(o);
    const esc = '\u001b'.repeat(10_000);
    o.proxy.setTamper(named(() => esc, esc));
    const md = await runIn(['plan', '--format', 'markdown', '-f', o.file], { env: o.env, clientOptions: FAST_CLIENT });
    expect(md.code, md.stderr).toBe(0);
    // GitHub refuses a comment over 65,536 characters; the renderer keeps 60,000
    expect(md.stdout.length).toBeLessThanOrEqual(60_000);
    expect(md.stdout).not.toMatch(RAW);
    expect(md.stdout).toMatch(/more characters\)/);
    expect(md.stdout).toContain('member["dave@acme.com"]');
    const text = await runIn(['plan', '-f', o.file], { env: o.env, clientOptions: FAST_CLIENT });
    expect(text.stdout).not.toMatch(RAW);
    expect(text.stdout).toContain('\\u001b'.repeat(100));
  });

  it('a key with a quote and a backslash, echoed as a name: the JSON plan stays JSON, and holds no piece of the key', async () => {
    const key = 'sk-ant-admin01-QUOTE"and\\back\\slash-0a1b2c3d4e5f6g7h8i9j-KLMNOPqrstuv';
    const o = await startOrg('console', { adminKey: key });
    orgs.push(o);
    // pieces of the key that start and end at every offset around the quote and the backslashes, so that a range
    // of the JSON text starts or ends inside an escape (\" or \\)
    o.proxy.setTamper(named((x) => {
      const k = String(x.headers['x-api-key']);
      const pieces: string[] = [];
      for (let i = 14; i < 36; i += 1) pieces.push(k.slice(i), k.slice(0, i + 10), k.slice(i, i + 12));
      return pieces.join(' ');
    }));
    const json = await runIn(['plan', '--format', 'json', '-f', o.file], { env: o.env, clientOptions: FAST_CLIENT });
    expect(json.code, json.stderr).toBe(0);
    const plan = JSON.parse(json.stdout) as { changes: Array<{ address: string; before: { name?: string } | null }> };
    expect(plan.changes.find((c) => c.address === 'member["dave@acme.com"]')?.before?.name).toMatch(/\[redacted\]/);
    expectNoWindow(json.stdout, 'json', [key]);
    const saved = join(o.dir, 'plan.json');
    expect((await runIn(['plan', '--out', saved, '-f', o.file], { env: o.env, clientOptions: FAST_CLIENT })).code).toBe(0);
    expect(() => JSON.parse(readFileSync(saved, 'utf8'))).not.toThrow();
    expectNoWindow(readFileSync(saved, 'utf8'), 'saved plan', [key]);
  });

  it('a saved plan that had a piece of the key scrubbed no longer matches its hash: apply refuses it', async () => {
    const o = await startOrg('console');
    orgs.push(o);
    o.proxy.setTamper(named((x) => `echo ${String(x.headers['x-api-key']).slice(20, 50)}`));
    const saved = join(o.dir, 'scrubbed.json');
    const plan = await runIn(['plan', '--out', saved, '-f', o.file], { env: o.env, clientOptions: FAST_CLIENT });
    expect(plan.code, plan.stderr).toBe(0);
    expect(readFileSync(saved, 'utf8')).toContain('echo [redacted]');
    const apply = await runIn(['apply', saved], { env: o.env, clientOptions: FAST_CLIENT });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toMatch(/plan_hash does not match its contents/);
  });

  it('validate never reads credentials, yet prints no token that was pasted into the file', async () => {
    const o = await startOrg('console');
    orgs.push(o);
    const token = 'tokZZ9f8e7d6c5b4a3210ZyXwVuTsRqPONM';
    const bad = join(o.dir, 'pasted.yaml');
    writeFileSync(bad, `version: 1\norganization: {id: 11111111-2222-4333-8444-555555555555, kind: console}\nmembers:\n  a@acme.com: ${token}\n`);
    const out = await runIn(['validate', '-f', bad], { env: { CLAUDE_SCIM_TOKEN: token } });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/:4:\d+: error: /);
    expectNoWindow(out.stdout + out.stderr, 'validate', [token]);
  });

  it('--out with a line break in its name: the saved line is one line, escaped', async () => {
    const o = await startOrg('console');
    orgs.push(o);
    const odd = join(o.dir, 'plan\nSaved the plan to passwd.json');
    const out = await runIn(['plan', '--out', odd, '-f', o.file], { env: o.env, clientOptions: FAST_CLIENT });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain('plan\\nSaved the plan to passwd.json');
    expect(out.stderr).not.toMatch(/^Saved the plan to passwd/m);
    expect(readFileSync(odd, 'utf8')).toContain('"plan_hash"');
  });

  it('a token or key with an invisible character inside is refused, and not printed', async () => {
    const o = await startOrg('enterprise');
    orgs.push(o);
    for (const [name, value] of [['CLAUDE_SCIM_TOKEN', `${FAKE_SCIM_TOKEN.slice(0, 20)}\u200b${FAKE_SCIM_TOKEN.slice(20)}`], ['ANTHROPIC_ADMIN_KEY', `${o.env.ANTHROPIC_ADMIN_KEY!.slice(0, 30)}\u00a0${o.env.ANTHROPIC_ADMIN_KEY!.slice(30)}`]] as const) {
      const out = await runIn(['plan', '-f', o.file], { env: { ...o.env, [name]: value }, clientOptions: FAST_CLIENT });
      expect(out.code).toBe(1);
      expect(out.stderr).toMatch(new RegExp(`^error: ${name} contains whitespace or control characters`, 'm'));
      expect(out.stderr).not.toMatch(STACK_TRACE);
      expectNoWindow(out.stdout + out.stderr, name, [value.replace(/[\u200b\u00a0]/, '')]);
    }
  });
});
