// Headless-browser test of the offline Redoc docs (scripts/build-docs.mjs).
//
// Builds every specs/*.yaml page into a temp dir, serves it from 127.0.0.1, opens each page in Debian's
// Chromium via playwright-core and checks, against what the spec YAML says (nothing hard-coded):
// the operation (summary heading, DELETE + path), every parameter name, every response status (each tab
// is clicked, which only works once Redoc has hydrated), no console/page errors, and no request that
// left 127.0.0.1. Then the index page and its links, the operation shown expanded without a click,
// source URLs as links and no raw Markdown, a page opened from disk (file://), a crawl of every page
// (provider pages, index, the TypeDoc library reference) for console errors and unresolved links,
// and that the library reference lists every public export and every documented default.
//
// Chromium missing => every test here FAILS (never skips): run `node scripts/ensure-chromium.mjs`.
import { existsSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildDocs, offlineProblems, plainSummary, PROJECT_ROOT, type BuildDocsResult } from "../../scripts/build-docs.mjs";
import { CHROMIUM_ARGS, chromiumPath } from "../../scripts/ensure-chromium.mjs";
import { startStaticServer, type StaticServer } from "../../scripts/lib/static-server.mjs";
import { BUNDLE_FILE } from "../../scripts/lib/redoc-pages.mjs";
import { crawlDocs } from "./crawl.js";
import { documentedDefaults, entryExports } from "./exports.js";

// Every spec (test/project/registry.test.ts proves they are the registry's providers).
const PROVIDERS = readdirSync(join(PROJECT_ROOT, "specs"))
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => f.slice(0, -".yaml".length))
  .sort();
const SCREENSHOT_PROVIDER = "close";
const SCREENSHOT = join(PROJECT_ROOT, "artifacts", `docs-${SCREENSHOT_PROVIDER}.png`);
// Playwright's launch() always starts Chromium with a new empty temporary --user-data-dir of its own
// (and rejects one in `args`), so that probe flag is covered without passing it.
const HYDRATION_TIMEOUT = 15_000; // hydration takes ~0.3 s here; generous for a loaded 2-core CI box
const T = { timeout: 60_000 };

// ---------------------------------------------------------------------------------------------------
// What each spec says the page must show.

