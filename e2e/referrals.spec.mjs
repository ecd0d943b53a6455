// Referral and visitation in three browsers: the GP refers the demo citizen to the MPO places
// at Skovvang from the citizen's course; the function leader finds it in the unit's queue,
// accepts it with a reason and a legal basis, books a bed, writes the extended collaboration
// agreement and reviews it from the next review meeting's agenda; the citizen reads the decision and the days of the place in plain
// Danish. Then the outreach effort: the coordinator records a contact with a worsening and
// refers from it to a care place, the reason taken from the contact; a visitor sees the
// outreach staff's attendance time on the drop-in centre's public page.
// axe-core checks every page on the way.

import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, login } from "./helpers.mjs";

const MPO = "Midlertidige psykiatriske omsorgspladser, Skovvang";

test("the GP refers the citizen to MPO, the function leader accepts, the citizen sees it", async ({ browser, baseURL }) => {
  // Three people, a dozen pages and an axe run on each: more than the default minute on 2 cores.
  test.slow();
  const newPage = async () => (await browser.newContext({ baseURL, locale: "da-DK" })).newPage();
  const who = await newPage();
  await login(who, "borger");
  const greeting = await who.getByRole("heading", { level: 1 }).textContent();
  const name = greeting.replace(/^Velkommen,\s*/, "").trim();
  const cpr = (await who.getByRole("row", { name: /CPR-nummer/ }).getByRole("cell").textContent()).trim();
  await who.close();

  const gp = await newPage();
  await login(gp, "laege");
  await gp.getByRole("link", { name: "Find borger" }).first().click();
  await gp.getByLabel("Navn eller CPR-nummer").fill(cpr);
  await gp.getByRole("button", { name: "Søg" }).click();
  await gp.getByRole("table").getByRole("link", { name: /Åbn forløb/ }).click();
  await gp.getByRole("link", { name: "Henvisninger" }).last().click();
  await expect(gp.getByRole("heading", { level: 1 })).toHaveText("Henvisninger");
  await expectNoAxeViolations(gp);
  await gp.getByRole("button", { name: "Find tilbud til borgeren" }).click();
  await gp.getByRole("link", { name: `Henvis borgeren til ${MPO}` }).click();
  await expect(gp.getByRole("heading", { level: 1 })).toHaveText("Ny henvisning");
  await expectNoAxeViolations(gp);
  await gp.getByRole("button", { name: "Send henvisning" }).click();
  await expect(gp.getByRole("alert").first()).toContainText("Feltet skal udfyldes");
  await expectNoAxeViolations(gp);
  await gp.getByLabel("Hvorfor henvises borgeren?").fill("Forværring; kan ikke klare sig hjemme lige nu");
  await gp.getByLabel("Borgerens egne ønsker (med borgerens ord)").fill("Jeg vil gerne sove ordentligt igen");
  await gp.getByLabel("Hvor meget haster det?").selectOption("urgent");
  await gp.getByLabel("Ja, borgeren har sagt ja til, at henvisningen sendes").check();
  await gp.getByRole("button", { name: "Send henvisning" }).click();
  await expect(gp.getByRole("status").first()).toContainText("Henvisningen er gemt.");
  await expect(gp.locator("#referral-status")).toHaveText("Sendt");
  await expectNoAxeViolations(gp);
  await gp.close();

  const leader = await newPage();
  await login(leader, "funktionsleder");
  await leader.getByRole("link", { name: "Henvisninger" }).first().click();
  await expect(leader.getByRole("heading", { level: 1 })).toHaveText("Henvisninger til min enhed");
  await expectNoAxeViolations(leader);
  await leader.locator("#referral-queue").getByRole("link", { name }).first().click();
  await expect(leader.getByRole("heading", { level: 1 })).toContainText(name);
  await expectNoAxeViolations(leader);
  const accept = leader.locator("form", { has: leader.getByRole("button", { name: "Accepter henvisningen" }) });
  await accept.getByLabel("Begrundelse eller note").fill("I målgruppen; seng fra i morgen");
  await accept.getByLabel("Lovgrundlag").selectOption("serviceloven_107");
  await accept.getByRole("button", { name: "Accepter henvisningen" }).click();
  await expect(leader.locator("#referral-status")).toHaveText("Accepteret");
  await expect(leader.locator("#referral-decision")).toContainText("I målgruppen; seng fra i morgen");
  await expectNoAxeViolations(leader);
  // A bed for the usual 6–8 weeks from the day chosen; the unit's page counts it.
  await leader.getByLabel("Seng", { exact: true }).selectOption({ label: "Seng 1" });
  await leader.getByRole("button", { name: "Book pladsen" }).click();
  await expect(leader.getByRole("status").first()).toContainText("Pladsen er booket.");
  await expect(leader.locator("#stay")).toContainText("Seng 1");
  await expectNoAxeViolations(leader);
  // The extended collaboration agreement at enrolment, then its review at the next
  // every-second-Wednesday meeting, scored on the seven principles.
  await leader.getByLabel("Mål for opholdet (fra planens mål)").fill("Ro og søvn, og en plan for bolig");
  await leader.getByRole("button", { name: "Gem aftalen" }).click();
  await expect(leader.getByRole("status").first()).toContainText("Aftalen er gemt som en ny version.");
  await expect(leader.locator("#agreement-text")).toContainText("Ro og søvn, og en plan for bolig");
  await expectNoAxeViolations(leader);
  // The stay is on the agenda of the unit's next review meeting; the review is written from it.
  await leader.getByRole("link", { name: "Omsorgspladser" }).first().click();
  await expect(leader.locator("#agenda")).toContainText(name);
  await leader.getByRole("link", { name: "Åbn mødet" }).click();
  const onAgenda = leader.locator("#stay-reviews li", { hasText: name });
  await expect(onAgenda).toContainText("Seng 1");
  await expectNoAxeViolations(leader);
  await onAgenda.getByRole("link", { name: "Skriv gennemgangen" }).click();
  for (let k = 0; k < 7; k++) await leader.locator(`select[name="p${k}"]`).selectOption("4");
  await leader.getByRole("button", { name: "Gem gennemgangen" }).click();
  await expect(leader.locator("#agreement-versions")).toContainText("4 · 4 · 4 · 4 · 4 · 4 · 4");
  await expectNoAxeViolations(leader);
  await leader.getByRole("link", { name: "Omsorgspladser" }).first().click();
  await expect(leader.locator("#waiting")).toContainText(name);
  await expectNoAxeViolations(leader);
  await leader.close();

  const citizen = await newPage();
  await login(citizen, "borger");
  await citizen.getByRole("link", { name: "Mine henvisninger" }).first().click();
  await expect(citizen.getByText("MPO Holstebro har sagt ja til dig.")).toBeVisible();
  await expect(citizen.getByText(/Du har en plads fra/)).toBeVisible();
  await expect(citizen.getByText("Er du uenig i afgørelsen, kan du klage.").first()).toBeVisible();
  await expectNoAxeViolations(citizen);
  await citizen.close();
});

