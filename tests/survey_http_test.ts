/**
 * The satisfaction survey over real HTTP: the admin turns it on, an agent
 * closes a web chat, the visitor's widget API shows the survey and takes one
 * answer; forged (another visitor's token, another conversation), bad
 * (out of range, wrong shape), duplicate, early and late answers get a clear
 * 4xx and change nothing. The staff API and the metrics report show the
 * answer.
 */
import assert from "node:assert/strict";
import { startTestApp, type TestApp } from "./helpers.ts";
import { call, session } from "./widget_api_helpers.ts";
import { keys } from "../lib/store/keys.ts";
import type { Conversation } from "../lib/domain/engine_types.ts";

/** A visitor writes, the supervisor picks the chat up and (optionally) closes it. */
async function chat(app: TestApp, boss: Awaited<ReturnType<TestApp["createStaff"]>>, close = true) {
  const token = await session(app);
  const sent = await call(app, "POST", "/api/v1/widget/messages", {
    token,
    body: { text: "Hello", clientId: crypto.randomUUID() },
  });
  assert.equal(sent.status, 201);
  const id: string = sent.body.conversation.id;
  const picked = await app.api("POST", `/api/v1/conversations/${id}/pickup`, { as: boss });
  assert.equal(picked.status, 200, JSON.stringify(picked.body));
  if (close) {
    const closed = await app.api("POST", `/api/v1/conversations/${id}/close`, {
      as: boss,
      body: { notes: "Sorted" },
    });
    assert.equal(closed.status, 200);
  }
  return { token, id };
}

const record = async (app: TestApp, id: string) =>
  (await app.kv.get<Conversation>(keys.conversation(id))).value!;

