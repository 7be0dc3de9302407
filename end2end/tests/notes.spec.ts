import { expect, test } from "@playwright/test";
import { expectAccessible, hydrated, login } from "./helpers";

test("a note is written, pinned to the header, badged in search, and resolved without being lost", async ({ page }) => {
  await login(page, "sales@example.com");
  await page.goto("/customers/131");
  await hydrated(page);
  const name = await page.getByTestId("customer-name").innerText();
  const notes = page.getByTestId("notes");

  // An empty note names the problem; a real one is saved and listed.
  await notes.getByRole("button", { name: "Add note" }).click();
  await expect(notes.getByRole("alert")).toHaveText("Write the note first.");
  const text = "Renewal sits with procurement until January: check with sales before extending.";
  await notes.getByLabel("New note").fill(text);
  await notes.getByRole("button", { name: "Add note" }).click();
  const note = notes.getByTestId("note").filter({ hasText: text });
  await expect(note).toBeVisible();

  // Pinned: shown under the header, also after a reload, and badged in search.
  await note.getByRole("button", { name: "Pin" }).click();
  await expect(page.getByTestId("pinned-notes")).toContainText(text);
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("pinned-notes")).toContainText(text);
  await expectAccessible(page);
  await page.goto(`/?q=${encodeURIComponent(name)}`);
  await hydrated(page);
  await expect(page.getByTestId("search-result").first().locator(".badge", { hasText: "note" })).toBeVisible();

  // Resolved: gone from the header, kept in the list as resolved, on the timeline.
  await page.goto("/customers/131");
  await hydrated(page);
  await page.getByTestId("notes").getByTestId("note").filter({ hasText: text }).getByRole("button", { name: "Resolve" }).click();
  await expect(page.getByTestId("pinned-notes")).toHaveCount(0);
  await expect(page.getByTestId("notes").getByTestId("note").filter({ hasText: text })).toContainText("resolved");
  await expect(page.getByTestId("event").filter({ hasText: "note.resolve" })).toHaveCount(1);
});

test("a lead opens repeat interventions and lands on the customer's timeline", async ({ page }) => {
  await login(page, "lead@example.com");
  // Three changes to one customer, through the API as the lead's session.
  let id = 140;
  let namespace: { id: number } | undefined;
  while (!namespace) {
    namespace = (await (await page.request.get(`/api/v1/customers/${++id}`)).json()).namespaces[0];
  }
  const csrf = (await page.context().cookies()).find((c) => c.name === "fc_csrf")!.value;
  for (const delta of [100, 200, 300]) {
    const answer = await page.request.post(`/api/v1/namespaces/${namespace.id}/compute_minutes`, {
      headers: { "x-csrf-token": csrf },
      data: { reason: "runner outage credit", delta, kind: "permanent" },
    });
    expect(answer.status()).toBe(200);
  }
  const name = (await (await page.request.get(`/api/v1/customers/${id}`)).json()).name;
  const api = await (await page.request.get("/api/v1/insights/repeats?days=30&min=3")).json();
  expect(api.customers.find((c: { customer_id: number }) => c.customer_id === id).count).toBeGreaterThanOrEqual(3);

  await page.goto("/dashboard");
  await hydrated(page);
  const row = page.getByTestId("repeats").getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Compute minutes");
  await expectAccessible(page);
  await row.getByRole("link", { name }).click();
  await expect(page).toHaveURL(new RegExp(`/activity\\?customer_id=${id}&from=\\d{4}-\\d\\d-\\d\\d&to=\\d{4}-\\d\\d-\\d\\d`));
  await hydrated(page);
  await expect(page.getByTestId("event").filter({ hasText: "namespace.compute_minutes" })).toHaveCount(3);
});
