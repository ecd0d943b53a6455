// Consents in two browsers: the coordinator records an oral consent on the course, the citizen
// sees it in plain words on their own page and withdraws it, and the coordinator's next look
// shows it withdrawn. axe-core checks each page.

import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, login } from "./helpers.mjs";

test("a consent is recorded by the team and withdrawn by the citizen", async ({ browser, baseURL }) => {
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
  await staff.getByRole("link", { name: "Samtykker til deling af oplysninger" }).click();
  await expect(staff.getByRole("heading", { level: 1, name: "Samtykker" })).toBeVisible();
  await expectNoAxeViolations(staff);

  // Without a category: refused by the field.
  const consentForm = () => staff.locator('form[enctype="multipart/form-data"]');
  await consentForm().getByLabel("Holstebro Kommune", { exact: true }).check();
  await consentForm().getByLabel("Mundtligt", { exact: true }).check();
  await consentForm().getByRole("button", { name: "Registrér samtykket" }).click();
  await expect(staff.getByRole("alert").first()).toContainText("Vælg mindst én slags oplysninger");
  await expectNoAxeViolations(staff);
  await consentForm().getByLabel("Beskæftigelse", { exact: true }).check();
  await consentForm().getByLabel("Vidne (kræves ved mundtligt samtykke)").fill("Bente fra bostøtten");
  await consentForm().getByRole("button", { name: "Registrér samtykket" }).click();
  await expect(staff.getByRole("status").first()).toContainText("Samtykket er registreret.");
  const recorded = staff.getByRole("listitem").filter({ hasText: "Holstebro Kommune må se: Beskæftigelse" });
  await expect(recorded).toContainText("Gælder nu");

  await citizen.getByRole("link", { name: "Se og træk mine samtykker tilbage" }).click();
  const mine = citizen.getByRole("listitem").filter({ hasText: "Holstebro Kommune må se: Beskæftigelse" });
  await expect(mine).toContainText("Mundtligt");
  await expectNoAxeViolations(citizen);
  await mine.getByRole("button", { name: /Træk samtykket tilbage/ }).click();
  await expect(citizen.getByRole("status").first()).toContainText("Samtykket er trukket tilbage.");
  await expect(
    citizen.getByRole("listitem").filter({ hasText: "Holstebro Kommune må se: Beskæftigelse" }),
  ).toContainText("Trukket tilbage");
  await citizen.close();

  await staff.reload();
  await expect(
    staff.getByRole("listitem").filter({ hasText: "Holstebro Kommune må se: Beskæftigelse" }),
  ).toContainText("Trukket tilbage");
  await staff.close();
});

test("when the citizen withdraws, the professional's next request no longer shows the plan", async ({
  browser,
  baseURL,
}) => {
  const newPage = async () => (await browser.newContext({ baseURL, locale: "da-DK" })).newPage();
  const citizen = await newPage();
  await login(citizen, "borger");
  const cpr = (await citizen.getByRole("row", { name: /CPR-nummer/ }).getByRole("cell").textContent()).trim();

  // The region's professional is on the team and sees the plan through the citizen's consent.
  const professional = await newPage();
  await login(professional, "fagperson");
  await professional.getByRole("link", { name: "Find borger" }).first().click();
  await professional.getByLabel("Navn eller CPR-nummer").fill(cpr);
  await professional.getByRole("button", { name: "Søg" }).click();
  await professional.getByRole("table").getByRole("link", { name: /Åbn forløb/ }).click();
  await professional.getByRole("link", { name: "Se den fælles plan" }).click();
  await expect(professional.getByRole("heading", { level: 2, name: "Mål" })).toBeVisible();

  // The citizen withdraws every consent that lets the region see the plan.
  await citizen.getByRole("link", { name: "Se og træk mine samtykker tilbage" }).click();
  const regional = () =>
    citizen
      .getByRole("listitem")
      .filter({ hasText: "Region Midtjylland" })
      .filter({ hasText: "Planen" })
      .filter({ has: citizen.getByRole("button", { name: /Træk samtykket tilbage/ }) });
  while ((await regional().count()) > 0) {
    await regional().first().getByRole("button", { name: /Træk samtykket tilbage/ }).click();
    await expect(citizen.getByRole("status").first()).toContainText("Samtykket er trukket tilbage.");
  }
  await citizen.close();

  await professional.reload();
  await expect(professional.getByText("Planen er ikke delt med din organisation")).toBeVisible();
  await expect(professional.getByRole("heading", { level: 2, name: "Mål" })).toHaveCount(0);
  await expectNoAxeViolations(professional);
  await professional.close();
});
