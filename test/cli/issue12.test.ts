// Issue 12 reproduced through the CLI against the emulator, as the attacker ran it: a look-alike address under
// `removals: prune` removed the real alice@acme.com, and a departure dated in 2099 removed alice at once.

import { describe, expect, it } from 'vitest';
import { desiredDoc, scenario, seedOf } from '../e2e/harness.js';

const users = [
  { email: 'alice@acme.com', role: 'developer', name: 'Alice' },
  { email: 'bob@acme.com', role: 'user', name: 'Bob' },
];

describe('a look-alike address under removals: prune', () => {
  it('is refused at plan and apply with its line and column; nothing is read or changed, alice stays', async () => {
    const text = [
      'version: 1',
      'organization:',
      '  id: 11111111-2222-4333-8444-555555555555',
      '  kind: console',
      'policy:',
      '  removals: prune',
      'members:',
      '  \u0430lice@acme.com: developer', // Cyrillic а
      '  bob@acme.com: user',
      '',
    ].join('\n');
    const s = await scenario(seedOf({ users }), text);
    const before = await s.state();
    const requestsBefore = JSON.stringify(before.requests);

    const plan = await s.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(`${s.file}:8:3: error: members["\\u0430lice@acme.com"]: not one plain email address: it ` +
      'contains U+0430 CYRILLIC SMALL LETTER A mixed with Latin letters in the local part');
    expect(plan.stderr).not.toContain('\u0430');

    const apply = await s.apply();
    expect(apply.code).toBe(1);
    const after = await s.state();
    expect(after.users.map((u) => u.email).sort()).toEqual(['alice@acme.com', 'bob@acme.com']);
    expect(after.invites).toEqual([]);
    expect(JSON.stringify(after.requests)).toBe(requestsBefore); // not even read
  });
});

describe('a departure dated in the future', () => {
  it('is a note until the day and a removal from it (UTC), through plan and apply', async () => {
    const s = await scenario(seedOf({ users }), desiredDoc({
      members: { 'bob@acme.com': 'user' },
      departed: { 'alice@acme.com': { date: '2099-01-01', reason: 'contract ends' } },
    }));
    const dayBefore = new Date('2098-12-31T23:59:59Z');
    const early = await s.plan(['--detailed-exitcode'], { now: dayBefore });
    expect(early.code).toBe(0);
    expect(early.plan.changes).toEqual([]);
    expect(early.plan.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([['info', 'scheduled_departure', 8]]);
    const applied = await s.run(['apply', '--auto-approve'], { now: dayBefore });
    expect(applied.code).toBe(0);
    expect((await s.state()).users.map((u) => u.email).sort()).toEqual(['alice@acme.com', 'bob@acme.com']);

    const onTheDay = new Date('2099-01-01T00:00:00Z');
    const due = await s.plan([], { now: onTheDay });
    expect(due.plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['delete member["alice@acme.com"]']);
    expect((await s.run(['apply', '--auto-approve'], { now: onTheDay })).code).toBe(0);
    expect((await s.state()).users.map((u) => u.email)).toEqual(['bob@acme.com']);
  });
});
