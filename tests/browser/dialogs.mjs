// No script from content runs: every page of a built site (the hostile fixture, whose names,
// front matter and bodies carry script) is opened in headless Chromium from the file system and
// over HTTP; the run fails on any dialog (alert, confirm, prompt), on any link, image, frame or
// form whose address the browser reads as `javascript:`, and on search results that would.
//
//   node tests/browser/dialogs.mjs OUTPUT_DIR [SEARCH_QUERY]
//
// Needs Debian's chromium (/usr/bin/chromium or $CHROMIUM) and `npm ci` in tests/browser.
import { chromium } from "playwright-core";
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { serveOutput } from "./serve-output.mjs";
import { resolve, join, relative } from "node:path";
import { pathToFileURL } from "node:url";

const [outDir, query = "alert"] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: node dialogs.mjs OUTPUT_DIR [SEARCH_QUERY]");
  process.exit(2);
}
const root = resolve(outDir);
const pages = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith(".html")) pages.push(relative(root, p));
  }
})(root);
pages.sort();

const { server, served: base } = await serveOutput(root);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
let failures = 0;
const fail = (msg) => { console.log(`FAIL ${msg}`); failures++; };
let where = "";
page.on("dialog", async (d) => { fail(`${where}: a ${d.type()} opened: ${d.message()}`); await d.dismiss(); });

// Every address in the page as the browser resolved it.
const scriptAddresses = () => page.evaluate(() => {
  const out = [];
  const check = (el, attr) => { const v = el[attr]; if (typeof v === "string" && /^\s*javascript:/i.test(v)) out.push(`${el.tagName} ${attr}=${v}`); };
  document.querySelectorAll("a[href], area[href]").forEach((el) => check(el, "href"));
  document.querySelectorAll("img[src], iframe[src], script[src], embed[src], source[src]").forEach((el) => check(el, "src"));
  document.querySelectorAll("form[action]").forEach((el) => check(el, "action"));
  return out;
});

let links = 0;
for (const [way, url] of [["file", (p) => pathToFileURL(join(root, p)).href], ["http", (p) => base + p]]) {
  for (const p of pages) {
    where = `${way} ${p}`;
    await page.goto(url(p));
    await page.waitForTimeout(50);
    links += await page.evaluate(() => document.querySelectorAll("a[href]").length);
    for (const bad of await scriptAddresses()) fail(`${where}: ${bad}`);
    // Hover and focus every link and heading: handlers written into attributes would run.
    await page.evaluate(() => document.querySelectorAll("a, h1, h2, b, summary").forEach((el) => {
      el.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
      el.dispatchEvent(new FocusEvent("focus"));
    }));
  }
}
// The search page's results for a word every hostile page holds.
if (existsSync(join(root, "search/index.html"))) {
  where = `search ?q=${query}`;
  await page.goto(`${base}search/?q=${encodeURIComponent(query)}`);
  await page.waitForFunction(() => document.getElementById("search-results")?.getAttribute("aria-busy") === "false", null, { timeout: 15000 })
    .catch(() => fail(`${where}: results never finished`));
  const results = await page.evaluate(() => document.querySelectorAll("#search-results a[href]").length);
  if (results === 0) fail(`${where}: no results to check`);
  for (const bad of await scriptAddresses()) fail(`${where}: ${bad}`);
  console.log(`search: ${results} result links checked`);
}
await browser.close();
server.close();
console.log(`dialogs: ${pages.length} pages opened twice (file and http), ${links} links checked, ${failures} failures`);
process.exit(failures ? 1 : 0);
