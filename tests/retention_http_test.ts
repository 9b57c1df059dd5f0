/** Privacy requests over HTTP (issue 16, item 6): find, export (download), erase; audited; refusals. */
import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";
import {
  closeConversation,
  getContact,
  listMessagesForStaff,
  receiveCustomerMessage,
  setAgentStatus,
} from "../lib/store/engine/mod.ts";

Deno.test("[privacy] an admin finds a contact, downloads their data and erases them; both audited", async () => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin", { name: "Ada Admin" });
    const agent = await app.createStaff("agent");
    const sup = await app.createStaff("supervisor");
    await setAgentStatus(app.engine, agent.agent.id, "online");
    const r = await receiveCustomerMessage(app.engine, {
      channel: "webchat",
      contact: { webVisitorId: "v-gdpr", name: "Grace Hopper", email: "grace@example.com" },
      clientId: "c1",
      text: "My card ends in 4242",
    });
    const contactId = r.contact.id;

    const found = await app.api("GET", "/api/v1/admin/contacts?q=grace@EXAMPLE", { as: admin });
    assert.equal(found.status, 200);
    assert.deepEqual(found.body.items.map((c: { id: string }) => c.id), [contactId]);
    assert.equal((await app.api("GET", "/api/v1/admin/contacts?q=", { as: admin })).status, 400);
    for (const who of [agent, sup]) {
      assert.equal(
        (await app.api("GET", `/api/v1/admin/contacts?q=grace`, { as: who })).status,
        403,
      );
      const erase = await app.api("POST", `/api/v1/admin/contacts/${contactId}/erase`, {
        as: who,
        body: { confirm: "ERASE" },
      });
      assert.equal(erase.status, 403);
    }

    const exp = await app.api("GET", `/api/v1/admin/contacts/${contactId}/export`, { as: admin });
    assert.equal(exp.status, 200);
    assert.match(exp.headers.get("content-disposition") ?? "", /attachment; filename="contact-/);
    assert.equal(exp.headers.get("cache-control"), "no-store");
    assert.equal(exp.body.contact.email, "grace@example.com");
    assert.equal(exp.body.conversations[0].messages[0].text, "My card ends in 4242");
    assert.equal(
      (await app.api("GET", "/api/v1/admin/contacts/nope/export", { as: admin })).status,
      404,
    );

    // Refusals change nothing: no confirmation, an open chat.
    for (const body of [{}, { confirm: "erase please" }, { confirm: "ERASE", extra: 1 }]) {
      const res = await app.api("POST", `/api/v1/admin/contacts/${contactId}/erase`, {
        as: admin,
        body,
      });
      assert.equal(res.status, 400, JSON.stringify(body));
    }
    const open = await app.api("POST", `/api/v1/admin/contacts/${contactId}/erase`, {
      as: admin,
      body: { confirm: "ERASE" },
    });
    assert.equal(open.status, 409);
    assert.equal(open.body.error.code, "contact_has_open_chat");
    assert.equal(open.body.error.details.conversationId, r.conversation.id);
    assert.ok(await getContact(app.kv, contactId));

    await closeConversation(app.engine, r.conversation.id, agent.agent, { notes: "done" });
    const erased = await app.api("POST", `/api/v1/admin/contacts/${contactId}/erase`, {
      as: admin,
      body: { confirm: "ERASE" },
    });
    assert.equal(erased.status, 200, JSON.stringify(erased.body));
    assert.deepEqual(erased.body, { erased: true, conversations: 1 });
    assert.equal(await getContact(app.kv, contactId), null);
    assert.equal((await listMessagesForStaff(app.kv, r.conversation.id))[0].text, "");
    const again = await app.api("GET", "/api/v1/admin/contacts?q=grace", { as: admin });
    assert.deepEqual(again.body.items, []);

    const audit = await app.api("GET", "/api/v1/admin/audit?targetType=contact", { as: admin });
    assert.deepEqual(audit.body.items.map((e: { action: string }) => e.action), [
      "contact.erased",
      "contact.exported",
    ]);
    assert.equal(audit.body.items[1].targetLabel, "Grace Hopper");
    assert.ok(
      !JSON.stringify(audit.body.items[0]).includes("Grace"),
      "the erasure's entry names no one",
    );
  } finally {
    await app.shutdown();
  }
});

Deno.test("[privacy] retention setting: bounds, and the form", async () => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    const first = await app.api("GET", "/api/v1/admin/settings", { as: admin });
    assert.equal(first.body.settings.retentionDays, 0, "off by default");
    for (const retentionDays of [-1, 3651, 2.5]) {
      const res = await app.api("PUT", "/api/v1/admin/settings", {
        as: admin,
        body: { retentionDays },
      });
      assert.equal(res.status, 400, String(retentionDays));
    }
    const ok = await app.api("PUT", "/api/v1/admin/settings", {
      as: admin,
      body: { retentionDays: 365 },
    });
    assert.equal(ok.body.settings.retentionDays, 365);
    const page = await app.api("GET", "/admin/settings", { as: admin });
    assert.match(
      page.body,
      /name="retentionDays"[^>]*value="365"|value="365"[^>]*name="retentionDays"/,
    );
  } finally {
    await app.shutdown();
  }
});
