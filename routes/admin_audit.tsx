/** Admin page for the audit log: newest first, filtered by what changed, who, or text; paged. */
import { Hono } from "hono";
import { AdminLayout, Section } from "../components/admin/AdminLayout.tsx";
import { Button, SelectField, TextField } from "../components/Form.tsx";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { renderPage } from "../lib/http/render.ts";
import { parseWith } from "../lib/validate.ts";
import { listAgents, publicAgent } from "../lib/store/agents.ts";
import { listAudit } from "../lib/store/audit.ts";
import { listTeams } from "../lib/store/teams.ts";
import { auditActionInWords, auditDetailsInWords } from "../lib/admin/audit_words.ts";
import { auditQuerySchema } from "./admin_console_api.ts";

const TARGET_LABEL: Record<string, string> = {
  agent: "Accounts",
  team: "Teams",
  quick_response: "Quick responses",
  settings: "Routing settings",
  site: "Web widget sites",
  whatsapp: "WhatsApp connection",
  api_key: "API keys",
  webhook: "Webhooks",
  contact: "Contacts (privacy requests)",
};

/** The `/admin/audit` page. */
export function adminAuditPages(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/admin/audit", async (c) => {
    const raw = c.req.query();
    const parsed = auditQuerySchema.safeParse(raw);
    const query = parsed.success ? parsed.data : parseWith(auditQuerySchema, {});
    const [{ items, cursor }, agents, teams] = await Promise.all([
      listAudit(deps.kv, { ...query, limit: query.limit ?? 50 }),
      listAgents(deps.kv),
      listTeams(deps.kv),
    ]);
    const names = {
      team: (id: string) => teams.find((t) => t.id === id)?.name ?? null,
      agent: (id: string) => agents.find((a) => a.id === id)?.name ?? null,
    };
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...raw, before: cursor ?? "" })) if (v) next.set(k, v);
    return renderPage(
      c,
      <AdminLayout
        title="Audit log"
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/audit"
      >
        <Section title="Filter">
          <form method="get" action="/admin/audit" class="grid md:grid-cols-4 gap-x-4 items-end">
            <SelectField
              label="What changed"
              name="targetType"
              value={query.targetType ?? ""}
              options={[
                { value: "", label: "Everything" },
                ...Object.entries(TARGET_LABEL).map(([value, label]) => ({ value, label })),
              ]}
            />
            <SelectField
              label="Changed by"
              name="actorId"
              value={query.actorId ?? ""}
              options={[
                { value: "", label: "Anyone" },
                ...agents.map((a) => ({ value: a.id, label: `${a.name} (${a.email})` })),
              ]}
            />
            <TextField label="Contains" name="q" value={query.q} />
            <div class="mb-3">
              <Button variant="secondary">Filter</Button>
            </div>
          </form>
          {!parsed.success && (
            <p role="alert" class="text-sm text-red-700">
              Some filters were not valid and are ignored.
            </p>
          )}
        </Section>
        <Section title="Changes">
          {items.length === 0
            ? <p class="text-sm text-gray-600">No changes match.</p>
            : (
              <table class="w-full text-sm" data-testid="audit-table">
                <thead>
                  <tr class="text-left border-b border-gray-200">
                    <th scope="col" class="py-2 pr-3">When (UTC)</th>
                    <th scope="col" class="py-2 pr-3">Who</th>
                    <th scope="col" class="py-2 pr-3">What</th>
                    <th scope="col" class="py-2 pr-3">Which</th>
                    <th scope="col" class="py-2 pr-3">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((e) => (
                    <tr key={e.id} class="border-b border-gray-100 align-top">
                      <td class="py-2 pr-3 whitespace-nowrap">
                        <time dateTime={e.at}>{e.at.slice(0, 19).replace("T", " ")}</time>
                      </td>
                      <td class="py-2 pr-3">{e.actorName}</td>
                      <td class="py-2 pr-3" data-action={e.action}>
                        {auditActionInWords(e.action)}
                      </td>
                      <td class="py-2 pr-3">{e.targetLabel}</td>
                      <td class="py-2 pr-3 text-gray-700">{auditDetailsInWords(e, names)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          {cursor && (
            <p class="mt-3 text-sm">
              <a href={`/admin/audit?${next}`} class="underline text-brand-700">Older changes</a>
            </p>
          )}
        </Section>
      </AdminLayout>,
    );
  });

  return app;
}
