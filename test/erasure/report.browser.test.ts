// The HTML erasure report in headless Chromium: a run against the fake providers (real HTTP) with a
// failed row and a subject that tries to inject markup; the page is served from 127.0.0.1 and must
// render one table per subject (incomplete subjects and failed rows first), run no script, load
// nothing, and print to PDF. Chromium missing => FAILS (never skips): `node scripts/ensure-chromium.mjs`.
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContactsClient } from "../../src/index.js";
import { startFakeProviders } from "../../src/testing/index.js";
import { buildReport, memoryJournal, parsePlan, renderReportHtml, runErasure } from "../../src/erasure/index.js";
import { CHROMIUM_ARGS, chromiumPath } from "../../scripts/ensure-chromium.mjs";
import { startStaticServer, type StaticServer } from "../../scripts/lib/static-server.mjs";

let dir: string;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "contactkit-report-html-"));
  const fake = await startFakeProviders();
  try {
    const [a, b, c] = fake.seeded.close as [string, string, string];
    const text = [
      "subject,provider,id",
      `alice,close,${a}`,
      `"<img src=x onerror=window.__pwned=1>",close,cont_doesnotexist`,
      `"<img src=x onerror=window.__pwned=1>",close,${b}`,
      `carol,close,${c}`,
    ].join("\n");
    const plan = await parsePlan([new TextEncoder().encode(text)], { source: "plan.csv", format: "csv" });
    const run = await runErasure(plan, { clients: { close: createContactsClient(fake.clientConfig("close")) }, journal: memoryJournal() });
    await writeFile(join(dir, "report.html"), renderReportHtml(buildReport(plan, run.state, "plan.csv.journal.jsonl")));
  } finally {
    await fake.close();
  }
  server = await startStaticServer({ root: dir });
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: run \`node scripts/ensure-chromium.mjs\``);
  browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await server?.close().catch(() => {});
  if (dir) await rm(dir, { recursive: true, force: true });
}, 30_000);

describe("HTML erasure report (headless Chromium)", () => {
  it("renders a table per subject, incomplete first and failures first, runs nothing, loads nothing, prints", {
    timeout: 60_000,
  }, async () => {
    const context = await browser.newContext();
    const outside: string[] = [];
    await context.route(
      (url) => !url.href.startsWith(server.url),
      (route) => {
        outside.push(route.request().url());
        return route.abort("blockedbyclient");
      },
    );
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    await page.goto(`${server.url}/report.html`, { waitUntil: "load" });

    const sections = page.locator("section.subject");
    expect(await sections.count()).toBe(3);
    const headings = await page.locator("section.subject h2").allTextContents();
    expect(headings[0]).toBe("<img src=x onerror=window.__pwned=1> — INCOMPLETE");
    expect(headings.slice(1)).toEqual(["alice — erased everywhere", "carol — erased everywhere"]);
    const firstRows = sections.first().locator("tbody tr");
    expect(await firstRows.count()).toBe(2);
    expect(await firstRows.first().getAttribute("class")).toBe("failed");
    expect(await firstRows.first().locator("td").nth(10).textContent()).toMatch(/^not_found: /);
    expect(await firstRows.nth(1).getAttribute("class")).toBe("deleted");
    expect(await page.locator("#totals").textContent()).toContain("3 (2 erased everywhere, 1 incomplete)");

    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator("img, script").count()).toBe(0);
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    await context.close();
  });
});
