import type { ProviderWire } from "../helpers/wire.js";

export const wire: ProviderWire = {
  validHeaders: (fake) => ({ authorization: `Basic ${Buffer.from(`${fake.credentials.close.apiKey}:`).toString("base64")}` }),
  validQuery: () => "",
  rateHint: { headers: { RateLimit: "limit=100, remaining=0, reset=3" }, waitMs: 3000 },
  documentedStatuses: [200, 400, 401, 402, 403, 404, 405, 415, 429],
  rateLimitHeaders: ["RateLimit", "Retry-After", "RateLimit-Reset"],
  idFormat: /^cont_[0-9A-Za-z]+$/,
  endToEnd: { options: {}, query: () => "", normalizes: false },
  invalidIds: [],
};
