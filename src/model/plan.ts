// The plan: a plain, versioned JSON value. Renderers read only this; `apply` executes only this.
// `reason` explains a change to a person and never drives the applier: the applier switches on kind and action.

import type { Diagnostic } from './diagnostic.js';
import type { OrgKind, Provisioning } from './desired.js';
import type { KindAttrs, ResourceKind } from './kinds.js';

// 2: plan_hash covers the organization, the credentials' variable names, every field of a change that apply
// reads, and the removal guard's limits (issue 12); a version-1 plan cannot be checked that way and is refused.
export const PLAN_FORMAT_VERSION = '2';

/** Actions that call an API. */
export const API_ACTIONS = ['create', 'update', 'replace', 'delete'] as const;
/** States that are listed in the plan but make no API call. */
export const NON_API_ACTIONS = ['deferred', 'manual', 'unavailable'] as const;
export const ACTIONS = [...API_ACTIONS, ...NON_API_ACTIONS] as const;

export type ApiAction = (typeof API_ACTIONS)[number];
export type Action = (typeof ACTIONS)[number];

export function isApiAction(a: Action): a is ApiAction {
  return (API_ACTIONS as readonly string[]).includes(a);
}

/** Attributes read generically (the text renderer's diff); apply reads the typed ones of `ChangeOf<K>`. */
export type Attrs = Record<string, unknown>;

/** What every change has, whatever its kind. */
export interface ChangeCommon {
  /** `kind["key"]`, unique within a plan */
  address: string;
  key: string;
  action: Action;
  /** one line for people; never read by the applier */
  reason: string;
  /** remote id of the live object this change acts on (`user_…`, `invite_…`), when there is one */
  id?: string;
  /** execution phase: every change of a phase finishes before the next phase starts */
  phase: number;
  /**
   * addresses that must be applied before this one; a failure of any of them skips this one. An object this change
   * needs that is created in the same run (a workspace, a group, a SCIM user) is found through these.
   */
  depends_on: string[];
  /** counted by policy.max_removals */
  removal: boolean;
  /** sha256 of the live object as read, for every live object this change touches */
  fingerprint?: string;
  /**
   * For a create keyed by a name the API does not keep unique (workspaces, RBAC groups): the ids of live objects
   * that already carry the name (e.g. an archived workspace). After an ambiguous failure, an object with the name
   * that is not among them is the one this create made; with them known the client needs no extra listing.
   */
  known_ids?: string[];
  /** where the file asks for this change, when it does */
  line?: number;
}

/** A change of one kind: its `before` (the live object as read; null for a create) and `after` (null for a delete). */
export interface ChangeOf<K extends ResourceKind> extends ChangeCommon {
  kind: K;
  before: KindAttrs[K]['before'] | null;
  after: KindAttrs[K]['after'] | null;
}

/** One planned change: a union with one shape per resource kind, told apart by `kind`. */
export type Change = { [K in ResourceKind]: ChangeOf<K> }[ResourceKind];

/**
 * The removal guards of a plan. `count` and `addresses` are derived from the changes (model/removals.ts) and are
 * recomputed by `apply PLANFILE`; the limits are covered by `plan_hash`.
 */
export interface AccessRemains {
  email: string;
  /** the change that says why: `member["…"]` or `scim_user["…"]` */
  address: string;
  state: 'manual' | 'unavailable' | 'deferred';
  why: string;
}

export interface RemovalGuard {
  count: number;
  limit: number;
  /** the limit came from `--allow-removals` rather than the file */
  overridden: boolean;
  addresses: string[];
  /** people removed from the organization by this plan, and how many it had when the plan was made */
  people: { leaving: number; total: number; removable: number };
  /** policy.max_removal_share in force */
  max_share: number;
  /** the plan is a mass removal (model/removals.ts `isMassRemoval`) */
  mass: boolean;
  /** `--allow-mass-removal` was given */
  mass_allowed: boolean;
}

/**
 * A live object the file does not declare, in a collection the file manages (issue 14): a member or pending invite
 * nobody declared, a workspace or RBAC group beside the declared ones. Drift: `plan --detailed-exitcode` exits 2
 * while any is listed, unless `policy.undeclared: warn` keeps them as warnings only.
 */
