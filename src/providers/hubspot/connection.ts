/**
 * HubSpot, how to reach it: a private app access token as Bearer (the spec's `bearerAuth`).
 * Shared by the facade and the raw client (`contactkit/hubspot`).
 */
import type { Client } from "openapi-fetch";
import * as facts from "../../../generated/hubspot.facts.js";
import type { paths } from "../../../generated/hubspot.js";
import type { CommonClientOptions } from "../../adapter.js";
import { createRawClient, defineConnection } from "../../raw-client.js";
import { bearer, requireString } from "../shared.js";

export type { paths };

/** Settings for HubSpot's CRM API. */
export interface HubspotConfig extends CommonClientOptions {
  /** Selects HubSpot. */
  provider: "hubspot";
  /** A private app access token (or an OAuth access token), sent as a Bearer token. */
  accessToken: string;
}

export const hubspotConnection = defineConnection(
  facts.name,
  facts.defaultBaseUrl,
  { accessToken: true },
  (config: HubspotConfig, baseUrl) => {
    const problem = requireString(config, "accessToken");
    if (problem) return problem;
    return { baseUrl, headers: { Authorization: bearer(config.accessToken) }, secrets: [config.accessToken], settings: {} };
  },
);

/** A typed openapi-fetch client for HubSpot's contact endpoints, with auth applied. */
export function createClient(config: Omit<HubspotConfig, "provider">): Client<paths> {
  return createRawClient(hubspotConnection, { ...config, provider: "hubspot" });
}
