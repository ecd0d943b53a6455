// Fælles Team: the meeting leader writes in the shared template and the citizen, logged in on
// their own device in another browser, sees the text within a second, without a reload (SSE).
// Then axe checks every meeting page both of them use.

import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, login } from "./helpers.mjs";

/** The citizen's first upcoming case on /me/meetings (the demo puts one on the next meeting). */
async function upcomingCase(citizen) {
  await citizen.goto("/me/meetings");
  const upcoming = citizen.locator('h2:has-text("Kommende og igangværende møder") + ul a').first();
  const href = await upcoming.getAttribute("href");
  expect(href, "the demo citizen has an upcoming case").toMatch(/^\/me\/meetings\/\d+$/);
  return href.split("/").pop();
}

test("the citizen follows the leader's writing live, within a second", async ({ browser }) => {
  const leaderContext = await browser.newContext();
  const citizenContext = await browser.newContext();
  try {
    const citizen = await citizenContext.newPage();
    await login(citizen, "borger");
    const caseId = await upcomingCase(citizen);
    await citizen.goto(`/me/meetings/${caseId}`);
    const live = citizen.locator("#case-live");
    await expect(live).toBeVisible();
    // The stream is open once htmx's SSE extension has its EventSource connected.
    await expect
      .poll(() => citizen.evaluate(() => document.querySelector("#case-live")?.["htmx-internal-data"]?.sseEventSource?.readyState))
      .toBe(1);
    // A marker that a reload would wipe out.
    await citizen.evaluate(() => {
      window.broNoReload = true;
    });

    const leader = await leaderContext.newPage();
    await login(leader, "moedeleder");
    await leader.goto(`/cases/${caseId}`);
    const wishes = leader.getByLabel("Borgerens egne mål og ønsker", { exact: true });
    const text = `Vil gerne i praktik i en genbrugsbutik (${Date.now()})`;
    await wishes.fill(text);
    const typed = Date.now();
    await expect(live).toContainText(text, { timeout: 1000 });
    const latency = Date.now() - typed;
    test.info().annotations.push({ type: "live latency", description: `${latency} ms` });
    expect(await citizen.evaluate(() => window.broNoReload)).toBe(true);
    // The leader's own field reports the save.
    await expect(leader.locator(".field-saved").nth(1)).toContainText("Gemt af");

    // A second change arrives too: the stream keeps going after the first event.
    await wishes.fill(`${text} og bo tæt på familien`);
    await expect(live).toContainText("og bo tæt på familien", { timeout: 1000 });
    expect(await citizen.evaluate(() => window.broNoReload)).toBe(true);
  } finally {
    await leaderContext.close();
    await citizenContext.close();
  }
});

test("every meeting page passes axe for the leader and the citizen", async ({ browser }) => {
  const leaderContext = await browser.newContext();
  const citizenContext = await browser.newContext();
  try {
    const citizen = await citizenContext.newPage();
    await login(citizen, "borger");
    const caseId = await upcomingCase(citizen);
    await expectNoAxeViolations(citizen);
    await citizen.goto(`/me/meetings/${caseId}`);
    await expectNoAxeViolations(citizen);

    const leader = await leaderContext.newPage();
    await login(leader, "moedeleder");
    await leader.goto(`/cases/${caseId}`);
    await expectNoAxeViolations(leader);
    const meetingHref = await leader.locator('a[href^="/meetings/"]').first().getAttribute("href");
    const teamHref = await leader.locator('a[href^="/teams/"]').first().getAttribute("href");
    for (const path of [`/cases/${caseId}/screen`, meetingHref, teamHref, "/teams"]) {
      const response = await leader.goto(path);
      expect(response?.status(), path).toBe(200);
      await expectNoAxeViolations(leader);
    }
  } finally {
    await leaderContext.close();
    await citizenContext.close();
  }
});
