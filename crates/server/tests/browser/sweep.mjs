// The page sweep: every GET page the test names, in one Chromium, signed in, at 1280 px and at
// 375 px. For each it reports horizontal overflow, console errors and the axe-core violations
// of impact serious or critical, and writes a screenshot to the folder given.
//
//   node sweep.mjs BASE EMAIL PASSWORD SCREENSHOT_DIR   (then one JSON line per page on stdin:
//   {"name": "...", "path": "/..."}; an empty line ends the sweep)
import { launch, protocol } from "./chromium.mjs";
import { createRequire } from "node:module";
import fs from "node:fs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const [base, email, password, shots] = process.argv.slice(2);
const { say, nextLine, close } = protocol();
const browser = await launch();
try {
  fs.mkdirSync(shots, { recursive: true });
  // axe-core is injected as a script of its own: the pages' CSP (rightly) refuses it.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  const page = await context.newPage();
  let errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(`${base}/login`);
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", password);
  await Promise.all([page.waitForNavigation(), page.click("form button[type=submit]")]);
  say({ step: "signed-in", url: page.url() });
  for (;;) {
    const line = await nextLine();
    if (!line.trim()) break;
    const { name, path } = JSON.parse(line);
    const result = { step: "page", name, path, widths: {} };
    for (const width of [1280, 375]) {
      errors = [];
      await page.setViewportSize({ width, height: width === 375 ? 740 : 800 });
      const r = await page.goto(`${base}${path}`, { waitUntil: "load" });
      await page.waitForTimeout(150);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      await page.addScriptTag({ path: axePath });
      const axe = await page.evaluate(async () => {
        const out = await window.axe.run(document, { resultTypes: ["violations"] });
        return out.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
      });
      await page.screenshot({ path: `${shots}/${name}-${width}.png`, fullPage: false });
      result.widths[width] = { status: r ? r.status() : 0, overflow, errors: errors.slice(), axe };
    }
    say(result);
  }
  say({ step: "done" });
} catch (e) {
  say({ step: "error", error: String(e) });
} finally {
  close();
  await browser.close();
}
