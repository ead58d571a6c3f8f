/** The per-provider typed openapi-fetch clients behind `contactkit/<provider>`. */
import createOpenApiClient, { type Client } from "openapi-fetch";
import type { AnyConnection, ProviderConnection } from "./adapter.js";
import { prepareProvider } from "./config.js";
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
  const fetch = (config as { fetch?: (input: Request) => Promise<Response> }).fetch;
  return createOpenApiClient<Paths>({ baseUrl: prepared.baseUrl, headers: prepared.headers, ...(fetch ? { fetch } : {}) });
}
