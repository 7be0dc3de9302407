import { expect, test, type Page } from "@playwright/test";
import { hydrated, login, ROLES, type Role } from "./helpers";

// People arrive from links in tickets: every page, opened directly as each role, must
// hydrate without a console error, an uncaught exception or a WASM panic, and must end
// up showing content (its data, an empty state, or "not available for your role"),
// never stuck on its loading text. The same holds after in-app navigation, back and
// forward. Small seed: A-S00000609 (customer 153) can be extended.
const PAGES: { path: string; heading: string }[] = [
  { path: "/", heading: "Search" },
  { path: "/?q=acme", heading: "Search" },
  { path: "/customers/1", heading: "" },
  { path: "/activity", heading: "Activity" },
  { path: "/activity?customer_id=1&target_type=subscription", heading: "Activity" },
  { path: "/integrity", heading: "Integrity" },
  { path: "/integrity?rule=plan_mismatch", heading: "Integrity" },
  { path: "/extensions?within=30&sort=-seats", heading: "Renewals" },
  { path: "/extensions/new", heading: "" },
  { path: "/extensions/new?step=eligibility&customer=153&subscription=609", heading: "" },
  { path: "/approvals?status=all", heading: "Approvals" },
  { path: "/dashboard", heading: "Dashboard" },
  { path: "/admin", heading: "" },
  { path: "/account", heading: "Your account" },
];

/** Loading texts of the pages' fallbacks: none may stay on screen. */
const LOADING = /^(Loading|Counting|Searching|Checking the rules|Working out|Rebuilding)\b.*…$/;

/** Collects console errors, uncaught exceptions and WASM panics of `page`. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
  return errors;
}

/** The page at `where` shows content and nothing failed on the way there. */
async function expectContent(page: Page, errors: string[], where: string) {
  const main = page.locator("main#main");
  await expect(main, `${where}: main content`).toBeVisible();
  await expect(main.getByText(LOADING), `${where}: still loading`).toHaveCount(0);
  await expect.poll(async () => (await main.innerText()).trim().length, { message: `${where}: empty page` }).toBeGreaterThan(20);
  expect(errors, `${where}: errors`).toEqual([]);
}

for (const role of ROLES) {
  test(`every page opened directly as ${role} hydrates and shows content`, async ({ page }) => {
    test.setTimeout(120_000);
    await login(page, `${role}@example.com`);
    const errors = watchErrors(page);
    for (const { path, heading } of PAGES) {
      const response = await page.goto(path);
      await hydrated(page);
      if (heading) await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
      if (response?.status() === 403) {
        // A page the role may not use answers 403 with a refusal in words (the browser
        // logs the status of the document itself; nothing else may fail).
        await expect(page.getByTestId("forbidden")).toContainText("Not available for your role");
        const refused = errors.findIndex((e) => e.includes("status of 403 (Forbidden)"));
        if (refused >= 0) errors.splice(refused, 1);
      } else {
        expect(response?.status(), path).toBe(200);
      }
      await expectContent(page, errors, `${role} ${path}`);
    }
  });

  test(`in-app navigation, back and forward work as ${role}`, async ({ page }) => {
    test.setTimeout(120_000);
    await login(page, `${role}@example.com`);
    const errors = watchErrors(page);
    await page.goto("/");
    await hydrated(page);
    const nav = page.getByTestId("main-nav").getByRole("link");
    const hrefs = await nav.evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    const visited: string[] = [];
    const headings: string[] = [];
    const heading = page.locator("main h1").first();
    // Through every entry of the navigation, each page's chunk loaded on first use.
    // The router updates the address when the next page's code and data are in, and
    // swaps the view a moment later: each step waits for the new page's own heading
    // (consecutive pages' headings differ) before recording it.
    let previous = await heading.innerText();
    for (const href of [...hrefs.slice(1), hrefs[0]]) {
      await page.getByTestId("main-nav").locator(`a[href="${href}"]`).click();
      const url = new URL(href, page.url()).href;
      await expect(page).toHaveURL(url);
      await expect(page.getByTestId("main-nav").locator("[aria-current=page]")).toHaveAttribute("href", href);
      await expect(heading).not.toHaveText(previous);
      previous = await heading.innerText();
      await expectContent(page, errors, `${role} → ${href}`);
      visited.push(url);
      headings.push(await heading.innerText());
    }
    // A search, then a customer from its results.
    await page.getByTestId("open-palette").click();
    const palette = page.getByTestId("palette");
    await palette.getByRole("searchbox").fill("acme");
    await expect(palette.getByTestId("search-result").first()).toBeVisible();
    await palette.getByRole("searchbox").press("Enter");
    await expect(page).toHaveURL(/\/customers\/\d+/);
    await expect(page.getByTestId("customer-page")).toBeVisible();
    await expectContent(page, errors, `${role} → customer`);
    visited.push(page.url());
    headings.push(await heading.innerText());
    // Back through the history, then forward again to the customer, at a person's pace.
    const settle = () => page.waitForTimeout(300);
    for (let i = visited.length - 2; i >= 0; i--) {
      await settle();
      await page.goBack();
      await expect(page).toHaveURL(visited[i]);
      await expect(heading).toHaveText(headings[i]);
      await expectContent(page, errors, `${role} back to ${visited[i]}`);
    }
    for (let i = 1; i < visited.length; i++) {
      await settle();
      await page.goForward();
      await expect(page).toHaveURL(visited[i]);
      await expect(heading).toHaveText(headings[i]);
      await expectContent(page, errors, `${role} forward to ${visited[i]}`);
    }
  });
}

test("a role without a page gets a clear refusal on a direct load", async ({ page }) => {
  await login(page, "support@example.com" satisfies `${Role}@example.com`);
  for (const path of ["/dashboard", "/approvals", "/admin", "/extensions"]) {
    await page.goto(path);
    await hydrated(page);
    await expect(page.getByTestId("forbidden")).toContainText("Not available for your role");
  }
});
