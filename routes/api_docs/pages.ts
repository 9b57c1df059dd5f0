/**
 * The HTML pages and their form posts, in the OpenAPI document for completeness (every route
 * the app serves is documented): they work without JavaScript and answer with pages or
 * redirects, not JSON.
 */
import { admin, anyone, type ApiOperation, page, staff } from "../../lib/openapi/operations.ts";

const A = "Admin console";

export const pageOperations: ApiOperation[] = [
  page("GET", "/", "The workspace (agents and supervisors)", staff()),
  page("POST", "/workspace/status", "Set status (form)", staff()),
  page("POST", "/workspace/conversations/:id/pickup", "Pick up (form)", staff()),
  page("POST", "/workspace/conversations/:id/messages", "Reply (form)", staff()),
  page("GET", "/login", "Sign-in page", anyone),
  page("POST", "/login", "Sign in (form)", anyone),
  page("POST", "/logout", "Sign out (form)", anyone),
  page("GET", "/setup", "First-run admin creation (404 once an account exists)", anyone),
  page("POST", "/setup", "Create the first admin (form, with the setup code)", anyone),
  page("GET", "/invite/:token", "Accept an invite: choose a password", anyone),
  page("POST", "/invite/:token", "Accept an invite (form)", anyone),
  page("GET", "/admin", "Admin console (redirects to agents)", admin, A),
  page("GET", "/admin/agents", "Agents", admin, A),
  page("POST", "/admin/agents", "Add an agent", admin, A),
  page("GET", "/admin/agents/:id", "One agent", admin, A),
  page("POST", "/admin/agents/:id", "Edit an agent", admin, A),
  page("POST", "/admin/agents/:id/password", "Reset a password", admin, A),
  page("POST", "/admin/agents/:id/deactivate", "Deactivate", admin, A),
  page("POST", "/admin/agents/:id/reactivate", "Reactivate", admin, A),
  page("GET", "/admin/teams", "Teams", admin, A),
  page("POST", "/admin/teams", "Add a team", admin, A),
  page("POST", "/admin/teams/:id", "Rename a team", admin, A),
  page("POST", "/admin/teams/:id/delete", "Delete a team", admin, A),
  page("GET", "/admin/quick-responses", "Quick responses", admin, A),
  page("POST", "/admin/quick-responses", "Add a quick response", admin, A),
  page("POST", "/admin/quick-responses/import", "Import quick responses", admin, A),
  page("GET", "/admin/quick-responses/:id", "One quick response", admin, A),
  page("POST", "/admin/quick-responses/:id", "Edit a quick response", admin, A),
  page("POST", "/admin/quick-responses/:id/delete", "Delete a quick response", admin, A),
  page("GET", "/admin/audit", "Audit log", admin, A),
  page("GET", "/admin/settings", "Routing settings", admin, A),
  page("POST", "/admin/settings", "Save routing settings", admin, A),
  page("GET", "/admin/channels", "Channels: widget sites and WhatsApp", admin, A),
  page("POST", "/admin/channels/sites", "Add a site", admin, A),
  page("GET", "/admin/channels/sites/:id", "One site", admin, A),
  page("POST", "/admin/channels/sites/:id", "Edit a site", admin, A),
  page("GET", "/admin/channels/sites/:id/delete", "Delete a site: asks first", admin, A),
  page("POST", "/admin/channels/sites/:id/delete", "Delete a site", admin, A),
  page("POST", "/admin/channels/whatsapp", "Save the WhatsApp connection", admin, A),
  page("POST", "/admin/channels/whatsapp/test", "Test the WhatsApp connection", admin, A),
  page(
    "POST",
    "/admin/channels/whatsapp/templates/refresh",
    "Read the WhatsApp message templates from Meta",
    admin,
    A,
  ),
  page("GET", "/admin/api-keys", "API keys", admin, A),
  {
    ...page("POST", "/admin/api-keys", "Create an API key (the page shows it once)", admin, A),
    produces: "html",
    responses: { 200: "The page with the new key and a Copy button.", 400: "Field errors." },
  },
  page("POST", "/admin/api-keys/:id/revoke", "Revoke an API key", admin, A),
  page("GET", "/admin/webhooks", "Webhooks", admin, A),
  {
    ...page("POST", "/admin/webhooks", "Add a webhook (the page shows its secret once)", admin, A),
    produces: "html",
    responses: { 200: "The page with the secret and a Copy button.", 400: "Field errors." },
  },
  page("GET", "/admin/webhooks/:id", "One webhook: settings and delivery log", admin, A),
  page("POST", "/admin/webhooks/:id", "Save a webhook's settings", admin, A),
  page("POST", "/admin/webhooks/:id/delete", "Delete a webhook", admin, A),
];
