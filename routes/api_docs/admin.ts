/**
 * The OpenAPI operations of the admin API (admin role only): agents, teams, quick responses,
 * channels, routing settings, the audit log and API keys; and the metrics supervisors read too. Schemas are the ones the handlers parse.
 */
import {
  admin,
  type ApiOperation,
  type HttpMethod,
  supervisors,
} from "../../lib/openapi/operations.ts";
import type { z } from "zod";
import {
  createAgentRequestSchema,
  resetPasswordRequestSchema,
  updateAgentRequestSchema,
} from "../../lib/admin/agents.ts";
import { settingsUpdateSchema } from "../../lib/domain/settings.ts";
import { defaultHoursBody, teamHoursBody } from "../business_hours_api.ts";
import { apiKeyInputSchema } from "../../lib/store/api_keys.ts";
import {
  quickResponseImportSchema,
  quickResponseInputSchema,
} from "../../lib/store/quick_responses.ts";
import { siteInputSchema, siteUpdateSchema } from "../../lib/store/sites.ts";
import { teamInputSchema } from "../../lib/store/teams.ts";
import { whatsAppConfigInputSchema } from "../../lib/store/whatsapp_config.ts";
import { webhookInputSchema, webhookUpdateSchema } from "../../lib/webhooks/endpoints.ts";
import { deliveriesQuery } from "../webhooks_api.ts";
import { contactSearchSchema, eraseRequestSchema } from "../../lib/admin/privacy.ts";
import { auditQuerySchema } from "../admin_console_api.ts";
import { metricsQuerySchema } from "../../lib/reports/metrics_report.ts";
import { reportQuerySchema } from "../../lib/reports/report_query.ts";
import { dashboardQuerySchema } from "../../lib/reports/dashboard.ts";
import { exportQuerySchema } from "../../lib/reports/report_export.ts";

/** One admin operation; `ok` is the success status and what it answers. */
function op(
  method: HttpMethod,
  path: string,
  tag: string,
  summary: string,
  ok: [number, string],
  extra: Partial<ApiOperation> & { body?: z.ZodType; examples?: Record<string, unknown> } = {},
): ApiOperation {
  const responses: Record<number, string> = { [ok[0]]: ok[1] };
  if (extra.body || extra.query) responses[400] = "Invalid: `details.fields` names each bad field.";
  if (path.includes(":")) responses[404] = "Unknown id.";
  return {
    method,
    path,
    tag,
    summary,
    access: admin,
    produces: "json",
    ...extra,
    responses: { ...responses, ...extra.responses },
  };
}

const qrExample = {
  title: "Opening hours",
  shortcut: "hours",
  body: "We are open 9–17, {{contact.firstName}}.",
  scope: "everyone",
};

