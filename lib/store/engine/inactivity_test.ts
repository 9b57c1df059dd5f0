/** Inactivity timers (issue 16, item 2): warn, close, stale jobs, races, restarts. */
import assert from "node:assert/strict";
import type { InactivityJobPayload } from "../../domain/inactivity.ts";
import { JobRunner } from "../../jobs.ts";
import type { Agent } from "../agents.ts";
import { Engine } from "./engine.ts";
import {
  appendStaffMessage,
  getConversation,
  getLoad,
  listMessagesForCustomer,
  listMessagesForStaff,
  mergeContext,
  receiveCustomerMessage,
  runInactivityJob,
  setAgentStatus,
  transferConversation,
  updateSettings,
  WHATSAPP_OUTBOUND_JOB,
} from "./mod.ts";
import {
  allChanges,
  customerSays,
  randomAgent,
  whatsappCustomerSays,
  withKv,
} from "./test_util.ts";

/** A "now" far past any timer's time, so a job is due. */
const later = () => Date.now() + 10 * 86_400_000;

/** An Online agent holding a fresh web chat from `visitor`. */
async function heldChat(engine: Engine, visitor = `v-${crypto.randomUUID()}`) {
  const agent = await randomAgent(engine.kv, "agent", { name: "Ana" });
  await setAgentStatus(engine, agent.id, "online");
  const chat = (await customerSays(engine, "Hi, my order?", visitor)).conversation;
  assert.equal((await getConversation(engine.kv, chat.id))?.assigneeId, agent.id);
  return { agent, chat, visitor };
}

const reply = (engine: Engine, id: string, agent: Agent, text = "Could you send the number?") =>
  appendStaffMessage(engine, id, agent, { text, clientId: crypto.randomUUID() });

const job = (conversationId: string, seq: number, step: "warn" | "close") =>
  ({ conversationId, seq, step }) satisfies InactivityJobPayload;

Deno.test("[inactivity] off by default: a reply starts no timer", async () => {
  await withKv(async (kv, engine) => {
    const { agent, chat } = await heldChat(engine);
    const r = await reply(engine, chat.id, agent);
    assert.equal((await getConversation(kv, chat.id))?.inactivity ?? null, null);
    assert.equal(
      await runInactivityJob(engine, job(chat.id, r.message.seq, "warn"), later()),
      "stale",
    );
  });
});

Deno.test("[inactivity] warns the customer, then closes with reason inactivity and a system wrap-up", async () => {
  await withKv(async (kv, engine) => {
    await updateSettings(engine, { inactivityWarnSeconds: 120, inactivityCloseSeconds: 60 });
    const { agent, chat } = await heldChat(engine);
    const before = Date.now();
    const r = await reply(engine, chat.id, agent);
    const timer = (await getConversation(kv, chat.id))!.inactivity!;
    assert.equal(timer.seq, r.message.seq);
    assert.equal(timer.warnedAt, null);
    assert.ok(Date.parse(timer.warnAt) - before >= 120_000);
    assert.equal(Date.parse(timer.closeAt) - Date.parse(timer.warnAt), 60_000);

    const warn = job(chat.id, r.message.seq, "warn");
    const early = await runInactivityJob(engine, warn, Date.now());
    assert.ok(typeof early === "object" && early.early > 100_000, "not due yet: waits");
    assert.equal((await getConversation(kv, chat.id))?.inactivity?.warnedAt, null);
    assert.equal(await runInactivityJob(engine, warn, later()), "warned");
    assert.equal(await runInactivityJob(engine, warn, later()), "stale", "a repeat");
    const seen = await listMessagesForCustomer(kv, chat.id);
    const warning = seen.at(-1)!;
    assert.equal(warning.type, "message");
    assert.equal(warning.author.type, "system");
    assert.match(warning.text, /still there/);
    const warned = (await getConversation(kv, chat.id))!;
    assert.equal(warned.status, "active");
    assert.ok(warned.inactivity?.warnedAt);
    assert.equal(
      Date.parse(warned.inactivity!.closeAt) - Date.parse(warned.inactivity!.warnedAt!),
      60_000,
    );

    const close = job(chat.id, r.message.seq, "close");
    assert.equal(await runInactivityJob(engine, close, later()), "closed");
    assert.equal(await runInactivityJob(engine, close, later()), "stale", "a repeat");
    const closed = (await getConversation(kv, chat.id))!;
    assert.equal(closed.status, "closed");
    assert.equal(closed.wrapUp?.reason, "inactivity");
    assert.equal(closed.wrapUp?.closedBy, "system");
    assert.match(closed.wrapUp!.notes, /inactivity.*1 min/);
    assert.deepEqual((await getLoad(kv, agent.id)).conversationIds, [], "capacity freed");
    const last = (await listMessagesForCustomer(kv, chat.id)).at(-1)!;
    assert.equal(last.kind, "closed");
    const change = (await allChanges(kv)).filter((c) => c.type === "conversation.closed");
    assert.equal(change.length, 1);
    assert.equal(change[0].data?.reason, "inactivity");
    assert.equal(change[0].data?.closedBy, "system");
  });
});

