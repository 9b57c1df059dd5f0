/**
 * The supervision reports over real HTTP: the figures of chats run through
 * the API (per day, per hour, per agent, filtered by team, agent and
 * channel), the CSV exports (shape, quoting, formula defusing, file name),
 * who may see them (agents 403) and clear 400s for bad filters.
 */
import assert from "node:assert/strict";
import { startTestApp, type TestApp } from "./helpers.ts";
import { parseCsv } from "./csv_parse.ts";
import { receiveCustomerMessage } from "../lib/store/engine/mod.ts";
import type { Staff } from "./helpers.ts";
import { noteCustomerMessage } from "../lib/channels/whatsapp_window.ts";

async function chat(
  app: TestApp,
  agent: Staff,
  opts: { channel: "webchat" | "whatsapp"; teamId?: string; notes: string; tags?: string[] },
) {
  const waId = String(Math.floor(Math.random() * 1e12));
  if (opts.channel === "whatsapp") {
    await noteCustomerMessage(app.kv, waId, new Date().toISOString());
  }
  const { conversation } = await receiveCustomerMessage(app.engine, {
    channel: opts.channel,
    contact: opts.channel === "webchat"
      ? { webVisitorId: crypto.randomUUID(), name: "=cmd|' /C calc'!A0" }
      : { whatsappId: waId, name: "Zé" },
    clientId: crypto.randomUUID(),
    text: "Hello",
    ...(opts.teamId ? { teamId: opts.teamId } : {}),
  });
  const id = conversation.id;
  let res = await app.api("POST", `/api/v1/conversations/${id}/pickup`, { as: agent, body: {} });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  res = await app.api("POST", `/api/v1/conversations/${id}/messages`, {
    as: agent,
    body: { text: "Hi!", clientId: crypto.randomUUID() },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  res = await app.api("POST", `/api/v1/conversations/${id}/close`, {
    as: agent,
    body: { notes: opts.notes, tags: opts.tags ?? [] },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return id;
}

Deno.test("[reports] figures, filters, CSV exports and permissions over HTTP", async (t) => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    const boss = await app.createStaff("supervisor", { name: "Sue" });
    const ann = await app.createStaff("agent", { name: "Ann" });
    const bob = await app.createStaff("agent", { name: "Bob" });
    await app.api("PUT", "/api/v1/admin/settings", {
      as: admin,
      body: { dynamicAssignment: false },
    });
    let res = await app.api("POST", "/api/v1/admin/teams", {
      as: admin,
      body: { name: "Billing" },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const billing = res.body.team.id;
    res = await app.api("PUT", `/api/v1/admin/agents/${ann.agent.id}`, {
      as: admin,
      body: { teamId: billing },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    for (const a of [ann, bob]) {
      await app.api("PUT", "/api/v1/me/status", { as: a, body: { status: "online" } });
    }
    const annChat = await chat(app, ann, {
      channel: "webchat",
      teamId: billing,
      notes: 'Refund sent, "fast"\nsecond line',
      tags: ["refund", "=1+1"],
    });
    await chat(app, ann, { channel: "whatsapp", teamId: billing, notes: "Invoice resent" });
    await chat(app, bob, { channel: "webchat", notes: "-Password reset" });
    await app.api("PUT", "/api/v1/me/status", { as: bob, body: { status: "busy" } });
    const today = new Date().toISOString().slice(0, 10);
    const q = `from=${today}&to=${today}`;

    await t.step("the report counts what happened, in total and per agent", async () => {
      res = await app.api("GET", `/api/v1/reports?${q}`, { as: boss });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.days.length, 1);
      assert.equal(res.body.hours.length, 24);
      assert.deepEqual(
        [res.body.total.created, res.body.total.handled, res.body.total.firstResponses],
        [3, 3, 3],
      );
      const hour = new Date().getUTCHours();
      assert.equal(res.body.hours[hour].created, 3, "this hour's row holds the chats");
      const row = (name: string) => res.body.agents.find((a: { name: string }) => a.name === name);
      assert.equal(row("Ann").handled, 2);
      assert.equal(row("Ann").teamName, "Billing");
      assert.equal(row("Bob").handled, 1);
      assert.equal(row("Sue").handled, 0, "active staff are listed even when idle");
      assert.ok(row("Bob").onlineMin >= 0 && typeof row("Bob").busyMin === "number");
    });

    await t.step("filters: team, agent, channel and their combination", async () => {
      const total = async (extra: string) => {
        const r = await app.api("GET", `/api/v1/reports?${q}&${extra}`, { as: admin });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body;
      };
      assert.equal((await total(`teamId=${billing}`)).total.created, 2);
      assert.deepEqual(
        (await total(`teamId=${billing}`)).agents.map((a: { name: string }) => a.name),
        [
          "Ann",
        ],
      );
      assert.equal((await total(`agentId=${bob.agent.id}`)).total.handled, 1);
      assert.equal((await total("channel=whatsapp")).total.created, 1);
      assert.equal((await total("channel=webchat")).total.created, 2);
      assert.equal((await total(`teamId=${billing}&channel=webchat`)).total.created, 1);
      const annWeb = await total(`agentId=${ann.agent.id}&channel=whatsapp`);
      assert.equal(annWeb.total.handled, 1);
      assert.equal(annWeb.agents[0].handled, 1, "the agent table follows the channel too");
      assert.equal((await total("channel=")).total.created, 3, "an empty choice is no filter");
    });

    await t.step("CSV of each table: header, rows, total, as the JSON says", async () => {
      const r = await fetch(`${app.url}/api/v1/reports/export?${q}&table=days`, {
        headers: { cookie: boss.cookie },
      });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("content-type"), "text/csv; charset=utf-8");
      assert.equal(
        r.headers.get("content-disposition"),
        `attachment; filename="parley-days-${today}_${today}.csv"`,
      );
      const rows = parseCsv(await r.text());
      assert.equal(rows[0][0], "Day (UTC)");
      assert.equal(rows[0][1], "New chats");
      assert.deepEqual(rows.map((x) => x[0]), ["Day (UTC)", today, "Total"]);
      assert.equal(rows[1][1], "3");
      assert.ok(rows.every((x) => x.length === rows[0].length), "every row has every column");

      const agents = parseCsv(
        await (await fetch(`${app.url}/api/v1/reports/export?${q}&table=agents`, {
          headers: { cookie: boss.cookie },
        })).text(),
      );
      assert.deepEqual(agents[0].slice(0, 3), ["Agent", "Team", "Chats handled"]);
      assert.deepEqual(agents.find((x) => x[0] === "Ann")?.slice(0, 3), ["Ann", "Billing", "2"]);
      const hours = parseCsv(
        await (await fetch(`${app.url}/api/v1/reports/export?${q}&table=hours`, {
          headers: { cookie: boss.cookie },
        })).text(),
      );
      assert.equal(hours.length, 25);
    });

    await t.step(
      "closed conversations CSV: wrap-up notes and tags, quoted and defused",
      async () => {
        const r = await fetch(
          `${app.url}/api/v1/reports/export?${q}&table=conversations&channel=webchat`,
          { headers: { cookie: admin.cookie } },
        );
        assert.equal(r.status, 200);
        const bytes = new Uint8Array(await r.arrayBuffer());
        assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], "a UTF-8 BOM, for Excel");
        const text = new TextDecoder().decode(bytes);
        const rows = parseCsv(text);
        assert.equal(rows[0][0], "Conversation");
        assert.equal(rows.length, 3, "the two web chats, not the WhatsApp one");
        const ann = rows.find((x) => x[0] === annChat)!;
        const col = (name: string) => ann[rows[0].indexOf(name)];
        assert.equal(col("Wrap-up notes"), 'Refund sent, "fast"\nsecond line');
        assert.equal(
          col("Tags"),
          "refund; =1+1",
          "a cell that only contains a formula later is text",
        );
        assert.equal(col("Contact"), "'=cmd|' /C calc'!A0", "a formula-looking name is defused");
        assert.equal(col("Agent"), "Ann");
        assert.equal(col("Team"), "Billing");
        const bobs = rows.find((x) => x[rows[0].indexOf("Agent")] === "Bob")!;
        assert.equal(bobs[rows[0].indexOf("Wrap-up notes")], "'-Password reset");
        assert.ok(/^\d+$/.test(col("Handle time (s)")));
      },
    );

    await t.step(
      "CSV headings follow the reader's language (or lang=); the cells never do",
      async () => {
        const csv = async (query: string, headers: Record<string, string> = {}) => {
          const r = await fetch(`${app.url}/api/v1/reports/export?${q}&${query}`, {
            headers: { cookie: boss.cookie, ...headers },
          });
          assert.equal(r.status, 200, query);
          return parseCsv(await r.text());
        };
        const en = await csv("table=days");
        const es = await csv("table=days", { "accept-language": "es-ES,es;q=0.9" });
        assert.deepEqual(es[0].slice(0, 3), ["Día (UTC)", "Chats nuevos", "Atendidos"]);
        assert.equal(es.at(-1)![0], "Total");
        assert.deepEqual(es.slice(1), en.slice(1), "the same figures, digits as they are");
        const closedEn = await csv("table=conversations");
        const closedPt = await csv("table=conversations&lang=pt", { "accept-language": "es" });
        assert.equal(closedPt[0][0], "Conversa");
        assert.ok(closedPt[0].includes("Notas de encerramento"));
        assert.deepEqual(closedPt.slice(1), closedEn.slice(1));
        const r = await app.api("GET", `/api/v1/reports/export?${q}&table=days&lang=de`, {
          as: boss,
        });
        assert.equal(r.status, 400);
        assert.ok(r.body.error.details.fields.lang);
      },
    );

    await t.step("agents get 403; signed out 401 or sign-in", async () => {
      res = await app.api("GET", `/api/v1/reports?${q}`, { as: ann });
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, "forbidden");
      res = await app.api("GET", `/api/v1/reports/export?${q}&table=days`, { as: ann });
      assert.equal(res.status, 403);
      res = await app.api("GET", `/api/v1/reports?${q}`);
      assert.equal(res.status, 401);
      res = await app.api("GET", "/supervise/reports", { as: ann });
      assert.equal(res.status, 403);
      res = await app.api("GET", "/supervise/reports");
      assert.equal(res.status, 302);
      assert.equal(res.headers.get("location"), "/login");
    });

    await t.step("bad filters: a clear 400 naming the field; unknown ids 404", async () => {
      const bad = async (query: string, field: string) => {
        const r = await app.api("GET", `/api/v1/reports?${query}`, { as: boss });
        assert.equal(r.status, 400, query);
        assert.equal(r.body.error.code, "invalid");
        assert.ok(r.body.error.details.fields[field], `${query}: ${JSON.stringify(r.body)}`);
      };
      await bad("from=2026-11-05&to=2026-11-01", "from");
      await bad("from=2025-01-01&to=2026-11-01", "from");
      await bad("from=yesterday", "from");
      await bad("from=2026-02-31", "from");
      await bad("channel=fax", "channel");
      await bad("from=2026-11-01&to=2026-11-02&day=2026-11-09", "day");
      res = await app.api("GET", `/api/v1/reports/export?${q}&table=everything`, { as: boss });
      assert.equal(res.status, 400);
      res = await app.api("GET", `/api/v1/reports?${q}&teamId=nope`, { as: boss });
      assert.equal(res.status, 404);
      res = await app.api("GET", `/api/v1/reports/export?${q}&table=days&agentId=nope`, {
        as: boss,
      });
      assert.equal(res.status, 404);
      res = await app.api("GET", "/supervise/reports?from=2026-11-05&to=2026-11-01", { as: boss });
      assert.equal(res.status, 400);
      assert.match(res.body, /Must be on or before the last day/);
      res = await app.api("GET", "/supervise/reports?from=2026-11-05&to=2026-11-01", {
        as: boss,
        headers: { "accept-language": "pt-BR" },
      });
      assert.equal(res.status, 400);
      assert.match(res.body, /Deve ser o último dia ou antes\./, "the page says it in Portuguese");
      res = await app.api("GET", "/supervise/reports?teamId=nope", {
        as: boss,
        headers: { "accept-language": "es" },
      });
      assert.match(res.body, /No encontrado: elige de nuevo\./);
      res = await app.api("GET", "/api/v1/reports?from=2026-11-05&to=2026-11-01", {
        as: boss,
        headers: { "accept-language": "es" },
      });
      assert.equal(res.body.error.details.fields.from, "Must be on or before the last day.");
    });

    await t.step(
      "the page: charts with titles and data tables, each table's CSV link",
      async () => {
        res = await app.api("GET", `/supervise/reports?${q}`, { as: boss });
        assert.equal(res.status, 200);
        const html = res.body as string;
        assert.equal((html.match(/<svg role="img"/g) ?? []).length, 3);
        assert.match(html, /<title id="volume-title">Chats per day<\/title>/);
        assert.equal((html.match(/Data table: /g) ?? []).length, 3);
        for (const table of ["days", "hours", "agents", "conversations"]) {
          assert.ok(html.includes(`table=${table}`), table);
        }
        res = await app.api("GET", "/", { as: boss });
        assert.match(res.body, /href="\/supervise\/reports"/, "the workspace header links to it");
        res = await app.api("GET", "/", { as: ann });
        assert.doesNotMatch(res.body, /href="\/supervise\/reports"/, "not for agents");
      },
    );
  } finally {
    await app.shutdown();
  }
});
