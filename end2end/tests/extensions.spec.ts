import { expect, test, type Page } from "@playwright/test";
import * as fs from "node:fs";
import { expectAccessible, hydrated, login } from "./helpers";

// Small seed, relative to today: A-S00000609 (customer 153) is self-managed with its
// license expiring in 6 days; A-S00000267 (customer 67) in 21 days; A-S00000625
// (customer 157) in 13 days.

async function startWizard(page: Page, subscription: string) {
  await page.goto("/extensions/new");
  await hydrated(page);
  const search = page.getByTestId("wizard-search");
  await search.fill(subscription);
  await expect(page.getByTestId("search-result").first()).toContainText(subscription);
  await search.press("Enter");
  await expect(page).toHaveURL(/step=eligibility/);
}

test("sales extends an eligible self-managed subscription and downloads the signed license", async ({ page }) => {
  await login(page, "sales@example.com");
  await startWizard(page, "A-S00000609");
  const rules = page.getByTestId("rule");
  await expect(rules).toHaveCount(4);
  await expect(page.locator('[data-testid=rule][data-passed=false]')).toHaveCount(0);
  await expect(page.getByTestId("eligible")).toBeVisible();
  await expect(page.locator('[data-rule=window]')).toContainText("in 6 days");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Continue" }).click();

  // Days and users: defaults from policy and the subscription; the browser checks as you type.
  await expect(page).toHaveURL(/step=details/);
  const days = page.getByLabel("Days");
  await expect(days).toHaveValue("14");
  await expect(page.getByLabel("Users count")).toHaveValue("75");
  await days.fill("45");
  await expect(page.getByText("Over 30 days is refused")).toBeVisible();
  await expect(page.getByRole("button", { name: "Continue" })).toBeDisabled();
  await days.fill("25");
  await expect(page.getByTestId("days-policy")).toContainText("need a lead's approval");
  await days.fill("14");
  await expect(page.getByTestId("days-policy")).toContainText("Within policy");
  await page.getByLabel("Users count").fill("80");
  await page.getByRole("button", { name: "Continue" }).click();

  // Reason and opportunity: what was typed survives a reload and back/forward.
  await expect(page).toHaveURL(/step=reason/);
  await page.getByLabel("Reason").fill("Renewal PO stuck in procurement");
  await page.getByLabel("CRM opportunity id").fill("bad id!");
  await expect(page.getByText("An opportunity id has 3–40 letters")).toBeVisible();
  await page.getByLabel("CRM opportunity id").fill("006Dn00000AbCdE");
  await expect(page).toHaveURL(/opportunity=006Dn00000AbCdE/);
  // Who asked is optional for sales, but must be an email when given.
  await page.getByLabel("Requester (who asked, optional)").fill("the buyer");
  await expect(page.getByText("Requester must be the email of the person who asked")).toBeVisible();
  await page.getByLabel("Requester (who asked, optional)").fill("");
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("Reason")).toHaveValue("Renewal PO stuck in procurement");
  await page.goBack();
  await expect(page).toHaveURL(/step=details/);
  await expect(page.getByLabel("Users count")).toHaveValue("80");
  await page.goForward();
  await expect(page.getByLabel("CRM opportunity id")).toHaveValue("006Dn00000AbCdE");
  await page.getByRole("button", { name: "Review" }).click();

  // Review: what will be issued and the true-up that follows.
  await expect(page).toHaveURL(/step=review/);
  await expect(page.getByTestId("true-up")).toContainText("80 users requested vs 75 licensed: a true-up of 5 seats");
  await expect(page.getByTestId("changes")).toContainText("temporary license");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Issue extension" }).click();

  await expect(page).toHaveURL(/step=result/);
  await expect(page.getByTestId("extension-issued")).toContainText("80 users");
  await expect(page.getByTestId("license-text")).toContainText("BEGIN FULFILLMENT CONSOLE LICENSE");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-license").click()]);
  expect(download.suggestedFilename()).toMatch(/^license-[A-Z0-9-]+-\d{4}-\d{2}-\d{2}\.txt$/);
  const text = fs.readFileSync(await download.path(), "utf8");
  expect(text).toContain("Subscription: A-S00000609");
  expect(text).toContain("Users: 80");

  // The issuance is on the customer's timeline, and the license in its list.
  await page.getByRole("link", { name: "Open the customer page" }).click();
  await hydrated(page);
  const event = page.locator("#activity li").filter({ hasText: "Renewal PO stuck in procurement" });
  await expect(event).toContainText("extension.issue");
  await expect(event.locator(".diff-row", { hasText: "temporary license.users" })).toContainText("— → 80");
  await expect(page.locator("#licenses")).toContainText("temporary extension");
  const [again] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("#licenses").getByRole("link", { name: /^Download license / }).click(),
  ]);
  expect(fs.readFileSync(await again.path(), "utf8")).toBe(text);
});

test("an ineligible subscription says which rule fails and what to do instead", async ({ page }) => {
  await login(page, "sales@example.com");
  await page.goto("/extensions?within=30&sort=-seats");
  await hydrated(page);
  await expect(page.getByRole("columnheader", { name: /Seats/ })).toHaveAttribute("aria-sort", "descending");
  const row = page.getByTestId("renewal").filter({ hasText: "A-S00000267" });
  await expect(row).toContainText("21 d");
  await expectAccessible(page);
  await row.getByRole("link", { name: "Extend…" }).click();
  await expect(page).toHaveURL(/step=eligibility/);
  const failing = page.locator('[data-testid=rule][data-passed=false]');
  await expect(failing).toHaveCount(1);
  await expect(failing).toContainText("Its license expires within 15 days");
  await expect(failing).toContainText("in 21 days");
  await expect(failing).toContainText("Instead: Nothing is blocked yet");
  await expect(page.getByTestId("ineligible")).toBeVisible();
  await expect(page.getByRole("button", { name: "Continue" })).toHaveCount(0);
  await expectAccessible(page);
});

test("a 30-day extension waits for a lead; approved, the license is issued", async ({ page, browser }) => {
  await login(page, "sales@example.com");
  await startWizard(page, "A-S00000625");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Days").fill("30");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Reason").fill("Security review delays the renewal by a month");
  await page.getByLabel("CRM opportunity id").fill("006Dn00000ZZ625");
  await page.getByRole("button", { name: "Review" }).click();
  await expect(page.getByTestId("needs-approval")).toContainText("over 21 days need a lead's approval");
  await page.getByRole("button", { name: "Request approval" }).click();
  await expect(page.getByTestId("extension-pending")).toContainText("waits for a lead's approval");

  const lead = await (await browser.newContext()).newPage();
  await login(lead, "lead@example.com");
  await lead.goto("/approvals");
  await hydrated(lead);
  const request = lead.getByTestId("approval").filter({ hasText: "Security review delays the renewal" });
  await expect(request).toContainText("sales@example.com");
  await expect(request).toContainText("Temporary extension");
  await request.getByLabel("Note").fill("Checked with the account team");
  await request.getByRole("button", { name: "Approve and run" }).click();
  await expect(lead.getByTestId("approval").filter({ hasText: "Security review delays the renewal" })).toHaveCount(0);

  await page.goto("/customers/157");
  await hydrated(page);
  await expect(page.locator("#licenses")).toContainText("temporary extension");
  const events = page.locator("#activity li").filter({ hasText: "Security review delays the renewal" });
  await expect(events.filter({ hasText: "extension.issue" })).toContainText("temporary license.expires_on");
  await expect(page.locator("#activity li").filter({ hasText: "Checked with the account team" })).toContainText("approval.approve");
});
