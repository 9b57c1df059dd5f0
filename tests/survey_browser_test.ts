/**
 * The satisfaction survey as people see it, in real Chromium: an agent
 * closes a web chat in the workspace, the visitor's widget shows the survey
 * (from the on-demand module), the visitor answers with the keyboard only,
 * and the agent sees the answer arrive in the conversation's history. No
 * serious accessibility violations in the survey; a reload thanks instead of
 * asking again.
 */
import assert from "node:assert/strict";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { pendingConversation, startHost, until, widget } from "./widget_host.ts";
import { live, log, openAs, seriousViolations } from "./workspace_helpers.ts";
import { createSite } from "../lib/store/sites.ts";

Deno.test("[survey] browser: the agent closes, the widget asks, the visitor answers by keyboard, the agent sees it", async () => {
  const app = await startTestApp();
  const host = startHost(app);
  const browser = await launchBrowser();
  try {
    const admin = await app.createStaff("admin");
    const settings = await app.api("PUT", "/api/v1/admin/settings", {
      as: admin,
      body: { surveyMode: "csat_nps", surveyComment: true, dynamicAssignment: false },
    });
    assert.equal(settings.status, 200);
    const site = await createSite(app.engine, {
      name: "Survey shop",
      allowedOrigins: [host.origin],
    });
    const sam = await app.createStaff("supervisor", { name: "Sam Agent" });

    // The visitor writes from the shop.
    const visitorCtx = await browser.newContext();
    const page = await visitorCtx.newPage();
    page.on("pageerror", (e) => console.error("[visitor] page error:", e.message));
    await page.goto(host.url({ siteKey: site.siteKey }));
    const w = widget(page);
    await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
    await w.launcher.click();
    await w.input.fill("My order never came");
    await w.input.press("Enter");
    const conv = await pendingConversation(app, sam);
    await app.api("PUT", "/api/v1/me/status", { as: sam, body: { status: "busy" } });
    const picked = await app.api("POST", `/api/v1/conversations/${conv.id}/pickup`, { as: sam });
    assert.equal(picked.status, 200, JSON.stringify(picked.body));

    // The agent closes it in the workspace.
    const agent = await openAs(browser, app.url, sam);
    await agent.page.goto(`${app.url}/?c=${conv.id}`);
    await live(agent.page);
    await log(agent.page).getByText("My order never came").waitFor();
    await agent.page.getByRole("button", { name: "Close chat" }).click();
    const wrapUp = agent.page.getByRole("form", { name: "Wrap-up" });
    await wrapUp.getByLabel("Notes").fill("Reshipped the order");
    await wrapUp.getByRole("button", { name: "Close with this wrap-up" }).click();
    await until("closed", async () => {
      const r = await app.api("GET", `/api/v1/conversations/${conv.id}`, { as: sam });
      return r.body.status === "closed";
    });

    // The widget asks, in place of the composer; focus moved into the survey.
    const survey = page.getByRole("form", { name: "How was this conversation?" });
    await survey.waitFor();
    assert.equal(await w.input.isVisible(), false, "no composer on a closed chat");
    assert.deepEqual(await seriousViolations(page), [], "the survey");
    const good = survey.getByRole("radio", { name: /Good/ });
    await good.and(page.locator(":focus")).waitFor();

    // The agent keeps the closed conversation open to see the answer arrive.
    await agent.page.goto(`${app.url}/?c=${conv.id}`);
    await live(agent.page);
    await log(agent.page).getByText("Reshipped the order").or(
      log(agent.page).getByText("The conversation was closed."),
    ).first().waitFor();

    // Keyboard only: Space picks Good; Tab to the score, arrows to 9; Tab to the comment; Enter sends.
    await page.keyboard.press("Space");
    assert.equal(await good.isChecked(), true);
    await page.keyboard.press("Tab");
    for (let i = 0; i < 9; i++) await page.keyboard.press("ArrowRight");
    assert.equal(await survey.getByRole("radio", { name: "9", exact: true }).isChecked(), true);
    await page.keyboard.press("Tab");
    await page.keyboard.type("Fast and friendly");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "Thank you for your feedback!" }).waitFor();
    await survey.waitFor({ state: "detached" });

    // Stored once, as given; the agent sees it in the history, live.
    const stored = await app.api("GET", `/api/v1/conversations/${conv.id}`, { as: sam });
    assert.equal(stored.body.csat.rating, "ok");
    assert.equal(stored.body.csat.nps, 9);
    assert.equal(stored.body.csat.comment, "Fast and friendly");
    await log(agent.page).getByText(
      "Satisfaction: Good (OK), recommend score 9/10. Comment: “Fast and friendly”",
    ).waitFor();

    // A reload thanks instead of asking again.
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
    if (!(await w.log.isVisible())) await w.launcher.click();
    await page.getByText("Thank you for your feedback!").first().waitFor();
    assert.equal(await survey.count(), 0, "not asked twice");
    assert.deepEqual(await seriousViolations(page), [], "after the answer");
  } finally {
    await browser.close();
    await host.shutdown();
    await app.shutdown();
  }
});
