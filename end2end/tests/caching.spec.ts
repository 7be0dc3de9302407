import { expect, test, type Page } from "@playwright/test";
import { hydrated, login } from "./helpers";

type Fetched = { url: string; type: string; status: number; cached: boolean; bytes: number };

/** Records every response of `page` from now on, with the bytes it cost the network. */
async function recordNetwork(page: Page): Promise<Map<string, Fetched>> {
  const seen = new Map<string, Fetched>();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  cdp.on("Network.responseReceived", (e) => {
    const r = e.response;
    seen.set(e.requestId, { url: r.url, type: e.type, status: r.status, cached: !!(r.fromDiskCache || r.fromMemoryCache), bytes: 0 });
  });
  cdp.on("Network.requestServedFromCache", (e) => {
    const r = seen.get(e.requestId);
    if (r) r.cached = true;
  });
  cdp.on("Network.loadingFinished", (e) => {
    const r = seen.get(e.requestId);
    if (r) r.bytes = e.encodedDataLength;
  });
  return seen;
}

const isCode = (url: string) => /\.(js|wasm)$/.test(new URL(url).pathname);
const isPageData = (f: Fetched) => f.type === "Document" || new URL(f.url).pathname.startsWith("/api/");

// Hashed names are cached for a year: a page opened again (a reload, the next ticket's
// link) takes its code from the browser's cache, and only the page and its data cross
// the network.
test("a reload of a visited page downloads no JS or WASM again", async ({ page }) => {
  await login(page, "support@example.com");
  for (const path of ["/customers/1", "/activity", "/?q=acme"]) {
    const first = await recordNetwork(page);
    await page.goto(path);
    await hydrated(page);
    await page.waitForLoadState("networkidle");
    const code = [...first.values()].filter((f) => isCode(f.url));
    expect(code.length, `${path}: code fetched`).toBeGreaterThan(0);
    for (const f of code.filter((f) => f.url.includes("/pkg/console."))) {
      // The first visit (in this context) may already hit the cache: check the policy itself.
      const response = await page.request.get(f.url);
      expect(response.headers()["cache-control"], f.url).toBe("public, max-age=31536000, immutable");
    }

    const again = await recordNetwork(page);
    await page.reload();
    await hydrated(page);
    await page.waitForLoadState("networkidle");
    const fetched = [...again.values()];
    // Served from a cache: flagged so, or no bytes over the wire (scripts from memory).
    const downloadedCode = fetched.filter((f) => isCode(f.url) && !f.cached && f.bytes > 0 && f.status !== 304);
    expect(downloadedCode.map((f) => f.url), `${path}: code downloaded again`).toEqual([]);
    const besidesData = fetched.filter((f) => !isPageData(f)).reduce((s, f) => s + f.bytes, 0);
    expect(besidesData, `${path}: bytes besides the page and its data`).toBeLessThanOrEqual(30 * 1024);
  }
});
