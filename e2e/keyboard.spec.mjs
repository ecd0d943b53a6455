// The login journey works with the keyboard alone (WCAG 2.1.1), and a skip link comes first (2.4.1).

import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD } from "./helpers.mjs";

const MAX_TABS = 40;

/** Presses Tab until `locator` has focus; fails after MAX_TABS presses. */
async function tabTo(page, locator, what) {
  for (let i = 0; i < MAX_TABS; i++) {
    if (await locator.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  await expect(locator, `${what} should be reachable with Tab`).toBeFocused();
}

test("first Tab focuses the skip link, and it leads into the main content", async ({ page }) => {
  await page.goto("/login");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Gå til indhold" });
  await expect(skip).toBeFocused();

  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  const focusInMain = await page.evaluate(() => {
    const main = document.querySelector("main");
    return !!main && main.contains(document.activeElement) && document.activeElement !== main;
  });
  expect(focusInMain, "after the skip link, the next Tab should land inside <main>").toBe(true);
});

test("log in as koordinator with the keyboard only", async ({ page }) => {
  await page.goto("/login");

  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Gå til indhold" })).toBeFocused();

  const username = page.getByLabel("Brugernavn", { exact: true });
  await tabTo(page, username, "the username field");
  await page.keyboard.type("koordinator");

  const password = page.getByLabel("Adgangskode", { exact: true });
  await tabTo(page, password, "the password field");
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press("Enter");

  await expect(page).not.toHaveURL(/\/login\/?(\?.*)?$/);
  await expect(page.getByRole("button", { name: "Log ud" }).first()).toBeVisible();
});
