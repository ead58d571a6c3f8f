/** `contactkit/truto`: the raw typed openapi-fetch client for this provider and its generated `paths`. */
export { createClient, type paths } from "../providers/truto/connection.js";
export type { TrutoConfig } from "../providers/truto/connection.js";
