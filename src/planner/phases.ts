// Ordering is data: each change has a phase; the applier finishes a phase before it starts the next, and
// `depends_on` orders changes inside and across phases. Removals come last so that a failure earlier in the
// run never leaves someone removed while their replacement access was not granted.

export const PHASE = {
  /** org roles, invites, SCIM users: who is in the organization with which role */
  members: 10,
  /** workspaces, groups and SCIM groups created or renamed */
  containers: 20,
  /** memberships added or changed */
  memberships: 30,
  /** API keys of departing members deactivated, before the member goes */
  apiKeys: 40,
  /** memberships removed */
  membershipRemovals: 50,
  /** departing members signed out everywhere (policy.sign_out_on_removal), just before they are removed */
  signOuts: 55,
  /** members removed, invites withdrawn, SCIM users deprovisioned */
  memberRemovals: 60,
  /** workspaces archived, groups deleted */
  containerRemovals: 70,
} as const;
