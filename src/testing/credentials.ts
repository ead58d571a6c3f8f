/** The credentials the fake accepts: each provider's tooling defaults, optionally overridden. */
import { providerNames } from "../providers/names.js";
import { toolingRegistry } from "../tooling-registry.js";
import type { FakeCredentials, FakeProvidersOptions } from "./types.js";

/**
 * Fake credentials, from each provider's tooling: obviously fake, stable, and distinct per
 * provider so a mix-up fails auth. Frozen: it is exported, and a caller mutating it would change
 * every later fake's defaults.
 */
export const defaultFakeCredentials: Readonly<FakeCredentials> = Object.freeze(
  Object.fromEntries(
    providerNames.map((name) => [name, Object.freeze({ ...toolingRegistry[name].fake.credentials })]),
  ) as unknown as FakeCredentials,
);

/** Per-provider shallow merge: `{ truto: { token: "x" } }` keeps the default account id. */
export function mergeCredentials(overrides: FakeProvidersOptions["credentials"]): FakeCredentials {
  const credentials = {} as FakeCredentials;
  for (const name of providerNames) {
    Object.assign(credentials, { [name]: { ...defaultFakeCredentials[name], ...overrides?.[name] } });
  }
  return credentials;
}
