/** `contactkit/close`: the raw typed openapi-fetch client for this provider and its generated `paths`. */
export { createClient, type paths } from "../providers/close/connection.js";
export type { CloseConfig } from "../providers/close/connection.js";
