import { expect, test } from "@playwright/test";
import * as fs from "node:fs";
import { expectAccessible, hydrated, login } from "./helpers";

// Small seed: 1 000 events over the last year by the five demo staff members.

test("a lead filters the timeline by actor and action, pages on, and exports exactly that as CSV", async ({ page }) => {
  await login(page, "lead@example.com");
  await page.getByTestId("main-nav").getByRole("link", { name: "Activity" }).click();
  await hydrated(page);
  await expect(page.getByTestId("chain-badge")).toContainText("Chain verified");
  const events = page.getByTestId("event");
  await expect(events).toHaveCount(50);
  await page.getByTestId("load-more").click();
  await expect(events).toHaveCount(100);
  await expectAccessible(page);

  await page.getByLabel("Actor").fill("support@example.com");
  await page.getByLabel("Action").selectOption("namespace.update_plan");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/actor=support(%40|@)example\.com/);
  await expect(page).toHaveURL(/action=namespace\.update_plan/);
  await expect(events.first()).toBeVisible();
  const shown = await events.count();
  expect(shown).toBeGreaterThan(0);
  for (const text of await events.allInnerTexts()) {
    expect(text).toContain("support@example.com");
    expect(text).toContain("namespace.update_plan");
  }
  // Every event shows its field changes as old → new.
  await expect(events.first().locator(".diff-row")).toContainText("→");

  // The filter lives in the address: a reload shows the same.
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("Actor")).toHaveValue("support@example.com");
  await expect(page.getByLabel("Action")).toHaveValue("namespace.update_plan");
  await expect(events).toHaveCount(shown);

  // The export holds exactly the filtered events.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  const lines = fs.readFileSync(await download.path(), "utf8").trim().split("\n");
  expect(lines[0]).toBe("id,occurred_at,actor,action,target_type,target_id,customer_id,reason,ticket_url,approval_id,source,changes,requester,requester_verdict");
  let total = shown;
  while (await page.getByTestId("load-more").isVisible()) {
    await page.getByTestId("load-more").click();
    await expect(events).not.toHaveCount(total);
    total = await events.count();
  }
  const rows = lines.slice(1);
  expect(rows.length).toBe(total);
  for (const row of rows) {
    expect(row).toContain(",support@example.com,namespace.update_plan,");
  }
  const shownIds = await events.evaluateAll((els) => els.map((e) => e.getAttribute("data-event-id")));
  expect(rows.map((r) => r.split(",")[0])).toEqual(shownIds);

  // A bad value is named, not guessed at.
  await page.goto("/activity?customer_id=abc");
  await expect(page.getByText("Customer id must be a positive whole number.").first()).toBeVisible();
});

test("a dashboard figure leads to its filtered timeline; new events arrive without a reload", async ({ page, browser }) => {
  await login(page, "lead@example.com");
  await page.getByTestId("main-nav").getByRole("link", { name: "Dashboard" }).click();
  await hydrated(page);
  await expect(page.getByTestId("day-bar")).toHaveCount(30);
  // Open integrity findings, one row per rule, each leading to its findings.
  await expect(page.getByTestId("by-rule").getByRole("row")).toHaveCount(9);
  await expect(page.getByTestId("by-rule").getByRole("link", { name: "Plan differs from subscription" })).toHaveAttribute("href", "/integrity?rule=plan_mismatch");
  await expectAccessible(page);

  // "By action": the first row's timeline shows only that action, in the period.
  const first = page.getByTestId("by-action").getByRole("row").first();
  const count = Number(await first.locator("td.num").innerText());
  expect(count).toBeGreaterThan(0);
  await first.getByRole("link").click();
  await expect(page).toHaveURL(/\/activity\?action=[a-z._]+&from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d/);
  await hydrated(page);
  const action = new URL(page.url()).searchParams.get("action")!;
  const events = page.getByTestId("event");
  await expect(events.first()).toBeVisible();
  for (const text of await events.allInnerTexts()) {
    expect(text).toContain(action);
  }
  const csv = await page.request.get(`/api/v1/activity.csv?${new URL(page.url()).searchParams}`);
  expect((await csv.text()).trim().split("\n").length - 1).toBe(count);

  // A day's bar: that day's events only.
  await page.goBack();
  await hydrated(page);
  const bar = page.locator('[data-testid=day-bar]:not([data-count="0"])').last();
  const day = await bar.getAttribute("data-day");
  await bar.click();
  await expect(page).toHaveURL(new RegExp(`from=${day}&to=${day}`));
  await hydrated(page);
  for (const d of await page.locator("section.day").evaluateAll((els) => els.map((e) => e.getAttribute("data-day")))) {
    expect(d).toBe(day);
  }

  // Staff changes made elsewhere show up on an open timeline.
  await page.goto("/activity?action=staff.create");
  await hydrated(page);
  const before = await events.count();
  const admin = await (await browser.newContext()).newPage();
  await login(admin, "admin@example.com");
  await admin.goto("/admin");
  await hydrated(admin);
  const email = `live.${Date.now()}@example.com`;
  await admin.getByLabel("Email").fill(email);
  await admin.getByLabel("Name").fill("Live Event");
  await admin.getByLabel("Role", { exact: true }).selectOption("sales");
  await admin.getByLabel("Initial password").fill("a-long-enough-password");
  await admin.getByRole("button", { name: "Create staff user" }).click();
  await expect(admin.getByText(`Created ${email}.`)).toBeVisible();
  await expect(events).toHaveCount(before + 1, { timeout: 15_000 });
  await expect(events.first()).toContainText("staff.create");
});

test("state as of: a namespace's fields at a past moment", async ({ page }) => {
  await login(page, "support@example.com");
  await page.goto("/activity?target_type=namespace&target_id=1");
  await hydrated(page);
  const panel = page.getByTestId("state-as-of");
  await expect(panel).toContainText("namespace 1 as of");
  await expect(panel.getByRole("row", { name: /^plan / })).toBeVisible();
  await panel.getByLabel("Moment (UTC)").fill("2020-01-01T00:00");
  await panel.getByLabel("Moment (UTC)").dispatchEvent("change");
  await expect(panel).toContainText("later events walked back");
  await expectAccessible(page);
});
