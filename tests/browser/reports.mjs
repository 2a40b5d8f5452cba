// Report pages with real-looking data on a laptop and on a phone (issue: readable reports): the
// weekly, monthly and quarterly pages and a page of figure charts of the busy-reports fixture, at
// 1366 and 390 px. None scrolls sideways; no header menu entry is cut or pushed off screen; every
// status badge of a report table is on screen; on the phone every report table fits its width
// (it stacks: no figure waits behind a sideways scroll); the text of each chart shown is at least
// 11 px tall on the phone. Full-page screenshots go to SHOTS_DIR, for a person to read. PAGES
// (paths in OUTPUT_DIR) replace the busy-reports fixture's pages.
//
//   node tests/browser/reports.mjs OUTPUT_DIR SHOTS_DIR [PAGES...]
//
// Needs Debian's chromium (/usr/bin/chromium or $CHROMIUM) and `npm ci` in tests/browser.
import { chromium } from "playwright-core";
import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [outDir, shots, ...chosen] = process.argv.slice(2);
if (!outDir || !shots) {
  console.error("usage: node reports.mjs OUTPUT_DIR SHOTS_DIR");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const pages = chosen.length ? chosen : ["index.html", "trends/index.html",
  "reports/weekly/2026-W46/index.html", "reports/monthly/2026-07/index.html",
  "reports/quarterly/2026-Q3/index.html"];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
let failures = 0;
const fail = (msg) => { failures++; console.log(`  FAIL ${msg}`); };
for (const width of [1366, 390]) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  for (const p of pages) {
    const file = resolve(outDir, p);
    if (!existsSync(file)) { fail(`${p}: missing`); continue; }
    await page.goto(pathToFileURL(file).href);
    const r = await page.evaluate(() => {
      const W = document.documentElement.clientWidth;
      const menu = [];
      for (const li of document.querySelectorAll(".main-menu > ul > li")) {
        const box = li.getBoundingClientRect();
        if (!box.width) continue; // folded behind the phone's menu button
        const label = li.querySelector(":scope > a, :scope > details > summary");
        const cut = label && label.scrollWidth > label.clientWidth + 1;
        if (box.right > W || box.left < 0 || cut) menu.push(li.textContent.trim().slice(0, 20));
      }
      const badges = [...document.querySelectorAll(".report-table .badge")]
        .filter((b) => b.getClientRects().length && b.getBoundingClientRect().right > W + 1)
        .map((b) => b.textContent);
      // A report table wider than its box (shown only by scrolling it sideways).
      const wide = [...document.querySelectorAll(".table-scroll")]
        .filter((box) => box.getClientRects().length && box.scrollWidth > box.clientWidth + 1)
        .map((box) => box.closest("section")?.querySelector("h2")?.textContent || "a table");
      let minFont = Infinity, charts = 0;
      for (const svg of document.querySelectorAll(".chart-box svg")) {
        const box = svg.getBoundingClientRect();
        if (!box.width) continue;
        charts++;
        const scale = box.width / svg.viewBox.baseVal.width;
        for (const t of svg.querySelectorAll("text")) {
          minFont = Math.min(minFont, parseFloat(t.getAttribute("font-size") || "14") * scale);
        }
      }
      return { W, scroll: document.documentElement.scrollWidth, menu, badges, wide, minFont, charts };
    });
    const font = r.charts ? r.minFont.toFixed(1) : "-";
    console.log(`${String(width).padStart(4)} ${p}: width ${r.scroll}/${r.W}, ${r.charts} charts, smallest chart text ${font} px`);
    if (r.scroll > r.W) fail(`${p} at ${width}: scrolls sideways (${r.scroll} > ${r.W})`);
    if (r.menu.length) fail(`${p} at ${width}: menu entries cut or off screen: ${r.menu.join(", ")}`);
    if (r.badges.length) fail(`${p} at ${width}: status badges off screen: ${r.badges.join(", ")}`);
    if (width === 390 && r.charts && r.minFont < 11) fail(`${p} at 390: chart text ${font} px`);
    if (width === 390 && r.wide.length) fail(`${p} at 390: tables wider than the screen: ${r.wide.join(", ")}`);
    const name = p.replace(/\/index\.html$|\.html$/, "").replace(/\//g, "-") || "home";
    await page.screenshot({ path: `${shots}/${name}-${width}.png`, fullPage: true });
  }
  await context.close();
}
await browser.close();
console.log(failures ? `reports: ${failures} failure(s)` : `reports: all pages readable; screenshots in ${shots}`);
process.exit(failures ? 1 : 0);
