// Shared helpers for Bro's browser tests.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect } from "@playwright/test";

export const DEMO_PASSWORD = "bro-demo-2026";

// Every demo user printed by `bro demo`; all share DEMO_PASSWORD and have no second factor.
export const DEMO_USERS = [
  "koordinator",
  "behandler",
  "fagperson",
  "laege",
  "moedeleder",
  "visitator",
  "funktionsleder",
  "ledsager",
  "leder",
  "admin-holstebro",
  "admin-region",
  "koordinator-rks",
  "borger",
  "paaroerende",
];

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export const ARTIFACTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");

/** True while the browser shows the login page. */
export function isLoginUrl(url) {
  return /^\/login\/?$/.test(new URL(url).pathname);
}

/**
 * Log in through the real login form (Danish UI), and wait for the user's home page.
 */
export async function login(page, username, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Brugernavn", { exact: true }).fill(username);
  await page.getByLabel("Adgangskode", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log ind", exact: true }).click();
  await expect(page, `login as ${username} should leave /login`).not.toHaveURL(/\/login\/?(\?.*)?$/);
  await expect(page.getByRole("button", { name: "Log ud" }).first()).toBeVisible();
}

/** Runs axe (WCAG 2.0/2.1 A and AA) and returns the violations as readable lines. */
export async function axeViolations(page) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.map((v) => {
    const targets = v.nodes.slice(0, 10).map((n) => n.target.join(" ")).join(" | ");
    const more = v.nodes.length > 10 ? ` (+${v.nodes.length - 10} more)` : "";
    return `${v.id} [${v.impact}] ${v.help}: ${targets}${more}`;
  });
}

/** Fails the test, listing violation ids and targets, if axe finds any WCAG 2.1 A/AA violation. */
export async function expectNoAxeViolations(page) {
  const violations = await axeViolations(page);
  expect(violations, `axe violations on ${page.url()}:\n  ${violations.join("\n  ")}`).toEqual([]);
}

/** Full-page screenshot into e2e/artifacts/ (gitignored). */
export async function saveScreenshot(page, name) {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name.replace(/[^a-zA-Z0-9_.-]+/g, "_")}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const LOGOUT_PATH = /\/(log-?out|logout|log-?ud|logud|log-?off|sign-?out)(\/|$)/i;
const LOGOUT_TEXT = /^\s*(log\s*ud|log\s*out|log\s*af|sign\s*out)\s*$/i;
const NON_PAGE_EXT = /\.(pdf|csv|ics|zip|json|ndjson|xml|png|jpe?g|gif|svg|ico|txt|js|css|woff2?)$/i;

/**
 * Breadth-first crawl over same-origin <a href> links starting at the absolute `startUrl`, GET only.
 * Runs axe on every HTML page and collects, without throwing:
 *   - axe WCAG 2.1 A/AA violations,
 *   - HTTP errors (status >= 400) reached through a link,
 *   - being sent back to /login (a link lost the session),
 *   - Content-Security-Policy violations and uncaught JS errors reported by the page.
 * Skips /static/, links with `download`, fragment-only links, logout links, and non-page files.
 * Returns { visited: string[], failures: string[] }.
 */
export async function crawl(page, startUrl, { maxPages = 60, expectLoggedIn = true } = {}) {
  const origin = new URL(startUrl).origin; // startUrl must be absolute

  // Pages of one shape (/courses/17, /courses/18, ...) share a template: one of each is checked,
  // so the crawl covers every kind of page without walking hundreds of citizens.
  const key = (u) => {
    const url = new URL(u);
    return `${url.pathname.replace(/\/\d+(?=\/|$)/g, "/:id")}${url.search}`;
  };

  const consoleProblems = [];
  const onConsole = (msg) => {
    if (msg.type() === "error" && /Content[ -]Security[ -]Policy/i.test(msg.text())) {
      consoleProblems.push(`CSP violation: ${msg.text().split(". ")[0]}`);
    }
  };
  const onPageError = (err) => consoleProblems.push(`uncaught JS error: ${err.message}`);
  page.on("console", onConsole);
  page.on("pageerror", onPageError);

  const start = new URL(startUrl).href;
  const queue = [{ url: start, from: "(start)" }];
  const seen = new Set([key(start)]); // links queued
  const checked = new Set(); // final URLs checked
  const visited = [];
  const failures = [];

  try {
    while (queue.length > 0 && visited.length < maxPages) {
      const { url, from } = queue.shift();
      consoleProblems.length = 0;
      let response;
      try {
        response = await page.goto(url, { waitUntil: "load" });
      } catch (err) {
        // A link that turns out to be a file download is not a page.
        if (/download is starting|net::ERR_ABORTED/i.test(String(err.message))) continue;
        failures.push(`${key(url)} (linked from ${from}): navigation failed: ${err.message.split("\n")[0]}`);
        continue;
      }
      const where = key(page.url());
      // Redirects can land on a page already checked (e.g. a language switch back to the start).
      if (checked.has(where)) continue;
      checked.add(where);
      visited.push(where);

      const status = response ? response.status() : 0;
      if (status >= 400) {
        failures.push(`${where} (linked from ${from}): HTTP ${status}`);
      }
      if (expectLoggedIn && isLoginUrl(page.url())) {
        failures.push(`${key(url)} (linked from ${from}): ended on the login page (session lost?)`);
        break;
      }
      const contentType = response?.headers()["content-type"] ?? "";
      if (!contentType.includes("text/html")) continue;

      for (const v of await axeViolations(page)) failures.push(`${where}: ${v}`);
      for (const p of consoleProblems) failures.push(`${where}: ${p}`);

      const links = await page.locator("a[href]").evaluateAll((anchors) =>
        anchors.map((a) => ({
          href: a.href,
          raw: a.getAttribute("href") ?? "",
          download: a.hasAttribute("download"),
          text: (a.textContent ?? "").trim(),
        })),
      );
      for (const link of links) {
        if (link.download || link.raw.startsWith("#") || link.raw === "") continue;
        if (LOGOUT_TEXT.test(link.text)) continue;
        let target;
        try {
          target = new URL(link.href);
        } catch {
          continue;
        }
        if (target.origin !== origin) continue;
        if (!/^https?:$/.test(target.protocol)) continue;
        if (target.pathname.startsWith("/static/")) continue;
        if (LOGOUT_PATH.test(target.pathname)) continue;
        if (NON_PAGE_EXT.test(target.pathname)) continue;
        target.hash = "";
        const k = key(target.href);
        if (seen.has(k)) continue;
        seen.add(k);
        queue.push({ url: target.href, from: where });
      }
    }
  } finally {
    page.off("console", onConsole);
    page.off("pageerror", onPageError);
  }
  return { visited, failures };
}
