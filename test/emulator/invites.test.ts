// The invite lifecycle (§6): create, duplicates, provisioning modes, expiry on the emulator clock, withdrawal,
// acceptance through the control endpoint, and the invitation-email counter.

import { describe, expect, it } from 'vitest';
import { call, control, emulator, expectEnvelope, INVITE_ID, USER_ID } from './helpers.js';

const DAY = 86_400_000;

describe('create', () => {
  it('creates a pending invite that expires 21 days later and counts one email', async () => {
    const emu = await emulator();
    const before = Date.parse((await control(emu, '/clock')).body.now);
    const a = await call(emu, '/v1/organizations/invites', { body: { email: 'New.Hire@Acme.com', role: 'developer' } });
    expect(a.status).toBe(200);
    const inv = a.body;
    expect(inv).toMatchObject({ type: 'invite', email: 'New.Hire@Acme.com', role: 'developer', status: 'pending', accepted_at: null, rbac_group_ids: [] });
    expect(inv.id).toMatch(INVITE_ID);
    const invited = Date.parse(inv.invited_at);
    expect(invited).toBeGreaterThanOrEqual(before);
    expect(Date.parse(inv.expires_at) - invited).toBe(21 * DAY);
    expect(emu.store.invitationEmails('new.hire@acme.com')).toBe(1);
    expect((await call(emu, `/v1/organizations/invites/${inv.id}`)).body).toEqual(inv);
    expect((await control(emu, '/state')).body.invitation_emails).toEqual({ 'new.hire@acme.com': 1 });
  });

  it('validates email and role', async () => {
    const emu = await emulator();
    const bad: unknown[] = [
      { role: 'user' },
      { email: 'not-an-address', role: 'user' },
      { email: 'a@b', role: 'user' },
      { email: ' a@b.co', role: 'user' },
      { email: 'a@b.co' },
      { email: 'a@b.co', role: 'admin' },
      { email: 'a@b.co', role: 'managed' },
      { email: 'a@b.co', role: 'root' },
      { email: 'a@b.co', role: 'user', extra: 1 },
      { email: 'a@b.co', role: 'user', rbac_group_ids: ['rbac_group_01x'] },
      { email: 'a@b.co', role: 'user', rbac_group_ids: 'nope' },
    ];
    for (const body of bad) {
      expectEnvelope(await call(emu, '/v1/organizations/invites', { body }), 400, 'invalid_request_error');
    }
    expect(emu.store.snapshot().invites).toEqual([]);
    const ok = await call(emu, '/v1/organizations/invites', { body: { email: 'a@b.co', role: 'claude_code_user', rbac_group_ids: [] } });
    expect(ok.status).toBe(200);
  });

  it('enterprise: only user and managed; groups need write:rbac_groups', async () => {
    const emu = await emulator({
      seed: {
        organization: { kind: 'enterprise' },
        admin_keys: [{ key: 'sk-ant-api01-members-only-1', scopes: ['write:members'] }],
      },
    });
    const key = 'sk-ant-api01-members-only-1';
    expect((await call(emu, '/v1/organizations/invites', { key, body: { email: 'u@acme.com', role: 'user' } })).status).toBe(200);
    // SDK 1.17: `managed` needs write:rbac_groups too (all of the scopes, not any).
    const managed = await call(emu, '/v1/organizations/invites', { key, body: { email: 'm@acme.com', role: 'managed' } });
    expect(expectEnvelope(managed, 403, 'permission_error')).toMatch(/write:members and write:rbac_groups/);
    expectEnvelope(await call(emu, '/v1/organizations/invites', { key, body: { email: 'd@acme.com', role: 'developer' } }), 400, 'invalid_request_error');
    const groups = await call(emu, '/v1/organizations/invites', {
      key,
      body: { email: 'g@acme.com', role: 'user', rbac_group_ids: ['rbac_group_01abc'] },
    });
    expect(expectEnvelope(groups, 403, 'permission_error')).toContain('write:rbac_groups');
  });

  it('refuses a second pending invite for the same address, naming the first', async () => {
    const emu = await emulator();
    const first = await call(emu, '/v1/organizations/invites', { body: { email: 'sam@acme.com', role: 'user' } });
    const again = await call(emu, '/v1/organizations/invites', { body: { email: 'SAM@acme.com', role: 'developer' } });
    expect(expectEnvelope(again, 400, 'invalid_request_error')).toContain(first.body.id);
    expect(emu.store.invitationEmails('sam@acme.com')).toBe(1);
    // A +tag address is another mailbox: it may be invited.
    expect((await call(emu, '/v1/organizations/invites', { body: { email: 'sam+2@acme.com', role: 'user' } })).status).toBe(200);
  });

  it('refuses an address that is already a member, naming the user', async () => {
    const emu = await emulator({ seed: { users: [{ email: 'Member@Acme.com', role: 'user' }] } });
    const id = emu.store.userByEmail('member@acme.com')!.id;
    const a = await call(emu, '/v1/organizations/invites', { body: { email: 'member@ACME.com', role: 'user' } });
    expect(expectEnvelope(a, 400, 'invalid_request_error')).toContain(id);
    expect(emu.store.invitationEmails('member@acme.com')).toBe(0);
  });

  it('refuses invites when JIT or SCIM provisions users', async () => {
    for (const provisioning of ['jit', 'scim'] as const) {
      for (const kind of ['console', 'enterprise'] as const) {
        const emu = await emulator({ seed: { organization: { kind, provisioning } } });
        const a = await call(emu, '/v1/organizations/invites', { body: { email: 'x@acme.com', role: 'user' } });
        expect(expectEnvelope(a, 400, 'invalid_request_error')).toContain(provisioning.toUpperCase());
        expect(emu.store.invitationEmails('x@acme.com')).toBe(0);
        await emu.close();
      }
    }
  });
});

