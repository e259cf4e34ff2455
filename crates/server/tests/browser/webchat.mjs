// Drives the web-chat widget in Debian's Chromium: open it on a host page of another origin,
// send a message, wait for the business's reply (pushed over SSE), reload and find the
// conversation again (token kept in localStorage). Prints one JSON line per step; waits for a
// line on stdin before expecting the reply.
import { chromium } from "playwright-core";
import readline from "node:readline";

const [url] = process.argv.slice(2);
const lines = readline.createInterface({ input: process.stdin });
const nextLine = () => new Promise((resolve) => lines.once("line", resolve));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  // No background traffic: the test machine has no internet, and the browser must not try it.
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
  ],
});
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
  console.log(JSON.stringify({ step: "sent", tokens, cookies: (await page.context().cookies()).length }));
  await nextLine();
  await page.waitForSelector('li[data-from="business"]', { timeout: 10000 });
  const reply = await page.textContent('li[data-from="business"]');
  await page.reload();
  await page.getByRole("button", { name: "Chat with us" }).click();
  await page.waitForSelector('li[data-from="business"]', { timeout: 10000 });
  const afterReload = await page.locator('[data-fd="log"] li').count();
  console.log(JSON.stringify({ step: "done", reply, afterReload, errors }));
} catch (e) {
  console.log(JSON.stringify({ step: "error", error: String(e) }));
} finally {
  lines.close();
  process.stdin.destroy();
  await browser.close();
}
