import type { ProviderWire } from "../helpers/wire.js";

export const wire: ProviderWire = {
  validHeaders: (fake) => ({ authorization: `Bearer ${fake.credentials.userapi.token}` }),
  validQuery: () => "",
  // No documented rate-limit headers.
  rateHint: null,
  documentedStatuses: [200, 401, 404, 429],
  rateLimitHeaders: ["Retry-After"],
  idFormat: /^contact_\w+$/,
  endToEnd: {
    options: { include: ["emails", "phone_numbers", "companies"] },
    query: () => "include=emails,phone_numbers,companies",
    normalizes: true,
  },
  invalidIds: [],
};
