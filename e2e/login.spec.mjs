// Login page behaviour: a wrong password is explained on the page; the UI switches to English.

import { expect, test } from "@playwright/test";

test("wrong password shows an error and keeps the typed username", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Brugernavn", { exact: true }).fill("paaroerende");
  await page.getByLabel("Adgangskode", { exact: true }).fill("not-the-password");
  await page.getByRole("button", { name: "Log ind", exact: true }).click();

  // Either an ARIA alert or the DKFDS error summary (which carries role="alert" itself).
  const error = page.getByRole("alert").or(page.locator('[data-module="error-summary"], .alert-error'));
  await expect(error.first()).toBeVisible();
  await expect(error.first()).not.toBeEmpty();

  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByLabel("Brugernavn", { exact: true })).toHaveValue("paaroerende");
  // A password is never sent back to the browser.
  await expect(page.getByLabel("Adgangskode", { exact: true })).toHaveValue("");
  await expect(page.getByRole("button", { name: "Log ud" })).toHaveCount(0);
});

test("the login page switches to English", async ({ page }) => {
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("lang", /^da/);
  await expect(page.getByLabel("Brugernavn", { exact: true })).toBeVisible();

  const english = page
    .getByRole("link", { name: "English" })
    .or(page.getByRole("button", { name: "English" }));
  await english.first().click();

  await expect(page.getByLabel("Username", { exact: true })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", /^en/);
});
