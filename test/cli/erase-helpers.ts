/** Environment for `contactkit erase` against the fake: every provider's variables and base URL. */
import type { ProviderName } from "../../src/index.js";
import type { FakeProviders } from "../../src/testing/index.js";
import { providerEnvFor } from "./helpers.js";

/** Credentials and `<PROVIDER>_BASE_URL` for each provider, pointing at `fake`. */
export function eraseEnv(
  fake: FakeProviders,
  providers: readonly ProviderName[] = ["close", "featurebase", "truto"],
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const p of providers) Object.assign(env, providerEnvFor(fake, p), { [`${p.toUpperCase()}_BASE_URL`]: fake.url });
  return env;
}
