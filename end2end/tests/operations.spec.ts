import { expect, test, type Page } from "@playwright/test";
import { contactEmail, expectAccessible, hydrated, login } from "./helpers";

const TICKET = "https://support.example.com/tickets/7";

async function openCustomer(page: Page, id: number) {
  await page.goto(`/customers/${id}`);
  await hydrated(page);
  await expect(page.getByTestId("customer-page")).toBeVisible();
}

test("support edits seats in place: the browser names a bad value, Enter previews, a reason saves", async ({ page }) => {
  await login(page, "support@example.com");
  await openCustomer(page, 1);
  const row = page.locator("#subscription-1");
  await row.getByRole("button", { name: "Edit seats of A-S00000001" }).click();
  const input = page.getByLabel("Seats", { exact: true });
  await expect(input).toBeFocused();
  await input.fill("0");
  await expect(page.getByTestId("inline-error")).toHaveText("Seats must be between 1 and 100 000.");
  await input.fill("260");
  await expect(page.getByTestId("inline-error")).toHaveCount(0);
  await input.press("Enter");
  const confirm = page.getByTestId("inline-confirm");
  await expect(confirm.getByTestId("changes")).toContainText("seats");
  await expect(confirm.getByTestId("changes")).toContainText("250");
  await expect(confirm.getByTestId("changes")).toContainText("260");
  await expect(confirm.getByLabel("Reason")).toBeFocused();
  await expectAccessible(page);

  // The reason, ticket and requester are checked before anything is sent.
  await confirm.getByRole("button", { name: "Save" }).click();
  await expect(confirm.getByText("Reason is required (at least 3 characters).")).toBeVisible();
  await expect(confirm.getByText("Support changes need the ticket URL.")).toBeVisible();
  await expect(confirm.getByText("Support changes need the email of the person who asked.")).toBeVisible();
  await confirm.getByLabel("Reason").fill("Customer added a team");
  await confirm.getByLabel("Ticket URL").fill(TICKET);
  await confirm.getByLabel("Requester (who asked)").fill(await contactEmail(page, "owner"));
  await expect(confirm.getByTestId("requester-verdict")).toContainText("verified: owner contact");
  await confirm.getByRole("button", { name: "Save" }).click();

  await expect(row.getByRole("button", { name: "Edit seats of A-S00000001" })).toHaveText("260");
  const activity = page.locator("#activity");
  await expect(activity.getByText("subscription.edit").first()).toBeVisible();
  await expect(activity.locator(".diff-row", { hasText: "250 → 260" }).first()).toContainText("seats");

  // Esc cancels an edit without a trace.
  await row.getByRole("button", { name: "Edit auto-renew of A-S00000001" }).click();
  await page.locator("#edit-auto-renew").press("Escape");
  await expect(page.locator("#edit-auto-renew")).toHaveCount(0);
});

test("a save based on a stale version shows what changed meanwhile and reloads", async ({ page, browser }) => {
  await login(page, "support@example.com");
  await openCustomer(page, 6);
  const other = await (await browser.newContext()).newPage();
  await login(other, "billing@example.com");
  await openCustomer(other, 6);

  // Billing saves first.
  await other.getByRole("button", { name: "Edit seats of A-S00000021" }).click();
  await other.getByLabel("Seats", { exact: true }).fill("18");
  await other.getByLabel("Seats", { exact: true }).press("Enter");
  const theirs = other.getByTestId("inline-confirm");
  await theirs.getByLabel("Reason").fill("Added three seats on renewal");
  await theirs.getByRole("button", { name: "Save" }).click();
  await expect(other.getByRole("button", { name: "Edit seats of A-S00000021" })).toHaveText("18");

  // Support still sees 15 and tries to save 20: refused, with the difference shown.
  await page.getByRole("button", { name: "Edit seats of A-S00000021" }).click();
  await page.getByLabel("Seats", { exact: true }).fill("20");
  await page.getByLabel("Seats", { exact: true }).press("Enter");
  const conflict = page.getByTestId("conflict");
  await expect(conflict).toContainText("changed by someone else");
  await expect(conflict).toContainText("seats: 15 → 18");
  await conflict.getByRole("button", { name: "Reload" }).click();
  await expect(page.getByRole("button", { name: "Edit seats of A-S00000021" })).toHaveText("18");
});

