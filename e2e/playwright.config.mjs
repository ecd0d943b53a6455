// Playwright configuration for Bro's browser tests.
//
// Runs Debian's Chromium (/usr/bin/chromium; override with BRO_CHROMIUM) and never downloads a
// browser. Starts the real app as `$BRO_BIN demo --listen 127.0.0.1:<free port> --data-dir <fresh
// temp dir>` and waits for GET /healthz to answer 200.
//
//   BRO_BIN           binary to run (default: $CARGO_TARGET_DIR/debug/bro, else target/debug/bro)
//   BRO_E2E_BASE_URL  test an already running server instead of starting one
//   BRO_CHROMIUM      Chromium executable (default /usr/bin/chromium)
//   E2E_WORKERS       parallel workers (default 2)
//
// Run from the repo root: npx playwright test -c e2e/playwright.config.mjs

import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";

const e2eDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(e2eDir, "..");

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Playwright evaluates this file in the runner and again in every worker. The runner picks the
// port and data directory once and hands them to the workers through the environment (workers
// inherit the runner's process.env), so everyone agrees on the base URL.
const externalBaseURL = process.env.BRO_E2E_BASE_URL;
if (!externalBaseURL && !process.env.BRO_E2E_PORT) {
  process.env.BRO_E2E_PORT = String(await freePort());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bro-e2e-"));
  process.env.BRO_E2E_DATA_DIR = dataDir;
  process.on("exit", () => fs.rmSync(dataDir, { recursive: true, force: true }));
}
const port = process.env.BRO_E2E_PORT;
const baseURL = externalBaseURL ?? `http://127.0.0.1:${port}`;

const targetDir = process.env.CARGO_TARGET_DIR
  ? path.resolve(repoRoot, process.env.CARGO_TARGET_DIR)
  : path.join(repoRoot, "target");
const broBin = path.resolve(repoRoot, process.env.BRO_BIN ?? path.join(targetDir, "debug", "bro"));
const shellQuote = (s) => `'${String(s).replaceAll("'", "'\\''")}'`;

const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: e2eDir,
  outputDir: path.join(e2eDir, "artifacts", "test-results"),
  fullyParallel: true,
  forbidOnly: process.env.CI === "true",
  retries: 0,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], [path.join(e2eDir, "summary-reporter.mjs")]],
  use: {
    baseURL,
    browserName: "chromium",
    headless: true,
    locale: "da-DK",
    timezoneId: "Europe/Copenhagen",
    viewport: { width: 1280, height: 900 },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.BRO_CHROMIUM ?? "/usr/bin/chromium",
      args: chromiumArgs,
    },
  },
  projects: [{ name: "chromium" }],
  webServer: externalBaseURL
    ? undefined
    : {
        command:
          `test -x ${shellQuote(broBin)} || { echo "e2e: ${broBin} not found; build it first (cargo build -p bro) or set BRO_BIN" >&2; exit 1; }; ` +
          `exec ${shellQuote(broBin)} demo --listen 127.0.0.1:${port} --data-dir ${shellQuote(process.env.BRO_E2E_DATA_DIR)}`,
        cwd: repoRoot,
        // Request logs would drown the test report; warnings and errors still show.
        env: { ...process.env, BRO_LOG: process.env.BRO_LOG ?? "warn" },
        url: `${baseURL}/healthz`,
        reuseExistingServer: false,
        timeout: 120_000,
        stdout: "pipe",
        stderr: "pipe",
        gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
      },
});
