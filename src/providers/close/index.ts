/** Close: both halves of the provider module, for the registry. */
export { closeAdapter as adapter } from "./adapter.js";
export { closeTooling as tooling } from "./tooling.js";
