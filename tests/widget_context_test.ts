/** The visitor API's context: before and after the first message, bounds, and visitor details. */
import assert from "node:assert/strict";
import { startTestApp, type TestApp } from "./helpers.ts";
import { loadConfig } from "../fresh.config.ts";
import { startServer } from "../lib/server.ts";
import { routeTable } from "../routes/mod.ts";
import { call, session } from "./widget_api_helpers.ts";
import { getConversation } from "../lib/store/engine/records.ts";

/** The context the page attached, without the visitor details Parley adds (page, browser, language). */
function siteContext(context: Record<string, unknown> | undefined) {
  const { pageUrl: _p, userAgent: _u, language: _l, ...site } = context ?? {};
  return site;
}

Deno.test("[widget] context before the first message goes with it; later context merges live; bounds", async () => {
  const app = await startTestApp();
  try {
    const token = await session(app);
    const before = await call(app, "POST", "/api/v1/widget/context", {
      token,
      body: { context: { CUSTOM_KEY1: "value-1", plan: "Pro" }, user: { name: "Vera Visitor" } },
    });
    assert.equal(before.status, 200, JSON.stringify(before.body));
    assert.equal(before.body.conversationId, null);

    const first = await call(app, "POST", "/api/v1/widget/messages", {
      token,
      body: { text: "Hello, I need help", clientId: "c-1" },
    });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.message.text, "Hello, I need help");
    assert.equal(first.body.message.author.type, "customer");
    assert.equal(first.body.conversation.status, "pending");
    assert.equal(first.body.conversation.queuePosition, 1);
    const conversationId = first.body.conversation.id;
    let conv = await getConversation(app.kv, conversationId);
    assert.deepEqual(siteContext(conv?.context), { CUSTOM_KEY1: "value-1", plan: "Pro" });
    assert.match(String(conv?.context.userAgent), /Deno/, "the visitor's browser rides along");

    const later = await call(app, "POST", "/api/v1/widget/context", {
      token,
      body: { context: { cartItems: 2 } },
    });
    assert.equal(later.status, 200);
    assert.equal(later.body.conversationId, conversationId);
    conv = await getConversation(app.kv, conversationId);
    assert.deepEqual(siteContext(conv?.context), {
      CUSTOM_KEY1: "value-1",
      plan: "Pro",
      cartItems: 2,
    });

    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i]));
    const tooMany = await call(app, "POST", "/api/v1/widget/context", {
      token,
      body: { context: many },
    });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.error.code, "context_too_many_keys");
    const big = await call(app, "POST", "/api/v1/widget/context", {
      token,
      body: { context: { note: "x".repeat(2000) } },
    });
    assert.equal(big.status, 400);
    assert.equal(big.body.error.code, "context_value_too_large");
    assert.deepEqual(
      Object.keys(big.body.error.details.rejected),
      ["note"],
      "the answer names the refused key, so the widget can send the rest again",
    );
    const overKeys = Object.keys(tooMany.body.error.details.rejected);
    assert.ok(overKeys.length >= 10 && overKeys.every((k) => k in many), overKeys.join());
    const mixed = await call(app, "POST", "/api/v1/widget/context", {
      token,
      body: { context: { fine: 1, deep: { a: 1 } } },
    });
    assert.equal(mixed.status, 400);
    assert.deepEqual(Object.keys(mixed.body.error.details.rejected), ["deep"]);
    const nested = await call(app, "POST", "/api/v1/widget/context", {
      token,
      body: { context: { deep: { a: 1 } } },
    });
    assert.equal(nested.status, 400);
    conv = await getConversation(app.kv, conversationId);
    assert.deepEqual(
      siteContext(conv?.context),
      { CUSTOM_KEY1: "value-1", plan: "Pro", cartItems: 2 },
      "refused context changed nothing",
    );

    // Before any conversation, the bounds hold too.
    const other = await session(app);
    const bigFirst = await call(app, "POST", "/api/v1/widget/context", {
      token: other,
      body: { context: many },
    });
    assert.equal(bigFirst.status, 400);
    const empty = await call(app, "POST", "/api/v1/widget/context", { token: other, body: {} });
    assert.equal(empty.status, 400);
  } finally {
    await app.shutdown();
  }
});

