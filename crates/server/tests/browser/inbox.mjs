// Drives the agents' inbox in Debian's Chromium: sign in, open the inbox, see a customer's
// message arrive live (no reload), open the thread, reply with the composer (Ctrl+Enter), see
// a saved reply inserted with "/", the tick move from sent to delivered, see the composer disabled with its reason after the
// customer's STOP, and check the thread fits a phone-sized screen. New customer messages show
// an unread count and a desktop notification.
// Prints one JSON line per step; the test answers each with a line on stdin once it has made
// the next thing happen on the server (a webhook delivery).
import { launch, protocol } from "./chromium.mjs";

const [base, email, password, ws] = process.argv.slice(2);
const { say, nextLine, close } = protocol();
const browser = await launch();
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });

  // Headless Chromium has no desktop to show notifications on: record what the page asks
  // the browser to show, with the permission granted.
  await page.addInitScript(() => {
    window.__notes = [];
    function Recorded(title, opts) {
      window.__notes.push({ title: title, body: opts && opts.body, tag: opts && opts.tag });
    }
    Recorded.permission = "granted";
    Recorded.requestPermission = function () { return Promise.resolve("granted"); };
    window.Notification = Recorded;
  });
  await page.goto(`${base}/login`);
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", password);
  await Promise.all([page.waitForNavigation(), page.click("form button[type=submit]")]);
  // Signed in, the agent lands on the workspace's Home and goes to the inbox from the sidebar.
  const home = page.url();
  const checklist = await page.locator("#onboarding").count();
  await Promise.all([page.waitForNavigation(), page.click(`nav.side a[href="/w/${ws}/inbox"]`)]);
  // The live stream is open once the page's script has run; give it a moment to connect.
  await page.waitForFunction(() => document.querySelector("[data-live]") !== null);
  await page.waitForTimeout(300);
  say({ step: "inbox", empty: await page.locator("#empty").count(), home, checklist, url: page.url() });

  // A customer writes; the inbox shows it without a reload.
  await nextLine();
  const started = Date.now();
  const row = page.locator("#threads li", { hasText: "Are you open on Saturday?" });
  await row.waitFor({ timeout: 10000 });
  await page.waitForFunction(() => window.__notes.length > 0, null, { timeout: 10000 });
  say({
    step: "live",
    ms: Date.now() - started,
    preview: (await row.textContent()).trim(),
    unread: await row.getAttribute("data-unread"),
    title: await page.title(),
    notes: await page.evaluate(() => window.__notes),
  });

  // Open the thread and answer with the keyboard: r focuses the composer, Ctrl+Enter sends.
  await Promise.all([page.waitForNavigation(), row.locator("a").click()]);
  const windowText = await page.textContent("#reply-state");
  await page.keyboard.press("r");
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  // A saved reply: "/" and the start of its shortcut, Tab inserts it filled in for the contact.
  await page.keyboard.type("/sat");
  await page.waitForSelector("#saved-suggest li", { timeout: 5000 });
  const suggested = await page.locator("#saved-suggest li").count();
  await page.keyboard.press("Tab");
  const inserted = await page.inputValue("#reply");
  await page.keyboard.press("Control+Enter");
  const out = page.locator('li.msg[data-direction="out"]');
  await page.waitForSelector('li.msg[data-direction="out"][data-status="sent"]', { timeout: 15000 });
  say({
    step: "sent",
    focused,
    suggested,
    inserted,
    windowText: windowText.trim(),
    text: (await out.locator(".body").textContent()).trim(),
    sender: (await out.locator(".sender").textContent()).trim(),
    panes: await page.evaluate(() => ["list", "conversation", "details"].filter((p) => {
      const el = document.querySelector(".pane." + p);
      return el && el.getBoundingClientRect().width > 0;
    })),
    cleared: await page.inputValue("#reply"),
    url: page.url(),
  });

  // A file from the composer: the chosen image goes out with the text as its caption.
  await page.fill("#reply", "Our price list");
  await page.setInputFiles("#attach", {
    name: "prices.png",
    mimeType: "image/png",
    buffer: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("browser-png")]),
  });
  await page.waitForSelector('li.msg[data-direction="out"][data-status="sent"] img.preview', { timeout: 15000 });
  say({
    step: "attached",
    caption: (await page.locator('li.msg[data-direction="out"]').last().locator(".body").textContent()).trim(),
    alt: await page.getAttribute("img.preview", "alt"),
    cleared: await page.inputValue("#reply"),
  });

  // The provider reports delivery; the tick moves.
  await nextLine();
  await page.waitForSelector('li.msg[data-direction="out"][data-status="delivered"]', { timeout: 10000 });
  say({ step: "delivered", tick: (await out.first().locator(".tick").textContent()).trim() });

  // The customer sends STOP; the composer closes with the reason.
  await nextLine();
  await page.waitForSelector("#reply:disabled", { timeout: 10000 });
  say({
    step: "stopped",
    reason: await page.getAttribute("#reply-state", "data-reason"),
    text: (await page.textContent("#reply-state")).trim(),
    sendDisabled: await page.isDisabled("#send"),
  });

  // A phone-sized screen: nothing wider than the screen.
  await page.setViewportSize({ width: 375, height: 740 });
  await page.reload();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  // On a phone the conversation stands alone, with a way back to the list.
  const phonePanes = await page.evaluate(() => ["list", "conversation"].filter((p) => {
    const el = document.querySelector(".pane." + p);
    return el && el.getBoundingClientRect().width > 0;
  }));
  const back = await page.locator("a.back").isVisible();
  // Sign out is in the menu, readable, and works.
  await page.click(".menu-toggle");
  const signOut = page.locator("nav.side button", { hasText: "Sign out" });
  const visible = await signOut.isVisible();
  const contrast = await signOut.evaluate((el) => {
    const c = getComputedStyle(el).color;
    const bg = getComputedStyle(document.querySelector("nav.side")).backgroundColor;
    return { color: c, background: bg };
  });
  await Promise.all([page.waitForNavigation(), signOut.click()]);
  say({ step: "done", overflow, errors, phonePanes, back, signOut: { visible, contrast, url: page.url() } });
} catch (e) {
  say({ step: "error", error: String(e) });
} finally {
  close();
  await browser.close();
}
