/**
 * The visitor API over real HTTP: sessions and origins (CORS), tokens,
 * context before and after the first message, messages, scoping between
 * visitors, bad input and rate limits.
 */
import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";
import { call, session } from "./widget_api_helpers.ts";
import { createSite } from "../lib/store/sites.ts";
import { appendStaffMessage } from "../lib/store/engine/messages.ts";
import { pickupConversation } from "../lib/store/engine/assignment.ts";
import { setAgentStatus } from "../lib/store/engine/presence.ts";
import { WIDGET_LIMITS } from "../lib/channels/webchat_limits.ts";

const SHOP = "http://shop.example.test";

Deno.test("[widget] sessions: default site on Parley's origin, allowed and refused origins, CORS", async () => {
  const app = await startTestApp();
  try {
    const own = await call(app, "POST", "/api/v1/widget/sessions", { body: {} });
    assert.equal(own.status, 200);
    assert.match(own.body.visitorToken, /^pv1\./);
    assert.equal(own.body.conversationId, null);
    assert.equal(own.body.site.name, "Support chat");

    const evil = await call(app, "POST", "/api/v1/widget/sessions", {
      origin: "https://evil.example",
      body: {},
    });
    assert.equal(evil.status, 403);
    assert.equal(evil.body.error.code, "origin_not_allowed");
    assert.match(evil.body.error.message, /https:\/\/evil\.example is not allowed/);
    assert.equal(evil.headers.get("access-control-allow-origin"), null, "no CORS for refusals");

    const shop = await createSite(app.engine, { name: "Shop", allowedOrigins: [SHOP] });
    const preflight = await call(
      app,
      "OPTIONS",
      `/api/v1/widget/sessions?siteKey=${shop.siteKey}`,
      {
        origin: SHOP,
      },
    );
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), SHOP);
    assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /authorization/);
    const refusedPreflight = await call(
      app,
      "OPTIONS",
      `/api/v1/widget/sessions?siteKey=${shop.siteKey}`,
      { origin: "https://other.example" },
    );
    assert.equal(refusedPreflight.status, 403);
    assert.equal(refusedPreflight.headers.get("access-control-allow-origin"), null);
    const defaultFromShop = await call(app, "OPTIONS", "/api/v1/widget/sessions", { origin: SHOP });
    assert.equal(defaultFromShop.status, 403, "the default site does not accept the shop's origin");

    const ok = await call(app, "POST", `/api/v1/widget/sessions?siteKey=${shop.siteKey}`, {
      origin: SHOP,
      body: { siteKey: shop.siteKey },
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("access-control-allow-origin"), SHOP);
    assert.equal(ok.body.site.name, "Shop");
    assert.equal(ok.body.site.allowedOrigins, undefined, "the widget never learns the origins");

    // A token is kept for its own site, replaced for another site or when it is garbage.
    const again = await call(app, "POST", `/api/v1/widget/sessions?siteKey=${shop.siteKey}`, {
      origin: SHOP,
      body: { siteKey: shop.siteKey, visitorToken: ok.body.visitorToken },
    });
    assert.equal(again.body.visitorToken, ok.body.visitorToken);
    const otherSite = await call(app, "POST", "/api/v1/widget/sessions", {
      body: { visitorToken: ok.body.visitorToken },
    });
    assert.notEqual(otherSite.body.visitorToken, ok.body.visitorToken);
    const garbage = await call(app, "POST", "/api/v1/widget/sessions", {
      body: { visitorToken: "pv1.nope.nope" },
    });
    assert.equal(garbage.status, 200);
    assert.notEqual(garbage.body.visitorToken, "pv1.nope.nope");

    const unknown = await call(app, "POST", "/api/v1/widget/sessions", {
      body: { siteKey: "site_missing" },
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "unknown_site");
    const malformed = await call(app, "POST", "/api/v1/widget/sessions", { raw: "{nope" });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, "malformed_json");
    const wrongType = await call(app, "POST", "/api/v1/widget/sessions", {
      body: { visitorToken: 42 },
    });
    assert.equal(wrongType.status, 400);
    assert.equal(wrongType.body.error.code, "invalid");
  } finally {
    await app.shutdown();
  }
});

