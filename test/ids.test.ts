import { describe, expect, it } from "vitest";
import { isContactkitError } from "../src/errors.js";
import { assertUsableId } from "../src/ids.js";

describe("assertUsableId", () => {
  const rejected: Array<[string, unknown]> = [
    ["empty", ""],
    ["whitespace only", " \t "],
    ["dot", "."],
    ["dot-dot", ".."],
    ["newline", "a\nb"],
    ["NUL", "a\u0000b"],
    ["DEL", "a\u007fb"],
    ["C1 control", "a\u0085b"],
    ["too long", "x".repeat(513)],
    ["undefined", undefined],
    ["null", null],
    ["number", 42],
  ];
  it.each(rejected)("rejects %s with invalid_input", (_label, id) => {
    let caught: unknown;
    try {
      assertUsableId("close", id);
    } catch (error) {
      caught = error;
    }
    expect(isContactkitError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: "invalid_input", provider: "close", attempts: 0, status: null });
    expect((caught as Error).message).toMatch(/Nothing was sent/);
  });

  it.each(["cont_123", "a b", "../admin", "%2e%2e", "é", "a/b", "..."])("accepts %j (encoded later)", (id) => {
    expect(() => assertUsableId("close", id)).not.toThrow();
  });

  it("shows control characters escaped in the message", () => {
    expect(() => assertUsableId("truto", "a\u0085b")).toThrow(/\\u0085/);
  });
});
