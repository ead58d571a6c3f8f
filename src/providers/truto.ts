/**
 * Truto unified CRM: `DELETE /unified/crm/contacts/{id}?integrated_account_id=…` with a Bearer
 * token. Truto forwards the delete to the connected CRM and answers with the unified contact
 * (only `id` is guaranteed; Truto's own skill docs say some integrations return just `{ id }`).
 */
import type { Client } from "openapi-fetch";
import type { paths } from "../../generated/truto.js";
import type { CommonClientOptions, ProviderAdapter, ProviderConnection } from "../adapter.js";
import { contactFrom, isRecord, records, str } from "../contact.js";
import { queryKeyProblem } from "../query-keys.js";
import { createRawClient } from "../raw-client.js";
import { bearer, firstMessage, requireString, wrongType } from "./shared.js";

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

export const trutoResponseFormats = ["unified", "raw", "normalized"] as const;

/** Truto's own query options for the delete call. */
export interface TrutoDeleteOptions {
  /**
   * `truto_response_format`: `unified` (mapped), `raw` (the CRM's body) or `normalized`.
   * @default "unified" (Truto's default; not sent unless given)
   */
  responseFormat?: (typeof trutoResponseFormats)[number];
  /** `truto_ignore_remote_data`: drop `remote_data` from the response. @default not sent (Truto includes it) */
  ignoreRemoteData?: boolean;
  /** `truto_exclude_fields[]`: fields to leave out of the response. @default none */
  excludeFields?: string[];
  /** `remote_query[key]=value`: query parameters passed to the underlying CRM untouched. @default none */
  remoteQuery?: Record<string, string | number | boolean>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How to reach truto: base URL and auth, shared by the facade and the raw client. */
export const trutoConnection: ProviderConnection<"truto", TrutoConfig> = {
  name: "truto",
  defaultBaseUrl: "https://api.truto.one",
  prepare(config, baseUrl) {
    const problem = requireString(config, "token") ?? requireString(config, "integratedAccountId");
    if (problem) return problem;
    if (!UUID.test(config.integratedAccountId)) return "`integratedAccountId` must be a UUID";
    return {
      baseUrl,
      headers: { Authorization: bearer(config.token) },
      secrets: [config.token],
      settings: { integratedAccountId: config.integratedAccountId },
    };
  },
};

export const trutoAdapter: ProviderAdapter<"truto", TrutoConfig, TrutoDeleteOptions, paths> = {
  connection: trutoConnection,
  title: "Truto",
  // Truto: 50 requests per 10 s per integrated account (500 per 10 s per token).
  rateLimit: { limit: 50, windowMs: 10_000 },
  checkId: () => null,
  optionKeys: ["responseFormat", "ignoreRemoteData", "excludeFields", "remoteQuery"],
  checkOptions(options) {
    const { responseFormat, ignoreRemoteData, excludeFields, remoteQuery } = options;
    if (responseFormat !== undefined && !(trutoResponseFormats as readonly string[]).includes(responseFormat)) {
      return `\`responseFormat\` must be ${trutoResponseFormats.join(", ")}`;
    }
    if (ignoreRemoteData !== undefined && typeof ignoreRemoteData !== "boolean") return "`ignoreRemoteData` must be a boolean";
    if (excludeFields !== undefined) {
      if (!Array.isArray(excludeFields) || excludeFields.some((f) => typeof f !== "string" || f === "")) {
        return "`excludeFields` must be non-empty strings";
      }
    }
    if (remoteQuery !== undefined) {
      if (!isRecord(remoteQuery)) return "`remoteQuery` must be a plain object";
      // openapi-fetch's deepObject serializer supports one level only.
      const nested = Object.entries(remoteQuery).find(([, v]) => !["string", "number", "boolean"].includes(typeof v));
      if (nested) return `\`remoteQuery.${nested[0]}\` must be a scalar`;
      return queryKeyProblem("remoteQuery", remoteQuery);
    }
    return null;
  },
  send(client, id, options, prepared, fetch) {
    return client.DELETE("/unified/crm/contacts/{id}", {
      params: {
        path: { id },
        query: {
          integrated_account_id: prepared.settings.integratedAccountId!,
          truto_response_format: options.responseFormat,
          truto_ignore_remote_data: options.ignoreRemoteData,
          "truto_exclude_fields[]": options.excludeFields,
          remote_query: options.remoteQuery,
        },
      },
      parseAs: "text",
      fetch,
    });
  },
  successMayBeText: false,
  parseSuccess(body) {
    if (body === null) return { contact: null };
    if (!isRecord(body)) return { invalid: "expected a contact object" };
    if (wrongType(body, "id", "string")) return { invalid: "`id` is not a string" };
    if (typeof body.id !== "string") return { contact: null };
    const account = isRecord(body.account) ? body.account : {};
    return {
      contact: contactFrom(body.id, {
        fullName: str(body.name),
        firstName: str(body.first_name),
        lastName: str(body.last_name),
        title: str(body.title),
        emails: records(body.email_addresses).map((e) => str(e.email)).filter((e): e is string => e !== null),
        phones: records(body.phone_numbers).map((p) => str(p.number)).filter((p): p is string => p !== null),
        company: str(account.name),
        createdAt: str(body.created_at),
        updatedAt: str(body.updated_at),
      }),
    };
  },
  errorMessage(body) {
    if (!isRecord(body)) return null;
    const message = firstMessage(body.message, body.error);
    // Failures of the connected CRM carry its own body; say so, the remote text is the useful part.
    if (body.truto_is_remote_error === true) {
      const remote = isRecord(body.raw_response) ? firstMessage(body.raw_response.message, body.raw_response.error) : str(body.raw_response);
      return remote && remote !== message ? `${message ?? "remote error"} (CRM said: ${remote})` : message;
    }
    return message;
  },
  // Its rate-limit headers are read by the shared hint parser.
  retryHint: () => null,
};

/** A typed openapi-fetch client for Truto's contact delete, with auth applied (pass `integrated_account_id` per call). */
export function createClient(config: Omit<TrutoConfig, "provider">): Client<paths> {
  return createRawClient(trutoConnection, { ...config, provider: "truto" });
}
