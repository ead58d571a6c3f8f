/** `contactkit/userapi`: the raw typed openapi-fetch client for this provider and its generated `paths`. */
export { createClient, type paths } from "../providers/userapi/connection.js";
export type { UserapiConfig } from "../providers/userapi/connection.js";
