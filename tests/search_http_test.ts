/**
 * `GET /api/v1/search` over real HTTP: chats made through the API (customer
 * messages, pickups, notes, closes with tags), found by staff within their
 * reach; clear 400s for queries that cannot be searched, and nothing for
 * callers who are not staff.
 */
import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";
import { receiveCustomerMessage } from "../lib/store/engine/mod.ts";

Deno.test("[search] the search API: reach by role, notes, tags, contact email, paging, 400s", async (t) => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    const boss = await app.createStaff("supervisor");
    const ann = await app.createStaff("agent", { name: "Ann" });
    const bob = await app.createStaff("agent", { name: "Bob" });
    await app.api("PUT", "/api/v1/admin/settings", {
      as: admin,
      body: { dynamicAssignment: false },
    });
    for (const s of [ann, bob]) {
      await app.api("PUT", "/api/v1/me/status", { as: s, body: { status: "online" } });
    }
    const chat = async (text: string, contact: Record<string, string> = {}) =>
      (await receiveCustomerMessage(app.engine, {
        channel: "webchat",
        contact: { webVisitorId: crypto.randomUUID(), ...contact },
        clientId: crypto.randomUUID(),
        text,
      })).conversation.id;
    const search = async (as: typeof ann, q: string, extra = "") => {
      const res = await app.api("GET", `/api/v1/search?q=${encodeURIComponent(q)}${extra}`, { as });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const idsOf = (body: { items: { conversation: { id: string } }[] }) =>
      body.items.map((i) => i.conversation.id);

    const annChat = await chat("The espresso machine leaks", { email: "lena.fischer@example.de" });
    const bobChat = await chat("The espresso grinder is loud");
    for (const [s, id] of [[ann, annChat], [bob, bobChat]] as const) {
      const res = await app.api("POST", `/api/v1/conversations/${id}/pickup`, { as: s, body: {} });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    let res = await app.api("POST", `/api/v1/conversations/${annChat}/messages`, {
      as: ann,
      body: { text: "Warranty ends in März, check serial", clientId: "n1", internal: true },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));

    await t.step("an agent finds their own chats only; supervisors find all", async () => {
      assert.deepEqual(idsOf(await search(ann, "espresso")), [annChat]);
      assert.deepEqual(idsOf(await search(bob, "espresso")), [bobChat]);
      assert.deepEqual(idsOf(await search(boss, "espresso")), [bobChat, annChat]);
      assert.deepEqual(idsOf(await search(admin, "espresso")), [bobChat, annChat]);
    });

    await t.step("an internal note is found by staff who may see it, never by others", async () => {
      const found = await search(ann, "marz warranty");
      assert.deepEqual(idsOf(found), [annChat]);
      assert.equal(found.items[0].match.field, "note");
      assert.equal(found.items[0].match.text, "Warranty ends in März, check serial");
      assert.deepEqual(found.items[0].match.highlights, [[0, 8], [17, 21]]);
      assert.deepEqual(idsOf(await search(boss, "warranty")), [annChat]);
      assert.deepEqual(idsOf(await search(bob, "warranty")), []);
      const anon = await app.api("GET", "/api/v1/search?q=warranty");
      assert.equal(anon.status, 401);
    });

    await t.step("the contact's email and the wrap-up tags find the chat", async () => {
      assert.deepEqual(idsOf(await search(ann, "lena.fischer@example.de")), [annChat]);
      res = await app.api("POST", `/api/v1/conversations/${annChat}/close`, {
        as: ann,
        body: { notes: "Sent a new gasket", tags: ["Spare parts"] },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const found = await search(ann, "spare parts");
      assert.deepEqual(idsOf(found), [annChat]);
      assert.deepEqual(found.items[0].conversation.tags, ["Spare parts"]);
      assert.equal(found.items[0].conversation.status, "closed");
    });

    await t.step("pages: a cursor goes on without repeats or gaps", async () => {
      const made: string[] = [];
      for (let i = 0; i < 7; i++) made.push(await chat(`voucher code ${i}`));
      const seen: string[] = [];
      let body = await search(boss, "voucher", "&limit=3");
      seen.push(...idsOf(body));
      while (body.nextCursor) {
        body = await search(
          boss,
          "voucher",
          `&limit=3&cursor=${encodeURIComponent(body.nextCursor)}`,
        );
        seen.push(...idsOf(body));
      }
      assert.deepEqual(seen, made.reverse());
    });

    await t.step("queries that cannot be searched are clear 400s", async () => {
      const cases: [string, string][] = [
        ["", "query_empty"],
        ["q=", "query_empty"],
        ["q=%20%3F%20", "query_empty"],
        [`q=${"a".repeat(201)}`, "query_too_long"],
        [`q=${"word ".repeat(3000)}`, "query_too_long"],
        ["q=aa%20bb%20cc%20dd%20ee%20ff%20gg%20hh%20ii", "query_too_long"],
        ["q=voucher&cursor=nonsense!", "invalid_cursor"],
        ["q=voucher&limit=0", "invalid"],
        ["q=voucher&limit=51", "invalid"],
      ];
      for (const [qs, code] of cases) {
        const r = await app.api("GET", `/api/v1/search?${qs}`, { as: boss });
        assert.equal(r.status, 400, qs);
        assert.equal(r.body.error.code, code, `${qs}: ${JSON.stringify(r.body)}`);
        assert.ok(r.body.error.message.length > 0);
      }
    });
  } finally {
    await app.shutdown();
  }
});
