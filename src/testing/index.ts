/**
 * `contactkit/testing`: an embedded fake of every provider's delete-contact endpoint, for
 * offline integration tests, demos and benchmarks.
 */
export { startFakeProviders } from "./fake-providers.js";
export { defaultFakeCredentials } from "./server.js";
export { formatFakeProvidersSummary, summarizeFakeProviders, type FakeProvidersSummary } from "./summary.js";
export type {
  FakeClientConfig,
  FakeCredentials,
  FakeFault,
  FakeProviders,
  FakeProvidersOptions,
  RecordedRequest,
} from "./types.js";
