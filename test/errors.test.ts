import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ContactkitError, classifyStatus, isContactkitError, reviseError } from "../src/errors.js";
import { redactHeaders, scrubText, scrubValue } from "../src/redact.js";

describe("ContactkitError", () => {
  const error = new ContactkitError({
    code: "rate_limited",
    provider: "close",
    contactId: "cont_1",
    status: 429,
    retryable: true,
    attempts: 3,
    retryAfterMs: 2000,
    raw: { message: "slow down" },
    headers: { "retry-after": "2" },
    message: "Close: slow down",
    cause: new Error("inner"),
  });

  it("carries the documented fields", () => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: "ContactkitError",
      code: "rate_limited",
      provider: "close",
      contactId: "cont_1",
      status: 429,
      retryable: true,
      attempts: 3,
      retryAfterMs: 2000,
      requestId: null,
      mayHaveApplied: false,
    });
  });

  it("serializes to its safe fields only, without the cause", () => {
    const json = JSON.parse(JSON.stringify(error));
    expect(Object.keys(json).sort()).toEqual(
      [
        "mayHaveApplied",
        "attempts",
        "code",
        "contactId",
        "headers",
        "message",
        "name",
        "provider",
        "raw",
        "requestId",
        "retryAfterMs",
        "retryable",
        "status",
        "verification",
      ].sort(),
    );
    expect(inspect(error)).toContain('"code": "rate_limited"');
    expect(inspect(error)).not.toContain("inner");
  });

  it("is recognised by the guard, also as a copy from another module instance", () => {
    expect(isContactkitError(error)).toBe(true);
    const foreign = Object.assign(new Error("x"), { name: "ContactkitError", code: "network" });
    expect(isContactkitError(foreign)).toBe(true);
    expect(isContactkitError(new Error("x"))).toBe(false);
    expect(isContactkitError({ code: "network" })).toBe(false);
    expect(isContactkitError(null)).toBe(false);
  });
});

describe("instanceof ContactkitError", () => {
  it("recognises another copy of the class by its brand, and only contactkit errors", () => {
    const copy = Object.defineProperty(new Error("from another copy"), Symbol.for("contactkit.error"), { value: true });
    expect(copy instanceof ContactkitError).toBe(true);
    expect(new ContactkitError({ code: "timeout", message: "t" }) instanceof ContactkitError).toBe(true);
    for (const other of [new Error("plain"), { name: "ContactkitError", code: "timeout" }, null, undefined, "x", 1]) {
      expect(other instanceof ContactkitError).toBe(false);
    }
  });

  it("a user's subclass keeps the ordinary prototype check", () => {
    class AppError extends ContactkitError {}
    const base = new ContactkitError({ code: "timeout", message: "t" });
    const own = new AppError({ code: "timeout", message: "t" });
    expect(base instanceof AppError).toBe(false);
    expect(own instanceof AppError).toBe(true);
    expect(own instanceof ContactkitError).toBe(true);
    expect(own instanceof Error).toBe(true);
  });
});

describe("classifyStatus", () => {
  it.each([
    [400, "validation_failed", false],
    [401, "unauthorized", false],
    [403, "forbidden", false],
    [404, "not_found", false],
    [405, "provider_error", false],
    [408, "timeout", true],
    [409, "conflict", false],
    [412, "precondition_failed", false],
    [422, "validation_failed", false],
    [429, "rate_limited", true],
    [500, "provider_error", true],
    [503, "provider_error", true],
  ] as const)("%i is %s (retryable %s)", (status, code, retryable) => {
    expect(classifyStatus(status)).toEqual({ code, retryable });
  });
});

describe("redaction", () => {
  it("redacts credential headers by name and scrubs secrets from the rest", () => {
    const headers = new Headers({
      authorization: "Bearer s3cret-token",
      "set-cookie": "a=b",
      "x-echo": "got s3cret-token",
      "retry-after": "1",
    });
    expect(redactHeaders(headers, ["s3cret-token"])).toEqual({
      authorization: "[redacted]",
      "set-cookie": "[redacted]",
      "x-echo": "got [redacted]",
      "retry-after": "1",
    });
  });

  it("scrubs secrets deep inside bodies and ignores too-short secrets", () => {
    expect(scrubValue({ a: ["x s3cret-token y", { b: "s3cret-token" }], n: 1 }, ["s3cret-token"])).toEqual({
      a: ["x [redacted] y", { b: "[redacted]" }],
      n: 1,
    });
    expect(scrubText("abc", ["ab"])).toBe("abc");
  });
});

describe("reviseError", () => {
  it("carries every field and the cause over, and applies only the changes", () => {
    const cause = new Error("socket hang up");
    const verification = new ContactkitError({ code: "timeout", provider: "close", message: "read-back timed out" });
    const original = new ContactkitError({
      code: "provider_error",
      message: 'Close: deleting contact "c1" failed: HTTP 503.',
      provider: "close",
      contactId: "c1",
      status: 503,
      retryable: true,
      requestId: "req-1",
      attempts: 3,
      raw: { error: "busy" },
      retryAfterMs: 1500,
      headers: { "retry-after": "2" },
      mayHaveApplied: true,
      verification,
      cause,
    });
    const revised = reviseError(original, { mayHaveApplied: false, attempts: 4 });
    expect(revised).not.toBe(original);
    expect(revised).toMatchObject({
      code: "provider_error",
      message: original.message,
      provider: "close",
      contactId: "c1",
      status: 503,
      retryable: true,
      requestId: "req-1",
      attempts: 4,
      raw: { error: "busy" },
      retryAfterMs: 1500,
      headers: { "retry-after": "2" },
      mayHaveApplied: false,
      verification,
    });
    expect(revised.cause).toBe(cause);
  });
});
