// The directory of offers in three browsers: Holstebro's administrator changes the waiting
// time and the opening hours of the MPO places; the coordinator, who follows them, sees the
// notice and the change in plain words; an anonymous visitor finds the Rusmiddelcenter at
// /tilbud by searching "rusmiddel", and next to them Struer's offers, imported from its own
// directory's open data, read-only. The coordinator chooses e-mails of changes on the account
// page. axe-core checks every page of the directory.

import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, login } from "./helpers.mjs";

const MPO = "Midlertidige psykiatriske omsorgspladser, Skovvang";

test("an editor changes an offer, a follower is told, a visitor finds offers", async ({ browser, baseURL }) => {
  const newPage = async () => (await browser.newContext({ baseURL, locale: "da-DK" })).newPage();

  const editor = await newPage();
  await login(editor, "admin-holstebro");
  await editor.getByRole("link", { name: "Mine enheders tilbud" }).first().click();
  await expectNoAxeViolations(editor);
  await editor.getByRole("link", { name: MPO }).click();
  await expectNoAxeViolations(editor);
  await editor.getByRole("link", { name: "Redigér tilbud" }).click();
  await expectNoAxeViolations(editor);
  await editor.getByLabel("Mandag").fill("8 til 15");
  await editor.getByRole("button", { name: "Gem" }).click();
  await expect(editor.getByRole("alert").first()).toContainText("Skriv tidsrum som 08:00-15:00");
  await expectNoAxeViolations(editor);
  await editor.getByLabel("Mandag").fill("07:00-15:00");
  await editor.getByLabel("Ventetid i uger").fill("2");
  await editor.getByLabel("Markér som vigtig ændring").check();
  await editor.getByRole("button", { name: "Gem" }).click();
  await expect(editor.getByRole("status").first()).toContainText("Tilbuddet er gemt som en ny version.");
  await editor.close();

  const coordinator = await newPage();
  await login(coordinator, "koordinator");
  await coordinator.getByRole("link", { name: "Beskeder" }).first().click();
  await expectNoAxeViolations(coordinator);
  await coordinator.getByRole("link", { name: `Tilbuddet ${MPO} er ændret.` }).first().click();
  await expect(coordinator.getByRole("heading", { level: 1 })).toHaveText("Versioner og ændringer");
  await expect(coordinator.locator("#changes")).toContainText("Ventetid i uger ændret fra 0 til 2");
  await expect(coordinator.locator("#changes")).toContainText("Åbningstider ændret fra Mandag 08:00–15:00");
  await expectNoAxeViolations(coordinator);
  // The coordinator also chooses an e-mail for each change (sent once an address is saved).
  await coordinator.goto("/account");
  await coordinator.getByLabel("Send mig en e-mail ved hver ændring i et tilbud, jeg følger").check();
  await coordinator.getByRole("button", { name: "Gem valg" }).click();
  await expect(coordinator.getByRole("status").first()).toContainText("Du får nu en e-mail ved hver ændring");
  await expect(coordinator.getByLabel("Send mig en e-mail ved hver ændring i et tilbud, jeg følger")).toBeChecked();
  await expectNoAxeViolations(coordinator);
  await coordinator.close();

  const visitor = await newPage();
  await visitor.goto("/tilbud");
  await expectNoAxeViolations(visitor);
  await visitor.getByLabel('Søg i tilbud (fx "rusmiddel")').fill("rusmiddel");
  await visitor.getByRole("button", { name: "Søg" }).click();
  await expect(visitor.getByRole("link", { name: "Rusmiddelcenter Holstebro, ambulant behandling" })).toBeVisible();
  await expectNoAxeViolations(visitor);
  await visitor.getByRole("link", { name: "Rusmiddelcenter Holstebro, ambulant behandling" }).click();
  await expect(visitor.getByRole("heading", { level: 1 })).toContainText("Rusmiddelcenter Holstebro");
  await expect(visitor.getByRole("button", { name: "Følg tilbuddet" })).toHaveCount(0);
  await expectNoAxeViolations(visitor);
  // Struer's offers come from its own directory (HSDS open data): shown apart, read-only.
  await visitor.goBack();
  await expect(visitor.getByRole("heading", { name: "Fra andre kataloger" })).toBeVisible();
  await visitor.locator("#external-offers").getByRole("link", { name: "Rusmiddelrådgivningen Struer" }).click();
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText("Rusmiddelrådgivningen Struer");
  await expect(visitor.getByRole("note")).toContainText("kan ikke ændres eller følges i Bro");
  await expectNoAxeViolations(visitor);
  await visitor.close();
});
