/** userapi for the CLI and the fake providers (never bundled into the core). */
import { defineTooling } from "../../tooling.js";

export const userapiTooling = defineTooling({
  env: [
    { name: "USERAPI_TOKEN", field: "token", required: true, secret: true, description: "API token (Bearer)" },
    { name: "USERAPI_BASE_URL", field: "baseUrl", required: true, secret: false, description: "your API's base URL (or --base-url)" },
  ],
  hints: { unauthorized: "the provider rejected the credentials: check USERAPI_TOKEN and USERAPI_BASE_URL." },
  fake: {
    credentials: { token: "fake-userapi-token" },
    // baseUrl is required by the config type; the fake sets it to its own URL.
    clientConfig: (c) => ({ provider: "userapi" as const, token: c.token }),
    // No documented rate-limit headers; only the generic Retry-After on 429.
    rules: { bearer: (c) => c.token },
    // A Dex-like personal CRM: the spec example is `contact_67890`.
    generatedId: (n) => `contact_${10001 + n}`,
  },
});
