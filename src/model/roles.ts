// What the planner and the config checker know about organization roles (§3.1 of the API reference).
// The emulator keeps its own copy of these rules in emulator/role-tables.ts on purpose: it is an independent oracle.

/** The two kinds of organization, whose roles differ (re-exported by model/desired.ts, where the file names it). */
export type OrgKind = 'console' | 'enterprise';

export const SETTABLE_ROLES: Record<OrgKind, readonly string[]> = {
  console: ['user', 'developer', 'billing', 'claude_code_user'],
  enterprise: ['user', 'managed'],
};

/** Roles a member may hold but the API can never set, change or remove. */
export const KEEP_ONLY_ROLES: Record<OrgKind, readonly string[]> = {
  console: ['admin', 'owner', 'primary_owner'],
  enterprise: ['owner', 'membership_admin', 'primary_owner'],
};

/** Every role that may appear in a desired-state file for this kind: settable or keep-only. */
export function declarableRoles(kind: OrgKind): string[] {
  return [...SETTABLE_ROLES[kind], ...KEEP_ONLY_ROLES[kind]];
}

/** Keep-only on either kind: a member holding one of these is never changed or removed by the tool. */
export function isKeepOnly(kind: OrgKind, role: string): boolean {
  return KEEP_ONLY_ROLES[kind].includes(role) || KEEP_ONLY_ROLES.console.includes(role) ||
    KEEP_ONLY_ROLES.enterprise.includes(role);
}

// What each settable role grants, from the role table in §3.1. A role change is a demotion unless the new role
// grants everything the old one did. Enterprise `managed` takes its permissions from groups, so it is not
// comparable with `user`: a change between them counts as a demotion (the safe side for max_removals).
const GRANTS: Record<string, readonly string[]> = {
  user: ['playground'],
  claude_code_user: ['playground', 'claude_code'],
  developer: ['playground', 'api_keys'],
  billing: ['playground', 'billing'],
  admin: ['playground', 'claude_code', 'api_keys', 'billing', 'users'],
  managed: ['group_permissions'],
};

/**
 * How a role change reads to a person: `demotion` when the new role grants only part of what the old one did;
 * `sideways` when each grants something the other does not (claude_code_user → developer gains API keys but loses
 * Claude Code), which counts as a removal all the same; `lost` names what the old role gave that the new one does
 * not (empty when unknown). Undefined when the change takes nothing away.
 */
export function demotionKind(from: string, to: string): { kind: 'demotion' | 'sideways'; lost: string[] } | undefined {
  if (!isDemotion(from, to)) return undefined;
  const had = GRANTS[from];
  const gets = GRANTS[to];
  if (!had || !gets) return { kind: 'demotion', lost: [] };
  const lost = had.filter((g) => !gets.includes(g));
  return { kind: gets.some((g) => !had.includes(g)) ? 'sideways' : 'demotion', lost };
}

export function isDemotion(from: string, to: string): boolean {
  if (from === to) return false;
  const had = GRANTS[from];
  const gets = GRANTS[to];
  if (!had || !gets) return true;
  return had.some((g) => !gets.includes(g));
}

/** §3.2 workspace roles from least to most access; a change down this list is a demotion. */
export const WORKSPACE_RANK: Readonly<Record<string, number>> = {
  workspace_user: 1,
  workspace_restricted_developer: 2,
  workspace_developer: 3,
  workspace_admin: 4,
};

export function isWorkspaceDemotion(from: string, to: string): boolean {
  return (WORKSPACE_RANK[to] ?? 0) < (WORKSPACE_RANK[from] ?? 0);
}
