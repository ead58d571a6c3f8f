/** Wethod: both halves of the provider module, for the registry. */
export { wethodAdapter as adapter } from "./adapter.js";
export { wethodTooling as tooling } from "./tooling.js";
