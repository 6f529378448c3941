// Organization role rules per org kind (§3.1), read from the wire constants so the emulator never depends on the
// planner's model.

import { badRequest } from './failure.js';
import type { WireOrgKind } from '../clients/wire.js';
import { ASSIGNABLE_ROLES, FILTERABLE_ROLES, KEEP_ONLY_ROLES } from './role-tables.js';

/** Roles the API sets on invite creation and user update for this kind. */
export function isAssignable(kind: WireOrgKind, role: string): boolean {
  return (ASSIGNABLE_ROLES[kind] as readonly string[]).includes(role);
}

/** Roles a member may hold but the API never sets, changes or removes (§3.1, §5.4, §5.5). */
export function isKeepOnly(kind: WireOrgKind, role: string): boolean {
  return (KEEP_ONLY_ROLES[kind] as readonly string[]).includes(role);
}

/** Values the `roles[]` filter accepts for this kind (§3.1). */
export function isFilterable(kind: WireOrgKind, role: string): boolean {
  return (FILTERABLE_ROLES[kind] as readonly string[]).includes(role);
}

/** Roles a member of this kind of org can hold at all: assignable or keep-only. */
export function canHold(kind: WireOrgKind, role: string): boolean {
  return isAssignable(kind, role) || isKeepOnly(kind, role);
}

export function assignableList(kind: WireOrgKind): string {
  return ASSIGNABLE_ROLES[kind].join(', ');
}

export function filterableList(kind: WireOrgKind): string {
  return FILTERABLE_ROLES[kind].join(', ');
}

const BODY_ROLE_ENUM = ['billing', 'claude_code_user', 'developer', 'managed', 'user'];

/**
 * The role in an invite or a user update must be assignable for this kind (§3.1, §5.4, §6.3). A keep-only role
 * ("admin cannot be assigned through the API"; Enterprise owner/membership_admin/primary_owner) and a role of the
 * other kind are both 400s; §3.1 notes the exact status for the latter is inferred.
 */
export function assertAssignable(kind: WireOrgKind, role: string): void {
  if (isAssignable(kind, role)) return;
  if (isKeepOnly('console', role) || isKeepOnly('enterprise', role)) {
    throw badRequest(`role: '${role}' cannot be assigned through the Admin API (assignable: ${assignableList(kind)})`);
  }
  if (BODY_ROLE_ENUM.includes(role)) {
    throw badRequest(`role: '${role}' is not available in ${kind} organizations (assignable: ${assignableList(kind)})`);
  }
  throw badRequest(`role: Input should be ${BODY_ROLE_ENUM.map((r) => `'${r}'`).join(', ')}`);
}
