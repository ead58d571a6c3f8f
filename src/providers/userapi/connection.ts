/**
 * userapi, how to reach it: no public host is known (the spec's server is a variable), so
 * `baseUrl` is required; Bearer auth is an assumption. Shared by the facade and the raw client.
 */
import type { Client } from "openapi-fetch";
import * as facts from "../../../generated/userapi.facts.js";
import type { paths } from "../../../generated/userapi.js";
import type { CommonClientOptions } from "../../adapter.js";
import { createRawClient, defineConnection } from "../../raw-client.js";
import { bearer, requireString } from "../shared.js";

export type { paths };

/** Settings for userapi (a personal CRM's `/user-api/v1`). */
export interface UserapiConfig extends CommonClientOptions {
  /** Selects userapi. */
  provider: "userapi";
  /** API token, sent as a Bearer token (an assumption: the API's auth is not documented). */
  token: string;
  /** The API's base URL (required: no public host is known), e.g. `https://crm.example.com`. */
  baseUrl: string;
}

export const userapiConnection = defineConnection(facts.name, facts.defaultBaseUrl, { token: true }, (config: UserapiConfig, baseUrl) => {
  const problem = requireString(config, "token");
  if (problem) return problem;
  return { baseUrl, headers: { Authorization: bearer(config.token) }, secrets: [config.token], settings: {} };
});

/** A typed openapi-fetch client for userapi's contact delete, with auth applied. */
export function createClient(config: Omit<UserapiConfig, "provider">): Client<paths> {
  return createRawClient(userapiConnection, { ...config, provider: "userapi" });
}