Deno.test("[survey] http: settings, the widget's survey, one answer, and every bad answer refused with nothing changed", async () => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    const boss = await app.createStaff("supervisor");
    await app.api("PUT", "/api/v1/me/status", { as: boss, body: { status: "online" } });

    // Settings: bad values refused, good ones kept.
    for (
      const bad of [{ surveyMode: "stars" }, { surveyWindowDays: 0 }, { surveyComment: "yes" }]
    ) {
      const r = await app.api("PUT", "/api/v1/admin/settings", { as: admin, body: bad });
      assert.equal(r.status, 400, JSON.stringify(bad));
    }
    const set = await app.api("PUT", "/api/v1/admin/settings", {
      as: admin,
      body: {
        surveyMode: "csat_nps",
        surveyComment: true,
        surveyWindowDays: 3,
        dynamicAssignment: false,
      },
    });
    assert.equal(set.status, 200);
    assert.equal(set.body.settings.surveyMode, "csat_nps");

    const open = await chat(app, boss, false);
    const { token, id } = await chat(app, boss);
    const other = await session(app);

    // The widget learns of the survey with the closed conversation.
    const listed = await call(app, "GET", "/api/v1/widget/messages", { token });
    assert.equal(listed.body.conversation.status, "closed");
    assert.equal(listed.body.conversation.survey.mode, "csat_nps");
    assert.equal(listed.body.conversation.survey.comment, true);
    assert.equal(listed.body.conversation.survey.answer, null);
    const closedEvent = listed.body.messages.find((m: { kind: string }) => m.kind === "closed");
    assert.deepEqual(closedEvent.data, { survey: { mode: "csat_nps", comment: true } });

    const before = await record(app, id);
    const bad: [string, { token?: string; body?: unknown; raw?: string }, number, string][] = [
      ["no token", { body: { conversationId: id, rating: "ok" } }, 401, "invalid_token"],
      [
        "another visitor",
        {
          token: other,
          body: { conversationId: id, rating: "ok" },
        },
        404,
        "not_found",
      ],
      [
        "unknown conversation",
        {
          token,
          body: { conversationId: "nope", rating: "ok" },
        },
        404,
        "not_found",
      ],
      ["still open", { token, body: { conversationId: open.id, rating: "ok" } }, 404, "not_found"],
      ["bad rating", { token, body: { conversationId: id, rating: "great" } }, 400, "invalid"],
      ["nps 11", { token, body: { conversationId: id, rating: "ok", nps: 11 } }, 400, "invalid"],
      ["nps -1", { token, body: { conversationId: id, rating: "ok", nps: -1 } }, 400, "invalid"],
      ["nps 7.5", { token, body: { conversationId: id, rating: "ok", nps: 7.5 } }, 400, "invalid"],
      ["nps text", { token, body: { conversationId: id, rating: "ok", nps: "9" } }, 400, "invalid"],
      [
        "long comment",
        {
          token,
          body: { conversationId: id, rating: "ok", comment: "x".repeat(1001) },
        },
        400,
        "invalid",
      ],
      [
        "extra field",
        {
          token,
          body: { conversationId: id, rating: "ok", agentId: "me" },
        },
        400,
        "invalid",
      ],
      ["not JSON", { token, raw: "{rating" }, 400, "malformed_json"],
    ];
    for (const [what, opts, status, code] of bad) {
      const r = await call(app, "POST", "/api/v1/widget/survey", opts);
      assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, code, what);
    }
    // The open chat's own visitor: no survey before the close.
    const early = await call(app, "POST", "/api/v1/widget/survey", {
      token: open.token,
      body: { conversationId: open.id, rating: "ok" },
    });
    assert.equal(early.status, 409);
    assert.equal(early.body.error.code, "no_survey");
    assert.deepEqual(await record(app, id), before, "nothing changed");

    // The answer, by keyboard or not, is stored once.
    const ok = await call(app, "POST", "/api/v1/widget/survey", {
      token,
      body: { conversationId: id, rating: "ko", nps: 4, comment: "Took too long" },
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(ok.body.survey.answer, { rating: "ko", nps: 4 });
    const again = await call(app, "POST", "/api/v1/widget/survey", {
      token,
      body: { conversationId: id, rating: "ok", nps: 10 },
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "survey_answered");
    const answered = await record(app, id);
    assert.equal(answered.csat?.rating, "ko");

    // Staff see it: on the conversation, in its history, and in the contact's history.
    const detail = await app.api("GET", `/api/v1/conversations/${id}`, { as: boss });
    assert.equal(detail.body.csat.rating, "ko");
    assert.equal(detail.body.csat.nps, 4);
    assert.equal(detail.body.csat.comment, "Took too long");
    // The visitor writes again: the new chat's "previous conversations" show the answer.
    const next = await call(app, "POST", "/api/v1/widget/messages", {
      token,
      body: { text: "Me again", clientId: crypto.randomUUID() },
    });
    const history = await app.api(
      "GET",
      `/api/v1/conversations/${next.body.conversation.id}/history`,
      { as: boss },
    );
    assert.equal(history.status, 200);
    const item = history.body.items.find((i: { conversation: { id: string } }) =>
      i.conversation.id === id
    );
    assert.equal(item.conversation.csat.rating, "ko");

    // The metrics report counts it (additive fields).
    const now = Date.now();
    const report = await app.api(
      "GET",
      `/api/v1/metrics?from=${new Date(now - 86_400_000).toISOString()}&to=${
        new Date(now + 3_600_000).toISOString()
      }&grain=h`,
      { as: admin },
    );
    assert.equal(report.status, 200, JSON.stringify(report.body));
    assert.deepEqual(report.body.total.csat, { ok: 0, ko: 1, okPercent: 0 });
    assert.equal(report.body.total.nps.count, 1);
    assert.equal(report.body.total.nps.average, 4);
    assert.equal(report.body.total.nps.detractors, 1);
    assert.equal(report.body.total.nps.score, -100);
  } finally {
    await app.shutdown();
  }
});

Deno.test("[survey] http: late answers (past the window, or after the visitor wrote again) are refused", async () => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    const boss = await app.createStaff("supervisor");
    await app.api("PUT", "/api/v1/me/status", { as: boss, body: { status: "online" } });
    await app.api("PUT", "/api/v1/admin/settings", {
      as: admin,
      body: {
        surveyMode: "csat",
        surveyComment: false,
        surveyWindowDays: 1,
        dynamicAssignment: false,
      },
    });

    // Written again: the new conversation closes the old survey.
    const { token, id } = await chat(app, boss);
    const next = await call(app, "POST", "/api/v1/widget/messages", {
      token,
      body: { text: "One more thing", clientId: crypto.randomUUID() },
    });
    assert.notEqual(next.body.conversation.id, id);
    const late = await call(app, "POST", "/api/v1/widget/survey", {
      token,
      body: { conversationId: id, rating: "ok" },
    });
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, "survey_closed");
    assert.equal((await record(app, id)).csat, null);

    // Past the window: the close was more than a day ago.
    const old = await chat(app, boss);
    const conv = await record(app, old.id);
    const past = new Date(Date.now() - 2 * 86_400_000).toISOString();
    await app.kv.set(keys.conversation(old.id), {
      ...conv,
      survey: {
        ...conv.survey!,
        offeredAt: past,
        expiresAt: new Date(Date.now() - 1).toISOString(),
      },
    });
    const tooLate = await call(app, "POST", "/api/v1/widget/survey", {
      token: old.token,
      body: { conversationId: old.id, rating: "ok" },
    });
    assert.equal(tooLate.status, 409);
    assert.equal(tooLate.body.error.code, "survey_closed");
    assert.equal((await record(app, old.id)).csat, null);
    // A comment this survey does not take.
    const fresh = await chat(app, boss);
    const comment = await call(app, "POST", "/api/v1/widget/survey", {
      token: fresh.token,
      body: { conversationId: fresh.id, rating: "ok", comment: "hi" },
    });
    assert.equal(comment.status, 400);
    assert.equal((await record(app, fresh.id)).csat, null);
  } finally {
    await app.shutdown();
  }
});

