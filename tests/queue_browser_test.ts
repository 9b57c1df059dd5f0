/**
 * The queue as a waiting visitor sees it (issue 16, item 5), in real Chromium
 * on a host page of another origin: the place and the estimated wait appear
 * after the first message and change live, over the widget's socket, as the
 * chats ahead are picked up; they go once an agent has the chat.
 */
import assert from "node:assert/strict";
import { launchBrowser, startTestApp, type TestApp } from "./helpers.ts";
import { createSite } from "../lib/store/sites.ts";
import { keys } from "../lib/store/keys.ts";
import { bucketStart } from "../lib/store/engine/metrics.ts";
import { AXE_PATH, startHost, until, widget } from "./widget_host.ts";

/** A visitor of the default site writes (over the widget API, as its widget would). */
async function visitorWrites(app: TestApp, text: string): Promise<string> {
  const session = await app.api("POST", "/api/v1/widget/sessions", { body: {} });
  assert.equal(session.status, 200, JSON.stringify(session.body));
  const sent = await app.api("POST", "/api/v1/widget/messages", {
    body: { text, clientId: crypto.randomUUID() },
    headers: { authorization: `Bearer ${session.body.visitorToken}` },
  });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  return sent.body.conversation.id;
}

Deno.test("[queue] browser: the widget shows its place and estimated wait, live as the chats ahead are picked up", async () => {
  const app = await startTestApp();
  const host = startHost(app);
  const browser = await launchBrowser();
  try {
    // The last hour's pickups, as the engine's counters hold them: 6 chats, each waited 250 s.
    // (An hour with so few pickups moves one every 7.5 min or more, so the mean wait, 250 s, is
    // what a place costs: 3 places = 750 s, "about 13 min".) The pickups below count too.
    const hour = bucketStart(Date.now(), "h");
    await app.kv.atomic()
      .sum(keys.metric("all", "h", hour, "picked_up"), 6n)
      .sum(keys.metric("all", "h", hour, "pickup_ms"), 6n * 250_000n)
      .commit();
    const site = await createSite(app.engine, { name: "Shop", allowedOrigins: [host.origin] });
    const sam = await app.createStaff("supervisor", { name: "Sam Agent" });
    await app.api("PUT", "/api/v1/me/status", { as: sam, body: { status: "busy" } });
    const first = await visitorWrites(app, "First in line");
    const second = await visitorWrites(app, "Second in line");

    const page = await browser.newPage();
    await page.goto(host.url({ siteKey: site.siteKey }));
    const w = widget(page);
    await w.launcher.click();
    await w.input.fill("Is anyone there?");
    await w.input.press("Enter");
    const line = page.getByRole("status");
    await line.getByText(
      "You are number 3 in the queue. Estimated wait: about 13 min.",
      { exact: true },
    ).waitFor();
    await page.getByText("Waiting for an agent…", { exact: true }).waitFor();

    const axe = await Deno.readTextFile(AXE_PATH);
    await page.evaluate(axe);
    // deno-lint-ignore no-explicit-any
    const result: any = await page.evaluate(() =>
      // deno-lint-ignore no-explicit-any
      (window as any).axe.run(document, { resultTypes: ["violations"] })
    );
    const serious = result.violations.filter((v: { impact: string }) =>
      v.impact === "serious" || v.impact === "critical"
    ).map((v: { id: string }) => v.id);
    assert.deepEqual(serious, [], "axe: no serious violations with the queue line shown");

    // The chats ahead are picked up: the line follows without a reload (live frames). Each
    // pickup (a few ms of wait) joins the stats: 7 pickups, mean 214 s, 2 places = 429 s;
    // then 8 pickups, mean 188 s, 1 place.
    const pickup = async (id: string) => {
      const res = await app.api("POST", `/api/v1/conversations/${id}/pickup`, { as: sam });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    };
    await pickup(first);
    await line.getByText(
      "You are number 2 in the queue. Estimated wait: about 8 min.",
      { exact: true },
    ).waitFor();
    await pickup(second);
    await line.getByText(
      "You are number 1 in the queue. Estimated wait: about 4 min.",
      { exact: true },
    ).waitFor();

    // Its own turn: the line goes, the agent's name shows.
    const mine = await until("the visitor's chat in the queue", async () => {
      const res = await app.api("GET", "/api/v1/conversations?status=pending", { as: sam });
      return res.body.items?.[0]?.id as string | undefined;
    });
    await pickup(mine);
    await page.getByText("You are chatting with Sam Agent.").waitFor();
    await page.getByText("You are number 1 in the queue.", { exact: false }).waitFor({
      state: "hidden",
    });
  } finally {
    await browser.close();
    await host.shutdown();
    await app.shutdown();
  }
});
