// Drives the web-chat widget in Debian's Chromium: open it on a host page of another origin
// whose CSS is hostile (the widget's styles must not change), send a message with a
// double-click while the first request is dropped (still one message), wait for the business's
// reply (pushed over SSE), reload and find the conversation again (token kept in localStorage),
// and see the Spanish widget on a `lang="es"` page. Prints one JSON line per step; waits for a
// line on stdin before expecting the reply.
import { launch, protocol } from "./chromium.mjs";
import { createRequire } from "node:module";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const [url] = process.argv.slice(2);
const { say, nextLine, close } = protocol();
const browser = await launch();
try {
  // axe-core is injected as a script of its own, whatever the host page's CSP says.
  const page = await (await browser.newContext({ bypassCSP: true })).newPage();
  page.setDefaultTimeout(8000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // The request this test drops on purpose is logged by the browser itself; nothing else may be.
  page.on("console", (m) => { if (m.type() === "error" && !m.text().includes("ERR_CONNECTION_RESET")) errors.push(m.text()); });
  // The first attempt to send a message is dropped by the network; the widget retries it.
  let dropped = 0;
  await page.route("**/chat/*/messages", (route) => {
    if (route.request().method() === "POST" && dropped === 0) { dropped += 1; return route.abort("connectionreset"); }
    return route.continue();
  });
  await page.goto(url);
  await page.getByRole("button", { name: "Chat with us" }).click();
  const styles = await page.evaluate(() => {
    const root = document.querySelector("[data-frontdesk-chat]").shadowRoot;
    const css = (sel) => { const s = getComputedStyle(root.querySelector(sel)); return { bg: s.backgroundColor, size: s.fontSize, color: s.color, family: s.fontFamily }; };
    return { header: css(".head"), send: css("button.send"), input: css("input"), open: css("button.open") };
  });
  await page.waitForFunction(() => document.querySelector("[data-frontdesk-chat]").shadowRoot.querySelector(".head").textContent !== "Chat with us");
  const shown = await page.evaluate(() => {
    const root = document.querySelector("[data-frontdesk-chat]").shadowRoot;
    const notice = root.querySelector("[data-fd=notice]");
    return { head: root.querySelector(".head").textContent, greeting: root.querySelector("[data-fd=greet]").textContent,
      notice: notice.hidden ? null : notice.textContent, launcher: getComputedStyle(root.querySelector("button.open")).backgroundColor };
  });
  await page.getByLabel("Message").fill("Hello from the widget");
  await page.getByRole("button", { name: "Send" }).dblclick();
  await page.waitForSelector('li[data-from="visitor"]', { timeout: 10000 });
  await page.waitForTimeout(500);
  const visitorMessages = await page.locator('li[data-from="visitor"]').count();
  const tokens = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("fd_chat_")).length);
  const globals = await page.evaluate(() => Object.keys(window).filter((k) => /frontdesk|fd_/i.test(k)));
  // The visitor closes the chat (before the test is told to answer: a line sent before the
  // script listens is lost); the answer arrives with a badge on the launcher.
  await page.getByRole("button", { name: "Chat with us" }).click();
  say({ step: "sent", tokens, cookies: (await page.context().cookies()).length, styles, visitorMessages, dropped, globals, shown });
  await nextLine();
  await page.waitForSelector('[data-fd="badge"]', { timeout: 10000, state: "attached" });
  const badge = await page.evaluate(() => document.querySelector("[data-frontdesk-chat]").shadowRoot.querySelector("[data-fd=badge]").textContent);
  await page.getByRole("button", { name: /Chat with us/ }).click();
  await page.waitForSelector('li[data-from="business"]', { timeout: 10000 });
  const badgeAfter = await page.evaluate(() => !!document.querySelector("[data-frontdesk-chat]").shadowRoot.querySelector("[data-fd=badge]"));
  const reply = await page.textContent('li[data-from="business"]');
  await page.reload();
  await page.getByRole("button", { name: "Chat with us" }).click();
  await page.waitForSelector('li[data-from="business"]', { timeout: 10000 });
  const afterReload = await page.locator('[data-fd="log"] li').count();
  // The same widget on a Spanish page speaks Spanish; that page asks who is writing first.
  await page.evaluate(() => localStorage.clear());
  await page.goto(url + "es");
  // The words come with the channel's config: the launcher shows once they are there.
  await page.getByRole("button", { name: "Escríbenos" }).waitFor();
  const spanish = await page.getByRole("button", { name: "Escríbenos" }).count();
  await page.getByRole("button", { name: "Escríbenos" }).click();
  const spanishSend = await page.getByRole("button", { name: "Enviar" }).count();
  // Inside the shadow root, with the pre-chat form open: no serious or critical axe finding.
  await page.addScriptTag({ path: axePath });
  const axe = await page.evaluate(async () => {
    const out = await window.axe.run({ include: [["[data-frontdesk-chat]"]] }, { resultTypes: ["violations"] });
    return out.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  const axeSawWidget = await page.evaluate(async () => {
    const out = await window.axe.run({ include: [["[data-frontdesk-chat]"]] }, { resultTypes: ["passes"] });
    return out.passes.reduce((n, p) => n + p.nodes.length, 0);
  });
  await page.getByLabel("Tu nombre").fill("Lucía");
  await page.getByLabel(/Email o teléfono/).fill("lucia@example.com");
  await page.getByLabel("Mensaje").fill("¿Tenéis hueco el sábado?");
  await page.getByRole("button", { name: "Enviar" }).click();
  await page.waitForSelector('li[data-from="visitor"]');
  const preAfter = await page.evaluate(() => document.querySelector("[data-frontdesk-chat]").shadowRoot.querySelector("[data-fd=pre]").hidden);
  say({ step: "done", reply, badge, badgeAfter, afterReload, spanish, spanishSend, preAfter, errors, axe, axeSawWidget });
} catch (e) {
  say({ step: "error", error: String(e) });
} finally {
  close();
  await browser.close();
}
