/** The providers contactkit knows, in a stable order (registry, docs, demo and CLI use it). */
export const providerNames = ["userapi", "truto", "wethod", "close", "featurebase"] as const;

/** `"userapi" | "truto" | "wethod" | "close" | "featurebase"`. */
export type ProviderName = (typeof providerNames)[number];

/** True when `value` names a provider contactkit knows. */
export function isProviderName(value: unknown): value is ProviderName {
  return typeof value === "string" && (providerNames as readonly string[]).includes(value);
}