Deno.test("[widget] messages: idempotent by clientId, scoped to the visitor, never internal notes", async () => {
  const app = await startTestApp();
  try {
    const alice = await session(app);
    const bob = await session(app);
    const sent = await call(app, "POST", "/api/v1/widget/messages", {
      token: alice,
      body: { text: "Where is my order?", clientId: "a-1" },
    });
    assert.equal(sent.status, 201);
    const retry = await call(app, "POST", "/api/v1/widget/messages", {
      token: alice,
      body: { text: "Where is my order?", clientId: "a-1" },
    });
    assert.equal(retry.status, 201);
    assert.equal(retry.body.message.id, sent.body.message.id, "a retry is the same message");
    const conversationId = sent.body.conversation.id;

    const agent = await app.createStaff("supervisor", { name: "Sam Supervisor" });
    await setAgentStatus(app.engine, agent.agent.id, "busy"); // an Offline supervisor picks up nothing
    await pickupConversation(app.engine, conversationId, agent.agent);
    await appendStaffMessage(app.engine, conversationId, agent.agent, {
      text: "Internal: check the warehouse",
      clientId: "n-1",
      internal: true,
    });
    await appendStaffMessage(app.engine, conversationId, agent.agent, {
      text: "Let me check that for you.",
      clientId: "r-1",
    });

    const list = await call(app, "GET", "/api/v1/widget/messages", { token: alice, origin: null });
    assert.equal(list.status, 200);
    assert.equal(list.body.conversation.status, "active");
    assert.equal(list.body.conversation.agentName, "Sam Supervisor");
    const texts = list.body.messages.filter((m: { type: string }) => m.type === "message")
      .map((m: { text: string }) => m.text);
    assert.deepEqual(texts, ["Where is my order?", "Let me check that for you."]);
    assert.ok(
      !JSON.stringify(list.body).includes("warehouse"),
      "internal notes never reach the visitor",
    );
    const lastSeq = Math.max(...list.body.messages.map((m: { seq: number }) => m.seq));
    const after = await call(
      app,
      "GET",
      `/api/v1/widget/messages?conversationId=${conversationId}&after=${lastSeq}`,
      { token: alice, origin: null },
    );
    assert.deepEqual(after.body.messages, []);

    // Bob sees only his own (nothing), even when asking for Alice's conversation.
    const bobs = await call(
      app,
      "GET",
      `/api/v1/widget/messages?conversationId=${conversationId}&after=0`,
      { token: bob, origin: null },
    );
    assert.equal(bobs.status, 200);
    assert.equal(bobs.body.conversation, null);
    assert.deepEqual(bobs.body.messages, []);
    // Bob reusing Alice's clientId opens his own conversation, not a view of hers.
    const bobSent = await call(app, "POST", "/api/v1/widget/messages", {
      token: bob,
      body: { text: "Hi", clientId: "a-1" },
    });
    assert.equal(bobSent.status, 201);
    assert.notEqual(bobSent.body.conversation.id, conversationId);

    // Tokens: none, forged, tampered.
    const none = await call(app, "GET", "/api/v1/widget/messages", { origin: null });
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, "invalid_token");
    const [p, payload, sig] = alice.split(".");
    const tampered = `${p}.${payload}.${sig.slice(0, -2)}${sig.endsWith("AA") ? "BB" : "AA"}`;
    const forged = await call(app, "POST", "/api/v1/widget/messages", {
      token: tampered,
      body: { text: "x", clientId: "x" },
    });
    assert.equal(forged.status, 401);

    // Bad input: nothing is stored.
    for (
      const body of [
        { text: "", clientId: "b-1" },
        { text: "   ", clientId: "b-2" },
        { text: "x".repeat(5000), clientId: "b-3" },
        { text: "hi" },
        { text: 5, clientId: "b-4" },
      ]
    ) {
      const res = await call(app, "POST", "/api/v1/widget/messages", { token: alice, body });
      assert.equal(res.status, 400, JSON.stringify(body).slice(0, 60));
      assert.equal(typeof res.body.error.message, "string");
    }
    const badQuery = await call(app, "GET", "/api/v1/widget/messages?after=-1", {
      token: alice,
      origin: null,
    });
    assert.equal(badQuery.status, 400);
    const final = await call(app, "GET", "/api/v1/widget/messages", { token: alice, origin: null });
    assert.equal(final.body.messages.length, list.body.messages.length);
  } finally {
    await app.shutdown();
  }
});

