import { expect, test } from "@playwright/test";
import { ROLES, expectAccessible, hydrated, login } from "./helpers";

const NAV: Record<string, string[]> = {
  support: ["Search", "Activity", "Integrity", "Drift"],
  sales: ["Search", "Activity", "Renewals"],
  billing: ["Search", "Activity", "Integrity", "Drift"],
  lead: ["Search", "Activity", "Renewals", "Approvals", "Integrity", "Drift", "Dashboard"],
  admin: ["Search", "Activity", "Renewals", "Approvals", "Integrity", "Drift", "Dashboard", "Admin"],
};

/** The page heading each navigation entry leads to. */
const HEADING: Record<string, string> = { Admin: "Staff", Drift: "Billing drift" };

for (const role of ROLES) {
  test(`${role} signs in and sees the navigation of the role`, async ({ page }) => {
    await login(page, `${role}@example.com`);
    const nav = page.getByTestId("main-nav");
    await expect(nav.getByRole("link")).toHaveText(NAV[role]);
    await expect(page.getByTestId("current-role")).not.toBeEmpty();
    await expectAccessible(page);
    // Every page in the navigation opens and is accessible.
    for (const label of NAV[role].slice(1)) {
      await nav.getByRole("link", { name: label }).click();
      await expect(page.getByRole("heading", { level: 1, name: HEADING[label] ?? label })).toBeVisible();
      await expectAccessible(page);
    }
  });
}

test("a wrong password gets one clear message that does not say which part was wrong", async ({ page }) => {
  await page.goto("/login");
  await hydrated(page);
  await expectAccessible(page);
  await page.getByLabel("Email").fill("support@example.com");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("login-error")).toHaveText("Wrong email or password.");
  // An unknown email gets exactly the same message.
  await page.getByLabel("Email").fill("nobody@example.com");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("login-error")).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/login/);
});

test("a protected page without a session goes to sign-in, then back to the page", async ({ page }) => {
  await page.goto("/activity");
  await expect(page).toHaveURL(/\/login\?next=%2Factivity|\/login\?next=\/activity/);
  await hydrated(page);
  await page.getByLabel("Email").fill("lead@example.com");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/activity$/);
  await expect(page.getByRole("heading", { level: 1, name: "Activity" })).toBeVisible();
});

test("a sign-in link crafted to leave the site lands on the console's home page", async ({ page }) => {
  // A tab (and a line break) that the browser would drop, turning "/\t/evil.example/"
  // into "//evil.example/", another site.
  for (const next of ["/\t/evil.example/", "/\n/evil.example/", "/\\evil.example/"]) {
    await page.context().clearCookies();
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await hydrated(page);
    await page.getByLabel("Email").fill("support@example.com");
    await page.getByLabel("Password").fill("demo-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("current-user")).toBeVisible();
    expect(new URL(page.url()).pathname).toBe("/");
    expect(new URL(page.url()).host).not.toContain("evil.example");
  }
});

test("signing out ends the session on the server", async ({ page, context }) => {
  await login(page, "billing@example.com");
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "fc_session");
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Strict");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  // Replaying the old cookie no longer works.
  await context.addCookies([{ ...session!, expires: -1 }]);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
});

test("signing out before the page has hydrated ends the session too", async ({ page }) => {
  await login(page, "support@example.com");
  // The page as it arrives from the server, its script never run (a slow link).
  await page.route("**/pkg/**", (route) => route.abort());
  await page.goto("/activity");
  await expect(page.getByRole("heading", { level: 1, name: "Activity" })).toBeVisible();
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(0);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/activity");
  await expect(page).toHaveURL(/\/login\?next=/);
});

test("a role without access to a page is told so", async ({ page }) => {
  await login(page, "sales@example.com");
  await page.goto("/admin");
  await hydrated(page);
  await expect(page.getByTestId("forbidden")).toBeVisible();
});
