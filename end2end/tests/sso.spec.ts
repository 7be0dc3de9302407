import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, hydrated, PASSWORD } from "./helpers";

// A console with single sign-on through a local OpenID provider (oidc-provider-mock),
// started by playwright.config.ts: people sign in on the provider's own page.
const CONSOLE = process.env.E2E_SSO_URL!;
const PROVIDER = process.env.E2E_OIDC_URL!;

/** Sets the claims the provider vouches for `sub` with. */
async function person(sub: string, group: string) {
  const r = await fetch(`${PROVIDER}/users/${sub}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: `${sub}@corp.example`, name: `${sub} at Corp`, groups: ["everyone", group] }),
  });
  expect(r.status).toBe(204);
}

/** Console errors, uncaught exceptions and WASM panics of `page` while it shows the
 * console (the provider's own pages fetch styles from the internet, out of reach here). */
function errorsOf(page: Page): string[] {
  const errors: string[] = [];
  const ours = () => page.url().startsWith(CONSOLE);
  page.on("console", (m) => {
    if (m.type() === "error" && ours()) errors.push(`console: ${m.text()} at ${m.location().url}`);
  });
  page.on("pageerror", (e) => {
    if (ours()) errors.push(`uncaught: ${e.message}`);
  });
  return errors;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

for (const { sub, group, role, path, heading } of [
  { sub: "sam", group: "fc-support", role: "Support", path: "/activity", heading: "Activity" },
  { sub: "lee", group: "fc-leads", role: "Team lead", path: "/approvals", heading: "Approvals" },
]) {
  test(`${role} signs in through the identity provider, lands on the page asked for, and signs out`, async ({ page }) => {
    const errors = errorsOf(page);
    await person(sub, group);
    // A link from a ticket, opened signed out.
    await page.goto(`${CONSOLE}${path}`);
    await expect(page).toHaveURL(new RegExp(`/login\\?next=`));
    await hydrated(page);
    await expectAccessible(page);
    await page.getByRole("link", { name: "Sign in with Corp ID" }).click();
    await expect(page).toHaveURL(new RegExp(`^${escape(PROVIDER)}/oauth2/authorize\\?`));
    await page.locator("input[name=sub]").fill(sub);
    await page.getByRole("button", { name: "Authorize" }).click();

    await expect(page).toHaveURL(`${CONSOLE}${path}`);
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expect(page.getByTestId("current-role")).toHaveText(role);

    // Signing out ends the provider's session too, then comes back to sign-in.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(new RegExp(`^${escape(PROVIDER)}/oauth2/end_session\\?`));
    await page.getByRole("button", { name: "End session" }).click();
    await expect(page).toHaveURL(`${CONSOLE}/login`);
    await hydrated(page);
    await page.goto(`${CONSOLE}${path}`);
    await expect(page).toHaveURL(new RegExp(`/login\\?next=`));
    expect(errors).toEqual([]);
  });
}

test("signing out before the page has hydrated ends the provider's session too", async ({ page }) => {
  await person("pat", "fc-support");
  await page.goto(`${CONSOLE}/login`);
  await hydrated(page);
  await page.getByRole("link", { name: "Sign in with Corp ID" }).click();
  await page.locator("input[name=sub]").fill("pat");
  await page.getByRole("button", { name: "Authorize" }).click();
  await expect(page.getByTestId("current-role")).toHaveText("Support");

  // The page as it arrives from the server, its script never run (a slow link): the
  // sign-out form posts itself, and the page's policy lets it lead on to the provider.
  await page.route(`${CONSOLE}/pkg/**`, (route) => route.abort());
  await page.goto(`${CONSOLE}/activity`);
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(0);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(new RegExp(`^${escape(PROVIDER)}/oauth2/end_session\\?`));
  await page.getByRole("button", { name: "End session" }).click();
  await expect(page).toHaveURL(`${CONSOLE}/login`);
  await page.goto(`${CONSOLE}/activity`);
  await expect(page).toHaveURL(new RegExp(`/login\\?next=`));
});

test("with single sign-on on, a password account that is not break-glass is told to use the provider", async ({ page }) => {
  await page.goto(`${CONSOLE}/login`);
  await hydrated(page);
  await page.getByText("Break-glass account").click();
  await page.getByLabel("Email").fill("lead@example.com");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("login-error")).toContainText("Password sign-in is off: sign in with Corp ID");
  await expect(page).toHaveURL(`${CONSOLE}/login`);
});
