/**
 * The one list of providers. Adding a provider = its spec, its folder in src/providers/, one import
 * plus one line here, and the same for its tooling half in src/tooling-registry.ts (a compile error
 * until you do); everything else (names, the config union, option types, CLI, fake, docs, package
 * exports, budgets, test suites) derives from this.
 *
 * Each provider folder has two halves: `adapter.ts` (the facade's part, in the core bundle) and
 * `tooling.ts` (CLI and fake-provider data, Node-only). They are listed in two modules because an
 * ES module cannot import half of another: the core never loads the tooling, and the CLI's help and
 * argument parsing load the tooling without any adapter (and so without openapi-fetch).
 */
import { closeAdapter } from "./providers/close/adapter.js";
import { featurebaseAdapter } from "./providers/featurebase/adapter.js";
import { hubspotAdapter } from "./providers/hubspot/adapter.js";
import { trutoAdapter } from "./providers/truto/adapter.js";
import { userapiAdapter } from "./providers/userapi/adapter.js";
import { wethodAdapter } from "./providers/wethod/adapter.js";

export const registry = {
  userapi: userapiAdapter,
  truto: trutoAdapter,
  wethod: wethodAdapter,
  close: closeAdapter,
  featurebase: featurebaseAdapter,
  hubspot: hubspotAdapter,
};

export type Registry = typeof registry;
/** The providers contactkit knows. */
export type ProviderName = keyof Registry;

/** The config type of provider `P`. */
export type ConfigOf<P extends ProviderName> = P extends ProviderName
  ? Registry[P] extends { connection: { prepare(config: infer C, baseUrl: string): unknown } }
    ? C
    : never
  : never;

/** The provider-specific `deleteContact` options of provider `P`. */
export type RequestOptionsOf<P extends ProviderName> = Registry[P] extends { checkOptions(options: infer O): unknown } ? O : never;
