/** Provider names, derived from the registry (its key order is the stable order docs, demo and CLI use). */
import { registry, type ProviderName } from "../registry.js";

export type { ProviderName };

/** Every provider contactkit knows, in registry order. */
export const providerNames = Object.keys(registry) as readonly ProviderName[];

/** True when `value` names a provider contactkit knows. */
export function isProviderName(value: unknown): value is ProviderName {
  return typeof value === "string" && Object.hasOwn(registry, value);
}
