/** The embedded fake providers for one test file: started before its tests, reset before each, closed after. */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startFakeProviders, type FakeProviders, type FakeProvidersOptions } from "../../src/testing/index.js";

/** A getter, since the server only exists once `beforeAll` ran. */
export function useFakeProviders(options?: FakeProvidersOptions): () => FakeProviders {
  let fake: FakeProviders | undefined;
  beforeAll(async () => {
    fake = await startFakeProviders(options);
  });
  beforeEach(() => fake?.reset());
  afterAll(async () => {
    await fake?.close();
  });
  return () => {
    if (!fake) throw new Error("the fake providers are not running (use them inside a test)");
    return fake;
  };
}
