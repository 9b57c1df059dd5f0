/**
 * The live dashboard's JSON (`GET /api/v1/supervision/dashboard`) over real
 * HTTP: what is waiting per team and since when, every agent's status since
 * its change and load, Active chats whose customer waits for a reply, today's
 * counters; agents 403, a bad threshold 400.
 */
import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";
import { receiveCustomerMessage } from "../lib/store/engine/mod.ts";
import { SURVEY_COUNTED } from "../lib/reports/supervision_report.ts";

Deno.test("[dashboard] the dashboard's state for supervisors, refusals for the rest", async () => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    const boss = await app.createStaff("supervisor", { name: "Sue" });
    const ann = await app.createStaff("agent", { name: "Ann", maxChats: 2 });
    await app.api("PUT", "/api/v1/admin/settings", {
      as: admin,
      body: { dynamicAssignment: false },
    });
    let res = await app.api("POST", "/api/v1/admin/teams", {
      as: admin,
      body: { name: "Billing" },
    });
    const billing = res.body.team.id;
    await app.api("PUT", `/api/v1/admin/agents/${ann.agent.id}`, {
      as: admin,
      body: { teamId: billing },
    });
    await app.api("PUT", "/api/v1/me/status", { as: ann, body: { status: "online" } });
    const say = async (teamId: string | null, name: string) =>
      (await receiveCustomerMessage(app.engine, {
        channel: "webchat",
        contact: { webVisitorId: crypto.randomUUID(), name },
        clientId: crypto.randomUUID(),
        text: "Hello?",
        ...(teamId ? { teamId } : {}),
      })).conversation;
    const a = await say(billing, "Ada");
    await say(billing, "Ben");
    await say(null, "Cy");
    res = await app.api("POST", `/api/v1/conversations/${a.id}/pickup`, { as: ann, body: {} });
    assert.equal(res.status, 200);

    res = await app.api("GET", "/api/v1/supervision/dashboard", { as: boss });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const s = res.body;
    assert.equal(s.waitingTotal, 2);
    assert.deepEqual(
      s.waiting.map((w: { teamName: string | null; count: number }) => [w.teamName, w.count]),
      [["Billing", 1], [null, 1]],
      "per team, the longest wait first",
    );
    const annNow = s.agents.find((x: { name: string }) => x.name === "Ann");
    assert.deepEqual(
      [annNow.status, annNow.teamName, annNow.activeChats, annNow.maxChats],
      ["online", "Billing", 1, 2],
    );
    assert.ok(Date.parse(annNow.statusSince) <= Date.now());
    assert.equal(s.awaiting.length, 1, "Ada's chat waits for Ann's first reply");
    assert.equal(s.awaiting[0].contactName, "Ada");
    assert.equal(s.awaiting[0].contactUnnamed, false);
    assert.equal(s.awaiting[0].agentName, "Ann");
    assert.equal(s.slowAfterSeconds, 120);
    const { csat, ...counts } = s.today;
    assert.deepEqual(counts, { created: 3, closed: 0, handled: 0, transferred: 0, abandoned: 0 });
    assert.deepEqual(csat, SURVEY_COUNTED ? { answers: 0, percentOk: null } : null);

    await app.api("POST", `/api/v1/conversations/${a.id}/messages`, {
      as: ann,
      body: { text: "Hi Ada", clientId: "r1" },
    });
    res = await app.api("GET", "/api/v1/supervision/dashboard?slowAfter=30", { as: admin });
    assert.equal(res.body.awaiting.length, 0, "answered: no longer waiting for a reply");
    assert.equal(res.body.slowAfterSeconds, 30);

    res = await app.api("GET", "/api/v1/supervision/dashboard?slowAfter=1", { as: boss });
    assert.equal(res.status, 400);
    assert.ok(res.body.error.details.fields.slowAfter);
    res = await app.api("GET", "/api/v1/supervision/dashboard?slowAfter=soon", { as: boss });
    assert.equal(res.status, 400);
    res = await app.api("GET", "/api/v1/supervision/dashboard", { as: ann });
    assert.equal(res.status, 403);
    res = await app.api("GET", "/api/v1/supervision/dashboard");
    assert.equal(res.status, 401);
    res = await app.api("GET", "/supervise", { as: ann });
    assert.equal(res.status, 403);
    res = await app.api("GET", "/supervise", { as: boss });
    assert.equal(res.status, 200);
    assert.match(res.body, /data-island="SupervisorDashboard"/);
    assert.match(
      res.body,
      /data-testid="waiting-total">2</,
      "server-rendered with the state of the moment",
    );
  } finally {
    await app.shutdown();
  }
});

Deno.test("[dashboard] the page speaks the supervisor's language; the API marks a contact who gave no name", async () => {
  const app = await startTestApp();
  try {
    const admin = await app.createStaff("admin");
    const boss = await app.createStaff("supervisor", { name: "Sue" });
    await app.api("PUT", "/api/v1/admin/settings", {
      as: admin,
      body: { dynamicAssignment: false },
    });
    await app.api("PUT", "/api/v1/me/status", { as: boss, body: { status: "online" } });
    const { conversation } = await receiveCustomerMessage(app.engine, {
      channel: "webchat",
      contact: { webVisitorId: crypto.randomUUID() },
      clientId: crypto.randomUUID(),
      text: "Hola",
    });
    let res = await app.api("POST", `/api/v1/conversations/${conversation.id}/pickup`, {
      as: boss,
      body: {},
    });
    assert.equal(res.status, 200);
    res = await app.api("GET", "/api/v1/supervision/dashboard?slowAfter=10", { as: boss });
    assert.equal(res.body.awaiting[0].contactName, "Web visitor", "the API keeps English");
    assert.equal(res.body.awaiting[0].contactUnnamed, true);

    const page = async (locale: string) => {
      await app.api("PUT", "/api/v1/me/locale", { as: boss, body: { locale } });
      const res = await app.api("GET", "/supervise?slowAfter=600", { as: boss });
      assert.equal(res.status, 200);
      return res.body as string;
    };
    const es = await page("es");
    assert.match(es, /<html lang="es">/);
    assert.match(es, /<title>Panel en vivo · Parley<\/title>/);
    assert.match(es, /Marcar chats activos sin respuesta después de/);
    assert.match(es, /Hoy \(UTC\)/);
    assert.match(es, /Agentes — En línea: 1, Ocupado: 0, Desconectado: 1/);
    assert.match(es, /Sin respuesta de un agente desde hace más de 600 s:/);
    assert.match(es, /Nadie está esperando\./);
    assert.doesNotMatch(es, /Live dashboard|Nobody is waiting|Today \(UTC\)|Chats \/ max/);

    const pt = await page("pt");
    assert.match(pt, /<title>Painel ao vivo · Parley<\/title>/);
    assert.match(pt, /Ninguém está esperando\./);
    assert.match(pt, />Relatórios</);
  } finally {
    await app.shutdown();
  }
});
