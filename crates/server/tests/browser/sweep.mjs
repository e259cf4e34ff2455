// A new owner's first visit, then the page sweep, in one Chromium.
//
// The journey: sign up → confirm the email (the test hands over the link) → sign in → create
// the workspace → land on its Home with the setup checklist → connect a web chat from the
// checklist → a visitor writes (the test) → the message is in the three-pane inbox → reply →
// contacts: search, open, edit, merge a possible match.
// The sweep: every GET page the test names, at 1280 px and at 375 px: horizontal overflow,
// console errors, axe-core violations of impact serious or critical, and a screenshot in the
// folder given. Last, sign out.
//
//   node sweep.mjs BASE EMAIL PASSWORD SCREENSHOT_DIR
// One JSON line out per step; lines in from the test: the confirmation link, "go" once the
// visitor has written, "go" once the test has imported a contact, then one {"name", "path"} line
// per page, then an empty line.
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

  // Sign up and confirm.
  await page.goto(`${base}/signup`);
  await page.fill("#name", "Lucía Pérez");
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.check("#adult");
  await Promise.all([page.waitForNavigation(), page.click("main button[type=submit]")]);
  say({ step: "signed-up", text: (await page.textContent("main")).trim() });
  const link = (await nextLine()).trim();
  await page.goto(link);
  await Promise.all([page.waitForNavigation(), page.click("main button[type=submit]")]);
  const confirmed = (await page.textContent("main")).trim();

  // Sign in: no workspace yet, so the list, where the first one is created.
  await page.goto(`${base}/login`);
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", password);
  await Promise.all([page.waitForNavigation(), page.click("main button[type=submit]")]);
  const landed = page.url();
  await page.fill("#name", "Salón Lucía");
  await Promise.all([page.waitForNavigation(), page.click("main button[type=submit]")]);
  say({
    step: "home",
    confirmed,
    landed,
    url: page.url(),
    checklist: await page.locator("#onboarding li[data-done=false]").count(),
    signOutVisible: await page.locator("nav.side button", { hasText: "Sign out" }).isVisible(),
  });

  // The checklist leads to the channels page; a web chat for the salon's site.
  await Promise.all([page.waitForNavigation(), page.locator("#onboarding a", { hasText: "Connect your first channel" }).click()]);
  await page.fill("#c-name", "Website chat");
  await page.fill("#c-origins", "https://salon.example");
  await Promise.all([page.waitForNavigation(), page.click("section[aria-labelledby=new-chat] button[type=submit]")]);
  say({ step: "channel", channel: await page.getAttribute("tr[data-channel]", "data-channel") });

  // A visitor writes; it arrives in the inbox; the owner answers.
  await nextLine();
  await Promise.all([page.waitForNavigation(), page.locator("nav.side a.nav-item", { hasText: "Inbox" }).click()]);
  const row = page.locator("#threads li").first();
  await row.waitFor({ timeout: 10000 });
  const preview = (await row.textContent()).replace(/\s+/g, " ").trim();
  await Promise.all([page.waitForNavigation(), row.locator("a").click()]);
  await page.fill("#reply", "Hola Ana, yes: Saturday at 10 is free.");
  await page.keyboard.press("Control+Enter");
  await page.waitForSelector('li.msg[data-direction="out"][data-status="sent"]', { timeout: 15000 });
  say({
    step: "replied",
    preview,
    url: page.url(),
    panes: await page.evaluate(() => ["list", "conversation", "details"].filter((p) => {
      const el = document.querySelector(".pane." + p);
      return el && el.getBoundingClientRect().width > 0;
    })),
    sender: (await page.locator('li.msg[data-direction="out"] .sender').textContent()).trim(),
    errors: errors.slice(),
  });

  // Contacts: the test has imported "Ana García" with an email; find both Anas, give the web
  // chat's Ana that email, and merge the possible match into her.
  await nextLine();
  await Promise.all([page.waitForNavigation(), page.locator("nav.side a.nav-item", { hasText: "Contacts" }).click()]);
  await page.fill("#cq", "ana");
  await Promise.all([page.waitForNavigation(), page.click("form.filters button[type=submit]")]);
  const found = Number(await page.getAttribute("#contact-count", "data-count"));
  await Promise.all([page.waitForNavigation(), page.locator("#contacts a", { hasText: /^Ana$/ }).click()]);
  await page.fill("#k-email", "ana@example.com");
  await Promise.all([page.waitForNavigation(), page.click("#contact-form button[type=submit]")]);
  // "Saved." shows once, and the address loses its ?saved=1.
  const toast = await page.locator("#toast").isVisible();
  const cleanUrl = !page.url().includes("saved=");
  const match = (await page.locator("#possible-matches li").first().textContent()).replace(/\s+/g, " ").trim();
  await page.locator("#possible-matches button", { hasText: "Merge" }).first().click();
  const asked = (await page.locator("#confirm[open] [data-confirm-text]").textContent()).trim();
  await Promise.all([page.waitForNavigation(), page.click("#confirm [data-confirm-ok]")]);
  await Promise.all([page.waitForNavigation(), page.locator("nav.side a.nav-item", { hasText: "Contacts" }).click()]);
  await page.fill("#cq", "ana");
  await Promise.all([page.waitForNavigation(), page.click("form.filters button[type=submit]")]);
  say({ step: "contacts", found, match, asked, toast, cleanUrl, after: Number(await page.getAttribute("#contact-count", "data-count")) });

  // The sweep.
  for (;;) {
    const line = await nextLine();
    if (!line.trim()) break;
    const { name, path, lang } = JSON.parse(line);
    // The second pass is a Spanish browser (Accept-Language), the same signed-in person.
    await page.setExtraHTTPHeaders({ "Accept-Language": lang === "es" ? "es-ES,es;q=0.9" : "en-US,en;q=0.9" });
    const result = { step: "page", name, path, lang, widths: {} };
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
      await page.screenshot({ path: `${shots}/${name}${lang === "es" ? "-es" : ""}-${width}.png`, fullPage: false });
      const htmlLang = await page.evaluate(() => document.documentElement.lang);
      const text = lang === "es" && width === 1280
        ? await page.evaluate(() => [document.title, document.body.innerText, ...Array.from(document.querySelectorAll("[placeholder],[aria-label],[title]")).map((e) => e.getAttribute("placeholder") || e.getAttribute("aria-label") || e.getAttribute("title"))].join("\n"))
        : "";
      result.widths[width] = { status: r ? r.status() : 0, overflow, errors: errors.slice(), axe, htmlLang, text };
    }
    say(result);
  }

  // Sign out, from the sidebar.
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}/home`);
  await Promise.all([page.waitForNavigation(), page.locator("nav.side button", { hasText: "Sign out" }).click()]);
  say({ step: "done", signedOut: page.url() });
} catch (e) {
  say({ step: "error", error: String(e) });
} finally {
  close();
  await browser.close();
}
