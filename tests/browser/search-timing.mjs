// What a query costs in the browser: serve an output folder over HTTP, open the search page with
// a query, and time it to the results, counting the requests and bytes the index took. Five runs,
// each in a new browser context (a cold browser cache), in Debian's Chromium.
//   node tests/browser/search-timing.mjs OUTPUT_DIR QUERY
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { resultsShown } from "./wait-results.mjs";

const [outDir, query] = process.argv.slice(2);
const root = resolve(outDir);
const types = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json", ".css": "text/css" };
const server = createServer(async (req, res) => {
  let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (path.endsWith("/")) path += "index.html";
  try {
    const body = await readFile(join(root, path));
    const ext = path.slice(path.lastIndexOf("."));
    res.writeHead(200, { "content-type": types[ext] || "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const url = `${base}search/?q=${encodeURIComponent(query)}`;
for (let i = 0; i < 5; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  let requests = 0;
  let bytes = 0;
  page.on("response", async (r) => {
    if (!r.url().includes("/pagefind/")) return;
    requests += 1;
    try { bytes += (await r.body()).length; } catch { /* a redirect has no body */ }
  });
  const t0 = Date.now();
  await page.goto(url);
  await resultsShown(page);
  const took = Date.now() - t0;
  const shown = (await page.textContent("#search-status")).trim();
  console.log(`run ${i + 1}: ${took} ms to results, ${requests} index requests, ${(bytes / 1024).toFixed(0)} KiB (${shown})`);
  await context.close();
}
await browser.close();
server.close();
