/** The per-provider typed openapi-fetch clients behind `contactkit/<provider>`. */
import createOpenApiClient, { type Client } from "openapi-fetch";
import type { AnyAdapter, ProviderAdapter } from "./adapter.js";
import { prepareProvider } from "./config.js";
import type { ProviderName } from "./providers/names.js";

/**
 * A plain openapi-fetch client for one provider's spec, with the base URL, auth and required
 * headers applied. No retries or error mapping: use `createContactsClient` for those.
 */
export function createRawClient<Name extends ProviderName, Config extends { provider: Name }, Paths extends {}>(
  adapter: ProviderAdapter<Name, Config, object, Paths>,
  config: Config,
): Client<Paths> {
  const prepared = prepareProvider(adapter as unknown as AnyAdapter, config as Record<string, unknown>);
  const fetch = (config as { fetch?: (input: Request) => Promise<Response> }).fetch;
  return createOpenApiClient<Paths>({ baseUrl: prepared.baseUrl, headers: prepared.headers, ...(fetch ? { fetch } : {}) });
}
