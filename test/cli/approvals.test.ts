// Issue 14 item 2, the pieces: `--expect-plan-hash` values (one combined hash, or ORG_ID=HASH each), and the
// difference between an approved plan and a new one, by address and by the fields plan_hash covers, printed with
// every value made visible.

import { describe, expect, it } from 'vitest';
import { differenceLine, parseApprovals } from '../../src/cli/commands/apply.js';
import { UsageError } from '../../src/errors.js';
import { planHash } from '../../src/model/plan-hash.js';
import { planDifference } from '../../src/model/plan-set.js';
import type { Change, Plan } from '../../src/model/plan.js';

const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);

function change(email: string, from: string, to: string, extra: Partial<Change> = {}): Change {
  return {
    address: `member["${email}"]`, kind: 'member', key: email, action: 'update', reason: 'role differs', id: `user_${email.length}`,
    before: { email, role: from }, after: { email, role: to }, phase: 1, depends_on: [], removal: false, fingerprint: 'f'.repeat(64), ...extra,
  } as Change;
}

function planOf(changes: Change[], extra: Partial<Plan> = {}): Plan {
  const p = {
    format_version: '2',
    organization: { id: 'org-q', name: 'Q', kind: 'console', provisioning: 'invite', credentials: { admin_key_env: 'K', base_url_env: 'U', scim_url_env: 'S', scim_token_env: 'T' } },
    desired: { file: 'q.yaml', sha256: '0'.repeat(64) },
    changes, diagnostics: [], summary: {}, blocked: false, access_remains: [],
    removals: { count: 0, limit: 10, overridden: false, addresses: [], people: { leaving: 0, total: 3, removable: 3 }, max_share: 0.5, mass: false, mass_allowed: false },
    plan_hash: '',
    ...extra,
  } as unknown as Plan;
  p.plan_hash = planHash(p);
  return p;
}

describe('--expect-plan-hash values', () => {
  it('one bare hash, or ORG_ID=HASH per organization (hex of either case)', () => {
    expect(parseApprovals([` ${H1} `])).toEqual({ bare: H1, byOrg: new Map() });
    expect(parseApprovals([`o-1=${H1}`, `o-2=${H2.toUpperCase()}`, `o-1=${H1}`]).byOrg).toEqual(new Map([['o-1', H1], ['o-2', H2]]));
    expect(parseApprovals([])).toEqual({ byOrg: new Map() });
  });

  it.each([
    [['0'], 'takes a plan_hash'],
    [[`o-1=${H1}`, `o-1=${H2}`], 'two hashes for organization o-1'],
    [[H1, `o-1=${H2}`], 'not both'],
    [[H1, H2], 'one combined plan_hash'],
    [[`=${H1}`], 'organization id is missing'],
    [['o-1=\u001b[2Jzz'], '\\u001b'],
  ])('%j is refused (%s)', (values, msg) => {
    expect(() => parseApprovals(values)).toThrow(UsageError);
    expect(() => parseApprovals(values)).toThrow(msg);
  });
});

describe('what differs from the approved plan', () => {
  it('an altered change, an added one and a dropped one, by address', () => {
    const approved = planOf([change('qa@x.io', 'user', 'developer'), change('qb@x.io', 'user', 'admin')]);
    const fresh = planOf([change('qa@x.io', 'billing', 'developer', { fingerprint: 'e'.repeat(64) }), change('qc@x.io', 'user', 'developer')]);
    const d = planDifference(approved, fresh);
    expect(d.changes.map((c) => `${c.kind} ${c.address}`)).toEqual(['altered member["qa@x.io"]', 'added member["qc@x.io"]', 'dropped member["qb@x.io"]']);
    expect(d.changes[0]!.fields).toEqual(['before', 'fingerprint']);
    expect(d.changes.map(differenceLine)).toEqual([
      '~ member["qa@x.io"] role: billing → developer (approved: role: user → developer)',
      '~ member["qc@x.io"] role: user → developer (not in the approved plan)',
      '~ member["qb@x.io"] role: user → admin (in the approved plan, not in this one)',
    ]);
  });

  it('a change that differs only in what is not shown names the fields; identical changes are not listed', () => {
    const approved = planOf([change('qa@x.io', 'user', 'developer'), change('qd@x.io', 'user', 'admin')]);
    const fresh = planOf([change('qa@x.io', 'user', 'developer', { fingerprint: 'e'.repeat(64) }), change('qd@x.io', 'user', 'admin', { reason: 'other words' })]);
    const d = planDifference(approved, fresh);
    expect(d.changes.map(differenceLine)).toEqual(['~ member["qa@x.io"] role: user → developer (approved: role: user → developer; differs in fingerprint)']);
  });

  it('the same changes in another order, and differences outside the changes', () => {
    const a = change('qa@x.io', 'user', 'developer');
    const b = change('qb@x.io', 'user', 'admin');
    expect(planDifference(planOf([a, b]), planOf([b, a]))).toEqual({ changes: [], order: true, other: [] });
    const guard = planOf([a], { removals: { ...planOf([]).removals, limit: 99 } });
    expect(planDifference(planOf([a]), guard).other).toEqual(['removal guard']);
    const elsewhere = planOf([a], { organization: { ...planOf([]).organization, credentials: { admin_key_env: 'K', base_url_env: 'ELSEWHERE', scim_url_env: 'S', scim_token_env: 'T' } } });
    expect(planDifference(planOf([a]), elsewhere).other).toEqual(['organization']);
  });

  it('values are printed escaped: a value cannot start a line or move the cursor', () => {
    const approved = planOf([change('qa@x.io', 'user', 'developer')]);
    const fresh = planOf([change('qa@x.io', 'user', 'developer\n  ~ member["qz@x.io"] role: \u001b[2K\u202eadmin')]);
    const line = differenceLine(planDifference(approved, fresh).changes[0]!);
    expect(line).not.toMatch(/[\n\u001b\u202e]/);
    expect(line).toContain('\\n');
    expect(line).toContain('\\u001b');
    expect(line).toContain('\\u202e');
  });
});
