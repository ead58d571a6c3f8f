/**
 * Close, how to reach it: API keys go in HTTP Basic as the user name with an empty password;
 * OAuth access tokens go in as Bearer (the spec's two security schemes). Shared by the facade and
 * the raw client (`contactkit/close`).
 */
import type { Client } from "openapi-fetch";
import * as facts from "../../../generated/close.facts.js";
import type { paths } from "../../../generated/close.js";
import type { CommonClientOptions } from "../../adapter.js";
import type { OneOf } from "../../config-types.js";
import { createRawClient, defineConnection } from "../../raw-client.js";
import { bearer, requireString } from "../shared.js";

export type { paths };

/** Either an API key (HTTP Basic) or an OAuth access token (Bearer), never both. */
export type CloseConfig = CommonClientOptions & { /** Selects Close. */ provider: "close" } & OneOf<
    [
      { /** OAuth 2 access token, sent as a Bearer token. */ accessToken: string },
      // Last: a config that fits neither is reported against the API key (see config-types.ts).
      { /** Close API key, sent as the Basic user name with an empty password. */ apiKey: string },
    ],
    "Close takes apiKey or accessToken, not both"
  >;

export const closeConnection = defineConnection(
  facts.name,
  facts.defaultBaseUrl,
  { apiKey: true, accessToken: true },
  (config: CloseConfig, baseUrl) => {
    const hasKey = config.apiKey !== undefined;
    const hasToken = config.accessToken !== undefined;
    if (hasKey === hasToken) return "give exactly one of `apiKey` or `accessToken`";
    const problem = requireString(config, hasKey ? "apiKey" : "accessToken");
    if (problem) return problem;
    const secret = (hasKey ? config.apiKey : config.accessToken) as string;
    // `btoa` is web-standard; a key is ASCII, so no UTF-8 step is needed.
    const authorization = hasKey ? `Basic ${btoa(`${secret}:`)}` : bearer(secret);
    return { baseUrl, headers: { Authorization: authorization }, secrets: [secret], settings: {} };
  },
);

/** A typed openapi-fetch client for Close's delete endpoint, with auth applied. */
export function createClient(config: Omit<CloseConfig, "provider"> & { provider?: "close" }): Client<paths> {
  return createRawClient(closeConnection, { ...config, provider: "close" } as CloseConfig);
}
