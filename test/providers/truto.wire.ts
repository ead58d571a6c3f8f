import type { ProviderWire } from "../helpers/wire.js";

export const wire: ProviderWire = {
  validHeaders: (fake) => ({ authorization: `Bearer ${fake.credentials.truto.token}` }),
  validQuery: (fake) => `integrated_account_id=${fake.credentials.truto.integratedAccountId}`,
  rateHint: { headers: { "ratelimit-limit": "50", "ratelimit-remaining": "0", "ratelimit-reset": "4" }, waitMs: 4000 },
  documentedStatuses: [200, 400, 401, 403, 404, 405, 409, 422, 429, 500, 502, 503, 504],
  rateLimitHeaders: ["Retry-After", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"],
  idFormat: /^\d+$/,
  endToEnd: {
    options: { responseFormat: "unified", ignoreRemoteData: true, excludeFields: ["remote_data", "tags"], remoteQuery: { source: "crm" } },
    query: (fake) =>
      [
        `integrated_account_id=${fake.credentials.truto.integratedAccountId}`,
        "truto_response_format=unified",
        "truto_ignore_remote_data=true",
        "truto_exclude_fields[]=remote_data",
        "truto_exclude_fields[]=tags",
        "remote_query[source]=crm",
      ].join("&"),
    normalizes: true,
  },
  invalidIds: [],
};
