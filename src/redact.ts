/**
 * Secret hygiene. Two defences: headers that carry credentials are redacted by name, and the
 * literal secrets a client was configured with are scrubbed from any text or body we keep
 * (a provider may echo a bad token back in its error message).
 */

// Authorization and Proxy-Authorization, any cookie, key or token header (x-api-key, x-auth-token…).
const SENSITIVE_HEADER = /authorization|cookie|api-key|token|secret/i;

export const REDACTED = "[redacted]";

export function redactHeaders(headers: Headers, secrets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = SENSITIVE_HEADER.test(name) ? REDACTED : scrubText(value, secrets);
  });
  return out;
}

export function scrubText(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return result;
}

/** Deep copy of a parsed JSON body with every secret occurrence scrubbed from keys and strings. */
export function scrubValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === "string") return scrubText(value, secrets);
  if (value === null || typeof value !== "object") return value;
  // Deeper than any real error body: cut it rather than keep what we did not scrub.
  if (depth > 32) return "[truncated]";
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[scrubText(key, secrets)] = scrubValue(item, secrets, depth + 1);
  return out;
}

/**
 * A credential can come back from a provider in the form it was sent or in an encoded form
 * (`Basic base64(key:)` is how Close sends keys, and a misbehaving proxy might echo any of them),
 * so every form is scrubbed.
 */
export function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    forms.add(secret);
    // As it would appear in a URL or form body a provider echoes back.
    forms.add(encodeURIComponent(secret));
    // btoa only takes Latin-1; credentials outside it cannot be Basic-encoded by us anyway.
    if (/^[\x00-\xff]*$/.test(secret)) {
      forms.add(btoa(`${secret}:`));
      forms.add(btoa(secret));
    }
  }
  return [...forms];
}
