/**
 * The audit log in words, for the admin console's page: what happened
 * ("Team created", not `team.created`) and what changed ("Changed: greeting,
 * allowed origins"; "Max chats per agent: 5 → 4"), with teams and people by
 * name rather than id. The stored entries (and the JSON API) keep their codes;
 * only the page translates them. Pure: the caller passes the names it knows.
 */
import type { AuditEntry } from "../store/audit.ts";

const ACTIONS: Record<string, string> = {
  "agent.created": "Account created",
  "agent.updated": "Account changed",
  "agent.deactivated": "Account deactivated",
  "agent.reactivated": "Account reactivated",
  "agent.password_reset": "Password reset",
  "agent.invite_accepted": "Invitation accepted",
  "team.created": "Team created",
  "team.renamed": "Team renamed",
  "team.deleted": "Team deleted",
  "quick_response.created": "Quick response created",
  "quick_response.updated": "Quick response changed",
  "quick_response.deleted": "Quick response deleted",
  "settings.updated": "Routing settings changed",
  "hours.updated": "Business hours changed",
  "site.created": "Widget site created",
  "site.updated": "Widget site changed",
  "site.deleted": "Widget site deleted",
  "whatsapp.updated": "WhatsApp connection changed",
  "whatsapp.tested": "WhatsApp connection tested",
  "api_key.created": "API key created",
  "api_key.revoked": "API key revoked",
  "webhook.created": "Webhook added",
  "webhook.updated": "Webhook changed",
  "webhook.deleted": "Webhook deleted",
  "contact.exported": "Contact data exported",
  "contact.erased": "Contact erased",
};

/** Field names as the console's forms label them. */
const FIELDS: Record<string, string> = {
  name: "name",
  email: "email",
  role: "role",
  teamId: "team",
  maxChats: "max chats",
  active: "active",
  allowedOrigins: "allowed origins",
  allowAnyOrigin: "any origin",
  colour: "colour",
  greeting: "greeting",
  preChatForm: "pre-chat form",
  phoneNumberId: "phone number id",
  accessToken: "access token",
  appSecret: "app secret",
  verifyToken: "verify token",
  graphUrl: "Graph API URL",
  graphVersion: "Graph API version",
  maxChatsPerAgent: "Max chats per agent",
  dynamicAssignment: "Dynamic assignment",
  heartbeatGraceSeconds: "Offline grace period (s)",
  requeueOnOffline: "Requeue on offline",
  unansweredTimeoutSeconds: "Unanswered-chat timeout (s)",
  maxTransfersPerAgent: "Max transferred chats per agent",
  url: "URL",
};

const ROLES: Record<string, string> = { agent: "Agent", supervisor: "Supervisor", admin: "Admin" };

/** "team.created" → "Team created"; an unknown code → its words ("foo.bar_baz" → "Foo bar baz"). */
export function auditActionInWords(action: string): string {
  if (ACTIONS[action]) return ACTIONS[action];
  const words = action.replace(/[._]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function fieldName(key: string): string {
  return FIELDS[key] ?? key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

function valueInWords(value: unknown): string {
  if (value === true) return "on";
  if (value === false) return "off";
  if (value === null || value === undefined || value === "") return "none";
  return String(value);
}

/** Names the console knows, to show instead of ids. */
export interface AuditNames {
  team(id: string): string | null;
  agent(id: string): string | null;
}

/** The entry's details as a short sentence; "" when there is nothing to add. */
export function auditDetailsInWords(entry: AuditEntry, names: AuditNames): string {
  const d = entry.details;
  if (!d || typeof d !== "object") return "";
  const parts: string[] = [];
  for (const [key, value] of Object.entries(d)) {
    if (key === "fields" && Array.isArray(value)) {
      if (value.length) parts.push(`Changed: ${value.map((f) => fieldName(String(f))).join(", ")}`);
    } else if (key === "role") {
      parts.push(`Role: ${ROLES[String(value)] ?? String(value)}`);
    } else if (key === "from" && entry.action === "team.renamed") {
      parts.push(`Was "${String(value)}"`);
    } else if (key === "ok" && entry.action === "whatsapp.tested") {
      parts.push(value ? "Connected" : "Could not connect");
    } else if (key === "scope") {
      parts.push(`For ${scopeInWords(String(value), names)}`);
    } else if (key === "scopes" && Array.isArray(value)) {
      parts.push(`Allows: ${value.join(", ")}`);
    } else if (
      value && typeof value === "object" && "from" in value && "to" in value
    ) {
      const change = value as { from: unknown; to: unknown };
      parts.push(`${fieldName(key)}: ${valueInWords(change.from)} → ${valueInWords(change.to)}`);
    } else if (key.endsWith("Id") && typeof value === "string") {
      const name = key === "teamId" ? names.team(value) : names.agent(value);
      parts.push(`${fieldName(key)}: ${name ?? "removed"}`);
    } else {
      parts.push(
        `${fieldName(key)}: ${Array.isArray(value) ? value.join(", ") : valueInWords(value)}`,
      );
    }
  }
  return parts.join("; ");
}

/** A quick response's scope: "everyone", "team Billing", "Ana Agent's own". */
function scopeInWords(scope: string, names: AuditNames): string {
  if (scope.startsWith("team:")) return `team ${names.team(scope.slice(5)) ?? "(deleted team)"}`;
  if (scope.startsWith("personal:")) {
    const who = names.agent(scope.slice(9));
    return who ? `${who}'s own use` : "personal use";
  }
  return "everyone";
}
