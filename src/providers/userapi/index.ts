/** userapi: both halves of the provider module, for the registry. */
export { userapiAdapter as adapter } from "./adapter.js";
export { userapiTooling as tooling } from "./tooling.js";
