/**
 * The audit log in words, for the admin console's page: what happened
 * ("Team created", not `team.created`) and what changed ("Changed: greeting,
 * allowed origins"; "Max chats per agent: 5 → 4"), with teams and people by
 * name rather than id, in the page's language (the catalogs' `admin.audit.*`).
 * The stored entries (and the JSON API) keep their codes and English labels;
 * only the page translates them. Pure: the caller passes the names it knows.
 */
import type { AuditEntry } from "../store/audit.ts";
import { CATALOGS, currentLocale, type Locale, type MessageKey, translate } from "../i18n/mod.ts";
import { apiScopeInWords } from "./api_scope_words.ts";

/** The catalog key `admin.audit.<group>.<code>` when the catalog has one. */
function known(group: string, code: string): MessageKey | null {
  const key = `admin.audit.${group}.${code}`;
  return key in CATALOGS.en ? key as MessageKey : null;
}

/** "team.created" → "Team created"; an unknown code → its words ("foo.bar_baz" → "Foo bar baz"). */
export function auditActionInWords(action: string, locale: Locale = currentLocale()): string {
  const key = known("action", action);
  if (key) return translate(locale, key);
  const words = action.replace(/[._]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The label of what changed: names stay; the fixed English labels the store wrote are translated. */
export function auditTargetInWords(entry: AuditEntry, locale: Locale = currentLocale()): string {
  const say = (key: MessageKey) => translate(locale, key);
  if (entry.targetType === "settings") {
    if (entry.targetId === "routing") return say("admin.audit.label.routing");
    if (entry.targetId === "business_hours") return say("admin.audit.label.businessHours");
  }
  if (entry.targetType === "whatsapp") {
    return say(
      entry.action === "whatsapp.templates_refreshed"
        ? "admin.audit.label.whatsappTemplates"
        : "admin.audit.label.whatsapp",
    );
  }
  if (entry.targetType === "contact" && entry.targetLabel === `Contact ${entry.targetId}`) {
    return translate(locale, "admin.audit.label.contact", { id: entry.targetId });
  }
  return entry.targetLabel;
}

function fieldName(key: string, locale: Locale): string {
  const known_ = known("field", key);
  return known_ ? translate(locale, known_) : key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

/** Values that are codes, in the words the settings page shows for them. */
const VALUE_WORDS: Record<string, Record<string, MessageKey>> = {
  surveyMode: {
    off: "admin.settings.surveyOff",
    csat: "admin.settings.surveyCsat",
    csat_nps: "admin.settings.surveyCsatNps",
  },
};

function valueInWords(value: unknown, locale: Locale, field = ""): string {
  const coded = VALUE_WORDS[field]?.[String(value)];
  if (coded) return translate(locale, coded);
  if (value === true) return translate(locale, "admin.audit.on");
  if (value === false) return translate(locale, "admin.audit.off");
  if (value === null || value === undefined || value === "") {
    return translate(locale, "admin.audit.empty");
  }
  if (Array.isArray(value)) {
    return value.length ? value.join(", ") : translate(locale, "admin.audit.empty");
  }
  return String(value);
}

/** Names the console knows, to show instead of ids. */
export interface AuditNames {
  team(id: string): string | null;
  agent(id: string): string | null;
}

const ROLE_KEYS: Record<string, MessageKey> = {
  agent: "role.agent",
  supervisor: "role.supervisor",
  admin: "role.admin",
};

/** The entry's details as a short sentence; "" when there is nothing to add. */
export function auditDetailsInWords(
  entry: AuditEntry,
  names: AuditNames,
  locale: Locale = currentLocale(),
): string {
  const d = entry.details;
  if (!d || typeof d !== "object") return "";
  const say = (key: MessageKey, vars?: Record<string, string | number>) =>
    translate(locale, key, vars);
  const parts: string[] = [];
  const changedObjects: string[] = [];
  for (const [key, value] of Object.entries(d)) {
    if (key === "fields" && Array.isArray(value)) {
      if (value.length) {
        const fields = value.map((f) => fieldName(String(f), locale)).join(", ");
        parts.push(say("admin.audit.changed", { fields }));
      }
    } else if (key === "role") {
      const role = ROLE_KEYS[String(value)];
      parts.push(say("admin.audit.role", { role: role ? say(role) : String(value) }));
    } else if (key === "from" && entry.action === "team.renamed") {
      parts.push(say("admin.audit.was", { name: String(value) }));
    } else if (key === "ok" && entry.action === "whatsapp.tested") {
      parts.push(say(value ? "admin.audit.connected" : "admin.audit.notConnected"));
    } else if (key === "ok" && entry.action === "whatsapp.templates_refreshed") {
      parts.push(say(value ? "admin.audit.refreshed" : "admin.audit.notRefreshed"));
    } else if (key === "followsDefault" && value === true) {
      parts.push(say("admin.audit.followsDefault"));
    } else if (key === "scope") {
      parts.push(say("admin.audit.for", { scope: scopeInWords(String(value), names, locale) }));
    } else if (key === "scopes" && Array.isArray(value)) {
      const scopes = value.map((s) => apiScopeInWords(String(s), locale)).join(", ");
      parts.push(say("admin.audit.allows", { scopes }));
    } else if (
      value && typeof value === "object" && "from" in value && "to" in value
    ) {
      const change = value as { from: unknown; to: unknown };
      const isText = (v: unknown) => v && typeof v === "object" && !Array.isArray(v);
      if (isText(change.from) || isText(change.to)) {
        // A value with parts (the warning text per language): named, not printed.
        changedObjects.push(fieldName(key, locale));
      } else {
        parts.push(say("admin.audit.change", {
          field: fieldName(key, locale),
          from: valueInWords(change.from, locale, key),
          to: valueInWords(change.to, locale, key),
        }));
      }
    } else if (key.endsWith("Id") && typeof value === "string") {
      const name = key === "teamId" ? names.team(value) : names.agent(value);
      parts.push(say("admin.audit.value", {
        field: fieldName(key, locale),
        value: name ?? say("admin.audit.removed"),
      }));
    } else {
      parts.push(say("admin.audit.value", {
        field: fieldName(key, locale),
        value: typeof value === "number" ? value : valueInWords(value, locale),
      }));
    }
  }
  if (changedObjects.length) {
    parts.push(say("admin.audit.changed", { fields: changedObjects.join(", ") }));
  }
  return parts.join("; ");
}

/** A quick response's scope: "everyone", "team Billing", "Ana Agent's own use". */
function scopeInWords(scope: string, names: AuditNames, locale: Locale): string {
  if (scope.startsWith("team:")) {
    const name = names.team(scope.slice(5)) ?? translate(locale, "admin.audit.deletedTeam");
    return translate(locale, "admin.audit.scopeTeam", { name });
  }
  if (scope.startsWith("personal:")) {
    const who = names.agent(scope.slice(9));
    return who
      ? translate(locale, "admin.audit.scopeOwn", { name: who })
      : translate(locale, "admin.audit.scopePersonal");
  }
  return translate(locale, "admin.audit.scopeEveryone");
}
