/**
 * The one place that lists providers. Adding a provider = its spec, its adapter and one line here;
 * the facade, config union and per-provider option types all derive from this object.
 */
import type { AnyAdapter } from "./adapter.js";
import { closeAdapter } from "./providers/close.js";
import { featurebaseAdapter } from "./providers/featurebase.js";
import type { ProviderName } from "./providers/names.js";
import { trutoAdapter } from "./providers/truto.js";
import { userapiAdapter } from "./providers/userapi.js";
import { wethodAdapter } from "./providers/wethod.js";

export const registry = {
  userapi: userapiAdapter,
  truto: trutoAdapter,
  wethod: wethodAdapter,
  close: closeAdapter,
  featurebase: featurebaseAdapter,
} satisfies Record<ProviderName, AnyAdapter>;

export type Registry = typeof registry;

/** The config type of provider `P`. */
export type ConfigOf<P extends ProviderName> = Registry[P] extends { connection: { prepare(config: infer C, baseUrl: string): unknown } }
  ? C
  : never;

/** The provider-specific `deleteContact` options of provider `P`. */
export type RequestOptionsOf<P extends ProviderName> = Registry[P] extends { checkOptions(options: infer O): unknown } ? O : never;

export function adapterFor(name: ProviderName): AnyAdapter {
  return registry[name];
}
