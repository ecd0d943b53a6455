// Break the glass in the browser: a coordinator from another municipality, not on the
// citizen's team, takes emergency access with a reason; the course opens with a warning, and
// the citizen is told on their own page. axe-core checks each page.

import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, login } from "./helpers.mjs";

test("emergency access is taken with a reason and the citizen is told", async ({ browser, baseURL }) => {
  const newPage = async () => (await browser.newContext({ baseURL, locale: "da-DK" })).newPage();
  const citizen = await newPage();
  await login(citizen, "borger");
  const cpr = (await citizen.getByRole("row", { name: /CPR-nummer/ }).getByRole("cell").textContent()).trim();

  const outsider = await newPage();
  await login(outsider, "koordinator-rks");
  await outsider.getByRole("link", { name: "Find borger" }).first().click();
  await outsider.getByLabel("Navn eller CPR-nummer").fill(cpr);
  await outsider.getByRole("button", { name: "Søg" }).click();
  await expect(outsider.getByRole("table")).toContainText("du er ikke på teamet");
  await outsider.getByRole("table").getByRole("link", { name: /Nødadgang/ }).click();
  await expect(outsider.getByRole("heading", { level: 1 })).toHaveText("Nødadgang til borgerens forløb");
  await expectNoAxeViolations(outsider);
  await outsider.getByRole("button", { name: "Få nødadgang" }).click();
  await expect(outsider.getByRole("alert").first()).toContainText("Skriv mindst 20 tegn");
  await outsider.getByLabel("Akut krise: borgeren henvender sig eller bringes ind").check();
  const reason = "Borgeren er fundet forvirret på gaden i Ringkøbing";
  await outsider.getByLabel("Begrundelse for nødadgangen").fill(reason);
  await outsider.getByRole("button", { name: "Få nødadgang" }).click();
  await expect(outsider.getByText("Du ser forløbet med nødadgang")).toBeVisible();
  await expectNoAxeViolations(outsider);
  await outsider.close();

  await citizen.reload();
  await expect(citizen.getByRole("heading", { name: "Nødadgang til dine oplysninger" })).toBeVisible();
  await expect(citizen.getByText(reason).first()).toBeVisible();
  await expectNoAxeViolations(citizen);
  await citizen.close();
});
