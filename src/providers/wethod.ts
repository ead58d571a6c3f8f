/**
 * Wethod: `DELETE /api/contact/{id}` with a Bearer token plus the required `Wethod-Company`
 * (company slug) and `Wethod-Version` headers. Ids are positive integers. The 200 body is not
 * documented, so any body (or none) counts as success.
 */
import type { Client } from "openapi-fetch";
import type { paths } from "../../generated/wethod.js";
import type { CommonClientOptions, ProviderAdapter, ProviderConnection } from "../adapter.js";
import { isRecord, records } from "../contact.js";
import { createRawClient } from "../raw-client.js";
import { bearer, firstMessage, requireString } from "./shared.js";

export type { paths };

/** The API version sent when none is configured (the one the community SDKs pin). */
export const WETHOD_DEFAULT_VERSION = "2024-06-15";

/** Settings for Wethod. */
export interface WethodConfig extends CommonClientOptions {
  /** Selects Wethod. */
  provider: "wethod";
  /** Personal API token, sent as a Bearer token. */
  token: string;
  /** Company slug (`acme` for acme.wethod.com), sent as `Wethod-Company`. */
  company: string;
  /**
   * Date-style API version, sent as `Wethod-Version`.
   * @default "2024-06-15"
   */
  apiVersion?: string;
}

/** Wethod's delete takes no request options. */
export interface WethodDeleteOptions {}

/** How to reach wethod: base URL and auth, shared by the facade and the raw client. */
export const wethodConnection: ProviderConnection<"wethod", WethodConfig> = {
  name: "wethod",
  defaultBaseUrl: "https://api.wethod.com",
  prepare(config, baseUrl) {
    const problem = requireString(config, "token") ?? requireString(config, "company");
    if (problem) return problem;
    if (!/^[a-z0-9][a-z0-9-]*$/i.test(config.company)) return "`company` must be a company slug such as `acme`";
    const version = config.apiVersion ?? WETHOD_DEFAULT_VERSION;
    if (typeof version !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(version)) {
      return "`apiVersion` must look like `2024-06-15`";
    }
    return {
      baseUrl,
      headers: { Authorization: bearer(config.token), "Wethod-Company": config.company, "Wethod-Version": version },
      secrets: [config.token],
      settings: { company: config.company, version },
    };
  },
};

export const wethodAdapter: ProviderAdapter<"wethod", WethodConfig, WethodDeleteOptions, paths> = {
  connection: wethodConnection,
  title: "Wethod",
  // Wethod: "personal rate limit is 5,000 requests per hour" (3rd-party SDK docs).
  rateLimit: { limit: 5000, windowMs: 3_600_000 },
  checkId: (id) =>
    /^[1-9]\d*$/.test(id) && Number.isSafeInteger(Number(id)) ? null : "not a positive integer",
  optionKeys: [],
  checkOptions: () => null,
  send(client, id, _options, prepared, fetch) {
    return client.DELETE("/api/contact/{id}", {
      params: {
        path: { id: Number(id) },
        header: { "Wethod-Company": prepared.settings.company!, "Wethod-Version": prepared.settings.version! },
      },
      parseAs: "text",
      fetch,
    });
  },
  successMayBeText: true,
  parseSuccess: () => ({ contact: null }),
  errorMessage(body) {
    if (!isRecord(body)) return null;
    const failures = records(body.failures).map((f) => `${String(f.field)}: ${String(f.message)}`);
    const message = firstMessage(body.message, body.key);
    return failures.length > 0 ? `${message ?? "validation failed"} (${failures.join("; ")})` : message;
  },
  // Its rate-limit headers are read by the shared hint parser.
  retryHint: () => null,
};

/** A typed openapi-fetch client for Wethod's delete endpoint, with auth and both headers applied. */
export function createClient(config: Omit<WethodConfig, "provider">): Client<paths> {
  return createRawClient(wethodConnection, { ...config, provider: "wethod" });
}
