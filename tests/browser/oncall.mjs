// The 「今の連絡先」 block (issue 38): it is computed when the site is built and says until when
// it holds. With script, a reader whose clock is past that instant sees the block's warning;
// before it, no warning. Without script the warning stays hidden and the validity line says it.
// On a phone the page does not scroll sideways (the route's diagram scrolls within itself).
//
//   node tests/browser/oncall.mjs OUTPUT_DIR PAGE        (PAGE relative to OUTPUT_DIR)
//
// Needs Debian's chromium (/usr/bin/chromium or $CHROMIUM) and `npm ci` in tests/browser.
import { chromium } from "playwright-core";
import { serveOutput } from "./serve-output.mjs";

const [outDir, pagePath] = process.argv.slice(2);
if (!outDir || !pagePath) {
  console.error("usage: node oncall.mjs OUTPUT_DIR PAGE");
  process.exit(2);
}
const { server, served } = await serveOutput(outDir);
const url = `${served.replace(/\/$/, "")}/${pagePath}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
let failures = 0;
const fail = (msg) => { failures++; console.log(`  FAIL ${msg}`); };

async function visit({ script, offsetMinutes, width }) {
  const context = await browser.newContext({ javaScriptEnabled: script, viewport: { width, height: 844 } });
  const page = await context.newPage();
  let until = null;
  if (script) {
    // Read the block's instant first, then load the page again with the clock set around it.
    await page.goto(url);
    until = await page.locator(".oncall-figure").first().getAttribute("data-valid-until");
    if (!until) { fail("the block has no data-valid-until"); await context.close(); return null; }
    await page.clock.setFixedTime(new Date(Date.parse(until) + offsetMinutes * 60_000));
  }
  await page.goto(url);
  const state = await page.evaluate(() => {
    const block = document.querySelector(".oncall-figure");
    const stale = block && block.querySelector(".oncall-stale");
    return {
      blocks: document.querySelectorAll(".oncall-figure").length,
      staleShown: !!stale && stale.getClientRects().length > 0 && !stale.hidden,
      validity: block ? block.querySelector(".figure-period").textContent : "",
      levels: block ? block.querySelectorAll(".oncall-levels > li").length : 0,
      sideways: document.scrollingElement.scrollWidth - window.innerWidth,
    };
  });
  await context.close();
  return { until, ...state };
}

const before = await visit({ script: true, offsetMinutes: -1, width: 1366 });
const after = await visit({ script: true, offsetMinutes: 1, width: 390 });
const noScript = await visit({ script: false, offsetMinutes: 0, width: 390 });
if (before) {
  if (!before.blocks) fail("no on-call block on the page");
  if (before.levels < 1) fail("the block lists no level");
  if (before.staleShown) fail(`a minute before ${before.until} the block already says it is out of date`);
  console.log(`oncall: valid until ${before.until}; ${before.levels} levels`);
}
if (after) {
  if (!after.staleShown) fail(`a minute after ${after.until} the block does not say it is out of date`);
  if (after.sideways > 0) fail(`the page scrolls ${after.sideways}px sideways at 390px`);
}
if (noScript.staleShown) fail("without script the warning shows (it cannot know the reader's clock)");
if (!/まで有効|valid until|変わりません|no change/.test(noScript.validity)) fail(`without script the validity line says ${JSON.stringify(noScript.validity)}`);
if (noScript.sideways > 0) fail(`without script the page scrolls ${noScript.sideways}px sideways at 390px`);

await browser.close();
server.close();
if (failures) {
  console.log(`oncall: ${failures} failure(s)`);
  process.exit(1);
}
console.log("oncall: the warning follows the reader's clock; none without script; no sideways scroll");
