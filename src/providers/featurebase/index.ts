/** Featurebase: both halves of the provider module, for the registry. */
export { featurebaseAdapter as adapter } from "./adapter.js";
export { featurebaseTooling as tooling } from "./tooling.js";
