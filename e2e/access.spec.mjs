// "Who looked at my data": a coordinator opens the citizen's course, and the citizen then sees
// that read on their own page, with the coordinator's name and the reason. axe-core checks it.

import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, login } from "./helpers.mjs";

test("the citizen sees a read made a moment ago by a named professional", async ({ browser, baseURL }) => {
  const newPage = async () => (await browser.newContext({ baseURL, locale: "da-DK" })).newPage();
  const citizen = await newPage();
  await login(citizen, "borger");
  const cpr = (await citizen.getByRole("row", { name: /CPR-nummer/ }).getByRole("cell").textContent()).trim();

  const staff = await newPage();
  await login(staff, "koordinator");
  await staff.getByRole("link", { name: "Find borger" }).first().click();
  await staff.getByLabel("Navn eller CPR-nummer").fill(cpr);
  await staff.getByRole("button", { name: "Søg" }).click();
  await staff.getByRole("table").getByRole("link", { name: /Åbn forløb/ }).click();
  await expect(staff.getByRole("heading", { level: 1 })).toBeVisible();
  const staffName = "Karen Kjær Jensen";
  await staff.close();

  await citizen.getByRole("link", { name: "Hvem har set mine oplysninger" }).click();
  await expect(citizen.getByRole("heading", { level: 1, name: "Hvem har set mine oplysninger" })).toBeVisible();
  const newest = citizen.getByRole("row").filter({ hasText: staffName }).filter({ hasText: "Dit forløb" }).first();
  await expect(newest).toContainText("Medlem af dit team");
  await expect(newest).toContainText("Læst");
  await expectNoAxeViolations(citizen);

  // A period that does not hold together is refused by the field.
  await citizen.getByLabel("Fra og med").fill("2026-06-01");
  await citizen.getByLabel("Til og med").fill("2026-01-01");
  await citizen.getByRole("button", { name: "Vis" }).click();
  await expect(citizen.getByRole("alert").first()).toContainText("Slutdatoen ligger før startdatoen");
  await expectNoAxeViolations(citizen);
  await citizen.close();
});
