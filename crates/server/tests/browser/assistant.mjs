// Drives the assistant's drafts on a thread page in Debian's Chromium: a customer's question
// arrives while the agent looks at the conversation and the assistant's draft appears without
// a reload; the agent edits it and sends it; "Suggest a reply" asks for another, which is
// discarded. Prints one JSON line per step; the test answers with a line once it has made the
// next thing happen on the server.
import { launch, protocol } from "./chromium.mjs";

const [base, email, password, ws, thread] = process.argv.slice(2);
const { say, nextLine, close } = protocol();
const browser = await launch();
let page;
try {
  page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });

  await page.goto(`${base}/login`);
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", password);
  await Promise.all([page.waitForNavigation(), page.click("form button[type=submit]")]);
  await page.goto(`${base}/w/${ws}/inbox/${thread}`);
  await page.waitForTimeout(300);
  say({ step: "open", drafts: await page.locator("#drafts article.draft").count() });

  // The customer asks; the draft appears live.
  await nextLine();
  const draft = page.locator('#drafts article.draft[data-outcome="answer"]').first();
  await draft.waitFor({ timeout: 30000 });
  const box = draft.locator("textarea");
  const suggested = await box.inputValue();
  await box.fill(suggested + " See you soon!");
  await Promise.all([page.waitForNavigation(), draft.locator("button", { hasText: "Send draft" }).click()]);
  await page.waitForSelector('li.msg[data-direction="out"][data-status="sent"]', { timeout: 30000 });
  say({
    step: "sent",
    suggested,
    text: (await page.locator('li.msg[data-direction="out"] .body').last().textContent()).trim(),
    left: await page.locator("#drafts article.draft").count(),
  });

  // On demand, then discarded.
  await Promise.all([page.waitForNavigation(), page.click("#suggest")]);
  const again = await page.locator("#drafts article.draft").count();
  // Discarding asks first; Cancel keeps the draft, Discard in the dialog goes ahead.
  const discard = page.locator("#drafts article.draft button", { hasText: "Discard" });
  await discard.click();
  const asked = (await page.locator("#confirm[open] [data-confirm-text]").textContent()).trim();
  await page.click("#confirm button[value=cancel]");
  const kept = await page.locator("#drafts article.draft").count();
  await discard.click();
  await Promise.all([page.waitForNavigation(), page.click("#confirm [data-confirm-ok]")]);
  say({ step: "done", again, asked, kept, after: await page.locator("#drafts article.draft").count(), errors });
} catch (e) {
  // What the page showed, to tell a refusal from a slow update.
  const shown = page ? await page.evaluate(() => {
    const pick = (id) => (document.getElementById(id) || {}).innerText || "";
    return { url: location.href, messages: pick("messages"), drafts: pick("drafts"), state: pick("reply-state") };
  }).catch(() => null) : null;
  say({ step: "error", error: String(e), shown });
} finally {
  close();
  await browser.close();
}
