// Public surface of the HTTP client layer. Consumers (live/, cli/) import from here; the emulator imports only wire.ts.

export {
  AdminClient,
  DEFAULT_BASE_URL,
  MAX_WORKSPACE_IDS_PER_REQUEST,
  type AdminClientOptions,
  type CallOptions,
  type CreateOptions,
} from './admin.js';
export { apiKeyWorkspaceId, rbacGroupIdOf } from './admin-parse.js';
export { ERROR_CODES, NEVER_RESEND_CODES, RETRY_CODES, codeRetryOverride, hasCode } from './error-codes.js';
export {
  DEFAULT_SCIM_PAGE_SIZE,
  ScimClient,
  type ScimCallOptions,
  type ScimClientOptions,
  type ScimDeleteResult,
  type ScimGroupListQuery,
  type ScimListQuery,
} from './scim.js';
export { decodeScimError, scimErrorStatus, scimFallbackType } from './scim-error.js';
export { memberValuePath, scimEq } from './scim-filter.js';
export { AmbiguousMatchError, pickOne } from './scim-find.js';
export {
  ListingChangedError,
  parseScimListResponse,
  scimIndexPages,
  type ScimPage,
  type ScimPageFetcher,
} from './scim-paginate.js';
export { AmbiguousWriteError, createByName, type CreateByNameSpec } from './write-safety.js';
export {
  Pipeline,
  expandPath,
  type CallSpec,
  type ClientStats,
  type ListSpec,
  type PagedFetch,
  type PagedListSpec,
  type PipelineOptions,
  type RequestEvent,
} from './pipeline.js';
export {
  Sender,
  decodeAnthropicError,
  defaultUserAgent,
  encodeQuery,
  fallbackErrorType,
  isRetryableStatus,
  parseRetryAfterMs,
  requestNotSent,
  type Credential,
  type DecodedError,
  type ErrorDecoder,
  type HttpMethod,
  type Query,
  type QueryValue,
  type SendRequest,
  type SendResponse,
  type SenderOptions,
} from './send.js';
export {
  DEFAULT_RETRY_POLICY,
  abortableSleep,
  backoffDelay,
  decideRetry,
  mayHaveReachedServer,
  resolveRetryPolicy,
  withRetries,
  type RetryDecision,
  type RetryEvent,
  type RetryPolicy,
  type RetryRunOptions,
  type SettleContext,
  type Sleep,
  type WriteSafety,
} from './retry.js';
export {
  Throttle,
  parseRateLimitHeaders,
  type ThrottleObservation,
  type ThrottleOptions,
  type ThrottleStats,
} from './throttle.js';
export {
  DEFAULT_PAGE_SIZE,
  collect,
  idPages,
  pageItems,
  parseIdPage,
  parseTokenPage,
  tokenPages,
  type PageFetcher,
} from './paginate.js';
export * from './wire.js';
