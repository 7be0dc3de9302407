import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

export const PASSWORD = "demo-password";
export const ROLES = ["support", "sales", "billing", "lead", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Waits until the WASM app has hydrated the server-rendered page. */
export async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
}

/** Signs in through the login form and waits for the signed-in page. */
export async function login(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toBeVisible();
  await hydrated(page);
}

/** Fails on serious or critical accessibility violations of the current page. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
  ).toEqual([]);
}

/** The email of the customer page's first contact of `role` (owner, billing, technical). */
export async function contactEmail(page: Page, role: "owner" | "billing" | "technical"): Promise<string> {
  const row = page.getByTestId("contacts").locator("tbody tr").filter({ hasText: role }).first();
  return (await row.locator("a[href^='mailto:']").innerText()).trim();
}

/** Runs the server's command line (the debug build the tests serve) with `env` added to
 * the test's environment; returns what it printed. */
export function serverCommand(args: string[], env: Record<string, string>): string {
  const bin = path.resolve(__dirname, "../../target/debug/server");
  return execFileSync(bin, args, {
    env: { ...process.env, RUST_LOG: "error", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  })
    .toString()
    .trim();
}
