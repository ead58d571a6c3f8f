/** HubSpot: both halves of the provider module, for the registry. */
export { hubspotAdapter as adapter } from "./adapter.js";
export { hubspotTooling as tooling } from "./tooling.js";
