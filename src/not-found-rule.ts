/**
 * PLACEHOLDER until branch `fidelity` lands the shared "which 404 is about the contact" rule
 * (issue 10 item 2): a 404 counts as "contact does not exist" only with a JSON object body.
 */
import type { Body } from "./delete-one.js";
import type { ProviderName } from "./providers/names.js";

export function isContactNotFound(_provider: ProviderName, body: Body): boolean {
  return body.kind === "json" && typeof body.value === "object" && body.value !== null && !Array.isArray(body.value);
}