export const adminOperations: ApiOperation[] = [
  op("GET", "/api/v1/admin/agents", "Admin: agents", "Every account with live status", [
    200,
    "`{items}`.",
  ]),
  op("POST", "/api/v1/admin/agents", "Admin: agents", "Create an account", [
    201,
    "`{agent, invitePath}` (`invitePath` for an invite).",
  ], {
    body: createAgentRequestSchema,
    examples: {
      withPassword: {
        name: "Ana Lima",
        email: "ana@example.com",
        role: "agent",
        password: "a-long-secret",
      },
      invite: { name: "Bo Chen", email: "bo@example.com", role: "supervisor", invite: true },
    },
    responses: { 409: "`email_taken`." },
  }),
  op("GET", "/api/v1/admin/agents/:id", "Admin: agents", "One account", [200, "`{agent}`."]),
  op("PUT", "/api/v1/admin/agents/:id", "Admin: agents", "Edit an account", [200, "`{agent}`."], {
    body: updateAgentRequestSchema,
    examples: { promote: { role: "supervisor", maxChats: 6 } },
  }),
  op("POST", "/api/v1/admin/agents/:id/deactivate", "Admin: agents", "Deactivate an account", [
    200,
    "`{agent, requeued}`: sessions end, chats go back to the queue.",
  ]),
  op("POST", "/api/v1/admin/agents/:id/reactivate", "Admin: agents", "Reactivate an account", [
    200,
    "`{agent}`.",
  ]),
  op("POST", "/api/v1/admin/agents/:id/password", "Admin: agents", "Reset a password", [
    200,
    "`{invitePath}` (null for a password); sessions end.",
  ], { body: resetPasswordRequestSchema, examples: { invite: { invite: true } } }),
  op("GET", "/api/v1/admin/teams", "Admin: teams", "Every team", [200, "`{items}`."]),
  op("POST", "/api/v1/admin/teams", "Admin: teams", "Create a team", [201, "`{team}`."], {
    body: teamInputSchema,
    examples: { billing: { name: "Billing" } },
    responses: { 409: "`name_taken`." },
  }),
  op("PUT", "/api/v1/admin/teams/:id", "Admin: teams", "Rename a team", [200, "`{team}`."], {
    body: teamInputSchema,
    examples: { rename: { name: "Payments" } },
  }),
  op("DELETE", "/api/v1/admin/teams/:id", "Admin: teams", "Delete an empty team", [
    204,
    "Deleted.",
  ], { responses: { 409: "`team_not_empty`." } }),
  op("GET", "/api/v1/admin/quick-responses", "Admin: quick responses", "Every quick response", [
    200,
    "`{items}`.",
  ]),
  op("GET", "/api/v1/admin/quick-responses/export", "Admin: quick responses", "Export as JSON", [
    200,
    "`{version: 1, quickResponses}` as a download.",
  ]),
  op("POST", "/api/v1/admin/quick-responses/import", "Admin: quick responses", "Import", [
    200,
    "`{created, updated}`.",
  ], { body: quickResponseImportSchema, examples: { one: { quickResponses: [qrExample] } } }),
  op("POST", "/api/v1/admin/quick-responses", "Admin: quick responses", "Add", [
    201,
    "`{quickResponse}`.",
  ], { body: quickResponseInputSchema, examples: { everyone: qrExample } }),
  op("PUT", "/api/v1/admin/quick-responses/:id", "Admin: quick responses", "Replace", [
    200,
    "`{quickResponse}`.",
  ], { body: quickResponseInputSchema, examples: { everyone: qrExample } }),
  op("DELETE", "/api/v1/admin/quick-responses/:id", "Admin: quick responses", "Delete", [
    204,
    "Deleted.",
  ]),
  op("GET", "/api/v1/admin/sites", "Admin: channels", "Web widget sites with embed snippets", [
    200,
    "`{items}`.",
  ]),
  op("POST", "/api/v1/admin/sites", "Admin: channels", "Add a site", [201, "`{site}`."], {
    body: siteInputSchema,
    examples: { shop: { name: "Shop", allowedOrigins: ["https://shop.example.com"] } },
  }),
  op("PUT", "/api/v1/admin/sites/:id", "Admin: channels", "Edit a site", [200, "`{site}`."], {
    body: siteUpdateSchema,
    examples: { colour: { colour: "#0f766e" } },
  }),
  op("DELETE", "/api/v1/admin/sites/:id", "Admin: channels", "Delete a site", [204, "Deleted."], {
    responses: { 409: "`default_site`." },
  }),
  op("GET", "/api/v1/admin/whatsapp", "Admin: channels", "The WhatsApp connection", [
    200,
    "Settings; secrets only as `…Set` booleans.",
  ]),
  op("PUT", "/api/v1/admin/whatsapp", "Admin: channels", "Save the WhatsApp connection", [
    200,
    "The same shape as GET.",
  ], {
    body: whatsAppConfigInputSchema.strict(),
    examples: { number: { phoneNumberId: "1234567890", accessToken: "EAAG…" } },
  }),
  op("POST", "/api/v1/admin/whatsapp/test", "Admin: channels", "Test the WhatsApp connection", [
    200,
    "`{ok, message, displayPhoneNumber, verifiedName}`.",
  ]),
  op("GET", "/api/v1/admin/whatsapp/templates", "Admin: channels", "Cached message templates", [
    200,
    "`{items, state}` (every status).",
  ]),
  op("POST", "/api/v1/admin/whatsapp/templates/refresh", "Admin: channels", "Re-read templates", [
    200,
    "`{ok, message, items, state}` from Meta's Graph API.",
  ]),
  op("GET", "/api/v1/admin/settings", "Admin: routing", "Routing settings", [200, "`{settings}`."]),
  op("PUT", "/api/v1/admin/settings", "Admin: routing", "Change routing settings", [
    200,
    "`{settings}`; applies at once.",
  ], { body: settingsUpdateSchema, examples: { busier: { maxChatsPerAgent: 5 } } }),
  op("GET", "/api/v1/admin/business-hours", "Admin: business hours", "Default and team hours", [
    200,
    "`{default, teams: [{teamId, name, hours}]}` (`hours` null: the team follows the default).",
  ]),
  op("PUT", "/api/v1/admin/business-hours", "Admin: business hours", "Set the default hours", [
    200,
    "`{hours}`; applies at once.",
  ], {
    body: defaultHoursBody,
    examples: {
      office: {
        hours: {
          enabled: true,
          timeZone: "Europe/Berlin",
          weekly: {
            mon: [{ from: "09:00", to: "17:00" }],
            tue: [{ from: "09:00", to: "17:00" }],
            wed: [{ from: "09:00", to: "17:00" }],
            thu: [{ from: "09:00", to: "17:00" }],
            fri: [{ from: "09:00", to: "12:00" }, { from: "13:00", to: "17:00" }],
            sat: [],
            sun: [],
          },
          holidays: ["2026-12-25", "2026-12-26"],
        },
      },
    },
  }),
  op(
    "PUT",
    "/api/v1/admin/teams/:id/business-hours",
    "Admin: business hours",
    "Set a team's own hours (null: follow the default)",
    [200, "`{teamId, hours}`."],
    {
      body: teamHoursBody,
      examples: { follow: { hours: null } },
      responses: { 404: "Unknown team." },
    },
  ),
  op("GET", "/api/v1/metrics", "Supervision", "Metrics per UTC day or hour, and in total", [
    200,
    "`{scope, grain, from, to, buckets, total}`: counts, averages and p50/p90 (docs/api.md).",
  ], {
    query: metricsQuerySchema,
    access: supervisors,
    responses: { 403: "Agents may not.", 404: "Unknown team or agent." },
  }),
  op("GET", "/api/v1/supervision/dashboard", "Supervision", "The live dashboard's state now", [
    200,
    "`{now, slowAfterSeconds, waiting, waitingTotal, agents, awaiting, today}` (docs/api.md).",
  ], { query: dashboardQuerySchema, access: supervisors, responses: { 403: "Agents may not." } }),
  op(
    "GET",
    "/api/v1/reports",
    "Supervision",
    "The supervision report: per day, per hour, per agent",
    [
      200,
      '`{filters, days, hours, total, agents, teams, staff}` (docs/api.md, "Reports").',
    ],
    {
      query: reportQuerySchema,
      access: supervisors,
      responses: { 403: "Agents may not.", 404: "Unknown team or agent." },
    },
  ),
  op(
    "GET",
    "/api/v1/reports/export",
    "Supervision",
    "A report table, or the closed chats, as CSV",
    [
      200,
      "`text/csv` (UTF-8 with BOM, CRLF), as an attachment; headings in the caller's language (or `lang`); formula-like cells defused.",
    ],
    {
      query: reportQuerySchema.extend(exportQuerySchema.shape),
      access: supervisors,
      produces: "csv",
      responses: { 403: "Agents may not.", 404: "Unknown team or agent." },
    },
  ),
  op("GET", "/api/v1/admin/audit", "Admin: audit log", "Audit entries, newest first", [
    200,
    "`{items, cursor}`.",
  ], { query: auditQuerySchema }),
  op("GET", "/api/v1/admin/api-keys", "Admin: API keys", "Every API key (never a token)", [
    200,
    "`{items, scopes}`.",
  ]),
  op("POST", "/api/v1/admin/api-keys", "Admin: API keys", "Create an API key", [
    201,
    "`{apiKey, token}`: the token is in this answer only.",
  ], {
    body: apiKeyInputSchema,
    examples: { crm: { name: "CRM sync", scopes: ["conversations:read", "contacts:manage"] } },
    responses: { 409: "`too_many_keys`." },
  }),
  op("POST", "/api/v1/admin/api-keys/:id/revoke", "Admin: API keys", "Revoke an API key", [
    200,
    "`{apiKey}` with `revokedAt`; the key is refused from now on.",
  ], { responses: { 409: "`already_revoked`." } }),
  op("GET", "/api/v1/admin/contacts", "Admin: privacy", "Find contacts", [
    200,
    "`{items: [contact]}` (at most 20): exact id, web visitor id or WhatsApp id, or name/email/phone containing `q`.",
  ], { query: contactSearchSchema }),
  op("GET", "/api/v1/admin/contacts/:id/export", "Admin: privacy", "Export a contact's data", [
    200,
    "`{exportedAt, contact, mergedContacts, conversations: [{conversation, messages, notes}]}` as a download; audited `contact.exported`.",
  ]),
  op("POST", "/api/v1/admin/contacts/:id/erase", "Admin: privacy", "Erase a contact", [
    200,
    "`{erased: true, conversations}`; audited `contact.erased`.",
  ], {
    body: eraseRequestSchema,
    examples: { confirmed: { confirm: "ERASE" } },
    responses: { 409: "`contact_has_open_chat` (`details.conversationId`): close it first." },
  }),
  op("GET", "/api/v1/admin/webhooks", "Admin: webhooks", "Webhook endpoints (never a secret)", [
    200,
    "`{items: [{id, url, events, active, secretHint, createdAt, createdBy}], events}`.",
  ]),
  op("POST", "/api/v1/admin/webhooks", "Admin: webhooks", "Add a webhook endpoint", [
    201,
    "`{webhook, secret}`: the signing secret is in this answer only.",
  ], {
    body: webhookInputSchema,
    examples: {
      crm: { url: "https://crm.example.com/hooks/parley", events: ["conversation.closed"] },
      ownSecret: {
        url: "https://bot.example.com/parley",
        events: ["message.created", "conversation.created"],
        secret: "a-secret-of-at-least-16-chars",
      },
    },
    responses: { 409: "`too_many_webhooks`." },
  }),
  op("PUT", "/api/v1/admin/webhooks/:id", "Admin: webhooks", "Edit, pause or resume", [
    200,
    "`{webhook}`.",
  ], { body: webhookUpdateSchema, examples: { pause: { active: false } } }),
  op("DELETE", "/api/v1/admin/webhooks/:id", "Admin: webhooks", "Delete an endpoint", [
    204,
    "Deleted; its queued deliveries stop.",
  ]),
  op("GET", "/api/v1/admin/webhooks/:id/deliveries", "Admin: webhooks", "The delivery log", [
    200,
    "`{items: [{id, payload, status, attempts, lastStatus, lastError, nextAttemptAt, deliveredAt, ...}]}`, newest first.",
  ], { query: deliveriesQuery }),
];
