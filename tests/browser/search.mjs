// Search in a real browser: the built search fixture (tests/fixtures/search-site) served over
// HTTP, each held-back query of search-queries.json run the ways a user runs one (typed into the
// header box of another page, typed into the search page, opened as /search/?q=), the result
// links read from #search-results, and recall reported. Also: filters, escaping of titles and
// excerpts, and the message the search page gives when opened from a file.
//
//   node tests/browser/search.mjs OUTPUT_DIR [BASE_PATH]
//   node tests/browser/search.mjs OUTPUT_DIR --file
//
// --file opens every page from file:// instead (a site built with `search_file_share: true`):
// the same queries, answered by the file-share index.
//
// BASE_PATH (e.g. /portal/) serves the site under that path, for a build whose base_url has one
// and no relative URLs; the file:// check is then left out (such a build needs a server).
//
// Needs Debian's chromium (/usr/bin/chromium or $CHROMIUM) and `npm ci` in tests/browser.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { serveOutput } from "./serve-output.mjs";
import { resolve, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2];
const fileMode = process.argv[3] === "--file";
const prefix = fileMode ? "/" : process.argv[3] || "/";
if (!outDir || !prefix.startsWith("/") || !prefix.endsWith("/")) {
  console.error("usage: node search.mjs OUTPUT_DIR [/BASE/PATH/]");
  process.exit(2);
}
const spec = JSON.parse(readFileSync(join(here, "search-queries.json"), "utf8"));

const { server, served } = await serveOutput(outDir, prefix);
const base = fileMode ? pathToFileURL(resolve(outDir)).href + "/" : served;
// A page's address: a folder's index.html when opened from a file.
const at = (path) => {
  if (!fileMode) return base + path;
  const [p, q] = path.split("?");
  return base + (p === "" || p.endsWith("/") ? p + "index.html" : p) + (q ? "?" + q : "");
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
const outside = [];
page.on("request", (r) => { const u = r.url(); if (/^(https?|wss?):/.test(u) && !u.startsWith(served)) outside.push(u); });
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));

