import { expect, test, type Page } from "@playwright/test";
import { contactEmail, expectAccessible, hydrated, login, serverCommand } from "./helpers";

// These run against the second server of playwright.config.ts: the small demo linked to
// a local Stripe-compatible server (localstripe). Its scheduled sweeps are off; the
// tests run one when they need it, as `server billing sweep` does for an operator.
const STRIPE = process.env.E2E_STRIPE_URL!;
const KEY = "sk_test_demo";
const TICKET = "https://support.example.com/tickets/29";

test.use({ baseURL: process.env.E2E_BILLING_URL });

/** Calls the provider's API as someone working there would. */
async function stripe(method: string, path: string, form?: Record<string, string>) {
  const response = await fetch(`${STRIPE}${path}`, {
    method,
    headers: { Authorization: `Bearer ${KEY}` },
    body: form ? new URLSearchParams(form) : undefined,
  });
  const body = await response.json();
  expect(response.ok, JSON.stringify(body)).toBe(true);
  return body;
}

/** Reconciles the console with the provider now, through the server's command line. */
function sweep() {
  serverCommand(["billing", "sweep"], {
    FC_DATA_DIR: `${process.env.E2E_DATA_DIR}-billing`,
    FC_BILLING: "stripe",
    FC_STRIPE_API_BASE: STRIPE,
    FC_STRIPE_API_KEY: KEY,
    FC_STRIPE_WEBHOOK_SECRET: "whsec_demo",
  });
}

async function openCustomer(page: Page, id: number) {
  await page.goto(`/customers/${id}`);
  await hydrated(page);
  await expect(page.getByTestId("customer-page")).toBeVisible();
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
  return errors;
}

