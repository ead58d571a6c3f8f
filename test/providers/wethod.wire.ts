import type { ProviderWire } from "../helpers/wire.js";

export const wire: ProviderWire = {
  validHeaders: (fake) => ({
    authorization: `Bearer ${fake.credentials.wethod.token}`,
    "wethod-company": fake.credentials.wethod.company,
    "wethod-version": "2024-06-15",
  }),
  validQuery: () => "",
  rateHint: { headers: { "x-ratelimit-retry-after": "6" }, waitMs: 6000 },
  documentedStatuses: [200, 400, 401, 403, 404, 412, 429],
  rateLimitHeaders: ["x-ratelimit-retry-after"],
  idFormat: /^[1-9]\d*$/,
  endToEnd: { options: {}, query: () => "", normalizes: false },
  invalidIds: ["abc", "0", "-1", "1.5", "1e3", "007", "99999999999999999999"],
};
