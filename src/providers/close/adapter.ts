/** Close: `DELETE /api/v1/contact/{id}/` (trailing slash kept). Success is `{}`. */
import * as facts from "../../../generated/close.facts.js";
import type { paths } from "../../../generated/close.js";
import { isRecord } from "../../contact.js";
import { defineProvider } from "../../provider.js";
import { firstMessage } from "../shared.js";
import { closeConnection, type CloseConfig } from "./connection.js";

export type { CloseConfig } from "./connection.js";

/** Close's delete takes no request options. */
export type CloseDeleteOptions = {};

export const closeAdapter = defineProvider<"close", CloseConfig, CloseDeleteOptions, {}, paths>({
  connection: closeConnection,
  operation: facts.deleteContact,
  read: { operation: facts.getContact, notFound: facts.getContactNotFound },
  notFound: facts.deleteContactNotFound,
  title: "Close",
  // Close sets limits per endpoint group and reports them in `RateLimit`; start modestly.
  rateLimit: { limit: 10, windowMs: 1000 },
  parseSuccess(body) {
    if (body !== null && !isRecord(body)) return { invalid: "expected a JSON object (`{}`)" };
    return { contact: null };
  },
  errorMessage(body) {
    if (!isRecord(body)) return null;
    const errors = Array.isArray(body.errors) ? body.errors.filter((e) => typeof e === "string") : [];
    const fieldErrors = isRecord(body["field-errors"])
      ? Object.entries(body["field-errors"]).map(([field, message]) => `${field}: ${String(message)}`)
      : [];
    // The legacy 429 body may nest its fields under `error` (the official client's fixture).
    const nested = isRecord(body.error) ? body.error.message : undefined;
    return firstMessage(body.message, body.error, nested, [...errors, ...fieldErrors].join("; "));
  },
  retryHint(_response, bodyText) {
    // `Retry-After` and `RateLimit` are read by the shared hint parser; the deprecated 429 body's
    // `rate_reset` (seconds) is Close's alone, at the top level or nested under `error` (sources
    // disagree, see the spec), so both are read.
    let parsed: unknown;
    try {
      parsed = JSON.parse(bodyText);
    } catch {
      return null; // Not JSON: no body hint.
    }
    if (!isRecord(parsed)) return null;
    for (const holder of [parsed, parsed.error]) {
      if (isRecord(holder) && typeof holder.rate_reset === "number" && Number.isFinite(holder.rate_reset) && holder.rate_reset >= 0) {
        return Math.ceil(holder.rate_reset * 1000);
      }
    }
    return null;
  },
});
