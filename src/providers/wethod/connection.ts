/**
 * Wethod, how to reach it: a Bearer token plus the required `Wethod-Company` (company slug) and
 * `Wethod-Version` headers. Shared by the facade and the raw client (`contactkit/wethod`).
 */
import type { Client } from "openapi-fetch";
import * as facts from "../../../generated/wethod.facts.js";
import type { paths } from "../../../generated/wethod.js";
import type { CommonClientOptions } from "../../adapter.js";
import { createRawClient, defineConnection } from "../../raw-client.js";
import { bearer, requireString } from "../shared.js";

export type { paths };

const versionParam = facts.deleteContact.parameters["Wethod-Version"];
/** The API version sent when none is configured: the spec's example (the one the community SDKs pin). */
export const WETHOD_DEFAULT_VERSION: string = versionParam.example;
const VERSION = new RegExp(versionParam.schema.pattern);

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

export const wethodConnection = defineConnection(
  facts.name,
  facts.defaultBaseUrl,
  { token: true, company: true, apiVersion: true },
  (config: WethodConfig, baseUrl) => {
    const problem = requireString(config, "token") ?? requireString(config, "company");
    if (problem) return problem;
    if (!/^[a-z0-9][a-z0-9-]*$/i.test(config.company)) return "`company` must be a company slug such as `acme`";
    const version = config.apiVersion ?? WETHOD_DEFAULT_VERSION;
    if (typeof version !== "string" || !VERSION.test(version)) return `\`apiVersion\` must look like \`${WETHOD_DEFAULT_VERSION}\``;
    return {
      baseUrl,
      headers: { Authorization: bearer(config.token), "Wethod-Company": config.company, "Wethod-Version": version },
      secrets: [config.token],
      settings: {},
    };
  },
);

/** A typed openapi-fetch client for Wethod's delete endpoint, with auth and both headers applied. */
export function createClient(config: Omit<WethodConfig, "provider">): Client<paths> {
  return createRawClient(wethodConnection, { ...config, provider: "wethod" });
}
