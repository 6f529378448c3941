// The executor decides by `error_code` (API version 2026-10-21, issue 13): a refusal only a person can resolve is
// `manual`, not failed; `already_member` on an invite is in place; any other code, or none, is a failure. Through
// applyPlan with a fake writer that throws the client's own ApiError. No HTTP.

import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/run.js';
import { ApiError } from '../../src/errors.js';
import { createExecutor, type AdminWriter } from '../../src/executor/index.js';
import type { Change, Plan } from '../../src/model/plan.js';
import { renderApplySummary, renderResultLine } from '../../src/render/text.js';
import { barePlan, looseChange, type LooseChange } from '../builders.js';

function ch(kind: Change['kind'], key: string, action: Change['action'], extra: Partial<LooseChange> = {}): Change {
  return looseChange({ address: `${kind}["${key}"]`, kind, key, action, reason: 'r', phase: 1, before: null, after: null, depends_on: [], removal: false, ...extra });
}

function planOf(changes: Change[]): Plan {
  return barePlan(changes, 'enterprise');
}

function refusal(status: number, code: string | undefined, path: string): ApiError {
  return new ApiError({ status, errorType: 'invalid_request_error', errorCode: code, apiMessage: 'refused', request: { method: 'POST', path }, retryable: false });
}

/** A writer whose every method throws the error given for it (or succeeds), recording the calls. */
function writer(errors: Partial<Record<keyof AdminWriter, ApiError>>): { admin: AdminWriter; calls: string[] } {
  const calls: string[] = [];
  const admin = new Proxy({} as AdminWriter, {
    get: (_t, name: string) => async () => {
      calls.push(name);
      const e = errors[name as keyof AdminWriter];
      if (e) throw e;
      return { id: `made-${name}` };
    },
  });
  return { admin, calls };
}

describe('apply: refusals by error_code', () => {
  it('rbac_group_grants_owner_access on a group member add is MANUAL, with what to do; its dependents are skipped', async () => {
    const { admin } = writer({ addRbacGroupMember: refusal(400, 'rbac_group_grants_owner_access', '/v1/organizations/rbac_groups/g/members') });
    const add = ch('group_member', 'Founders/a@acme.com', 'create', { after: { group: 'Founders', group_id: 'g', user_id: 'u' } });
    const after = ch('member', 'a@acme.com', 'update', { id: 'u', after: { role: 'user' }, depends_on: [add.address] });
    const results = await applyPlan(planOf([add, after]), createExecutor({ admin }));
    expect(results[0]).toMatchObject({ status: 'manual' });
    expect(results[0]!.message).toContain('owner access');
    expect(results[0]!.message).toContain("Claude's admin settings");
    expect(results[1]).toMatchObject({ status: 'skipped' });
    const line = renderResultLine(results[0]!, { color: false });
    expect(line).toMatch(/^MANUAL /);
    const summary = renderApplySummary(results, { color: false });
    expect(summary).toContain('Apply incomplete');
    expect(summary).toContain('1 left to a person');
  });

  it('the same code on a group deletion, and rbac_group_owner_access_unconfirmed on a removal, are manual too', async () => {
    const { admin } = writer({
      deleteRbacGroup: refusal(400, 'rbac_group_grants_owner_access', '/v1/organizations/rbac_groups/g'),
      removeRbacGroupMember: refusal(400, 'rbac_group_owner_access_unconfirmed', '/v1/organizations/rbac_groups/h/members/u'),
    });
    const results = await applyPlan(planOf([
      ch('group', 'Founders', 'delete', { id: 'g' }),
      ch('group_member', 'Ops/a@acme.com', 'delete', { before: { group: 'Ops', group_id: 'h', user_id: 'u' } }),
    ]), createExecutor({ admin }));
    expect(results.map((r) => r.status)).toEqual(['manual', 'manual']);
    expect(results[1]!.message).toContain('rbac_group_owner_access_unconfirmed');
  });

  it('cannot_remove_last_member on a member removal is manual; on another kind it is a failure', async () => {
    const { admin } = writer({ deleteUser: refusal(400, 'cannot_remove_last_member', '/v1/organizations/users/u') });
    const [r] = await applyPlan(planOf([ch('member', 'a@acme.com', 'delete', { id: 'u' })]), createExecutor({ admin }));
    expect(r).toMatchObject({ status: 'manual' });
    expect(r!.message).toContain('last member');
    const other = writer({ deleteInvite: refusal(400, 'cannot_remove_last_member', '/v1/organizations/invites/i') });
    const [f] = await applyPlan(planOf([ch('invite', 'a@acme.com', 'delete', { id: 'i' })]), createExecutor({ admin: other.admin }));
    expect(f).toMatchObject({ status: 'failed' });
  });

  it('already_member on an invite is in place: no second call, the next plan checks the role', async () => {
    const w = writer({ createInvite: refusal(400, 'already_member', '/v1/organizations/invites') });
    const [r] = await applyPlan(planOf([ch('invite', 'n@acme.com', 'create', { after: { email: 'n@acme.com', role: 'user' } })]), createExecutor({ admin: w.admin }));
    expect(r).toMatchObject({ status: 'in_place' });
    expect(r!.message).toContain('already a member');
    expect(w.calls).toEqual(['createInvite']);
  });

  it('an invite the client found already pending (invite_already_exists) with another role is not called applied', async () => {
    const admin = new Proxy({} as AdminWriter, { get: () => async () => ({ id: 'invite_01Earlier', role: 'developer' }) });
    const planned = (role: string) => ch('invite', 'n@acme.com', 'create', { after: { email: 'n@acme.com', role } });
    const [r] = await applyPlan(planOf([planned('user')]), createExecutor({ admin }));
    expect(r).toMatchObject({ status: 'failed' });
    expect(r!.message).toContain('a pending invite for n@acme.com as developer exists (invite_01Earlier)');
    const [same] = await applyPlan(planOf([planned('developer')]), createExecutor({ admin }));
    expect(same).toMatchObject({ status: 'applied', id: 'invite_01Earlier' });
  });

  it('an unknown code, a known code under another kind, or no code at all is a failure carrying the code', async () => {
    const { admin } = writer({
      updateUser: refusal(400, 'some_future_code', '/v1/organizations/users/u'),
      addWorkspaceMember: refusal(400, undefined, '/v1/organizations/workspaces/w/members'),
    });
    const results = await applyPlan(planOf([
      ch('member', 'a@acme.com', 'update', { id: 'u', after: { role: 'developer' } }),
      ch('workspace_member', 'R/a@acme.com', 'create', { after: { workspace: 'R', workspace_id: 'w', user_id: 'u', role: 'workspace_user' } }),
    ]), createExecutor({ admin }));
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(results[0]!.message).toContain('(some_future_code)');
  });
});

