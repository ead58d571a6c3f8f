/**
 * Truto unified CRM: `DELETE /unified/crm/contacts/{id}?integrated_account_id=…` with a Bearer
 * token. Truto forwards the delete to the connected CRM and answers with the unified contact
 * (only `id` is guaranteed; Truto's own skill docs say some integrations return just `{ id }`).
 */
import * as facts from "../../../generated/truto.facts.js";
import type { paths } from "../../../generated/truto.js";
import { contactFrom, isRecord, str, textsAt } from "../../contact.js";
import { defineProvider } from "../../provider.js";
import { firstMessage, wrongType } from "../shared.js";
import { trutoConnection, type TrutoConfig, type TrutoSettings } from "./connection.js";
import { remoteQueryPairs, type TrutoRemoteQuery } from "./remote-query.js";
import { createQuerySerializer } from "openapi-fetch";
import { BASE_URL_HINT } from "../../not-found.js";

export type { TrutoConfig } from "./connection.js";

const operation = facts.deleteContact;
/** `truto_response_format` values (the spec's enum). */
export const trutoResponseFormats = operation.parameters.truto_response_format.schema.enum;
/**
 * Formats contactkit can send on a delete: `stream` is refused, since a streamed answer cannot
 * confirm the delete (the result must say `deleted` only when the provider did).
 */
type DeleteResponseFormat = Exclude<(typeof trutoResponseFormats)[number], "stream">;
const deleteResponseFormats = trutoResponseFormats.filter((f) => f !== "stream");
// Everything but remote_query, as openapi-fetch would write it (exploded arrays, `name[]=…`).
const plainQuery = createQuerySerializer();

/** Truto's own query options for the delete call. */
export interface TrutoDeleteOptions {
  /**
   * `truto_response_format`: `unified` (mapped), `raw` (the CRM's body) or `normalized`. Truto's
   * `stream` is refused (`invalid_input`): a streamed answer cannot confirm that the delete happened.
   * @default "unified" (Truto's default; not sent unless given)
   */
  responseFormat?: DeleteResponseFormat;
  /** `truto_ignore_remote_data`: drop `remote_data` from the response. @default not sent (Truto includes it) */
  ignoreRemoteData?: boolean;
  /** `truto_exclude_fields[]`: fields to leave out of the response. @default none */
  excludeFields?: string[];
  /**
   * `remote_query[key]=value`: query parameters passed to the underlying CRM untouched. Values may be
   * scalars, arrays and objects up to three levels of keys (`{ foo: { bar1: { bar2: "baz2" } } }` →
   * `remote_query[foo][bar1][bar2]=baz2`, `{ foo: ["bar"] }` → `remote_query[foo][]=bar`); keys are
   * 1–128 letters, digits, `_`, `.` or `-`. @default none
   */
  remoteQuery?: TrutoRemoteQuery;
}

export const trutoAdapter = defineProvider<"truto", TrutoConfig, TrutoDeleteOptions, TrutoSettings, paths>({
  connection: trutoConnection,
  operation,
  notFound: facts.deleteContactNotFound,
  // Truto's own 404 (no `truto_is_remote_error`) is almost always an unknown integrated account.
  foreignNotFoundHint: (body) =>
    isRecord(body) ? "check `integratedAccountId` (Truto answered: unknown account, or not visible to this token)" : BASE_URL_HINT,
  title: "Truto",
  // Truto: 50 requests per 10 s per integrated account (500 per 10 s per token).
  rateLimit: { limit: 50, windowMs: 10_000 },
  options: { responseFormat: true, ignoreRemoteData: true, excludeFields: true, remoteQuery: true },
  checkOptions(options) {
    const { responseFormat, ignoreRemoteData, excludeFields, remoteQuery } = options;
    if (responseFormat !== undefined && !(deleteResponseFormats as readonly string[]).includes(responseFormat)) {
      // Truto lists `stream`, but a streamed answer cannot confirm that the contact was deleted.
      return `\`responseFormat\` must be ${deleteResponseFormats.join(", ")}${(responseFormat as string) === "stream" ? " (a stream cannot confirm a delete)" : ""}`;
    }
    if (ignoreRemoteData !== undefined && typeof ignoreRemoteData !== "boolean") return "`ignoreRemoteData` must be a boolean";
    if (excludeFields !== undefined) {
      if (!Array.isArray(excludeFields) || excludeFields.some((f) => typeof f !== "string" || f === "")) {
        return "`excludeFields` must be non-empty strings";
      }
    }
    const pairs = remoteQuery === undefined ? [] : remoteQueryPairs(remoteQuery);
    return typeof pairs === "string" ? pairs : null;
  },
  send({ client, id, options, prepared, fetch }) {
    return client.DELETE(operation.path, {
      params: {
        path: { id },
        query: {
          integrated_account_id: prepared.settings.integratedAccountId,
          truto_response_format: options.responseFormat,
          truto_ignore_remote_data: options.ignoreRemoteData,
          "truto_exclude_fields[]": options.excludeFields,
        },
      },
      // openapi-fetch writes one level of deepObject; remote_query nests (remote-query.ts).
      // (checkOptions has refused anything remoteQueryPairs cannot write, so these are pairs.)
      querySerializer: (query) =>
        [plainQuery(query), ...(options.remoteQuery ? (remoteQueryPairs(options.remoteQuery) as string[]) : [])]
          .filter((part) => part !== "")
          .join("&"),
      parseAs: "text",
      fetch,
    });
  },
  read: { operation: facts.getContact, notFound: facts.getContactNotFound },
  // The read names the same integrated account as the delete; Truto's response options are the delete's, not sent.
  sendRead({ client, id, prepared, fetch }) {
    return client.GET(facts.getContact.path, {
      params: { path: { id }, query: { integrated_account_id: prepared.settings.integratedAccountId } },
      parseAs: "text",
      fetch,
    });
  },
  parseSuccess(body) {
    if (body === null) return { contact: null };
    if (!isRecord(body)) return { invalid: "expected a contact object" };
    if (wrongType(body, "id", "string")) return { invalid: "`id` is not a string" };
    if (typeof body.id !== "string") return { contact: null };
    return {
      contact: contactFrom(body.id, body, {
        fullName: str(body.name),
        emails: textsAt(body.email_addresses, "email"),
        phones: textsAt(body.phone_numbers, "number"),
        company: isRecord(body.account) ? str(body.account.name) : null,
      }),
    };
  },
  errorMessage(body) {
    if (!isRecord(body)) return null;
    const message = firstMessage(body.message, body.error);
    // Failures of the connected CRM carry its own body; say so, the remote text is the useful part.
    if (body.truto_is_remote_error === true) {
      const remote = isRecord(body.raw_response)
        ? firstMessage(body.raw_response.message, body.raw_response.error)
        : str(body.raw_response);
      return remote && remote !== message ? `${message ?? "remote error"} (CRM said: ${remote})` : message;
    }
    return message;
  },
});
