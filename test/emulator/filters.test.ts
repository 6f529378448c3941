// Listing filters: `email` (case-insensitive, +tag tolerant, §5.2), `roles[]` (OR, per-kind values, §3.1) and
// `statuses[]` on invites (§6.4).

import { describe, expect, it } from 'vitest';
import { call, control, emulator, expectEnvelope } from './helpers.js';

const emails = (a: { body: { data: Array<{ email: string }> } }): string[] => a.body.data.map((x) => x.email);

describe('email filter', () => {
  it('matches case-insensitively and ignores a +tag on either side', async () => {
    const emu = await emulator({
      seed: {
        users: [
          { email: 'Jane@Example.com', role: 'user' },
          { email: 'jane+hiring@example.com', role: 'developer' },
          { email: 'janet@example.com', role: 'user' },
          { email: 'jane@other.com', role: 'user' },
        ],
      },
    });
    expect(emails(await call(emu, '/v1/organizations/users?email=jane@example.com')).sort()).toEqual([
      'Jane@Example.com',
      'jane+hiring@example.com',
    ]);
    expect(emails(await call(emu, '/v1/organizations/users?email=JANE%2Bsales@EXAMPLE.COM')).sort()).toEqual([
      'Jane@Example.com',
      'jane+hiring@example.com',
    ]);
    expect(emails(await call(emu, '/v1/organizations/users?email=nobody@example.com'))).toEqual([]);
    // Combined with roles[] and paginated like any listing.
    const dev = await call(emu, '/v1/organizations/users?email=jane@example.com&roles[]=developer');
    expect(emails(dev)).toEqual(['jane+hiring@example.com']);
    const page = await call(emu, '/v1/organizations/users?email=jane@example.com&limit=1');
    expect(page.body.has_more).toBe(true);
    const next = await call(emu, `/v1/organizations/users?email=jane@example.com&limit=1&after_id=${page.body.last_id}`);
    expect(next.body.data).toHaveLength(1);
    expect(next.body.has_more).toBe(false);
  });

  it('works on invites too', async () => {
    const emu = await emulator({
      seed: { invites: [{ email: 'Bob+x@Acme.com', role: 'user' }, { email: 'carol@acme.com', role: 'billing' }] },
    });
    expect(emails(await call(emu, '/v1/organizations/invites?email=bob@acme.com'))).toEqual(['Bob+x@Acme.com']);
  });
});

describe('roles[] filter', () => {
  const seed = {
    users: [
      { email: 'o@acme.com', role: 'owner' },
      { email: 'a@acme.com', role: 'admin' },
      { email: 'd@acme.com', role: 'developer' },
      { email: 'u@acme.com', role: 'user' },
      { email: 'b@acme.com', role: 'billing' },
    ],
  };

  it('ORs the given roles, in bracket or bare repeated form', async () => {
    const emu = await emulator({ seed });
    expect(emails(await call(emu, '/v1/organizations/users?roles[]=developer&roles[]=admin'))).toEqual([
      'd@acme.com',
      'a@acme.com',
    ]);
    expect(emails(await call(emu, '/v1/organizations/users?roles%5B%5D=user'))).toEqual(['u@acme.com']);
    expect(emails(await call(emu, '/v1/organizations/users?roles=billing&roles=owner'))).toEqual(['b@acme.com', 'o@acme.com']);
    expect(emails(await call(emu, '/v1/organizations/users?roles[]=claude_code_user'))).toEqual([]);
  });

  it('refuses roles that are not filter roles of the org kind', async () => {
    const consoleOrg = await emulator({ seed });
    for (const bad of ['managed', 'membership_admin', 'root', '']) {
      const a = await call(consoleOrg, `/v1/organizations/users?roles[]=${bad}`);
      expect(expectEnvelope(a, 400, 'invalid_request_error')).toContain('roles');
    }
    const enterprise = await emulator({
      seed: { organization: { kind: 'enterprise' }, users: [{ email: 'm@acme.com', role: 'managed' }] },
    });
    expect(emails(await call(enterprise, '/v1/organizations/users?roles[]=managed&roles[]=membership_admin'))).toEqual([
      'm@acme.com',
    ]);
    for (const bad of ['admin', 'developer', 'billing', 'claude_code_user']) {
      expectEnvelope(await call(enterprise, `/v1/organizations/users?roles[]=${bad}`), 400, 'invalid_request_error');
      expectEnvelope(await call(enterprise, `/v1/organizations/invites?roles[]=${bad}`), 400, 'invalid_request_error');
    }
  });

  it('filters a large org without losing order across pages', async () => {
    const users = Array.from({ length: 600 }, (_, i) => ({ email: `x${i}@acme.com`, role: i % 3 === 0 ? 'developer' : 'user' }));
    const emu = await emulator({ seed: { users } });
    const got: string[] = [];
    let after = '';
    for (let i = 0; i < 10; i++) {
      const page = await call(emu, `/v1/organizations/users?roles[]=developer&limit=70${after}`);
      got.push(...emails(page));
      if (!page.body.has_more) break;
      after = `&after_id=${page.body.last_id}`;
    }
    const expected = users.filter((u) => u.role === 'developer').map((u) => u.email).reverse();
    expect(got).toEqual(expected);
  });
});

describe('statuses[] filter on invites', () => {
  async function mixed() {
    const emu = await emulator({
      seed: {
        users: [{ email: 'acc@acme.com', role: 'user' }],
        invites: [
          { email: 'acc@acme.com', role: 'user', status: 'accepted' },
          { email: 'old@acme.com', role: 'user', status: 'expired' },
          { email: 'gone@acme.com', role: 'developer', status: 'deleted' },
          { email: 'soon@acme.com', role: 'developer', invited_at: new Date(Date.now() - 20 * 86_400_000).toISOString() },
          { email: 'new@acme.com', role: 'billing' },
        ],
      },
    });
    return emu;
  }

  it('omitted: pending, accepted and expired; never deleted', async () => {
    const emu = await mixed();
    expect(emails(await call(emu, '/v1/organizations/invites'))).toEqual([
      'new@acme.com',
      'acc@acme.com', // invited_at defaults to seed time, one second apart
      'soon@acme.com', // invited 20 days ago
      'old@acme.com', // expired: invited 22 days before its slot
    ]);
  });

  it('selects by status, and a pending invite past expires_at counts as expired', async () => {
    const emu = await mixed();
    expect(emails(await call(emu, '/v1/organizations/invites?statuses[]=pending'))).toEqual(['new@acme.com', 'soon@acme.com']);
    expect(emails(await call(emu, '/v1/organizations/invites?statuses[]=accepted&statuses[]=expired'))).toEqual([
      'acc@acme.com',
      'old@acme.com',
    ]);
    await control(emu, '/clock/advance', { body: { days: 2 } });
    expect(emails(await call(emu, '/v1/organizations/invites?statuses=pending'))).toEqual(['new@acme.com']);
    expect(emails(await call(emu, '/v1/organizations/invites?statuses[]=expired&roles[]=developer'))).toEqual(['soon@acme.com']);
  });

  it('refuses deleted and unknown statuses', async () => {
    const emu = await mixed();
    for (const bad of ['deleted', 'active', '']) {
      const a = await call(emu, `/v1/organizations/invites?statuses[]=${bad}`);
      expect(expectEnvelope(a, 400, 'invalid_request_error')).toContain('statuses');
    }
  });
});
