import assert from "node:assert/strict";
import { auditActionInWords, auditDetailsInWords, auditTargetInWords } from "./audit_words.ts";
import type { AuditEntry } from "../store/audit.ts";

const entry = (action: string, details: Record<string, unknown>): AuditEntry => ({
  id: "e1",
  at: "2026-12-01T10:00:00.000Z",
  actorId: "a1",
  actorName: "Rosa",
  action,
  targetType: "team",
  targetId: "t1",
  targetLabel: "x",
  details,
});
const names = {
  team: (id: string) => (id === "t1" ? "Billing" : null),
  agent: (id: string) => (id === "a2" ? "Ana Agent" : null),
};

Deno.test("[admin] audit log in words: events, changes, names instead of ids", () => {
  assert.equal(auditActionInWords("team.created"), "Team created");
  assert.equal(auditActionInWords("something.new_thing"), "Something new thing");
  assert.equal(
    auditDetailsInWords(
      entry("settings.updated", {
        maxChatsPerAgent: { from: 5, to: 4 },
        dynamicAssignment: { from: true, to: false },
      }),
      names,
    ),
    "Max chats per agent: 5 → 4; Dynamic assignment: on → off",
  );
  assert.equal(
    auditDetailsInWords(entry("site.updated", { fields: ["greeting", "allowedOrigins"] }), names),
    "Changed: greeting, allowed origins",
  );
  assert.equal(
    auditDetailsInWords(entry("quick_response.created", { scope: "team:t1" }), names),
    "For team Billing",
  );
  assert.equal(
    auditDetailsInWords(entry("quick_response.created", { scope: "personal:a2" }), names),
    "For Ana Agent's own use",
  );
  assert.equal(
    auditDetailsInWords(entry("whatsapp.tested", { ok: false }), names),
    "Could not connect",
  );
  assert.equal(
    auditDetailsInWords(entry("agent.created", { role: "supervisor" }), names),
    "Role: Supervisor",
  );
  assert.equal(auditDetailsInWords(entry("x.y", { teamId: "t1" }), names), "team: Billing");
});

Deno.test("[admin] audit log in Spanish and Portuguese: events, changes, scopes, fixed labels", () => {
  assert.equal(auditActionInWords("team.created", "es"), "Equipo creado");
  assert.equal(auditActionInWords("api_key.revoked", "pt"), "Chave de API revogada");
  assert.equal(auditActionInWords("something.new_thing", "es"), "Something new thing");
  assert.equal(
    auditDetailsInWords(
      entry("settings.updated", {
        maxChatsPerAgent: { from: 5, to: 4 },
        dynamicAssignment: { from: true, to: false },
        inactivityWarningText: { from: { en: "a" }, to: { en: "b" } },
      }),
      names,
      "es",
    ),
    "Máximo de chats por agente: 5 → 4; Asignación dinámica: activado → desactivado; " +
      "Cambiado: Texto del aviso por inactividad",
  );
  assert.equal(
    auditDetailsInWords(entry("quick_response.created", { scope: "personal:a2" }), names, "pt"),
    "Para uso pessoal de Ana Agent",
  );
  assert.equal(
    auditDetailsInWords(entry("api_key.created", { scopes: ["conversations:read"] }), names, "es"),
    "Permite: Leer conversaciones",
  );
  assert.equal(
    auditDetailsInWords(entry("agent.created", { role: "supervisor" }), names, "pt"),
    "Função: Supervisor",
  );
  assert.equal(
    auditDetailsInWords(entry("team.renamed", { from: "Sales" }), names, "es"),
    "Antes: «Sales»",
  );
  const routing = { ...entry("settings.updated", {}), targetType: "settings" as const };
  assert.equal(
    auditTargetInWords({ ...routing, targetId: "routing", targetLabel: "Routing settings" }, "pt"),
    "Configurações de roteamento",
  );
  assert.equal(auditTargetInWords(entry("team.created", {}), "es"), "x", "names stay as stored");
});

Deno.test("[admin] audit log: a setting whose value is a code is shown as the settings page words it", () => {
  const change = entry("settings.updated", { surveyMode: { from: "off", to: "csat_nps" } });
  assert.equal(
    auditDetailsInWords(change, names, "en"),
    "Survey after close: Off → OK / KO and a 0–10 recommend score (NPS)",
  );
  assert.equal(
    auditDetailsInWords(change, names, "pt"),
    "Pesquisa após o encerramento: Desativada → Boa / Má e uma nota de recomendação de 0 a 10 (NPS)",
  );
});
