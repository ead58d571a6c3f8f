// contactkit in a real browser: the facade from dist/esm, bundled by esbuild for `platform: "browser"`
// (as a user's bundler would), runs in headless Chromium on a page served from 127.0.0.1 and deletes
// contacts on the fake providers (another origin, so every call goes through CORS with a preflight).
// This proves the core needs nothing from Node at run time: fetch, Headers, AbortSignal, btoa and
// timers as a browser provides them.
//
// Chromium missing => every test here FAILS (never skips): run `node scripts/ensure-chromium.mjs`.
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, chromiumPath } from "../../scripts/ensure-chromium.mjs";
import { startStaticServer, type StaticServer } from "../../scripts/lib/static-server.mjs";
import { startFakeProviders, type FakeProviders } from "../../src/testing/index.js";
import { assertDistBuilt, ROOT, setupOrFail } from "../package/helpers.js";

// playwright's launch() always uses a fresh, empty temporary --user-data-dir of its own.

let dir: string | undefined;
let site: StaticServer | undefined;
let fake: FakeProviders | undefined;
let browser: Browser | undefined;
let page: Page;
const pageErrors: Array<{ text: string; url: string }> = [];

setupOrFail(async () => {
  assertDistBuilt();
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: the browser test cannot run.\n` +
        "Install it with: node scripts/ensure-chromium.mjs   (or set CHROMIUM_PATH to a Chromium/Chrome binary)",
    );
  }

  dir = await mkdtemp(join(tmpdir(), "contactkit-browser-"));
  await esbuild.build({
    stdin: { contents: 'export * from "./dist/esm/src/index.js";', resolveDir: ROOT, sourcefile: "page-entry.js" },
    bundle: true,
    platform: "browser",
    format: "iife",
    globalName: "contactkit",
    target: "es2022",
    outfile: join(dir, "contactkit.js"),
    logLevel: "silent",
    absWorkingDir: ROOT,
  });
  await writeFile(
    join(dir, "index.html"),
    '<!doctype html><html><head><meta charset="utf-8"><title>contactkit</title><script src="/contactkit.js"></script></head><body>contactkit</body></html>\n',
  );
  site = await startStaticServer({ root: dir });
  fake = await startFakeProviders({ cors: true });

  try {
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
  } catch (error) {
    throw new Error(
      `Could not launch Chromium at ${executablePath}: ${(error as Error).message}\nReinstall with: node scripts/ensure-chromium.mjs`,
    );
  }
  page = await browser.newPage();
  page.on("pageerror", (e) => pageErrors.push({ text: `pageerror: ${e.message}`, url: "" }));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push({ text: `console.error: ${m.text()}`, url: m.location().url });
  });
  await page.goto(`${site.url}/`);
  await page.waitForFunction(() => typeof (globalThis as { contactkit?: unknown }).contactkit === "object");
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fake?.close();
  await site?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs one delete in the page; a rejection comes back as a plain description of the error. */
async function deleteInPage(config: Record<string, unknown>, id: string) {
  return page.evaluate(
    async ({ config, id }) => {
      const ck = (globalThis as unknown as { contactkit: typeof import("../../src/index.js") }).contactkit;
      try {
        const { contact, raw, ...result } = await ck.createContactsClient(config as never).deleteContact(id);
        return { ok: true as const, result, hasContact: contact !== null, raw };
      } catch (error) {
        const e = error as { code?: string; status?: number; name?: string; message?: string; provider?: string };
        return {
          ok: false as const,
          error: {
            isContactkitError: ck.isContactkitError(error),
            code: e.code,
            status: e.status,
            name: e.name,
            provider: e.provider,
            message: e.message,
          },
        };
      }
    },
    { config, id },
  );
}

describe("the facade in headless Chromium against the fake providers (CORS)", () => {
  it("runs in a real browser, with no Node globals around", async () => {
    const env = await page.evaluate(() => ({
      userAgent: navigator.userAgent,
      process: typeof (globalThis as { process?: unknown }).process,
      Buffer: typeof (globalThis as { Buffer?: unknown }).Buffer,
      exports: Object.keys((globalThis as unknown as { contactkit: object }).contactkit).sort(),
    }));
    expect(env.userAgent).toMatch(/HeadlessChrome|Chrome/);
    expect(env.process).toBe("undefined");
    expect(env.Buffer).toBe("undefined");
    expect(env.exports).toEqual(expect.arrayContaining(["createContactsClient", "isContactkitError", "ContactkitError", "providerNames"]));
  });

  it("featurebase: deletes a seeded contact (Bearer key, Featurebase-Version header)", async () => {
    const id = fake!.seeded.featurebase[0]!;
    expect(fake!.has("featurebase", id)).toBe(true);
    const before = fake!.requests.length;
    const out = await deleteInPage({ ...fake!.clientConfig("featurebase") }, id);
    expect(out.ok, JSON.stringify(out)).toBe(true);
    if (!out.ok) return;
    expect(out.result).toMatchObject({ provider: "featurebase", id, outcome: "deleted", status: 200, attempts: 1, afterRetry: false });
    // The fake exposes its headers to the page (Access-Control-Expose-Headers), so the request id arrives.
    expect(out.result.requestId).toMatch(/^fake-\d+$/);
    expect(fake!.has("featurebase", id)).toBe(false);

    const seen = fake!.requests.slice(before);
    const deletes = seen.filter((r) => r.method === "DELETE");
    expect(deletes).toHaveLength(1);
    expect(deletes[0]).toMatchObject({ provider: "featurebase", path: `/v2/contacts/${id}`, status: 200 });
    expect(deletes[0]!.headers.authorization).toBe(`Bearer ${fake!.credentials.featurebase.apiKey}`);
    expect(deletes[0]!.headers["featurebase-version"]).toBeTruthy();
    expect(deletes[0]!.headers.origin).toBe(site!.url);
    // Authorization makes it a non-simple request: the browser asked first.
    expect(seen.some((r) => r.method === "OPTIONS" && r.path === `/v2/contacts/${id}`)).toBe(true);
  });

  it("featurebase: a second delete rejects with a ContactkitError, code not_found", async () => {
    const id = fake!.seeded.featurebase[0]!;
    const out = await deleteInPage({ ...fake!.clientConfig("featurebase") }, id);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error).toMatchObject({
      isContactkitError: true,
      code: "not_found",
      status: 404,
      name: "ContactkitError",
      provider: "featurebase",
    });
  });

  it("close: deletes a seeded contact with the API key as HTTP Basic (btoa in the browser)", async () => {
    const id = fake!.seeded.close[0]!;
    const before = fake!.requests.length;
    const config = fake!.clientConfig("close");
    const out = await deleteInPage({ ...config }, id);
    expect(out.ok, JSON.stringify(out)).toBe(true);
    if (!out.ok) return;
    expect(out.result).toMatchObject({ provider: "close", id, outcome: "deleted", status: 200, attempts: 1 });
    expect(fake!.has("close", id)).toBe(false);
    const deletes = fake!.requests.slice(before).filter((r) => r.method === "DELETE");
    expect(deletes).toHaveLength(1);
    expect(deletes[0]).toMatchObject({ provider: "close", path: `/api/v1/contact/${id}/`, status: 200 });
    expect(deletes[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`${config.apiKey}:`).toString("base64")}`);

    const again = await deleteInPage({ ...config }, id);
    expect(again.ok).toBe(false);
    if (again.ok) return;
    expect(again.error).toMatchObject({ isContactkitError: true, code: "not_found", status: 404, provider: "close" });
  });

  it("the page logged no errors and loaded only its own script", () => {
    // Chromium logs every 4xx fetch as a console error: the two expected not_found deletes, and the
    // favicon the static server does not have. Anything else (a failed CORS preflight, a script
    // error) fails the test.
    const expected404 = (e: { text: string; url: string }) =>
      /status of 404/.test(e.text) && (e.url.startsWith(`${fake!.url}/`) || e.url.endsWith("/favicon.ico"));
    expect(pageErrors.filter((e) => !expected404(e))).toEqual([]);
    expect(pageErrors.filter((e) => expected404(e) && e.url.startsWith(`${fake!.url}/`))).toHaveLength(2);
    expect(site!.requests.filter((r) => r.status !== 200 && r.url !== "/favicon.ico")).toEqual([]);
  });
});
