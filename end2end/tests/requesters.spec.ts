import { expect, test } from "@playwright/test";
import { contactEmail, expectAccessible, hydrated, login } from "./helpers";

const TICKET = "https://support.example.com/tickets/9001";
const STRANGER = "someone@elsewhere.example";

test("a change asked for by an unverified requester goes through a lead, and the timeline keeps who asked", async ({ page, browser }) => {
  await login(page, "support@example.com");
  // A customer with a namespace, away from the ones other tests change.
  let id = 120;
  while ((await (await page.request.get(`/api/v1/customers/${id}`)).json()).namespaces.length === 0) id++;
  await page.goto(`/customers/${id}`);
  await hydrated(page);
  await expect(page.getByTestId("contacts")).toBeVisible();
  const billing = await contactEmail(page, "billing");

  // The email on a ticket finds its customer, saying which field matched.
  await page.goto(`/?q=${encodeURIComponent(billing)}`);
  await hydrated(page);
  const first = page.getByTestId("search-result").first();
  await expect(first).toContainText("contact");
  await first.click();
  await expect(page).toHaveURL(new RegExp(`/customers/${id}$`));
  await hydrated(page);

  const card = page.locator(".namespace").first();
  await card.getByRole("button", { name: "Compute minutes" }).click();
  const dialog = page.getByTestId("op-dialog");
  await dialog.getByLabel("Minutes to add (negative takes back)").fill("300");
  await expect(dialog.getByTestId("preview")).toContainText("compute minutes extra");
  await dialog.getByLabel("Reason").fill("Customer ran out before the release");
  await dialog.getByLabel("Ticket URL").fill(TICKET);
  const requester = dialog.getByLabel("Requester (who asked)");

  // The verdict follows the typing: a known contact goes straight through, a stranger
  // needs a lead.
  await requester.fill(billing);
  await expect(dialog.getByTestId("requester-verdict")).toContainText("verified: billing contact");
  await expect(dialog.getByRole("button", { name: "Apply" })).toBeVisible();
  await requester.fill(STRANGER);
  await expect(dialog.getByTestId("requester-verdict")).toContainText("unverified");
  await expect(dialog.getByTestId("requester-verdict")).toContainText("a lead must approve");
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Request approval" }).click();
  await expect(page.getByTestId("pending-approval")).toContainText("pending approval");

  const lead = await (await browser.newContext()).newPage();
  await login(lead, "lead@example.com");
  await lead.goto("/approvals");
  await hydrated(lead);
  const request = lead.getByTestId("approval").filter({ hasText: "Customer ran out before the release" });
  await expect(request.getByTestId("approval-requester")).toContainText(STRANGER);
  await expect(request.getByTestId("approval-requester")).toContainText("unverified");
  await request.getByLabel("Note").fill("Called the account owner, confirmed");
  await request.getByRole("button", { name: "Approve and run" }).click();
  await expect(lead.getByTestId("approval").filter({ hasText: "Customer ran out before the release" })).toHaveCount(0);

  // A link from the ticket: everything this person asked for, opened directly.
  await lead.goto(`/activity?requester=${encodeURIComponent(STRANGER)}`);
  await hydrated(lead);
  await expect(lead.getByLabel("Requester")).toHaveValue(STRANGER);
  const events = lead.getByTestId("event");
  await expect(events.filter({ hasText: "namespace.compute_minutes" })).toContainText(STRANGER);
  await expect(events.filter({ hasText: "namespace.compute_minutes" }).getByTestId("event-verdict")).toHaveText("unverified");
  await expect(events.filter({ hasText: "approval.request" })).toHaveCount(1);
  await expectAccessible(lead);

  // Back to the ticket: the support engineer follows its link from the customer's
  // timeline and finds the reply to send, in the customer's words.
  await page.reload();
  await hydrated(page);
  await page.getByTestId("event").filter({ hasText: "namespace.compute_minutes" }).first().getByTestId("ticket-link").click();
  await expect(page).toHaveURL(`/tickets?url=${encodeURIComponent(TICKET)}`);
  await hydrated(page);
  await expect(page.getByTestId("ticket-approvals")).toContainText("executed");
  const reply = page.getByTestId("reply");
  await expect(reply).toHaveValue(/^300 additional compute minutes were added to group [a-z0-9-]+\.$/);
  await expect(reply).not.toHaveValue(/support@example.com|release|approval/);
  await page.getByTestId("copy-reply").click();
  await expect(page.getByTestId("copy-reply")).toHaveText("Copied");
  await expectAccessible(page);
});
