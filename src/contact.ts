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

/** Builds a contact with every unknown field null, so adapters only fill in what they know. */
export function contactFrom(id: string, fields: Partial<Omit<NormalizedContact, "id">>): NormalizedContact {
  const firstName = fields.firstName ?? null;
  const lastName = fields.lastName ?? null;
  return {
    id,
    fullName: fields.fullName ?? ([firstName, lastName].filter(Boolean).join(" ") || null),
    firstName,
    lastName,
    title: fields.title ?? null,
    emails: fields.emails ?? [],
    phones: fields.phones ?? [],
    company: fields.company ?? null,
    createdAt: fields.createdAt ?? null,
    updatedAt: fields.updatedAt ?? null,
  };
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
