// How long the search page opened from a file takes with the file-share index: load the page
// with a query and wait for the results, five times, in Debian's Chromium.
//   node tests/browser/file-share-timing.mjs OUTPUT_DIR QUERY
import { chromium } from "playwright-core";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { resultsShown } from "./wait-results.mjs";

const [outDir, query] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const url = pathToFileURL(resolve(outDir, "search/index.html")).href + "?q=" + encodeURIComponent(query);
for (let i = 0; i < 5; i++) {
  const page = await (await browser.newContext()).newPage();
  const t0 = Date.now();
  await page.goto(url);
  await resultsShown(page);
  const shown = await page.textContent("#search-status");
  console.log(`run ${i + 1}: ${Date.now() - t0} ms to results (${shown.trim()})`);
  await page.close();
}
await browser.close();
