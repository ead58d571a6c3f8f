/** Truto for the CLI and the fake providers (never bundled into the core). */
import { defineTooling } from "../../tooling.js";

export const trutoTooling = defineTooling({
  env: [
    { name: "TRUTO_API_TOKEN", field: "token", required: true, secret: true, description: "API token (Bearer)" },
    {
      name: "TRUTO_INTEGRATED_ACCOUNT_ID",
      field: "integratedAccountId",
      required: true,
      secret: false,
      description: "integrated account UUID",
    },
  ],
  hints: {
    forbidden: "the token may not use this integrated account: check TRUTO_INTEGRATED_ACCOUNT_ID and the token's permissions.",
    endpointNotFound:
      "Truto answered 404 itself, not the connected CRM: check TRUTO_INTEGRATED_ACCOUNT_ID (and --base-url); the contact's state is unknown.",
  },
  fake: {
    credentials: { token: "fake-truto-token", integratedAccountId: "0f4c2d1e-7b3a-4c5d-9e8f-a1b2c3d4e5f6" },
    clientConfig: (c) => ({ provider: "truto" as const, token: c.token, integratedAccountId: c.integratedAccountId }),
    rules: {
      bearer: (c) => c.token,
      // Truto answers 404 when the integrated account isn't visible to the token.
      account: {
        in: "query",
        name: "integrated_account_id",
        expected: (c) => c.integratedAccountId,
        status: 404,
        example: "accountNotFound",
      },
      rateHeaders: (w) => ({
        "ratelimit-limit": String(w.limit),
        "ratelimit-remaining": String(w.remaining),
        "ratelimit-reset": String(w.resetSeconds),
      }),
    },
    // Truto forwards the underlying CRM's id; its docs use numeric strings (`23423523`).
    generatedId: (n) => String(31000001 + n),
  },
});
