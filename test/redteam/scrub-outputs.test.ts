/**
 * Red team, the scrubbing choke point (issue 10 item 12): whatever a provider echoes back (the
 * credential raw, Basic- or URL-encoded) is gone from every string that leaves the library: an
 * error's message, stack, raw, headers and requestId, and a success's raw and contact fields.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createContactsClient, isContactkitError } from "../../src/index.js";
import { SECRETS, successExample } from "../helpers/fixtures.js";
import { interceptDelete, rejection, useNock } from "../helpers/provider-unit-suite.js";
import { providers, sampleId, unitConfig } from "./helpers.js";

useNock();

function forms(secret: string): [string, string][] {
  return [
    ["raw", secret],
    ["URL-encoded", encodeURIComponent(secret)],
    ["Basic-encoded", Buffer.from(`${secret}:`).toString("base64")],
  ];
}

/** Every string in `value` except the contact id, with `echoed` inside it. */
function echoInto(value: unknown, id: string, echoed: string): unknown {
  if (typeof value === "string") return value === id ? value : `x-${echoed}-y`;
  if (Array.isArray(value)) return value.map((item) => echoInto(item, id, echoed));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, echoInto(item, id, echoed)]));
  }
  return value;
}

/** Every form in which an outcome can be stored or printed. */
function everyRendering(outcome: unknown): string {
  const error = isContactkitError(outcome) ? `${outcome.message}\n${outcome.stack}\n` : "";
  return `${error}${JSON.stringify(outcome)}\n${inspect(outcome, { depth: 10 })}`;
}

const settle = (promise: Promise<unknown>) =>
  promise.then(
    (value) => value,
    (error: unknown) => error,
  );

describe.each(providers)("red team scrubbed outputs: %s", (provider) => {
  const id = sampleId(provider);
  const secret = SECRETS[provider as keyof typeof SECRETS];
  const client = createContactsClient({ ...unitConfig(provider), maxRetries: 0 });
  const example = successExample(provider);

  it.each(forms(secret))("a 2xx body echoing the %s secret in every field leaves it nowhere", async (_label, echoed) => {
    const body = example.body === undefined || example.body === null ? { note: "x" } : echoInto(example.body, id, echoed);
    const scope = interceptDelete(provider, id).reply(200, JSON.stringify(body), {
      "content-type": "application/json",
      "x-request-id": echoed,
    });
    const outcome = await settle(client.deleteContact(id));
    expect(scope.isDone()).toBe(true);
    const text = everyRendering(outcome);
    expect(text).not.toContain(echoed);
    expect(text).toContain("[redacted]");
  });

  it.each(forms(secret))("an error body and headers echoing the %s secret leave it nowhere", async (_label, echoed) => {
    const scope = interceptDelete(provider, id).reply(400, JSON.stringify({ message: `bad key ${echoed}`, error: { [echoed]: echoed } }), {
      "content-type": "application/json",
      "x-echo": echoed,
    });
    const error = await rejection(client.deleteContact(id));
    expect(scope.isDone()).toBe(true);
    expect(everyRendering(error)).not.toContain(echoed);
    expect(error.headers["x-echo"]).toBe("[redacted]");
  });

  it("a clean 2xx body is kept as sent (the quick check skips the deep copy, not the content)", async () => {
    const body = example.body ?? null;
    const scope = interceptDelete(provider, id).reply(example.status, body === null ? "" : JSON.stringify(body), {
      "content-type": "application/json",
    });
    const outcome = await settle(client.deleteContact(id));
    expect(scope.isDone()).toBe(true);
    if (isContactkitError(outcome)) throw outcome;
    expect((outcome as { raw: unknown }).raw).toEqual(body);
  });
});

describe("red team scrubbed outputs: Featurebase's id check", () => {
  const secret = SECRETS.featurebase;
  const client = createContactsClient({ ...unitConfig("featurebase"), maxRetries: 0 });
  const id = sampleId("featurebase");

  it.each(forms(secret))(
    "an `id` echoing the %s key: invalid_response whose message, stack and raw hold no key",
    async (_label, echoed) => {
      const scope = interceptDelete("featurebase", id).reply(200, JSON.stringify({ object: "contact", id: echoed, deleted: true }), {
        "content-type": "application/json",
      });
      const error = await rejection(client.deleteContact(id));
      expect(scope.isDone()).toBe(true);
      expect(error.code).toBe("invalid_response");
      expect(error.message).toContain("[redacted]");
      expect(everyRendering(error)).not.toContain(echoed);
    },
  );
});
