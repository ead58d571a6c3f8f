import type { Client } from "openapi-fetch";
import type { NormalizedContact } from "./contact.js";
import type { NotFoundRule } from "./not-found.js";
import type { RateLimitSpec } from "./rate-limit.js";
import type { BackoffOptions } from "./transport/retry-policy.js";
import type { FetchLike, RetryInfo, Sleep } from "./transport/resilient-fetch.js";

/** Options every provider's config accepts. */
export interface CommonClientOptions {
  /**
   * Replaces the spec's server (e.g. a proxy, a regional host, or the fake providers' URL).
   * Must be `http:` or `https:` and must not embed credentials.
   * @default the provider's public API host (userapi has none: its config requires `baseUrl`)
   */
  baseUrl?: string;
  /**
   * The fetch implementation every attempt goes through. Called as `fetch(request, init)`.
   * @default globalThis.fetch
   */
  fetch?: FetchLike;
  /**
   * Retries after network errors, timeouts and 408/429/500/502/503/504. `0` disables retrying.
   * @default 2 (so at most 3 attempts)
   */
  maxRetries?: number;
  /**
   * Time limit for one attempt, from sending the request to reading the whole response.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * Time limit for the whole call, all attempts and waits included. `null`: no overall limit.
   * @default null
   */
  totalTimeoutMs?: number | null;
  /**
   * The longest server-requested wait (`Retry-After` and provider hints) contactkit sleeps through.
   * A longer hint ends the call at once with `retryAfterMs` set (code `rate_limited` for a 429,
   * `provider_error` for a 503), so the caller can schedule it. Bulk runs pause at most this long.
   * @default 60000
   */
  maxRetryAfterMs?: number;
  /**
   * Exponential backoff between retries when the server gives no hint.
   * @default { initialDelayMs: 500, maxDelayMs: 8000, jitter: true }
   */
  backoff?: BackoffOptions;
  /** Called before every retry, e.g. to log or count them; an exception it throws is ignored. @default none */
  onRetry?: (info: RetryInfo) => void;
  /**
   * How contactkit waits between attempts. Replace it in tests to skip real waiting.
   * @default a setTimeout-based sleep that stops early when the call is aborted
   */
  sleep?: Sleep;
  /**
   * The largest response body read, counted after decompression. A longer body ends the attempt
   * with `invalid_response` (`mayHaveApplied` for a 2xx): no real delete answer is that big.
   * @default 1048576 (1 MiB)
   */
  maxResponseBytes?: number;
}

/** Options for one `deleteContact` call that every provider accepts. */
export interface CommonDeleteOptions {
  /**
   * Cancels the call: in flight, during a backoff wait or a rate-limit turn, the call rejects
   * with `aborted` at once (a request already sent may still reach the provider: see `mayHaveApplied`).
   * @default none
   */
  signal?: AbortSignal;
  /**
   * Treat "not found" as success (`outcome: "absent"`), for idempotent erasure. A 404 after an
   * attempt that may have applied the delete (timeout, lost connection, 5xx) is always `absent`
   * with `afterRetry: true`, whatever this says.
   * @default false
   */
  missingOk?: boolean;
  /** Per-call override of the client's `maxRetries`. @default the client's value */
  maxRetries?: number;
  /** Per-call override of the client's `timeoutMs`. @default the client's value */
  timeoutMs?: number;
  /** Per-call override of the client's `totalTimeoutMs`. @default the client's value */
  totalTimeoutMs?: number | null;
  /** Per-call override of the client's `maxResponseBytes`. @default the client's value */
  maxResponseBytes?: number;
  /**
   * Read-back verification (a GET of the contact, where the provider documents one: `canVerify`).
   * `"ambiguous"`: only when the call would end with `mayHaveApplied: true`, read back once: gone →
   * `absent` with `afterRetry` and `verified`; still there → the delete is retried if the retry
   * budget allows, else the error says `mayHaveApplied: false`. `true`: also read back after every
   * `deleted`/`absent` (re-checking with backoff up to `verifyTimeoutMs`, then `still_present`);
   * `invalid_input` on a provider without a read endpoint. `false`: never read back.
   * @default "ambiguous"
   */
  verify?: "ambiguous" | boolean;
  /** With `verify: true`, how long a contact may still be visible before the call fails with `still_present`. @default 10000 */
  verifyTimeoutMs?: number;
}

/** Options of one `contactExists` call: the time, retry and abort options a delete takes. */
export type ContactExistsOptions = Pick<CommonDeleteOptions, "signal" | "maxRetries" | "timeoutMs" | "totalTimeoutMs" | "maxResponseBytes">;

/** What a connection derives from its config: where to send requests and what every request carries. */
export interface PreparedProvider<Settings = object> {
  baseUrl: string;
  /** Auth and required headers, applied to every request. */
  headers: Record<string, string>;
  /** Every credential string (and derived header value), to scrub from errors. */
  secrets: string[];
  /** Resolved provider settings the operation needs as parameters (e.g. Truto's account id), typed per provider. */
  settings: Settings;
}

