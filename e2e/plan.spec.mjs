// The coordinated plan in the browser: the coordinator writes the citizen's goal and a shared
// goal (each save a new version), then the citizen reads the plan and adds a goal in their own
// words. axe-core checks each page on the way.

import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, login } from "./helpers.mjs";

test("coordinator writes the plan, the citizen reads it and adds a goal", async ({ browser, baseURL }) => {
  // Each person in their own browser context (own cookies), as on two devices.
  const newPage = async () => (await browser.newContext({ baseURL, locale: "da-DK" })).newPage();
  // Who is the demo citizen? Their own page shows their name and CPR number.
  const who = await newPage();
  await login(who, "borger");
  const greeting = await who.getByRole("heading", { level: 1 }).textContent();
  const name = greeting.replace(/^Velkommen,\s*/, "").trim();
  const cpr = (await who.getByRole("row", { name: /CPR-nummer/ }).getByRole("cell").textContent()).trim();
  await who.close();

  const staff = await newPage();
  await login(staff, "koordinator");
  await staff.getByRole("link", { name: "Find borger" }).first().click();
  await staff.getByLabel("Navn eller CPR-nummer").fill(cpr);
  await staff.getByRole("button", { name: "Søg" }).click();
  await staff.getByRole("table").getByRole("link", { name: /Åbn forløb/ }).click();
  await staff.getByRole("link", { name: "Se den fælles plan" }).click();
  await expect(staff.getByRole("heading", { level: 1 })).toContainText("Fælles plan for");
  await expectNoAxeViolations(staff);

  const goalForm = staff.locator('form[action$="/plan/goals"]');
  await goalForm.getByLabel("Borgerens eget mål, med borgerens egne ord").check();
  await goalForm.getByLabel("Målet").fill("Jeg vil cykle til arbejde igen");
  await goalForm.getByLabel("Livsområde").selectOption("work_education");
  await goalForm.getByRole("button", { name: "Tilføj mål" }).click();
  await expect(staff.getByRole("status").first()).toContainText("Planen er gemt som en ny version.");
  await expect(staff.locator("blockquote", { hasText: "Jeg vil cykle til arbejde igen" })).toBeVisible();

  // An empty goal is refused by the field.
  await staff.locator('form[action$="/plan/goals"]').getByRole("button", { name: "Tilføj mål" }).click();
  await expect(staff.getByRole("alert").first()).toContainText("Feltet skal udfyldes");
  await expectNoAxeViolations(staff);

  // Progress on the citizen's goal: the team writes it, the citizen's words stay untouched.
  await staff
    .locator("li", { hasText: "Jeg vil cykle til arbejde igen" })
    .getByRole("link", { name: /Se målet og skriv fremskridt/ })
    .click();
  await expect(staff.getByText("Kun borgeren kan ændre det")).toBeVisible();
  await staff.getByLabel("Hvordan går det med målet?").fill("Har lånt en cykel af sin bror");
  await staff.getByRole("button", { name: "Gem fremskridt" }).click();
  await expect(staff.getByRole("status").first()).toContainText("Planen er gemt");
  await expect(staff.getByText("Har lånt en cykel af sin bror")).toBeVisible();
  await expectNoAxeViolations(staff);
  await staff.getByRole("link", { name: "Tilbage til planen" }).click();

  await staff.getByRole("link", { name: "Versioner og ændringer" }).first().click();
  await expect(staff.getByRole("heading", { level: 1, name: "Versioner og ændringer" })).toBeVisible();
  await expectNoAxeViolations(staff);
  await staff.close();

  const citizen = await newPage();
  await login(citizen, "borger");
  await expect(citizen.getByRole("heading", { name: "Min plan" })).toBeVisible();
  await expect(citizen.locator("blockquote", { hasText: "Jeg vil cykle til arbejde igen" })).toBeVisible();
  await expect(citizen.getByText("Har lånt en cykel af sin bror")).toBeVisible();
  await expectNoAxeViolations(citizen);
  await citizen.getByLabel("Målet").fill("Jeg vil kunne gå til fodbold med min søn");
  await citizen.getByRole("button", { name: "Tilføj mit mål" }).click();
  await expect(citizen.getByRole("status").first()).toContainText("Planen er gemt");
  await expect(citizen.locator("blockquote", { hasText: "Jeg vil kunne gå til fodbold med min søn" })).toBeVisible();
  // The plan to take home: a PDF download named without personal data.
  const [download] = await Promise.all([
    citizen.waitForEvent("download"),
    citizen.getByRole("link", { name: "Hent min plan som PDF" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^min-plan-v\d+\.pdf$/);
  const pdf = fs.readFileSync(await download.path());
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  // The citizen rewords their own goal.
  await citizen.getByRole("link", { name: /Ret mit mål.*fodbold/ }).click();
  await expectNoAxeViolations(citizen);
  await citizen.getByLabel("Målet").fill("Jeg vil gå til fodbold med min søn hver lørdag");
  await citizen.getByRole("button", { name: "Gem mit mål" }).click();
  await expect(citizen.locator("blockquote", { hasText: "Jeg vil gå til fodbold med min søn hver lørdag" })).toBeVisible();
  await citizen.getByRole("button", { name: "Jeg er enig i planen" }).click();
  await expect(citizen.getByText(/Du har sagt, at du er enig i version \d+\./)).toBeVisible();
  await citizen.close();
});