Deno.test("[widget] the visitor's page, browser and language reach the conversation; never at the message's cost", async () => {
  const app = await startTestApp();
  try {
    const token = await session(app);
    const res = await fetch(app.url + "/api/v1/widget/messages", {
      method: "POST",
      headers: {
        origin: app.url,
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0",
        "accept-language": "pt-BR,pt;q=0.9,en;q=0.5",
      },
      body: JSON.stringify({
        text: "Hi",
        clientId: "d-1",
        page: "https://shop.example/checkout?step=2",
      }),
    });
    const sent = await res.json();
    assert.equal(res.status, 201);
    const conv = await getConversation(app.kv, sent.conversation.id);
    assert.equal(conv?.context.pageUrl, "https://shop.example/checkout?step=2");
    assert.equal(conv?.context.userAgent, "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0");
    assert.equal(conv?.context.language, "pt-BR");

    const sneaky = await call(app, "POST", "/api/v1/widget/messages", {
      token,
      body: { text: "again", clientId: "d-2", page: "javascript:alert(1)" },
    });
    assert.equal(sneaky.status, 201);
    const after = await getConversation(app.kv, sent.conversation.id);
    assert.equal(
      after?.context.pageUrl,
      "https://shop.example/checkout?step=2",
      "not a web page: ignored",
    );

    // A page that already used every context key still gets its visitor's message through.
    const full = await session(app);
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    assert.equal(
      (await call(app, "POST", "/api/v1/widget/context", { token: full, body: { context: fifty } }))
        .status,
      200,
    );
    const squeezed = await call(app, "POST", "/api/v1/widget/messages", {
      token: full,
      body: { text: "Hello", clientId: "f-1", page: "https://shop.example/" },
    });
    assert.equal(squeezed.status, 201, JSON.stringify(squeezed.body));
    const fullConv = await getConversation(app.kv, squeezed.body.conversation.id);
    assert.equal(Object.keys(fullConv!.context).length, 50);
    assert.equal(fullConv?.context.pageUrl, undefined);
  } finally {
    await app.shutdown();
  }
});

Deno.test("[widget] context a page attached before an upgrade still goes with the first message after it", async () => {
  const kv = await Deno.openKv(":memory:");
  const config = loadConfig({ KV_PATH: ":memory:", PORT: "0", PASSWORD_ITERATIONS: "1000" });
  try {
    const before = await startServer(config, routeTable, { kv });
    const app = { ...before, kv } as TestApp;
    const token = await session(app);
    const held = await call(app, "POST", "/api/v1/widget/context", {
      token,
      body: { context: { plan: "Pro" }, user: { name: "Vera Visitor" } },
    });
    assert.equal(held.status, 200, JSON.stringify(held.body));
    await before.shutdown();

    // Put the details where the previous version kept them, as a store it wrote would have them.
    const entries = [];
    for await (const e of kv.list({ prefix: ["held_details", "webchat"] })) entries.push(e);
    assert.equal(entries.length, 1);
    const [{ key, value }] = entries;
    await kv.delete(key);
    await kv.set(["widget_pending", key[2]], value);
    await kv.delete(["schema", "held_details"]);

    const lines: string[] = [];
    const after = await startServer(config, routeTable, { kv, log: (l) => lines.push(l) });
    try {
      assert.ok(lines.some((l) => /held details of 1 web visitors/.test(l)), lines.join("\n"));
      const first = await call({ ...after, kv } as TestApp, "POST", "/api/v1/widget/messages", {
        token,
        body: { text: "Hello after the upgrade", clientId: "c-up" },
      });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.equal(first.body.message.author.name, "Vera Visitor");
      const conv = await getConversation(kv, first.body.conversation.id);
      assert.deepEqual(siteContext(conv?.context), { plan: "Pro" });
    } finally {
      await after.shutdown();
    }
  } finally {
    kv.close();
  }
});