type Json = Record<string, unknown>;
interface ExpectedOperation {
  method: string;
  path: string;
  heading: string;
  /** The operation's first tag: Redoc lists a tag's operations only once it is opened, if it has several. */
  tag: string | null;
  parameters: string[];
  responses: Array<{ status: string; description: string }>;
}
interface ExpectedPage {
  provider: string;
  title: string;
  operations: ExpectedOperation[];
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

function deref(root: Json, value: unknown): Json {
  let node = value as Json;
  for (let hops = 0; node && typeof node.$ref === "string"; hops++) {
    const ref = node.$ref as string;
    if (!ref.startsWith("#/") || hops > 20) throw new Error(`unsupported $ref ${ref}`);
    node = ref
      .slice(2)
      .split("/")
      .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<unknown>((acc, key) => (acc as Json | undefined)?.[key], root) as Json;
  }
  return node;
}

async function expectedPage(specFile: string, provider: string): Promise<ExpectedPage> {
  const doc = parseYaml(await readFile(specFile, "utf8")) as Json;
  const operations: ExpectedOperation[] = [];
  for (const [path, rawItem] of Object.entries((doc.paths ?? {}) as Json)) {
    const item = deref(doc, rawItem);
    for (const method of HTTP_METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const params = [...((item.parameters as unknown[]) ?? []), ...((op.parameters as unknown[]) ?? [])].map(
        (p) => deref(doc, p).name as string,
      );
      const responses = Object.entries((op.responses ?? {}) as Json).map(([status, r]) => ({
        status,
        description: String(deref(doc, r).description ?? ""),
      }));
      operations.push({
        method: method.toUpperCase(),
        path,
        // Redoc's operation heading: summary, else operationId, else the path.
        heading: String(op.summary ?? op.operationId ?? path).trim(),
        tag: Array.isArray(op.tags) && typeof op.tags[0] === "string" ? op.tags[0] : null,
        parameters: [...new Set(params)],
        responses,
      });
    }
  }
  const info = (doc.info ?? {}) as Json;
  return { provider, title: String(info.title ?? provider), operations };
}

// ---------------------------------------------------------------------------------------------------
// Shared state: built once, torn down in afterAll whatever happens.

let workDir: string | undefined;
let built: BuildDocsResult | undefined;
let apiFiles: string[] = [];
let server: StaticServer | undefined;
let browser: Browser | undefined;
let browserError: Error | undefined;
const expected = new Map<string, ExpectedPage>();

function requireBrowser(): Browser {
  if (browser) return browser;
  throw browserError ?? new Error("browser was not started (see beforeAll error)");
}
function requireServer(): StaticServer {
  if (!server) throw new Error("docs were not built/served (see beforeAll error)");
  return server;
}

interface Recorder {
  requests: string[];
  consoleErrors: string[];
  pageErrors: string[];
}

function isLocal(url: string, port: number): boolean {
  if (url.startsWith("data:") || url.startsWith("blob:") || url.startsWith("about:")) return true;
  try {
    const u = new URL(url);
    return u.protocol === "http:" && u.hostname === "127.0.0.1" && u.port === String(port);
  } catch {
    return false;
  }
}

async function openPage(): Promise<{ context: BrowserContext; page: Page; rec: Recorder }> {
  const srv = requireServer();
  const context = await requireBrowser().newContext({ viewport: { width: 1280, height: 900 } });
  // Abort anything non-local so a leak can't hang the test on DNS; it is still recorded (and fails it).
  await context.route(
    (url) => !isLocal(url.href, srv.port),
    (route) => route.abort("blockedbyclient"),
  );
  const page = await context.newPage();
  const rec: Recorder = { requests: [], consoleErrors: [], pageErrors: [] };
  page.on("request", (r) => rec.requests.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error") rec.consoleErrors.push(`${m.text()} @ ${m.location().url}`);
  });
  page.on("pageerror", (e) => rec.pageErrors.push(e.stack ?? e.message));
  return { context, page, rec };
}

function expectCleanAndOffline(rec: Recorder) {
  const port = requireServer().port;
  expect(rec.requests.length, "the page made no requests at all?").toBeGreaterThan(0);
  expect(
    rec.requests.filter((u) => !isLocal(u, port)),
    "requests that left 127.0.0.1",
  ).toEqual([]);
  expect(rec.consoleErrors, "console errors").toEqual([]);
  expect(rec.pageErrors, "page errors").toEqual([]);
}

const norm = (s: string) => s.replace(/\s+/g, " ").trim();

