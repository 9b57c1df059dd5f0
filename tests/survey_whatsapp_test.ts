/**
 * The satisfaction survey on WhatsApp, end to end against the fake Graph API
 * (which checks interactive payloads as Meta does): the close sends reply
 * buttons within the customer's 24-hour window, the customer's tap is taken
 * (once; a repeat, a forged tap from another number and a redelivered
 * webhook change nothing and open no conversation), the score question
 * follows and the typed score is stored; outside the window nothing is sent.
 */
import assert from "node:assert/strict";
import { eventually, startWhatsAppTestApp } from "./whatsapp_helpers.ts";
import { buttonReplyBody, sentAt, textBody, wamid } from "./whatsapp_fixtures.ts";
import { SCORE_QUESTION, SURVEY_QUESTION } from "../lib/domain/survey_whatsapp.ts";
import type { TestApp } from "./helpers.ts";
import type { RecordedRequest } from "./fake_graph.ts";

// deno-lint-ignore no-explicit-any
type Body = any;
const sendBody = (r: RecordedRequest) => r.body as Body;

async function conversationOf(app: TestApp, as: Parameters<TestApp["api"]>[2], waId: string) {
  return await eventually(async () => {
    for (const status of ["pending", "active", "closed"]) {
      const list = await app.api("GET", `/api/v1/conversations?status=${status}`, as);
      const found = list.body.items.find((c: Body) => c.contact?.whatsappId === waId);
      if (found) return found;
    }
    return null;
  }, `a conversation of ${waId}`);
}

