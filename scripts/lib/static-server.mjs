// Tiny read-only static file server for tests (docs browser test). Binds 127.0.0.1 on a random port.
//
//   const server = await startStaticServer({ root: "build/docs" });
//   server.url            // "http://127.0.0.1:43123"
//   server.requests       // [{ method, url, status }] every request it answered
//   await server.close();
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".yaml": "application/yaml; charset=utf-8",
  ".yml": "application/yaml; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * @param {{ root: string, host?: string, port?: number }} options
 * @returns {Promise<{ url: string, port: number, requests: Array<{method: string, url: string, status: number}>, close: () => Promise<void> }>}
 */
export async function startStaticServer({ root, host = "127.0.0.1", port = 0 }) {
  const base = resolve(root);
  /** @type {Array<{method: string, url: string, status: number}>} */
  const requests = [];

  const server = createServer(async (req, res) => {
    const send = (status, body, headers = {}) => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", status });
      res.writeHead(status, { "cache-control": "no-store", ...headers });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    try {
      if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed", { allow: "GET, HEAD" });
      let pathname;
      try {
        pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      } catch {
        return send(400, "bad request");
      }
      if (pathname.endsWith("/")) pathname += "index.html";
      const file = resolve(join(base, pathname));
      if (file !== base && !file.startsWith(base + sep)) return send(403, "forbidden");
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) return send(404, "not found", { "content-type": "text/plain; charset=utf-8" });
      const body = await readFile(file);
      send(200, body, {
        "content-type": TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
        "content-length": String(body.length),
      });
    } catch (err) {
      send(500, String(err));
    }
  });

  // Don't let idle keep-alive sockets hold close() open.
  server.keepAliveTimeout = 1000;
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ok(undefined));
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("static server: no TCP address");

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    requests,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}
