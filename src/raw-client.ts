/** The per-provider typed openapi-fetch clients behind `contactkit/<provider>`. */
import createOpenApiClient, { type Client } from "openapi-fetch";
import type { AnyConnection, CommonClientOptions, PreparedProvider, ProviderConnection } from "./adapter.js";
import { prepareProvider } from "./config.js";
import { assertUsableId } from "./ids.js";
import type { ProviderName } from "./providers/names.js";

/**
 * A plain openapi-fetch client for one provider's spec, with the base URL, auth and required
 * headers applied. No retries or error mapping: use `createContactsClient` for those.
 */
export function createRawClient<Name extends ProviderName, Config extends { provider: Name }, Paths extends {}>(
  connection: ProviderConnection<Name, Config>,
  config: Config,
): Client<Paths> {
  const prepared = prepareProvider(connection as unknown as AnyConnection, config as Record<string, unknown>);
  // An undefined `fetch` takes openapi-fetch's default (globalThis.fetch).
  const fetch = (config as { fetch?: (input: Request) => Promise<Response> }).fetch;
  const client = createOpenApiClient<Paths>({ baseUrl: prepared.baseUrl, headers: prepared.headers, fetch });
  // `..`, `.` and "" in a path parameter would make the URL climb (DELETE on the API root, or on
  // the collection): refuse them here too, before any request carries the credentials.
  client.use({
    onRequest({ params }) {
      for (const value of Object.values((params as { path?: Record<string, unknown> }).path ?? {})) {
        assertUsableId(connection.name, typeof value === "number" ? String(value) : value);
      }
      return undefined;
    },
  });
  return client;
}

/** Every key of every member of a union (keyof a union gives only the shared ones). */
type AllKeys<T> = T extends unknown ? keyof T : never;

/**
 * `{ [each of the provider's own config keys]: true }`: leaving one out or listing one the config
 * type lacks is a compile error, so the run-time unknown-key check cannot drift from the type.
 */
export type ConfigKeys<Config> = { readonly [K in Exclude<AllKeys<Config>, keyof CommonClientOptions | "provider">]: true };

/** How to reach a provider: all the raw typed client needs. Name and base URL come from the facts. */
export function defineConnection<Name extends string, Config extends { provider: Name }, Settings extends object = {}>(
  name: Name,
  defaultBaseUrl: string | null,
  keys: ConfigKeys<Config>,
  prepare: (config: Config, baseUrl: string) => PreparedProvider<Settings> | string,
): ProviderConnection<Name, Config, Settings> {
  return { name, defaultBaseUrl, configKeys: Object.keys(keys), prepare };
}
