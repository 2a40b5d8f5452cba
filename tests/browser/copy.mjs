// Copy buttons on code blocks (issue 38): with script, every code block of a page has a button
// that puts the block's text on the clipboard and says so (to screen readers too); without
// script, the page shows its code blocks as they are, with no button and nothing broken.
//
//   node tests/browser/copy.mjs OUTPUT_DIR PAGE        (PAGE relative to OUTPUT_DIR)
//
// Needs Debian's chromium (/usr/bin/chromium or $CHROMIUM) and `npm ci` in tests/browser.
import { chromium } from "playwright-core";
import { serveOutput } from "./serve-output.mjs";

const [outDir, pagePath] = process.argv.slice(2);
if (!outDir || !pagePath) {
  console.error("usage: node copy.mjs OUTPUT_DIR PAGE");
  process.exit(2);
}
const { server, served } = await serveOutput(outDir);
const base = served.replace(/\/$/, "");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
let failures = 0;
const fail = (msg) => { failures++; console.log(`  FAIL ${msg}`); };
const url = `${base}/${pagePath}`;

const withScript = await browser.newContext({ viewport: { width: 390, height: 844 } });
await withScript.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
const page = await withScript.newPage();
await page.goto(url);
const blocks = await page.locator("pre.code").count();
const buttons = page.locator("button.copy-code");
if (!blocks) fail(`${pagePath}: no code block to try`);
if ((await buttons.count()) !== blocks) fail(`${await buttons.count()} buttons for ${blocks} code blocks`);
if (blocks) {
  const want = (await page.locator("pre.code").first().evaluate((pre) => (pre.querySelector("code") || pre).textContent)).replace(/\r?\n$/, "");
  const label = await buttons.first().textContent();
  await buttons.first().click();
  await page.waitForFunction(() => document.querySelector("button.copy-code").textContent !== document.body.dataset.copy);
  const got = await page.evaluate(() => navigator.clipboard.readText());
  if (got !== want) fail(`the clipboard holds ${JSON.stringify(got.slice(0, 80))}, not the block's text`);
  const said = await buttons.first().textContent();
  const status = await page.locator("[role=status]").last().textContent();
  if (said === label || status !== said) fail(`the button says ${JSON.stringify(said)}, the status ${JSON.stringify(status)}`);
  const box = await buttons.first().boundingBox();
  if (!box || box.x + box.width > 390) fail("the button is off a phone's screen");
  // The button covers no code: the first line starts below it.
  const code = await page.locator("pre.code").first().evaluate((pre) => {
    const r = document.createRange();
    r.selectNodeContents(pre.querySelector("code") || pre);
    return r.getClientRects()[0]?.top ?? 0;
  });
  if (code < box.y + box.height - 1) fail(`the button (bottom ${box.y + box.height}) covers the code (top ${code})`);
  console.log(`  copied ${want.length} characters; the button said ${JSON.stringify(said)}`);
}

// Over plain http to another host, browsers keep the clipboard API from the page: the button
// copies through the selection instead (here the API is taken away to try that path).
const older = await withScript.newPage();
await older.addInitScript(() => { Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined }); });
await older.goto(url);
if (blocks) {
  await page.evaluate(() => navigator.clipboard.writeText("-"));
  await older.locator("button.copy-code").first().click();
  await older.waitForFunction(() => document.querySelector("button.copy-code").textContent !== document.body.dataset.copy);
  const said = await older.locator("button.copy-code").first().textContent();
  const got = await page.evaluate(() => navigator.clipboard.readText());
  const want = (await older.locator("pre.code").first().evaluate((pre) => (pre.querySelector("code") || pre).textContent)).replace(/\r?\n$/, "");
  if (got !== want) fail(`without the clipboard API the clipboard holds ${JSON.stringify(got.slice(0, 80))} (the button said ${said})`);
}

const noScript = await browser.newContext({ javaScriptEnabled: false });
const plain = await noScript.newPage();
await plain.goto(url);
if (await plain.locator("button.copy-code").count()) fail("a button without script");
if ((await plain.locator("pre.code").count()) !== blocks) fail("code blocks differ without script");
await browser.close();
server.close();
console.log(failures ? `copy: ${failures} failure(s)` : `copy: ${blocks} code blocks with buttons; fine without script`);
process.exit(failures ? 1 : 0);
