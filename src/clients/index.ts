// Public surface of the HTTP client layer. Consumers (live/, cli/) import from here; the emulator imports only wire.ts.

export { AdminClient, DEFAULT_BASE_URL, type AdminClientOptions, type CallOptions } from './admin.js';
export {
  Pipeline,
  expandPath,
  type CallSpec,
  type ClientStats,
  type ListSpec,
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
