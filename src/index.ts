/**
 * contactkit: delete a contact in any of the contact/CRM APIs in src/registry.ts (userapi, Truto,
 * Wethod, Close, Featurebase, HubSpot) through one typed, dependable interface.
 */
export {
  createContactsClient,
  type ContactsClient,
  type ContactsClientConfig,
  type DeleteContactOptions,
  type DeleteResult,
} from "./client.js";
export { ContactkitError, isContactkitError, type ContactkitErrorCode } from "./errors.js";
export type { NormalizedContact } from "./contact.js";
export type { CommonClientOptions, CommonDeleteOptions, ContactExistsOptions } from "./adapter.js";
export type { ConfigOf, RequestOptionsOf } from "./registry.js";
export { providerNames, isProviderName, type ProviderName } from "./providers/names.js";
export type { RetryInfo, FetchLike, Sleep } from "./transport/resilient-fetch.js";
export type { BackoffOptions } from "./transport/retry-policy.js";
export type { UserapiConfig, UserapiDeleteOptions, UserapiInclude } from "./providers/userapi/adapter.js";
export type { TrutoConfig, TrutoDeleteOptions } from "./providers/truto/adapter.js";
export type { WethodConfig, WethodDeleteOptions } from "./providers/wethod/adapter.js";
export type { CloseConfig, CloseDeleteOptions } from "./providers/close/adapter.js";
export type { FeaturebaseConfig, FeaturebaseDeleteOptions, FeaturebaseVersion } from "./providers/featurebase/adapter.js";
export type { DeleteContactsOptions } from "./client.js";
export type { BulkItem, BulkReport, BulkRunOptions } from "./bulk.js";
export {
  AdaptiveRateLimiter,
  type AdaptiveRateLimiterOptions,
  type RateLimiter,
  type RateFeedback,
  type RateLimitSpec,
} from "./rate-limit.js";