describe('expiry on the emulator clock', () => {
  it('a pending invite reads as expired once expires_at passes; then a new invite may be sent', async () => {
    const emu = await emulator();
    const inv = (await call(emu, '/v1/organizations/invites', { body: { email: 'late@acme.com', role: 'user' } })).body;
    await control(emu, '/clock/advance', { body: { days: 20, seconds: 86_399 } });
    expect((await call(emu, `/v1/organizations/invites/${inv.id}`)).body.status).toBe('pending');
    const now = (await control(emu, '/clock/advance', { body: { seconds: 2 } })).body.now;
    expect(Date.parse(now)).toBeGreaterThan(Date.parse(inv.expires_at));
    expect((await call(emu, `/v1/organizations/invites/${inv.id}`)).body.status).toBe('expired');
    expectEnvelope(await call(emu, `/v1/organizations/invites/${inv.id}`, { method: 'DELETE' }), 400, 'invalid_request_error');
    const again = await call(emu, '/v1/organizations/invites', { body: { email: 'late@acme.com', role: 'user' } });
    expect(again.status).toBe(200);
    expect(Date.parse(again.body.invited_at)).toBeGreaterThanOrEqual(Date.parse(now));
    expect(emu.store.invitationEmails('late@acme.com')).toBe(2);
    expectEnvelope(await control(emu, `/invites/${inv.id}/accept`, { body: {} }), 400, 'invalid_request_error');
  });
});

describe('withdraw', () => {
  it('only a pending invite; it then reads as deleted and leaves the listing', async () => {
    const emu = await emulator();
    const inv = (await call(emu, '/v1/organizations/invites', { body: { email: 'w@acme.com', role: 'billing' } })).body;
    const del = await call(emu, `/v1/organizations/invites/${inv.id}`, { method: 'DELETE' });
    expect(del.body).toEqual({ id: inv.id, type: 'invite_deleted' });
    expect((await call(emu, `/v1/organizations/invites/${inv.id}`)).body.status).toBe('deleted');
    expect((await call(emu, '/v1/organizations/invites')).body.data).toEqual([]);
    expectEnvelope(await call(emu, `/v1/organizations/invites/${inv.id}`, { method: 'DELETE' }), 400, 'invalid_request_error');
    expectEnvelope(await call(emu, '/v1/organizations/invites/invite_01nothere', { method: 'DELETE' }), 404, 'not_found_error');
    // The state still shows it, and a new invite to the address is allowed.
    expect((await control(emu, '/state')).body.invites.map((i: { status: string }) => i.status)).toEqual(['deleted']);
    expect((await call(emu, '/v1/organizations/invites', { body: { email: 'w@acme.com', role: 'user' } })).status).toBe(200);
  });

  it('an accepted invite cannot be withdrawn ("remove the member instead")', async () => {
    const emu = await emulator();
    const inv = (await call(emu, '/v1/organizations/invites', { body: { email: 'acc@acme.com', role: 'user' } })).body;
    await control(emu, '/invites/accept', { body: { email: 'ACC@acme.com' } });
    const a = await call(emu, `/v1/organizations/invites/${inv.id}`, { method: 'DELETE' });
    expect(expectEnvelope(a, 400, 'invalid_request_error')).toMatch(/remove the member/);
  });
});

