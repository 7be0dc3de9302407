// Lighthouse 12 (desktop preset) over the console's pages in Debian's Chromium,
// signed in, each page a first visit (browser cache emptied, session kept); pages named
// `signedout-…` (the sign-in page) are measured first, before signing in.
// Prints per page: performance, accessibility and best-practices scores, LCP, TTI and
// the bytes downloaded. Usage: node run.mjs BASE_URL EMAIL PASSWORD OUT_DIR NAME=PATH...
import { mkdirSync, writeFileSync } from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktop from "lighthouse/core/config/desktop-config.js";
import puppeteer from "puppeteer-core";

const [base, email, password, out, ...targets] = process.argv.slice(2);
mkdirSync(out, { recursive: true });

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  chromeFlags: [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
const page = await browser.newPage();

const kb = (bytes) => Math.round(bytes / 1024);
const rows = [];
let failures = 0;
const signedOut = (target) => target.startsWith("signedout-");
const measure = async (target) => {
  const name = target.slice(0, target.indexOf("="));
  const path = target.slice(target.indexOf("=") + 1);
  const cdp = await page.createCDPSession();
  await cdp.send("Network.clearBrowserCache");
  await cdp.detach();
  const flags = { port: chrome.port, output: "json", logLevel: "error", disableStorageReset: true };
  const { lhr, report } = await lighthouse(`${base}${path}`, flags, desktop, page);
  writeFileSync(`${out}/${name}.json`, report);
  const score = (c) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
  const ms = (a) => Math.round(lhr.audits[a]?.numericValue ?? NaN);
  const requests = lhr.audits["network-requests"]?.details?.items ?? [];
  const code = requests.filter((q) => /\.(js|wasm)(\?|$)/.test(q.url));
  const sum = (qs) => qs.reduce((s, q) => s + (q.transferSize ?? 0), 0);
  const errors = (lhr.audits["errors-in-console"]?.details?.items ?? []).map((e) => e.description);
  rows.push({
    page: name, path,
    perf: score("performance"), a11y: score("accessibility"), "best pr.": score("best-practices"),
    "LCP ms": ms("largest-contentful-paint"), "TTI ms": ms("interactive"),
    "JS+WASM KB": kb(sum(code)), "code files": code.length, "total KB": kb(sum(requests)),
    "console errors": errors.length,
  });
  // Audits that cost a point, so a score under 100 says why.
  const lost = Object.values(lhr.audits)
    .filter((a) => a.score !== null && a.score < 1 && ["binary", "numeric", "metricSavings"].includes(a.scoreDisplayMode))
    .map((a) => `${a.id}${a.displayValue ? ` (${a.displayValue})` : ""}`);
  if (lost.length) console.log(`${name}: below full marks: ${lost.join(", ")}`);
  for (const e of errors) console.log(`${name}: console error: ${e}`);
  if (errors.length) failures++;
};

for (const target of targets.filter(signedOut)) await measure(target);
await page.goto(`${base}/login`);
await page.type("input[name=email]", email);
await page.type("input[name=password]", password);
await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
await page.waitForSelector("[data-testid=current-user]");
for (const target of targets.filter((t) => !signedOut(t))) await measure(target);
console.table(rows);
await browser.disconnect();
chrome.kill();
process.exit(failures ? 1 : 0);
