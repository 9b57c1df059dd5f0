import assert from "node:assert/strict";
import { drainInbox, fitForInbox, inboxKey, sweepInboxes } from "./whatsapp_inbox.ts";
import type { WhatsAppInbound } from "./whatsapp_payload.ts";

const message = (id: string, sentAt: string, text = id): WhatsAppInbound => ({
  id,
  phoneNumberId: "1",
  customer: { id: "16505551234", waId: "16505551234", userId: null, name: null, phone: null },
  sentAt,
  kind: "text",
  text,
  data: {},
});

Deno.test("[whatsapp] inbox: drained in send-time order, one drainer per customer", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    // Written out of order: the later-sent one first.
    for (
      const m of [
        message("b", "2026-01-01T10:00:05Z"),
        message("a", "2026-01-01T10:00:03Z"),
        message("c", "2026-01-01T10:00:05Z"),
      ]
    ) {
      await kv.set(inboxKey(m), m);
    }
    const stored: string[] = [];
    let release!: () => void;
    let entered!: () => void;
    const gate = new Promise<void>((r) => release = r);
    const inside = new Promise<void>((r) => entered = r);
    const first = drainInbox(kv, "16505551234", async (m) => {
      if (stored.length === 0) {
        entered(); // holding the lease now; let the second drainer try
        await gate;
      }
      stored.push(m.id);
    });
    await inside;
    assert.equal(
      await drainInbox(
        kv,
        "16505551234",
        (m) => Promise.resolve(void stored.push(`second:${m.id}`)),
      ),
      null,
      "lease held",
    );
    release();
    assert.equal(await first, 3);
    assert.deepEqual(stored, ["a", "b", "c"], "send time, then arrival");
    assert.equal(
      await drainInbox(kv, "16505551234", () => Promise.resolve()),
      0,
      "lease released, inbox empty",
    );
  } finally {
    kv.close();
  }
});

Deno.test("[whatsapp] inbox: a failing store keeps the message first in line", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await kv.set(
      inboxKey(message("x", "2026-01-01T10:00:00Z")),
      message("x", "2026-01-01T10:00:00Z"),
    );
    await kv.set(
      inboxKey(message("y", "2026-01-01T10:00:01Z")),
      message("y", "2026-01-01T10:00:01Z"),
    );
    await assert.rejects(
      drainInbox(kv, "16505551234", () => Promise.reject(new Error("KV hiccup"))),
    );
    const seen: string[] = [];
    assert.equal(
      await drainInbox(kv, "16505551234", (m) => Promise.resolve(void seen.push(m.id))),
      2,
    );
    assert.deepEqual(seen, ["x", "y"]);
  } finally {
    kv.close();
  }
});

Deno.test("[whatsapp] inbox: an oversized message is shrunk to fit one KV value", () => {
  const huge = {
    ...message("big", "2026-01-01T10:00:00Z", "t".repeat(5000)),
    kind: "contacts" as const,
    data: {
      contacts: Array.from(
        { length: 2000 },
        (_, i) => ({ name: `Contact ${i}`, phones: ["+1 555 0100"] }),
      ),
    },
  };
  const fitted = fitForInbox(huge);
  assert.ok(new TextEncoder().encode(JSON.stringify(fitted)).length <= 60 * 1024);
  assert.equal(fitted.id, "big");
  assert.equal(fitted.data.truncated, true);
  const small = message("s", "2026-01-01T10:00:00Z");
  assert.equal(fitForInbox(small), small, "small ones untouched");
});

Deno.test("[whatsapp] inbox sweep: restarts the drain of entries nobody drained", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const now = Date.parse("2026-01-01T12:00:00Z");
    const stuck = {
      ...message("old", "2026-01-01T11:50:00Z"),
      customer: { ...message("x", "").customer, id: "111" },
    };
    const fresh = {
      ...message("new", "2026-01-01T11:59:50Z"),
      customer: { ...message("x", "").customer, id: "222" },
    };
    await kv.set(inboxKey(stuck), stuck);
    await kv.set(inboxKey(fresh), fresh);
    const delivered = new Promise<unknown>((resolve) => kv.listenQueue(resolve));
    assert.deepEqual(await sweepInboxes(kv, now), ["111"]);
    assert.deepEqual(await delivered, { type: "whatsapp.drain", payload: { customerId: "111" } });
  } finally {
    kv.close();
  }
});
