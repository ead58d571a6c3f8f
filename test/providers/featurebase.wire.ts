import type { ProviderWire } from "../helpers/wire.js";

export const wire: ProviderWire = {
  validHeaders: (fake) => ({ authorization: `Bearer ${fake.credentials.featurebase.apiKey}`, "featurebase-version": "2026-01-01.nova" }),
  validQuery: () => "",
  rateHint: { headers: { "X-RateLimit-Limit": "2000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "5" }, waitMs: 5000 },
  documentedStatuses: [200, 400, 401, 403, 404, 429, 500],
  rateLimitHeaders: ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"],
  idFormat: /^[0-9a-f]{24}$/,
  endToEnd: { options: {}, query: () => "", normalizes: false },
  invalidIds: ["xyz", "507f1f77bcf86cd79943901", "507f1f77bcf86cd7994390111", "507f1f77bcf86cd79943901g"],
};
