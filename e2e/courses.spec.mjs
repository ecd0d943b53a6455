// The coordinator's journey through a course: find it, read the team, add a member (first with
// a mistake the page explains), and check every state of the page with axe.

import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, login } from "./helpers.mjs";

test("a coordinator opens a course and adds a team member", async ({ page }) => {
  await login(page, "koordinator");
  await page.getByRole("link", { name: "Mine forløb" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Mine forløb" })).toBeVisible();
  await expectNoAxeViolations(page);

  // Open the first course in the list.
  await page.getByRole("table").getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 2, name: "Team omkring borgeren" })).toBeVisible();
  await expectNoAxeViolations(page);

  // Submit the member form without a contact route: the page says what is missing.
  const form = page.locator('form[action$="/members"]');
  await form.getByLabel("Medarbejder").selectOption({ index: 1 });
  await form.getByLabel("Rolle i forløbet").selectOption("nurse");
  await form.getByRole("button", { name: "Tilføj til team" }).click();
  await expect(page.getByRole("alert").first()).toContainText("Angiv telefon eller sikker mail");
  await expectNoAxeViolations(page);

  // Fix it and save.
  const retry = page.locator('form[action$="/members"]');
  await retry.getByLabel("Telefon").fill("96 11 75 00");
  await retry.getByLabel("Hvornår (fx hverdage 8-15)").fill("Hverdage 8-15");
  await retry.getByRole("button", { name: "Tilføj til team" }).click();
  await expect(page.getByRole("status").first()).toContainText("Personen er tilføjet teamet.");
  await expect(page.getByText("Tilføjet til team").first()).toBeVisible();
});

test("a coordinator finds a citizen by name", async ({ page }) => {
  await login(page, "koordinator");
  await page.getByRole("link", { name: "Find borger" }).first().click();
  await expectNoAxeViolations(page);
  await page.getByLabel("Navn eller CPR-nummer").fill("x");
  await page.getByRole("button", { name: "Søg" }).click();
  await expect(page.getByRole("alert").first()).toContainText("Skriv mindst to bogstaver");
  await expectNoAxeViolations(page);
  // The beginning of a family name, as a caseworker types it ("Jensen", among the demo's).
  await page.getByLabel("Navn eller CPR-nummer").fill("jens");
  await page.getByRole("button", { name: "Søg" }).click();
  await expect(page.getByRole("heading", { name: "Resultater" })).toBeVisible();
  await expect(page.getByRole("table")).toBeVisible();
  await expectNoAxeViolations(page);
});
