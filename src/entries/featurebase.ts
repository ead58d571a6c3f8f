/** `contactkit/featurebase`: the raw typed openapi-fetch client for this provider and its generated `paths`. */
export { createClient, type paths } from "../providers/featurebase/connection.js";
export type { FeaturebaseConfig } from "../providers/featurebase/connection.js";