const decodeEntities = (html: string) =>
  html.replace(/&(quot|#39|lt|gt|amp);/g, (_, e: string) => ({ quot: '"', "#39": "'", lt: "<", gt: ">", amp: "&" })[e]!);

/** http(s) URLs the spec's descriptions mention outside code spans and server entries (the sources). */
function specSourceUrls(yamlText: string): string[] {
  const urls = new Set<string>();
  const visit = (node: unknown, key: string | null): void => {
    if (Array.isArray(node)) return node.forEach((item) => visit(item, key));
    if (node === null || typeof node !== "object") return;
    for (const [k, v] of Object.entries(node)) {
      if (k === "servers" || k === "value" || k === "example") continue;
      if (k === "description" && typeof v === "string") {
        const prose = v.replace(/`[^`]*`/g, " ");
        for (const m of prose.matchAll(/https?:\/\/[^\s<>()`"']+[^\s<>()`"'.,;:!?]/g)) urls.add(m[0]);
      } else visit(v, k);
    }
  };
  visit(parseYaml(yamlText), null);
  return [...urls];
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Bring an operation on screen the way a reader would and wait for Redoc to render it.
 * Redoc 3 pre-renders only the overview; operations under a tag sit in a collapsed section listed as
 * "DELETE /path" links under "Operations". Clicking that link (client-side hash route) renders the
 * operation: its <h2>, parameters and response tabs exist only once the inlined bundle has hydrated,
 * so a page whose JS failed times out here.
 */
async function revealOperation(page: Page, op: ExpectedOperation, rec: Recorder) {
  const link = page
    .locator('a[href^="#"]')
    .filter({ hasText: new RegExp(`^\\s*${escapeRe(op.method)}\\s*${escapeRe(op.path)}\\s*$`, "i") })
    .first();
  const heading = page
    .locator("h1, h2, h3")
    .filter({ hasText: new RegExp(`^\\s*${escapeRe(op.heading)}\\s*$`) })
    .first();
  const notRendered = (err: Error) =>
    new Error(
      `Redoc did not render operation ${JSON.stringify(`${op.method} ${op.path}`)} / heading ` +
        `${JSON.stringify(op.heading)} within ${HYDRATION_TIMEOUT} ms (page failed to hydrate?). ` +
        `Page errors: ${JSON.stringify(rec.pageErrors)}; console errors: ${JSON.stringify(rec.consoleErrors)}\n` +
        err.message,
    );
  // Both the "Operations" link and the operation itself are client-rendered: wait for either. A tag
  // with several operations shows none of them until the reader opens it in the menu.
  const tagLink =
    op.tag === null
      ? null
      : page
          .locator("a")
          .filter({ hasText: new RegExp(`^\\s*${escapeRe(op.tag)}\\s*$`) })
          .first();
  const shown = tagLink ? heading.or(link).or(tagLink) : heading.or(link);
  await shown
    .first()
    .waitFor({ state: "visible", timeout: HYDRATION_TIMEOUT })
    .catch((err: Error) => {
      throw notRendered(err);
    });
  if (tagLink && !(await heading.isVisible()) && !(await link.isVisible())) {
    await tagLink.click();
    await heading
      .or(link)
      .first()
      .waitFor({ state: "visible", timeout: HYDRATION_TIMEOUT })
      .catch((err: Error) => {
        throw notRendered(err);
      });
  }
  if (!(await heading.isVisible())) await link.click();
  await heading.waitFor({ state: "visible", timeout: HYDRATION_TIMEOUT }).catch((err: Error) => {
    throw notRendered(err);
  });
  return heading;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "contactkit-docs-test-"));
  built = await buildDocs({ outDir: join(workDir, "docs"), log: () => {} });
  apiFiles = await readdir(join(built.outDir, "api"), { recursive: true });
  for (const page of built.pages) {
    expected.set(page.provider, await expectedPage(page.file, page.provider));
  }
  server = await startStaticServer({ root: built.outDir });

  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    browserError = new Error(
      `Chromium not found at ${executablePath}. The docs browser test needs it and does not skip.\n` +
        `Install it with: node scripts/ensure-chromium.mjs   (as root: apt-get install chromium)\n` +
        `or set CHROMIUM_PATH to an existing Chromium/Chrome binary.`,
    );
    return;
  }
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
  } catch (err) {
    browserError = new Error(
      `Could not launch Chromium at ${executablePath}: ${(err as Error).message}\nReinstall with: node scripts/ensure-chromium.mjs`,
    );
  }
}, 240_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await server?.close().catch(() => {});
  if (workDir) await rm(workDir, { recursive: true, force: true });
}, 30_000);

// ---------------------------------------------------------------------------------------------------