export interface UndeclaredItem {
  /** `member["…"]`, `invite["…"]`, `workspace["…"]`, `group["…"]` */
  address: string;
  /** one line for people: what it is and what the file could say about it */
  why: string;
}

/** What a declared RBAC group grants, as read (issue 13): shown so a reviewer sees what a membership means. */
export interface GroupRoles {
  group: string;
  /** display names of the group's roles; an id the role listing did not name stays an id; null: not known */
  roles: string[] | null;
  /** a role of the group grants owner access: the API refuses to change its members or delete it */
  owner_access: boolean;
  /** why `roles` is null, when it is */
  unknown_reason?: string;
}

export interface Plan {
  format_version: typeof PLAN_FORMAT_VERSION;
  organization: {
    id: string;
    name: string;
    kind: OrgKind;
    provisioning: Provisioning;
    /** names of the environment variables that hold the credentials (never their values), for `apply PLANFILE` */
    credentials: {
      admin_key_env: string;
      base_url_env: string;
      scim_url_env: string;
      scim_token_env: string;
      /** the OAuth token of the service-account endpoints; absent in plans made before service accounts */
      oauth_token_env?: string;
    };
  };
  desired: { file: string; sha256: string };
  /** in execution order */
  changes: Change[];
  diagnostics: Diagnostic[];
  summary: Record<Action, number>;
  removals: RemovalGuard;
  blocked: boolean;
  blocked_reason?: string;
  /**
   * People who are departed (or past `expires`) and still have access after this plan, because their removal is
   * `manual` (a person must act in the console), `unavailable` (the SCIM directory cannot be reached) or `deferred`
   * (removed at the next directory sync). An offboarding that is not done is never reported as success: `plan
   * --detailed-exitcode` exits 2 while this is not empty, and `apply` exits 1 while a manual or unavailable one is.
   */
  access_remains: AccessRemains[];
  /** undeclared live objects (drift, issue 14); absent when there are none */
  undeclared?: UndeclaredItem[];
  /** the roles each declared RBAC group grants, when any declared group has roles (enterprise orgs) */
  group_roles?: GroupRoles[];
  /** model/plan-hash.ts: what apply reads, no timestamps: two plans with the same hash make the same calls */
  plan_hash: string;
  /**
   * A random id given to each plan when it is made (not covered by the hash: two plans made at different times may
   * have the same hash). The journal of applied saved plans (cli/journal.ts) keys on it, so that the same saved plan
   * applied twice on one machine is not applied twice.
   */
  plan_id?: string;
  /** when the live state was read (ISO 8601) */
  created_at?: string;
}

/** True when applying the plan would call an API. */
export function hasApiChanges(plan: Pick<Plan, 'changes'>): boolean {
  return plan.changes.some((c) => isApiAction(c.action));
}

export function emptySummary(): Record<Action, number> {
  return Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>;
}

/**
 * `manual`: the API refused the change as one only a person can make (SDK 1.17 error codes such as
 * `rbac_group_grants_owner_access`, `cannot_remove_last_member`): not a failure of the tool, but not done either; the
 * apply exits 1 and says who must do what.
 * `in_place`: a saved plan's change whose effect already holds (made by an earlier apply of the same plan, or by a
 * person): it is not applied again, and its dependents may run.
 */
export type ApplyStatus = 'applied' | 'in_place' | 'manual' | 'failed' | 'skipped' | 'not_started' | 'no_op';

export interface ApplyResult {
  address: string;
  action: Action;
  status: ApplyStatus;
  /** what happened, for people: the error, or which dependency failed */
  message?: string;
  /** remote id created by the change, when there is one */
  id?: string;
}

/**
 * The change among `c.depends_on` that acts on a `kind` object (the create of the workspace or group a membership
 * joins, the SCIM user a group membership adds): its address, by which apply finds the id it made.
 */
export function dependencyOf(c: Pick<ChangeCommon, 'depends_on'>, kind: ResourceKind): string | undefined {
  const prefix = `${kind}[`;
  return c.depends_on.find((a) => a.startsWith(prefix));
}
