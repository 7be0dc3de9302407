import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, hydrated, login } from "./helpers";

async function customer(page: Page, id: number) {
  const response = await page.request.get(`/api/v1/customers/${id}`);
  expect(response.ok()).toBeTruthy();
  return response.json();
}

async function firstWithNamespace(page: Page) {
  for (let id = 1; id < 60; id++) {
    const c = await customer(page, id);
    if (c.namespaces.length > 0) return c;
  }
  throw new Error("no customer with a namespace");
}

test("support finds a customer by part of an email, opens it with the keyboard, reloads and goes back", async ({ page }) => {
  await login(page, "support@example.com");
  const c = await customer(page, 17);
  const part = c.email.split("@")[0].slice(2) + "@";
  const box = page.getByTestId("home-search");
  await box.pressSequentially(part, { delay: 20 });
  const results = page.getByTestId("search-results");
  await expect(results.getByTestId("search-result").first()).toContainText(c.name);
  await expect(results.locator("mark").first()).toHaveText(part);
  await expect(page).toHaveURL(new RegExp(`\\?q=`));
  await expectAccessible(page);

  await box.press("ArrowDown");
  await box.press("ArrowUp");
  await box.press("Enter");
  await expect(page).toHaveURL(/\/customers\/17$/);
  await expect(page.getByTestId("customer-name")).toHaveText(c.name);
  await expectAccessible(page);

  // Back restores the query and its results; a reload keeps them (they live in the URL).
  await page.goBack();
  await expect(page).toHaveURL(/\?q=/);
  await expect(page.getByTestId("home-search")).toHaveValue(part);
  await expect(page.getByTestId("search-results").getByTestId("search-result").first()).toContainText(c.name);
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("home-search")).toHaveValue(part);
  await expect(page.getByTestId("search-results").getByTestId("search-result").first()).toContainText(c.name);
  await page.goForward();
  await expect(page.getByTestId("customer-name")).toHaveText(c.name);
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("customer-name")).toHaveText(c.name);
});

test("a subscription number and a namespace path each find the right customer", async ({ page }) => {
  await login(page, "billing@example.com");
  const c = await customer(page, 42);
  const number = c.subscriptions[0].number;
  const box = page.getByTestId("home-search");
  await box.fill(number.toLowerCase());
  const first = page.getByTestId("search-results").getByTestId("search-result").first();
  await expect(first).toContainText(number);
  await expect(first).toContainText("exact");
  await box.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/customers/42#subscription-${c.subscriptions[0].id}$`));
  await expect(page.getByTestId("customer-name")).toHaveText(c.name);

  const owner = await firstWithNamespace(page);
  await page.goto("/");
  await hydrated(page);
  await page.getByTestId("home-search").fill(owner.namespaces[0].path);
  await expect(page.getByTestId("search-results").getByTestId("search-result").first()).toContainText(owner.namespaces[0].path);
  await page.getByTestId("home-search").press("Enter");
  await expect(page.getByTestId("customer-name")).toHaveText(owner.name);
});

test("the command palette works from another page", async ({ page }) => {
  await login(page, "sales@example.com");
  const c = await customer(page, 23);
  await page.getByTestId("main-nav").getByRole("link", { name: "Activity" }).click();
  await expect(page).toHaveURL(/\/activity$/);
  await page.keyboard.press("Control+k");
  const palette = page.getByTestId("palette");
  await expect(palette).toBeVisible();
  await palette.getByRole("searchbox").fill(c.email);
  await expect(palette.getByTestId("search-result").first()).toContainText(c.name);
  await expectAccessible(page);
  await palette.getByRole("searchbox").press("Enter");
  await expect(page).toHaveURL(/\/customers\/23$/);
  await expect(palette).toBeHidden();
  // Esc closes it; "/" away from the search page opens it again.
  await page.keyboard.press("/");
  await expect(palette).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(palette).toBeHidden();
});

test("no results and unknown customers are clear", async ({ page }) => {
  await login(page, "lead@example.com");
  await page.getByTestId("home-search").fill("zzqx-nothing-here");
  await expect(page.getByTestId("search-empty")).toContainText("No results");
  const response = await page.goto("/customers/987654");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("customer-not-found")).toBeVisible();
});
