/** `contactkit/wethod`: the raw typed openapi-fetch client for this provider and its generated `paths`. */
export { createClient, type paths } from "../providers/wethod.js";
export type { WethodConfig } from "../providers/wethod.js";
