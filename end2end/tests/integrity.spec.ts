import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, hydrated, login } from "./helpers";

const TICKET = "https://support.example.com/tickets/11";

/** The open count of one rule in the counts table. */
function ruleCount(page: Page, title: string) {
  return page.getByTestId("rule-counts").getByRole("row").filter({ hasText: title }).locator("td.num");
}

test("support fixes a plan mismatch from the integrity page and sees the count drop", async ({ page }) => {
  await login(page, "support@example.com");
  await page.goto("/integrity?rule=plan_mismatch");
  await hydrated(page);
  await expect(page.getByTestId("last-scan")).toContainText("Last scan");
  await expect(page.getByTestId("rule-counts").getByRole("row")).toHaveCount(9);
  const count = ruleCount(page, "Plan differs from subscription");
  const before = Number(await count.textContent());
  expect(before).toBeGreaterThan(0);
  const findings = page.getByTestId("finding");
  await expect(findings).toHaveCount(before);
  for (const rule of await findings.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-rule")))) {
    expect(rule).toBe("plan_mismatch");
  }
  await expect(findings.first()).toContainText("plan but its subscription");
  await expectAccessible(page);

  const first = findings.first();
  const id = await first.getAttribute("id");
  await first.getByRole("button", { name: "Update plan" }).click();
  const dialog = page.getByTestId("op-dialog");
  await expect(dialog.getByTestId("changes")).toContainText("plan");
  await dialog.getByRole("button", { name: "Apply" }).click();
  await expect(dialog.getByText("Support changes need the ticket URL.")).toBeVisible();
  await dialog.getByLabel("Reason").fill("Plan follows the subscription");
  await dialog.getByLabel("Ticket URL").fill(TICKET);
  await dialog.getByRole("button", { name: "Apply" }).click();

  await expect(count).toHaveText(String(before - 1));
  await expect(findings).toHaveCount(before - 1);
  await expect(page.locator(`#${id}`)).toHaveCount(0);
  // The fix is on the timeline, and the count holds after a reload.
  await page.reload();
  await hydrated(page);
  await expect(ruleCount(page, "Plan differs from subscription")).toHaveText(String(before - 1));
  await page.goto("/activity?action=namespace.update_plan");
  await hydrated(page);
  await expect(page.getByTestId("event").first()).toContainText("Plan follows the subscription");
});

test("a lead bulk-fixes expired trials: the dry run lists every change, confirming runs them", async ({ page }) => {
  await login(page, "lead@example.com");
  await page.goto("/integrity?rule=expired_trial");
  await hydrated(page);
  const count = ruleCount(page, "Trial over, plan kept");
  const before = Number(await count.textContent());
  expect(before).toBeGreaterThanOrEqual(2);
  const findings = page.getByTestId("finding");
  await findings.nth(0).getByRole("checkbox").check();
  await findings.nth(1).getByRole("checkbox").check();
  await expect(page.getByTestId("picked")).toHaveText("2 picked");
  await page.getByTestId("bulk-dry-run").click();
  const plan = page.getByTestId("bulk-plan");
  await expect(plan.getByTestId("bulk-item")).toHaveCount(2);
  await expect(plan.getByTestId("changes")).toHaveCount(2);
  await expect(plan.getByTestId("changes").first()).toContainText("plan");
  await expectAccessible(page);
  // Nothing changed yet.
  await expect(count).toHaveText(String(before));
  await plan.getByTestId("bulk-confirm").click();
  await expect(plan.getByText("Reason is required (at least 3 characters).")).toBeVisible();
  await plan.getByLabel("Reason").fill("Trials ended weeks ago");
  await plan.getByTestId("bulk-confirm").click();
  await expect(page.getByTestId("bulk-result")).toContainText("2 fixed");
  await expect(ruleCount(page, "Trial over, plan kept")).toHaveText(String(before - 2));
});

test("the customer page lists its findings with their fixes", async ({ page }) => {
  await login(page, "support@example.com");
  await page.goto("/integrity?rule=stale_paid_plan");
  await hydrated(page);
  // The customer column names the customer (not its id) and links to its page.
  const link = page.getByTestId("finding").first().locator("td").nth(1).getByRole("link");
  await expect(link).not.toHaveText(/^Customer \d+$/);
  const href = await link.getAttribute("href");
  await link.click();
  await expect(page).toHaveURL(href!);
  await hydrated(page);
  const finding = page.getByTestId("customer-finding").filter({ hasText: "although its subscription" });
  await expect(finding).toHaveCount(1);
  await expect(finding).toContainText("Seen since");
  await finding.getByRole("button", { name: "Clear subscription" }).click();
  await expect(page.getByTestId("op-dialog").getByTestId("changes")).toContainText("free");
  await expectAccessible(page);
});

test("support flags a seat overage to sales from the customer page, with a reason", async ({ page }) => {
  await login(page, "support@example.com");
  await page.goto("/integrity?rule=seat_overage");
  await hydrated(page);
  const link = page.getByTestId("finding").first().locator("td").nth(1).getByRole("link");
  await link.click();
  await hydrated(page);
  const finding = page.getByTestId("customer-finding").filter({ hasText: "More seats used than bought" }).first();
  await finding.getByRole("button", { name: "Flag to sales" }).click();
  // The form's code arrives on this first use.
  const form = page.getByRole("form", { name: "Flag to sales" });
  await form.getByRole("button", { name: "Flag to sales" }).click();
  await expect(form.getByRole("alert")).toContainText("Reason");
  await form.getByLabel("Reason").fill("Uses more seats than bought since the spring");
  await form.getByRole("button", { name: "Flag to sales" }).click();
  await expect(finding.getByRole("link", { name: /^Flagged \(event \d+\)$/ })).toBeVisible();
  await expectAccessible(page);
});
