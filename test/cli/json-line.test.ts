/** The `--json` line is a public format: the fast builder must write exactly what JSON.stringify(outcomeOf()) wrote. */
import { describe, expect, it } from "vitest";
import { outcomeOf } from "../../src/cli/format.js";
import { jsonLine } from "../../src/cli/json-line.js";
import { ContactkitError, providerNames, type BulkItem } from "../../src/index.js";

const ids = [
  "65f1c0ffee0000000000abcd",
  'quote"back\\slash',
  "new\nline\ttab\u0000nul\u007f",
  "ünïcödé ✓ 😀",
  "lone \ud800 surrogate",
  "",
  "</script><!--",
];

function ok(id: string, result: Partial<Extract<BulkItem, { ok: true }>["result"]> = {}): BulkItem {
  return {
    id,
    ok: true,
    result: { outcome: "deleted", status: 200, attempts: 1, afterRetry: false, verified: false, requestId: "req-1", ...result } as never,
  };
}

describe("jsonLine", () => {
  it.for(providerNames)("%s: byte-identical to JSON.stringify(outcomeOf(...)) for every kind of success, odd ids included", (provider) => {
    const items: BulkItem[] = ids.flatMap((id) => [
      ok(id),
      ok(id, { outcome: "absent", status: 404, attempts: 3, afterRetry: true, requestId: null }),
      ok(id, { verified: true, status: 204, requestId: 'req "quoted" \u2028' }),
      ok(id, { status: 202, attempts: 2 }),
    ]);
    for (const item of items) {
      const line = jsonLine(provider, item);
      expect(line).toBe(`${JSON.stringify(outcomeOf(provider, item))}\n`);
      expect(line.endsWith("\n") && !line.slice(0, -1).includes("\n")).toBe(true); // one line, whatever the id holds
    }
  });

  it("a failure carries its error object, as before", () => {
    const error = new ContactkitError({
      code: "rate_limited",
      provider: "close",
      contactId: "lead_1",
      message: 'Close: deleting contact "lead_1" failed: HTTP 429.',
      status: 429,
      retryAfterMs: 1500,
      mayHaveApplied: false,
    });
    const item: BulkItem = { id: "lead_1", ok: false, error };
    const line = jsonLine("close", item);
    expect(line).toBe(`${JSON.stringify(outcomeOf("close", item))}\n`);
    expect(JSON.parse(line)).toMatchObject({ outcome: "failed", error: { code: "rate_limited", status: 429, retryAfterMs: 1500 } });
  });
});
