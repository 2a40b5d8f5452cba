// A plain static server for a built output folder, for the browser checks: a folder's address
// serves its index.html; nothing outside the folder (or outside PREFIX, the site's base path)
// is served.
import { readFileSync, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { resolve, join, extname } from "node:path";

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
  ".json": "application/json", ".wasm": "application/wasm", ".svg": "image/svg+xml" };

// Serve OUT_DIR under PREFIX on a free local port: the server and the site's address.
export async function serveOutput(outDir, prefix = "/") {
  const root = resolve(outDir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(prefix)) { res.writeHead(404); res.end("outside the site"); return; }
    let file = resolve(root, "./" + path.slice(prefix.length));
    if (!file.startsWith(root)) { res.writeHead(404); res.end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) { res.writeHead(404); res.end("not found"); return; }
    res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, served: `http://127.0.0.1:${server.address().port}${prefix}` };
}
