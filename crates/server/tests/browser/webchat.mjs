// Drives the web-chat widget in Debian's Chromium: open it on a host page of another origin,
// send a message, wait for the business's reply (pushed over SSE), reload and find the
// conversation again (token kept in localStorage). Prints one JSON line per step; waits for a
// line on stdin before expecting the reply.
import { launch, protocol } from "./chromium.mjs";

const [url] = process.argv.slice(2);
const { say, nextLine, close } = protocol();
const browser = await launch();
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(url);
  await page.getByRole("button", { name: "Chat with us" }).click();
  await page.getByLabel("Message").fill("Hello from the widget");
  await page.getByRole("button", { name: "Send" }).click();
  await page.waitForSelector('li[data-from="visitor"]', { timeout: 10000 });
  const tokens = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("fd_chat_")).length);
  say({ step: "sent", tokens, cookies: (await page.context().cookies()).length });
  await nextLine();
  await page.waitForSelector('li[data-from="business"]', { timeout: 10000 });
  const reply = await page.textContent('li[data-from="business"]');
  await page.reload();
  await page.getByRole("button", { name: "Chat with us" }).click();
  await page.waitForSelector('li[data-from="business"]', { timeout: 10000 });
  const afterReload = await page.locator('[data-fd="log"] li').count();
  say({ step: "done", reply, afterReload, errors });
} catch (e) {
  say({ step: "error", error: String(e) });
} finally {
  close();
  await browser.close();
}
