// Workspace roles and the implicit memberships that follow from org roles (§3.2, §8.3). Pure functions of the
// user's current org role, so a role change (API, control endpoint, seed) needs no bookkeeping: who is listed,
// who is implicit and who may be changed are all decided when a request reads them.

import type { WireWorkspaceRole } from '../../../clients/wire.js';
import { ASSIGNABLE_WORKSPACE_ROLES, KEEP_ONLY_ROLES } from '../../role-tables.js';

/** §3.2 full enum (the update body accepts all five; the create body all but `workspace_billing`). */
export const WORKSPACE_ROLES: readonly WireWorkspaceRole[] = [
  'workspace_admin',
  'workspace_billing',
  'workspace_developer',
  'workspace_restricted_developer',
  'workspace_user',
];

export function isWorkspaceRole(value: string): value is WireWorkspaceRole {
  return (WORKSPACE_ROLES as readonly string[]).includes(value);
}

/** §8.2: the roles `POST /workspaces/{id}/members` accepts ("Cannot be workspace_billing"). */
export function isAssignableWorkspaceRole(value: string): boolean {
  return (ASSIGNABLE_WORKSPACE_ROLES as readonly string[]).includes(value);
}

/**
 * §3.2: org `admin` is an implicit `workspace_admin` everywhere. Console `owner` and `primary_owner` "have all
 * admin permissions" (§3.1), so the emulator treats them as implicit admins too (inferred: the reference names
 * only `admin`).
 */
export function isImplicitAdmin(orgRole: string): boolean {
  return (KEEP_ONLY_ROLES.console as readonly string[]).includes(orgRole);
}

/** §3.2: org `billing` is an implicit `workspace_billing` everywhere. */
export function isImplicitBilling(orgRole: string): boolean {
  return orgRole === 'billing';
}

/** The workspace role someone holds without being listed, or undefined for a user who must be added (§3.2). */
export function implicitWorkspaceRole(orgRole: string): WireWorkspaceRole | undefined {
  if (isImplicitAdmin(orgRole)) return 'workspace_admin';
  if (isImplicitBilling(orgRole)) return 'workspace_billing';
  return undefined;
}

/**
 * Whether an explicit membership shows in the member list and counts as the user's workspace role, given the
 * user's org role now. Implicit admins never show (§8.3 "don't appear in members.list()"); billing members show
 * only with their documented `workspace_admin` upgrade. A hidden membership is kept, not deleted: when the org role
 * drops it applies again (§3.2 "lose access to every workspace where they were not manually assigned").
 */
export function explicitMembershipVisible(orgRole: string, workspaceRole: string): boolean {
  if (isImplicitAdmin(orgRole)) return false;
  if (isImplicitBilling(orgRole)) return workspaceRole === 'workspace_admin';
  return true;
}
