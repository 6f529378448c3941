// Issue 12 item 2: an offboarding that did not happen is never reported as success, and one organization is declared
// by one file. A departed person whose removal is manual or unavailable kept access while `plan --detailed-exitcode`
// and `apply` both exited 0 ("Nothing to apply"); two files with one organization.id both validated and applied.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Seed } from '../../src/emulator/index.js';
import { actions, desiredDoc, ORG_ID, scenario, seedOf } from './harness.js';

const DIRECTORY = 'dir_7Qx2Lm9Pz4';
const TOKEN = 'scim-tok-8Jv3Qw7Zr1Xp5Nc2';

function enterpriseWithDirectory(settings: Record<string, unknown>): Seed {
  const scim = { directory: DIRECTORY, token: TOKEN, synced: true, users: [{ userName: 'dave@acme.com' }, { userName: 'erin@acme.com' }], ...settings };
  return seedOf({ kind: 'enterprise', provisioning: 'scim', scim: scim as unknown as NonNullable<Seed['scim']> });
}
const scimDoc = () => desiredDoc({ members: { 'erin@acme.com': 'user' }, departed: { 'dave@acme.com': { date: '2026-11-01', reason: 'left' } } },
  { kind: 'enterprise', provisioning: 'scim' });

describe('e2e: a departed person who keeps access is never reported as success', () => {
  it('the SCIM directory answers 403: plan --detailed-exitcode exits 2, every view says access remains, apply exits 1', async () => {
    const s = (await scenario(enterpriseWithDirectory({ forbidden: true }), scimDoc())).useEmulatorScim(DIRECTORY, TOKEN);
    const p = await s.plan(['--detailed-exitcode']);
    expect(actions(p.plan)).toEqual(['unavailable scim_user["dave@acme.com"]']);
    expect(p.code).toBe(2);
    expect(p.plan.access_remains).toMatchObject([{ email: 'dave@acme.com', state: 'unavailable', address: 'scim_user["dave@acme.com"]' }]);

    const text = await s.run(['plan']);
    expect(text.code).toBe(0); // the plan itself worked: only --detailed-exitcode reports drift
    expect(text.stdout).toContain('Access remains for 1 departed person: offboarding is not complete');
    expect(text.stdout).toMatch(/! dave@acme\.com: the tool cannot reach the API that removes them \(departed 2026-11-01: left; cannot deprovision through SCIM: the SCIM directory answered 403/);

    const md = await s.run(['plan', '--format', 'markdown']);
    expect(md.stdout).toContain('### ⛔ Access remains for 1 departed person: offboarding is not complete');
    expect(md.stdout).toContain('- `dave@acme.com`: the API that removes them cannot be reached');

    const applied = await s.apply();
    expect(applied.code).toBe(1);
    expect(applied.stdout).toContain('Nothing to apply.');
    expect(applied.stderr).toContain('error: offboarding incomplete: 1 departed person keeps access');
    expect((await s.state()).users.map((u) => u.email)).toContain('dave@acme.com');
  });

  it('a departed admin (manual): the rest of the plan is applied, then the apply fails naming them', async () => {
    const s = await scenario(
      seedOf({ users: [{ email: 'boss@acme.com', role: 'admin' }, { email: 'a@acme.com', role: 'user' }, { email: 'b@acme.com', role: 'user' }] }),
      desiredDoc({ members: { 'a@acme.com': 'developer', 'b@acme.com': 'user' }, departed: { 'boss@acme.com': null } }),
    );
    const p = await s.plan(['--detailed-exitcode']);
    expect(p.code).toBe(2);
    expect(p.plan.access_remains).toMatchObject([{ email: 'boss@acme.com', state: 'manual' }]);
    const applied = await s.apply();
    expect(applied.code).toBe(1);
    expect(applied.stdout).toContain('1 applied, 0 failed');
    expect(applied.stderr).toContain('boss@acme.com: a person must remove them in the console');
    expect((await s.state()).users.find((u) => u.email === 'a@acme.com')?.role).toBe('developer');
    // and it stays failing until a person acts
    expect((await s.plan(['--detailed-exitcode'])).code).toBe(2);
    expect((await s.apply()).code).toBe(1);
  });

  it('removed at the next directory sync: named, drift until the sync, but the apply that deprovisioned succeeds', async () => {
    const s = (await scenario(enterpriseWithDirectory({}), scimDoc())).useEmulatorScim(DIRECTORY, TOKEN);
    const applied = await s.apply();
    expect(applied.code).toBe(0);
    const waiting = await s.plan(['--detailed-exitcode']);
    expect(waiting.code).toBe(2);
    expect(waiting.plan.access_remains).toMatchObject([{ email: 'dave@acme.com', state: 'deferred' }]);
    const again = await s.apply();
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Access remains for 1 departed person until the directory sync');
    await s.sync();
    await s.expectConverged();
  });
});

describe('e2e: one organization, one file', () => {
  it('two files of one directory with the same organization.id: validate, plan and apply refuse both, naming both, and read nothing', async () => {
    const s = await scenario(
      seedOf({ users: [{ email: 'a@acme.com', role: 'user' }, { email: 'b@acme.com', role: 'user' }] }),
      desiredDoc({}),
    );
    const dir = join(s.dir, 'orgs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'acme.yaml'), stringify(desiredDoc({ members: { 'a@acme.com': 'developer', 'b@acme.com': 'user' } })));
    // a copy someone forgot to rename: under prune it would remove what the other declares
    writeFileSync(join(dir, 'acme-copy.yaml'), stringify(desiredDoc({ policy: { removals: 'prune' }, members: { 'a@acme.com': 'user' } })));
    s.file = dir;

    const v = await s.run(['validate']);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain(`${join(dir, 'acme-copy.yaml')}:2:1: error: organization`);
    expect(v.stderr).toContain(`organization ${ORG_ID} is also declared by ${join(dir, 'acme.yaml')}:2`);
    expect(v.stderr).toContain(`organization ${ORG_ID} is also declared by ${join(dir, 'acme-copy.yaml')}:2`);

    const before = await s.state();
    const plan = await s.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('is also declared by');
    expect(plan.stdout).not.toContain('member[');
    const applied = await s.apply();
    expect(applied.code).toBe(1);
    const after = await s.state();
    expect(after.users).toEqual(before.users);
    // nothing was read: the emulator's request counters did not move
    expect(after.requests).toEqual(before.requests);
  });
});
