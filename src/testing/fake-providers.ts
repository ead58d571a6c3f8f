import { manifest } from "../../generated/manifest.js";
import { startFakeProvidersWith } from "./server.js";
import type { FakeProviders, FakeProvidersOptions } from "./types.js";

export type {
  FakeClientConfig,
  FakeCredentials,
  FakeFault,
  FakeProviders,
  FakeProvidersOptions,
  RecordedRequest,
} from "./types.js";

/**
 * Start one `node:http` server on 127.0.0.1 that plays every provider's delete-contact
 * endpoints, driven by the specs (through `generated/manifest.ts`): same paths, parameter rules,
 * auth schemes and example bodies. Stateful (seeded contacts, 404 on a second delete), with a fault
 * queue, an optional rate limit and CORS. Always `close()` it.
 *
 * @example
 * const fake = await startFakeProviders();
 * const client = createContactsClient(fake.clientConfig("close"));
 * await client.deleteContact(fake.seeded.close[0]);
 * await fake.close();
 */
export function startFakeProviders(options?: FakeProvidersOptions): Promise<FakeProviders> {
  return startFakeProvidersWith(manifest, options);
}
