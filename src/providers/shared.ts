/** Small helpers the adapters share: config checks and body readers. */
import { isRecord } from "../contact.js";

/** A required, non-blank string setting, or the problem with it. */
export function requireString(config: object, key: string): string | null {
  const value = (config as Record<string, unknown>)[key];
  if (value === undefined || value === null) return `\`${key}\` is required`;
  if (typeof value !== "string") return `\`${key}\` must be a string`;
  if (value.trim() === "") return `\`${key}\` is empty`;
  // It goes into a header: printable ASCII only (a stray "ö" would fail every request instead).
  if (!/^[!-~](?:[ -~]*[!-~])?$/.test(value)) return `\`${key}\` must be trimmed printable ASCII`;
  return null;
}

export function bearer(token: string): string {
  return `Bearer ${token}`;
}

/** `message`-like fields providers use, in the order we trust them. */
export function firstMessage(...candidates: unknown[]): string | null {
  for (const candidate of candidates) {
    if (typeof candidate === "string" && candidate.trim() !== "") return candidate.trim();
  }
  return null;
}

/** A field that is present must have the given type; absent fields are fine (specs are lenient). */
export function wrongType(body: Record<string, unknown>, key: string, type: "string" | "object" | "array"): boolean {
  if (!(key in body) || body[key] === null) return false;
  const value = body[key];
  if (type === "array") return !Array.isArray(value);
  if (type === "object") return !isRecord(value);
  return typeof value !== type;
}
