/**
 * The one list of providers. Adding a provider = its spec, its folder in src/providers/ and one
 * import plus one name in `providers` below; everything else (names, the config union, option
 * types, CLI, fake, docs, package exports, budgets, test suites) derives from this.
 *
 * Each provider folder exports two halves: `adapter` (the facade's part, in the core bundle) and
 * `tooling` (CLI and fake-provider data, Node-only). `toolingRegistry` is only read by the CLI and
 * `contactkit/testing`; the core never touches it, so bundlers drop the tooling modules.
 */
import * as close from "./providers/close/index.js";
import * as featurebase from "./providers/featurebase/index.js";
import * as hubspot from "./providers/hubspot/index.js";
import * as truto from "./providers/truto/index.js";
import * as userapi from "./providers/userapi/index.js";
import * as wethod from "./providers/wethod/index.js";

export const registry = {
  userapi: userapi.adapter,
  truto: truto.adapter,
  wethod: wethod.adapter,
  close: close.adapter,
  featurebase: featurebase.adapter,
  hubspot: hubspot.adapter,
};

export type Registry = typeof registry;
/** The providers contactkit knows. */
export type ProviderName = keyof Registry;

/** Node-only halves, same keys (a provider without tooling is a compile error). */
export const toolingRegistry = {
  userapi: userapi.tooling,
  truto: truto.tooling,
  wethod: wethod.tooling,
  close: close.tooling,
  featurebase: featurebase.tooling,
  hubspot: hubspot.tooling,
} satisfies Record<ProviderName, unknown>;

export type ToolingRegistry = typeof toolingRegistry;

/** The config type of provider `P`. */
export type ConfigOf<P extends ProviderName> = P extends ProviderName
  ? Registry[P] extends { connection: { prepare(config: infer C, baseUrl: string): unknown } }
    ? C
    : never
  : never;

/** The provider-specific `deleteContact` options of provider `P`. */
export type RequestOptionsOf<P extends ProviderName> = Registry[P] extends { checkOptions(options: infer O): unknown } ? O : never;
