/** HubSpot for the CLI and the fake providers (never bundled into the core). */
import { defineTooling } from "../../tooling.js";

export const hubspotTooling = defineTooling({
  env: [
    { name: "HUBSPOT_ACCESS_TOKEN", field: "accessToken", required: true, secret: true, description: "private app access token (Bearer)" },
  ],
  hints: { forbidden: "the token lacks the crm.objects.contacts.write scope: check the private app's scopes." },
  fake: {
    credentials: { accessToken: "pat-na1-fake-hubspot-token" },
    clientConfig: (c) => ({ provider: "hubspot" as const, accessToken: c.accessToken }),
    rules: {
      bearer: (c) => c.accessToken,
      // HubSpot's rolling-window headers, with the fake's one-second window.
      rateHeaders: (w) => ({
        "X-HubSpot-RateLimit-Max": String(w.limit),
        "X-HubSpot-RateLimit-Remaining": String(w.remaining),
        "X-HubSpot-RateLimit-Interval-Milliseconds": "1000",
      }),
    },
    // HubSpot record ids are numeric strings (`430001` in the docs).
    generatedId: (n) => String(430101 + n),
  },
});
