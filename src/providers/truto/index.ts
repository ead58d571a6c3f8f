/** Truto: both halves of the provider module, for the registry. */
export { trutoAdapter as adapter } from "./adapter.js";
export { trutoTooling as tooling } from "./tooling.js";