test("an outreach contact with a worsening leads to a care place; attendance times are public", async ({ browser, baseURL }) => {
  const newPage = async () => (await browser.newContext({ baseURL, locale: "da-DK" })).newPage();
  const who = await newPage();
  await login(who, "borger");
  const cpr = (await who.getByRole("row", { name: /CPR-nummer/ }).getByRole("cell").textContent()).trim();
  await who.close();

  const staff = await newPage();
  await login(staff, "koordinator");
  await staff.getByRole("link", { name: "Find borger" }).first().click();
  await staff.getByLabel("Navn eller CPR-nummer").fill(cpr);
  await staff.getByRole("button", { name: "Søg" }).click();
  await staff.getByRole("table").getByRole("link", { name: /Åbn forløb/ }).click();
  await staff.getByRole("link", { name: "Opsøgende kontakter" }).click();
  await expect(staff.getByRole("heading", { level: 1 })).toHaveText("Opsøgende kontakter");
  await expectNoAxeViolations(staff);
  await staff.getByLabel("Hvor", { exact: true }).selectOption("street");
  await staff.getByLabel("Hvad skete der?").fill("Mødt ved banegården, meget forvirret");
  await staff.getByLabel("Kontakten viste en forværring").check();
  await staff.getByRole("button", { name: "Gem kontakten" }).click();
  await expect(staff.getByRole("status").first()).toContainText("Kontakten er gemt.");
  await expectNoAxeViolations(staff);
  await staff.getByRole("link", { name: "Henvis til en omsorgsplads" }).first().click();
  await expect(staff.getByLabel("Hvorfor henvises borgeren?")).toHaveValue(/Forværring ved opsøgende kontakt: Mødt ved banegården/);
  await expectNoAxeViolations(staff);
  await staff.close();

  const visitor = await newPage();
  await visitor.goto("/tilbud?q=m%C3%B8llen");
  await visitor.getByRole("link", { name: "Værestedet Møllen" }).first().click();
  await expect(visitor.locator("#attendance")).toContainText("Tirsdag 10:00–12:00 (MPO Holstebro)");
  await visitor.close();
});
