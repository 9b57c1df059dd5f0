/**
 * The workspace page over real HTTP (no browser): what the server renders for
 * whom, and that customer text can never break out of the page's markup.
 */
import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";
import { receiveCustomerMessage, setAgentStatus } from "../lib/store/engine/mod.ts";

Deno.test("[workspace] / renders each member's own lists, escaped, and nobody else's chat", async () => {
  const app = await startTestApp();
  try {
    const ana = await app.createStaff("agent", { name: "Ana Agent" });
    const bo = await app.createStaff("agent", { name: "Bo Agent" });
    const sue = await app.createStaff("supervisor", { name: "Sue Supervisor" });

    const signedOut = await fetch(app.url + "/", { redirect: "manual" });
    await signedOut.body?.cancel();
    assert.equal(signedOut.status, 302);
    assert.match(signedOut.headers.get("location") ?? "", /\/login$/);

    await setAgentStatus(app.engine, ana.agent.id, "online");
    const hostile = `</script><script>alert(1)</script><img src=x onerror=alert(2)>`;
    const r = await receiveCustomerMessage(app.engine, {
      channel: "webchat",
      contact: { webVisitorId: "visitor-1", name: `Mallory ${hostile}` },
      clientId: "m-1",
      text: `Hi ${hostile}`,
      context: { note: hostile },
    });
    assert.equal(r.conversation.assigneeId, ana.agent.id);
    const id = r.conversation.id;

    const page = async (who: typeof ana, query = "") => {
      const res = await app.api("GET", "/" + query, { as: who });
      assert.equal(res.status, 200);
      return res.body as string;
    };

    const anaHtml = await page(ana, `?c=${id}`);
    assert.ok(anaHtml.includes("Mallory"), "Ana's active chat is in her list");
    assert.ok(anaHtml.includes('id="workspace-seed"'));
    // Customer text appears only escaped: no second script element, no live img tag.
    assert.equal(anaHtml.match(/<script/g)?.length, 2, "the bundle and the JSON seed only");
    assert.ok(!anaHtml.includes("<img src=x"));
    assert.ok(anaHtml.includes("&lt;/script&gt;") || anaHtml.includes("\\u003c/script>"));
    const seed = anaHtml.match(
      /<script type="application\/json" id="workspace-seed">(.*?)<\/script>/s,
    )?.[1];
    assert.ok(seed, "the seed is one script element");
    const parsed = JSON.parse(seed!);
    assert.equal(parsed.open.id, id);
    assert.ok(parsed.open.messages.some((m: { text: string }) => m.text === `Hi ${hostile}`));

    const boHtml = await page(bo, `?c=${id}`);
    assert.ok(!boHtml.includes("Mallory"), "Bo neither lists nor opens Ana's chat");
    assert.equal(JSON.parse(boHtml.match(/id="workspace-seed">(.*?)<\/script>/s)![1]).open, null);

    const sueHtml = await page(sue, `?c=${id}`);
    assert.ok(sueHtml.includes("Mallory"), "a supervisor sees every chat");

    const garbage = await page(sue, `?c=${"x".repeat(500)}&tab=nonsense&q=${"%3C".repeat(50)}`);
    assert.ok(garbage.includes("Select a conversation."), "bad query values render the plain page");
  } finally {
    await app.shutdown();
  }
});

Deno.test("[workspace] plain form posts: same-origin only, bad input comes back as a notice", async () => {
  const app = await startTestApp();
  try {
    const ana = await app.createStaff("agent", { name: "Ana Agent" });
    const post = (path: string, body: Record<string, string>, origin = app.url) =>
      fetch(app.url + path, {
        method: "POST",
        redirect: "manual",
        headers: {
          cookie: ana.cookie,
          origin,
          referer: app.url + "/?tab=pending",
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams(body),
      });

    const notice = (res: Response) =>
      new URL(res.headers.get("location") ?? "/", app.url).searchParams.get("notice") ?? "";

    const ok = await post("/workspace/status", { status: "busy" });
    await ok.body?.cancel();
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get("location"), "/?tab=pending", "back to where the form was");
    const me = await app.api("GET", "/api/v1/me", { as: ana });
    assert.equal(me.body.status, "busy");

    const bad = await post("/workspace/status", { status: "asleep" });
    await bad.body?.cancel();
    assert.equal(bad.status, 303);
    assert.match(bad.headers.get("location") ?? "", /notice=/);
    assert.equal((await app.api("GET", "/api/v1/me", { as: ana })).body.status, "busy");

    const forged = await post("/workspace/status", { status: "offline" }, "https://evil.example");
    await forged.body?.cancel();
    assert.equal(forged.status, 403, "another site cannot post the form");
    assert.equal((await app.api("GET", "/api/v1/me", { as: ana })).body.status, "busy");

    const unknown = await post("/workspace/conversations/nope/pickup", {});
    await unknown.body?.cancel();
    assert.equal(unknown.status, 303);
    assert.match(notice(unknown), /not found/i);

    const empty = await post("/workspace/conversations/nope/messages", {
      text: " ",
      clientId: "x",
    });
    await empty.body?.cancel();
    assert.equal(empty.status, 303);
    assert.match(notice(empty), /Write a message/);

    for (const contentType of ["multipart/form-data", "multipart/form-data; boundary=x"]) {
      const res = await fetch(app.url + "/workspace/status", {
        method: "POST",
        redirect: "manual",
        headers: { cookie: ana.cookie, origin: app.url, "content-type": contentType },
        body: "--x\r\nbroken",
      });
      await res.body?.cancel();
      assert.equal(res.status, 303, `a broken ${contentType} body is a notice, not a 500`);
      assert.ok(notice(res).length > 0, "with the reason");
    }

    const signedOut = await fetch(app.url + "/workspace/status", {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: app.url },
      body: "status=online",
    });
    await signedOut.body?.cancel();
    assert.equal(signedOut.status, 303);
    assert.match(signedOut.headers.get("location") ?? "", /\/login$/);
  } finally {
    await app.shutdown();
  }
});
