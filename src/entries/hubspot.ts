/** `contactkit/hubspot`: the raw typed openapi-fetch client for this provider and its generated `paths`. */
export { createClient, type paths } from "../providers/hubspot/connection.js";
export type { HubspotConfig } from "../providers/hubspot/connection.js";