Deno.test("[widget] a token from an allowed site is refused from an origin the site does not allow", async () => {
  const app = await startTestApp();
  try {
    const shop = await createSite(app.engine, { name: "Shop", allowedOrigins: [SHOP] });
    const token = await session(app, shop.siteKey, SHOP);
    const ok = await call(app, "GET", "/api/v1/widget/messages", { token, origin: SHOP });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("access-control-allow-origin"), SHOP);
    const stolen = await call(app, "POST", "/api/v1/widget/messages", {
      token,
      origin: "https://evil.example",
      body: { text: "hi", clientId: "s-1" },
    });
    assert.equal(stolen.status, 403);
    assert.equal(stolen.body.error.code, "origin_not_allowed");
    const list = await call(app, "GET", "/api/v1/widget/messages", { token, origin: SHOP });
    assert.equal(list.body.conversation, null, "the refused message was not stored");
  } finally {
    await app.shutdown();
  }
});

Deno.test("[widget] rate limits per visitor answer 429 with Retry-After, other visitors unaffected", async () => {
  const app = await startTestApp();
  try {
    const noisy = await session(app);
    const quiet = await session(app);
    const limit = WIDGET_LIMITS.context.limit;
    for (let i = 0; i < limit; i++) {
      const res = await call(app, "POST", "/api/v1/widget/context", {
        token: noisy,
        body: { context: { n: i } },
      });
      assert.equal(res.status, 200);
    }
    const over = await call(app, "POST", "/api/v1/widget/context", {
      token: noisy,
      body: { context: { n: "over" } },
    });
    assert.equal(over.status, 429);
    assert.equal(over.body.error.code, "too_many_requests");
    assert.ok(Number(over.headers.get("retry-after")) >= 1);
    const fine = await call(app, "POST", "/api/v1/widget/context", {
      token: quiet,
      body: { context: { n: 1 } },
    });
    assert.equal(fine.status, 200);
  } finally {
    await app.shutdown();
  }
});

Deno.test("[widget] GET /widget.js serves the built script gzipped, with a short cache and an ETag", async () => {
  const app = await startTestApp();
  try {
    const res = await fetch(app.url + "/widget.js", { headers: { "accept-encoding": "gzip" } });
    const text = await res.text();
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-encoding"), "gzip");
    assert.match(res.headers.get("content-type") ?? "", /javascript/);
    assert.equal(res.headers.get("cache-control"), "public, max-age=300");
    assert.ok(text.includes("SyntphonyConversationalAIChat"), "decodes to the script");
    const etag = res.headers.get("etag")!;
    const again = await fetch(app.url + "/widget.js", {
      headers: { "accept-encoding": "gzip", "if-none-match": etag },
    });
    await again.body?.cancel();
    assert.equal(again.status, 304);
    const plain = await fetch(app.url + "/widget.js", {
      headers: { "accept-encoding": "identity" },
    });
    assert.equal(plain.headers.get("content-encoding"), null);
    assert.equal(await plain.text(), text, "the same script for clients without gzip");
  } finally {
    await app.shutdown();
  }
});

Deno.test("[widget] garbage in any part of a visitor request gets a 4xx, never a 500", async () => {
  const app = await startTestApp();
  try {
    const token = await session(app);
    const junk = [
      "x".repeat(5000),
      "\u0000\uffff",
      "%00",
      "../../etc",
      "null",
      "🙂".repeat(300),
      "",
    ];
    const paths = ["sessions", "context", "messages"];
    for (const j of junk) {
      for (const path of paths) {
        const q = `?siteKey=${encodeURIComponent(j)}&conversationId=${
          encodeURIComponent(j)
        }&after=${encodeURIComponent(j)}`;
        for (const method of ["GET", "POST", "OPTIONS"]) {
          for (const origin of [j, "https://evil.example", null]) {
            const res = await fetch(app.url + "/api/v1/widget/" + path + q, {
              method,
              headers: {
                ...(origin !== null && /^[\x20-\x7e]*$/.test(origin) ? { origin } : {}),
                authorization: /^[\x20-\x7e]*$/.test(j) ? `Bearer ${j}` : `Bearer ${token}`,
                "content-type": "application/json",
              },
              body: method === "POST"
                ? (j.length % 2 ? j : JSON.stringify({
                  text: j,
                  clientId: j,
                  context: { [j]: j },
                  siteKey: j,
                  visitorToken: j,
                }))
                : undefined,
            });
            await res.body?.cancel();
            assert.ok(res.status < 500, `${method} ${path} with ${j.slice(0, 20)}: ${res.status}`);
          }
        }
      }
    }
  } finally {
    await app.shutdown();
  }
});
