// A bilingual site in a real browser: the built bilingual fixture (tests/fixtures/bilingual-site:
// Japanese at /, English under /en/) served over HTTP. The language switcher leads to the same
// page in the other language (by path and by translationKey) and back, else to that language's
// home; each page names its translations with hreflang both ways and its own <html lang>; and the
// search of each language finds pages of that language only (English with stemming).
//
//   node tests/browser/languages.mjs OUTPUT_DIR
//
// Needs Debian's chromium (/usr/bin/chromium or $CHROMIUM) and `npm ci` in tests/browser.
import { chromium } from "playwright-core";
import { serveOutput } from "./serve-output.mjs";

const outDir = process.argv[2];
if (!outDir) {
  console.error("usage: node languages.mjs OUTPUT_DIR");
  process.exit(2);
}
const { server, served: root } = await serveOutput(outDir);
const served = root.replace(/\/$/, "");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
const outside = [];
page.on("request", (r) => { const u = r.url(); if (/^(https?|wss?):/.test(u) && !u.startsWith(served)) outside.push(u); });

let failures = 0;
const fail = (m) => { failures++; console.error(`FAIL ${m}`); };
const path = () => new URL(page.url()).pathname;

// The page's language, its hreflang links (as site paths) and its switcher.
async function facts() {
  return page.evaluate(() => ({
    lang: document.documentElement.lang,
    alternates: Object.fromEntries([...document.querySelectorAll('link[rel="alternate"][hreflang]')]
      .map((l) => [l.hreflang, new URL(l.href).pathname])),
    current: document.querySelector(".language-switcher [aria-current]")?.textContent,
  }));
}

// Clicking the other language in the switcher (visible at a phone's width).
async function switchTo(name) {
  const link = page.locator(".language-switcher a", { hasText: name });
  if (!(await link.isVisible())) { fail(`${path()}: the switcher's ${name} is not visible`); return; }
  // Waiting for "load" on the page being left returns at once (it has loaded); the new page's
  // own load is waited for, or its width is measured before its styles apply.
  const from = page.url();
  await Promise.all([page.waitForURL((u) => u.href !== from, { waitUntil: "load" }), link.click()]);
}

const pairs = [
  // Linked by the same path, and by translationKey (different file names and addresses).
  ["/sop/daily-checks/", "/en/sop/daily-checks/"],
  ["/sop/restart/", "/en/sop/restarting-servers/"],
  ["/", "/en/"],
  ["/reports/weekly/2026-W47/", "/en/reports/weekly/2026-W47/"],
];
// Nothing leaves a phone's screen: the header holds the title, the switcher and the search box.
async function fits(at) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  if (wide > 390) fail(`${at}: the page is ${wide} px wide on a 390 px screen`);
}
for (const [ja, en] of pairs) {
  await page.goto(served + ja);
  await fits(ja);
  let f = await facts();
  if (f.lang !== "ja") fail(`${ja}: <html lang="${f.lang}">, expected ja`);
  if (f.current !== "日本語") fail(`${ja}: the switcher marks ${f.current} as current`);
  if (f.alternates.en !== en || f.alternates.ja !== ja || f.alternates["x-default"] !== ja)
    fail(`${ja}: hreflang ${JSON.stringify(f.alternates)}`);
  await switchTo("English");
  if (path() !== en) fail(`${ja}: the switcher led to ${path()}, expected ${en}`);
  await fits(en);
  f = await facts();
  if (f.lang !== "en") fail(`${en}: <html lang="${f.lang}">, expected en`);
  if (f.alternates.ja !== ja || f.alternates.en !== en) fail(`${en}: hreflang ${JSON.stringify(f.alternates)}`);
  await switchTo("日本語");
  if (path() !== ja) fail(`${en}: the switcher led back to ${path()}, expected ${ja}`);
}
// A page in Japanese only: the switcher goes to the English home, and names no alternates.
await page.goto(served + "/faq/vpn/");
const lone = await facts();
if (Object.keys(lone.alternates).length) fail(`/faq/vpn/: alternates ${JSON.stringify(lone.alternates)} for a page in one language`);
await switchTo("English");
if (path() !== "/en/") fail(`/faq/vpn/: the switcher led to ${path()}, expected the English home /en/`);

// Each language's search finds its own pages only.
async function search(at, q) {
  await page.goto(`${served}${at}?q=${encodeURIComponent(q)}`);
  await page.waitForFunction(() => {
    const s = document.getElementById("search-status");
    const list = document.getElementById("search-results");
    return s.textContent && !s.textContent.includes(s.dataset.loading) && list.getAttribute("aria-busy") === "false";
  }, null, { timeout: 15000 });
  return page.$$eval("#search-results a", (as) => as.map((a) => new URL(a.href).pathname));
}
const queries = [
  // [search page, query, a page it must find]
  ["/search/", "再起動", "/sop/restart/"],
  ["/search/", "バックアップ", "/sop/daily-checks/"],
  ["/en/search/", "restart", "/en/sop/restarting-servers/"],
  // English stemming: "checking" finds "check".
  ["/en/search/", "checking", "/en/sop/daily-checks/"],
];
for (const [at, q, want] of queries) {
  const got = await search(at, q);
  const english = at.startsWith("/en/");
  const strays = got.filter((p) => p.startsWith("/en/") !== english);
  if (!got.includes(want)) fail(`${at}?q=${q}: ${want} not among ${JSON.stringify(got)}`);
  if (strays.length) fail(`${at}?q=${q}: pages of the other language ${JSON.stringify(strays)}`);
}
// A word of the other language only finds nothing.
for (const [at, q] of [["/en/search/", "再起動"], ["/search/", "restarting"]]) {
  const got = await search(at, q);
  if (got.length) fail(`${at}?q=${q}: found ${JSON.stringify(got)} in the other language's index`);
}
if (errors.length) fail(`script errors: ${errors.join("; ")}`);
if (outside.length) fail(`requests left the site: ${outside.join(", ")}`);
await browser.close();
server.close();
if (failures) process.exit(1);
console.log(`languages: ${pairs.length} pairs switched both ways, ${queries.length + 2} queries in their own language`);
