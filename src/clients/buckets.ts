// Which rate-limit bucket a route counts against (issue 18): data, in one table, with its source. The pipeline
// paces each bucket with its own Throttle, so a 429 in one bucket (an invite answered with a long retry-after)
// never stalls another (the role changes and removals behind it).
//
// Sources (docs reference /work/shared/reference/anthropic-admin-api.md):
// - §2.6 [S3]: "Enterprise user-management endpoints share a per-organization limit of 100 requests/minute. Invite
//   creation has its own separate limit of 1,200 requests/hour." Console limits are not documented (§16 item 4);
//   the same split is assumed there.
// - §2.5 [S2]: `anthropic-ratelimit-requests-limit|remaining|reset` are documented for the Messages API: a
//   *requests* limit, one set of headers per answer. No header is documented for the invite limit, and one set
//   with one `limit` cannot describe both buckets; the emulator (src/emulator/ratelimit.ts) sends its request
//   bucket's on every answer, invite creations included (and counts an invite against both buckets). So the
//   headers on an invite creation's answer feed the organization's pacer, and the invite pacer learns from its
//   429s alone.
// - §13.1: the SCIM endpoint is a separate server (WorkOS) with its own, undocumented limit; the SCIM client is a
//   Pipeline of its own, and all of its routes count against one bucket.

/** Short fixed names, safe to print: the CLI says which bucket a wait is for. */
export type BucketName = 'organization' | 'invites' | 'scim';

/** How a bucket's pacer learns the limit. */
export interface BucketSpec {
  /** The bucket that the `anthropic-ratelimit-requests-*` headers on this bucket's answers describe (§2.5). */
  headersDescribe: BucketName;
  /**
   * A 429's retry-after (up to a minute) is taken as the time one request's budget takes to come back, when too
   * few requests were seen to learn a rate from: the only signal of a bucket no header describes.
   */
  learnsFromRetryAfter: boolean;
  /**
   * One request at a time, whatever the client's concurrency: with no header to tell the budget, each request in
   * flight at once into an empty bucket costs a 429. At 1,200 an hour the limit, not the latency, sets the pace.
   */
  oneAtATime: boolean;
  /** Where the bucket and its limit come from. */
  source: string;
}

export const BUCKETS: Readonly<Record<BucketName, BucketSpec>> = {
  organization: {
    headersDescribe: 'organization',
    learnsFromRetryAfter: false,
    oneAtATime: false,
    source: '§2.6 [S3]: user-management endpoints share 100 requests/minute per organization (Enterprise; Console undocumented)',
  },
  invites: {
    headersDescribe: 'organization',
    learnsFromRetryAfter: true,
    oneAtATime: true,
    source: '§2.6 [S3]: invite creation has its own separate limit of 1,200 requests/hour; no header describes it (§2.5)',
  },
  scim: {
    headersDescribe: 'scim',
    learnsFromRetryAfter: false,
    oneAtATime: false,
    source: '§13.1: the SCIM directory is served by WorkOS, apart from the Admin API; its limit is not documented',
  },
};

/** The routes of one API: `METHOD template` of those that count against another bucket than `fallback`. */
export interface BucketTable {
  routes: Readonly<Record<string, BucketName>>;
  fallback: BucketName;
}

/** The Admin API (§2.6): invite creation apart, everything else per organization. */
export const ADMIN_API_BUCKETS: BucketTable = {
  routes: { 'POST /v1/organizations/invites': 'invites' },
  fallback: 'organization',
};

/** The SCIM directory (§13.1): one bucket. */
export const SCIM_BUCKETS: BucketTable = { routes: {}, fallback: 'scim' };

/** The bucket `METHOD template` counts against. */
export function bucketOf(table: BucketTable, routeKey: string): BucketName {
  return table.routes[routeKey] ?? table.fallback;
}
