/**
 * The Node-only halves of the providers in src/registry.ts (same keys, same order): what the CLI and
 * `contactkit/testing` need beyond the adapters. A module of its own so that reading it loads no
 * adapter: `contactkit help`, usage errors and argument parsing start without the library core.
 */
import type { ProviderName } from "./registry.js";
import { closeTooling } from "./providers/close/tooling.js";
import { featurebaseTooling } from "./providers/featurebase/tooling.js";
import { hubspotTooling } from "./providers/hubspot/tooling.js";
import { trutoTooling } from "./providers/truto/tooling.js";
import { userapiTooling } from "./providers/userapi/tooling.js";
import { wethodTooling } from "./providers/wethod/tooling.js";

/** A provider missing here, or one the registry lacks, is a compile error. */
export const toolingRegistry = {
  userapi: userapiTooling,
  truto: trutoTooling,
  wethod: wethodTooling,
  close: closeTooling,
  featurebase: featurebaseTooling,
  hubspot: hubspotTooling,
} satisfies Record<ProviderName, unknown>;

export type ToolingRegistry = typeof toolingRegistry;

/**
 * The same names as `providerNames` in src/providers/names.ts, read from this module so the CLI's
 * cheap paths stay cheap (test/project/registry.test.ts checks both lists are equal, in order).
 */
export const providerNames = Object.keys(toolingRegistry) as readonly ProviderName[];

/** True when `value` names a provider contactkit knows (as `isProviderName` in src/providers/names.ts). */
export function isProviderName(value: unknown): value is ProviderName {
  return typeof value === "string" && Object.hasOwn(toolingRegistry, value);
}
