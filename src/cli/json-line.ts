/**
 * The `--json` line for one id: exactly `JSON.stringify(outcomeOf(provider, item))` plus a
 * newline (a public format; test/cli/json-line.test.ts holds the two equal). A successful id, the
 * line written thousands of times a second, is built as one template from the result's fields,
 * without the intermediate outcome object; a failure (rare, and with more to say) goes through
 * `outcomeOf`.
 */
import type { BulkItem, ProviderName } from "../index.js";
import { outcomeOf } from "./format.js";

const text = JSON.stringify;

/** As JSON.stringify writes a number or null (non-finite numbers become null). */
const numberOrNull = (value: number | null) => (value !== null && Number.isFinite(value) ? String(value) : "null");

export function jsonLine(provider: ProviderName, item: BulkItem): string {
  if (!item.ok) return `${text(outcomeOf(provider, item))}\n`;
  const r = item.result;
  return (
    // Provider names and outcomes are plain lowercase words: quoting them is what JSON.stringify writes.
    `{"id":${text(item.id)},"provider":"${provider}","outcome":"${r.outcome}","status":${numberOrNull(r.status)},` +
    `"attempts":${numberOrNull(r.attempts)},"afterRetry":${r.afterRetry === true},"mayHaveApplied":false,` +
    `"verified":${r.verified === true},"requestId":${r.requestId === null ? "null" : text(r.requestId)},"error":null}\n`
  );
}
