/**
 * Wethod: `DELETE /api/contact/{id}`; ids are positive integers (the spec's `integer, minimum: 1`).
 * The 200 body is not documented, so any body (or none) counts as success.
 */
import * as facts from "../../../generated/wethod.facts.js";
import type { paths } from "../../../generated/wethod.js";
import { isRecord, records } from "../../contact.js";
import { defineProvider } from "../../provider.js";
import { firstMessage } from "../shared.js";
import { wethodConnection, type WethodConfig } from "./connection.js";

export type { WethodConfig } from "./connection.js";

/** Wethod's delete takes no request options. */
export type WethodDeleteOptions = {};

export const wethodAdapter = defineProvider<"wethod", WethodConfig, WethodDeleteOptions, {}, paths>({
  connection: wethodConnection,
  operation: facts.deleteContact,
  read: { operation: facts.getContact, notFound: facts.getContactNotFound },
  notFound: facts.deleteContactNotFound,
  title: "Wethod",
  // Wethod: "personal rate limit is 5,000 requests per hour" (3rd-party SDK docs).
  rateLimit: { limit: 5000, windowMs: 3_600_000 },
  successMayBeText: true,
  errorMessage(body) {
    if (!isRecord(body)) return null;
    const failures = records(body.failures).map((f) => `${String(f.field)}: ${String(f.message)}`);
    const message = firstMessage(body.message, body.key);
    return failures.length > 0 ? `${message ?? "validation failed"} (${failures.join("; ")})` : message;
  },
});
