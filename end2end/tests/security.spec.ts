import { expect, test } from "@playwright/test";
import { hydrated, login } from "./helpers";

test("the app runs under its Content Security Policy, which blocks injected script", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (m.text().includes("Content Security Policy")) violations.push(m.text());
  });
  await page.exposeFunction("reportViolation", (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { reportViolation: (v: string) => void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const response = await page.goto("/login");
  expect(response?.headers()["content-security-policy"]).toContain("'nonce-");
  await login(page, "support@example.com");
  // Pages with streamed data, charts and live parts all hydrate under the policy.
  for (const path of ["/?q=acme", "/customers/1", "/activity", "/integrity"]) {
    await page.goto(path);
    await hydrated(page);
  }
  await page.getByRole("link", { name: "Activity" }).first().click();
  await expect(page).toHaveURL(/\/activity/);
  expect(violations).toEqual([]);
  // A script injected without the nonce does not run.
  const ran = await page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__injected = true;";
    document.body.appendChild(s);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations.length).toBeGreaterThan(0);
});

test("repeated wrong passwords lock the sign-in for a while, with a clear message", async ({ page }) => {
  await page.goto("/login");
  await hydrated(page);
  const email = `locked-out-${Date.now()}@example.com`;
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(`wrong-password-${i}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("login-error")).toContainText("Wrong email or password.");
  }
  await page.getByLabel("Password").fill("another-try");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("login-error")).toContainText("Too many failed sign-ins for this email");
  await expect(page.getByTestId("login-error")).toContainText("Try again in 15 minutes");
});
