/**
 * Featurebase: `DELETE /v2/contacts/{id}`. Ids are 24-hex ObjectIds (the spec's pattern).
 * Success is `{ id, deleted: true, object: "contact" }`.
 */
import * as facts from "../../../generated/featurebase.facts.js";
import type { paths } from "../../../generated/featurebase.js";
import { isRecord } from "../../contact.js";
import { defineProvider } from "../../provider.js";
import { firstMessage, wrongType } from "../shared.js";
import { featurebaseConnection, type FeaturebaseConfig } from "./connection.js";

export type { FeaturebaseConfig, FeaturebaseVersion } from "./connection.js";

/** Featurebase's delete takes no request options. */
export type FeaturebaseDeleteOptions = {};

export const featurebaseAdapter = defineProvider<"featurebase", FeaturebaseConfig, FeaturebaseDeleteOptions, {}, paths>({
  connection: featurebaseConnection,
  operation: facts.deleteContact,
  read: { operation: facts.getContact, notFound: facts.getContactNotFound },
  notFound: facts.deleteContactNotFound,
  title: "Featurebase",
  // Featurebase: 2,000 requests per minute per API key.
  rateLimit: { limit: 2000, windowMs: 60_000 },
  parseSuccess(body, id) {
    if (body === null) return { contact: null };
    if (!isRecord(body)) return { invalid: "expected a DeletedContact object" };
    if ("deleted" in body && body.deleted !== true) return { invalid: "`deleted` is not true" };
    if (wrongType(body, "id", "string")) return { invalid: "`id` is not a string" };
    // ObjectIds compare case-insensitively; the usual answer echoes the id as sent (no lowercased copies then).
    if (typeof body.id === "string" && body.id !== id && body.id.toLowerCase() !== id.toLowerCase())
      return { invalid: `\`id\` is ${JSON.stringify(body.id)}, not the requested id` };
    return { contact: null };
  },
  errorMessage(body) {
    if (!isRecord(body)) return null;
    const error = isRecord(body.error) ? body.error : null;
    return firstMessage(error?.message, body.message, error?.code);
  },
});
