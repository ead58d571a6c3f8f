// What turns `redocly build-docs` output into pages a person browses (used by scripts/build-docs.mjs):
//   - one shared Redoc bundle: every page loads ./redoc.standalone.js (a classic script, so the
//     pages also work opened from disk, file://) instead of inlining 2.2 MB each or loading the CDN;
//   - every operation shown expanded: Redoc 3 expands a tag section only when the URL routes to it
//     and renders other sections only once scrolled near, so a page opened without a route goes to
//     its first tag's route once hydrated and has every section rendered;
//   - descriptions as Markdown: bare source URLs become links, and server descriptions, which Redoc
//     shows as plain text, lose their Markdown code quotes.
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export const BUNDLE_FILE = "redoc.standalone.js";
/** The global the shared bundle defines (the CDN build is an ES module exporting these). */
const BUNDLE_GLOBAL = "__contactkitRedoc";

/** The Redoc build @redocly/cli inlines with --inlineBundle (same version as its server rendering). */
function redocBundlePath() {
  const cli = createRequire(import.meta.url).resolve("@redocly/cli/package.json");
  return join(dirname(cli), "lib", "chunks", BUNDLE_FILE);
}

/** Writes the shared bundle into `outDir` as a classic script defining `window.__contactkitRedoc`. */
export async function writeRedocBundle(outDir, fail, transform = (js) => js) {
  const source = await readFile(redocBundlePath(), "utf8");
  const exportLine = /export\s*\{\s*RedocStandalone\s*,\s*hydrate\s*,\s*init\s*\}\s*;?\s*$/;
  if (!exportLine.test(source)) fail(`${redocBundlePath()}: unexpected Redoc bundle layout (no trailing export of hydrate)`);
  // `import.meta` is a syntax error outside a module. The bundle names it only for flexsearch's
  // worker paths (the Node branch, and the page URL in the browser), so it becomes the page URL.
  const withoutImportMeta = source.replace(/(?<!")\bimport\.meta\.(url|dirname)\b/g, "location.href");
  if (/(?<!")\bimport\.meta\b/.test(withoutImportMeta)) fail(`${redocBundlePath()}: uses import.meta in a way a classic script cannot`);
  // Wrapped in a function so the bundle's top-level names stay out of the page's global scope.
  const body = withoutImportMeta.replace(exportLine, `window.${BUNDLE_GLOBAL}={RedocStandalone,hydrate,init};`);
  const classic = transform(`(function () {\n${body}\n})();\n`);
  const file = join(outDir, BUNDLE_FILE);
  await writeFile(file, classic);
  return file;
}

/**
 * Runs after hydration: with no route in the URL, route to the first tag section so its
 * operations render expanded (Redoc keeps a section behind "+ Show" unless the URL points at it),
 * then have Redoc render every section, and stay at the top of the page.
 *
 * The first tag's route comes from a `#/tag/operation` link (the overview lists a tag's
 * operation that way when it has only one) or else from the sidebar's path-style `/tag` link
 * (all there is for a tag with several operations). Redoc 3 renders only the routed section and
 * its first operation at once; every other section is an empty `[data-section-id]` placeholder
 * until it scrolls near the viewport. A reader opening the page should see every operation
 * (and a search in the page should find it), so each placeholder is scrolled to once; Redoc
 * keeps a section rendered after that.
 */
const EXPAND_SCRIPT = `
      (function expandSections() {
        if (location.hash) return;
        var placeholders = '#redoc [data-section-id]:empty';
        function firstTagRoute() {
          var link = document.querySelector('#redoc a[href^="#/"]') || document.querySelector('#redoc a[href^="/"]:not([href="/"])');
          if (!link) return null;
          var first = link.getAttribute("href").replace(/^#?\\//, "").split(/[/#]/)[0];
          return first ? "#/" + first : null;
        }
        function renderAll(done) {
          var tries = 0;
          var timer = setInterval(function () {
            var next = document.querySelector(placeholders);
            if (!next || ++tries > 200) {
              clearInterval(timer);
              done();
              return;
            }
            next.scrollIntoView({ block: "start" });
          }, 50);
        }
        var tries = 0;
        var timer = setInterval(function () {
          var route = firstTagRoute();
          if (route || ++tries > 100) clearInterval(timer);
          if (!route) return;
          location.replace(route);
          setTimeout(function () {
            renderAll(function () { window.scrollTo(0, 0); });
          }, 100);
        }, 50);
      })();`;

/** Rewrites a page built without --inlineBundle to load the shared bundle and expand the operation. */
export function useSharedBundle(html, label, fail) {
  const preload = /<link rel="modulepreload" href="https:\/\/cdn\.redocly\.com\/redoc\/[^"]+\/redoc\.standalone\.js"[^>]*>/;
  const moduleImport =
    /<script type="module">(\s*)import \{ hydrate \} from "https:\/\/cdn\.redocly\.com\/redoc\/[^"]+\/redoc\.standalone\.js";/;
  if (!moduleImport.test(html)) fail(`${label}: Redoc's CDN import not found (redocly output changed?)`);
  let out = html.replace(preload, "");
  out = out.replace(
    moduleImport,
    `<script src="./${BUNDLE_FILE}"></script>\n      <script>$1var hydrate = window.${BUNDLE_GLOBAL}.hydrate;`,
  );
  const hydrateCall = /hydrate\(__redoc_definition, __redoc_options, document\.getElementById\('redoc'\)\);/;
  if (!hydrateCall.test(out)) fail(`${label}: Redoc's hydrate call not found (redocly output changed?)`);
  return out.replace(hydrateCall, (call) => `${call}${EXPAND_SCRIPT}`);
}

const URL_IN_TEXT = /(?<![<[]|\]\()\bhttps?:\/\/[^\s<>()`"']+[^\s<>()`"'.,;:!?]/g;

/** Bare URLs in Markdown text become links; code spans and existing links stay as they are. */
export function linkBareUrls(markdown) {
  return markdown
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(URL_IN_TEXT, (url) => `[${url}](${url})`)))
    .join("");
}

/** Markdown code quotes removed, for text Redoc prints verbatim. */
const plainCode = (text) => text.replace(/`([^`]*)`/g, "$1");

/**
 * The spec as Redoc should render it: every `description` with its bare URLs linked, server
 * descriptions (shown as plain text by Redoc) without code quotes. The wire facts are unchanged.
 */
export function specForRedoc(doc) {
  const visit = (node) => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== "object") return node;
    const out = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "description" && typeof value === "string") out[key] = linkBareUrls(value);
      // Example payloads are data, shown as they are.
      else if (key === "value" || key === "example") out[key] = value;
      else if (key === "servers" && Array.isArray(value)) {
        out[key] = value.map((server) =>
          typeof server?.description === "string" ? { ...visit(server), description: plainCode(server.description) } : visit(server),
        );
      } else out[key] = visit(value);
    }
    return out;
  };
  return visit(doc);
}
