// The status page on a laptop and on a phone (issue: ops portal pages): every service shows
// one cell per day (the whole history at 1366 px, the last 30 days at 390 px); nothing scrolls
// sideways; focusing a day with an outage shows its figure and outages, on screen; the incident
// history and the maintenance table are there. Full-page screenshots go to SHOTS_DIR.
//
//   node tests/browser/status.mjs OUTPUT_DIR SHOTS_DIR [STATUS_PATH]
//
// Needs Debian's chromium (/usr/bin/chromium or $CHROMIUM) and `npm ci` in tests/browser.
import { chromium } from "playwright-core";
import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [outDir, shots, statusPath = "status/index.html"] = process.argv.slice(2);
if (!outDir || !shots) {
  console.error("usage: node status.mjs OUTPUT_DIR SHOTS_DIR [STATUS_PATH]");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const file = resolve(outDir, statusPath);
if (!existsSync(file)) {
  console.log(`status: FAIL ${statusPath} is missing`);
  process.exit(1);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
let failures = 0;
const fail = (msg) => { failures++; console.log(`  FAIL ${msg}`); };
for (const width of [1366, 390]) {
  // Without script: the page must not need it.
  const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(pathToFileURL(file).href);
  const r = await page.evaluate(() => {
    const W = document.documentElement.clientWidth;
    const strips = [...document.querySelectorAll(".status-days")].map((ol) => {
      const cells = [...ol.children];
      const shown = cells.filter((c) => c.getBoundingClientRect().width > 0);
      const narrowest = Math.min(...shown.map((c) => c.getBoundingClientRect().width));
      return { all: cells.length, shown: shown.length, narrowest };
    });
    return {
      W,
      scrollW: document.documentElement.scrollWidth,
      strips,
      incidents: document.querySelectorAll(".incident").length,
      asOf: document.querySelector(".status-as-of time")?.getAttribute("datetime") || "",
    };
  });
  if (r.scrollW > r.W) fail(`${width}px: the page scrolls sideways (${r.scrollW} > ${r.W})`);
  if (!r.strips.length) fail(`${width}px: no service strip`);
  for (const s of r.strips) {
    const want = width < 640 ? Math.min(30, s.all) : s.all;
    if (s.shown !== want) fail(`${width}px: ${s.shown} of ${s.all} cells shown, expected ${want}`);
    if (s.narrowest < 2) fail(`${width}px: a day cell is ${s.narrowest}px wide`);
  }
  if (!r.asOf) fail(`${width}px: no as-of time`);
  // Keyboard: the first day with an outage takes focus and shows its tip inside the window.
  const focusable = page.locator(".status-days .day[tabindex]");
  const visible = [];
  for (let i = 0; i < (await focusable.count()); i++) {
    if (await focusable.nth(i).isVisible()) visible.push(focusable.nth(i));
  }
  if (!visible.length) fail(`${width}px: no day with an outage can take focus`);
  else {
    const day = visible[visible.length - 1];
    await day.focus();
    const tip = await day.evaluate((el) => {
      const t = el.querySelector(".day-tip");
      const b = t.getBoundingClientRect();
      return { visible: getComputedStyle(t).visibility, left: b.left, right: b.right, text: t.textContent };
    });
    if (tip.visible !== "visible") fail(`${width}px: focusing a day does not show its figure`);
    if (tip.left < 0 || tip.right > r.W) fail(`${width}px: the day's tip is cut off (${tip.left}–${tip.right})`);
    if (!/%/.test(tip.text)) fail(`${width}px: the tip has no figure: ${tip.text}`);
  }
  await page.screenshot({ path: `${shots}/status-${width}.png`, fullPage: true });
  console.log(`  ${width}px: ${r.strips.map((s) => `${s.shown}/${s.all}`).join(", ")} cells, ${r.incidents} incidents`);
  await context.close();
}
await browser.close();
console.log(failures ? `status: ${failures} failure(s)` : `status: readable at 1366 and 390 px; screenshots in ${shots}`);
process.exit(failures ? 1 : 0);
