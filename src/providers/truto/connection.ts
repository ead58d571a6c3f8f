/**
 * Truto, how to reach it: a Bearer token, and the integrated account (connected CRM) every call
 * names. Shared by the facade and the raw client (`contactkit/truto`).
 */
import type { Client } from "openapi-fetch";
import * as facts from "../../../generated/truto.facts.js";
import type { paths } from "../../../generated/truto.js";
import type { CommonClientOptions } from "../../adapter.js";
import { createRawClient, defineConnection } from "../../raw-client.js";
import { bearer, requireString } from "../shared.js";

export type { paths };

/** Settings for Truto's unified CRM API. */
export interface TrutoConfig extends CommonClientOptions {
  /** Selects Truto. */
  provider: "truto";
  /** Truto API token, sent as a Bearer token. */
  token: string;
  /** The integrated account (connected CRM) to delete in: a UUID, sent as `integrated_account_id`. */
  integratedAccountId: string;
}

/** What each call needs from the config, beyond headers. */
export interface TrutoSettings {
  integratedAccountId: string;
}

// The spec says `format: uuid`.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const trutoConnection = defineConnection(
  facts.name,
  facts.defaultBaseUrl,
  { token: true, integratedAccountId: true },
  (config: TrutoConfig, baseUrl) => {
    const problem = requireString(config, "token") ?? requireString(config, "integratedAccountId");
    if (problem) return problem;
    if (!UUID.test(config.integratedAccountId)) return "`integratedAccountId` must be a UUID";
    const settings: TrutoSettings = { integratedAccountId: config.integratedAccountId };
    return { baseUrl, headers: { Authorization: bearer(config.token) }, secrets: [config.token], settings };
  },
);

/** A typed openapi-fetch client for Truto's contact delete, with auth applied (pass `integrated_account_id` per call). */
export function createClient(config: Omit<TrutoConfig, "provider">): Client<paths> {
  return createRawClient(trutoConnection, { ...config, provider: "truto" });
}
