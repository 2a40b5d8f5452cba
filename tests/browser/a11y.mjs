// Accessibility check of a built site (JIS X 8341-3 / WCAG 2.x AA): axe-core runs inside headless
// Chromium on the home, a section, a page, the taxonomy list, a term and the 404 page, in light
// and dark mode and on a phone-sized screen. Serious and critical violations fail the run.
// On report pages each chart must also be drawn: its box has a size and, painted onto a canvas,
// is not one flat colour (a chart that failed to draw is an empty or blank SVG).
//
//   node tests/browser/a11y.mjs OUTPUT_DIR [page ...]      (pages relative to OUTPUT_DIR)
//
// Needs Debian's chromium (/usr/bin/chromium or $CHROMIUM) and `npm ci` in tests/browser.
import { chromium } from "playwright-core";
import { readFileSync, existsSync } from "node:fs";
import { resolve, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const [outDir, ...rest] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: node a11y.mjs OUTPUT_DIR [page ...]");
  process.exit(2);
}
const pages = rest.length
  ? rest
  : ["index.html", "sop/index.html", "sop/daily-checks/index.html", "tags/index.html",
     "tags/エスカレーション/index.html", "404.html", "reports/index.html",
     "reports/weekly/2026-W47/index.html", "reports/monthly/2026-10/index.html",
     "reports/quarterly/2026-Q3/index.html", "runbooks/slow-response/index.html",
     "releases/index.html", "releases/v2.4.0/index.html", "newsletters/2026-11/index.html",
     "search/index.html", "v/v2.3/sop/daily-checks/index.html"];
const axeSource = readFileSync(join(here, "node_modules/axe-core/axe.min.js"), "utf8");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let failures = 0;
const modes = [
  ["light", { width: 1366, height: 900 }],
  ["dark", { width: 1366, height: 900 }],
  ["light", { width: 390, height: 844 }], // a phone: code blocks and tables scroll sideways
];
for (const [scheme, viewport] of modes) {
  const context = await browser.newContext({ colorScheme: scheme, viewport });
  const page = await context.newPage();
  for (const p of pages) {
    const file = resolve(outDir, p);
    if (!existsSync(file)) {
      console.log(`MISSING ${p}`);
      failures++;
      continue;
    }
    if (readFileSync(file, "utf8").includes('http-equiv="refresh"')) continue; // alias redirects
    await page.goto(pathToFileURL(file).href);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () =>
      await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }));
    const blank = await page.evaluate(async () => {
      const out = [];
      // Each chart is drawn twice (wide, and narrow for phones); the one shown is checked.
      const svgs = [...document.querySelectorAll(".chart-box svg")].filter((s) => s.getClientRects().length > 0);
      for (const [i, svg] of svgs.entries()) {
        const box = svg.getBoundingClientRect();
        if (box.width < 50 || box.height < 50) { out.push(`chart ${i}: box ${box.width}x${box.height}`); continue; }
        const img = new Image();
        img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(svg));
        await img.decode();
        const canvas = document.createElement("canvas");
        canvas.width = 320; canvas.height = 200;
        const ctx = canvas.getContext("2d");
        ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, 320, 200);
        ctx.drawImage(img, 0, 0, 320, 200);
        const data = ctx.getImageData(0, 0, 320, 200).data;
        let inked = 0;
        for (let p = 0; p < data.length; p += 4) if (data[p] < 235 || data[p + 1] < 235 || data[p + 2] < 235) inked++;
        if (inked < 320 * 200 * 0.01) out.push(`chart ${i}: only ${inked} inked pixels`);
      }
      return { count: svgs.length, blank: out };
    });
    if (blank.count) console.log(`      ${p}: ${blank.count} charts, ${blank.blank.length} blank`);
    for (const b of blank.blank) { failures++; console.log(`  blank ${b}`); }
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    const minor = result.violations.length - bad.length;
    console.log(`${scheme.padEnd(5)} ${String(viewport.width).padStart(4)} ${p}: ${bad.length} serious/critical, ${minor} minor/moderate`);
    for (const v of bad) {
      failures++;
      console.log(`  ${v.impact} ${v.id}: ${v.help}`);
      for (const n of v.nodes.slice(0, 3)) console.log(`    ${n.target.join(" ")}  ${n.failureSummary.split("\n").slice(1, 2).join(" ").trim()}`);
    }
  }
  await context.close();
}
await browser.close();
console.log(failures ? `a11y: ${failures} serious or critical violation(s)` : "a11y: 0 serious or critical violations");
process.exit(failures ? 1 : 0);
