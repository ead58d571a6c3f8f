/**
 * Featurebase: `DELETE /v2/contacts/{id}` with a Bearer API key and the `Featurebase-Version`
 * header. Ids are 24-hex ObjectIds. Success is `{ id, deleted: true, object: "contact" }`.
 */
import type { Client } from "openapi-fetch";
import type { paths } from "../../generated/featurebase.js";
import type { CommonClientOptions, ProviderAdapter, ProviderConnection } from "../adapter.js";
import { isRecord } from "../contact.js";
import { createRawClient } from "../raw-client.js";
import { bearer, firstMessage, requireString, wrongType } from "./shared.js";

export type { paths };

/** API versions in which the delete endpoint exists (it first appeared in 2026-01-01.nova). */
export const featurebaseVersions = ["2026-01-01.nova"] as const;
/** A `Featurebase-Version` value in which the delete endpoint exists. */
export type FeaturebaseVersion = (typeof featurebaseVersions)[number];

/** Settings for Featurebase. */
export interface FeaturebaseConfig extends CommonClientOptions {
  /** Selects Featurebase. */
  provider: "featurebase";
  /** Featurebase API key, sent as a Bearer token. */
  apiKey: string;
  /**
   * Value of the `Featurebase-Version` header.
   * @default "2026-01-01.nova" (the first version with this endpoint)
   */
  apiVersion?: FeaturebaseVersion;
}

/** Featurebase's delete takes no request options. */
export interface FeaturebaseDeleteOptions {}

/** The spec's `id` pattern (test/providers/featurebase.test.ts keeps the two in step). */
export const OBJECT_ID = /^[0-9a-fA-F]{24}$/;

/** How to reach featurebase: base URL and auth, shared by the facade and the raw client. */
export const featurebaseConnection: ProviderConnection<"featurebase", FeaturebaseConfig> = {
  name: "featurebase",
  defaultBaseUrl: "https://do.featurebase.app",
  prepare(config, baseUrl) {
    const problem = requireString(config, "apiKey");
    if (problem) return problem;
    const version = config.apiVersion ?? "2026-01-01.nova";
    if (!(featurebaseVersions as readonly string[]).includes(version)) {
      return `\`apiVersion\` must be ${featurebaseVersions.join(" or ")}: older versions lack this endpoint`;
    }
    return {
      baseUrl,
      headers: { Authorization: bearer(config.apiKey), "Featurebase-Version": version },
      secrets: [config.apiKey],
      settings: { version },
    };
  },
};

export const featurebaseAdapter: ProviderAdapter<"featurebase", FeaturebaseConfig, FeaturebaseDeleteOptions, paths> = {
  connection: featurebaseConnection,
  title: "Featurebase",
  // Featurebase: 2,000 requests per minute per API key.
  rateLimit: { limit: 2000, windowMs: 60_000 },
  checkId: (id) => (OBJECT_ID.test(id) ? null : "not a 24-hex ObjectId"),
  optionKeys: [],
  checkOptions: () => null,
  send(client, id, _options, prepared, fetch) {
    return client.DELETE("/v2/contacts/{id}", {
      params: { path: { id }, header: { "Featurebase-Version": prepared.settings.version as FeaturebaseVersion } },
      parseAs: "text",
      fetch,
    });
  },
  successMayBeText: false,
  parseSuccess(body, id) {
    if (body === null) return { contact: null };
    if (!isRecord(body)) return { invalid: "expected a DeletedContact object" };
    if ("deleted" in body && body.deleted !== true) return { invalid: "`deleted` is not true" };
    if (wrongType(body, "id", "string")) return { invalid: "`id` is not a string" };
    if (typeof body.id === "string" && body.id.toLowerCase() !== id.toLowerCase()) return { invalid: `\`id\` is ${JSON.stringify(body.id)}, not the requested id` };
    return { contact: null };
  },
  errorMessage(body) {
    if (!isRecord(body)) return null;
    const error = isRecord(body.error) ? body.error : null;
    return firstMessage(error?.message, body.message, error?.code);
  },
  // Its rate-limit headers are read by the shared hint parser.
  retryHint: () => null,
};

/** A typed openapi-fetch client for Featurebase's delete endpoint, with auth and version applied. */
export function createClient(config: Omit<FeaturebaseConfig, "provider">): Client<paths> {
  return createRawClient(featurebaseConnection, { ...config, provider: "featurebase" });
}