describe("offline Redoc docs (headless Chromium)", () => {
  it("has a Chromium to test with", () => {
    requireBrowser();
    expect(browser?.isConnected()).toBe(true);
  });

  it("built one page per spec sharing one Redoc bundle, plus an index", async () => {
    expect(built, "buildDocs() result").toBeDefined();
    expect(built!.pages.map((p) => p.provider).sort()).toEqual([...PROVIDERS]);
    const bundle = await stat(join(built!.outDir, BUNDLE_FILE));
    expect(bundle.size, "the shared Redoc bundle").toBeGreaterThan(1024 * 1024);
    for (const p of built!.pages) {
      const html = await readFile(p.output, "utf8");
      expect(offlineProblems(html), `${p.provider}.html`).toEqual([]);
      expect(html, `${p.provider}.html loads the shared bundle`).toContain(`<script src="./${BUNDLE_FILE}"></script>`);
      expect(html, `${p.provider}.html hydrates`).toMatch(/hydrate\(/);
      // The bundle is not inlined: a page is a fraction of it.
      expect(p.bytes, `${p.provider}.html size`).toBeLessThan(bundle.size / 4);
      expect(html).not.toMatch(/<script[^>]+src=["']?https?:/i);
      expect(html).not.toMatch(/<link[^>]+href=["']?https?:/i);
      expect(html, "Redoc UI telemetry off").toMatch(/__redoc_options = \{[^}]*"disableTelemetry":true/);
    }
    const index = await readFile(built!.index, "utf8");
    expect(offlineProblems(index)).toEqual([]);
    expect(index, "index must not contain a build date").not.toMatch(/\b20\d\d-\d\d-\d\d\b/);
  });

  for (const provider of PROVIDERS) {
    it(`${provider}: Redoc renders the operation, every parameter and response, offline and error-free`, T, async () => {
      const want = expected.get(provider);
      expect(want, `specs/${provider}.yaml was built`).toBeDefined();
      const { context, page, rec } = await openPage();
      try {
        const response = await page.goto(`${requireServer().url}/${provider}.html`, { waitUntil: "load" });
        expect(response?.status()).toBe(200);
        expect(await page.title()).toBe(want!.title);

        for (const [i, op] of want!.operations.entries()) {
          // Each operation from a fresh load, as a reader following its link from the overview would.
          if (i > 0) await page.goto(`${requireServer().url}/${provider}.html`, { waitUntil: "load" });
          const heading = await revealOperation(page, op, rec);

          // Scope = nearest ancestor of the heading that holds the operation's response tabs.
          const scopeFound = await heading.evaluate((h) => {
            let el: HTMLElement | null = h as HTMLElement;
            while (el && !el.querySelector('[role="tablist"]')) el = el.parentElement;
            if (!el || el === document.body) return false;
            el.setAttribute("data-test-operation", "");
            return true;
          });
          expect(scopeFound, `operation section with response tabs for ${op.heading}`).toBe(true);
          const scope = page.locator("[data-test-operation]").last();

          const facts = await scope.evaluate(
            (root, { method, path, parameters }) => {
              const leaves = [...root.querySelectorAll<HTMLElement>("*")].filter((e) => e.children.length === 0);
              const flat = (s: string | null) => (s ?? "").replace(/\s+/g, "");
              const shown = (e: Element) => (e as HTMLElement).getClientRects().length > 0;
              // The method badge and the path rendered together (e.g. "DELETE /api/contact/{id}").
              const methodPath = leaves
                .filter((e) => e.textContent?.trim() === path)
                .some((e) => {
                  let a: HTMLElement | null = e;
                  for (let i = 0; i < 4 && a; i++, a = a.parentElement) {
                    if (flat(a.textContent).toUpperCase() === flat(method + path).toUpperCase() && shown(a)) return true;
                  }
                  return false;
                });
              const methodBadge = leaves.some((e) => e.textContent?.trim().toUpperCase() === method && shown(e));
              const params = Object.fromEntries(
                parameters.map((name) => [name, leaves.some((e) => e.textContent?.trim() === name && shown(e))]),
              );
              return { methodPath, methodBadge, params };
            },
            { method: op.method, path: op.path, parameters: op.parameters },
          );
          expect(facts.methodBadge, `${op.method} badge rendered`).toBe(true);
          expect(facts.methodPath, `"${op.method} ${op.path}" rendered`).toBe(true);
          expect(op.parameters.length, "spec declares parameters").toBeGreaterThan(0);
          for (const name of op.parameters) {
            expect(facts.params[name], `parameter "${name}" rendered`).toBe(true);
          }

          // Every response status is a tab; clicking it must select it and show its description.
          const tablist = scope.locator('[role="tablist"]').first();
          for (const { status, description } of op.responses) {
            const tab = tablist.getByRole("tab", { name: status, exact: true });
            await expect.poll(() => tab.count(), { message: `response tab ${status}` }).toBe(1);
            await tab.click();
            await expect.poll(() => tab.getAttribute("aria-selected"), { message: `tab ${status} selected after click` }).toBe("true");
            const summary = plainSummary(description);
            if (summary) {
              const firstWords = summary.split(" ").slice(0, 6).join(" ");
              await expect
                .poll(async () => norm(await scope.innerText()), {
                  message: `description of response ${status} shown`,
                  timeout: 5_000,
                })
                .toContain(firstWords);
            }
          }
        }

        if (provider === SCREENSHOT_PROVIDER) {
          await page.locator('[role="tablist"] [role="tab"]').first().click();
          await mkdir(join(PROJECT_ROOT, "artifacts"), { recursive: true });
          await page.screenshot({ path: SCREENSHOT });
        }
        expectCleanAndOffline(rec);
      } finally {
        await context.close();
      }
    });
  }

  it("index links every provider page, and each link opens a working Redoc page", T, async () => {
    const { context, page, rec } = await openPage();
    try {
      const srv = requireServer();
      const response = await page.goto(`${srv.url}/index.html`, { waitUntil: "load" });
      expect(response?.status()).toBe(200);
      const links = await page
        .locator("a[href]")
        .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href") ?? "", text: a.textContent?.trim() ?? "" })));
      const byFile = new Map(links.map((l) => [l.href.replace(/^\.\//, ""), l.text]));
      const bodyText = norm(await page.locator("body").innerText());
      for (const provider of PROVIDERS) {
        const page_ = built!.pages.find((p) => p.provider === provider)!;
        expect(byFile.get(`${provider}.html`), `index link to ${provider}.html`).toBe(expected.get(provider)!.title);
        const desc = plainSummary(page_.description);
        if (desc) expect(bodyText, `index shows ${provider}'s description`).toContain(desc);
      }

      for (const provider of PROVIDERS) {
        const want = expected.get(provider)!;
        if (!page.url().endsWith("/index.html")) await page.goto(`${srv.url}/index.html`, { waitUntil: "load" });
        await page.locator(`a[href="./${provider}.html"]`).click();
        await page.waitForURL(`**/${provider}.html`);
        expect(await page.title()).toBe(want.title);
        await revealOperation(page, want.operations[0]!, rec);
      }
      expect(
        srv.requests.filter((r) => r.status !== 200),
        "server answered everything with 200",
      ).toEqual([]);
      expectCleanAndOffline(rec);
    } finally {
      await context.close();
    }
  });
  for (const provider of PROVIDERS) {
    it(`${provider}: opens with the operation expanded, source URLs as links, no raw Markdown`, T, async () => {
      const want = expected.get(provider)!;
      const { context, page, rec } = await openPage();
      try {
        await page.goto(`${requireServer().url}/${provider}.html`, { waitUntil: "load" });
        // No click: the operation's heading and its response tabs render on their own.
        for (const op of want.operations) {
          const heading = page
            .locator("h1, h2, h3")
            .filter({ hasText: new RegExp(`^\\s*${escapeRe(op.heading)}\\s*$`) })
            .first();
          await heading.waitFor({ state: "visible", timeout: HYDRATION_TIMEOUT });
        }
        await expect.poll(() => page.locator('[role="tablist"] [role="tab"]').count()).toBeGreaterThan(0);
        const anchors = await page.locator("#redoc a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
        for (const url of specSourceUrls(await readFile(built!.pages.find((p) => p.provider === provider)!.file, "utf8"))) {
          expect(anchors, `${url} is a link`).toContain(url);
        }
        const text = await page.locator("#redoc").innerText();
        expect(text.match(/`[^`\n]*`/g) ?? [], "Markdown code quotes shown as text").toEqual([]);
        expectCleanAndOffline(rec);
      } finally {
        await context.close();
      }
    });
  }

  it("a page opened from disk (file://) renders too: the bundle is a classic script next to it", T, async () => {
    const context = await requireBrowser().newContext();
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
      page.on("request", (r) => requests.push(r.url()));
      const provider = PROVIDERS[0]!;
      await page.goto(`file://${join(built!.outDir, `${provider}.html`)}`, { waitUntil: "load" });
      const op = expected.get(provider)!.operations[0]!;
      await page
        .locator("h1, h2, h3")
        .filter({ hasText: new RegExp(`^\\s*${escapeRe(op.heading)}\\s*$`) })
        .first()
        .waitFor({ state: "visible", timeout: HYDRATION_TIMEOUT });
      expect(errors).toEqual([]);
      // Redoc starts its search worker from a blob: URL; nothing may go to the network.
      expect(requests.filter((u) => !/^(file|data|blob):/.test(u))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("every page renders without console errors and every link resolves (crawled from the index)", { timeout: 180_000 }, async () => {
    const { context, rec } = await openPage();
    try {
      const crawl = await crawlDocs(context, `${requireServer().url}/index.html`, (redoc) => (redoc ? '#redoc a[href^="#/"]' : "body"));
      expect(crawl.problems).toEqual([]);
      // The crawl reached every provider page and every page of the library reference.
      const paths = crawl.pages.map((u) => new URL(u).pathname.slice(1));
      for (const provider of PROVIDERS) expect(paths).toContain(`${provider}.html`);
      for (const file of apiFiles.filter((f) => f.endsWith(".html")))
        expect(paths, `api/${file} reached`).toContain(`api/${file.split("\\").join("/")}`);
      expect(crawl.externalLinks.length, "source URLs are links").toBeGreaterThan(0);
      expect(rec.requests.filter((u) => !isLocal(u, requireServer().port))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("the library reference lists every public export of every entry point and every @default", T, async () => {
    const { context, page, rec } = await openPage();
    try {
      const srv = requireServer();
      await page.goto(`${srv.url}/index.html`, { waitUntil: "load" });
      await page.locator('a[href="./api/index.html"]').click();
      await page.waitForURL("**/api/index.html");
      for (const { specifier, names } of entryExports()) {
        expect(names.length, `${specifier} exports something`).toBeGreaterThan(0);
        const moduleLink = page
          .locator("a")
          .filter({ hasText: new RegExp(`^${escapeRe(specifier)}$`) })
          .first();
        const href = await moduleLink.getAttribute("href");
        expect(href, `module ${specifier} listed`).toBeTruthy();
        await page.goto(new URL(href!, page.url()).href, { waitUntil: "load" });
        const listed = norm(await page.locator("body").innerText());
        for (const name of names) expect(listed, `${specifier} documents ${name}`).toMatch(new RegExp(`\\b${escapeRe(name)}\\b`));
        await page.goto(`${srv.url}/api/index.html`, { waitUntil: "load" });
      }
      const defaults = documentedDefaults();
      // Guards against a vacuous pass: the options interfaces document many defaults.
      expect(defaults.length).toBeGreaterThan(5);
      expect(defaults.map((d) => `${d.owner}.${d.property}`)).toContain("CommonClientOptions.maxRetries");
      // Defaults of every entry point, not only the root one (contactkit/erasure, contactkit/redis, ...).
      expect(new Set(defaults.map((d) => d.specifier)).size, "defaults from more than one entry point").toBeGreaterThan(1);
      for (const { specifier, owner, property, value } of defaults) {
        // TypeDoc names a page `<module>.<name>.html`, the module's `/` written as `_` (contactkit_erasure).
        const file = apiFiles.find((f) => f.split("\\").join("/").split("/").pop() === `${specifier.replace(/\//g, "_")}.${owner}.html`);
        expect(file, `a page for ${owner} (exported from ${specifier})`).toBeDefined();
        const html = await readFile(join(built!.outDir, "api", file!), "utf8");
        const section = html.slice(html.indexOf(`id="${property.toLowerCase()}"`));
        expect(section.length, `${owner}.${property} documented`).toBeLessThan(html.length);
        // Compared without whitespace and Markdown code quotes: TypeDoc renders the tag as Markdown.
        const flat = (text: string) => decodeEntities(text).replace(/[\s`]/g, "");
        expect(flat(section.replace(/<[^>]+>/g, "")).slice(0, 4000), `${owner}.${property} shows its default`).toContain(
          flat(`Default${value}`),
        );
      }
      expectCleanAndOffline(rec);
    } finally {
      await context.close();
    }
  });
});