Deno.test("[survey] whatsapp: reply buttons on close, the tap and the typed score taken once; outside the window nothing is sent", async () => {
  const wa = await startWhatsAppTestApp();
  const { app, graph } = wa;
  try {
    const admin = await app.createStaff("admin");
    const sam = await app.createStaff("supervisor", { name: "Sam" });
    const as = { as: sam };
    await app.api("PUT", "/api/v1/admin/settings", {
      as: admin,
      body: { surveyMode: "csat_nps", dynamicAssignment: false },
    });
    await app.api("PUT", "/api/v1/me/status", { as: sam, body: { status: "busy" } });

    // A customer writes; Sam takes the chat and closes it.
    const olivia = { waId: "447700900555", name: "Olivia" };
    assert.equal((await wa.postWebhook(textBody(olivia, "Where is my parcel?"))).status, 200);
    const conv = await conversationOf(app, as, olivia.waId);
    assert.equal(
      (await app.api("POST", `/api/v1/conversations/${conv.id}/pickup`, as)).status,
      200,
    );
    const closed = await app.api("POST", `/api/v1/conversations/${conv.id}/close`, {
      as: sam,
      body: { notes: "Parcel found" },
    });
    assert.equal(closed.status, 200);

    // The buttons go out, in Meta's shape (the fake refuses anything else).
    const buttons = await graph.waitForRequest(
      (r) => sendBody(r)?.type === "interactive" && sendBody(r).to === olivia.waId,
      "the survey buttons",
    );
    assert.deepEqual(sendBody(buttons), {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: olivia.waId,
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: SURVEY_QUESTION },
        action: {
          buttons: [
            { type: "reply", reply: { id: `parley_csat:${conv.id}:ok`, title: "👍 Good" } },
            { type: "reply", reply: { id: `parley_csat:${conv.id}:ko`, title: "👎 Bad" } },
          ],
        },
      },
    });
    // The agent sees in the history that it went, and that Meta took it.
    await eventually(async () => {
      const log = await app.api("GET", `/api/v1/conversations/${conv.id}/messages`, as);
      const sent = log.body.items.find((m: Body) => m.kind === "survey_sent");
      return sent?.delivery?.status === "sent";
    }, "the survey entry marked sent");

    // A tap on Good: taken; the score question follows.
    const tap = buttonReplyBody(olivia, `parley_csat:${conv.id}:ok`, "👍 Good");
    assert.equal((await wa.postWebhook(tap)).status, 200);
    await eventually(async () => {
      const d = await app.api("GET", `/api/v1/conversations/${conv.id}`, as);
      return d.body.csat?.rating === "ok";
    }, "the rating stored");
    await graph.waitForRequest(
      (r) => sendBody(r)?.type === "text" && sendBody(r).text?.body === SCORE_QUESTION,
      "the score question",
    );

    // The typed score: stored on the answer, not a new conversation.
    const score = textBody(olivia, "9", wamid());
    assert.equal((await wa.postWebhook(score)).status, 200);
    await eventually(async () => {
      const d = await app.api("GET", `/api/v1/conversations/${conv.id}`, as);
      return d.body.csat?.nps === 9;
    }, "the score stored");
    // Redelivered webhooks, a second tap, and a forged tap from another number: nothing changes.
    assert.equal((await wa.postWebhook(score)).status, 200);
    assert.equal((await wa.postWebhook(tap)).status, 200);
    assert.equal(
      (await wa.postWebhook(buttonReplyBody(olivia, `parley_csat:${conv.id}:ko`, "👎 Bad")))
        .status,
      200,
    );
    const mallory = { waId: "447700900666", name: "Mallory" };
    assert.equal(
      (await wa.postWebhook(buttonReplyBody(mallory, `parley_csat:${conv.id}:ko`, "👎 Bad")))
        .status,
      200,
    );
    // A message after them all shows the inbox drained past them.
    assert.equal((await wa.postWebhook(textBody(olivia, "Thanks again!"))).status, 200);
    const next = await eventually(async () => {
      const list = await app.api("GET", "/api/v1/conversations?status=pending", as);
      return list.body.items.find((c: Body) => c.contact?.whatsappId === olivia.waId);
    }, "the customer's next conversation");
    assert.notEqual(next.id, conv.id);
    const after = await app.api("GET", `/api/v1/conversations/${conv.id}`, as);
    assert.deepEqual(
      [after.body.csat.rating, after.body.csat.nps, after.body.csat.comment],
      ["ok", 9, null],
    );
    const nextLog = await app.api("GET", `/api/v1/conversations/${next.id}/messages`, as);
    assert.deepEqual(
      nextLog.body.items.filter((m: Body) => m.author.type === "customer").map((m: Body) => m.text),
      ["Thanks again!"],
      "no survey answer became a message",
    );
    const pending = await app.api("GET", "/api/v1/conversations?status=pending", as);
    assert.equal(
      pending.body.items.filter((c: Body) => c.contact?.whatsappId === mallory.waId).length,
      0,
      "the forged tap opened nothing",
    );

    // Outside the window: the customer's last message is 25 hours old; the close sends nothing.
    const noah = { waId: "447700900777", name: "Noah" };
    const old = sentAt(
      textBody(noah, "Hello from yesterday"),
      Math.floor(Date.now() / 1000) - 25 * 3600,
    );
    assert.equal((await wa.postWebhook(old)).status, 200);
    const late = await conversationOf(app, as, noah.waId);
    await app.api("POST", `/api/v1/conversations/${late.id}/pickup`, as);
    await app.api("POST", `/api/v1/conversations/${late.id}/close`, {
      as: sam,
      body: { notes: "Too late for a reply" },
    });
    const lateLog = await app.api("GET", `/api/v1/conversations/${late.id}/messages`, as);
    const note = lateLog.body.items.find((m: Body) => m.kind === "survey_not_sent");
    assert.match(note.text, /24-hour WhatsApp window is closed/);
    // Nothing went to Noah: a later send to Olivia proves the queue ran past the close.
    await app.api("POST", `/api/v1/conversations/${next.id}/pickup`, as);
    await app.api("POST", `/api/v1/conversations/${next.id}/messages`, {
      as: sam,
      body: { text: "You're welcome!", clientId: "after-noah" },
    });
    await graph.waitForRequest((r) => sendBody(r)?.text?.body === "You're welcome!", "the reply");
    assert.equal(graph.sends().filter((r) => sendBody(r).to === noah.waId).length, 0);
  } finally {
    await wa.shutdown();
  }
});

Deno.test("[survey] whatsapp: the fake Graph API refuses reply buttons Meta would refuse", async () => {
  const wa = await startWhatsAppTestApp();
  try {
    const send = async (interactive: unknown) => {
      const res = await fetch(`${wa.graph.url}/v21.0/106540352242922/messages`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: "Bearer EAAG-test-access-token",
        },
        body: JSON.stringify({
          messaging_product: "whatsapp",
          to: "447700900555",
          type: "interactive",
          interactive,
        }),
      });
      return { status: res.status, body: await res.json() };
    };
    const button = (id: string, title: string) => ({ type: "reply", reply: { id, title } });
    const withButtons = (buttons: unknown[]) => ({
      type: "button",
      body: { text: "How was it?" },
      action: { buttons },
    });
    for (
      const bad of [
        withButtons([]),
        withButtons([button("a", "1"), button("b", "2"), button("c", "3"), button("d", "4")]),
        withButtons([button("a", "A title far longer than twenty")]),
        withButtons([button("a", "Same"), button("b", "Same")]),
        withButtons([button("", "Empty id")]),
        { type: "button", body: { text: "" }, action: { buttons: [button("a", "OK")] } },
      ]
    ) {
      const r = await send(bad);
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.equal(r.body.error.code, 131009);
    }
    assert.equal((await send(withButtons([button("a", "👍 Good")]))).status, 200);
  } finally {
    await wa.shutdown();
  }
});
