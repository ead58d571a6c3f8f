/** src/not-found.ts: the spec's "no such contact" rule applied to a 404 body (issue 10 item 2). */
import { describe, expect, it } from "vitest";
import { isContactNotFound, isContactNotFoundText, matchesNotFoundRule } from "../src/not-found.js";
import { registry } from "../src/registry.js";
import { facts as featurebase } from "../generated/featurebase.facts.js";
import { facts as truto } from "../generated/truto.facts.js";

describe("matchesNotFoundRule", () => {
  const nested = { "error.code": "resource_not_found" } as const;

  it("needs every dotted path to hold exactly the rule's value", () => {
    expect(matchesNotFoundRule(nested, { error: { code: "resource_not_found", message: "x" } })).toBe(true);
    expect(matchesNotFoundRule(nested, { error: { code: "other" } })).toBe(false);
    expect(matchesNotFoundRule(nested, { error: "resource_not_found" })).toBe(false);
    expect(matchesNotFoundRule(nested, { "error.code": "resource_not_found" })).toBe(false);
    expect(matchesNotFoundRule({ flag: true }, { flag: "true" })).toBe(false);
    expect(matchesNotFoundRule({ flag: true, kind: "x" }, { flag: true })).toBe(false);
  });

  it("never matches a body that is not a JSON object, nor any body when there is no rule", () => {
    for (const body of [undefined, null, "not found", 404, true, [], [{ error: { code: "resource_not_found" } }]]) {
      expect(matchesNotFoundRule(nested, body)).toBe(false);
      expect(matchesNotFoundRule({}, body)).toBe(false);
    }
    expect(matchesNotFoundRule(null, { anything: 1 })).toBe(false);
  });

  it("`{}` means any JSON object", () => {
    expect(matchesNotFoundRule({}, {})).toBe(true);
    expect(matchesNotFoundRule({}, { error: "Not found" })).toBe(true);
  });

  it("reads own properties only: an inherited value does not count", () => {
    expect(matchesNotFoundRule({ "constructor.name": "Object" }, {})).toBe(false);
    expect(matchesNotFoundRule({ "error.code": "x" }, Object.create({ error: { code: "x" } }))).toBe(false);
    expect(matchesNotFoundRule({ "error.code": "x" }, { error: Object.create({ code: "x" }) })).toBe(false);
  });
});

describe("isContactNotFound / isContactNotFoundText", () => {
  it("only for status 404, with the adapter's rule (the generated delete rule)", () => {
    expect(registry.featurebase.notFound).toEqual(featurebase.operations.deleteContact.notFound);
    const body = { error: { code: "resource_not_found" } };
    expect(isContactNotFound(registry.featurebase, 404, body)).toBe(true);
    expect(isContactNotFound(registry.featurebase, 410, body)).toBe(false);
    expect(isContactNotFound(registry.featurebase, 200, body)).toBe(false);
  });

  it("takes another operation's rule too (the read-back's getContact)", () => {
    const rule = { notFound: truto.operations.getContact.notFound };
    expect(isContactNotFoundText(rule, 404, JSON.stringify({ truto_is_remote_error: true, message: "gone" }))).toBe(true);
    expect(isContactNotFoundText(rule, 404, JSON.stringify({ statusCode: 404, message: "Integrated account not found" }))).toBe(false);
  });

  it("the text form refuses what does not parse", () => {
    for (const text of ["", "  ", "<html>Not Found</html>", '{"truto_is_remote_error": tru', "null"]) {
      expect(isContactNotFoundText(registry.truto, 404, text), JSON.stringify(text)).toBe(false);
    }
  });
});
