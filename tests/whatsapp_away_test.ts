/**
 * WhatsApp out of hours (issue 16, item 4), against the Graph-API-shaped fake
 * on loopback: a customer who writes out of hours gets one away reply per
 * conversation (saying when the hours open), sent through the outbound job
 * and shown in the log; more messages, a redelivered webhook and racing
 * drains send nothing more; within hours nothing is sent; the chat waits in
 * the queue either way.
 */
import assert from "node:assert/strict";

import { closedToday } from "./business_hours_fixtures.ts";
import { setDefaultHours } from "../lib/store/business_hours.ts";
import { findContact, getOpenConversation } from "../lib/store/engine/records.ts";
import { listMessagesForStaff } from "../lib/store/engine/messages.ts";
import { sendAwayReply } from "../lib/store/engine/away_reply.ts";
import { eventually, startWhatsAppTestApp } from "./whatsapp_helpers.ts";
import { textBody } from "./whatsapp_fixtures.ts";

const textsTo = (sends: { body: unknown }[], waId: string) =>
  sends.filter((s) => (s.body as { to?: string }).to === waId)
    .map((s) => (s.body as { text?: { body?: string } }).text?.body ?? "");

Deno.test("[hours] whatsapp: one away reply per conversation out of hours, none within hours", async () => {
  const wa = await startWhatsAppTestApp();
  const { app, graph } = wa;
  try {
    const admin = await app.createStaff("admin");
    await setDefaultHours(app.engine, closedToday(), admin.agent);

    const first = textBody({ waId: "15550002222", name: "Kim" }, "Are you open?");
    assert.equal((await wa.postWebhook(first)).status, 200);
    await wa.postWebhook(first); // Meta redelivers the same message
    const sent = await eventually(() => {
      const texts = textsTo(graph.sends(), "15550002222");
      return Promise.resolve(texts.length ? texts : null);
    }, "the away reply at the fake Graph API");
    assert.match(sent[0], /We are closed right now/);
    assert.match(sent[0], /We open again \w+day \d\d:\d\d \(Europe\/Berlin time\)/);

    const contact = await findContact(app.kv, "whatsapp", "15550002222");
    const conv = await getOpenConversation(app.kv, contact!.id, "whatsapp");
    assert.equal(conv!.status, "pending", "the chat still waits for the team");
    // Racing attempts (two drains at once) and a second customer message: still one.
    await Promise.all([
      sendAwayReply(app.engine, conv!.id, "again?"),
      sendAwayReply(app.engine, conv!.id, "again?"),
    ]);
    assert.equal((await wa.postWebhook(textBody({ waId: "15550002222" }, "Hello?"))).status, 200);
    const log = await eventually(async () => {
      const l = await listMessagesForStaff(app.kv, conv!.id);
      return l.some((m) => m.text === "Hello?") ? l : null;
    }, "the second message stored");
    const away = log.filter((m) => m.author.name === "Away reply");
    assert.equal(away.length, 1, "one away reply in the log");
    assert.equal(away[0].visibility, "public");
    await eventually(
      async () =>
        (await listMessagesForStaff(app.kv, conv!.id)).find((m) => m.id === away[0].id)
          ?.delivery?.status === "sent",
      "the away reply marked sent",
    );
    assert.equal(textsTo(graph.sends(), "15550002222").length, 1, "one send to Meta");

    // Within hours (every day, all day): no away reply.
    const ALL_DAY = [{ from: "00:00", to: "24:00" }];
    await setDefaultHours(app.engine, {
      ...closedToday(),
      weekly: {
        mon: ALL_DAY,
        tue: ALL_DAY,
        wed: ALL_DAY,
        thu: ALL_DAY,
        fri: ALL_DAY,
        sat: ALL_DAY,
        sun: ALL_DAY,
      },
    }, admin.agent);
    assert.equal((await wa.postWebhook(textBody({ waId: "15550003333" }, "Hi there"))).status, 200);
    const other = await eventually(async () => {
      const c = await findContact(app.kv, "whatsapp", "15550003333");
      const open = c ? await getOpenConversation(app.kv, c.id, "whatsapp") : null;
      return open && open.lastSeq >= 1 ? open : null;
    }, "the in-hours chat");
    assert.equal(other.awayReplyAt, undefined);
    assert.equal(textsTo(graph.sends(), "15550003333").length, 0, "nothing sent within hours");
  } finally {
    await wa.shutdown();
  }
});
