/** `contactkit/userapi`: the raw typed openapi-fetch client for this provider and its generated `paths`. */
export { createClient, type paths } from "../providers/userapi.js";
export type { UserapiConfig } from "../providers/userapi.js";
