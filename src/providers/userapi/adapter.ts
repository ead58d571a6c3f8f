/**
 * userapi: a personal CRM's `DELETE /user-api/v1/contacts/{id}` (vendor unidentified, see the
 * spec). Success is `{ data: contact }` with optional related records selected by `include`.
 */
import * as facts from "../../../generated/userapi.facts.js";
import type { paths } from "../../../generated/userapi.js";
import { contactFrom, isRecord, records, str, textsAt } from "../../contact.js";
import { defineProvider } from "../../provider.js";
import { firstMessage, wrongType } from "../shared.js";
import { userapiConnection, type UserapiConfig } from "./connection.js";

export type { UserapiConfig } from "./connection.js";

const operation = facts.deleteContact;
const includeParam = operation.parameters.include;
/** The related-data names `include` accepts (the spec's enum). */
export const userapiIncludes = includeParam.schema.items.enum;
/** A related-data name `include` accepts. */
export type UserapiInclude = (typeof userapiIncludes)[number];

/** userapi's own `deleteContact` options. */
export interface UserapiDeleteOptions {
  /** Related data to return with the deleted contact, sent as one comma-separated `include`. @default none */
  include?: UserapiInclude[];
}

export const userapiAdapter = defineProvider<"userapi", UserapiConfig, UserapiDeleteOptions, {}, paths>({
  connection: userapiConnection,
  operation,
  notFound: facts.deleteContactNotFound,
  title: "userapi",
  // No `read`: userapi documents no read-one-contact endpoint, so it cannot verify.
  // Not documented: a conservative 10 requests/s until the API's own headers say otherwise.
  rateLimit: { limit: 10, windowMs: 1000 },
  options: { include: true },
  checkOptions({ include }) {
    if (include === undefined) return null;
    if (!Array.isArray(include)) return "`include` must be an array";
    const unknown = include.find((item) => !(userapiIncludes as readonly string[]).includes(item));
    return unknown === undefined ? null : `\`include\` has ${JSON.stringify(unknown)}; allowed: ${userapiIncludes.join(", ")}`;
  },
  send({ client, id, options, fetch }) {
    return client.DELETE(operation.path, {
      params: { path: { id }, query: { include: options.include } },
      // One comma-separated list, as the spec's style/explode say.
      querySerializer: { array: { style: includeParam.style, explode: includeParam.explode } },
      parseAs: "text",
      fetch,
    });
  },
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
      contact: contactFrom(data.id, data, {
        fullName: str(data.full_name),
        emails: textsAt(data.emails, "email_address"),
        phones: records(data.phone_numbers)
          .map((p) => (str(p.phone_number) === null ? null : `${str(p.country_code) ?? ""}${str(p.phone_number)}`))
          .filter((p): p is string => p !== null),
        company: company ? str(company.name) : null,
      }),
    };
  },
  errorMessage(body) {
    if (!isRecord(body)) return null;
    const error = isRecord(body.error) ? body.error : null;
    return firstMessage(body.message, error?.message, body.error);
  },
});
