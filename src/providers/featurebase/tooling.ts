/** Featurebase for the CLI and the fake providers (never bundled into the core). */
import { defineTooling } from "../../tooling.js";

export const featurebaseTooling = defineTooling({
  env: [
    { name: "FEATUREBASE_API_KEY", field: "apiKey", required: true, secret: true, description: "API key (Bearer)" },
    {
      name: "FEATUREBASE_VERSION",
      field: "apiVersion",
      required: false,
      secret: false,
      description: "API version, default 2026-01-01.nova",
    },
  ],
  fake: {
    credentials: { apiKey: "sk_fake_featurebase" },
    clientConfig: (c) => ({ provider: "featurebase" as const, apiKey: c.apiKey }),
    rules: {
      bearer: (c) => c.apiKey,
      // DELETE /v2/contacts/{id} exists only in 2026-01-01.nova and newer.
      minVersion: { header: "featurebase-version", minimum: "2026-01-01" },
      rateHeaders: (w, _limited, resetStyle) => ({
        "X-RateLimit-Limit": String(w.limit),
        "X-RateLimit-Remaining": String(w.remaining),
        "X-RateLimit-Reset": String(resetStyle === "epoch" ? w.resetAt : w.resetSeconds),
      }),
    },
    // Mongo ObjectIds: a 4-byte timestamp, then 8 bytes; unique per n.
    generatedId: (n) => `66a0c0de${(0xfb00000000000000n + BigInt(n)).toString(16).padStart(16, "0")}`,
  },
});
