/**
 * The facade: one client per provider config, one `deleteContact` that resolves to a normalized
 * result or rejects with a `ContactkitError`. It knows providers only through the registry.
 */
import createOpenApiClient from "openapi-fetch";
import type { CommonDeleteOptions, ContactExistsOptions } from "./adapter.js";
import { startBulkRun, type BulkItem, type BulkReport, type BulkRunOptions } from "./bulk.js";
import { DEFAULT_MAX_RESPONSE_BYTES, configError, prepareProvider } from "./config.js";
import type { ClientContext } from "./delete-one.js";
import { LightRequest } from "./transport/light-request.js";
import { isProviderName, providerNames, type ProviderName } from "./providers/names.js";
import type { RateLimiter } from "./rate-limit.js";
import { registry, type ConfigOf, type RequestOptionsOf } from "./registry.js";
import type { DeleteResult } from "./result.js";
import { readOne } from "./read-one.js";
import { deleteVerified } from "./verify.js";
import { defaultSleep, type FetchLike, type RetrySettings } from "./transport/resilient-fetch.js";

export type { DeleteResult } from "./result.js";

/** A config for any provider, discriminated by `provider`. */
export type ContactsClientConfig = { [P in ProviderName]: ConfigOf<P> }[ProviderName];

/** Options of one `deleteContact` call: the shared ones plus provider `P`'s own. */
export type DeleteContactOptions<P extends ProviderName = ProviderName> = CommonDeleteOptions & RequestOptionsOf<P>;

/** Options of a bulk run: pool, pacing and reporting, plus the per-call options applied to every id. */
export type DeleteContactsOptions<P extends ProviderName = ProviderName> = BulkRunOptions &
  Omit<CommonDeleteOptions, "signal"> &
  RequestOptionsOf<P>;

/** A client for one provider, made by `createContactsClient`. */
export interface ContactsClient<P extends ProviderName = ProviderName> {
  /** The provider this client talks to. */
  readonly provider: P;
  /**
   * Whether this provider documents a read-one-contact endpoint, so `contactExists` and
   * `verify: true` work (false for userapi).
   */
  readonly canVerify: boolean;
  /**
   * Deletes one contact. Invalid ids and options are rejected before any request is sent. With
   * the default `verify: "ambiguous"`, a failure that may have applied the delete is settled by
   * reading the contact back (see `verify`).
   */
  deleteContact(id: string, options?: DeleteContactOptions<P>): Promise<DeleteResult<P>>;
  /**
   * Reads the contact: `true` when the provider returns it, `false` when it answers its own
   * "contact does not exist" 404, else rejects with a `ContactkitError` ("checking contact …
   * failed"). Same id checks, retries and timeouts as a delete; nothing is changed.
   * `invalid_input` (nothing sent) when `canVerify` is false.
   */
  contactExists(id: string, options?: ContactExistsOptions): Promise<boolean>;
  /**
   * Deletes many contacts (an array, iterable or async iterable of ids, consumed lazily) and
   * resolves to a report in which every input id appears exactly once. Never rejects for a
   * single id's failure; invalid run options reject before anything is sent.
   */
  deleteContacts(ids: Iterable<string> | AsyncIterable<string>, options?: DeleteContactsOptions<P>): Promise<BulkReport<P>>;
  /** The same run as an async iterator of per-id outcomes, in completion order. */
  deleteContactsStream(ids: Iterable<string> | AsyncIterable<string>, options?: DeleteContactsOptions<P>): AsyncIterable<BulkItem<P>>;
}

/**
 * Creates a client for the provider named by `config.provider`. Settings are checked here: a
 * missing or malformed one throws a `ContactkitError` with code `config`, before anything is sent.
 *
 * @example
 * const crm = createContactsClient({ provider: "close", apiKey: process.env.CLOSE_API_KEY! });
 * const result = await crm.deleteContact("cont_123", { missingOk: true });
 */
// `config` is not typed as a bare type parameter (`<C extends ContactsClientConfig>(config: C)`):
// that switches off TypeScript's excess-property check, so `maxRetry` or a foreign provider's
// option would compile. `P` is inferred from `provider` alone; the rest is checked against P's config.
export function createContactsClient<P extends ProviderName>(config: ConfigOf<P> & { provider: P }): ContactsClient<P> {
  if (typeof config !== "object" || config === null) throw configError(null, "the config must be an object");
  const name = (config as { provider?: unknown }).provider;
  if (!isProviderName(name)) {
    throw configError(null, `\`provider\` must be one of ${providerNames.join(", ")}, got ${JSON.stringify(name)}`);
  }
  const adapter = registry[name];
  const prepared = prepareProvider(adapter.connection, config as unknown as Record<string, unknown>);
  const context: ClientContext = {
    adapter,
    prepared,
    settings: retrySettings(config as ContactsClientConfig),
    // Undefined: the transport calls globalThis.fetch per attempt, so a fetch patched later (test mocks, polyfills) is used.
    baseFetch: (config as { fetch?: FetchLike }).fetch,
    // A light Request: the transport makes a real one only for a user's `fetch` (see light-request.ts).
    client: createOpenApiClient<Record<string, never>>({
      baseUrl: prepared.baseUrl,
      headers: prepared.headers,
      Request: LightRequest as unknown as typeof Request,
    }),
  };
  const { client, settings, baseFetch } = context;
  // One pacing state per client, so consecutive bulk runs share what they learned.
  const limiter: { current?: RateLimiter } = {};
  const run = (ids: Iterable<string> | AsyncIterable<string>, options: Record<string, unknown> = {}) =>
    startBulkRun({ context, name, limiter }, ids, options);

  return {
    provider: name as P,
    canVerify: adapter.read !== null,
    deleteContact: (id, options) =>
      // No options: the client's settings as they are (nothing to check or merge).
      deleteVerified({
        adapter,
        client,
        prepared,
        settings,
        baseFetch,
        id,
        options: (options ?? {}) as Record<string, unknown>,
        merged: options === undefined,
      }) as Promise<DeleteResult<P>>,
    contactExists: async (id, options) =>
      (await readOne({ adapter, client, prepared, settings, baseFetch, id, options: (options ?? {}) as Record<string, unknown> })).exists,
    deleteContactsStream: (ids, options) => run(ids, options as Record<string, unknown>).stream() as AsyncIterable<BulkItem<P>>,
    deleteContacts: async (ids, options) => run(ids, options as Record<string, unknown>).report() as Promise<BulkReport<P>>,
  };
}

function retrySettings(config: ContactsClientConfig): RetrySettings {
  return {
    maxRetries: config.maxRetries ?? 2,
    timeoutMs: config.timeoutMs ?? 30_000,
    totalTimeoutMs: config.totalTimeoutMs ?? null,
    maxRetryAfterMs: config.maxRetryAfterMs ?? 60_000,
    backoff: config.backoff ?? {},
    onRetry: config.onRetry,
    sleep: config.sleep ?? defaultSleep,
    maxResponseBytes: config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
  };
}
