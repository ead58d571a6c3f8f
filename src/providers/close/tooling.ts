/** Close for the CLI and the fake providers (never bundled into the core). */
import { defineTooling, randomChars } from "../../tooling.js";

const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export const closeTooling = defineTooling({
  env: [
    { name: "CLOSE_API_KEY", field: "apiKey", required: true, secret: true, description: "API key (HTTP Basic)" },
    {
      name: "CLOSE_ACCESS_TOKEN",
      field: "accessToken",
      required: false,
      secret: true,
      insteadOf: "CLOSE_API_KEY",
      description: "OAuth access token (Bearer), instead of CLOSE_API_KEY",
    },
  ],
  fake: {
    credentials: { apiKey: "api_fakeclosekey0000000000", accessToken: "fake-close-oauth-token" },
    clientConfig: (c) => ({ provider: "close" as const, apiKey: c.apiKey }),
    rules: {
      bearer: (c) => c.accessToken,
      basic: (c) => ({ user: c.apiKey, password: "" }),
      // IETF draft single header, the format the official client parses.
      rateHeaders: (w) => ({ RateLimit: `limit=${w.limit}, remaining=${w.remaining}, reset=${w.resetSeconds}` }),
    },
    // Close object ids: type prefix + 43 base62 characters.
    generatedId: (n) => `cont_${randomChars(n + 1, 43, ALNUM)}`,
    note: (c, quote) => `# (Close with OAuth instead: unset CLOSE_API_KEY; export CLOSE_ACCESS_TOKEN=${quote(c.accessToken)})`,
  },
});
