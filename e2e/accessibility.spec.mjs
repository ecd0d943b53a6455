// axe-core finds no WCAG 2.1 A/AA violations on any page a user can reach by following links.
//
// For the anonymous visitor and for every demo user: log in, screenshot the landing page into
// e2e/artifacts/, then crawl breadth-first over same-origin links (at most MAX_PAGES pages) and
// run axe on each page. All problems are collected and reported together at the end.

import { expect, test } from "@playwright/test";
import { DEMO_USERS, crawl, expectNoAxeViolations, login, saveScreenshot } from "./helpers.mjs";

const MAX_PAGES = Number(process.env.E2E_MAX_PAGES ?? 60);

test.describe.configure({ mode: "parallel" });

function report(who, { visited, failures }) {
  const header = `${who}: ${failures.length} problem(s) on ${visited.length} page(s) visited`;
  return `${header}\n  ${failures.join("\n  ")}\n visited:\n  ${visited.join("\n  ")}`;
}

test("anonymous: /login and the pages it links to", async ({ page, baseURL }) => {
  test.setTimeout(10 * 60_000);
  const response = await page.goto("/login");
  expect(response?.status()).toBe(200);
  await expect(page.getByLabel("Brugernavn", { exact: true })).toBeVisible();
  await saveScreenshot(page, "landing-anonymous");

  const result = await crawl(page, new URL("/login", baseURL).href, {
    maxPages: MAX_PAGES,
    expectLoggedIn: false,
  });
  expect(result.visited.length).toBeGreaterThan(0);
  expect(result.failures, report("anonymous", result)).toEqual([]);
});

test("anonymous: an unknown path renders the 404 page", async ({ page }) => {
  const response = await page.goto("/does-not-exist");
  expect(response?.status()).toBe(404);
  expect(response?.headers()["content-type"] ?? "").toContain("text/html");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await saveScreenshot(page, "not-found");
  await expectNoAxeViolations(page);
});

for (const username of DEMO_USERS) {
  test(`${username}: landing page and every page reachable from it`, async ({ page }) => {
    test.setTimeout(10 * 60_000);
    await login(page, username);
    const landing = page.url();
    await saveScreenshot(page, `landing-${username}`);

    const result = await crawl(page, landing, { maxPages: MAX_PAGES, expectLoggedIn: true });
    expect(result.visited.length).toBeGreaterThan(0);
    expect(result.failures, report(username, result)).toEqual([]);
  });
}
