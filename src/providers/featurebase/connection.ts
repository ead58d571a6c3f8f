/**
 * Featurebase, how to reach it: Bearer API key plus the `Featurebase-Version` header. Shared by
 * the facade and the raw client (`contactkit/featurebase`).
 */
import type { Client } from "openapi-fetch";
import * as facts from "../../../generated/featurebase.facts.js";
import type { paths } from "../../../generated/featurebase.js";
import type { CommonClientOptions } from "../../adapter.js";
import { createRawClient, defineConnection } from "../../raw-client.js";
import { bearer, requireString } from "../shared.js";

export type { paths };

const versionParam = facts.deleteContact.parameters["Featurebase-Version"];
/**
 * A `Featurebase-Version` value (from the spec's enum) in which the delete endpoint exists: it
 * first appeared in 2026-01-01.nova, so the 2025 versions the header also accepts are left out.
 */
export type FeaturebaseVersion = Exclude<(typeof versionParam.schema.enum)[number], `2025-${string}`>;
/** The version sent when none is configured: the spec's example for the header. */
const defaultVersion: FeaturebaseVersion = versionParam.example;
const FIRST_VERSION_WITH_DELETE = "2026-01-01";
/** API versions in which the delete endpoint exists. */
export const featurebaseVersions = versionParam.schema.enum.filter((v): v is FeaturebaseVersion => v >= FIRST_VERSION_WITH_DELETE);

/** Settings for Featurebase. */
export interface FeaturebaseConfig extends CommonClientOptions {
  /** Selects Featurebase. */
  provider: "featurebase";
  /** Featurebase API key, sent as a Bearer token. */
  apiKey: string;
  /**
   * Value of the `Featurebase-Version` header.
   * @default "2026-01-01.nova" (the spec's example: the first version with this endpoint)
   */
  apiVersion?: FeaturebaseVersion;
}

export const featurebaseConnection = defineConnection(
  facts.name,
  facts.defaultBaseUrl,
  { apiKey: true, apiVersion: true },
  (config: FeaturebaseConfig, baseUrl) => {
    const problem = requireString(config, "apiKey");
    if (problem) return problem;
    const version = config.apiVersion ?? defaultVersion;
    if (!(featurebaseVersions as readonly string[]).includes(version)) {
      return `\`apiVersion\` must be ${featurebaseVersions.join(" or ")}: older versions lack this endpoint`;
    }
    return {
      baseUrl,
      headers: { Authorization: bearer(config.apiKey), "Featurebase-Version": version },
      secrets: [config.apiKey],
      settings: {},
    };
  },
);

/** A typed openapi-fetch client for Featurebase's delete endpoint, with auth and version applied. */
export function createClient(config: Omit<FeaturebaseConfig, "provider">): Client<paths> {
  return createRawClient(featurebaseConnection, { ...config, provider: "featurebase" });
}
