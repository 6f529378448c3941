// Which changes are removals, derived from the changes alone (issue 12: `apply PLANFILE` recounts a saved plan's
// removals from here, never from a field), and the mass-removal rule.

import { describe, expect, it } from 'vitest';
import { address } from '../../src/model/address.js';
import type { Attrs, Change } from '../../src/model/plan.js';
import { looseChange } from '../builders.js';
import { computeGuard, guardBlocks, isMassRemoval, isRemoval, peopleLeaving, removalAddresses } from '../../src/model/removals.js';

function ch(kind: Change['kind'], key: string, action: Change['action'], before: Attrs | null = null, after: Attrs | null = null): Change {
  return looseChange({ address: address(kind, key), kind, key, action, reason: 'r', phase: 10, before, after, depends_on: [], removal: false });
}

describe('isRemoval', () => {
  const none = new Set<string>();
  it.each([
    [ch('member', 'a@x.io', 'delete'), true],
    [ch('member', 'a@x.io', 'update', { role: 'developer' }, { role: 'user' }), true],
    [ch('member', 'a@x.io', 'update', { role: 'user' }, { role: 'developer' }), false],
    [ch('member', 'a@x.io', 'manual', { role: 'admin' }), false],
    [ch('invite', 'a@x.io', 'delete'), true],
    [ch('invite', 'a@x.io', 'replace', { role: 'user' }, { role: 'developer' }), false],
    [ch('invite', 'a@x.io', 'create', null, { role: 'user' }), false],
    [ch('scim_user', 'a@x.io', 'delete'), true],
    [ch('scim_user', 'a@x.io', 'update', { active: true }, { active: false }), true],
    [ch('scim_user', 'a@x.io', 'update', { active: false }, { active: true }), false],
    [ch('workspace', 'W', 'delete'), true],
    [ch('workspace', 'W', 'update', { name: 'V' }, { name: 'W' }), false],
    [ch('workspace_member', 'W/a@x.io', 'update', { role: 'workspace_admin' }, { role: 'workspace_user' }), true],
    [ch('workspace_member', 'W/a@x.io', 'update', { role: 'workspace_user' }, { role: 'workspace_developer' }), false],
    [ch('workspace_member', 'W/a@x.io', 'delete'), true],
    [ch('group', 'G', 'delete'), true],
    [ch('group_member', 'G/a@x.io', 'delete'), true],
    [ch('scim_group', 'G', 'delete'), true],
    [ch('scim_group_member', 'G/a@x.io', 'delete', { user: 'a@x.io' }), true],
    [ch('api_key', 'k', 'update', { status: 'active' }, { status: 'inactive' }), false],
    [ch('member', 'a@x.io', 'unavailable'), false],
    [ch('service_account', 'bot', 'delete', { role: 'developer' }), true],
    [ch('service_account', 'bot', 'update', { role: 'admin' }, { role: 'developer' }), true],
    [ch('service_account', 'bot', 'update', { role: 'developer' }, { role: 'admin' }), false],
    [ch('service_account_workspace', 'bot/W', 'delete', { role: 'workspace_user' }), true],
    [ch('service_account_workspace', 'bot/W', 'update', { role: 'workspace_developer' }, { role: 'workspace_user' }), true],
    [ch('service_account_workspace', 'bot/W', 'update', { role: 'workspace_user' }, { role: 'workspace_admin' }), false],
    [ch('sign_out', 'a@x.io', 'create', null, { email: 'a@x.io' }), false],
  ])('%# %o → %s', (c, expected) => {
    expect(isRemoval(c, none)).toBe(expected);
  });

  it('removing a leaving person from a SCIM group is part of their removal, not a second one', () => {
    const changes = [ch('scim_user', 'A@x.io', 'delete'), ch('scim_group_member', 'G/a@x.io', 'delete', { user: 'a@X.io' })];
    expect([...peopleLeaving(changes)]).toEqual(['a@x.io']);
    expect(removalAddresses(changes)).toEqual(['scim_user["A@x.io"]']);
  });
});

describe('the mass-removal rule', () => {
  it.each([
    [1, { total: 2, removable: 1 }, 0.5, false],
    [2, { total: 10, removable: 2 }, 0.5, true],
    [5, { total: 10, removable: 9 }, 0.5, false],
    [6, { total: 10, removable: 9 }, 0.5, true],
    [3, { total: 10, removable: 9 }, 0.25, true],
    [2, { total: 100, removable: 50 }, 1, false],
  ])('%i leaving of %o, share %f → %s', (leaving, population, share, expected) => {
    expect(isMassRemoval(leaving, population, share)).toBe(expected);
  });

  it('the guard blocks on either rule, and each override lifts only its own', () => {
    const changes = ['a', 'b', 'c'].map((n) => ch('member', `${n}@x.io`, 'delete'));
    const g = (limit: number, massAllowed: boolean) =>
      computeGuard(changes, { limit, overridden: false, population: { total: 4, removable: 3 }, maxShare: 0.5, massAllowed });
    expect(guardBlocks(g(10, false))).toBe(true);
    expect(guardBlocks(g(10, true))).toBe(false);
    expect(guardBlocks(g(2, true))).toBe(true);
    expect(g(10, false)).toMatchObject({ count: 3, mass: true, people: { leaving: 3, total: 4, removable: 3 } });
  });
});
