/**
 * The data of the English guard (i18n_guard_browser_test.ts): a support day in
 * Spanish and Portuguese words (no English in any name or message, so any
 * English on a page is the page's own), with something in every section of
 * every staff page, the admin console's included.
 */
import assert from "node:assert/strict";
import type { Staff, TestApp } from "./helpers.ts";
import { Visitor } from "./workspace_helpers.ts";
import { answerSurvey } from "../lib/store/engine/mod.ts";

export interface Seeded {
  admin: Staff;
  sup: Staff;
  ana: Staff;
  carla: string;
  closed: string;
  /** The admin console's pages, each with something on it. */
  adminPages: string[];
}

/** A support day in Spanish and Portuguese words, so every section of every page has something. */
export async function seed(app: TestApp): Promise<Seeded> {
  const admin = await app.createStaff("admin", { name: "Adela Ramos" });
  const sup = await app.createStaff("supervisor", { name: "Sofía Lima" });
  const ana = await app.createStaff("agent", { name: "Ana Pérez", maxChats: 3 });
  let res = await app.api("PUT", "/api/v1/admin/settings", {
    as: admin,
    body: {
      dynamicAssignment: false,
      surveyMode: "csat_nps",
      surveyComment: true,
      wrapUpTags: ["reembolso", "envío"],
    },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  res = await app.api("POST", "/api/v1/admin/teams", { as: admin, body: { name: "Soporte" } });
  const teamId = res.body.team.id;
  await app.api("PUT", `/api/v1/admin/agents/${ana.agent.id}`, {
    as: admin,
    body: { teamId },
  });
  for (const who of [sup, ana]) {
    await app.api("PUT", "/api/v1/me/status", { as: who, body: { status: "online" } });
  }
  const pickup = async (id: string, as: Staff) => {
    const r = await app.api("POST", `/api/v1/conversations/${id}/pickup`, { as, body: {} });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  };
  const staffSays = async (id: string, as: Staff, text: string, extra = {}) => {
    const r = await app.api("POST", `/api/v1/conversations/${id}/messages`, {
      as,
      body: { text, clientId: crypto.randomUUID(), ...extra },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  };

  // Waiting in the queue, with the website's context.
  const bruno = await new Visitor(app).start("Bruno Costa");
  await bruno.addContext({ pedido: "A-1234" });
  await bruno.say("Hola, ¿dónde está mi pedido?");

  // Held by the supervisor, the customer waiting for an answer; a note and a question too.
  const carlaVisitor = await new Visitor(app).start("Carla Souza");
  const carla = await carlaVisitor.say("Olá, preciso de ajuda");
  await pickup(carla, sup);
  await staffSays(carla, sup, "Claro, un momento");
  await staffSays(carla, sup, "nota interna: revisar envío", { internal: true });
  await carlaVisitor.say("Gracias, ¿y el envío?");

  // Someone who gave no name, held and waiting too.
  const nobody = new Visitor(app);
  res = await app.api("POST", "/api/v1/widget/sessions", { body: {} });
  nobody.token = res.body.visitorToken;
  await pickup(await nobody.say("Hola"), sup);

  // Closed today after a transfer, with a wrap-up and a survey answer.
  const diego = await new Visitor(app).start("Diego Gómez");
  const closed = await diego.say("Quiero un reembolso");
  await pickup(closed, ana);
  await staffSays(closed, ana, "Lo reviso ahora");
  await staffSays(closed, ana, "¿Puedes revisarlo?", { toSupervisor: true });
  res = await app.api("POST", `/api/v1/conversations/${closed}/transfer`, {
    as: ana,
    body: { toAgentId: sup.agent.id, note: "Cliente habitual" },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  res = await app.api("POST", `/api/v1/conversations/${closed}/close`, {
    as: sup,
    body: { notes: "Reembolso hecho", tags: ["reembolso"] },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const conv = await app.api("GET", `/api/v1/conversations/${closed}`, { as: sup });
  await answerSurvey(app.engine, closed, { contactId: conv.body.contactId }, {
    rating: "ok",
    nps: 9,
    comment: "Muy amables",
  });
  const adminPages = await seedAdmin(app, admin, teamId, ana, conv.body.contactId);
  return { admin, sup, ana, carla, closed, adminPages };
}

/** Something on every admin page: a quick response, a site, an API key, a webhook, hours, audit. */
async function seedAdmin(
  app: TestApp,
  admin: Staff,
  teamId: string,
  ana: Staff,
  contactId: string,
): Promise<string[]> {
  const made = async (path: string, body: unknown) => {
    const r = await app.api("POST", path, { as: admin, body });
    assert.ok(r.status < 300, `${path}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const qr = await made("/api/v1/admin/quick-responses", {
    title: "Saludo",
    shortcut: "hola",
    body: "Hola {{contact.name}}, ¿en qué te ayudo?",
  });
  const site = await made("/api/v1/admin/sites", {
    name: "Tienda",
    allowedOrigins: ["https://tienda.example"],
  });
  await made("/api/v1/admin/api-keys", { name: "Informes", scopes: ["conversations:read"] });
  const hook = await made("/api/v1/admin/webhooks", {
    url: "https://ganchos.example/parley",
    events: ["conversation.closed"],
  });
  const hours = await app.api("PUT", "/api/v1/admin/business-hours", {
    as: admin,
    body: {
      hours: {
        enabled: true,
        timeZone: "Europe/Madrid",
        weekly: {
          mon: [{ from: "09:00", to: "18:00" }],
          tue: [{ from: "09:00", to: "18:00" }],
          wed: [],
          thu: [],
          fri: [{ from: "22:00", to: "02:00" }],
          sat: [],
          sun: [],
        },
        holidays: ["2026-12-25"],
      },
    },
  });
  assert.equal(hours.status, 200, JSON.stringify(hours.body));
  const siteId = (site.site ?? site).id;
  return [
    "/admin/agents",
    `/admin/agents/${ana.agent.id}`,
    "/admin/teams",
    "/admin/quick-responses",
    `/admin/quick-responses/${(qr.quickResponse ?? qr).id}`,
    "/admin/settings",
    "/admin/channels",
    `/admin/channels/sites/${siteId}`,
    `/admin/channels/sites/${siteId}/delete`,
    "/admin/hours",
    `/admin/hours/${teamId}`,
    "/admin/privacy",
    "/admin/privacy?q=Diego",
    `/admin/privacy/${contactId}/erase`,
    "/admin/api-keys",
    "/admin/webhooks",
    `/admin/webhooks/${(hook.webhook ?? hook).id}`,
    "/admin/audit",
  ];
}
