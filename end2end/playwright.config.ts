import { defineConfig } from "@playwright/test";
import * as os from "node:os";
import * as path from "node:path";

// The server under test: the debug build (`cargo xtask front`, `cargo build`), on its own
// port, with a fresh SQLite database seeded with the small demo data set.
const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `fc-e2e-${process.pid}`);
const root = path.resolve(__dirname, "..");
// A second server connected to a local Stripe-compatible server (billing.spec.ts).
const billingPort = port + 1;
const stripePort = Number(process.env.E2E_STRIPE_PORT ?? port + 2);
// A third server signing staff in through a local OpenID provider (sso.spec.ts).
const ssoPort = port + 3;
const providerPort = Number(process.env.E2E_OIDC_PORT ?? port + 4);
process.env.E2E_SSO_URL = `http://127.0.0.1:${ssoPort}`;
process.env.E2E_OIDC_URL = `http://127.0.0.1:${providerPort}`;
process.env.E2E_BILLING_URL = `http://127.0.0.1:${billingPort}`;
process.env.E2E_STRIPE_URL = `http://127.0.0.1:${stripePort}`;
// Tests that run the server's command line (e.g. `server token create`) find the same
// data directory: the workers inherit this.
process.env.E2E_DATA_DIR = dataDir;

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: [
    {
      command: `rm -rf "${dataDir}" && "${root}/target/debug/server" serve --listen 127.0.0.1:${port} --demo-size small`,
      url: `http://127.0.0.1:${port}/readyz`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        FC_DATA_DIR: dataDir,
        LEPTOS_SITE_ROOT: path.join(root, "target/site"),
        RUST_LOG: "warn",
      },
    },
    {
      command: `"${root}/scripts/billing/serve-linked.sh" "${root}/target/debug/server" ${billingPort} ${stripePort} "${dataDir}-billing"`,
      url: `http://127.0.0.1:${billingPort}/readyz`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        LEPTOS_SITE_ROOT: path.join(root, "target/site"),
        // No scheduled sweeps: each fetches every subscription and invoice from the
        // provider, which at a few seconds' interval took a fifth of the machine for the
        // whole run. billing.spec.ts runs one when it needs it.
        FC_BILLING_SWEEP_SECS: "0",
        RUST_LOG: "warn",
      },
    },
    {
      command: `"${root}/scripts/sso/serve-with-provider.sh" "${root}/target/debug/server" ${ssoPort} ${providerPort} "${dataDir}-sso"`,
      url: `http://127.0.0.1:${ssoPort}/readyz`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        LEPTOS_SITE_ROOT: path.join(root, "target/site"),
        RUST_LOG: "warn",
      },
    },
  ],
});