let failures = 0;
// The site paths of the result links, once the list says it is done (aria-busy="false").
async function results() {
  await page.waitForFunction(() => {
    const s = document.getElementById("search-status");
    const list = document.getElementById("search-results");
    return s.textContent && !s.textContent.includes(s.dataset.loading) && list.getAttribute("aria-busy") === "false";
  }, null, { timeout: 15000 });
  // Excerpts are text: entities decoded, never shown as `&gt;`.
  const raw = await page.$$eval(".search-excerpt", (ps) => ps.map((p) => p.textContent).filter((t) => /&(lt|gt|amp|quot|#\d+);/.test(t)));
  if (raw.length) fail(`an excerpt shows entities: ${raw[0]}`);
  const paths = await page.$$eval("#search-results a", (as) => as.map((a) => new URL(a.href).pathname));
  // Site paths as the query list writes them (without the base path, or the folder and the
  // index.html of a file).
  const root = fileMode ? new URL(base).pathname : prefix;
  return paths
    .map((p) => (fileMode ? decodeURIComponent(p).replace(/index\.html$/, "") : p))
    .map((p) => (p.startsWith(fileMode ? decodeURIComponent(root) : root) ? "/" + p.slice((fileMode ? decodeURIComponent(root) : root).length) : `outside the site: ${p}`));
}

let wanted = 0;
let found = 0;
const fail = (msg) => { failures++; console.log(`FAIL ${msg}`); };
const ways = ["url", "header", "search-box"];
for (const [i, item] of spec.queries.entries()) {
  const way = ways[i % ways.length];
  if (way === "url") {
    await page.goto(at(`search/?q=${encodeURIComponent(item.q)}`));
  } else if (way === "header") {
    await page.goto(at("sop/"));
    // Typed right after the click, as people do (a width transition once scrambled this).
    await page.click(".site-search input");
    await page.keyboard.type(item.q);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/search\//);
  } else {
    await page.goto(at("search/"));
    await page.waitForFunction(() => document.querySelector("#search-filters select option:nth-child(2)"), null, { timeout: 15000 });
    await page.type("#search-input", item.q, { delay: 20 });
  }
  await page.waitForFunction(() => document.getElementById("search-status").textContent !== "", null, { timeout: 15000 });
  const got = await results();
  if (item.none) {
    if (got.length) fail(`${item.q} (${way}): expected nothing, got ${got.join(" ")}`);
    else console.log(`ok   ${item.q} (${way}): nothing, as it should (${item.why})`);
    continue;
  }
  const hits = item.find.filter((p) => got.includes(p));
  wanted += item.find.length;
  found += hits.length;
  if (hits.length < item.find.length) {
    fail(`${item.q} (${way}): expected ${item.find.join(" ")}, got ${got.join(" ") || "nothing"}`);
  } else {
    console.log(`ok   ${item.q} (${way}): ${hits.join(" ")}`);
  }
  if (way !== "search-box" && !new URL(page.url()).search.includes("q=")) fail(`${item.q}: the query is not in the address`);
}

for (const item of spec.filtered) {
  const params = new URLSearchParams({ q: item.q, ...item.filter });
  await page.goto(at(`search/?${params}`));
  const got = await results();
  const missing = item.find.filter((p) => !got.includes(p));
  const extra = item.not.filter((p) => got.includes(p));
  if (missing.length || extra.length) fail(`filter ${params}: missing ${missing.join(" ")}, unwanted ${extra.join(" ")}`);
  else console.log(`ok   filter ${params}: ${got.join(" ")}`);
}

// A result shows its title, section and an excerpt with the match marked.
await page.goto(at(`search/?q=${encodeURIComponent("再起動")}`));
await results();
const shown = await page.$eval("#search-results li", (li) => ({
  title: li.querySelector("a").textContent,
  section: li.querySelector(".search-section")?.textContent,
  mark: li.querySelector(".search-excerpt mark")?.textContent,
}));
if (shown.title !== "再起動の進め方" || shown.section !== "手順書" || !shown.mark) fail(`result shape: ${JSON.stringify(shown)}`);
else console.log(`ok   a result shows ${JSON.stringify(shown)}`);

// A match under a heading links to the heading, with its own excerpt (not in the file-share
// index, which keeps pages whole).
if (!fileMode) {
  await page.goto(at(`search/?q=${encodeURIComponent("接続数")}`));
  await results();
  const under = await page.$$eval("#search-results .search-subresults a", (as) => as.map((a) => ({
    text: a.textContent,
    path: new URL(a.href).pathname,
    hash: decodeURIComponent(new URL(a.href).hash),
    mark: a.parentElement.querySelector(".search-excerpt mark")?.textContent,
  })));
  // A Japanese block is ended with 。 where Pagefind ends it with ". ".
  const excerpts = await page.$$eval(".search-excerpt", (ps) => ps.map((p) => p.textContent));
  const stops = excerpts.filter((t) => /[\u3041-\u30fa\u4e00-\u9fff]\.( [0-9\u3041-\u30fa\u4e00-\u9fff]|$)/.test(t));
  if (stops.length || !excerpts.some((t) => t.includes("のとき。アプリケーション"))) fail(`Japanese blocks ended with ". ": ${JSON.stringify(excerpts)}`);
  else console.log("ok   Japanese blocks end with 。 in excerpts");
  const heading = under.find((u) => u.text === "DB接続エラーのとき");
  if (!heading || !heading.path.endsWith("/sop/incident-response/") || !heading.hash.startsWith("#") || !heading.mark) {
    fail(`a match under a heading: ${JSON.stringify(under)}`);
  } else {
    const id = heading.hash.slice(1);
    await page.locator(".search-subresults a", { hasText: "DB接続エラーのとき" }).first().click();
    await page.waitForURL((u) => u.pathname.endsWith("/sop/incident-response/"));
    const target = await page.evaluate((id) => document.getElementById(id)?.textContent || null, id);
    if (!target || !target.includes("DB接続エラーのとき")) fail(`the heading's link leads to ${page.url()}, no heading ${id}`);
    else console.log(`ok   a match under a heading links to it: ${JSON.stringify(heading)}`);
  }
}

// Titles and excerpts are text, never markup.
await page.goto(at(`search/?q=${encodeURIComponent("注入試験")}`));
const escaped = await results();
const injected = await page.evaluate(() => ({
  xss: window.__xss || null,
  elements: document.querySelectorAll("#search-results script, #search-results img").length,
  title: document.querySelector("#search-results a")?.textContent || "",
}));
const codeText = await page.$$eval(".search-excerpt", (ps) => ps.map((p) => p.textContent).join(" "));
if (!escaped.length || injected.xss || injected.elements || !injected.title.includes("<script>")) fail(`escaping: ${JSON.stringify(injected)}`);
else if (!codeText.includes("<img")) fail(`the code in the excerpt is not shown as written: ${codeText}`);
else console.log(`ok   titles and excerpts are shown as text: ${injected.title}`);

// Text that reads like an entity (`&copy;` in code) is shown as written, not decoded again.
await page.goto(at(`search/?q=${encodeURIComponent("表記試験")}`));
await results();
const entityText = await page.$$eval(".search-excerpt", (ps) => ps.map((p) => p.textContent).join(" "));
if (!entityText.includes("&copy;") || !entityText.includes("AT&T")) fail(`entity-like text in an excerpt is not shown as written: ${entityText}`);
else console.log(`ok   entity-like text is shown as written: ${entityText}`);

// Opened from a file without the file-share index, the page says why search cannot work
// instead of failing silently.
if (prefix === "/" && !fileMode) {
await page.goto(pathToFileURL(resolve(outDir, "search/index.html")).href + "?q=" + encodeURIComponent("障害"));
await page.waitForFunction(() => document.getElementById("search-status").classList.contains("search-error"), null, { timeout: 15000 });
const fileMessage = await page.textContent("#search-status");
if (!fileMessage.includes("opsite serve")) fail(`file:// message: ${fileMessage}`);
else console.log(`ok   file:// says: ${fileMessage.slice(0, 60)}…`);
}

if (outside.length) fail(`requests left the site: ${outside.join(" ")}`);
if (errors.length) fail(`script errors: ${errors.join(" | ")}`);
console.log(`search recall: ${found}/${wanted} (${(100 * found / Math.max(wanted, 1)).toFixed(1)}%) over ${spec.queries.filter((q) => !q.none).length} queries; ${spec.queries.filter((q) => q.none).length} must-find-nothing queries; ${failures} failure(s)`);
await browser.close();
server.close();
process.exit(failures ? 1 : 0);
