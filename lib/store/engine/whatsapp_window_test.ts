/**
 * The engine's 24-hour WhatsApp window rule: a free-form reply outside the
 * window is refused in the commit, never on a stale window, and a customer
 * message that reopens it lets the next reply through (also from another
 * instance whose memory still holds the closed window).
 */
import assert from "node:assert/strict";
import { AppError } from "../../errors.ts";
import { keys } from "../keys.ts";
import { WINDOW_MS } from "../../domain/whatsapp_window.ts";
import { noteCustomerMessage } from "../../channels/whatsapp_window.ts";
import { appendStaffMessage, listMessagesForStaff } from "./messages.ts";
import { getConversation } from "./records.ts";
import { Engine } from "./engine.ts";
import { randomAgent, rejects, whatsappCustomerSays, withKv } from "./test_util.ts";

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

Deno.test("[engine] WhatsApp: a free-form reply outside the 24-hour window is refused (409 window_closed) and stores nothing", async () => {
  await withKv(async (kv, engine) => {
    const supervisor = await randomAgent(kv, "supervisor");
    const sentAt = hoursAgo(25);
    const { conversation } = await whatsappCustomerSays(engine, "34600000001", "Ayer", { sentAt });
    const before = await getConversation(kv, conversation.id);

    const err = await appendStaffMessage(engine, conversation.id, supervisor, {
      text: "Too late",
      clientId: "late-1",
    }).catch((e) => e);
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.status, 409);
    assert.equal(err.code, "window_closed");
    const closedAt = new Date(Date.parse(sentAt) + WINDOW_MS).toISOString();
    assert.deepEqual(err.details, { closedAt, lastCustomerMessageAt: sentAt });
    assert.match(err.message, new RegExp(closedAt.replace(/[.]/g, "\\.")));
    assert.deepEqual(await getConversation(kv, conversation.id), before, "nothing changed");
    assert.equal(
      (await kv.get(keys.messageClientId(`staff:${conversation.id}`, "late-1"))).value,
      null,
    );

    // Internal notes are not messages to the customer: the window does not apply.
    const note = await appendStaffMessage(engine, conversation.id, supervisor, {
      text: "Customer went quiet",
      clientId: "note-1",
      internal: true,
    });
    assert.equal(note.message.type, "note");
  });
});

Deno.test("[engine] WhatsApp: a reply stored inside the window and retried after it closed is the same message, not a refusal", async () => {
  await withKv(async (kv, engine) => {
    const supervisor = await randomAgent(kv, "supervisor");
    const { conversation } = await whatsappCustomerSays(engine, "34600000002", "Hola");
    const first = await appendStaffMessage(engine, conversation.id, supervisor, {
      text: "¡Hola!",
      clientId: "kept",
    });
    // A day passes: the customer's last message is now 25 hours old.
    await kv.set(keys.whatsappWindow("34600000002"), { lastCustomerMessageAt: hoursAgo(25) });
    const again = await appendStaffMessage(engine, conversation.id, supervisor, {
      text: "¡Hola!",
      clientId: "kept",
    });
    assert.equal(again.duplicate, true);
    assert.equal(again.message.id, first.message.id);
    await rejects(
      appendStaffMessage(engine, conversation.id, supervisor, { text: "new", clientId: "new" }),
      409,
      "window_closed",
    );
  });
});

Deno.test("[engine] WhatsApp: the customer's reply reopens the window, also for an instance that remembers it closed", async () => {
  const path = await Deno.makeTempFile({ suffix: ".kv" });
  // Two handles on one file: two instances, each with its own memory of entries.
  const agentSide = await Deno.openKv(path);
  const customerSide = await Deno.openKv(path);
  const [agentEngine, customerEngine] = [new Engine(agentSide), new Engine(customerSide)];
  try {
    const supervisor = await randomAgent(agentSide, "supervisor");
    const waId = "34600000003";
    const { conversation } = await whatsappCustomerSays(customerEngine, waId, "Old", {
      sentAt: hoursAgo(30),
    });
    // The agent's instance refuses, and now remembers the closed window.
    await rejects(
      appendStaffMessage(agentEngine, conversation.id, supervisor, { text: "a", clientId: "a" }),
      409,
      "window_closed",
    );
    // The customer writes again, on the other instance.
    await whatsappCustomerSays(customerEngine, waId, "I'm back");
    const sent = await appendStaffMessage(agentEngine, conversation.id, supervisor, {
      text: "Welcome back",
      clientId: "b",
    });
    assert.equal(sent.duplicate, false);
    assert.equal(sent.message.delivery?.status, "sending");
  } finally {
    agentSide.close();
    customerSide.close();
    await Deno.remove(path).catch(() => {});
  }
});

Deno.test("[engine] WhatsApp: replies racing a customer message that reopens the window: refused only before it, every later one sent", async () => {
  const path = await Deno.makeTempFile({ suffix: ".kv" });
  const agentSide = await Deno.openKv(path);
  const customerSide = await Deno.openKv(path);
  const [agentEngine, customerEngine] = [new Engine(agentSide), new Engine(customerSide)];
  try {
    const supervisor = await randomAgent(agentSide, "supervisor");
    const waId = "34600000004";
    const { conversation } = await whatsappCustomerSays(customerEngine, waId, "Old", {
      sentAt: hoursAgo(26),
    });
    const send = (clientId: string) =>
      appendStaffMessage(agentEngine, conversation.id, supervisor, { text: clientId, clientId })
        .then(() => "sent" as const, (err) => {
          if (err instanceof AppError && err.code === "window_closed") return "refused" as const;
          throw err;
        });
    // Replies start before, during and after the customer's window note lands.
    const early = Array.from({ length: 10 }, (_, i) => send(`early-${i}`));
    const reopened = noteCustomerMessage(customerSide, waId, new Date().toISOString());
    const during = Array.from({ length: 10 }, (_, i) => send(`during-${i}`));
    await reopened;
    const late = await Promise.all(Array.from({ length: 10 }, (_, i) => send(`late-${i}`)));
    const outcomes = [...await Promise.all(early), ...await Promise.all(during), ...late];

    assert.deepEqual(late, Array(10).fill("sent"), "every reply after the reopening goes out");
    const stored = (await listMessagesForStaff(agentSide, conversation.id))
      .filter((m) => m.author.type === "agent").map((m) => m.clientId);
    assert.equal(stored.length, outcomes.filter((o) => o === "sent").length);
    assert.ok(stored.every((id) => id && outcomes[indexOf(id)] === "sent"));
  } finally {
    agentSide.close();
    customerSide.close();
    await Deno.remove(path).catch(() => {});
  }
});

function indexOf(clientId: string): number {
  const [phase, n] = clientId.split("-");
  return ["early", "during", "late"].indexOf(phase) * 10 + Number(n);
}
