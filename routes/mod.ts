/**
 * The route table: every route module of Parley, in the order the app mounts them. It lives
 * beside the routes so that lib/ never imports routes/; `startServer` is handed this table and
 * `createApp` (lib/http/app.ts) mounts it around the middleware.
 */
import type { RouteTable } from "../lib/http/app.ts";
import { adminConsoleApiRoutes } from "./admin_console_api.ts";
import { apiKeyAdminRoutes } from "./api_keys_api.ts";
import { webhookAdminRoutes } from "./webhooks_api.ts";
import { privacyApiRoutes } from "./privacy_api.ts";
import { handoffRoutes } from "./handoff_api.ts";
import { openApiRoutes } from "./openapi.tsx";
import { adminPageRoutes } from "./admin.tsx";
import { authRoutes } from "./auth.tsx";
import { attachmentsApiRoutes } from "./attachments_api.ts";
import { conversationsApiRoutes } from "./conversations_api.ts";
import { contactsApiRoutes } from "./contacts_api.ts";
import { demoRoutes } from "./demo.tsx";
import { healthRoutes } from "./health.ts";
import { inviteRoutes } from "./invite.tsx";
import { meApiRoutes } from "./me_api.ts";
import { metricsApiRoutes } from "./metrics_api.ts";
import { superviseReportRoutes } from "./supervise_reports.tsx";
import { superviseDashboardRoutes } from "./supervise_dashboard.tsx";
import { quickResponseRoutes } from "./quick_responses.ts";
import { searchApiRoutes } from "./search_api.ts";
import { searchPageRoutes } from "./search_page.tsx";
import { settingsApiRoutes } from "./settings_api.ts";
import { businessHoursApiRoutes } from "./business_hours_api.ts";
import { streamRoutes } from "./stream.ts";
import { teamRoutes } from "./teams_api.ts";
import { whatsappRoutes } from "./whatsapp.ts";
import { widgetApiRoutes } from "./widget_api.ts";
import { workspaceRoutes } from "./workspace.tsx";
import { wsRoutes } from "./ws.ts";
import { notFoundPage } from "./not_found.tsx";

export const routeTable: RouteTable = {
  sockets: [wsRoutes],
  http: [
    healthRoutes,
    openApiRoutes,
    meApiRoutes,
    conversationsApiRoutes,
    attachmentsApiRoutes,
    contactsApiRoutes,
    handoffRoutes,
    settingsApiRoutes,
    businessHoursApiRoutes,
    metricsApiRoutes,
    superviseReportRoutes,
    searchApiRoutes,
    superviseDashboardRoutes,
    whatsappRoutes,
    streamRoutes,
    authRoutes,
    apiKeyAdminRoutes,
    webhookAdminRoutes,
    privacyApiRoutes,
    adminConsoleApiRoutes,
    quickResponseRoutes,
    teamRoutes,
    adminPageRoutes,
    inviteRoutes,
    workspaceRoutes,
    searchPageRoutes,
    widgetApiRoutes,
    demoRoutes,
  ],
  notFoundPage,
};
