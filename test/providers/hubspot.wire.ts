import type { ProviderWire } from "../helpers/wire.js";

export const wire: ProviderWire = {
  validHeaders: (fake) => ({ authorization: `Bearer ${fake.credentials.hubspot.accessToken}` }),
  validQuery: () => "",
  // No Retry-After: a 429 means "wait out the rolling window", whose length is a header.
  rateHint: { headers: { "X-HubSpot-RateLimit-Remaining": "0", "X-HubSpot-RateLimit-Interval-Milliseconds": "2000" }, waitMs: 2000 },
  documentedStatuses: [204, 400, 401, 403, 404, 429, 500, 502, 503, 504],
  rateLimitHeaders: [
    "X-HubSpot-Correlation-Id",
    "X-HubSpot-RateLimit-Max",
    "X-HubSpot-RateLimit-Remaining",
    "X-HubSpot-RateLimit-Interval-Milliseconds",
  ],
  idFormat: /^[1-9]\d*$/,
  endToEnd: { options: {}, query: () => "", normalizes: false },
  invalidIds: ["abc", "me@example.com", "12a", "-1"],
};