describe('acceptance (control endpoint)', () => {
  it('creates a member with the invite role and marks the invite accepted', async () => {
    const emu = await emulator();
    const inv = (await call(emu, '/v1/organizations/invites', { body: { email: 'joiner@acme.com', role: 'claude_code_user' } })).body;
    await control(emu, '/clock/advance', { body: { days: 3 } });
    const a = await control(emu, `/invites/${inv.id}/accept`, { body: { name: 'Jo Iner' } });
    expect(a.status).toBe(200);
    expect(a.body.user).toMatchObject({ type: 'user', email: 'joiner@acme.com', name: 'Jo Iner', role: 'claude_code_user' });
    expect(a.body.user.id).toMatch(USER_ID);
    expect(a.body.invite.status).toBe('accepted');
    expect(a.body.invite.accepted_at).toBe(a.body.user.added_at);
    expect(Date.parse(a.body.invite.accepted_at) - Date.parse(inv.invited_at)).toBeGreaterThanOrEqual(3 * DAY);
    const users = (await call(emu, '/v1/organizations/users')).body.data;
    expect(users.map((u: { email: string }) => u.email)).toEqual(['joiner@acme.com']);
    const accepted = await call(emu, '/v1/organizations/invites?statuses[]=accepted');
    expect(accepted.body.data.map((i: { id: string }) => i.id)).toEqual([inv.id]);
    // The member now blocks a new invite; a second accept is refused.
    expectEnvelope(await call(emu, '/v1/organizations/invites', { body: { email: 'joiner@acme.com', role: 'user' } }), 400, 'invalid_request_error');
    expectEnvelope(await control(emu, `/invites/${inv.id}/accept`, { method: 'POST' }), 400, 'invalid_request_error');
  });

  it('accept by email: the pending invite, or 400 when it is not pending, 404 when there is none', async () => {
    const emu = await emulator({ seed: { invites: [{ email: 'old@acme.com', role: 'user', status: 'expired' }] } });
    await call(emu, '/v1/organizations/invites', { body: { email: 'p@acme.com', role: 'developer' } });
    expect((await control(emu, '/invites/accept', { body: { email: 'P@acme.com' } })).body.user.role).toBe('developer');
    expect((await control(emu, '/invites/accept', { body: { email: 'p@acme.com' } })).status).toBe(400);
    expectEnvelope(await control(emu, '/invites/accept', { body: { email: 'old@acme.com' } }), 400, 'invalid_request_error');
    expectEnvelope(await control(emu, '/invites/accept', { body: { email: 'none@acme.com' } }), 404, 'not_found_error');
    expectEnvelope(await control(emu, '/invites/invite_01nothere/accept', { method: 'POST' }), 404, 'not_found_error');
  });
});

describe('invitation emails', () => {
  it('one per successful create; refused creates send none', async () => {
    const emu = await emulator({ seed: { users: [{ email: 'm@acme.com', role: 'user' }] } });
    const tries = [
      { email: 'a@acme.com', role: 'user' },
      { email: 'A@acme.com', role: 'user' }, // duplicate pending
      { email: 'm@acme.com', role: 'user' }, // member
      { email: 'b@acme.com', role: 'admin' }, // bad role
    ];
    const statuses = [];
    for (const body of tries) statuses.push((await call(emu, '/v1/organizations/invites', { body })).status);
    expect(statuses).toEqual([200, 400, 400, 400]);
    expect((await control(emu, '/state')).body.invitation_emails).toEqual({ 'a@acme.com': 1 });
  });
});