Deno.test("[inactivity] stale timers do nothing: customer reply, newer reply, transfer, setting off", async () => {
  await withKv(async (kv, engine) => {
    await updateSettings(engine, { inactivityWarnSeconds: 60 });
    const { agent, chat, visitor } = await heldChat(engine);
    const first = await reply(engine, chat.id, agent);
    await customerSays(engine, "one moment", visitor);
    assert.equal((await getConversation(kv, chat.id))?.inactivity, null, "any customer message");
    assert.equal(
      await runInactivityJob(engine, job(chat.id, first.message.seq, "warn"), later()),
      "stale",
    );

    const second = await reply(engine, chat.id, agent);
    const third = await reply(engine, chat.id, agent, "Still need that number.");
    assert.equal((await getConversation(kv, chat.id))?.inactivity?.seq, third.message.seq);
    assert.equal(
      await runInactivityJob(engine, job(chat.id, second.message.seq, "warn"), later()),
      "stale",
    );

    const boss = await randomAgent(kv, "supervisor");
    await setAgentStatus(engine, boss.id, "busy");
    await transferConversation(engine, chat.id, agent, { toAgentId: boss.id });
    assert.equal(
      await runInactivityJob(engine, job(chat.id, third.message.seq, "warn"), later()),
      "stale",
    );

    const fourth = await reply(engine, chat.id, boss);
    await updateSettings(engine, { inactivityWarnSeconds: 0 });
    assert.equal(
      await runInactivityJob(engine, job(chat.id, fourth.message.seq, "warn"), later()),
      "off",
    );
    assert.equal((await getConversation(kv, chat.id))?.inactivity, null);
    const customerSeen = await listMessagesForCustomer(kv, chat.id);
    assert.ok(!customerSeen.some((m) => m.author.type === "system" && m.type === "message"));
    assert.equal((await getConversation(kv, chat.id))?.status, "active");
    // Notes never start a timer.
    await updateSettings(engine, { inactivityWarnSeconds: 60 });
    await appendStaffMessage(engine, chat.id, boss, {
      text: "internal",
      clientId: crypto.randomUUID(),
      internal: true,
    });
    assert.equal((await getConversation(kv, chat.id))?.inactivity, null);
  });
});

Deno.test("[inactivity] the warning speaks the customer's language; the admin's text wins", async () => {
  await withKv(async (kv, engine) => {
    await updateSettings(engine, {
      inactivityWarnSeconds: 30,
      inactivityWarningText: { de: "Hallo? Wir schließen gleich." },
    });
    const { agent, chat } = await heldChat(engine);
    await mergeContext(engine, chat.id, { language: "es-ES" });
    const r = await reply(engine, chat.id, agent);
    assert.equal(
      await runInactivityJob(engine, job(chat.id, r.message.seq, "warn"), later()),
      "warned",
    );
    assert.match((await listMessagesForCustomer(kv, chat.id)).at(-1)!.text, /¿Sigues ahí\?/);

    const other = await heldChat(engine);
    await mergeContext(engine, other.chat.id, { language: "de" });
    const r2 = await reply(engine, other.chat.id, other.agent);
    await runInactivityJob(engine, job(other.chat.id, r2.message.seq, "warn"), later());
    assert.equal(
      (await listMessagesForCustomer(kv, other.chat.id)).at(-1)!.text,
      "Hallo? Wir schließen gleich.",
    );
    // A partial update keeps the other languages' texts.
    await updateSettings(engine, { inactivityWarningText: { en: "Still there?" } });
    const { getSettings } = await import("./records.ts");
    const texts = (await getSettings(kv)).inactivityWarningText;
    assert.equal(texts.de, "Hallo? Wir schließen gleich.");
    assert.equal(texts.en, "Still there?");
  });
});

