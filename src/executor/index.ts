// Turns one planned change into API calls. Built by the CLI from the clients and handed to the applier, so
// apply/ never imports a client. The calls per kind are in handlers.ts, one entry per resource kind; here: the
// ids made in this run, and the refusals that mean a person must act.

import type { ExecuteOutcome, Executor } from '../apply/run.js';
import type { BucketName } from '../clients/buckets.js';
import { ApiError } from '../errors.js';
import { dependencyOf, type Change } from '../model/plan.js';
import { handle, type AdminWriter, type HandlerContext, type ScimWriter } from './handlers.js';

export type { AdminWriter, ScimWriter } from './handlers.js';

export interface ExecutorDeps {
  admin: AdminWriter;
  /** absent when the SCIM directory is not configured (then no SCIM change is planned as an API action) */
  scim?: ScimWriter | undefined;
  /** creates of a saved plan found already in place (live/stale.ts), by address: their ids serve their dependents */
  existing?: ReadonlyMap<string, { id?: string | undefined }> | undefined;
}

/**
 * Refusals that mean a person must make the change (SDK 1.17 error codes, by `error.details.error_code`): the
 * change is reported `manual` with what to do, not as a failure of the tool. Only for the kinds the API names.
 */
const PERSON_MUST: Readonly<Record<string, { kinds: readonly Change['kind'][]; why: string }>> = {
  rbac_group_grants_owner_access: {
    kinds: ['group', 'group_member', 'invite'],
    why: 'a role of the group grants owner access, which the API does not change (rbac_group_grants_owner_access); ' +
      'make this change in Claude\'s admin settings',
  },
  rbac_group_owner_access_unconfirmed: {
    kinds: ['group', 'group_member', 'invite'],
    why: 'the API could not confirm whether the group grants owner access and made no change ' +
      '(rbac_group_owner_access_unconfirmed); make this change in Claude\'s admin settings',
  },
  cannot_remove_last_member: {
    kinds: ['member'],
    why: 'the API never removes an organization\'s last member (cannot_remove_last_member); add a member first, or ' +
      'remove this one in the console',
  },
  ...signOutRefusals(),
};

/** The beta sign-out's refusals (SDK 1.17): the removal still runs; a person signs them out in the console. */
function signOutRefusals(): Record<string, { kinds: readonly Change['kind'][]; why: string }> {
  const person = (who: string, code: string) => ({
    kinds: ['sign_out'] as const,
    why: `the API does not sign out ${who} (${code}); sign them out in the console if their sessions must end now`,
  });
  return {
    cannot_sign_out_primary_owner: person('the organization\'s primary owner', 'cannot_sign_out_primary_owner'),
    cannot_sign_out_self: person('the person the admin key acts for', 'cannot_sign_out_self'),
    cannot_sign_out_managed_member: person('a managed member with this key (it needs write:rbac_groups too)', 'cannot_sign_out_managed_member'),
    cannot_sign_out_membership_admin: person('a membership admin with this key', 'cannot_sign_out_membership_admin'),
    cannot_sign_out_owner: person('an owner with this key', 'cannot_sign_out_owner'),
    cannot_sign_out_privileged_member: person('an owner or membership admin with this credential', 'cannot_sign_out_privileged_member'),
    organization_not_enrolled_in_beta: {
      kinds: ['sign_out'],
      why: 'the organization is not enrolled in the sign-out beta (organization_not_enrolled_in_beta); set ' +
        'policy.sign_out_on_removal: false or sign them out in the console',
    },
  };
}

/** The `error_code` of an API refusal, when the error carries one. */
function errorCodeOf(err: unknown): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  return err.errorCode;
}

/**
 * The rate-limit bucket a change's requests count against (clients/buckets.ts): an invite sent (create, or the
 * send of a replace) waits for invite creation's own limit; a SCIM change for the directory's; everything else for
 * the organization's. The applier gives each its own window of changes in flight.
 */
export function bucketOfChange(c: Change): BucketName {
  if (c.kind === 'invite' && (c.action === 'create' || c.action === 'replace')) return 'invites';
  return c.kind === 'scim_user' || c.kind === 'scim_group' || c.kind === 'scim_group_member' ? 'scim' : 'organization';
}

/**
 * SDK 1.17 `serviceAccounts.archive`: "Rejected with 400 if any live (non-archived) federation rule still targets
 * this service account … archive those rules first or change their target". The API gives no error code; a 400 to
 * an archive is that refusal, which only a person in the Console can resolve: `manual`, with the API's words.
 */
function archiveRefusal(c: Change, err: unknown): string | undefined {
  if (c.kind !== 'service_account' || c.action !== 'delete' || !(err instanceof ApiError) || err.status !== 400) return undefined;
  return `the API refused to archive it (${err.apiMessage}): a live workload identity federation rule still ` +
    'targets it; archive that rule or point it at another service account in the Console, then apply again';
}

export function createExecutor(deps: ExecutorDeps): Executor {
  /** remote ids of objects created in this run, by the address of the change that created them */
  const created = new Map<string, string>();
  for (const [addr, e] of deps.existing ?? []) if (e.id) created.set(addr, e.id);
  const ctx: HandlerContext = {
    admin: deps.admin,
    scim: (c) => {
      if (!deps.scim) throw new Error(`${c.address}: the SCIM directory is not configured`);
      return deps.scim;
    },
    made: (c, kind) => {
      // the change that creates the object is among this one's dependencies (planner: depends_on)
      const dep = dependencyOf(c, kind);
      const id = dep === undefined ? undefined : created.get(dep);
      if (id === undefined) throw new Error(`${c.address}: ${dep ?? `the ${kind} it needs`} was not created in this run`);
      return id;
    },
  };

  return {
    laneOf: bucketOfChange,
    async execute(c: Change): Promise<ExecuteOutcome | void> {
      let made: string | undefined;
      try {
        made = await handle(c, ctx);
      } catch (err) {
        const code = errorCodeOf(err);
        const person = code !== undefined ? PERSON_MUST[code] : undefined;
        if (person && person.kinds.includes(c.kind)) return { manual: person.why, ...(c.id ? { id: c.id } : {}) };
        // The person joined since the plan was made (the client never sends a second invite on it): nothing to send.
        if (code === 'already_member' && c.kind === 'invite' && c.action !== 'delete') {
          return { inPlace: 'already a member (joined since the plan was made); the next plan checks their role' };
        }
        const archive = archiveRefusal(c, err);
        if (archive !== undefined) return { manual: archive, ...(c.id ? { id: c.id } : {}) };
        throw err;
      }
      if (made === undefined) return;
      if (c.action === 'create' || c.action === 'replace') created.set(c.address, made);
      return { id: made };
    },
  };
}