/** How an adapter reports an unusable setting; the facade turns it into a `config` error. */
export type ConfigProblem = string;

export type SuccessParse = { contact: NormalizedContact | null } | { invalid: string };

/** The schema facts generated for one parameter (generated/<provider>.facts.ts): the rules the runtime enforces. */
export interface SchemaFacts {
  readonly type?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly enum?: readonly unknown[];
  readonly items?: SchemaFacts;
}

/** The generated request facts of one operation (`deleteContact` in generated/<provider>.facts.ts). */
export interface OperationFacts {
  readonly method: string;
  readonly path: string;
  readonly parameters: {
    /** `style`/`explode` only when they differ from OpenAPI's default for `in`; `example` for headers. */
    readonly [name: string]: {
      readonly in: string;
      readonly schema: SchemaFacts;
      readonly style?: string;
      readonly explode?: boolean;
      readonly example?: unknown;
    };
  };
}

/**
 * How to reach a provider: all the raw typed client (`contactkit/<provider>`) needs. Kept apart
 * from the rest of the adapter so a provider subpath does not bundle the facade's parsing code.
 */
export interface ProviderConnection<Name extends string, Config extends { provider: Name }, Settings extends object = object> {
  readonly name: Name;
  /** The spec's server, or null when the user must supply one. */
  readonly defaultBaseUrl: string | null;
  /** The provider's own config keys (beyond `provider` and the common options): any other key is a `config` error. */
  readonly configKeys: readonly string[];
  /** Validates provider-specific settings (a string explains what is wrong) and builds auth headers. */
  prepare(config: Config, baseUrl: string): PreparedProvider<Settings> | ConfigProblem;
}

/** Everything one send needs, in one object. */
export interface SendContext<Paths extends {}, Options, Settings> {
  client: Client<Paths>;
  id: string;
  options: Options;
  prepared: PreparedProvider<Settings>;
  /** The retry loop, as the per-call fetch. */
  fetch: FetchLike;
}

/** Everything one read (GET of the contact) needs: no request options, the read takes none. */
export interface ReadContext<Paths extends {}, Settings> {
  client: Client<Paths>;
  id: string;
  prepared: PreparedProvider<Settings>;
  /** The retry loop, as the per-call fetch. */
  fetch: FetchLike;
}

/**
 * Everything provider-specific the facade uses, in one object per provider with the same shape
 * (made by `defineProvider`, which fills in the defaults). Retries and errors are shared.
 */
export interface ProviderAdapter<
  Name extends string,
  Config extends { provider: Name },
  RequestOptions extends object,
  Settings extends object,
  Paths extends {},
> {
  /** Name, base URL and auth (a separate object, so the raw client bundles only that). */
  readonly connection: ProviderConnection<Name, Config, Settings>;
  /** Human name for messages and tables. */
  readonly title: string;
  /** The documented request budget bulk runs start pacing from (headers refine it). */
  readonly rateLimit: RateLimitSpec;
  /** The spec's id rules plus the provider's own; a string explains the rejection. */
  checkId(id: string): string | null;
  /** Names of the provider's own `deleteContact` options (anything else is rejected at run time too). */
  readonly optionKeys: readonly string[];
  /** Checks the provider's own request options; a string explains the rejection. */
  checkOptions(options: RequestOptions): string | null;
  /** Sends the typed DELETE through openapi-fetch. The body is read as text; the facade parses it. */
  send(call: SendContext<Paths, RequestOptions, Settings>): Promise<{ response: Response }>;
  /**
   * Sends the typed GET of one contact (the spec's `getContact`), body read as text; null when
   * the provider documents no read endpoint (then `canVerify` is false).
   */
  readonly read: ((call: ReadContext<Paths, Settings>) => Promise<{ response: Response }>) | null;
  /** The read's 404 rule (which 404 to a GET means "this contact does not exist"); null without a read. */
  readonly readNotFound: NotFoundRule;
  /**
   * Whether a 2xx may carry a non-JSON text body (the spec leaves the body open). Otherwise a
   * non-empty non-JSON 2xx is `invalid_response`; an HTML page never counts as a delete.
   */
  readonly successMayBeText: boolean;
  /** Checks a parsed 2xx body against what the spec promises and normalizes the deleted contact. */
  parseSuccess(body: unknown, id: string): SuccessParse;
  /** The provider's own human message in an error body, if any. */
  errorMessage(body: unknown): string | null;
  /** A wait hint (ms) the headers do not carry, e.g. in the body; header hints are read generically. */
  retryHint(response: Response, bodyText: string): number | null;
  /** The provider's request-id response headers, tried before the common `x-request-id`. */
  readonly requestIdHeaders: readonly string[];
  /** What a 404 body must hold to mean "this contact does not exist" (the spec's rule; src/not-found.ts). */
  readonly notFound: NotFoundRule;
  /** What to check when a 404 is not that answer (the base URL; Truto: the integrated account id). */
  foreignNotFoundHint(body: unknown): string;
}

// The registry holds adapters of different type parameters; this is their common erased form.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAdapter = ProviderAdapter<string, any, any, any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyConnection = ProviderConnection<string, any, any>;
