/**
 * Red team, configuration: base URLs that would move the path (a bare `?`/`#`, whitespace and
 * control characters from a CRLF `.env`), time options past what a timer can honour, fake
 * signals and malformed per-call options. All refused before anything is sent, for every provider.
 */
import { describe, expect, it } from "vitest";
import { parseDeleteArgs } from "../../src/cli/args.js";
import { createContactsClient } from "../../src/index.js";
import { createRawClient } from "../../src/raw-client.js";
import { registry } from "../../src/registry.js";
import { rejection } from "../helpers/provider-unit-suite.js";
import { providers, recordingConfig, sampleId, unitConfig, type Sent } from "./helpers.js";

const hostileBaseUrls: [string, string][] = [
  ["a bare trailing ?", "https://crm.example/?"],
  ["a bare ? without a path", "https://crm.example?"],
  ["a bare trailing #", "https://crm.example/#"],
  ["a bare # after a path", "https://crm.example/api#"],
  ["an empty query and fragment", "https://crm.example/api?#"],
  ["a leading space", " https://crm.example"],
  ["a trailing space", "https://crm.example "],
  ["a trailing CRLF (a Windows .env line)", "https://crm.example\r\n"],
  ["a trailing LF", "https://crm.example/\n"],
  ["a tab inside the path", "https://crm.example/a\tb"],
  ["a NUL in the host", "https://crm.ex\u0000ample"],
  ["a C1 control (NEL)", "https://crm.example/\u0085"],
  ["a leading BOM", "\ufeffhttps://crm.example"],
  ["a trailing NBSP", "https://crm.example\u00a0"],
];

describe.each(providers)("red team config: %s", (provider) => {
  it.each(hostileBaseUrls)("a base URL with %s is a config error at creation (facade and raw client)", (_label, baseUrl) => {
    expect(() => createContactsClient({ ...unitConfig(provider), baseUrl })).toThrow(
      expect.objectContaining({ code: "config", message: expect.stringContaining("`baseUrl`") }),
    );
    // What every `contactkit/<provider>` createClient does.
    expect(() => createRawClient(registry[provider].connection as never, { ...unitConfig(provider), baseUrl })).toThrow(
      expect.objectContaining({ code: "config" }),
    );
  });

  it.each([
    ["timeoutMs", { timeoutMs: 2 ** 31 }],
    ["timeoutMs", { timeoutMs: Number.MAX_SAFE_INTEGER }],
    ["totalTimeoutMs", { totalTimeoutMs: Number.MAX_SAFE_INTEGER }],
    ["maxRetryAfterMs", { maxRetryAfterMs: 2 ** 31 }],
    ["backoff", { backoff: { maxDelayMs: Number.MAX_SAFE_INTEGER } }],
    ["backoff", { backoff: { initialDelayMs: 2 ** 32 } }],
    ["maxResponseBytes", { maxResponseBytes: 0 }],
    ["maxResponseBytes", { maxResponseBytes: 1.5 }],
    ["maxResponseBytes", { maxResponseBytes: "1048576" }],
  ])("client option %s past what it can honour (%j) is a config error", (name, override) => {
    expect(() => createContactsClient({ ...unitConfig(provider), ...override })).toThrow(
      expect.objectContaining({ code: "config", message: expect.stringContaining(name) }),
    );
  });

  it("the largest timer value is still accepted", () => {
    expect(() => createContactsClient({ ...unitConfig(provider), timeoutMs: 2 ** 31 - 1, maxRetryAfterMs: 2 ** 31 - 1 })).not.toThrow();
  });

  const sent: Sent[] = [];
  const client = createContactsClient(recordingConfig(provider, sent));
  const id = sampleId(provider);

  it.each([
    ["timeoutMs", { timeoutMs: 2 ** 31 }],
    ["totalTimeoutMs", { totalTimeoutMs: Number.MAX_SAFE_INTEGER }],
    ["missingOk", { missingOk: "true" }],
    ["missingOk", { missingOk: 1 }],
    ["missingOk", { missingOk: null }],
    ["maxResponseBytes", { maxResponseBytes: -1 }],
    ["signal", { signal: { aborted: false } }],
    ["signal", { signal: { aborted: "no", addEventListener() {}, removeEventListener() {} } }],
    ["signal", { signal: { addEventListener() {}, removeEventListener() {} } }],
    ["signal", { signal: { aborted: false, addEventListener: 1, removeEventListener() {} } }],
    ["signal", { signal: "abort" }],
  ])("per-call option %s malformed (%j) is invalid_input, nothing sent, no timer left", async (name, options) => {
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const error = await rejection(client.deleteContact(id, options as never));
    expect(error).toMatchObject({ code: "invalid_input", attempts: 0 });
    expect(error.message).toContain(name);
    expect(sent).toEqual([]);
    expect(process.getActiveResourcesInfo().filter((r) => r === "Timeout").length).toBe(timersBefore);
  });

  it("bulk runs refuse a fake signal up front too", async () => {
    await expect(client.deleteContacts([id], { signal: { aborted: false } } as never)).rejects.toMatchObject({ code: "invalid_input" });
    expect(sent).toEqual([]);
  });
});

describe("red team config: the CLI's --base-url uses the library's rule", () => {
  it.each(hostileBaseUrls)("--base-url with %s exits as a usage error", (_label, baseUrl) => {
    expect(() => parseDeleteArgs(["close", "cont_1", "--base-url", baseUrl])).toThrow(/--base-url/);
  });

  it("--timeout-ms above 2^31-1 is a usage error naming the flag, not a 1 ms timer", () => {
    expect(() => parseDeleteArgs(["close", "cont_1", "--timeout-ms", String(2 ** 31)])).toThrow(
      /--timeout-ms must be a whole number from 1 to 2147483647/,
    );
    expect(parseDeleteArgs(["close", "cont_1", "--timeout-ms", String(2 ** 31 - 1)])).toMatchObject({ timeoutMs: 2 ** 31 - 1 });
  });

  it("a clean base URL passes", () => {
    expect(parseDeleteArgs(["close", "cont_1", "--base-url", "http://127.0.0.1:8080/api"])).toMatchObject({
      baseUrl: "http://127.0.0.1:8080/api",
    });
  });
});

describe.each(providers)("red team config keys: %s", (provider) => {
  // A key of another provider's config that this one lacks (Truto's account id on Close, …).
  const foreign = Object.values(registry)
    .flatMap((adapter) => adapter.connection.configKeys)
    .find((key) => !registry[provider].connection.configKeys.includes(key));

  it.each([["maxRetry"], ["timeoutMS"], ["apikey"], ["Provider"], ...(foreign ? [[foreign]] : [])])(
    "an unknown option `%s` is a config error naming it, for the facade and the raw client",
    (key) => {
      const config = { ...unitConfig(provider), [key]: 1 };
      let thrown: any;
      try {
        createContactsClient(config);
      } catch (error) {
        thrown = error;
      }
      expect(thrown?.code).toBe("config");
      expect(thrown?.message).toContain(`unknown option \`${key}\``);
      expect(() => createRawClient(registry[provider].connection as never, config)).toThrow(/unknown option/);
    },
  );

  it("every documented key is accepted", () => {
    const config = {
      ...unitConfig(provider),
      maxRetries: 1,
      timeoutMs: 1000,
      totalTimeoutMs: null,
      maxRetryAfterMs: 10,
      maxResponseBytes: 1000,
    };
    expect(createContactsClient(config).provider).toBe(provider);
  });
});
