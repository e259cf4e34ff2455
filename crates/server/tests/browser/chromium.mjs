// Debian's Chromium for the browser tests, launched by playwright-core (no bundled browser), and
// the line protocol the Rust tests speak with the scripts: one JSON line out per step, one line
// in from the test when it has made the next thing happen on the server.
import { chromium } from "playwright-core";
import readline from "node:readline";

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    // No background traffic: the test machine has no internet, and the browser must not try it.
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync",
    ],
  });
}

export function protocol() {
  const lines = readline.createInterface({ input: process.stdin });
  return {
    say: (o) => console.log(JSON.stringify(o)),
    nextLine: () => new Promise((resolve) => lines.once("line", resolve)),
    close: () => { lines.close(); process.stdin.destroy(); },
  };
}
