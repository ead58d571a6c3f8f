import { configDefaults, defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.js";

/**
 * `npm run test:unit`: the contributor's inner loop. Everything that needs neither a build of
 * dist/ nor a browser: specs, generated facts, providers (nock), the facade, transport, bulk,
 * erasure, the fake, red-team and end-to-end tests over loopback. `npm test` runs it all.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        ...configDefaults.exclude,
        "test/package/**", // packs and bundles dist/
        "test/docs/**", // builds the docs, headless Chromium
        "test/**/*.browser.test.ts", // headless Chromium
        "test/cli/{commands,delete,erase,usage}.test.ts", // spawn the built CLI
        "test/e2e/erasure-crash.e2e.test.ts", // kills the built CLI
      ],
    },
  }),
);
