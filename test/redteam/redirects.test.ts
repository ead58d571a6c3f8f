/**
 * Red team, redirects, over real HTTP on 127.0.0.1: a DELETE is never moved. Only a redirect that
 * keeps method, origin, path and query (up to one trailing slash) is followed; every other one is
 * an error naming the target path, sent nowhere. Before, all of these came back `deleted`.
 */
import { describe, expect, it } from "vitest";
import { createContactsClient, type ContactsClient } from "../../src/index.js";
import { rejection } from "../helpers/provider-unit-suite.js";
import { deletePath, providers, sampleId, successText, unitConfig, useScriptedServer } from "./helpers.js";

const server = useScriptedServer();

/** The first request is redirected to `target(url)`; any later one gets the provider's success answer. */
function redirectOnce(status: number, provider: (typeof providers)[number], target: (url: URL) => string): void {
  server.handler = (req, res) => {
    if (server.requests.length === 1) {
      res.writeHead(status, { location: target(new URL(req.url!, server.origin)) }).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(successText(provider));
  };
}

describe.each(providers)("red team redirects: %s", (provider) => {
  const id = sampleId(provider);
  const path = deletePath(provider, id);
  const otherContact = deletePath(provider, "someone-else");
  const collection = path.slice(0, path.lastIndexOf(encodeURIComponent(id)));
  const client = (): ContactsClient => createContactsClient({ ...unitConfig(provider), baseUrl: server.url, maxRetries: 0 });

  it.each([
    [301, "another contact", otherContact],
    [302, "another contact", otherContact],
    [307, "another contact", otherContact],
    [308, "another contact", otherContact],
    [301, "the collection", collection],
    [307, "the collection", collection],
    [308, "the API root", "/"],
    [302, "the API root", "/"],
    [307, "a relative ../", "../"],
  ] as [number, string, string][])("a %i to %s is refused, naming the target path", async (status, _label, target) => {
    redirectOnce(status, provider, (url) => `${target}${url.search}`);
    const error = await rejection(client().deleteContact(id));
    expect(error).toMatchObject({ code: "provider_error", status, contactId: id });
    const expectedTarget = new URL(target, new URL(path, server.origin)).pathname;
    expect(error.message).toContain(expectedTarget);
    expect(error.message).not.toMatch(/another origin/);
    expect(server.requests).toHaveLength(1);
  });

  it("a redirect that changes the query (a second account, a new parameter) is refused", async () => {
    redirectOnce(
      307,
      provider,
      (url) => `${url.pathname}${url.search ? `${url.search}&` : "?"}integrated_account_id=00000000-0000-0000-0000-000000000000`,
    );
    const error = await rejection(client().deleteContact(id));
    expect(error).toMatchObject({ code: "provider_error", status: 307 });
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ["the same path", (url: URL) => `${url.pathname}${url.search}`],
    ["another path", () => otherContact],
  ])("a 303 to %s never turns the DELETE into a GET, and may have applied", async (_label, target) => {
    redirectOnce(303, provider, target);
    // The DELETE's own redirect handling: no read-back GET (that one would be a legitimate read).
    const error = await rejection(client().deleteContact(id, { verify: false }));
    expect(error).toMatchObject({ code: "provider_error", status: 303, mayHaveApplied: true });
    expect(error.message).toMatch(/GET/);
    expect(server.requests.map((r) => r.method)).toEqual(["DELETE"]);
  });

  it("a redirect that only toggles the trailing slash is followed, still as a DELETE", async () => {
    const toggled = path.endsWith("/") ? path.slice(0, -1) : `${path}/`;
    redirectOnce(308, provider, (url) => `${toggled}${url.search}`);
    const result = await client().deleteContact(id);
    expect(result).toMatchObject({ outcome: "deleted", status: 200 });
    expect(server.requests.map((r) => [r.method, new URL(r.url, server.origin).pathname])).toEqual([
      ["DELETE", path],
      ["DELETE", toggled],
    ]);
  });

  it("a redirect to itself fails fast as a loop, without claiming another origin", async () => {
    server.handler = (req, res) => res.writeHead(307, { location: req.url! }).end();
    const started = performance.now();
    const error = await rejection(client().deleteContact(id));
    expect(error).toMatchObject({ code: "provider_error", status: 307 });
    expect(error.message).toMatch(/loop/);
    expect(error.message).not.toMatch(/another origin/);
    expect(server.requests.length).toBeLessThanOrEqual(2);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("a trailing-slash ping-pong fails fast as a loop", async () => {
    server.handler = (req, res) => {
      const url = new URL(req.url!, server.origin);
      const toggled = url.pathname.endsWith("/") ? url.pathname.slice(0, -1) : `${url.pathname}/`;
      res.writeHead(308, { location: `${toggled}${url.search}` }).end();
    };
    const error = await rejection(client().deleteContact(id));
    expect(error.message).toMatch(/loop/);
    expect(error.message).not.toMatch(/another origin/);
    expect(server.requests.length).toBeLessThanOrEqual(4);
  });

  it("a redirect to another origin is refused and never reaches it", async () => {
    redirectOnce(307, provider, (url) => `http://localhost:${new URL(server.origin).port}${url.pathname}${url.search}`);
    const error = await rejection(client().deleteContact(id));
    expect(error).toMatchObject({ code: "provider_error", status: 307 });
    expect(error.message).toMatch(/another origin \(localhost:\d+\)/);
    expect(server.requests).toHaveLength(1);
  });

  it("an unparseable Location is an error, not a network failure to retry", async () => {
    server.handler = (_req, res) => res.writeHead(301, { location: "http://[::1" }).end();
    const error = await rejection(
      createContactsClient({ ...unitConfig(provider), baseUrl: server.url, maxRetries: 2, backoff: { initialDelayMs: 1 } }).deleteContact(
        id,
      ),
    );
    expect(error).toMatchObject({ code: "provider_error", status: 301, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });
});
