// Hospital events in the browser: the coordinator sees the ward's alert of the demo citizen's
// discharge (and of the readmission before it) under Beskeder, follows it to the course, finds the admission and the discharge on
// the timeline, the readmission counted, and books the follow-up; Mine forløb flags the
// readmission and the citizens in hospital now. The administrator makes a client token for a
// message broker (shown once). axe-core checks every page on the way.

import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, login } from "./helpers.mjs";

const WARD = "Regionspsykiatrien Gødstrup, Afsnit P1";

test("the coordinator is alerted of a discharge, opens the course and books the follow-up", async ({ page }) => {
  test.slow();
  await login(page, "koordinator");
  await page.getByRole("link", { name: /^Beskeder/ }).first().click();
  await expectNoAxeViolations(page);
  const alert = page.getByRole("link", { name: new RegExp(`er udskrevet fra ${WARD}`) }).first();
  await expect(alert).toBeVisible();
  // The readmission was told as such when it began.
  await expect(page.getByRole("link", { name: new RegExp(`er genindlagt inden for 30 dage efter en udskrivning: ${WARD}`) }).first()).toBeVisible();
  await alert.click();
  await expect(page.locator("#hospital")).toContainText("Genindlæggelser de seneste 12 måneder: 1");
  const timeline = page.locator("ol").filter({ hasText: `Udskrevet: ${WARD}` });
  await expect(timeline).toContainText(`Indlagt: ${WARD}`);
  await expect(timeline).toContainText(`Tilbage fra orlov: ${WARD}`);
  await expect(page.locator("#hospital")).toContainText("Opfølgning efter udskrivningen fra");
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Opfølgningen er booket" }).click();
  await expect(page.getByRole("status").first()).toContainText("Opfølgningen er markeret som booket.");
  await expect(page.locator("#hospital")).not.toContainText("book den senest");
  await expectNoAxeViolations(page);

  await page.getByRole("link", { name: "Mine forløb" }).first().click();
  await expect(page.getByRole("table")).toContainText("1 genindlæggelse på 12 måneder");
  await expect(page.getByRole("table")).toContainText("Indlagt nu");
  await expect(page.getByRole("table")).toContainText("På orlov");
  await expectNoAxeViolations(page);

  // A ward without MedCom: the coordinator registers an acute contact by hand.
  await page.goBack();
  await page.getByRole("link", { name: "Registrér indlæggelse, orlov eller udskrivning i hånden" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Registrér en hændelse fra sygehuset");
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Registrér" }).click();
  await expect(page.getByRole("alert").first()).toContainText("Vælg en værdi på listen");
  await expectNoAxeViolations(page);
  const now = new Date(Date.now() - 60 * 60 * 1000);
  const local = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Copenhagen", dateStyle: "short", timeStyle: "short" })
    .format(now)
    .split(" ");
  await page.getByLabel("Hvad er sket?").selectOption("admit_emergency");
  await page.getByLabel("Dato").fill(local[0]);
  await page.getByLabel("Klokkeslæt (tt:mm)").fill(local[1].slice(0, 5));
  await page.getByLabel("Afsnit (ved indlæggelse)").fill("Akutmodtagelsen, Gødstrup");
  await page.getByRole("button", { name: "Registrér" }).click();
  await expect(page.getByRole("status").first()).toContainText("Hændelsen er registreret.");
  await expect(page.locator("#hospital")).toContainText("Akutmodtagelsen, Gødstrup");
});

test("the administrator makes a client token for a message broker", async ({ page }) => {
  await login(page, "admin-holstebro");
  await page.getByRole("link", { name: "Sygehusbeskeder" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Beskeder fra sygehuset");
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Lav adgangsnøgle" }).click();
  await expect(page.getByRole("alert").first()).toContainText("Feltet skal udfyldes");
  await expectNoAxeViolations(page);
  await page.getByLabel("Systemets navn").fill("Regionens beskedformidler");
  await page.getByRole("button", { name: "Lav adgangsnøgle" }).click();
  await expect(page.locator("#client-token")).toHaveText(/^[A-Za-z0-9_-]{43}$/);
  await expect(page.locator("#client-endpoint")).toContainText("/api/medcom/hospital-notifications");
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: /^Tilbagekald/ }).first().click();
  await expect(page.getByRole("status").first()).toContainText("Adgangsnøglen er tilbagekaldt");
  await expectNoAxeViolations(page);
});
