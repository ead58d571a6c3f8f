/** Wethod for the CLI and the fake providers (never bundled into the core). */
import { defineTooling } from "../../tooling.js";

export const wethodTooling = defineTooling({
  env: [
    { name: "WETHOD_API_TOKEN", field: "token", required: true, secret: true, description: "personal API token (Bearer)" },
    { name: "WETHOD_COMPANY", field: "company", required: true, secret: false, description: "company slug, e.g. acme" },
    { name: "WETHOD_VERSION", field: "apiVersion", required: false, secret: false, description: "API version, default 2024-06-15" },
  ],
  hints: { forbidden: "the token may not delete contacts in this company: check WETHOD_COMPANY and the token's permissions." },
  fake: {
    credentials: { token: "fake-wethod-token", company: "acme" },
    clientConfig: (c) => ({ provider: "wethod" as const, token: c.token, company: c.company }),
    rules: {
      bearer: (c) => c.token,
      // The token is personal; a company the user is not part of is a permission problem.
      account: { in: "header", name: "wethod-company", expected: (c) => c.company, status: 403 },
      // Only the 429 carries a hint (seconds).
      rateHeaders: (w, limited): Record<string, string> => (limited ? { "x-ratelimit-retry-after": String(w.resetSeconds) } : {}),
    },
    // Wethod ids are positive integers.
    generatedId: (n) => String(1001 + n),
  },
});
