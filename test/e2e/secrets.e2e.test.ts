/**
 * Secret hygiene: for every error kind, no credential (nor its Basic-encoded form) appears in
 * the message, stack, JSON, util.inspect, String(), raw body, headers, or what onRetry receives,
 * even when the provider echoes the credential back in its body and headers.
 */
import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createContactsClient, isContactkitError, providerNames, type ProviderName } from "../../src/index.js";
import { toolingRegistry } from "../../src/tooling-registry.js";
import { defaultFakeCredentials, startFakeProviders, type FakeFault, type FakeProviders } from "../../src/testing/index.js";

// `+`, `/` and `=` make the URL-encoded form differ from the raw one.
const SECRET = Object.fromEntries(providerNames.map((p) => [p, `sk-${p}-SECRET+9f8e/7d6c=`])) as Record<ProviderName, string>;
/** The config field that carries the provider's secret in its fake client config. */
const secretField = (p: ProviderName) => {
  const config = defaultFakeCredentials[p] as Record<string, string>;
  return toolingRegistry[p].env.find((v) => v.secret && v.field in config)!.field;
};
/** The fake's default credentials with every secret replaced by SECRET. */
const secretCredentials = Object.fromEntries(
  providerNames.map((p) => {
    const credentials: Record<string, string> = { ...(defaultFakeCredentials[p] as Record<string, string>) };
    for (const v of toolingRegistry[p].env) if (v.secret && v.field in credentials) credentials[v.field] = SECRET[p];
    return [p, credentials];
  }),
);
const basicOf = (key: string) => Buffer.from(`${key}:`).toString("base64");

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders({
    credentials: secretCredentials as never,
  });
});
beforeEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
});

/** Every rendering of an error a user might log. */
function renderings(error: unknown): Record<string, string> {
  const e = error as Error & { raw?: unknown; headers?: unknown };
  return {
    message: e.message,
    stack: String(e.stack),
    json: JSON.stringify(e),
    inspect: inspect(e, { depth: 20 }),
    inspectHidden: inspect(e, { depth: 20, showHidden: true }),
    string: String(e),
    raw: JSON.stringify(e.raw ?? null),
    headers: JSON.stringify(e.headers ?? null),
    cause: inspect((e as { cause?: unknown }).cause ?? null, { depth: 20 }),
  };
}

function echo(provider: ProviderName): { headers: Record<string, string>; body: unknown } {
  const secret = SECRET[provider];
  let deep: unknown = { leaked: secret };
  for (let i = 0; i < 40; i++) deep = { nested: deep };
  return {
    headers: {
      "x-echo-token": `Bearer ${secret}`,
      "www-authenticate": `Bearer realm="${secret}"`,
      "set-cookie": `session=${secret}`,
      "x-echo-url": `https://example.invalid/?key=${encodeURIComponent(secret)}`,
    },
    body: {
      message: `token ${secret} was rejected`,
      error: { message: `Basic ${basicOf(secret)} invalid` },
      [secret]: "the key itself",
      query: `api_key=${encodeURIComponent(secret)}`,
      deep,
    },
  };
}

const kinds: Array<
  [string, (p: ProviderName) => { faults: FakeFault[]; options?: Record<string, unknown>; id?: string; wrongSecret?: boolean }]
> = [
  ["unauthorized (wrong credential, echoed back)", () => ({ faults: [], wrongSecret: true })],
  ["unauthorized echo", (p) => ({ faults: [{ status: 401, ...echo(p) }] })],
  ["forbidden", (p) => ({ faults: [{ status: 403, ...echo(p) }] })],
  ["not_found", (p) => ({ faults: [{ status: 404, ...echo(p) }] })],
  ["validation_failed", (p) => ({ faults: [{ status: 422, ...echo(p) }] })],
  [
    "rate_limited beyond the cap",
    (p) => ({ faults: [{ status: 429, ...echo(p), headers: { ...echo(p).headers, "Retry-After": "7200" } }] }),
  ],
  ["provider_error after retries", (p) => ({ faults: [{ status: 500, times: 3, ...echo(p) }] })],
  [
    "html error page",
    (p) => ({ faults: [{ status: 502, times: 3, headers: { "content-type": "text/html" }, body: `<html>${SECRET[p]}</html>` }] }),
  ],
  // verify: false: with the default read-back the contact is found, the delete retried and it succeeds.
  [
    "invalid_response",
    (p) => ({
      faults: [{ status: 200, headers: { "content-type": "application/json" }, body: `{"token":"${SECRET[p]}"` }],
      options: { verify: false },
    }),
  ],
  [
    "read-back failure attached to the error",
    (p) => ({
      faults: [
        { drop: true, times: 3 },
        { method: "GET", status: 500, times: 3, ...echo(p) },
      ],
    }),
  ],
  ["timeout", () => ({ faults: [{ delayMs: 1000, status: 200, body: {}, times: 3 }] })],
  ["network (dropped)", () => ({ faults: [{ drop: true, times: 3 }] })],
  ["cross-origin redirect", (p) => ({ faults: [{ status: 302, headers: { Location: `http://collector.invalid/?k=${SECRET[p]}` } }] })],
  ["invalid_input", () => ({ faults: [], id: ".." })],
  ["aborted", () => ({ faults: [], options: { signal: AbortSignal.abort() } })],
];

describe.each(providerNames.map((p) => [p]))("%s never leaks its credential", (provider) => {
  const secret = SECRET[provider];
  const forbidden = [secret, basicOf(secret), encodeURIComponent(secret)];

  it.each(kinds)("%s", async (_kind, make) => {
    const setup = make(provider);
    for (const fault of setup.faults) fake.queueFault({ provider, ...fault });
    const retries: string[] = [];
    const base = fake.clientConfig(provider) as Record<string, unknown>;
    const config: Record<string, unknown> = {
      ...base,
      timeoutMs: 150,
      backoff: { initialDelayMs: 1, jitter: false },
      onRetry: (info: unknown) => retries.push(JSON.stringify(info)),
    };
    if (setup.wrongSecret) config[secretField(provider)] = `${secret}-WRONG`;
    const id = setup.id ?? fake.seeded[provider][0]!;
    const error = await createContactsClient(config as never)
      .deleteContact(id, setup.options as never)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isContactkitError(error), `expected a ContactkitError, got ${String(error)}`).toBe(true);
    for (const [where, text] of Object.entries({ ...renderings(error), retries: retries.join("\n") })) {
      for (const value of forbidden) expect(text, `${where} leaks the credential`).not.toContain(value);
    }
  });

  it("config errors do not print the credential either", () => {
    const config = { ...fake.clientConfig(provider), [secretField(provider)]: ` ${secret} ` };
    let caught: unknown;
    try {
      createContactsClient(config as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: "config" });
    for (const text of Object.values(renderings(caught))) expect(text).not.toContain(secret);
  });
});
