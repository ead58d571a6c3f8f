/** The deleted record in one shape across providers; `null` wherever the provider did not say. */
export interface NormalizedContact {
  id: string;
  fullName: string | null;
  firstName: string | null;
  lastName: string | null;
  /** Job title. */
  title: string | null;
  emails: string[];
  phones: string[];
  /** Company or account name. */
  company: string | null;
  /** ISO 8601 timestamp as the provider sent it. */
  createdAt: string | null;
  updatedAt: string | null;
}

/**
 * Builds a contact from a provider's record: the fields providers name alike (`first_name`,
 * `last_name`, `title`, `created_at`, `updated_at`) come from `record`, the rest from `fields`;
 * every unknown field is null, so adapters only fill in what is their own.
 */
export function contactFrom(
  id: string,
  record: Record<string, unknown>,
  fields: Partial<Pick<NormalizedContact, "fullName" | "emails" | "phones" | "company">>,
): NormalizedContact {
  const firstName = str(record.first_name);
  const lastName = str(record.last_name);
  return {
    id,
    fullName: fields.fullName ?? ([firstName, lastName].filter(Boolean).join(" ") || null),
    firstName,
    lastName,
    title: str(record.title),
    emails: fields.emails ?? [],
    phones: fields.phones ?? [],
    company: fields.company ?? null,
    createdAt: str(record.created_at),
    updatedAt: str(record.updated_at),
  };
}

/** The string at `key` of each record in `list` (other items and values left out). */
export function textsAt(list: unknown, key: string): string[] {
  return records(list)
    .map((item) => str(item[key]))
    .filter((text): text is string => text !== null);
}

/** Reads a string field from an untrusted object (provider bodies are parsed JSON, not typed data). */
export function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
