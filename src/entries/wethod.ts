/** `contactkit/wethod`: the raw typed openapi-fetch client for this provider and its generated `paths`. */
export { createClient, type paths } from "../providers/wethod/connection.js";
export type { WethodConfig } from "../providers/wethod/connection.js";