Deno.test("[inactivity] on WhatsApp the warning goes out through the outbound job", async () => {
  await withKv(async (kv, engine) => {
    await updateSettings(engine, { inactivityWarnSeconds: 30 });
    const agent = await randomAgent(kv, "agent");
    await setAgentStatus(engine, agent.id, "online");
    const chat = (await whatsappCustomerSays(engine, "34600111222", "Hola")).conversation;
    const r = await reply(engine, chat.id, agent, "¿Número de pedido?");
    const jobs: { type: string; payload: { messageId?: string } }[] = [];
    const listening = kv.listenQueue((m) => {
      jobs.push(m as (typeof jobs)[number]);
    });
    assert.equal(
      await runInactivityJob(engine, job(chat.id, r.message.seq, "warn"), later()),
      "warned",
    );
    const warning = (await listMessagesForStaff(kv, chat.id)).at(-1)!;
    assert.equal(warning.delivery?.status, "sending");
    for (let i = 0; i < 200 && !jobs.some((j) => j.payload.messageId === warning.id); i++) {
      await new Promise((res) => setTimeout(res, 10));
    }
    assert.ok(
      jobs.some((j) => j.type === WHATSAPP_OUTBOUND_JOB && j.payload.messageId === warning.id),
      "the warning is sent like an agent reply",
    );
    void listening; // ends when withKv closes the store
  });
});

Deno.test("[inactivity] a customer message racing the auto-close: exactly one wins, consistently (two instances)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (let round = 0; round < 6; round++) {
      const path = `${dir}/race-${round}.kv`;
      const a = await Deno.openKv(path);
      const b = await Deno.openKv(path);
      const [ea, eb] = [new Engine(a), new Engine(b)];
      try {
        await updateSettings(ea, { inactivityWarnSeconds: 30, inactivityCloseSeconds: 30 });
        const { agent, chat, visitor } = await heldChat(ea);
        const r = await reply(ea, chat.id, agent);
        assert.equal(
          await runInactivityJob(ea, job(chat.id, r.message.seq, "warn"), later()),
          "warned",
        );
        const close = job(chat.id, r.message.seq, "close");
        const [closedHow, said] = await Promise.all([
          runInactivityJob(eb, close, later()),
          receiveCustomerMessage(ea, {
            channel: "webchat",
            contact: { webVisitorId: visitor },
            clientId: `late-${round}`,
            text: "Sorry, here it is: 1234",
          }),
        ]);
        const first = (await getConversation(a, chat.id))!;
        const log = await listMessagesForStaff(a, chat.id);
        if (closedHow === "closed") {
          assert.equal(first.status, "closed");
          assert.notEqual(said.conversation.id, chat.id, "the message opened a new chat");
          assert.ok(!log.some((m) => m.clientId === `late-${round}`));
          assert.equal(log.at(-1)!.kind, "closed");
        } else {
          assert.equal(closedHow, "stale");
          assert.equal(first.status, "active");
          assert.equal(said.conversation.id, chat.id);
          assert.equal(first.inactivity, null);
          assert.ok(!log.some((m) => m.kind === "closed"));
          assert.equal(log.at(-1)!.clientId, `late-${round}`);
        }
        // And the same close job on both instances at once closes once.
        if (closedHow !== "closed") {
          const r2 = await reply(ea, chat.id, agent);
          await runInactivityJob(ea, job(chat.id, r2.message.seq, "warn"), later());
          const again = job(chat.id, r2.message.seq, "close");
          const outcomes = await Promise.all([
            runInactivityJob(ea, again, later()),
            runInactivityJob(eb, again, later()),
          ]);
          assert.deepEqual(outcomes.sort(), ["closed", "stale"]);
          const closes = (await listMessagesForStaff(a, chat.id)).filter((m) =>
            m.kind === "closed"
          );
          assert.equal(closes.length, 1);
        }
      } finally {
        a.close();
        b.close();
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("[inactivity] timers survive a restart: the reply's job runs from a reopened KV file", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/restart.kv`;
  try {
    let chatId = "";
    {
      const kv = await Deno.openKv(path);
      const engine = new Engine(kv);
      await updateSettings(engine, { inactivityWarnSeconds: 10, inactivityCloseSeconds: 10 });
      const { agent, chat } = await heldChat(engine);
      chatId = chat.id;
      await reply(engine, chat.id, agent);
      kv.close(); // the process stops: nothing in memory survives
    }
    const kv = await Deno.openKv(path);
    const engine = new Engine(kv);
    const jobs = new JobRunner(kv);
    const { registerInactivityJob } = await import("./inactivity.ts");
    registerInactivityJob({ engine, jobs });
    jobs.start();
    try {
      let conv = await getConversation(kv, chatId);
      for (let i = 0; i < 600 && conv?.status !== "closed"; i++) {
        await new Promise((res) => setTimeout(res, 100));
        conv = await getConversation(kv, chatId);
      }
      assert.equal(conv?.status, "closed", "warned and closed by the jobs after the restart");
      assert.equal(conv?.wrapUp?.reason, "inactivity");
      const seen = await listMessagesForCustomer(kv, chatId);
      assert.equal(
        seen.filter((m) => m.author.type === "system" && m.type === "message").length,
        1,
      );
    } finally {
      await jobs.stop();
      kv.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
