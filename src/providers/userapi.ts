/**
 * userapi: a personal CRM's `DELETE /user-api/v1/contacts/{id}` (vendor unidentified, see the
 * spec). No public host is known, so `baseUrl` is required; Bearer auth is an assumption.
 * Success is `{ data: contact }` with optional related records selected by `include`.
 */
import type { Client } from "openapi-fetch";
import type { paths } from "../../generated/userapi.js";
import type { CommonClientOptions, ProviderAdapter, ProviderConnection } from "../adapter.js";
import { contactFrom, isRecord, records, str } from "../contact.js";
import { createRawClient } from "../raw-client.js";
import { bearer, firstMessage, requireString, wrongType } from "./shared.js";

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

export const userapiIncludes = ["emails", "phone_numbers", "companies", "custom_fields", "tags", "lists", "notes"] as const;
/** A related-data name `include` accepts. */
export type UserapiInclude = (typeof userapiIncludes)[number];

/** userapi's own `deleteContact` options. */
export interface UserapiDeleteOptions {
  /** Related data to return with the deleted contact, sent as one comma-separated `include`. @default none */
  include?: UserapiInclude[];
}

/** How to reach userapi: base URL and auth, shared by the facade and the raw client. */
export const userapiConnection: ProviderConnection<"userapi", UserapiConfig> = {
  name: "userapi",
  defaultBaseUrl: null,
  prepare(config, baseUrl) {
    const problem = requireString(config, "token");
    if (problem) return problem;
    return { baseUrl, headers: { Authorization: bearer(config.token) }, secrets: [config.token], settings: {} };
  },
};

export const userapiAdapter: ProviderAdapter<"userapi", UserapiConfig, UserapiDeleteOptions, paths> = {
  connection: userapiConnection,
  title: "userapi",
  // Not documented: a conservative 10 requests/s until the API's own headers say otherwise.
  rateLimit: { limit: 10, windowMs: 1000 },
  checkId: () => null,
  optionKeys: ["include"],
  checkOptions({ include }) {
    if (include === undefined) return null;
    if (!Array.isArray(include)) return "`include` must be an array";
    const unknown = include.find((item) => !(userapiIncludes as readonly string[]).includes(item));
    return unknown === undefined ? null : `\`include\` has ${JSON.stringify(unknown)}; allowed: ${userapiIncludes.join(", ")}`;
  },
  send(client, id, options, _prepared, fetch) {
    return client.DELETE("/user-api/v1/contacts/{id}", {
      params: { path: { id }, query: { include: options.include } },
      // The spec says `style: form, explode: false`: one comma-separated list.
      querySerializer: { array: { style: "form", explode: false } },
      parseAs: "text",
      fetch,
    });
  },
  successMayBeText: false,
  parseSuccess(body) {
    if (body === null) return { contact: null };
    if (!isRecord(body)) return { invalid: "expected `{ data: contact }`" };
    if (wrongType(body, "data", "object")) return { invalid: "`data` is not an object" };
    const data = isRecord(body.data) ? body.data : null;
    if (data === null) return { contact: null };
    if (wrongType(data, "id", "string")) return { invalid: "`data.id` is not a string" };
    if (typeof data.id !== "string") return { contact: null };
    const companies = records(data.companies);
    const company = companies.find((c) => c.is_active === true) ?? companies[0];
    return {
      contact: contactFrom(data.id, {
        fullName: str(data.full_name),
        firstName: str(data.first_name),
        lastName: str(data.last_name),
        title: str(data.title),
        emails: records(data.emails).map((e) => str(e.email_address)).filter((e): e is string => e !== null),
        phones: records(data.phone_numbers)
          .map((p) => (str(p.phone_number) === null ? null : `${str(p.country_code) ?? ""}${str(p.phone_number)}`))
          .filter((p): p is string => p !== null),
        company: company ? str(company.name) : null,
        createdAt: str(data.created_at),
        updatedAt: str(data.updated_at),
      }),
    };
  },
  errorMessage(body) {
    if (!isRecord(body)) return null;
    const error = isRecord(body.error) ? body.error : null;
    return firstMessage(body.message, error?.message, body.error);
  },
  retryHint: () => null,
};

/** A typed openapi-fetch client for userapi's contact delete, with auth applied. */
export function createClient(config: Omit<UserapiConfig, "provider">): Client<paths> {
  return createRawClient(userapiConnection, { ...config, provider: "userapi" });
}