test("a support engineer sees seats drift from the billing system, and fixes it by taking its value", async ({ page }) => {
  // The whole story: two changes at the provider, a refused delivery, a sweep, three
  // pages and two fixes, each waiting for the provider's round trip.
  test.setTimeout(60_000);
  const errors = watchErrors(page);
  await login(page, "support@example.com");
  await openCustomer(page, 1);
  const row = page.locator("#subscription-1");
  const seatsButton = row.getByRole("button", { name: "Edit seats of A-S00000001" });
  const providerId = (await row.getByTestId("billing-link").locator("code").innerText()).trim();
  expect(providerId).toMatch(/^sub_/);

  // Seats changed at the provider, which sends no webhook for it: the sweep applies
  // the provider's value as billing:stripe.
  const sub = await stripe("GET", `/v1/subscriptions/${providerId}`);
  await stripe("POST", `/v1/subscriptions/${providerId}`, {
    "items[0][id]": sub.items.data[0].id,
    "items[0][quantity]": "300",
  });
  await expect
    .poll(async () => {
      sweep();
      await openCustomer(page, 1);
      return (await seatsButton.innerText()).trim();
    }, { timeout: 20_000 })
    .toBe("300");
  const side = page.locator("#billing-system");
  const mine = side.locator("[data-record=A-S00000001]");
  await expect(mine.locator("tr[data-field=seats] td").first()).toHaveText("300");
  await expect(mine.locator("tr[data-field=seats] td").nth(1)).toHaveText("300");
  await expect(side.getByTestId("billing-drift-count")).toHaveText("0");

  // Support shortens the term: the provider cannot express an end before its current
  // period's end and refuses it, so the two sides disagree.
  const owner = await contactEmail(page, "owner");
  await row.getByRole("button", { name: "Edit end date of A-S00000001" }).click();
  const input = page.getByLabel("End date", { exact: true });
  const current = await input.inputValue();
  const earlier = new Date(Date.parse(current) - 20 * 86_400_000).toISOString().slice(0, 10);
  await input.fill(earlier);
  await input.press("Enter");
  const confirm = page.getByTestId("inline-confirm");
  await confirm.getByLabel("Reason").fill("Customer asked to end sooner");
  await confirm.getByLabel("Ticket URL").fill(TICKET);
  await confirm.getByLabel("Requester (who asked)").fill(owner);
  await confirm.getByRole("button", { name: "Save" }).click();
  await expect(row.getByRole("button", { name: "Edit end date of A-S00000001" })).toHaveText(earlier);

  const endDate = mine.locator("tr[data-field=end_date]");
  await expect
    .poll(async () => {
      sweep();
      await openCustomer(page, 1);
      return await endDate.getAttribute("class");
    }, { timeout: 20_000 })
    .toContain("drifted");
  await expect(endDate).toContainText(earlier);
  await expect(endDate).toContainText(current);
  await expect(endDate.locator(".badge")).toContainText("differs since");

  // Meanwhile the provider's seats change again. With the console's refused change
  // still waiting, the sweep does not apply them on its own: the seats drift too.
  await stripe("POST", `/v1/subscriptions/${providerId}`, {
    "items[0][id]": sub.items.data[0].id,
    "items[0][quantity]": "280",
  });
  const seatsSide = mine.locator("tr[data-field=seats]");
  await expect
    .poll(async () => {
      sweep();
      await openCustomer(page, 1);
      return await seatsSide.getAttribute("class");
    }, { timeout: 20_000 })
    .toContain("drifted");
  await expect(seatsSide.locator("td").first()).toHaveText("300");
  await expect(seatsSide.locator("td").nth(1)).toHaveText("280");
  await expect(seatsButton).toHaveText("300");
  await expectAccessible(page);
  await page.screenshot({ path: test.info().outputPath("customer-billing-system.png"), fullPage: true });

  // Drift is an integrity finding too, whose fix opens the drift page.
  await expect
    .poll(async () => {
      sweep();
      await page.goto("/integrity?rule=billing_drift");
      await hydrated(page);
      return await page.getByTestId("finding").filter({ hasText: "A-S00000001" }).count();
    }, { timeout: 20_000 })
    .toBe(1);
  const finding = page.getByTestId("finding").filter({ hasText: "A-S00000001" });
  await expect(finding).toContainText("differs from the billing system");
  await finding.getByRole("link", { name: "Open on the Drift page" }).click();
  await expect(page).toHaveURL(/\/drift\?customer_id=1$/);

  // The drift page lists both; taking the billing system's seats is the edit's own panel.
  await page.goto("/drift?customer_id=1");
  await hydrated(page);
  const seatsDrift = page.locator("[data-testid=drift][data-field=seats]");
  await expect(seatsDrift.getByTestId("console-value")).toHaveText("300");
  await expect(seatsDrift.getByTestId("provider-value")).toHaveText("280");
  await expect(page.getByTestId("drift-counts")).toContainText("Seats");
  await expectAccessible(page);
  await seatsDrift.getByRole("button", { name: "Take the billing system's value" }).click();
  const seatsDialog = page.getByTestId("op-dialog");
  await expect(seatsDialog.getByTestId("preview")).toContainText("280");
  await seatsDialog.getByLabel("Reason").fill("Billing holds the seats the customer bought");
  await seatsDialog.getByLabel("Ticket URL").fill(TICKET);
  await seatsDialog.getByLabel("Requester (who asked)").fill(owner);
  await seatsDialog.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("applied")).toBeVisible();
  await openCustomer(page, 1);
  await expect(seatsButton).toHaveText("280");

  // The end date still differs: the billing system's value is taken too.
  await page.goto("/drift?customer_id=1");
  await hydrated(page);
  const drift = page.locator("[data-testid=drift][data-field=end_date]");
  await expect(drift.getByTestId("console-value")).toHaveText(earlier);
  await expect(drift.getByTestId("provider-value")).toHaveText(current);
  await expect(page.getByTestId("drift-counts")).toContainText("End date");
  await expectAccessible(page);
  await drift.getByRole("button", { name: "Take the billing system's value" }).click();
  const dialog = page.getByTestId("op-dialog");
  await expect(dialog.getByTestId("preview")).toContainText(current);
  await dialog.getByLabel("Reason").fill("Billing keeps the yearly term");
  await dialog.getByLabel("Ticket URL").fill(TICKET);
  await dialog.getByLabel("Requester (who asked)").fill(owner);
  await dialog.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("applied")).toBeVisible();

  // Delivered and agreed: the drift is cleared.
  await expect
    .poll(async () => {
      sweep();
      await page.goto("/drift?customer_id=1");
      await hydrated(page);
      return await page.getByTestId("no-drift").count();
    }, { timeout: 20_000 })
    .toBe(1);
  await page.screenshot({ path: test.info().outputPath("drift-cleared.png"), fullPage: true });

  // The timeline tells both: the provider's change and the fix.
  await page.goto("/activity?customer_id=1");
  await hydrated(page);
  const events = page.getByTestId("event");
  await expect(events.filter({ hasText: "billing:stripe" }).first()).toContainText("from the billing system");
  await expect(events.filter({ hasText: "Billing keeps the yearly term" }).first()).toContainText("support@example.com");
  const seatsFix = events.filter({ hasText: "Billing holds the seats the customer bought" }).first();
  await expect(seatsFix).toContainText("support@example.com");
  // The fix reaches the billing system (the delivery worker runs each second): the
  // change the provider refused held nothing back.
  await expect
    .poll(async () => {
      await page.goto("/activity?customer_id=1");
      await hydrated(page);
      return await events.filter({ hasText: "Billing keeps the yearly term" }).first().innerText();
    }, { timeout: 20_000 })
    .toContain("synced to billing");
  expect(errors).toEqual([]);
});

test("the drift page opens from a pasted link as each role that sees it", async ({ page }) => {
  for (const role of ["support", "billing", "lead", "admin"]) {
    const errors = watchErrors(page);
    await login(page, `${role}@example.com`);
    await page.goto("/drift?field=seats");
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "Billing drift" })).toBeVisible();
    await expect(page.getByText(/^Loading drift/)).toHaveCount(0);
    expect(errors, role).toEqual([]);
    await page.context().clearCookies();
  }
  await login(page, "sales@example.com");
  await page.goto("/drift");
  await hydrated(page);
  await expect(page.getByText("Your role (Sales) cannot use this page.")).toBeVisible();
});
