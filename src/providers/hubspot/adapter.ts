/**
 * HubSpot: `DELETE /crm/v3/objects/contacts/{contactId}` archives the contact (HubSpot keeps it
 * restorable for 90 days; see the spec). Success is a bodiless 204; ids are digits (the spec's
 * pattern). Everything else is the defaults: the spec's facts drive the id rule and the request,
 * and the error body's `message` is the default error text.
 */
import * as facts from "../../../generated/hubspot.facts.js";
import type { paths } from "../../../generated/hubspot.js";
import { defineProvider } from "../../provider.js";
import { hubspotConnection, type HubspotConfig } from "./connection.js";

export type { HubspotConfig } from "./connection.js";

/** HubSpot's delete takes no request options. */
export type HubspotDeleteOptions = {};

export const hubspotAdapter = defineProvider<"hubspot", HubspotConfig, HubspotDeleteOptions, {}, paths>({
  connection: hubspotConnection,
  operation: facts.deleteContact,
  read: { operation: facts.getContact, notFound: facts.getContactNotFound },
  notFound: facts.deleteContactNotFound,
  title: "HubSpot",
  // The lowest documented burst limit (Free/Starter, and OAuth apps): 100 requests per 10 s.
  rateLimit: { limit: 100, windowMs: 10_000 },
  // No Retry-After is documented: a 429 means "wait out the rolling window" (its length is a header).
  retryHint(response) {
    if (response.status !== 429) return null;
    const interval = Number(response.headers.get("x-hubspot-ratelimit-interval-milliseconds"));
    return Number.isFinite(interval) && interval > 0 ? interval : null;
  },
  requestIdHeaders: ["x-hubspot-correlation-id"],
});
