/**
 * Business hours and offline messages over real HTTP (issue 16, item 4): the
 * admin API sets the default and a team's hours (bad input: 400 naming the
 * field, nothing changed); the widget's session and availability answers say
 * whether someone is there (hours off: always; on: out of hours, or nobody
 * Online in the team the site routes to); an offline message opens a Pending
 * chat marked as such, with the email on the contact; a bad email is a 400 and
 * nothing is created.
 */
import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";
import { call, session } from "./widget_api_helpers.ts";
import { createSite } from "../lib/store/sites.ts";
import type { BusinessHours } from "../lib/domain/business_hours.ts";
import { closedToday } from "./business_hours_fixtures.ts";
import { createTeam } from "../lib/store/teams.ts";
import { updateAgent } from "../lib/store/agents.ts";

const ALL_DAY = { from: "00:00", to: "24:00" };
const always: BusinessHours = {
  enabled: true,
  timeZone: "Europe/Berlin",
  weekly: {
    mon: [ALL_DAY],
    tue: [ALL_DAY],
    wed: [ALL_DAY],
    thu: [ALL_DAY],
    fri: [ALL_DAY],
    sat: [ALL_DAY],
    sun: [ALL_DAY],
  },
  holidays: [],
};
Deno.test("[hours] http: the widget learns whether someone is there; offline messages arrive marked", async (t) => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    const agent = await app.createStaff("agent", { name: "Ana" });
    const supervisor = await app.createStaff("supervisor");
    const team = await createTeam(app.engine, { name: "Billing" }, admin.agent);
    const teamSite = await createSite(app.engine, { name: "Billing site", teamId: team.id });
    const availability = async (siteKey?: string) => {
      const res = await call(
        app,
        "GET",
        `/api/v1/widget/availability${siteKey ? `?siteKey=${siteKey}` : ""}`,
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.availability;
    };

    await t.step("hours off (a fresh install): always open, whoever is Online", async () => {
      const res = await call(app, "POST", "/api/v1/widget/sessions", { body: {} });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.availability, {
        open: true,
        reason: null,
        opensAt: null,
        timeZone: null,
      });
    });

    await t.step(
      "admin API: bad hours are a 400 naming the field, and change nothing",
      async () => {
        const bad = await app.api("PUT", "/api/v1/admin/business-hours", {
          as: admin,
          body: { hours: { ...always, timeZone: "Mars/Olympus" } },
        });
        assert.equal(bad.status, 400);
        assert.match(bad.body.error.details.fields["hours.timeZone"], /Unknown time zone/);
        const forbidden = await app.api("PUT", "/api/v1/admin/business-hours", {
          as: supervisor,
          body: { hours: always },
        });
        assert.equal(forbidden.status, 403);
        const now = await app.api("GET", "/api/v1/admin/business-hours", { as: admin });
        assert.equal(now.body.default.enabled, false, "still off");
        const unknown = await app.api("PUT", "/api/v1/admin/teams/nope/business-hours", {
          as: admin,
          body: { hours: always },
        });
        assert.equal(unknown.status, 404);
      },
    );

    await t.step(
      "hours on, open, nobody Online: closed with nobody_online; someone comes Online: open",
      async () => {
        const put = await app.api("PUT", "/api/v1/admin/business-hours", {
          as: admin,
          body: { hours: always },
        });
        assert.equal(put.status, 200, JSON.stringify(put.body));
        assert.deepEqual(await availability(), {
          open: false,
          reason: "nobody_online",
          opensAt: null,
          timeZone: "Europe/Berlin",
        });
        await app.api("PUT", "/api/v1/me/status", { as: agent, body: { status: "online" } });
        assert.equal((await availability()).open, true, "anyone Online, for a site without a team");
        // Ana is in no team: the Billing site's team has nobody.
        assert.equal((await availability(teamSite.siteKey)).reason, "nobody_online");
        await updateAgent(app.engine, agent.agent.id, { teamId: team.id });
        assert.equal((await availability(teamSite.siteKey)).open, true);
      },
    );

    await t.step(
      "a team's own hours win over the default; out of hours says when they open",
      async () => {
        const put = await app.api("PUT", `/api/v1/admin/teams/${team.id}/business-hours`, {
          as: admin,
          body: { hours: closedToday() },
        });
        assert.equal(put.status, 200, JSON.stringify(put.body));
        const closed = await availability(teamSite.siteKey);
        assert.equal(closed.open, false);
        assert.equal(closed.reason, "closed_hours");
        assert.ok(Date.parse(closed.opensAt) > Date.now(), closed.opensAt);
        const res = await call(app, "POST", `/api/v1/widget/sessions?siteKey=${teamSite.siteKey}`, {
          body: { siteKey: teamSite.siteKey },
        });
        assert.equal(res.body.availability.reason, "closed_hours", "the session says it too");
        assert.equal((await availability()).open, true, "the default still applies elsewhere");
        const back = await app.api("PUT", `/api/v1/admin/teams/${team.id}/business-hours`, {
          as: admin,
          body: { hours: null },
        });
        assert.equal(back.status, 200);
        assert.equal(
          (await availability(teamSite.siteKey)).open,
          true,
          "follows the default again",
        );
        const audit = await app.api("GET", "/api/v1/admin/audit", { as: admin });
        assert.ok(
          audit.body.items.filter((e: { action: string }) => e.action === "hours.updated").length >=
            3,
          "every change is audited",
        );
      },
    );

    await t.step("a bad email is a 400 naming it, and nothing is created", async () => {
      const token = await session(app);
      for (
        const [body, field] of [
          [{ text: "Call me", email: "not-an-email", clientId: "o1" }, "email"],
          [{ text: "Call me", email: "", clientId: "o2" }, "email"],
          [{ text: "   ", email: "ann@example.com", clientId: "o3" }, "text"],
          [{ text: "Call me", clientId: "o4" }, "email"],
        ] as const
      ) {
        const res = await call(app, "POST", "/api/v1/widget/offline-messages", { token, body });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.ok(res.body.error.details.fields[field], JSON.stringify(res.body.error));
      }
      const pending = await app.api("GET", "/api/v1/conversations?status=pending", {
        as: supervisor,
      });
      assert.equal(pending.body.items.length, 0, "no chat was opened");
      const mine = await call(app, "GET", "/api/v1/widget/messages", { token });
      assert.equal(mine.body.conversation, null, "the visitor has no conversation");
    });

    await t.step(
      "an offline message opens a Pending chat marked as one, the email on the contact",
      async () => {
        await app.api("PUT", "/api/v1/me/status", { as: agent, body: { status: "offline" } });
        const token = await session(app, teamSite.siteKey);
        const res = await call(
          app,
          "POST",
          `/api/v1/widget/offline-messages?siteKey=${teamSite.siteKey}`,
          {
            token,
            body: {
              text: "Please call me back about invoice 42.",
              email: " ann@example.com ",
              name: "Ann",
              clientId: "off-1",
            },
          },
        );
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.conversation.status, "pending");
        assert.equal(res.body.conversation.offlineMessage, true);
        assert.equal(res.body.conversation.queuePosition, null, "no place: it waits for an email");
        const again = await call(
          app,
          "POST",
          `/api/v1/widget/offline-messages?siteKey=${teamSite.siteKey}`,
          {
            token,
            body: {
              text: "Please call me back about invoice 42.",
              email: "ann@example.com",
              clientId: "off-1",
            },
          },
        );
        assert.equal(again.status, 201);
        assert.equal(again.body.message.id, res.body.message.id, "a retried send is stored once");
        const pending = await app.api("GET", "/api/v1/conversations?status=pending", {
          as: supervisor,
        });
        assert.equal(pending.body.items.length, 1);
        const item = pending.body.items[0];
        assert.equal(item.offlineMessage, true);
        assert.equal(item.teamId, team.id, "on the site's team queue");
        assert.equal(item.contact.email, "ann@example.com");
        assert.equal(item.contact.name, "Ann");
      },
    );
  } finally {
    await app.shutdown();
  }
});
