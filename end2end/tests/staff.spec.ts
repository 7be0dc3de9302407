import { expect, test } from "@playwright/test";
import { expectAccessible, hydrated, login, serverCommand } from "./helpers";

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

test("an admin revokes one API token on the admin page; only that token stops working", async ({ page }) => {
  const make = (label: string) =>
    serverCommand(["token", "create", "--email", "lead@example.com", "--label", label], {
      FC_DATA_DIR: process.env.E2E_DATA_DIR ?? "",
    });
  const stamp = Date.now();
  const keep = make(`kept-${stamp}`);
  const revoke = make(`revoked-${stamp}`);
  await login(page, "admin@example.com");
  await page.goto("/admin");
  await hydrated(page);
  const tokens = page.getByTestId("token-table");
  const row = tokens.getByRole("row", { name: new RegExp(`revoked-${stamp}`) });
  await expect(row).toContainText("active");
  await expectAccessible(page);
  await row.getByRole("button", { name: `Revoke token revoked-${stamp} of lead@example.com` }).click();
  await expect(row).toContainText("revoked");
  await expect(row.getByRole("button")).toHaveCount(0);
  const me = (token: string) => page.request.get("/api/v1/me", { headers: { Authorization: `Bearer ${token}` } });
  expect((await me(revoke)).status()).toBe(401);
  expect((await me(keep)).status()).toBe(200);
  // A reload (a pasted link) shows the same states.
  await page.reload();
  await hydrated(page);
  await expect(tokens.getByRole("row", { name: new RegExp(`kept-${stamp}`) })).toContainText("active");
});

test("after an admin's reset, the staff member must choose their own password before anything else", async ({ page, browser }) => {
  const email = `reset.agent.${Date.now()}@example.com`;
  await login(page, "admin@example.com");
  await page.goto("/admin");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Name").fill("Reset Agent");
  await page.getByLabel("Initial password").fill("the-first-password");
  await page.getByRole("button", { name: "Create staff user" }).click();
  const row = page.getByTestId("staff-table").getByRole("row", { name: new RegExp(email) });
  await expect(row).toBeVisible();
  await row.getByText("Reset password").click();
  await row.getByLabel(`New password for ${email}`).fill("set-by-the-admin");
  await row.getByRole("button", { name: "Set" }).click();
  await expect(page.getByText(`Password of ${email} reset`)).toBeVisible();

  const other = await browser.newContext();
  const agent = await other.newPage();
  await agent.goto("/login?next=%2Factivity");
  await hydrated(agent);
  await agent.getByLabel("Email").fill(email);
  await agent.getByLabel("Password").fill("set-by-the-admin");
  await agent.getByRole("button", { name: "Sign in" }).click();
  await expect(agent).toHaveURL(/\/account\?forced=1/);
  await expect(agent.getByTestId("password-forced")).toBeVisible();
  await hydrated(agent);
  await expectAccessible(agent);
  // Anything else leads back here until the password is changed.
  await agent.goto("/activity");
  await expect(agent).toHaveURL(/\/account\?forced=1/);
  await hydrated(agent);
  await agent.getByLabel("Current password").fill("set-by-the-admin");
  await agent.getByLabel("New password", { exact: true }).fill("my-own-password");
  await agent.getByLabel("New password again").fill("my-own-passwrd");
  await agent.getByRole("button", { name: "Change password" }).click();
  await expect(agent.getByText("The two new passwords differ.")).toBeVisible();
  await agent.getByLabel("New password again").fill("my-own-password");
  await agent.getByRole("button", { name: "Change password" }).click();
  await expect(agent.getByTestId("password-changed")).toBeVisible();
  await agent.goto("/activity");
  await expect(agent.getByRole("heading", { level: 1, name: "Activity" })).toBeVisible();
  await other.close();
});
