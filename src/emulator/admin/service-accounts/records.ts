// Service accounts (`svac_…`) and their workspace memberships as the store keeps them: SDK 1.17
// resources/organization/service-accounts/{service-accounts,workspaces}.d.ts and workspaces/service-accounts.d.ts.

/** SDK 1.17 `ServiceAccount.organization_role`. */
export type ServiceAccountRole = 'admin' | 'developer';
export const SERVICE_ACCOUNT_ROLES: readonly ServiceAccountRole[] = ['admin', 'developer'];

/**
 * SDK 1.17 `ServiceAccountCreateParams.name`: "Slug identifier (lowercase, digits, hyphens)". The SDK gives no
 * length; the emulator's choice is 1–64 characters, starting and ending with a letter or digit.
 */
export const SERVICE_ACCOUNT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export interface ServiceAccountRecord {
  id: string;
  name: string;
  /** Null until set; an update that sends `null` stores an empty string (SDK: "the field is stored as an empty string"). */
  description: string | null;
  role: ServiceAccountRole;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
  /** Tagged ids (`user_…`/`svac_…`) of the actors; null when the actor is unknown (a seed, a workload token). */
  createdBy: string | null;
  updatedBy: string | null;
  archivedBy: string | null;
  /**
   * How many live (non-archived) workload identity federation rules target the account. The emulator does not serve
   * federation rules; this count stands in for them, for the one rule of the SDK that touches a reconciler:
   * archiving is "Rejected with 400 if any live (non-archived) federation rule still targets this service account".
   */
  federationRules: number;
  /** Position in creation order; the listing is newest first and its page token points at a seq. */
  seq: number;
}

/** An explicit membership; the implicit default-workspace one is never stored (see the store). */
export interface ServiceAccountMembershipRecord {
  serviceAccountId: string;
  workspaceId: string;
  /** SDK NoBillingWorkspaceRole: service accounts cannot hold `workspace_billing`. */
  role: string;
  createdBy: string | null;
  /** Creation order; page tokens of the membership listings point at it. Replacing the role keeps it. */
  seq: number;
}

export interface NewServiceAccount {
  name: string;
  description?: string | null;
  role?: ServiceAccountRole;
  id?: string;
  createdAt?: string;
  archivedAt?: string | null;
  createdBy?: string | null;
  federationRules?: number;
}

export interface ServiceAccountChanges {
  /** `null` clears it (stored as ''). */
  description?: string | null;
  role?: ServiceAccountRole;
}

/** Up to `limit` records read from a listing, and whether more exist past them. */
export interface ServiceAccountPage<T> {
  items: T[];
  hasMore: boolean;
  /** `seq` of the last record read, for the next page token; undefined when nothing was read. */
  lastSeq: number | undefined;
}