Deno.test("[survey] admin console: the settings page shows the survey settings and saves them", async () => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const page = await app.api("GET", "/admin/settings", { as: admin });
    assert.match(page.body, /Satisfaction survey/);
    assert.match(page.body, /<option value="off" selected/);
    const saved = await app.api("POST", "/admin/settings", {
      as: admin,
      rawBody: "maxChatsPerAgent=5&dynamicAssignment=on&heartbeatGraceSeconds=60" +
        "&requeueOnOffline=on&unansweredTimeoutSeconds=120&maxTransfersPerAgent=0" +
        "&surveyMode=csat_nps&surveyComment=on&surveyWindowDays=14",
      headers: form,
    });
    assert.equal(saved.status, 303);
    const got = await app.api("GET", "/api/v1/admin/settings", { as: admin });
    assert.equal(got.body.settings.surveyMode, "csat_nps");
    assert.equal(got.body.settings.surveyComment, true);
    assert.equal(got.body.settings.surveyWindowDays, 14);
    const bad = await app.api("POST", "/admin/settings", {
      as: admin,
      rawBody: "surveyMode=stars&surveyWindowDays=99",
      headers: form,
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /id="f-surveyMode-error"/);
    assert.match(bad.body, /id="f-surveyWindowDays-error"/);
    assert.equal(
      (await app.api("GET", "/api/v1/admin/settings", { as: admin })).body.settings.surveyMode,
      "csat_nps",
      "nothing changed",
    );
  } finally {
    await app.shutdown();
  }
});

Deno.test("[survey] http: an answer reaches webhook endpoints as csat.received, once", async () => {
  const app = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: "1" }); // the receiver is on loopback
  // deno-lint-ignore no-explicit-any
  const received: any[] = [];
  const receiver = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (r) => {
    received.push({ event: r.headers.get("x-parley-event"), body: await r.json() });
    return new Response("ok");
  });
  try {
    const admin = await app.createStaff("admin");
    const boss = await app.createStaff("supervisor");
    await app.api("PUT", "/api/v1/me/status", { as: boss, body: { status: "online" } });
    await app.api("PUT", "/api/v1/admin/settings", {
      as: admin,
      body: { surveyMode: "csat_nps", dynamicAssignment: false },
    });
    const hook = await app.api("POST", "/api/v1/admin/webhooks", {
      as: admin,
      body: {
        url: `http://127.0.0.1:${receiver.addr.port}/hook`,
        events: ["csat.received"],
      },
    });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    const { token, id } = await chat(app, boss);
    const answer = { conversationId: id, rating: "ok", nps: 8, comment: "Fine" };
    assert.equal(
      (await call(app, "POST", "/api/v1/widget/survey", { token, body: answer })).status,
      200,
    );
    assert.equal(
      (await call(app, "POST", "/api/v1/widget/survey", { token, body: answer })).status,
      409,
    );
    for (let i = 0; i < 600 && received.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(received.length, 1, "one event");
    const { event, body } = received[0];
    assert.equal(event, "csat.received");
    assert.equal(body.data.conversation.id, id);
    assert.equal(body.data.rating, 5);
    assert.equal(body.data.csat, "ok");
    assert.equal(body.data.nps, 8);
    assert.equal(body.data.comment, "Fine");
    assert.equal(body.data.channel, "webchat");
  } finally {
    await app.shutdown();
    await receiver.shutdown();
  }
});