describe('apply: the beta sign-out\'s refusals (issue 17 item 2)', () => {
  const signOut = () => ch('sign_out', 'dave@acme.com', 'create', { id: 'u', phase: 55, after: { email: 'dave@acme.com', user_id: 'u' } });
  const removal = () => ch('member', 'dave@acme.com', 'delete', { id: 'u', phase: 60, before: { role: 'user', email: 'dave@acme.com' } });

  it('a sign-out calls signOutUser with the member id, then the removal runs', async () => {
    const w = writer({});
    const results = await applyPlan(planOf([signOut(), removal()]), createExecutor({ admin: w.admin }));
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(w.calls).toEqual(['signOutUser', 'deleteUser']);
  });

  it.each([
    [400, 'cannot_sign_out_primary_owner', 'primary owner'],
    [400, 'cannot_sign_out_self', 'the admin key acts for'],
    [403, 'cannot_sign_out_managed_member', 'write:rbac_groups'],
    [403, 'cannot_sign_out_membership_admin', 'membership admin'],
    [403, 'cannot_sign_out_owner', 'an owner'],
    [403, 'cannot_sign_out_privileged_member', 'owner or membership admin'],
    [400, 'organization_not_enrolled_in_beta', 'set policy.sign_out_on_removal: false or sign them out in the console'],
  ])('%i %s is MANUAL with what to do, and the removal still runs', async (status, code, says) => {
    const w = writer({ signOutUser: refusal(status, code, '/v1/organizations/users/u/sign_out') });
    const results = await applyPlan(planOf([signOut(), removal()]), createExecutor({ admin: w.admin }));
    expect(results.map((r) => r.status)).toEqual(['manual', 'applied']);
    expect(results[0]!.message).toContain(code);
    expect(results[0]!.message).toContain(says);
    expect(w.calls).toEqual(['signOutUser', 'deleteUser']);
  });

  it('a sign-out that fails otherwise is a failure, and the removal still runs (it does not depend on it)', async () => {
    const w = writer({ signOutUser: refusal(400, undefined, '/v1/organizations/users/u/sign_out') });
    const results = await applyPlan(planOf([signOut(), removal()]), createExecutor({ admin: w.admin }));
    expect(results.map((r) => r.status)).toEqual(['failed', 'applied']);
  });

  it('a sign-out code on another kind is a failure', async () => {
    const w = writer({ deleteUser: refusal(400, 'cannot_sign_out_self', '/v1/organizations/users/u') });
    const [r] = await applyPlan(planOf([removal()]), createExecutor({ admin: w.admin }));
    expect(r).toMatchObject({ status: 'failed' });
  });
});
