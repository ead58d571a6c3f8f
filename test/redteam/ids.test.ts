/**
 * Red team, ids: invisible or unencodable characters and values that are not strings. Each must be
 * `invalid_input` with nothing sent (with `missingOk`, a sent one used to come back `absent` while
 * the real contact survived), for every provider, through the facade and the raw client.
 */
import { describe, expect, it } from "vitest";
import { createContactsClient, isContactkitError } from "../../src/index.js";
import { rejection } from "../helpers/provider-unit-suite.js";
import { providers, recordingConfig, sampleId, type Sent } from "./helpers.js";

/** Hostile variants of a valid id, with the reason the library must give. */
function hostileIds(id: string): [label: string, value: string, reason: RegExp][] {
  const [head, tail] = [id.slice(0, 1), id.slice(1)];
  const whitespace = /leading or trailing whitespace/;
  const format = /format characters/;
  const surrogate = /unpaired surrogate/;
  return [
    ["leading space", ` ${id}`, whitespace],
    ["trailing space", `${id} `, whitespace],
    ["leading NBSP", `\u00a0${id}`, whitespace],
    ["trailing NBSP", `${id}\u00a0`, whitespace],
    ["trailing em space", `${id}\u2003`, whitespace],
    ["leading ideographic space", `\u3000${id}`, whitespace],
    ["trailing line separator", `${id}\u2028`, whitespace],
    ["leading BOM", `\ufeff${id}`, whitespace],
    ["zero-width space inside", `${head}\u200b${tail}`, format],
    ["left-to-right mark", `${head}\u200e${tail}`, format],
    ["right-to-left override", `${head}\u202e${tail}`, format],
    ["word joiner", `${head}\u2060${tail}`, format],
    ["soft hyphen", `${head}\u00ad${tail}`, format],
    ["zero-width joiner at the end", `${id}\u200d`, format],
    ["lone high surrogate", `${head}\ud800${tail}`, surrogate],
    ["lone low surrogate", `${head}\udc00${tail}`, surrogate],
    ["trailing half of an emoji", `${id}\ud83d`, surrogate],
  ];
}

/** Values a JavaScript caller can pass where a string belongs; some cannot even be turned into one. */
const notStrings: [string, () => unknown][] = [
  ["a null-prototype object", () => Object.create(null)],
  [
    "an object whose toString throws",
    () => ({
      toString: () => {
        throw new Error("boom");
      },
    }),
  ],
  ["a symbol", () => Symbol("id")],
  ["a bigint", () => 42n],
  ["an array", () => ["cont_1"]],
];

describe.each(providers)("red team ids: %s", (provider) => {
  const sent: Sent[] = [];
  const client = createContactsClient(recordingConfig(provider, sent));
  const id = sampleId(provider);

  it.each(hostileIds(id))("%s is invalid_input, nothing sent (also with missingOk)", async (_label, bad, reason) => {
    for (const options of [{}, { missingOk: true }]) {
      const error = await rejection(client.deleteContact(bad, options));
      expect(error).toMatchObject({ code: "invalid_input", provider, attempts: 0 });
      expect(error.message).toMatch(reason);
    }
    expect(sent).toEqual([]);
  });

  it.each(notStrings)("%s is an invalid_input ContactkitError, never a bare TypeError", async (_label, make) => {
    let thrown: unknown;
    try {
      await client.deleteContact(make() as string);
    } catch (error) {
      thrown = error;
    }
    expect(isContactkitError(thrown), `got ${thrown instanceof Error ? thrown.message : typeof thrown}`).toBe(true);
    expect(thrown).toMatchObject({ code: "invalid_input", attempts: 0 });
    expect(sent).toEqual([]);
  });

  it("the spec's own sample id is still accepted", async () => {
    await expect(client.deleteContact(id)).resolves.toMatchObject({ outcome: "deleted" });
    expect(sent).toHaveLength(1);
    sent.length = 0;
  });
});