test("a namespace control previews the exact change before applying it", async ({ page }) => {
  await login(page, "support@example.com");
  await openCustomer(page, 7);
  const card = page.locator("#namespace-25");
  await card.getByRole("button", { name: "Compute minutes" }).click();
  const dialog = page.getByTestId("op-dialog");
  await expect(dialog.getByLabel("Minutes to add (negative takes back)")).toBeFocused();
  await dialog.getByLabel("Minutes to add (negative takes back)").fill("-6000");
  await expect(dialog).toContainText("At most 5000 minutes can be taken back.");
  await dialog.getByLabel("Minutes to add (negative takes back)").fill("2500");
  const preview = dialog.getByTestId("preview");
  await expect(preview).toContainText("compute minutes extra");
  await expect(preview).toContainText("5000");
  await expect(preview).toContainText("7500");
  await expectAccessible(page);
  await dialog.getByLabel("Reason").fill("Goodwill after the outage");
  await dialog.getByLabel("Ticket URL").fill(TICKET);
  await dialog.getByLabel("Requester (who asked)").fill(await contactEmail(page, "technical"));
  await dialog.getByRole("button", { name: "Apply" }).click();
  await expect(page.locator("#activity .diff-row", { hasText: "5000 → 7500" }).first()).toContainText("compute_minutes_extra");
});

test("a replace-link request waits for a second person's approval, then runs once", async ({ page, browser }) => {
  await login(page, "support@example.com");
  await openCustomer(page, 40);
  const card = page.locator("#namespace-158");
  await card.getByRole("button", { name: "Replace subscription link" }).click();
  const dialog = page.getByTestId("op-dialog");
  await dialog.getByLabel("Subscription to link here").selectOption("157");
  await expect(dialog.getByTestId("preview")).toContainText("maple-robotics-40-2");
  await expect(dialog).toContainText("needs a lead's approval");
  await dialog.getByLabel("Reason").fill("Customer moved to the new group");
  await dialog.getByLabel("Ticket URL").fill(TICKET);
  await dialog.getByLabel("Requester (who asked)").fill(await contactEmail(page, "owner"));
  await dialog.getByRole("button", { name: "Request approval" }).click();
  await expect(page.getByTestId("pending-approval")).toContainText("pending approval");
  await expect(page.getByTestId("customer-pending")).toContainText("Replace subscription link");

  const lead = await (await browser.newContext()).newPage();
  await login(lead, "lead@example.com");
  await lead.getByTestId("main-nav").getByRole("link", { name: "Approvals" }).click();
  await hydrated(lead);
  const request = lead.getByTestId("approval").filter({ hasText: "Customer moved to the new group" });
  await expect(request).toContainText("support@example.com");
  await expect(request.getByTestId("changes")).toContainText("maple-robotics-40-2");
  await expectAccessible(lead);
  await request.getByLabel("Note").fill("Checked the contract");
  await request.getByRole("button", { name: "Approve and run" }).click();
  await expect(lead.getByTestId("approval").filter({ hasText: "Customer moved to the new group" })).toHaveCount(0);
  await lead.getByRole("link", { name: "Executed" }).click();
  await expect(lead).toHaveURL(/status=executed/);
  await expect(lead.getByTestId("approval").filter({ hasText: "Customer moved to the new group" })).toContainText("Decided by lead@example.com");

  await openCustomer(page, 40);
  await expect(page.locator("#namespace-158")).toContainText("A-S00000157");
  await expect(page.getByTestId("customer-pending")).toHaveCount(0);
  await expect(page.locator("#activity").getByText("namespace.replace_link")).toBeVisible();
});

test("the customer's timeline takes new events as they happen, without a reload", async ({ page, browser }) => {
  await login(page, "support@example.com");
  await openCustomer(page, 4);
  const activity = page.locator("#activity");
  await activity.scrollIntoViewIfNeeded();

  // Someone else changes this customer: the event appears here without a reload.
  const other = await (await browser.newContext()).newPage();
  await login(other, "billing@example.com");
  await openCustomer(other, 4);
  const seats = other.locator("#subscriptions tbody tr").first().getByRole("button", { name: /edit seats of/ });
  const before = Number(await seats.innerText());
  await seats.click();
  const input = other.getByLabel("Seats", { exact: true });
  await input.fill(String(before + 1));
  await input.press("Enter");
  const confirm = other.getByTestId("inline-confirm");
  await confirm.getByLabel("Reason").fill("One more person joined the team");
  await confirm.getByRole("button", { name: "Save" }).click();
  await expect(other.getByTestId("inline-confirm")).toHaveCount(0);

  await expect(activity.getByTestId("event").filter({ hasText: "One more person joined the team" })).toBeVisible({ timeout: 15_000 });
});
