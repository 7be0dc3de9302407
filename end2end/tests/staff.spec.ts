import { expect, test } from "@playwright/test";
import { expectAccessible, hydrated, login } from "./helpers";

test("an admin creates, re-roles and deactivates a staff user; the user's session stops at once", async ({ page, browser }) => {
  const email = `new.agent.${Date.now()}@example.com`;
  await login(page, "admin@example.com");
  await page.getByTestId("main-nav").getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Staff" })).toBeVisible();
  await expectAccessible(page);

  // Client-side validation names the field before anything is sent.
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByRole("button", { name: "Create staff user" }).click();
  await expect(page.getByText("Email must look like name@example.com.")).toBeVisible();

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Name").fill("New Agent");
  await page.getByLabel("Role", { exact: true }).selectOption("support");
  await page.getByLabel("Initial password").fill("a-long-enough-password");
  await page.getByRole("button", { name: "Create staff user" }).click();
  await expect(page.getByText(`Created ${email}.`)).toBeVisible();
  const row = page.getByTestId("staff-table").getByRole("row", { name: new RegExp(email) });
  await expect(row).toBeVisible();

  // The new user signs in in another browser.
  const other = await browser.newContext();
  const agent = await other.newPage();
  await login(agent, email, "a-long-enough-password");
  await expect(agent.getByTestId("current-role")).toHaveText("Support");

  // Role change takes effect on the user's next page.
  await row.getByRole("combobox").selectOption("lead");
  await expect(row.getByRole("combobox")).toHaveValue("lead");
  await agent.reload();
  await expect(agent.getByTestId("current-role")).toHaveText("Team lead");

  // Deactivation ends the session immediately.
  await row.getByRole("button", { name: "Deactivate" }).click();
  await expect(row.getByText("deactivated")).toBeVisible();
  await agent.goto("/activity");
  await expect(agent).toHaveURL(/\/login/);
  await other.close();
});
