/** Close: `DELETE /api/v1/contact/{id}/` (trailing slash kept). Success is `{}`. */
import * as facts from "../../../generated/close.facts.js";
import type { paths } from "../../../generated/close.js";
import { isRecord } from "../../contact.js";
import { defineProvider } from "../../provider.js";
import { firstMessage } from "../shared.js";
import { closeConnection, type CloseConfig } from "./connection.js";

export type { CloseConfig } from "./connection.js";

/** Close's delete takes no request options. */
export interface CloseDeleteOptions {}

export const closeAdapter = defineProvider<"close", CloseConfig, CloseDeleteOptions, {}, paths>({
  connection: closeConnection,
  operation: facts.deleteContact,
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
    return firstMessage(body.message, body.error, [...errors, ...fieldErrors].join("; "));
  },
  retryHint(_response, bodyText) {
    // The `RateLimit` header is read by the shared hint parser; the deprecated 429 body
    // `{ "rate_reset": 1.5, ... }` (seconds) is Close's alone.
    try {
      const parsed: unknown = JSON.parse(bodyText);
      if (isRecord(parsed) && typeof parsed.rate_reset === "number" && parsed.rate_reset >= 0) {
        return Math.ceil(parsed.rate_reset * 1000);
      }
    } catch {
      // Not JSON: no body hint.
    }
    return null;
  },
});
