/**
 * Crawls the built docs in a browser from the index: every page reached through a local link is
 * opened and must render without console or page errors; every link on it must resolve. Local
 * links must reach a page or file the server answers with 200, and a `#fragment` must name an
 * element on its target (TypeDoc) or one of Redoc's client routes (`#/tag/operation`, which Redoc
 * also renders as path-style links like `/tag`). External links are only checked to be well-formed
 * http(s) URLs; they are never fetched.
 */
import type { BrowserContext } from "playwright-core";

export interface CrawlResult {
  pages: string[];
  /** Problems found, one line each (empty = all good). */
  problems: string[];
  externalLinks: string[];
}

interface PageFacts {
  links: Array<{ raw: string; href: string }>;
  ids: string[];
  /** Redoc client routes on the page (`#/contacts`, `#/contacts/deletecontact`), with their prefixes. */
  routes: string[];
  redoc: boolean;
}

export function wellFormedExternal(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === "https:" || url.protocol === "http:") && /\.[a-z]{2,}$/i.test(url.hostname) && !/\s/.test(raw);
  } catch {
    return false;
  }
}

export async function crawlDocs(context: BrowserContext, start: string, hydrated: (redoc: boolean) => string): Promise<CrawlResult> {
  const origin = new URL(start).origin;
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));

  const facts = new Map<string, PageFacts>();
  const problems: string[] = [];
  const externalLinks = new Set<string>();
  const queue = [start];
  const pending: Array<{ from: string; raw: string; target: URL }> = [];
  try {
    while (queue.length > 0) {
      const url = queue.shift()!;
      if (facts.has(url)) continue;
      errors.length = 0;
      const response = await page.goto(url, { waitUntil: "load" });
      if (response?.status() !== 200) {
        problems.push(`${url}: HTTP ${response?.status()}`);
        facts.set(url, { links: [], ids: [], routes: [], redoc: false });
        continue;
      }
      const redoc = (await page.locator("#redoc").count()) > 0;
      await page.locator(hydrated(redoc)).first().waitFor({ state: "attached", timeout: 15_000 });
      const found = await page.evaluate(() => ({
        links: [...document.querySelectorAll("a[href]")].map((a) => ({
          raw: a.getAttribute("href") ?? "",
          href: (a as HTMLAnchorElement).href,
        })),
        ids: [...document.querySelectorAll("[id], a[name]")].map((e) => e.id || e.getAttribute("name") || ""),
      }));
      const routes = new Set<string>();
      for (const { raw } of found.links) {
        if (!raw.startsWith("#/")) continue;
        const parts = raw.slice(2).split("/");
        for (let i = 1; i <= parts.length; i++) routes.add(`#/${parts.slice(0, i).join("/")}`);
      }
      facts.set(url, { ...found, routes: [...routes], redoc });
      for (const error of errors) problems.push(`${url}: ${error}`);
      for (const { raw, href } of found.links) {
        const target = new URL(href);
        if (target.origin !== origin) {
          if (target.protocol === "data:" || target.protocol === "mailto:") continue;
          if (!wellFormedExternal(raw)) problems.push(`${url}: malformed external link ${JSON.stringify(raw)}`);
          else externalLinks.add(raw);
          continue;
        }
        pending.push({ from: url, raw, target });
        const path = new URL(target.pathname, origin).href;
        if (/\.html$|\/$/.test(target.pathname) && !facts.has(path) && !(redoc && raw.startsWith("/"))) queue.push(path);
      }
    }
    for (const { from, raw, target } of pending) {
      const source = facts.get(from)!;
      // Redoc renders its client routes also as path-style links (`/`, `/contacts`); they resolve
      // when the same route exists as `#/…` on the page.
      if (source.redoc && raw.startsWith("/")) {
        if (raw !== "/" && !source.routes.includes(`#${raw}`)) problems.push(`${from}: Redoc link ${raw} is not one of the page's routes`);
        continue;
      }
      const path = new URL(target.pathname, origin).href;
      const page = facts.get(path);
      if (page === undefined) {
        const status = (await fetch(path)).status;
        if (status !== 200) problems.push(`${from}: link ${JSON.stringify(raw)} -> HTTP ${status}`);
        continue;
      }
      const hash = decodeURIComponent(target.hash.slice(1));
      if (hash === "") continue;
      const ok = hash.startsWith("/") ? page.routes.includes(`#${hash}`) : page.ids.includes(hash);
      if (!ok) problems.push(`${from}: link ${JSON.stringify(raw)} names #${hash}, which ${path} does not have`);
    }
  } finally {
    await page.close();
  }
  return { pages: [...facts.keys()], problems, externalLinks: [...externalLinks] };
}
