// `plan --format markdown` through the CLI: the sticky-comment marker, the summary, and the plan_hash the apply
// workflow reads back from the comment (the last 64-hex code span) equal to the JSON plan's hash.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { desiredDoc, scenario, seedOf } from './harness.js';

const lastHash = (md: string) => [...md.matchAll(/`([0-9a-f]{64})`/g)].pop()?.[1];

describe('e2e: plan --format markdown', () => {
  it('one organization: marker first, summary, destructive changes, and the plan_hash the workflow extracts', async () => {
    const s = await scenario(
      seedOf({ users: [{ email: 'a@acme.com', role: 'user' }, { email: 'gone@acme.com', role: 'user' }] }),
      desiredDoc({ members: { 'a@acme.com': 'developer' }, departed: { 'gone@acme.com': null } }),
    );
    const md = await s.run(['plan', '--format', 'markdown', '--out', join(s.dir, 'plan.json')]);
    expect(md.code).toBe(0);
    expect(md.stdout.startsWith('<!-- claude-reconcile:plan')).toBe(true);
    expect(md.stdout).toContain('Destructive');
    expect(md.stdout).toContain('gone@acme.com');
    const { plan } = await s.plan();
    expect(lastHash(md.stdout)).toBe(plan.plan_hash);
  });

  it('a directory: one comment for all organizations, ending with the hash --expect-plan-hash checks', async () => {
    const s = await scenario(seedOf({ users: [{ email: 'a@acme.com', role: 'user' }] }), desiredDoc({ members: { 'a@acme.com': 'developer' } }));
    // a second organization (one organization, one file), with its own credential variables
    const OTHER = '99999999-2222-4333-8444-555555555555';
    const b = await scenario(seedOf({ orgId: OTHER, users: [{ email: 'a@beta.com', role: 'user' }] }), desiredDoc({}));
    const dir = join(s.dir, 'orgs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'one.yaml'), stringify(desiredDoc({ members: { 'a@acme.com': 'developer' } })));
    writeFileSync(join(dir, 'two.yaml'), stringify(desiredDoc({ members: { 'a@beta.com': 'billing' } }, { id: OTHER, credentials: { base_url_env: 'BETA_URL' } })));
    s.extraEnv = { BETA_URL: b.emu.url };
    s.file = dir;
    const md = await s.run(['plan', '--format', 'markdown']);
    expect(md.stdout.match(/<!-- claude-reconcile:plan/g)!.length).toBeGreaterThanOrEqual(1);
    expect(md.stdout).toContain('one.yaml');
    expect(md.stdout).toContain('two.yaml');
    const set = JSON.parse((await s.run(['plan', '--format', 'json'])).stdout) as { plan_hash: string };
    expect(lastHash(md.stdout)).toBe(set.plan_hash);
    expect((await s.run(['apply', '--auto-approve', '--expect-plan-hash', lastHash(md.stdout)!])).code).toBe(0);
  });
});
