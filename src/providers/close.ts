/**
 * Close: `DELETE /api/v1/contact/{id}/` (trailing slash kept). API keys go in HTTP Basic as the
 * user name with an empty password; OAuth access tokens go in as Bearer. Success is `{}`.
 */
import type { Client } from "openapi-fetch";
import type { paths } from "../../generated/close.js";
import type { CommonClientOptions, ProviderAdapter, ProviderConnection } from "../adapter.js";
import { isRecord } from "../contact.js";
import { createRawClient } from "../raw-client.js";
import { bearer, firstMessage, requireString } from "./shared.js";

export type { paths };

/** Either an API key (HTTP Basic) or an OAuth access token (Bearer), never both. */
export type CloseConfig = CommonClientOptions & { /** Selects Close. */ provider: "close" } & (
    | { /** Close API key, sent as the Basic user name with an empty password. */ apiKey: string; accessToken?: undefined }
    | { /** OAuth 2 access token, sent as a Bearer token. */ accessToken: string; apiKey?: undefined }
  );

/** Close's delete takes no request options. */
export interface CloseDeleteOptions {}

/** How to reach close: base URL and auth, shared by the facade and the raw client. */
export const closeConnection: ProviderConnection<"close", CloseConfig> = {
  name: "close",
  defaultBaseUrl: "https://api.close.com",
  prepare(config, baseUrl) {
    const hasKey = config.apiKey !== undefined;
    const hasToken = config.accessToken !== undefined;
    if (hasKey === hasToken) return "give exactly one of `apiKey` or `accessToken`";
    const problem = requireString(config, hasKey ? "apiKey" : "accessToken");
    if (problem) return problem;
    const secret = (hasKey ? config.apiKey : config.accessToken) as string;
    // `btoa` is web-standard; a key is ASCII, so no UTF-8 step is needed.
    const basic = hasKey ? btoa(`${secret}:`) : "";
    const authorization = hasKey ? `Basic ${basic}` : bearer(secret);
    return { baseUrl, headers: { Authorization: authorization }, secrets: [secret], settings: {} };
  },
};

export const closeAdapter: ProviderAdapter<"close", CloseConfig, CloseDeleteOptions, paths> = {
  connection: closeConnection,
  title: "Close",
  // Close sets limits per endpoint group and reports them in `RateLimit`; start modestly.
  rateLimit: { limit: 10, windowMs: 1000 },
  checkId: () => null,
  optionKeys: [],
  checkOptions: () => null,
  send(client, id, _options, _prepared, fetch) {
    return client.DELETE("/api/v1/contact/{id}/", { params: { path: { id } }, parseAs: "text", fetch });
  },
  successMayBeText: false,
  parseSuccess(body) {
    if (body !== null && !isRecord(body)) return { invalid: "expected a JSON object (`{}`)" };
    return { contact: null };
  },
  errorMessage(body) {
    if (!isRecord(body)) return null;
    const errors = Array.isArray(body.errors) ? body.errors.filter((e) => typeof e === "string") : [];
    const fieldErrors = isRecord(body["field-errors"])
      ? Object.entries(body["field-errors"]).map(([field, message]) => `${field}: ${String(message)}`)
      : [];
    return firstMessage(body.message, body.error, [...errors, ...fieldErrors].join("; "));
  },
  retryHint(_response, bodyText) {
    // The `RateLimit` header is read by the shared hint parser; the deprecated 429 body
    // `{ "rate_reset": 1.5, ... }` (seconds) is Close's alone.
    try {
      const parsed: unknown = JSON.parse(bodyText);
      if (isRecord(parsed) && typeof parsed.rate_reset === "number" && parsed.rate_reset >= 0) {
        return Math.ceil(parsed.rate_reset * 1000);
      }
    } catch {
      // Not JSON: no body hint.
    }
    return null;
  },
};

/** A typed openapi-fetch client for Close's delete endpoint, with auth applied. */
export function createClient(config: Omit<CloseConfig, "provider"> & { provider?: "close" }): Client<paths> {
  return createRawClient(closeConnection, { ...config, provider: "close" } as CloseConfig);
}

